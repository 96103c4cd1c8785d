/**
 * Key public areas (重点公共区域) of the default city: which ones exist, where they go, and what is
 * built inside them. A key area is a lot or part of a lot; its buildings match its use (a school has
 * teaching buildings and a sports ground, a hospital an outpatient hall, wards and a forecourt, a
 * park mostly open ground) and each layout reports its open ground, which is where the video
 * cameras of a covered area look.
 */
import type { Attrs, SeedKeyAreaCategory } from '../types.ts';
import { randomInt, randomRange, type RandomFn } from '../../random.ts';
import { BuildingSink, STOREY_M, type AddBuildingOptions } from './buildings.ts';
import { rectHeight, rectsOverlap, rectWidth, type Rect } from './geometry.ts';
import { buildableOf, splitLot, type Lot } from './lots.ts';
import type { UniqueNames } from './names.ts';

export type LayoutKind =
  | 'primary' | 'middle' | 'hospital' | 'clinic' | 'park' | 'square' | 'pocket' | 'library' | 'bookroom'
  | 'railway' | 'coach' | 'bushub' | 'courtyard' | 'kite' | 'museum' | 'amusement' | 'civic' | 'govcentre' | 'service';

export interface KeyAreaRequest {
  category: SeedKeyAreaCategory;
  /** A fixed name, or a name made from the lot (e.g. after the road in front). */
  name: string | ((lot: Lot) => string);
  layout: LayoutKind;
  /** Wanted lot size, metres (either orientation). */
  w: number;
  h: number;
  /** Score bonus for a candidate lot; null rules the lot out. */
  where?: (lot: Lot) => number | null;
  inVideoSet?: boolean;
  in5gSet?: boolean;
  /** Take the whole lot, never cut it (railway station, big parks). */
  whole?: boolean;
  attrs?: Attrs;
}

export interface KeyAreaPlan {
  id: string;
  name: string;
  category: SeedKeyAreaCategory;
  layout: LayoutKind;
  /** The area's polygon (its lot). */
  r: Rect;
  /** What lies beyond each edge of the polygon (west, south, east, north). */
  edgeKinds: Lot['edge'];
  inVideoSet: boolean;
  in5gSet: boolean;
  attrs: Attrs;
  /** Open ground inside the area (sports grounds, squares, forecourts, lawns), where cameras look. */
  open: Rect[];
  /** Indices of its buildings in the sink. */
  buildings: number[];
}

export interface AreaContext {
  sink: BuildingSink;
  rand: RandomFn;
  names: UniqueNames;
}

const SPARE_TO_CARVE_M = 70;

/** Cuts a lot to about `w` × `h` (either orientation), preferring to keep road frontage. */
function carve(rand: RandomFn, lot: Lot, w: number, h: number): { area: Lot; rest: Lot[] } {
  const W = rectWidth(lot.r), H = rectHeight(lot.r);
  const [rw, rh] = W >= w && H >= h ? (W >= h && H >= w && (W - h) * (H - w) > (W - w) * (H - h) ? [h, w] : [w, h]) : [h, w];
  const rest: Lot[] = [];
  let area = lot;
  if (W - rw >= SPARE_TO_CARVE_M) {
    const west = lot.edge[0] !== 'split' && (lot.edge[2] === 'split' || rand() < 0.5);
    const [lo, hi] = splitLot(area, 'x', west ? area.r.x0 + rw : area.r.x1 - rw);
    area = west ? lo : hi;
    rest.push(west ? hi : lo);
  }
  if (H - rh >= SPARE_TO_CARVE_M) {
    const south = area.edge[1] !== 'split' && (area.edge[3] === 'split' || rand() < 0.5);
    const [lo, hi] = splitLot(area, 'y', south ? area.r.y0 + rh : area.r.y1 - rh);
    area = south ? lo : hi;
    rest.push(south ? hi : lo);
  }
  return { area, rest };
}

const centre = (r: Rect): [number, number] => [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2];

/**
 * Places the requests in order. Each takes the free lot that best spreads areas of its category
 * (largest distance to the nearest one already placed, plus a smaller weight for any area, plus the
 * request's own bonus and a little noise), then cuts the lot to size. Returns the placed areas
 * (with their lots) and the free lots left for ordinary buildings.
 */
export function placeKeyAreas(rand: RandomFn, lots: Lot[], requests: KeyAreaRequest[]): { placed: { request: KeyAreaRequest; lot: Lot }[]; free: Lot[] } {
  // each free lot carries its distance to the nearest placed area, overall and per category,
  // updated after every placement (O(lots) per placement instead of O(lots × placed) per request)
  interface Candidate {
    lot: Lot;
    cx: number;
    cy: number;
    dAll: number;
    dCat: Map<string, number>;
  }
  const placedCentres: [number, number, string][] = [];
  const candidate = (lot: Lot): Candidate => {
    const [cx, cy] = centre(lot.r);
    const c: Candidate = { lot, cx, cy, dAll: Infinity, dCat: new Map() };
    for (const [x, y, cat] of placedCentres) note(c, x, y, cat);
    return c;
  };
  const note = (c: Candidate, x: number, y: number, cat: string) => {
    const d = Math.hypot(x - c.cx, y - c.cy);
    if (d < c.dAll) c.dAll = d;
    if (d < (c.dCat.get(cat) ?? Infinity)) c.dCat.set(cat, d);
  };
  let free = lots.map(candidate);
  const placed: { request: KeyAreaRequest; lot: Lot }[] = [];
  for (const req of requests) {
    let best = -1, bestScore = -Infinity;
    for (let i = 0; i < free.length; i++) {
      const { lot } = free[i];
      const W = rectWidth(lot.r), H = rectHeight(lot.r);
      if (!((W >= req.w && H >= req.h) || (W >= req.h && H >= req.w))) continue;
      const bonus = req.where ? req.where(lot) : 0;
      if (bonus === null) continue;
      const dSame = Math.min(2500, free[i].dCat.get(req.category) ?? Infinity), dAll = Math.min(800, free[i].dAll);
      const waste = (W * H - req.w * req.h) / 1e4; // prefer lots that need little cutting
      const score = dSame + 0.5 * dAll + bonus - 2 * waste + 60 * rand();
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) continue;
    const { area, rest } = req.whole ? { area: free[best].lot, rest: [] } : carve(rand, free[best].lot, req.w, req.h);
    const [x, y] = centre(area.r);
    placedCentres.push([x, y, req.category]);
    free = [...free.slice(0, best), ...rest.map(candidate), ...free.slice(best + 1)];
    for (const c of free) note(c, x, y, req.category);
    placed.push({ request: req, lot: area });
  }
  return { placed, free: free.map((c) => c.lot) };
}

// ---------------------------------------------------------------- layouts

/** Box of at most w × h inside `b`, anchored at the relative position (ax, ay) ∈ [0,1]². */
function boxIn(b: Rect, w: number, h: number, ax: number, ay: number): Rect {
  const bw = Math.min(w, rectWidth(b)), bh = Math.min(h, rectHeight(b));
  const x0 = b.x0 + (rectWidth(b) - bw) * ax, y0 = b.y0 + (rectHeight(b) - bh) * ay;
  return { x0, y0, x1: x0 + bw, y1: y0 + bh };
}

/** Adds buildings, skipping any box that would overlap one already placed in this area. */
class AreaBuilder {
  boxes: Rect[] = [];
  indices: number[] = [];
  constructor(private ctx: AreaContext, private area: string) {}
  /** Adds a building unless it comes closer than `clearanceM` to one already in this area. */
  add(box: Rect, storeys: number, storeyM: number, use: string, part: string | null, extra: Partial<AddBuildingOptions> = {}, clearanceM = 6): boolean {
    if (rectWidth(box) < 4 || rectHeight(box) < 4) return false;
    const c = clearanceM;
    for (const b of this.boxes) if (rectsOverlap(b, { x0: box.x0 - c, y0: box.y0 - c, x1: box.x1 + c, y1: box.y1 + c })) return false;
    this.boxes.push(box);
    this.indices.push(this.ctx.sink.add(box, { storeys, storeyM, use, name: part === null ? null : `${this.area}${part}`, ...extra }));
    return true;
  }
}

function school(c: AreaContext, a: AreaBuilder, b: Rect, middle: boolean): Rect[] {
  const { rand } = c;
  const alongX = rectWidth(b) >= rectHeight(b);
  const long = Math.max(rectWidth(b), rectHeight(b)), short = Math.min(rectWidth(b), rectHeight(b));
  // sports ground: 200 m track ≈ 90 × 50 m (primary), 300 m ≈ 128 × 70 m, 400 m ≈ 176 × 92 m
  let [tl, ts] = middle ? (long >= 190 && short >= 150 ? [176, 92] : [128, 70]) : [90, 50];
  tl = Math.min(tl, long);
  ts = Math.min(ts, short * 0.45);
  const ground = alongX ? { x0: b.x0, y0: b.y0, x1: b.x0 + tl, y1: b.y0 + ts } : { x0: b.x0, y0: b.y0, x1: b.x0 + ts, y1: b.y0 + tl };
  const teach = alongX ? { x0: b.x0, y0: ground.y1 + 15, x1: b.x1, y1: b.y1 } : { x0: ground.x1 + 15, y0: b.y0, x1: b.x1, y1: b.y1 };
  const side = alongX ? { x0: ground.x1 + 12, y0: b.y0, x1: b.x1, y1: ground.y1 } : { x0: b.x0, y0: ground.y1 + 12, x1: ground.x1, y1: b.y1 };
  const storeys = middle ? 5 : 4;
  // teaching buildings in rows 25 m apart (GB 50099), the first along the far edge
  let top = teach.y1;
  let k = 0;
  while (top - 15 >= teach.y0) {
    const len = Math.min(rectWidth(teach), randomRange(rand, 50, 85));
    const x0 = teach.x0 + randomRange(rand, 0, rectWidth(teach) - len);
    a.add({ x0, y0: top - 15, x1: x0 + len, y1: top }, storeys, STOREY_M.school, 'school', `教学楼${'ABCDEFG'[k++] ?? k}`, { shape: rand() < 0.3 ? 'l' : 'rect', corner: rand() < 0.5 ? 0 : 1 });
    top -= 15 + 25;
  }
  if (k === 0) a.add(boxIn(b, 60, 15, 0.5, 1), storeys, STOREY_M.school, 'school', '教学楼');
  if (rectWidth(side) >= 24 && rectHeight(side) >= 20) a.add(boxIn(side, 40, 26, 0.5, 0.5), 2, 5.0, 'school', '体育馆');
  if (middle && alongX && rectWidth(teach) - 80 > 30) a.add(boxIn({ ...teach, y1: teach.y0 + Math.min(14, rectHeight(teach)) }, 45, 14, 1, 0), 6, 3.3, 'school', '学生宿舍');
  return [ground];
}

function hospital(c: AreaContext, a: AreaBuilder, b: Rect): Rect[] {
  const { rand } = c;
  const forecourt = { ...b, y1: b.y0 + Math.min(32, rectHeight(b) * 0.25) };
  const r = { ...b, y0: forecourt.y1 + 4 };
  const ow = Math.min(85, rectWidth(r) * 0.55), oh = Math.min(42, rectHeight(r) * 0.4);
  const outpatient = { x0: r.x0, y0: r.y0, x1: r.x0 + ow, y1: r.y0 + oh };
  const wardsFit = rectHeight(r) - oh >= 13 + 18;
  a.add(outpatient, wardsFit ? 5 : 8, STOREY_M.hospital, 'hospital', '门诊楼');
  if (rectWidth(r) - ow - 12 >= 20) a.add({ x0: outpatient.x1 + 12, y0: r.y0, x1: Math.min(r.x1, outpatient.x1 + 57), y1: r.y0 + Math.min(36, oh) }, 4, STOREY_M.hospital, 'hospital', '医技楼');
  if (wardsFit) {
    const ww = Math.min(72, rectWidth(r) - 10);
    a.add({ x0: r.x0 + 5, y0: r.y1 - 18, x1: r.x0 + 5 + ww, y1: r.y1 }, randomInt(rand, 12, 22), 3.9, 'hospital', '住院楼');
    if (r.x1 - (r.x0 + 5 + ww) >= 28) a.add({ x0: r.x1 - 20, y0: r.y1 - 14, x1: r.x1, y1: r.y1 }, 1, 5, 'ancillary', '锅炉房');
  }
  return [forecourt];
}

function clinic(c: AreaContext, a: AreaBuilder, b: Rect): Rect[] {
  const bld = boxIn(b, 36, 16, 0.3, 1);
  a.add(bld, randomInt(c.rand, 3, 4), 3.9, 'hospital', null);
  return rectHeight(b) - 16 - 6 >= 8 ? [{ ...b, y1: bld.y0 - 6 }] : [b];
}

function park(c: AreaContext, a: AreaBuilder, b: Rect, big: boolean): Rect[] {
  const { rand } = c;
  if (rectWidth(b) > 50 && rectHeight(b) > 40) a.add({ x0: b.x0 + 8, y0: b.y1 - 20, x1: b.x0 + 32, y1: b.y1 - 8 }, 2, 4, 'public', '服务中心');
  a.add({ x0: b.x1 - 14, y0: b.y0 + 8, x1: b.x1 - 8, y1: b.y0 + 12 }, 1, 3.5, 'ancillary', null);
  const cell = big ? 70 : 50;
  for (let y = b.y0 + cell / 2; y < b.y1 - 15; y += cell) {
    for (let x = b.x0 + cell / 2; x < b.x1 - 15; x += cell) {
      if (rand() < (big ? 0.16 : 0.1)) a.add({ x0: x - 4, y0: y - 4, x1: x + 4, y1: y + 4 }, 1, 4.5, 'public', '亭', { roofExtraM: 1.5 });
    }
  }
  return [b];
}

function square(c: AreaContext, a: AreaBuilder, b: Rect, kiosks: number): Rect[] {
  for (let k = 0; k < kiosks; k++) {
    const x = b.x0 + (rectWidth(b) * (k + 1)) / (kiosks + 1);
    a.add({ x0: x - 3, y0: b.y1 - 7, x1: x + 3, y1: b.y1 - 3 }, 1, 3.5, 'commercial', null, { roofExtraM: 0.3 });
  }
  if (rectWidth(b) > 60 && rectHeight(b) > 60 && c.rand() < 0.5) a.add(boxIn(b, 10, 10, 0.5, 0.5), 1, 6, 'public', '亭', { roofExtraM: 2 });
  return [b];
}

function frontBuilding(a: AreaBuilder, b: Rect, w: number, h: number, storeys: number, storeyM: number, use: string, part: string | null, shape: 'rect' | 'l' = 'rect'): Rect[] {
  const bld = boxIn(b, w, h, 0.5, 1);
  a.add(bld, storeys, storeyM, use, part, { shape });
  return bld.y0 - b.y0 - 8 >= 8 ? [{ ...b, y1: bld.y0 - 8 }] : [];
}

function courtyards(c: AreaContext, a: AreaBuilder, b: Rect, halls: string[]): Rect[] {
  const { rand } = c;
  let k = 0;
  for (let y = b.y0 + 2; y + 22 <= b.y1; y += 24) {
    for (let x = b.x0 + 2; x + 24 <= b.x1; x += 26) {
      if (rand() < 0.2) continue; // a garden court instead of buildings
      // a hall on the north side, a gate hall on the south, two wings: courtyard buildings stand
      // close together (1–2 m), so this layout uses a 0.5 m clearance instead of the usual 6 m
      const roof = { roofExtraM: 2.5 };
      a.add({ x0: x + 2, y0: y + 14, x1: x + 22, y1: y + 20 }, 1, STOREY_M.historic, 'heritage', halls[k++ % halls.length], roof, 0.5);
      a.add({ x0: x + 2, y0: y + 1, x1: x + 22, y1: y + 6.5 }, 1, STOREY_M.historic, 'heritage', null, roof, 0.5);
      a.add({ x0: x + 0.5, y0: y + 8, x1: x + 5, y1: y + 12.5 }, 1, STOREY_M.historic, 'heritage', null, roof, 0.5);
      a.add({ x0: x + 19.5, y0: y + 8, x1: x + 24, y1: y + 12.5 }, 1, STOREY_M.historic, 'heritage', null, roof, 0.5);
    }
  }
  return [b];
}

function railway(a: AreaBuilder, b: Rect): Rect[] {
  const w = Math.min(220, rectWidth(b) * 0.65), h = Math.min(48, rectHeight(b) * 0.25);
  const cx = (b.x0 + b.x1) / 2;
  const station = { x0: cx - w / 2, y0: b.y0, x1: cx + w / 2, y1: b.y0 + h };
  a.add(station, 2, 11, 'transport', '站房', { roofExtraM: 2 });
  const sideW = (rectWidth(b) - w) / 2 - 15;
  if (sideW >= 25) {
    a.add({ x0: b.x0, y0: b.y0, x1: b.x0 + Math.min(70, sideW), y1: b.y0 + Math.min(30, h) }, 2, 5, 'transport', '公交换乘中心');
    a.add({ x0: b.x1 - Math.min(45, sideW), y0: b.y0, x1: b.x1, y1: b.y0 + Math.min(22, h) }, 16, 3.3, 'hotel', '站前酒店');
  }
  return [{ ...b, y0: station.y1 + 12 }];
}

function amusement(c: AreaContext, a: AreaBuilder, b: Rect): Rect[] {
  const { rand } = c;
  a.add({ x0: b.x0 + 6, y0: b.y1 - 22, x1: b.x0 + 46, y1: b.y1 - 6 }, 2, 5, 'commercial', '游客中心');
  for (let y = b.y0 + 10; y + 30 <= b.y1 - 30; y += 60) {
    for (let x = b.x0 + 10; x + 30 <= b.x1 - 10; x += 60) {
      if (rand() < 0.35) a.add({ x0: x, y0: y, x1: x + randomRange(rand, 18, 30), y1: y + randomRange(rand, 14, 22) }, randomInt(rand, 1, 2), 6, 'commercial', null);
    }
  }
  return [b];
}

const HALLS_SHIHU = ['砚香楼', '春雨楼', '深柳读书堂', '碧云斋', '静如山房', '小沧浪', '稳如舟', '四照亭', '秋声馆', '绿天书屋', '听雨轩', '颂芬书屋'];
const HALLS_TEMPLE = ['山门', '大殿', '寝殿', '东配殿', '西配殿', '戏楼'];

/** Builds the inside of one area and returns its open ground. */
export function layoutArea(c: AreaContext, layout: LayoutKind, lot: Lot, name: string): { open: Rect[]; buildings: number[] } {
  const b = buildableOf(lot);
  const a = new AreaBuilder(c, name);
  if (!b) return { open: [lot.r], buildings: [] };
  let open: Rect[];
  switch (layout) {
    case 'primary': open = school(c, a, b, false); break;
    case 'middle': open = school(c, a, b, true); break;
    case 'hospital': open = hospital(c, a, b); break;
    case 'clinic': open = clinic(c, a, b); break;
    case 'park': open = park(c, a, b, rectWidth(b) * rectHeight(b) > 40000); break;
    case 'square': open = square(c, a, b, 2); break;
    case 'pocket': open = square(c, a, b, 0); break;
    case 'kite': open = square(c, a, b, 3); break;
    case 'library': open = frontBuilding(a, b, Math.min(90, rectWidth(b) * 0.7), Math.min(55, rectHeight(b) * 0.5), 5, STOREY_M.public, 'public', '主馆', 'l'); break;
    case 'bookroom': open = frontBuilding(a, b, 22, 14, 1, 4.5, 'public', null); break;
    case 'railway': open = railway(a, b); break;
    case 'coach': open = frontBuilding(a, b, 80, 26, 2, 5.5, 'transport', '候车楼'); break;
    case 'bushub': open = frontBuilding(a, b, 36, 14, 2, 4, 'transport', '调度楼'); break;
    case 'courtyard': open = courtyards(c, a, b, name === '十笏园' ? HALLS_SHIHU : HALLS_TEMPLE); break;
    case 'museum': open = frontBuilding(a, b, Math.min(80, rectWidth(b) * 0.65), Math.min(55, rectHeight(b) * 0.5), 3, 5.5, 'public', '展馆'); break;
    case 'amusement': open = amusement(c, a, b); break;
    case 'civic': open = frontBuilding(a, b, Math.min(180, rectWidth(b) - 20), Math.min(60, rectHeight(b) * 0.55), 5, STOREY_M.public, 'public', '主楼'); break;
    case 'govcentre': open = frontBuilding(a, b, Math.min(85, rectWidth(b) * 0.7), Math.min(38, rectHeight(b) * 0.45), 5, STOREY_M.hospital, 'public', '办事大厅'); break;
    case 'service': open = frontBuilding(a, b, 38, Math.min(18, rectHeight(b) * 0.4), 3, 3.9, 'public', null); break;
  }
  if (open.length === 0) open = [b];
  return { open, buildings: a.indices };
}


/**
 * The existing device inventory of the default city, built to leave real gaps against the ★4
 * thresholds of DB37/T 3890 Part 2 (docs/default-city.md has the values the coverage engine computes).
 * Cameras are placed with the coverage engine's own camera model (sim-core/coverage/camera.ts) and
 * e-police cameras against its own stop lines (sim-core/coverage/epolice.ts), so the intent holds
 * under the engine's rules:
 *
 * - HD video: about 82 % of the video-set key areas have cameras that see about 90 % of their open
 *   ground at the observation level; the other areas have none, and no camera anywhere has any point of
 *   them in its frustum out to the detection distance (occlusion ignored), so no rule can credit them.
 * - Camera 完好 about 86 %, 联网 about 83 % (cameras inside key areas; exact quotas). The broken ones
 *   are older cameras added beside the new ones, so failures do not open coverage holes.
 * - E-police: every approach of about 76 % of important intersections watched at recognition level,
 *   4 % fully equipped with one camera out of order, 3 % equipped on some approaches only.
 * - Real-time signal timing at about 46 % of important intersections (the CBD corridors first).
 * - 5G: macro sites only in the eastern rollout zone (about a third of the 5G-set areas) plus
 *   pole-mounted small cells at isolated hot spots; the other areas are far from every cell.
 * - Weather: the real national station 54843 plus a few synthetic automatic stations, leaving the
 *   west of the district without one.
 *
 * Nothing in any record states coverage: coverage is for the coverage engine to compute.
 */
import Flatbush from 'flatbush';
import type { DeviceInput } from '../builder.ts';
import type { LocalFrame } from '../frame.ts';
import { DORI_PX_PER_M, frustumContains, maxRangeM, newPose, preparePose, vfovDeg, type CameraSpec } from '../../coverage/camera.ts';
import { buildStopLines } from '../../coverage/epolice.ts';
import type { City } from '../types.ts';
import { randomInt, randomRange, randomWeightedIndex, shuffleInPlace, type RandomFn } from '../../random.ts';
import type { BuildingSpec } from './buildings.ts';
import type { Anchors } from './catalogue.ts';
import { bearingDeg, cm, rectArea, rectDistance, rectHeight, rectWidth, type Rect } from './geometry.ts';
import type { KeyAreaPlan, LayoutKind } from './key-areas.ts';
import type { Grid, RoadNet } from './roads.ts';

/** Intended shares of the existing inventory (see module doc). */
export const DEMO_TARGETS = {
  videoCoveredShare: 0.82,
  cameraHealthyShare: 0.86,
  cameraNetworkedShare: 0.83,
  /** Important intersections whose every approach is watched by a working e-police camera. */
  epoliceFullShare: 0.76,
  /** … fully equipped, but one camera is out of order (so not covered until it is repaired). */
  epoliceBrokenShare: 0.04,
  /** … equipped on some approaches only. */
  epolicePartialShare: 0.03,
  realTimeTimingShare: 0.46,
  /** Share of the 5G-set areas west of the rollout zone's edge. */
  nrZoneQuantile: 0.68,
} as const;

/** Macro 5G site spacing in the rollout zone, metres (hexagonal layout). */
export const NR_SITE_SPACING_M = 500;

/** The coverage engine's frustum test, bound once (hot loops call it millions of times). */
const inFrustum = frustumContains;

/** The real national basic weather station of Weifang (NOAA ISD station history, public domain). */
export const STATION_54843 = { wmoId: '54843', name: '潍坊国家基本气象站', latDeg: 36.767, lonDeg: 119.183, elevationM: 22 } as const;

interface CameraModel {
  model: string;
  resolutionPx: [number, number];
  hfovDeg: number;
  ptz?: boolean;
  panRangeDeg?: number;
  hfovTeleDeg?: number;
}

export const CAMERA_MODELS = {
  bullet2mpWide: { model: '200万像素枪机 4mm', resolutionPx: [1920, 1080], hfovDeg: 87 },
  bullet8mpTele: { model: '800万像素枪机 12mm', resolutionPx: [3840, 2160], hfovDeg: 29 },
  bullet8mpWide: { model: '800万像素枪机 6mm', resolutionPx: [3840, 2160], hfovDeg: 55 },
  bullet2mpTele: { model: '200万像素枪机 6mm', resolutionPx: [1920, 1080], hfovDeg: 54 },
  bullet4mpWide: { model: '400万像素枪机 4mm', resolutionPx: [2560, 1440], hfovDeg: 84 },
  bullet4mpTele: { model: '400万像素枪机 8mm', resolutionPx: [2560, 1440], hfovDeg: 42 },
  dome4mp: { model: '400万像素半球 2.8mm', resolutionPx: [2688, 1520], hfovDeg: 102 },
  ptz2mp: { model: '200万像素球机 30倍', resolutionPx: [1920, 1080], hfovDeg: 59, ptz: true, panRangeDeg: 360, hfovTeleDeg: 2.3 },
  epolice: { model: '500万像素电子警察', resolutionPx: [2448, 2048], hfovDeg: 40 },
} satisfies Record<string, CameraModel>;

const OPEN_LABEL: Record<LayoutKind, string> = {
  primary: '操场', middle: '操场', hospital: '门前广场', clinic: '门前', park: '园区', square: '广场', pocket: '游园', library: '前广场', bookroom: '门前',
  railway: '站前广场', coach: '场站', bushub: '场站', courtyard: '院落', kite: '广场', museum: '前广场', amusement: '园区', civic: '前广场', govcentre: '前广场', service: '门前',
};

/** How likely a video-set area is to lack cameras (community facilities more than landmarks). */
const UNCOVERED_WEIGHT: Record<LayoutKind, number> = {
  pocket: 3, square: 2, park: 1.5, clinic: 2.5, service: 2.5, bushub: 2, bookroom: 1, primary: 1, middle: 0.6, hospital: 0.4, library: 0.8,
  museum: 0.8, courtyard: 0.5, coach: 0.5, govcentre: 0.5, railway: 0, civic: 0, kite: 0.3, amusement: 0.8,
};

export interface DeviceContext {
  rand: RandomFn;
  grid: Grid;
  anchors: Anchors;
  net: RoadNet;
  /** The road network alone, built by the CityBuilder: intersection classes come from it. */
  roads: City;
  areas: KeyAreaPlan[];
  buildings: BuildingSpec[];
  buildingIds: string[];
  frame: LocalFrame;
  scale: number;
}

export interface DevicePlan {
  devices: DeviceInput[];
  /** Road node ids that carry a signal controller. */
  signalizedNodeIds: Set<string>;
  /** Ids of video-set areas left without cameras on purpose. */
  videoUncoveredAreaIds: Set<string>;
}

/** Point lookups against building boxes. */
class BuildingIndex {
  private index: Flatbush;
  constructor(private specs: BuildingSpec[]) {
    this.index = new Flatbush(Math.max(1, specs.length));
    for (const s of specs) this.index.add(s.box.x0, s.box.y0, s.box.x1, s.box.y1);
    if (specs.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }
  /** True when (x, y) is within `marginM` of a building box. */
  occupied(x: number, y: number, marginM = 1): boolean {
    return this.index.search(x - marginM, y - marginM, x + marginM, y + marginM).some((i) => i < this.specs.length);
  }
  /** Indices of buildings whose box lies within `r` of (x, y). */
  near(x: number, y: number, r: number): number[] {
    return this.index.search(x - r, y - r, x + r, y + r).filter((i) => i < this.specs.length);
  }
}

/**
 * Sample points of the video-set areas left without cameras: the outline every metre and the inside
 * on a 5 m grid. A camera's ground footprint (frustum ∩ range disc) and an area are both convex, so
 * if they met without touching an outline sample the footprint would lie inside the area and hold
 * inside samples.
 */
class UncoveredSamples {
  private areas: { r: Rect; xy: Float64Array }[] = [];
  private pose = newPose();
  add(r: Rect): void {
    const pts: number[] = [];
    const w = rectWidth(r), h = rectHeight(r);
    for (let i = 0, n = Math.ceil(w); i <= n; i++) pts.push(r.x0 + (w * i) / n, r.y0, r.x0 + (w * i) / n, r.y1);
    for (let j = 1, n = Math.ceil(h); j < n; j++) pts.push(r.x0, r.y0 + (h * j) / n, r.x1, r.y0 + (h * j) / n);
    for (let y = r.y0 + 2.5; y < r.y1; y += 5) for (let x = r.x0 + 2.5; x < r.x1; x += 5) pts.push(x, y);
    this.areas.push({ r, xy: Float64Array.from(pts) });
  }
  /**
   * True when the camera would see any sample of an uncovered area by the coverage engine's model
   * (frustum, PTZ over its whole pan range) out to the detection range (the most lenient DORI level),
   * occlusion ignored: an upper bound on what it can ever be credited with.
   */
  seen(c: CameraSpec): boolean {
    const rangeM = maxRangeM(c.widthPx, c.hfovDeg, DORI_PX_PER_M.detection);
    const p = preparePose(c, 'potential', this.pose);
    const r2 = rangeM * rangeM - c.heightM * c.heightM;
    // A fixed camera's ground footprint lies in three half-planes: in front (z_c > 0) and between
    // the two side planes. An area whose four corners all fail one of them is out of sight.
    const h = (c.headingDeg * Math.PI) / 180, t = (c.tiltDeg * Math.PI) / 180;
    const sh = Math.sin(h), ch = Math.cos(h), ct = Math.cos(t), st = Math.sin(t), tanH = Math.tan((c.hfovDeg * Math.PI) / 360);
    const outside = (r: Rect) => {
      if (c.ptz) return false;
      let front = 0, left = 0, right = 0;
      for (let k = 0; k < 4; k++) {
        const dx = (k === 1 || k === 2 ? r.x1 : r.x0) - c.xM, dy = (k >= 2 ? r.y1 : r.y0) - c.yM;
        const zc = (dx * sh + dy * ch) * ct + c.heightM * st; // depth along the optical axis
        const across = dx * ch - dy * sh;
        if (zc <= 0) front++;
        if (across > zc * tanH) right++;
        if (-across > zc * tanH) left++;
      }
      return front === 4 || right === 4 || left === 4;
    };
    for (const a of this.areas) {
      if (rectDistance(a.r, c.xM, c.yM) > rangeM || outside(a.r)) continue;
      for (let i = 0; i < a.xy.length; i += 2) {
        const dx = a.xy[i] - c.xM, dy = a.xy[i + 1] - c.yM;
        if (dx * dx + dy * dy <= r2 && inFrustum(p, a.xy[i], a.xy[i + 1], 0)) return true;
      }
    }
    return false;
  }
}

interface Camera {
  x: number;
  y: number;
  heightM: number;
  headingDeg: number;
  tiltDeg: number;
  model: CameraModel;
  name: string;
  /** Area the camera stands in, or null for street cameras. */
  areaId: string | null;
  attrs?: Record<string, unknown>;
}

const COMPASS = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'];
const compass = (deg: number) => COMPASS[Math.round(deg / 45) % 8];

function cameraDevice(id: string, c: Camera, healthy: boolean, networked: boolean): DeviceInput {
  const { model, ...spec } = c.model;
  return {
    id, type: 'camera', xM: cm(c.x), yM: cm(c.y), heightM: c.heightM, headingDeg: Math.round(c.headingDeg * 10) / 10, tiltDeg: Math.round(c.tiltDeg), healthy, networked, name: c.name,
    attrs: { ...spec, model, ...c.attrs },
  };
}

/** Chooses exactly round(share × n) items to flag, at most a third of any one area's cameras. */
function quotaFlags(rand: RandomFn, cams: Camera[], share: number): boolean[] {
  const flags = new Array<boolean>(cams.length).fill(false);
  const want = Math.round(share * cams.length);
  const perArea = new Map<string, number>(), used = new Map<string, number>();
  for (const c of cams) if (c.areaId) perArea.set(c.areaId, (perArea.get(c.areaId) ?? 0) + 1);
  const order = shuffleInPlace(rand, cams.map((_, i) => i));
  let n = 0;
  for (const pass of [0, 1]) {
    for (const i of order) {
      if (n >= want) break;
      if (flags[i]) continue;
      const a = cams[i].areaId;
      if (pass === 0 && a) {
        const cap = Math.floor((perArea.get(a) ?? 0) / 3);
        if ((used.get(a) ?? 0) >= cap) continue;
        used.set(a, (used.get(a) ?? 0) + 1);
      }
      flags[i] = true;
      n++;
    }
  }
  return flags;
}

/**
 * Share of a covered area's open ground the generator brings into view of healthy cameras at the
 * observation level (62 px/m), by the coverage engine's own camera model (sim-core/coverage/camera.ts:
 * pinhole frustum with tilt, DORI range on the slant distance) and a conservative occlusion test (any
 * building footprint crossed in plan hides the point). The engine's default area rule asks for 80 %
 * of the open ground at observation (docs/coverage.md); 0.9 on the generator's coarser grid leaves room.
 */
export const AREA_VIEW_TARGET = 0.9;
/** Camera models the placement may choose for key areas, longest reach first. */
const AREA_MODELS = [CAMERA_MODELS.bullet8mpTele, CAMERA_MODELS.bullet8mpWide, CAMERA_MODELS.bullet4mpWide];
const AREA_DESIGN_PX_PER_M = DORI_PX_PER_M.observation;
const CANDIDATE_SPACING_M = 24;

/** True when the segment (ax, ay)–(bx, by) passes through the interior of box `r` (Liang–Barsky). */
function segmentHitsBox(ax: number, ay: number, bx: number, by: number, r: Rect): boolean {
  if ((ax <= r.x0 && bx <= r.x0) || (ax >= r.x1 && bx >= r.x1) || (ay <= r.y0 && by <= r.y0) || (ay >= r.y1 && by >= r.y1)) return false;
  const dx = bx - ax, dy = by - ay;
  let t0 = 0, t1 = 1;
  if (dx === 0) {
    if (ax <= r.x0 || ax >= r.x1) return false;
  } else {
    let ta = (r.x0 - ax) / dx, tb = (r.x1 - ax) / dx;
    if (ta > tb) [ta, tb] = [tb, ta];
    t0 = Math.max(t0, ta);
    t1 = Math.min(t1, tb);
    if (t0 >= t1) return false;
  }
  if (dy === 0) return ay > r.y0 && ay < r.y1;
  let ta = (r.y0 - ay) / dy, tb = (r.y1 - ay) / dy;
  if (ta > tb) [ta, tb] = [tb, ta];
  return Math.max(t0, ta) < Math.min(t1, tb);
}

/** Number of set bits of a 32-bit integer. */
function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** A CameraSpec for the coverage engine's model functions. */
function specOf(kind: 'camera' | 'epolice', x: number, y: number, heightM: number, headingDeg: number, tiltDeg: number, m: CameraModel): CameraSpec {
  return {
    id: '', kind, xM: x, yM: y, heightM, headingDeg, tiltDeg, hfovDeg: m.hfovDeg, widthPx: m.resolutionPx[0], heightPx: m.resolutionPx[1],
    ptz: m.ptz === true, panRangeDeg: m.panRangeDeg ?? 360, doriLevel: kind === 'camera' ? 'observation' : 'recognition', healthy: true, networked: true, assumed: [],
  };
}

/** Tilt (whole degrees) that puts the far edge of the image at the design range on the ground. */
function designTiltDeg(heightM: number, m: CameraModel, rangeM: number): number {
  return Math.round((Math.atan2(heightM, rangeM) * 180) / Math.PI + vfovDeg(m.hfovDeg, m.resolutionPx[0], m.resolutionPx[1]) / 2);
}

const POSE = newPose();

/**
 * Cameras for one covered key area, chosen greedily. Candidate poses stand 1.5 m inside the area's
 * edge every 24 m (facing inward and 35° either side; corners face the diagonal), and for large areas
 * also on the open ground inside every 50 m (four headings); each takes one of three lenses and the
 * tilt that puts the image's far edge at the lens's observation range. A pose sees the open-ground
 * samples (a grid of at most about 700 points outside the area's buildings, 2 m in courtyard complexes) that are inside its
 * frustum, within the observation range and not hidden in plan behind one of the area's buildings
 * (the area is a rectangle, so no other building lies between). The pose that sees most unseen
 * samples is taken until {@link AREA_VIEW_TARGET} is reached, the gain falls under 0.5 %, or the
 * area's budget is spent. What stays unseen are the area's blind spots. Returns the cameras and the
 * share of samples they see.
 */
function coverArea(a: KeyAreaPlan, buildings: BuildingSpec[], rand: RandomFn, allowed: (x: number, y: number, heightM: number, heading: number, tilt: number, m: CameraModel) => boolean): { cams: Camera[]; seenShare: number; spare: [number, number, number][] } {
  const r = a.r;
  const boxes = a.buildings.filter((i) => buildings[i].baseM === 0).map((i) => buildings[i].box);
  const inBox = (x: number, y: number, m: number) => {
    for (const b of boxes) if (x > b.x0 - m && x < b.x1 + m && y > b.y0 - m && y < b.y1 + m) return true;
    return false;
  };
  // courtyard complexes have 1.5 m gaps between buildings: sample them as finely as the engine does
  const dense = a.layout === 'courtyard';
  const step = dense ? 2 : Math.max(5, Math.sqrt(rectArea(r) / 700));
  const sx: number[] = [], sy: number[] = [];
  for (let y = r.y0 + step / 2; y < r.y1; y += step) for (let x = r.x0 + step / 2; x < r.x1; x += step) if (!inBox(x, y, 0)) (sx.push(x), sy.push(y));
  const n = sx.length;
  if (n === 0) return { cams: [], seenShare: 0, spare: [] };
  const words = (n + 31) >>> 5;
  const cx = (r.x0 + r.x1) / 2, cy = (r.y0 + r.y1) / 2;
  const poses: { x: number; y: number; h: number; heading: number; tilt: number; m: CameraModel; bits: Uint32Array; count: number }[] = [];
  const spare: [number, number, number][] = []; // positions (and inward headings) left for other cameras
  const clear = new Uint8Array(n);
  let maxReach2 = 0;
  for (const m of AREA_MODELS) maxReach2 = Math.max(maxReach2, maxRangeM(m.resolutionPx[0], m.hfovDeg, AREA_DESIGN_PX_PER_M) ** 2);
  const addPoses = (x: number, y: number, headings: number[]) => {
    x = cm(x);
    y = cm(y);
    if (inBox(x, y, 1.5)) return;
    spare.push([x, y, headings[Math.floor(headings.length / 2)]]);
    const h = randomInt(rand, 10, 16) / 2; // poles 5–8 m
    // line of sight in plan depends on the position only: test it once per sample, not per pose
    for (let i = 0; i < n; i++) {
      const dx = sx[i] - x, dy = sy[i] - y;
      let hidden = dx * dx + dy * dy + h * h > maxReach2;
      for (let b = 0; b < boxes.length && !hidden; b++) hidden = segmentHitsBox(x, y, sx[i], sy[i], boxes[b]);
      clear[i] = hidden ? 0 : 1;
    }
    for (const raw of headings) {
      const heading = Math.round((((raw % 360) + 360) % 360) * 10) / 10;
      for (const m of AREA_MODELS) {
        const range = maxRangeM(m.resolutionPx[0], m.hfovDeg, AREA_DESIGN_PX_PER_M);
        const tilt = designTiltDeg(h, m, range);
        if (!allowed(x, y, h, heading, tilt, m)) continue;
        preparePose(specOf('camera', x, y, h, heading, tilt, m), 'preset', POSE);
        const bits = new Uint32Array(words);
        let count = 0;
        for (let i = 0; i < n; i++) {
          if (!clear[i]) continue;
          const dx = sx[i] - x, dy = sy[i] - y;
          if (dx * dx + dy * dy + h * h > range * range) continue;
          if (!inFrustum(POSE, sx[i], sy[i], 0)) continue;
          bits[i >>> 5] |= 1 << (i & 31);
          count++;
        }
        if (count) poses.push({ x, y, h, heading, tilt, m, bits, count });
      }
    }
  };
  const inset = 1.5;
  const x0 = r.x0 + inset, x1 = r.x1 - inset, y0 = r.y0 + inset, y1 = r.y1 - inset;
  for (const [px, py] of [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]) {
    const diag = bearingDeg(cx - px, cy - py);
    addPoses(px, py, [diag - 30, diag, diag + 30]);
  }
  const edges: [number, number, number, number, number][] = [[x0, y0, x1, y0, 0], [x1, y0, x1, y1, 270], [x1, y1, x0, y1, 180], [x0, y1, x0, y0, 90]];
  for (const [ax, ay, bx, by, inward] of edges) {
    const k = Math.max(1, Math.round(Math.hypot(bx - ax, by - ay) / CANDIDATE_SPACING_M));
    for (let j = 1; j < k; j++) addPoses(ax + ((bx - ax) * j) / k, ay + ((by - ay) * j) / k, [inward - 35, inward, inward + 35]);
  }
  const inner = dense ? 12 : rectArea(r) > 15000 ? 50 : 0; // cameras inside: on lamp posts in parks, in each courtyard
  if (inner) for (let y = r.y0 + inner; y < r.y1 - inner / 2; y += inner) for (let x = r.x0 + inner; x < r.x1 - inner / 2; x += inner) addPoses(x, y, [0, 90, 180, 270]);
  const seen = new Uint32Array(words);
  let seenCount = 0;
  const budget = Math.min(60, 3 + Math.ceil(rectArea(r) / (dense ? 400 : 1200)));
  const cams: Camera[] = [];
  const used = new Set<string>();
  // lazy greedy: a pose's gain only shrinks as more is seen, so its last computed gain is an upper
  // bound; re-evaluate the pose with the highest bound until one keeps the lead
  const bound = Float64Array.from(poses, (p) => p.count);
  const gainOf = (p: number) => {
    let gain = 0;
    const bits = poses[p].bits;
    for (let w = 0; w < words; w++) gain += popcount32(bits[w] & ~seen[w]);
    return gain;
  };
  while (cams.length < budget && seenCount < AREA_VIEW_TARGET * n) {
    let best = -1, bestGain = 0;
    for (;;) {
      let top = -1;
      for (let p = 0; p < poses.length; p++) if (top < 0 || bound[p] > bound[top]) top = p;
      if (top < 0 || bound[top] <= bestGain) break;
      const g = gainOf(top);
      bound[top] = g;
      if (g > bestGain) {
        bestGain = g;
        best = top;
      }
    }
    if (best < 0 || bestGain < Math.max(1, 0.005 * n)) break;
    const pose = poses[best];
    for (let w = 0; w < words; w++) seen[w] |= pose.bits[w];
    seenCount += bestGain;
    used.add(`${pose.x},${pose.y}`);
    cams.push({
      x: pose.x, y: pose.y, heightM: pose.h, headingDeg: pose.heading, tiltDeg: pose.tilt, model: pose.m,
      name: `${a.name} ${OPEN_LABEL[a.layout]}${compass(bearingDeg(pose.x - cx, pose.y - cy))}侧${cams.length + 1}号`, areaId: a.id,
      attrs: { doriLevel: 'observation', installedYear: randomInt(rand, 2017, 2020) },
    });
  }
  return { cams, seenShare: seenCount / n, spare: spare.filter(([x, y]) => !used.has(`${x},${y}`)) };
}

/** Flags exactly round(share × n) cameras, the legacy ones first (in random order), then others. */
function legacyFirstFlags(rand: RandomFn, cams: Camera[], legacy: Set<Camera>, share: number): boolean[] {
  const want = Math.round(share * cams.length);
  const order = [...shuffleInPlace(rand, cams.map((_, i) => i).filter((i) => legacy.has(cams[i]))), ...shuffleInPlace(rand, cams.map((_, i) => i).filter((i) => !legacy.has(cams[i])))];
  const flags = new Array<boolean>(cams.length).fill(false);
  for (const i of order.slice(0, want)) flags[i] = true;
  return flags;
}

export function placeDevices(ctx: DeviceContext): DevicePlan {
  const { rand, areas, net, roads } = ctx;
  const index = new BuildingIndex(ctx.buildings);
  const devices: DeviceInput[] = [];
  const nodePos = new Map(net.nodes.map((n, i) => [n.id, i]));

  // ---------------------------------------------------------------- video intent
  const videoAreas = areas.filter((a) => a.inVideoSet);
  const nUncovered = Math.round(videoAreas.length * (1 - DEMO_TARGETS.videoCoveredShare));
  const pool = [...videoAreas];
  const videoUncovered = new Set<string>();
  for (let k = 0; k < nUncovered && pool.length; k++) {
    const weights = pool.map((a) => UNCOVERED_WEIGHT[a.layout]);
    if (!weights.some((w) => w > 0)) break;
    const i = randomWeightedIndex(rand, weights);
    videoUncovered.add(pool[i].id);
    pool.splice(i, 1);
  }
  const samples = new UncoveredSamples();
  for (const a of areas) if (videoUncovered.has(a.id)) samples.add(a.r);
  /** First model of the list whose view stays off every uncovered area, or null. */
  const fit = (x: number, y: number, heightM: number, heading: number, tilt: number, models: CameraModel[]) =>
    models.find((m) => !samples.seen(specOf('camera', x, y, heightM, heading, tilt, m))) ?? null;

  // ---------------------------------------------------------------- cameras in covered key areas
  const areaCams: Camera[] = [];
  const legacy = new Set<Camera>();
  for (const a of areas) {
    if (!a.inVideoSet || videoUncovered.has(a.id)) continue;
    const { cams, spare } = coverArea(a, ctx.buildings, rand, (x, y, h, heading, tilt, m) => fit(x, y, h, heading, tilt, [m]) !== null);
    areaCams.push(...cams);
    // older 1080p cameras from an earlier phase, on spare poles: these are the ones that have failed
    // (完好率), so the failures do not open holes in the coverage the newer cameras give
    const nLegacy = Math.max(1, Math.ceil(0.22 * cams.length));
    for (const [x, y, heading] of shuffleInPlace(rand, spare).slice(0, nLegacy)) {
      const h = Math.round(heading * 10) / 10;
      if (!fit(x, y, 4.5, h, 20, [CAMERA_MODELS.bullet2mpWide])) continue;
      const cam: Camera = { x, y, heightM: 4.5, headingDeg: h, tiltDeg: 20, model: CAMERA_MODELS.bullet2mpWide, name: `${a.name} ${OPEN_LABEL[a.layout]}老旧${legacy.size + 1}号`, areaId: a.id, attrs: { doriLevel: 'observation', installedYear: randomInt(rand, 2011, 2015) } };
      legacy.add(cam);
      areaCams.push(cam);
    }
    // a PTZ dome on a tall pole over large open ground
    const o = a.open[0];
    if (rectArea(o) > 8000) {
      const x = (o.x0 + o.x1) / 2, y = o.y1 - 2;
      if (!index.occupied(x, y, 1) && fit(x, y, 8, 180, 15, [CAMERA_MODELS.ptz2mp])) {
        areaCams.push({ x, y, heightM: 8, headingDeg: 180, tiltDeg: 15, model: CAMERA_MODELS.ptz2mp, name: `${a.name} ${OPEN_LABEL[a.layout]}球机`, areaId: a.id });
      }
    }
  }

  // ---------------------------------------------------------------- street cameras
  const streetCams: Camera[] = [];
  const links = net.links;
  const incident = new Map<number, number[]>();
  links.forEach((l, i) => {
    for (const id of [l.fromId, l.toId]) {
      const v = nodePos.get(id)!;
      if (!incident.has(v)) incident.set(v, []);
      incident.get(v)!.push(i);
    }
  });
  const halfCarriage = (li: number) => (net.linkInfo[li].lanes * 3.5) / 2;
  /** Unit vector from node v along link li (away from v). */
  const away = (v: number, li: number): [number, number] => {
    const l = links[li];
    const other = net.nodes[nodePos.get(l.fromId === net.nodes[v].id ? l.toId : l.fromId)!];
    const dx = other.xM - net.nodes[v].xM, dy = other.yM - net.nodes[v].yM;
    const d = Math.hypot(dx, dy);
    return [dx / d, dy / d];
  };
  net.nodeInfo.forEach((info, v) => {
    if (info.kind !== 'crossing' || rand() >= 0.42) return;
    const inc = incident.get(v) ?? [];
    const count = rand() < 0.6 ? 1 : 2;
    const order = shuffleInPlace(rand, [...inc]);
    for (const li of order.slice(0, count)) {
      const [ux, uy] = away(v, li);
      // stand on the right-hand corner, looking out along the road
      const side = Math.max(...inc.map(halfCarriage)) + 2;
      const x = info.x + ux * side + uy * (halfCarriage(li) + 2), y = info.y + uy * side - ux * (halfCarriage(li) + 2);
      const heading = bearingDeg(ux, uy);
      const m = fit(x, y, 7, heading, 8, [CAMERA_MODELS.bullet4mpTele, CAMERA_MODELS.bullet2mpTele, CAMERA_MODELS.bullet2mpWide]);
      if (!m) continue;
      streetCams.push({ x, y, heightM: 7, headingDeg: heading, tiltDeg: 8, model: m, name: `${net.nodes[v].name ?? '路口'} ${compass(heading)}向治安监控`, areaId: null });
    }
  });

  // ---------------------------------------------------------------- smart poles (CBD corridor) and pole cameras
  const poles: DeviceInput[] = [];
  const poleId = () => `pole-${String(poles.length + 1).padStart(4, '0')}`;
  const corridors = [ctx.grid.ew, ctx.grid.ns].map((lines) => {
    const arts = lines.filter((l) => l.kind === 'arterial');
    const target = lines === ctx.grid.ew ? ctx.anchors.cbdY : ctx.anchors.cbdX;
    return arts.reduce((best, l) => (Math.abs(l.pos - target) < Math.abs(best.pos - target) ? l : best), arts[0]);
  });
  const junctionT = new Map<string, number[]>(); // positions along each grid road where something joins
  net.nodeInfo.forEach((info) => {
    for (const l of corridors) {
      const on = l.axis === 'ew' ? Math.abs(info.y - l.pos) < 0.5 : Math.abs(info.x - l.pos) < 0.5;
      if (on) {
        const key = `${l.axis}${l.index}`;
        if (!junctionT.has(key)) junctionT.set(key, []);
        junctionT.get(key)!.push(l.axis === 'ew' ? info.x : info.y);
      }
    }
  });
  const poleCams: Camera[] = [];
  const poleOfCam = new Map<Camera, number>();
  for (const l of corridors) {
    const along = l.axis === 'ew' ? ctx.anchors.cbdX : ctx.anchors.cbdY;
    const stops = junctionT.get(`${l.axis}${l.index}`) ?? [];
    const reach = 900 * Math.min(1, ctx.grid.ext.k);
    let k = 0;
    for (let t = along - reach; t <= along + reach; t += 40) {
      if (stops.some((s) => Math.abs(s - t) < 35)) continue;
      for (const side of [-1, 1]) {
        const off = side * (l.halfWidthM - 2);
        const x = l.axis === 'ew' ? t : l.pos + off, y = l.axis === 'ew' ? l.pos + off : t;
        const id = poleId();
        poles.push({ id, type: 'pole', xM: cm(x), yM: cm(y), heightM: 10, name: `${l.name}智慧杆${poles.length + 1}`, attrs: { lighting: true, mounts: 4, hosts: [] as string[] } });
        if (k++ % 4 === 0) {
          const heading = l.axis === 'ew' ? (side > 0 ? 90 : 270) : side > 0 ? 0 : 180;
          const m = fit(x, y, 6, heading, 10, [CAMERA_MODELS.bullet2mpTele, CAMERA_MODELS.bullet2mpWide]);
          if (m) {
            const cam: Camera = { x, y, heightM: 6, headingDeg: heading, tiltDeg: 10, model: m, name: `${l.name} 智慧杆${poles.length}视频`, areaId: null, attrs: { hostPoleId: id } };
            poleCams.push(cam);
            poleOfCam.set(cam, poles.length - 1);
          }
        }
      }
    }
  }
  // vacant poles in front of the areas without cameras: candidate mounting sites for planners
  for (const a of areas) {
    if (!videoUncovered.has(a.id)) continue;
    const edges: [number, number, number, number][] = []; // x, y on the edge, outward normal
    const r = a.r;
    if (a.edgeKinds[1] !== 'split') edges.push([(r.x0 + r.x1) / 2, r.y0, 0, -1]);
    if (a.edgeKinds[3] !== 'split') edges.push([(r.x0 + r.x1) / 2, r.y1, 0, 1]);
    if (a.edgeKinds[0] !== 'split' && a.edgeKinds[0] !== 'river') edges.push([r.x0, (r.y0 + r.y1) / 2, -1, 0]);
    if (a.edgeKinds[2] !== 'split' && a.edgeKinds[2] !== 'river') edges.push([r.x1, (r.y0 + r.y1) / 2, 1, 0]);
    for (const [x, y, nx, ny] of edges.slice(0, 2)) {
      poles.push({ id: poleId(), type: 'pole', xM: cm(x + nx * 2.5), yM: cm(y + ny * 2.5), heightM: 10, name: `${a.name}门前智慧杆`, attrs: { lighting: true, mounts: 4, hosts: [] as string[] } });
    }
  }

  // ---------------------------------------------------------------- camera ids, health, networking
  const allCams = [...areaCams, ...streetCams, ...poleCams];
  const unhealthyArea = legacyFirstFlags(rand, areaCams, legacy, 1 - DEMO_TARGETS.cameraHealthyShare);
  const offlineArea = quotaFlags(rand, areaCams, 1 - DEMO_TARGETS.cameraNetworkedShare);
  const street = [...streetCams, ...poleCams];
  const unhealthyStreet = quotaFlags(rand, street, 0.1);
  const offlineStreet = quotaFlags(rand, street, 0.15);
  allCams.forEach((c, i) => {
    const id = `cam-${String(i + 1).padStart(4, '0')}`;
    const inArea = i < areaCams.length;
    const j = i - areaCams.length;
    devices.push(cameraDevice(id, c, !(inArea ? unhealthyArea[i] : unhealthyStreet[j]), !(inArea ? offlineArea[i] : offlineStreet[j])));
    const p = poleOfCam.get(c);
    if (p !== undefined) (poles[p].attrs!.hosts as string[]).push(id);
  });

  // ---------------------------------------------------------------- e-police and signals
  // The stop lines and lane points are the coverage engine's own (sim-core/coverage/epolice.ts), so
  // the cameras are aimed at what will be checked. Each camera hangs on a cantilever over the inbound
  // lanes 22 m upstream of the stop line, facing the junction (so the stop line, the junction and the
  // signal heads are in the picture), and sees every inbound lane's point at the recognition level.
  const stops = buildStopLines(roads);
  const important = Array.from(stops.nodes);
  const score = new Map<number, number>();
  for (const v of important) score.set(v, (net.nodeInfo[v].kind === 'crossing' ? 2 : 0) + (roads.roadNodes.classCode[v] === 1 ? 0.8 : 0) + 1.6 * rand());
  const order = important.map((v, k) => k).sort((a, b) => score.get(important[b])! - score.get(important[a])! || a - b);
  const nFull = Math.round(DEMO_TARGETS.epoliceFullShare * important.length);
  const nBroken = Math.round(DEMO_TARGETS.epoliceBrokenShare * important.length);
  const nPartial = Math.round(DEMO_TARGETS.epolicePartialShare * important.length);
  const epSpec = CAMERA_MODELS.epolice;
  const epRange = maxRangeM(epSpec.resolutionPx[0], epSpec.hfovDeg, DORI_PX_PER_M.recognition);
  const epPose = newPose();
  let ep = 0;
  const epoliceNodes = new Set<number>();
  order.slice(0, nFull + nBroken + nPartial).forEach((k, rank) => {
    const v = important[k];
    epoliceNodes.add(v);
    const approaches: number[] = [];
    for (let a = stops.approachStart[k]; a < stops.approachStart[k + 1]; a++) approaches.push(a);
    const equipped = rank < nFull + nBroken ? approaches : shuffleInPlace(rand, [...approaches]).slice(0, Math.max(1, approaches.length - 2));
    const broken = rank >= nFull && rank < nFull + nBroken ? equipped[Math.floor(rand() * equipped.length)] : -1;
    for (const a of equipped) {
      const li = stops.approachLink[a];
      const [ux, uy] = away(v, li); // from the junction out along the approach (against the traffic)
      const s0 = stops.sampleStart[a], s1 = stops.sampleStart[a + 1];
      let lx = 0, ly = 0;
      for (let i = s0; i < s1; i++) (lx += stops.xM[i]), (ly += stops.yM[i]);
      lx /= s1 - s0;
      ly /= s1 - s0;
      const length = Math.hypot(net.nodes[nodePos.get(links[li].fromId)!].xM - net.nodes[nodePos.get(links[li].toId)!].xM, net.nodes[nodePos.get(links[li].fromId)!].yM - net.nodes[nodePos.get(links[li].toId)!].yM);
      let placed: DeviceInput | null = null;
      for (const back of [22, 18, 15, 12]) {
        if (stops.setbackM[a] + back > length - 2) continue;
        const x = cm(lx + ux * back), y = cm(ly + uy * back);
        const heightM = 6.5;
        const heading = Math.round(bearingDeg(-ux, -uy) * 10) / 10;
        const tilt = Math.round((Math.atan2(heightM - stops.zM[s0], back) * 180) / Math.PI);
        preparePose(specOf('epolice', x, y, heightM, heading, tilt, epSpec), 'preset', epPose);
        let all = true;
        for (let i = s0; i < s1 && all; i++) {
          const dx = stops.xM[i] - x, dy = stops.yM[i] - y, dz = stops.zM[i] - heightM;
          all = dx * dx + dy * dy + dz * dz <= epRange * epRange && inFrustum(epPose, stops.xM[i], stops.yM[i], stops.zM[i]);
        }
        if (!all) continue;
        const { model, ...spec } = epSpec;
        placed = {
          id: '', type: 'epolice', xM: x, yM: y, heightM, headingDeg: heading, tiltDeg: tilt,
          healthy: a !== broken,
          networked: rand() >= 0.08,
          name: `${net.nodes[v].name ?? '路口'} ${compass(bearingDeg(ux, uy))}进口电子警察`,
          attrs: { ...spec, model, doriLevel: 'recognition', nodeId: net.nodes[v].id, approachLinkId: links[li].id, stopLineOffsetM: Math.round(stops.setbackM[a] * 100) / 100 },
        };
        break;
      }
      if (!placed) throw new Error(`default city: no e-police pose sees every lane of approach ${links[li].id} at ${net.nodes[v].id}`);
      placed.id = `ep-${String(++ep).padStart(4, '0')}`;
      devices.push(placed);
    }
  });
  // every junction with e-police has signals (red-light enforcement needs them); other grid crossings
  // are signalized too, except about a quarter of the lesser ones, which are stop-controlled
  const signalized = important.filter((v) => epoliceNodes.has(v) || (net.nodeInfo[v].kind === 'crossing' && (roads.roadNodes.classCode[v] === 1 || rand() >= 0.25)));
  const onCorridor = (v: number) => corridors.some((l) => (l.axis === 'ew' ? Math.abs(net.nodes[v].yM - l.pos) < 0.5 : Math.abs(net.nodes[v].xM - l.pos) < 0.5));
  const wantRealTime = Math.min(signalized.length, Math.round(DEMO_TARGETS.realTimeTimingShare * important.length));
  const rtOrder = [...signalized.filter(onCorridor), ...shuffleInPlace(rand, signalized.filter((v) => !onCorridor(v)))];
  const realTime = new Set(rtOrder.slice(0, wantRealTime));
  const signalizedNodeIds = new Set<string>();
  signalized.forEach((v, k) => {
    const inc = incident.get(v) ?? [];
    const off = Math.max(...inc.map(halfCarriage)) + 3;
    const arterials = inc.filter((li) => net.linkInfo[li].roadClass === 'arterial').length;
    signalizedNodeIds.add(net.nodes[v].id);
    devices.push({
      id: `sig-${String(k + 1).padStart(4, '0')}`,
      type: 'signal',
      xM: cm(net.nodes[v].xM + off), yM: cm(net.nodes[v].yM - off), heightM: 1.5,
      healthy: rand() >= 0.03,
      networked: realTime.has(v) || rand() >= 0.3,
      name: `${net.nodes[v].name ?? '路口'}信号机`,
      attrs: { nodeId: net.nodes[v].id, realTimeTiming: realTime.has(v), cycleS: arterials >= 3 ? 140 : inc.length >= 4 ? 120 : 90, phaseCount: inc.length >= 4 ? 4 : 3 },
    });
  });

  // ---------------------------------------------------------------- 5G
  const nrAreas = areas.filter((a) => a.in5gSet);
  const xs = nrAreas.map((a) => (a.r.x0 + a.r.x1) / 2).sort((p, q) => p - q);
  const zoneX = xs.length ? xs[Math.min(xs.length - 1, Math.floor(DEMO_TARGETS.nrZoneQuantile * xs.length))] : ctx.grid.ext.xMax;
  const { yMin, yMax, xMax } = ctx.grid.ext;
  const rowStep = NR_SITE_SPACING_M * Math.sin(Math.PI / 3);
  let site = 0, sector = 0;
  const addSector = (siteId: string, k: number, x: number, y: number, heightM: number, azimuth: number, band: 'n78' | 'n41', extra: Record<string, unknown>, name: string) => {
    devices.push({
      id: `nr-${String(++sector).padStart(4, '0')}`,
      type: 'cell5g',
      xM: cm(x), yM: cm(y), heightM: cm(heightM),
      headingDeg: azimuth % 360,
      tiltDeg: extra.mount === 'pole' ? 10 : randomInt(rand, 6, 9),
      healthy: rand() >= 0.02,
      networked: true,
      name: `${name} 扇区${k + 1}`,
      attrs: {
        siteId, sectorIndex: k + 1, nrBand: band, bandGHz: band === 'n78' ? 3.5 : 2.6, bandwidthMHz: 100,
        operator: band === 'n78' ? '中国电信/中国联通共建共享' : '中国移动',
        ...extra,
      },
    });
  };
  for (let row = 0; yMin - 50 + row * rowStep <= yMax + 50; row++) {
    const y = yMin - 50 + row * rowStep;
    for (let col = 0; ; col++) {
      const x = zoneX + 150 + (row % 2 ? NR_SITE_SPACING_M / 2 : 0) + col * NR_SITE_SPACING_M;
      if (x > xMax + 50) break;
      const band = (row + col) % 2 === 0 ? 'n78' : 'n41';
      // rooftop on the nearest building of 18 m or more within 150 m, else a street-side monopole
      let host = -1, hostD = 150;
      for (const i of index.near(x, y, 150)) {
        const b = ctx.buildings[i];
        if (b.roofM < 18 || b.use === 'heritage') continue;
        const d = Math.hypot((b.box.x0 + b.box.x1) / 2 - x, (b.box.y0 + b.box.y1) / 2 - y);
        if (d < hostD) {
          hostD = d;
          host = i;
        }
      }
      if (host < 0 && index.occupied(x, y, 3)) continue;
      const siteId = `nr-site-${String(++site).padStart(3, '0')}`;
      // the westmost sites point no sector west (sectors at 90/210/330°), the others anywhere
      const base = col === 0 ? 90 : randomRange(rand, 0, 120);
      for (let k = 0; k < 3; k++) {
        const az = Math.round(base + 120 * k) % 360;
        if (host >= 0) {
          // each sector on the roof edge it faces (no shading by its own roof)
          const b = ctx.buildings[host].box;
          const hx = (b.x0 + b.x1) / 2, hy = (b.y0 + b.y1) / 2;
          const dx = Math.sin((az * Math.PI) / 180), dy = Math.cos((az * Math.PI) / 180);
          const t = Math.min(Math.abs(dx) > 1e-9 ? (rectWidth(b) / 2 - 1) / Math.abs(dx) : Infinity, Math.abs(dy) > 1e-9 ? (rectHeight(b) / 2 - 1) / Math.abs(dy) : Infinity);
          addSector(siteId, k, hx + dx * t, hy + dy * t, ctx.buildings[host].roofM + 5, az, band, { txPowerDbm: 53, antennaGainDbi: 17, mount: 'rooftop', buildingId: ctx.buildingIds[host] }, `${ctx.buildings[host].name ?? '楼顶'}5G站`);
        } else {
          addSector(siteId, k, x, y, 30, az, band, { txPowerDbm: 53, antennaGainDbi: 17, mount: 'tower' }, '景观塔5G站');
        }
      }
    }
  }
  // small cells at a few hot spots far west of the rollout zone
  const hotspotRank: Partial<Record<LayoutKind, number>> = { railway: 4, hospital: 3, coach: 2, courtyard: 1, kite: 1 };
  const hot = nrAreas.filter((a) => hotspotRank[a.layout] && (a.r.x0 + a.r.x1) / 2 < zoneX - 1500).sort((p, q) => hotspotRank[q.layout]! - hotspotRank[p.layout]! || (p.id < q.id ? -1 : 1));
  let micro = 0;
  for (const a of hot) {
    if (micro >= Math.max(1, Math.round(4 * ctx.scale))) break;
    const x = (a.r.x0 + a.r.x1) / 2, y = a.r.y0 + 1;
    if (nrAreas.some((o) => o !== a && rectDistance(o.r, x, y) < 350)) continue;
    const pid = poleId();
    const siteId = `nr-site-${String(++site).padStart(3, '0')}`;
    poles.push({ id: pid, type: 'pole', xM: cm(x), yM: cm(y), heightM: 10, name: `${a.name}智慧杆`, attrs: { lighting: true, mounts: 4, hosts: [`nr-${String(sector + 1).padStart(4, '0')}`] } });
    addSector(siteId, 0, x, y, 9.5, Math.round(bearingDeg(0, 1)), 'n78', { txPowerDbm: 37, antennaGainDbi: 10, mount: 'pole', hostPoleId: pid }, `${a.name}5G微站`);
    micro++;
  }

  // ---------------------------------------------------------------- weather stations
  const st = ctx.frame.toLocal(STATION_54843.lonDeg, STATION_54843.latDeg, [0, 0]) as number[];
  devices.push({
    id: 'wx-54843', type: 'weather', xM: st[0], yM: st[1], heightM: 1.5, name: STATION_54843.name,
    attrs: { wmoId: STATION_54843.wmoId, real: true, stationKind: '国家基本气象站', elevationM: STATION_54843.elevationM, source: 'NOAA NCEI Integrated Surface Database station history (public domain); position to 0.001° (about 100 m)' },
  });
  const { xMin } = ctx.grid.ext;
  const fx = (f: number) => xMin + f * (xMax - xMin), fy = (f: number) => yMin + f * (yMax - yMin);
  const targets: [number, number][] = [[fx(0.3), fy(0.8)], [fx(0.62), fy(0.5)], [fx(0.88), fy(0.2)], [fx(0.5), fy(0.12)]].slice(0, Math.max(1, Math.round(4 * ctx.scale))) as [number, number][];
  const hosts = areas.filter((a) => a.category === 'park_square' || a.category === 'school');
  const usedHosts = new Set<string>();
  let wx = 0;
  for (const [tx, ty] of targets) {
    let best: KeyAreaPlan | null = null, bestD = Infinity;
    for (const a of hosts) {
      if (usedHosts.has(a.id)) continue;
      const d = Math.hypot((a.r.x0 + a.r.x1) / 2 - tx, (a.r.y0 + a.r.y1) / 2 - ty);
      if (d < bestD) {
        bestD = d;
        best = a;
      }
    }
    if (!best) break;
    usedHosts.add(best.id);
    const o = best.open[0];
    // a fenced plot in a corner of the open ground (or its middle when a building stands there)
    const corner = !index.occupied(o.x1 - 6, o.y1 - 6, 3);
    const x = corner ? o.x1 - 6 : (o.x0 + o.x1) / 2, y = corner ? o.y1 - 6 : (o.y0 + o.y1) / 2;
    devices.push({ id: `wx-${String(++wx).padStart(3, '0')}`, type: 'weather', xM: cm(x), yM: cm(y), heightM: 1.5, networked: wx !== 2, name: `${best.name}区域自动气象站`, attrs: { stationKind: '区域自动气象站', elements: ['temperature', 'humidity', 'wind', 'precipitation'] } });
  }
  // one suburban station south-east of the district
  const k = ctx.grid.ext.k;
  devices.push({ id: `wx-${String(++wx).padStart(3, '0')}`, type: 'weather', xM: cm(xMax + 2500 * k), yM: cm(yMin - 1500 * k), heightM: 1.5, name: '城东南区域自动气象站', attrs: { stationKind: '区域自动气象站', elements: ['temperature', 'humidity', 'wind', 'precipitation'] } });

  devices.push(...poles);
  return { devices, signalizedNodeIds, videoUncoveredAreaIds: videoUncovered };
}

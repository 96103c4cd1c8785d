/**
 * What the default city contains and roughly where: anchors of the CBD, the historic quarter and the
 * big parks (as fractions of the district), the blocks kept whole for them, the land use of ordinary
 * lots, and the list of key public areas with their sizes. Counts scale with the district's area.
 *
 * Indicator sets. Most areas are in both the HD-video set and the 5G set. Two kinds are in one set
 * only (a demo assumption, stated in docs/default-city.md):
 * - 城市书房 (24-hour reading rooms, category library) are in the 5G set only: they are small indoor
 *   rooms in other buildings, listed by the 5G statistic of public places but not by the police.
 * - 街头游园 (pocket parks, category park_square) are in the video set only: the police list them as
 *   places where people gather, while the 5G statistic lists named parks and squares.
 */
import type { RandomFn } from '../../random.ts';
import type { SeedKeyAreaCategory } from '../types.ts';
import { rectHeight, rectWidth } from './geometry.ts';
import type { KeyAreaRequest } from './key-areas.ts';
import { EAST, frontEdge, WEST, type Lot } from './lots.ts';
import type { LotUse } from './fill.ts';
import { ordinalZh } from './names.ts';
import { blockKey, riverLine, type Grid } from './roads.ts';

export interface Anchors {
  cbdX: number;
  cbdY: number;
  /** Centre of the older city (walk-up housing thins out away from it). */
  oldCoreX: number;
  oldCoreY: number;
  /** The historic quarter around 十笏园 (west of the river when there is one). */
  historicX: number;
  historicY: number;
  riverX: number | null;
}

const frac = (grid: Grid, fx: number, fy: number): [number, number] => [grid.ext.xMin + fx * (grid.ext.xMax - grid.ext.xMin), grid.ext.yMin + fy * (grid.ext.yMax - grid.ext.yMin)];

export function anchorsOf(grid: Grid): Anchors {
  const [cbdX, cbdY] = frac(grid, 0.72, 0.52);
  const [oldCoreX, oldCoreY] = frac(grid, 0.3, 0.55);
  const river = riverLine(grid);
  const [hx, historicY] = frac(grid, 0.07, 0.55);
  return { cbdX, cbdY, oldCoreX, oldCoreY, historicX: river ? Math.min(hx, river.pos - 200) : hx, historicY, riverX: river ? river.pos : null };
}

/** Blocks kept whole (no 支路) for the railway station, the civic centre, big parks, the amusement park. */
export interface WholeBlocks {
  railway: string | null;
  civic: string | null;
  parks: string[];
  amusement: string | null;
  all: Set<string>;
}

export function chooseWholeBlocks(grid: Grid, anchors: Anchors): WholeBlocks {
  const taken = new Set<string>();
  const nearest = (x: number, y: number, rowFilter?: (j: number) => boolean): string | null => {
    let best: string | null = null, bestD = Infinity;
    for (let j = 0; j + 1 < grid.ew.length; j++) {
      if (rowFilter && !rowFilter(j)) continue;
      for (let i = 0; i + 1 < grid.ns.length; i++) {
        if (grid.ns[i].kind === 'river' || grid.ns[i + 1].kind === 'river') continue;
        const key = blockKey(i, j);
        if (taken.has(key)) continue;
        const d = Math.hypot((grid.ns[i].pos + grid.ns[i + 1].pos) / 2 - x, (grid.ew[j].pos + grid.ew[j + 1].pos) / 2 - y);
        if (d < bestD) {
          bestD = d;
          best = key;
        }
      }
    }
    if (best) taken.add(best);
    return best;
  };
  const railway = nearest(...frac(grid, 0.5, 0), (j) => j === 0);
  const civic = nearest(anchors.cbdX, anchors.cbdY);
  const parks = [nearest(...frac(grid, 0.4, 0.62)), nearest(...frac(grid, 0.6, 0.3)), nearest(...frac(grid, 0.88, 0.82))].filter((k): k is string => k !== null);
  const amusement = nearest(...frac(grid, 0.78, 0.18));
  return { railway, civic, parks, amusement, all: taken };
}

/** Names after the road in front of a lot: 东风街小学, then 东风街第二小学 … */
class RoadNamer {
  private used = new Map<string, number>();
  name(lot: Lot, suffix: string): string {
    const e = frontEdge(lot);
    const road = (e >= 0 ? lot.edgeName[e] : null) ?? lot.edgeName.find((n) => n !== null) ?? '城区';
    const k = (this.used.get(road + suffix) ?? 0) + 1;
    this.used.set(road + suffix, k);
    return k === 1 ? `${road}${suffix}` : `${road}${ordinalZh(k)}${suffix}`;
  }
}

const centreOf = (lot: Lot): [number, number] => [(lot.r.x0 + lot.r.x1) / 2, (lot.r.y0 + lot.r.y1) / 2];

/** The key-area requests for a district of area factor `scale` (1 = the default ~51 km² district). */
export function keyAreaRequests(grid: Grid, anchors: Anchors, whole: WholeBlocks, scale: number): KeyAreaRequest[] {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  const namer = new RoadNamer();
  const reqs: KeyAreaRequest[] = [];
  const west = (lot: Lot) => anchors.riverX !== null && centreOf(lot)[0] < anchors.riverX;
  const inWhole = (lot: Lot) => whole.all.has(blockKey(lot.block.i, lot.block.j));
  /** Ordinary lots only (not the whole blocks kept for special areas). */
  const ordinary = (bonus: (lot: Lot) => number | null = () => 0) => (lot: Lot) => (inWhole(lot) ? null : bonus(lot));
  const near = (x: number, y: number, weight = 3) => ordinary((lot) => {
    const [cx, cy] = centreOf(lot);
    return -weight * Math.hypot(cx - x, cy - y);
  });
  const inBlock = (key: string | null, part?: 'north' | 'south') => (lot: Lot) => {
    if (key === null || blockKey(lot.block.i, lot.block.j) !== key) return null;
    if (!part) return 0;
    const mid = (lot.block.interior.y0 + lot.block.interior.y1) / 2;
    return (part === 'north') === centreOf(lot)[1] > mid ? 0 : null;
  };
  const riverside = (side: 'east' | 'west' | 'any', y: number | null) => ordinary((lot) => {
    const onEast = lot.edge[WEST] === 'river', onWest = lot.edge[EAST] === 'river';
    if (anchors.riverX === null) return y === null ? 0 : -Math.abs(centreOf(lot)[1] - y);
    if (!(side === 'east' ? onEast : side === 'west' ? onWest : onEast || onWest)) return null;
    return y === null ? 0 : -3 * Math.abs(centreOf(lot)[1] - y);
  });
  const historic = (weight = 3) => near(anchors.historicX, anchors.historicY, weight);
  const add = (category: SeedKeyAreaCategory, name: KeyAreaRequest['name'], layout: KeyAreaRequest['layout'], w: number, h: number, where?: KeyAreaRequest['where'], extra: Partial<KeyAreaRequest> = {}) =>
    reqs.push({ category, name, layout, w, h, where, ...extra });

  // landmarks first, at their anchors
  if (whole.railway) add('transport_hub', '潍坊站', 'railway', 200, 150, inBlock(whole.railway), { whole: true, attrs: { mode: 'rail' } });
  if (whole.civic) {
    add('gov_service', '潍坊市民之家（市政务服务中心）', 'civic', 150, 100, inBlock(whole.civic, 'north'), { whole: true });
    add('park_square', '市民广场', 'square', 150, 100, inBlock(whole.civic, 'south'), { whole: true });
  }
  const parkNames = ['人民公园', '虞河公园', '植物园'];
  whole.parks.forEach((key, k) => add('park_square', parkNames[k], 'park', 200, 200, inBlock(key), { whole: true }));
  if (whole.amusement) add('tourist_site', '富华游乐园', 'amusement', 200, 180, inBlock(whole.amusement), { whole: true });
  const kiteY = frac(grid, 0, 0.55)[1];
  // riverside areas take their whole lot so that they keep the river bank
  add('tourist_site', '风筝广场', 'kite', 130, 120, riverside('east', kiteY), { whole: true });
  add('tourist_site', '十笏园', 'courtyard', 130, 110, historic(4));
  add('tourist_site', '潍坊世界风筝博物馆', 'museum', 120, 110, near(anchors.riverX ?? anchors.oldCoreX, kiteY + 400, 2));
  add('tourist_site', '郑板桥纪念馆', 'museum', 95, 85, historic());
  add('tourist_site', '城隍庙', 'courtyard', 95, 85, historic());
  add('tourist_site', '陈介祺故居（万印楼）', 'courtyard', 90, 80, historic());
  add('tourist_site', '潍坊市博物馆', 'museum', 120, 110, near(anchors.cbdX - 1200, anchors.cbdY + 500, 1));
  const riverY = [0.85, 0.3, 0.12].map((f) => frac(grid, 0, f)[1]);
  (['北段', '中段', '南段'] as const).slice(0, n(3)).forEach((part, k) => add('park_square', `白浪河公园（${part}）`, 'park', 120, 120, riverside('any', riverY[k]), { whole: true }));

  add('library', '潍坊市图书馆', 'library', 125, 115, near(anchors.cbdX - 600, anchors.cbdY - 300, 1));
  add('library', '奎文区图书馆', 'library', 110, 100, ordinary((lot) => (west(lot) ? null : 0)));
  add('library', '潍城区图书馆', 'library', 110, 100, anchors.riverX === null ? ordinary() : ordinary((lot) => (west(lot) ? 0 : null)));
  for (let k = 0; k < n(6); k++) add('library', (lot) => namer.name(lot, '城市书房'), 'bookroom', 55, 45, ordinary(), { inVideoSet: false });

  const hospitals: [string, string, ((lot: Lot) => number | null) | undefined][] = [
    ['潍坊市人民医院', '三级甲等', near(anchors.cbdX - 1800, anchors.cbdY + 300, 1)],
    ['潍坊市中医院', '三级甲等', undefined],
    ['潍坊市第二人民医院', '三级', undefined],
    ['奎文区人民医院', '二级', ordinary((lot) => (west(lot) ? null : 0))],
    ['潍城区人民医院', '二级', anchors.riverX === null ? undefined : ordinary((lot) => (west(lot) ? 0 : null))],
    ['潍坊市妇幼保健院', '三级', undefined],
    ['潍坊市第三人民医院', '二级', undefined],
  ];
  for (const [name, grade, where] of hospitals.slice(0, n(7))) add('hospital', name, 'hospital', 190, 175, where ?? ordinary(), { attrs: { grade } });
  for (let k = 0; k < n(11); k++) add('hospital', (lot) => namer.name(lot, '社区卫生服务中心'), 'clinic', 70, 60, ordinary(), { attrs: { grade: '社区' } });

  add('transport_hub', '潍坊汽车总站', 'coach', 160, 130, near(...frac(grid, 0.35, 0.1), 1), { attrs: { mode: 'coach' } });
  if (scale >= 0.5) add('transport_hub', '潍坊汽车东站', 'coach', 160, 130, near(...frac(grid, 0.95, 0.5), 1), { attrs: { mode: 'coach' } });
  for (let k = 0; k < n(7); k++) add('transport_hub', (lot) => namer.name(lot, '公交枢纽站'), 'bushub', 100, 80, ordinary(), { attrs: { mode: 'bus' } });

  for (let k = 0; k < n(14); k++) add('school', () => `潍坊市${ordinalZh(k + 1)}中学`, 'middle', 210, 180, ordinary(), { attrs: { level: 'middle' } });
  for (let k = 0; k < n(52); k++) add('school', (lot) => namer.name(lot, '小学'), 'primary', 145, 135, ordinary(), { attrs: { level: 'primary' } });

  add('gov_service', '奎文区政务服务中心', 'govcentre', 140, 120, ordinary((lot) => (west(lot) ? null : 0)));
  add('gov_service', '潍城区政务服务中心', 'govcentre', 140, 120, anchors.riverX === null ? ordinary() : ordinary((lot) => (west(lot) ? 0 : null)));
  for (let k = 0; k < n(12); k++) add('gov_service', (lot) => namer.name(lot, '街道便民服务中心'), 'service', 70, 60, ordinary());

  for (let k = 0; k < n(12); k++) add('park_square', (lot) => namer.name(lot, '广场'), 'square', 140, 120, ordinary());
  for (let k = 0; k < n(8); k++) add('park_square', (lot) => namer.name(lot, '社区公园'), 'park', 120, 110, ordinary());
  for (let k = 0; k < n(8); k++) add('park_square', (lot) => namer.name(lot, '游园'), 'pocket', 80, 70, ordinary(), { in5gSet: false });
  return reqs;
}

/** Land use of an ordinary lot, from its distance to the anchors plus chance. */
export function chooseLotUse(rand: RandomFn, grid: Grid, anchors: Anchors, lot: Lot): LotUse {
  const [x, y] = centreOf(lot);
  const { xMin, xMax, yMin, yMax } = grid.ext;
  const fx = (x - xMin) / (xMax - xMin), fy = (y - yMin) / (yMax - yMin);
  const k = grid.ext.k;
  const r = rand();
  const dCbd = Math.hypot(x - anchors.cbdX, y - anchors.cbdY);
  const dHist = Math.hypot(x - anchors.historicX, y - anchors.historicY);
  const dOld = Math.hypot(x - anchors.oldCoreX, y - anchors.oldCoreY);
  const small = rectWidth(lot.r) * rectHeight(lot.r) < 9000;
  if (dHist < 650 * Math.max(k, 0.6)) return r < 0.75 ? 'oldtown' : 'walkup';
  if (dCbd < 650) return r < 0.8 ? 'cbd' : 'commercial';
  if (dCbd < 1400) {
    if (r < 0.25) return 'cbd';
    if (r < 0.45) return 'commercial';
    if (r < 0.55) return 'office';
  }
  if (fx > 0.82 && fy < 0.22 && r < 0.65) return 'industrial';
  if (fx < 0.12 && fy > 0.85 && r < 0.4) return 'industrial';
  const r2 = rand();
  if (small) return r2 < 0.5 ? 'commercial' : 'walkup';
  if (r2 < 0.06) return 'office';
  if (r2 < 0.12) return 'commercial';
  const walkupShare = Math.min(0.85, Math.max(0.12, 0.9 - dOld / 3200));
  return rand() < walkupShare ? 'walkup' : 'modern';
}

/** Where 支路 are 30 km/h (historic quarter and old housing) rather than 40 km/h. */
export function slowBranchAt(anchors: Anchors) {
  return (x: number, y: number) => Math.hypot(x - anchors.historicX, y - anchors.historicY) < 900 || Math.hypot(x - anchors.oldCoreX, y - anchors.oldCoreY) < 1500;
}

/** Districts: west of the 白浪河 is 潍城区, east is 奎文区 (as in the real city). */
export function districtOf(anchors: Anchors, x: number): string {
  return anchors.riverX !== null && x < anchors.riverX ? '潍城区' : '奎文区';
}


/**
 * The four planning scopes of the default city, nested: 建成区 (the generated built-up district) ⊂
 * 中心城区 ⊂ 城区 ⊂ 规划区. They are illustrative polygons (chamfered rectangles), not the legal
 * boundaries; 城区 is drawn large enough to hold the real weather station 54843 north of the
 * district and the synthetic suburban stations, as the real 城区 of Weifang does.
 */
import type { ScopeInput } from '../builder.ts';
import type { RandomFn } from '../../random.ts';
import { randomRange } from '../../random.ts';
import { cm, type Rect } from './geometry.ts';
import type { Grid } from './roads.ts';

/**
 * Octagon from a rectangle with corner cuts `cuts` (SW, SE, NE, NW), flat x,y, counter-clockwise.
 * A cut of c removes the corner triangle with legs c.
 */
function octagon(r: Rect, cuts: [number, number, number, number]): number[] {
  const [sw, se, ne, nw] = cuts;
  return [r.x0 + sw, r.y0, r.x1 - se, r.y0, r.x1, r.y0 + se, r.x1, r.y1 - ne, r.x1 - ne, r.y1, r.x0 + nw, r.y1, r.x0, r.y1 - nw, r.x0, r.y0 + sw].map(cm);
}

const grow = (r: Rect, d: number): Rect => ({ x0: r.x0 - d, y0: r.y0 - d, x1: r.x1 + d, y1: r.y1 + d });

/**
 * Builds the scopes. `points` (weather stations outside the district) must fall inside 城区.
 * Nesting holds because each outer rectangle is at least `e` larger on every side than the inner
 * one and its corner cuts are at most 2e (a cut of c only removes points with dx + dy < c).
 */
export function planScopes(rand: RandomFn, grid: Grid, points: [number, number][]): ScopeInput[] {
  const k = grid.ext.k;
  const ns = grid.ns, ew = grid.ew;
  const built: Rect = { x0: ns[0].pos - 200, y0: ew[0].pos - 200, x1: ns[ns.length - 1].pos + 200, y1: ew[ew.length - 1].pos + 200 };
  // buildings start at least 25 m inside the outer grid lines: cuts below 400 m keep them all inside
  const cut = (c: number) => Math.min(390, c * Math.min(1, k));
  const builtCuts: [number, number, number, number] = [cut(randomRange(rand, 150, 380)), cut(randomRange(rand, 150, 380)), cut(randomRange(rand, 150, 380)), cut(randomRange(rand, 150, 380))];
  const centralE = 1500 * k;
  const central = grow(built, centralE);
  let urban = grow(central, 1000 * k);
  for (const [x, y] of points) {
    urban = { x0: Math.min(urban.x0, x - 1500), y0: Math.min(urban.y0, y - 1500), x1: Math.max(urban.x1, x + 1500), y1: Math.max(urban.y1, y + 1500) };
  }
  const planning = grow(urban, 3000 * k);
  const c = (e: number): [number, number, number, number] => [e * randomRange(rand, 0.6, 1.4), e * randomRange(rand, 0.6, 1.4), e * randomRange(rand, 0.6, 1.4), e * randomRange(rand, 0.6, 1.4)];
  const attrs = { illustrative: true, note: '示意范围，非法定边界 (illustrative, not a legal boundary)' };
  return [
    { id: 'scope-urban', kind: '城区', name: '潍坊市城区（示意）', polygons: [[octagon(urban, c(1000 * k))]], attrs },
    { id: 'scope-central', kind: '中心城区', name: '中心城区（示意）', polygons: [[octagon(central, c(1000 * k))]], attrs },
    { id: 'scope-built', kind: '建成区', name: '建成区（示意）', polygons: [[octagon(built, builtCuts)]], attrs },
    { id: 'scope-planning', kind: '规划区', name: '城市规划区（示意）', polygons: [[octagon(planning, c(2000 * k))]], attrs },
  ];
}

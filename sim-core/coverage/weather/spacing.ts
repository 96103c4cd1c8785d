/**
 * Spacing of automatic weather stations over a scope polygon (城区气象自动监测点密度, "小于5公里间距").
 *
 * The seeds state the target as a spacing in km without defining it (DIGEST §a row 7, §Gaps 4), so
 * every usual reading is computed and one of them, chosen by the caller, decides:
 *
 * - **mean spacing** √(A/N) (default): A the scope's area, N the stations inside it. A density stated
 *   as a spacing is the side of the square each station stands for: a square lattice of pitch s has
 *   exactly one station per s², so "density of one station per 5 km spacing" = N/A ≥ 1/25 km⁻². It is
 *   the only reading that is a density, which is what the indicator's name (密度) measures.
 * - **nearest-neighbour spacing**: for every station, the distance to the nearest other station;
 *   its distribution (min, p10, median, mean, p90, max). The decider uses the median.
 * - **covering radius**: the largest distance from any point of the scope to its nearest station, and
 *   where that point is. Exact: the distance to the nearest station is convex on each Voronoi cell,
 *   so its maximum over (cell ∩ polygon) lies at a vertex of that region: a polygon vertex, a Voronoi
 *   vertex inside the polygon (a circumcentre of the Delaunay triangulation, delaunator), or a point
 *   where a Voronoi edge (part of the perpendicular bisector of a Delaunay edge) crosses a polygon
 *   edge. All such candidates are evaluated (extra candidates cannot raise the maximum, because every
 *   point of the scope is a lower bound). To compare with a spacing, the decider uses √2 × radius, the
 *   pitch of the square lattice with that covering radius.
 * - **grid occupancy**: the share of the cells of a k-km grid (default 5 km, anchored at the scope's
 *   south-west bounding-box corner) that hold a station. A cell counts when its centre lies in the
 *   scope or it holds a station of the scope. The decider asks for 100%.
 *
 * Stations outside the scope are left out of N and of the nearest-neighbour distribution; with
 * `neighboursOutside: true` they still count as nearest stations for the covering radius (a station
 * just across the boundary serves the edge of the scope). Distances are planar in the city's local
 * frame (metres; its scale error is < 1.3 ppm within 10 km of the origin and grows as (d/R)²/2 with
 * the distance d from the origin, about 0.1% at 300 km).
 */
import Delaunator from 'delaunator';
import { pointInRing, ringSignedArea } from '../../geom/polygon.ts';

/** A scope as polygons, each a list of open rings (outer first, holes after) of interleaved x,y m. */
export type ScopePolygonsM = Float64Array[][];

export type SpacingMetric = 'mean-spacing' | 'nearest-neighbour-median' | 'covering-radius' | 'grid-occupancy';
export const SPACING_METRICS: readonly SpacingMetric[] = ['mean-spacing', 'nearest-neighbour-median', 'covering-radius', 'grid-occupancy'];

/** The default deciding metric (see the module doc for why). */
export const DEFAULT_SPACING_METRIC: SpacingMetric = 'mean-spacing';
/** Weifang's 2021 target for the 城区 (000:71, 251) and Dezhou's (002:69): under 5 km. */
export const DEFAULT_SPACING_THRESHOLD_KM = 5;

export interface StationInput {
  id: string;
  xM: number;
  yM: number;
}

export interface SpacingOptions {
  metric?: SpacingMetric;
  /** The spacing the network must stay below, km (default 5). */
  thresholdKm?: number;
  /** Cell size of the occupancy grid, km (default = thresholdKm). */
  gridKm?: number;
  /** Let stations outside the scope serve its points in the covering radius (default false). */
  neighboursOutside?: boolean;
}

export interface NearestNeighbourStats {
  /** Per station inside the scope (same order as `stationIds`), km. */
  distancesKm: number[];
  minKm: number;
  p10Km: number;
  medianKm: number;
  meanKm: number;
  p90Km: number;
  maxKm: number;
}

export interface SpacingResult {
  scopeAreaKm2: number;
  /** Stations inside the scope. */
  stationCount: number;
  stationIds: string[];
  /** √(A/N), km; Infinity without stations. */
  meanSpacingKm: number;
  /** Stations needed for the mean spacing to stay below the threshold: ⌈A / threshold²⌉ (strictly below: +1 on equality). */
  stationsForThreshold: number;
  nearestNeighbour: NearestNeighbourStats | null;
  coveringRadius: {
    km: number;
    /** The farthest point of the scope from every station, local metres (null without stations). */
    atXM: number | null;
    atYM: number | null;
    /** Candidate points evaluated. */
    candidates: number;
    /** Pitch of the square lattice with this covering radius, √2 × km. */
    equivalentSpacingKm: number;
  };
  gridOccupancy: { gridKm: number; cells: number; occupied: number; percent: number };
  decision: { metric: SpacingMetric; thresholdKm: number; valueKm: number | null; valuePercent: number | null; meets: boolean; rule: string };
}

/** True when (x, y) lies in the scope (even-odd within each polygon, union over polygons). */
export function pointInScope(scope: ScopePolygonsM, x: number, y: number): boolean {
  for (const poly of scope) {
    let inside = false;
    for (const ring of poly) if (pointInRing(x, y, ring, 0, ring.length / 2)) inside = !inside;
    if (inside) return true;
  }
  return false;
}

/** Area of the scope (outer rings minus holes, summed over polygons), m². */
export function scopeAreaM2(scope: ScopePolygonsM): number {
  let a = 0;
  for (const poly of scope) {
    poly.forEach((ring, r) => {
      const ar = Math.abs(ringSignedArea(ring));
      a += r === 0 ? ar : -ar;
    });
  }
  return a;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function nearestDistance2(px: Float64Array, x: number, y: number): number {
  let best = Infinity;
  for (let i = 0; i < px.length; i += 2) {
    const dx = px[i] - x;
    const dy = px[i + 1] - y;
    const d = dx * dx + dy * dy;
    if (d < best) best = d;
  }
  return best;
}

/**
 * The covering radius of the stations `px` (interleaved x,y) over the scope, exactly (see the module
 * doc). Returns the radius in metres and the farthest point.
 */
export function coveringRadius(scope: ScopePolygonsM, px: Float64Array): { radiusM: number; x: number; y: number; candidates: number } {
  const n = px.length / 2;
  if (n === 0) return { radiusM: Infinity, x: NaN, y: NaN, candidates: 0 };
  let bestD2 = -1;
  let bx = NaN;
  let by = NaN;
  let candidates = 0;
  const consider = (x: number, y: number) => {
    candidates++;
    const d2 = nearestDistance2(px, x, y);
    if (d2 > bestD2) {
      bestD2 = d2;
      bx = x;
      by = y;
    }
  };
  // 1. polygon vertices
  for (const poly of scope) for (const ring of poly) for (let i = 0; i < ring.length; i += 2) consider(ring[i], ring[i + 1]);
  // Delaunay edges (pairs whose bisector may carry a Voronoi edge) and triangles (Voronoi vertices)
  const pairs: number[] = [];
  let triangles: Uint32Array | null = null;
  if (n >= 3) {
    const d = new Delaunator(px);
    if (d.triangles.length > 0) {
      triangles = d.triangles;
      for (let e = 0; e < d.triangles.length; e++) {
        const o = d.halfedges[e];
        if (o !== -1 && o < e) continue; // each edge once
        const i = d.triangles[e];
        const j = d.triangles[e % 3 === 2 ? e - 2 : e + 1];
        pairs.push(i, j);
      }
    }
  }
  if (!triangles) {
    // fewer than 3 stations or all on one line: every pair (a superset of the Voronoi edges)
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push(i, j);
  }
  // 2. Voronoi vertices inside the scope
  if (triangles) {
    for (let t = 0; t < triangles.length; t += 3) {
      const c = circumcentre(px, triangles[t], triangles[t + 1], triangles[t + 2]);
      if (c && pointInScope(scope, c[0], c[1])) consider(c[0], c[1]);
    }
  }
  // 3. bisectors of Delaunay edges crossing polygon edges
  for (let p = 0; p < pairs.length; p += 2) {
    const ax = px[2 * pairs[p]];
    const ay = px[2 * pairs[p] + 1];
    const bxp = px[2 * pairs[p + 1]];
    const byp = px[2 * pairs[p + 1] + 1];
    // bisector: points q with (q − m)·(b − a) = 0, m the midpoint
    const mx = (ax + bxp) / 2;
    const my = (ay + byp) / 2;
    const nx = bxp - ax;
    const ny = byp - ay;
    for (const poly of scope) {
      for (const ring of poly) {
        const m = ring.length / 2;
        for (let i = 0, j = m - 1; i < m; j = i++) {
          const x0 = ring[2 * j];
          const y0 = ring[2 * j + 1];
          const x1 = ring[2 * i];
          const y1 = ring[2 * i + 1];
          const f0 = (x0 - mx) * nx + (y0 - my) * ny;
          const f1 = (x1 - mx) * nx + (y1 - my) * ny;
          if ((f0 > 0 && f1 > 0) || (f0 < 0 && f1 < 0) || f0 === f1) continue;
          const t = f0 / (f0 - f1);
          consider(x0 + t * (x1 - x0), y0 + t * (y1 - y0));
        }
      }
    }
  }
  return { radiusM: Math.sqrt(bestD2), x: bx, y: by, candidates };
}

function circumcentre(px: Float64Array, a: number, b: number, c: number): [number, number] | null {
  const ax = px[2 * a];
  const ay = px[2 * a + 1];
  const bx = px[2 * b] - ax;
  const by = px[2 * b + 1] - ay;
  const cx = px[2 * c] - ax;
  const cy = px[2 * c + 1] - ay;
  const d = 2 * (bx * cy - by * cx);
  if (d === 0) return null;
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  return [ax + (cy * b2 - by * c2) / d, ay + (bx * c2 - cx * b2) / d];
}

/** All spacing metrics of the stations over the scope, and the decision (see the module doc). */
export function stationSpacing(scope: ScopePolygonsM, stations: StationInput[], options: SpacingOptions = {}): SpacingResult {
  const metric = options.metric ?? DEFAULT_SPACING_METRIC;
  if (!SPACING_METRICS.includes(metric)) throw new RangeError(`metric must be one of ${SPACING_METRICS.join(', ')}, got '${String(metric)}'`);
  const thresholdKm = options.thresholdKm ?? DEFAULT_SPACING_THRESHOLD_KM;
  if (!(thresholdKm > 0) || !Number.isFinite(thresholdKm)) throw new RangeError(`thresholdKm must be a positive number, got ${thresholdKm}`);
  const gridKm = options.gridKm ?? thresholdKm;
  if (!(gridKm > 0) || !Number.isFinite(gridKm)) throw new RangeError(`gridKm must be a positive number, got ${gridKm}`);
  const areaM2 = scopeAreaM2(scope);
  if (!(areaM2 > 0)) throw new RangeError('the scope has no area');
  for (const s of stations) {
    if (!Number.isFinite(s.xM) || !Number.isFinite(s.yM)) throw new RangeError(`station '${s.id}' has no finite position`);
  }
  const inside = stations.filter((s) => pointInScope(scope, s.xM, s.yM));
  const n = inside.length;
  const areaKm2 = areaM2 / 1e6;
  const meanSpacingKm = n > 0 ? Math.sqrt(areaKm2 / n) : Infinity;
  const need = areaKm2 / (thresholdKm * thresholdKm);
  const stationsForThreshold = Number.isInteger(need) ? need + 1 : Math.ceil(need);

  // nearest neighbours among the stations inside
  let nearestNeighbour: NearestNeighbourStats | null = null;
  if (n >= 2) {
    const dist = inside.map((a, i) => {
      let best = Infinity;
      inside.forEach((b, j) => {
        if (i !== j) {
          const d = Math.hypot(a.xM - b.xM, a.yM - b.yM);
          if (d < best) best = d;
        }
      });
      return best / 1000;
    });
    const sorted = dist.slice().sort((a, b) => a - b);
    nearestNeighbour = {
      distancesKm: dist,
      minKm: sorted[0],
      p10Km: quantile(sorted, 0.1),
      medianKm: quantile(sorted, 0.5),
      meanKm: dist.reduce((a, b) => a + b, 0) / n,
      p90Km: quantile(sorted, 0.9),
      maxKm: sorted[n - 1],
    };
  }

  // covering radius
  const servers = options.neighboursOutside ? stations : inside;
  const px = new Float64Array(servers.length * 2);
  servers.forEach((s, i) => {
    px[2 * i] = s.xM;
    px[2 * i + 1] = s.yM;
  });
  const cov = coveringRadius(scope, px);

  // grid occupancy
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of scope) {
    for (let i = 0; i < poly[0].length; i += 2) {
      const x = poly[0][i];
      const y = poly[0][i + 1];
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  }
  const g = gridKm * 1000;
  const gx = Math.max(1, Math.ceil((maxX - minX) / g));
  const gy = Math.max(1, Math.ceil((maxY - minY) / g));
  const counted = new Uint8Array(gx * gy);
  const held = new Uint8Array(gx * gy);
  for (let j = 0; j < gy; j++) {
    for (let i = 0; i < gx; i++) if (pointInScope(scope, minX + (i + 0.5) * g, minY + (j + 0.5) * g)) counted[j * gx + i] = 1;
  }
  for (const s of inside) {
    const i = Math.min(gx - 1, Math.floor((s.xM - minX) / g));
    const j = Math.min(gy - 1, Math.floor((s.yM - minY) / g));
    counted[j * gx + i] = 1;
    held[j * gx + i] = 1;
  }
  let cells = 0;
  let occupied = 0;
  for (let k = 0; k < counted.length; k++) {
    cells += counted[k];
    occupied += held[k];
  }
  const percent = cells > 0 ? (100 * occupied) / cells : 0;

  const covKm = cov.radiusM / 1000;
  let valueKm: number | null = null;
  let valuePercent: number | null = null;
  let meets: boolean;
  let rule: string;
  switch (metric) {
    case 'mean-spacing':
      valueKm = meanSpacingKm;
      meets = meanSpacingKm < thresholdKm;
      rule = `√(A/N) < ${thresholdKm} km`;
      break;
    case 'nearest-neighbour-median':
      valueKm = nearestNeighbour ? nearestNeighbour.medianKm : null;
      meets = valueKm !== null && valueKm < thresholdKm;
      rule = `median nearest-neighbour distance < ${thresholdKm} km`;
      break;
    case 'covering-radius':
      valueKm = Math.SQRT2 * covKm;
      meets = valueKm < thresholdKm;
      rule = `√2 × covering radius < ${thresholdKm} km (covering radius < ${(thresholdKm / Math.SQRT2).toFixed(2)} km)`;
      break;
    default:
      valuePercent = percent;
      meets = cells > 0 && occupied === cells;
      rule = `every ${gridKm} km grid cell of the scope holds a station`;
  }
  return {
    scopeAreaKm2: areaKm2,
    stationCount: n,
    stationIds: inside.map((s) => s.id),
    meanSpacingKm,
    stationsForThreshold,
    nearestNeighbour,
    coveringRadius: {
      km: covKm,
      atXM: Number.isFinite(cov.x) ? cov.x : null,
      atYM: Number.isFinite(cov.y) ? cov.y : null,
      candidates: cov.candidates,
      equivalentSpacingKm: Math.SQRT2 * covKm,
    },
    gridOccupancy: { gridKm, cells, occupied, percent },
    decision: { metric, thresholdKm, valueKm, valuePercent, meets, rule },
  };
}

/**
 * Blind spots (盲区): the open ground of each key area that no counting camera sees, as GeoJSON
 * polygons in WGS84 lon/lat, for gap-filling (盲区补点).
 *
 * Each unseen sample stands for its grid cell (gridM × gridM around it). Per area, unseen cells are
 * merged into rectangles (runs along a row, stacked over identical runs in the next rows), the
 * rectangles are unioned with polyclip-ts, clipped to the area polygon and the footprints of
 * ground-standing buildings are cut out. So the polygons follow the area's boundary and the buildings
 * exactly, and the grid elsewhere (a staircase at gridM resolution). An area represented by a single
 * point (smaller than a cell) is a blind spot as a whole when its point is unseen.
 */
import { difference, intersection, union, type Geom } from 'polyclip-ts';
import { LocalFrame } from '../cim/frame.ts';
import type { City } from '../cim/types.ts';
import { tablePolygonBBox } from '../geom/polygon.ts';
import type { PrismIndex } from '../spatial/prism-index.ts';
import type { AreaSamples } from './areas.ts';

type Ring = [number, number][];
type Poly = Ring[];

export interface BlindSpotFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: {
    layer: 'blind-spot';
    areaId: string;
    areaName: string | null;
    category: string;
    /** Unseen samples of the area. */
    unseenSamples: number;
    sampleCount: number;
    /** Unseen share of the area's open-ground samples, percent. */
    unseenPercent: number;
    /** Area of the blind-spot polygons, m² (local frame). */
    areaM2: number;
    /**
     * False when polygon clipping failed on this area and the polygons are the grid cells of the unseen
     * samples, not clipped to the area or cut around buildings (they then overhang by up to half a cell).
     */
    exact: boolean;
  };
}

export interface BlindSpotCollection {
  type: 'FeatureCollection';
  features: BlindSpotFeature[];
}

/** Polygon `f` of a flat table as polyclip rings (closed). */
function tablePoly(ringStart: Uint32Array, vertexStart: Uint32Array, xy: Float64Array, f: number): Poly {
  const poly: Poly = [];
  for (let r = ringStart[f]; r < ringStart[f + 1]; r++) {
    const ring: Ring = [];
    for (let v = vertexStart[r]; v < vertexStart[r + 1]; v++) ring.push([mm(xy[2 * v]), mm(xy[2 * v + 1])]);
    ring.push([ring[0][0], ring[0][1]]);
    poly.push(ring);
  }
  return poly;
}

/**
 * Coordinates go to polyclip rounded to the millimetre: a cell edge and an area edge that should
 * coincide (232 vs 232.0000000001 after a lon/lat round trip) then coincide exactly, which polyclip's
 * exact arithmetic handles, instead of nearly, which it may fail on.
 */
const mm = (v: number) => Math.round(v * 1000) / 1000;

const rectPoly = (x0: number, y0: number, x1: number, y1: number): Poly => [[[mm(x0), mm(y0)], [mm(x1), mm(y0)], [mm(x1), mm(y1)], [mm(x0), mm(y1)], [mm(x0), mm(y0)]]];

function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(s / 2);
}

/** Area of a polyclip multipolygon (outer rings minus holes), m². */
function multiArea(mp: Poly[]): number {
  let a = 0;
  for (const p of mp) p.forEach((ring, k) => (a += k === 0 ? ringArea(ring) : -ringArea(ring)));
  return a;
}

/**
 * Unseen cells of slot `slot` merged into rectangles: runs of consecutive cells along each row, and a
 * run stacked onto the previous row's identical run. Samples are stored row by row (j, then i).
 */
function unseenRectangles(samples: AreaSamples, slot: number, seen: ArrayLike<number>): Poly[] {
  const g = samples.gridM;
  const open = new Map<string, number[]>(); // "i0:i1" → [i0, i1, j0, j1] still growing
  const done: number[][] = [];
  let row = Number.NaN;
  let rowRuns: number[][] = [];
  const closeRow = () => {
    const next = new Map<string, number[]>();
    for (const [i0, i1] of rowRuns) {
      const key = `${i0}:${i1}`;
      const prev = open.get(key);
      if (prev && prev[3] === row - 1) {
        prev[3] = row;
        next.set(key, prev);
        open.delete(key);
      } else next.set(key, [i0, i1, row, row]);
    }
    for (const r of open.values()) done.push(r);
    open.clear();
    for (const [k, v] of next) open.set(k, v);
    rowRuns = [];
  };
  for (let s = samples.areaStart[slot]; s < samples.areaStart[slot + 1]; s++) {
    if (seen[s] > 0) continue;
    const i = samples.cellI[s], j = samples.cellJ[s];
    if (j !== row) {
      if (!Number.isNaN(row)) closeRow();
      row = j;
    }
    const last = rowRuns[rowRuns.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else rowRuns.push([i, i]);
  }
  if (!Number.isNaN(row)) {
    closeRow();
    for (const r of open.values()) done.push(r);
  }
  return done.map(([i0, i1, j0, j1]) => rectPoly(i0 * g, j0 * g, (i1 + 1) * g, (j1 + 1) * g));
}

/**
 * Blind-spot polygons of every sampled area with unseen samples. `seen[s] > 0` marks sample `s` seen
 * (a session's `areaSeen`). Polygons are in WGS84 lon/lat (via the city's {@link LocalFrame}).
 */
export function blindSpots(city: City, samples: AreaSamples, seen: ArrayLike<number>, prisms: PrismIndex): BlindSpotCollection {
  const ka = city.keyAreas;
  const frame = new LocalFrame(city.origin);
  const features: BlindSpotFeature[] = [];
  const bb = new Float64Array(4);
  const p = [0, 0];
  for (let slot = 0; slot < samples.areas.length; slot++) {
    const a = samples.areas[slot];
    const n = samples.areaStart[slot + 1] - samples.areaStart[slot];
    let unseen = 0;
    for (let s = samples.areaStart[slot]; s < samples.areaStart[slot + 1]; s++) if (!(seen[s] > 0)) unseen++;
    if (n === 0 || unseen === 0) continue;
    const areaPoly = tablePoly(ka.ringStart, ka.vertexStart, ka.xyM, a);
    const rects = samples.representative[slot] ? [areaPoly] : unseenRectangles(samples, slot, seen);
    let shape: Poly[];
    let exact = true;
    try {
      const cells: Geom = rects.length === 1 ? rects[0] : union(rects[0], ...rects.slice(1));
      shape = intersection(cells, areaPoly);
      // Cut out the footprints of ground-standing buildings over the area.
      tablePolygonBBox(ka.ringStart, ka.vertexStart, ka.xyM, a, bb);
      const holes: Poly[] = [];
      if (prisms.tree) {
        for (const k of prisms.tree.search(bb[0], bb[1], bb[2], bb[3])) {
          if (prisms.baseM[k] <= 0) holes.push(tablePoly(prisms.ringStart, prisms.vertexStart, prisms.xyM, k));
        }
      }
      if (holes.length && shape.length) shape = difference(shape, ...holes);
    } catch {
      // polyclip could not close a ring on this input: fall back to the unclipped cell union, or the cells.
      exact = false;
      try {
        shape = rects.length === 1 ? [rects[0]] : union(rects[0], ...rects.slice(1));
      } catch {
        shape = rects;
      }
    }
    if (!shape.length) continue;
    const coordinates = shape.map((poly) =>
      poly.map((ring) =>
        ring.map(([x, y]) => {
          frame.toLngLat(x, y, p);
          return [round9(p[0]), round9(p[1])];
        }),
      ),
    );
    features.push({
      type: 'Feature',
      id: `blind-${ka.ids[a]}`,
      geometry: { type: 'MultiPolygon', coordinates },
      properties: {
        layer: 'blind-spot',
        areaId: ka.ids[a],
        areaName: ka.names[a],
        category: ka.category[a],
        unseenSamples: unseen,
        sampleCount: n,
        unseenPercent: Math.round((1e6 * 100 * unseen) / n) / 1e6,
        areaM2: Math.round(multiArea(shape) * 100) / 100,
        exact,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** 1e-9° ≈ 0.1 mm. */
const round9 = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * Blind spots (盲区): the open ground of each key area that no counting camera sees, as GeoJSON
 * polygons in WGS84 lon/lat, for gap-filling (盲区补点).
 *
 * Each unseen sample stands for its grid cell (gridM × gridM around it). Per area, the outline of the
 * unseen cells is traced exactly on the grid (areas-cell-outline.ts): a staircase at gridM resolution
 * that may overhang the area's edge and building walls by up to half a cell, exactly as the samples
 * do. With `clip`, the outline is also clipped to the area polygon and the footprints of
 * ground-standing buildings are cut out with polyclip-ts, so the polygons follow those edges exactly
 * (about ten times slower: polyclip-ts works in arbitrary precision). An area represented by a single
 * point (smaller than a cell) is a blind spot as a whole when its point is unseen.
 */
import { difference, intersection } from 'polyclip-ts';
import { LocalFrame } from '../cim/frame.ts';
import type { City } from '../cim/types.ts';
import { tablePolygonBBox, tablePolygonParts } from '../geom/polygon.ts';
import type { PrismIndex } from '../spatial/prism-index.ts';
import type { AreaSamples } from './areas.ts';
import { outlineCells, pairsSignedArea } from './areas-cell-outline.ts';

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
     * True when the outline follows the area's edge and the building walls exactly (clipped with
     * polyclip-ts); false for the grid outline (clipping not asked for, or polyclip failed on this
     * area), which may overhang those edges by up to half a cell.
     */
    exact: boolean;
  };
}

export interface BlindSpotCollection {
  type: 'FeatureCollection';
  features: BlindSpotFeature[];
}

/** Polygon `f` of a flat table (one outer ring and its holes) as polyclip rings (closed). */
function tablePoly(ringStart: Uint32Array, vertexStart: Uint32Array, xy: Float64Array, f: number): Poly {
  return ringsPoly(vertexStart, xy, ringStart[f], ringStart[f + 1]);
}

/** Feature `f` of a flat table as polyclip polygons, one per outer ring (a multi-part key area gives several). */
function tableMultiPoly(ringStart: Uint32Array, vertexStart: Uint32Array, xy: Float64Array, f: number): Poly[] {
  const parts = tablePolygonParts(ringStart, vertexStart, xy, f);
  const out: Poly[] = [];
  for (let k = 0; k + 1 < parts.length; k++) out.push(ringsPoly(vertexStart, xy, parts[k], parts[k + 1]));
  return out;
}

/** Rings r0 … r1−1 of a flat table as polyclip rings (closed). */
function ringsPoly(vertexStart: Uint32Array, xy: Float64Array, r0: number, r1: number): Poly {
  const poly: Poly = [];
  for (let r = r0; r < r1; r++) {
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


/** Area of a polyclip multipolygon (outer rings minus holes), m². */
function multiArea(mp: Poly[]): number {
  let a = 0;
  for (const p of mp) p.forEach((ring, k) => (a += (k === 0 ? 1 : -1) * Math.abs(pairsSignedArea(ring))));
  return a;
}

/** Outline of the unseen cells of slot `slot` (traced exactly on the grid), in local metres. */
function unseenOutline(samples: AreaSamples, slot: number, seen: ArrayLike<number>): Poly[] {
  const g = samples.gridM;
  let i0 = Infinity, j0 = Infinity, i1 = -Infinity, j1 = -Infinity;
  for (let s = samples.areaStart[slot]; s < samples.areaStart[slot + 1]; s++) {
    if (seen[s] > 0) continue;
    const i = samples.cellI[s], j = samples.cellJ[s];
    if (i < i0) i0 = i;
    if (i > i1) i1 = i;
    if (j < j0) j0 = j;
    if (j > j1) j1 = j;
  }
  if (i0 > i1) return [];
  const w = i1 - i0 + 1, h = j1 - j0 + 1;
  const filled = new Uint8Array(w * h);
  for (let s = samples.areaStart[slot]; s < samples.areaStart[slot + 1]; s++) if (!(seen[s] > 0)) filled[(samples.cellJ[s] - j0) * w + (samples.cellI[s] - i0)] = 1;
  return outlineCells(filled, w, h).map((poly) =>
    poly.map((ring) => {
      const r: Ring = ring.map(([x, y]) => [mm((x + i0) * g), mm((y + j0) * g)]);
      r.push([r[0][0], r[0][1]]);
      return r;
    }),
  );
}

/**
 * Blind-spot polygons of every sampled area with unseen samples. `seen[s] > 0` marks sample `s` seen
 * (a session's `areaSeen`). Polygons are in WGS84 lon/lat (via the city's {@link LocalFrame}).
 */
export function blindSpots(city: City, samples: AreaSamples, seen: ArrayLike<number>, prisms: PrismIndex, options: { clip?: boolean } = {}): BlindSpotCollection {
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
    const areaPoly = tableMultiPoly(ka.ringStart, ka.vertexStart, ka.xyM, a);
    const cells: Poly[] = samples.representative[slot] ? areaPoly : unseenOutline(samples, slot, seen);
    let shape: Poly[] = cells;
    let clipped = false;
    if (options.clip) try {
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
      clipped = true;
    } catch {
      // polyclip could not close a ring on this input: keep the unclipped outline of the cells.
      shape = cells;
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
        exact: clipped,
      },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** 1e-9° ≈ 0.1 mm. */
const round9 = (v: number) => Math.round(v * 1e9) / 1e9;

/**
 * Key-area sampling and the rule that makes an area count as covered.
 *
 * DB37/T 3890 counts **areas**, not square metres (城市重点公共区域高清视频监控覆盖率 = covered areas ÷
 * areas, seed 001@14141), and never says what makes one area "covered" (DIGEST §0, §e.2). We sample the
 * open ground of each key area — its polygon minus the footprints of buildings standing on the ground —
 * on a square grid, and call the area covered when at least `rulePercent` of its samples are seen.
 *
 * **The grid** is global: sample (i, j) sits at ((i + ½)·gridM, (j + ½)·gridM) in the local frame, so
 * neighbouring areas share one lattice and uncovered cells merge cleanly into blind-spot polygons. A
 * sample belongs to an area when its point is inside the area polygon (even-odd over all rings: holes
 * excluded, every part of a multi-part area included, so such an area is sampled and counted once) and
 * not inside a ground-standing building (`PrismIndex.buildingAt(x, y, 0)`; the ground under a raised
 * part with base > 0 stays open). Overlapping areas each get their own samples at a shared point.
 * An area too small to hold a grid point gets one sample at the first open point of a grid four
 * times finer (then `representative` is set); an area with no open ground at all gets none and can
 * never count as covered.
 *
 * **The default rule** (a project choice, stated because the standard is silent): an area is covered
 * when ≥ 80% of its open-ground samples are seen at the IEC 62676-4 *observation* level (62 px/m) by a
 * healthy HD camera. 80% mirrors the ★3 threshold of the indicator itself (80%以上) and leaves room
 * for corners no practical layout reaches; observation is the level at which an operator can follow
 * what a person is doing, the usual purpose of public-area surveillance. Both numbers are options.
 */
import type { City } from '../cim/types.ts';
import { pointInTablePolygon, tablePolygonArea, tablePolygonBBox } from '../geom/polygon.ts';
import type { PrismIndex } from '../spatial/prism-index.ts';

/** Which key areas are sampled. */
export type AreaSet = 'video' | 'nr5g' | 'all';

export interface AreaSamplingOptions {
  /** Grid spacing, metres (default 2). */
  gridM?: number;
  /** Height of the target above the ground, metres (default 0: ground points). */
  targetHeightM?: number;
  /** Which areas: the HD-video set (default), the 5G set, or all. */
  areaSet?: AreaSet;
}

export const DEFAULT_GRID_M = 2;

/** Samples of key-area open ground, grouped by area (CSR), in flat typed arrays. */
export interface AreaSamples {
  gridM: number;
  targetHeightM: number;
  areaSet: AreaSet;
  /** Total number of samples. */
  count: number;
  xM: Float64Array;
  yM: Float64Array;
  /** Grid cell of each sample (the sample is the cell's centre, unless its area is `representative`). */
  cellI: Int32Array;
  cellJ: Int32Array;
  /** Slot (index into `areas`) of each sample. */
  slot: Uint32Array;
  /** City key-area index of each slot. */
  areas: Uint32Array;
  /** Samples of slot k are areaStart[k] … areaStart[k+1] − 1. */
  areaStart: Uint32Array;
  /** For each city key area, its slot or −1 when not sampled. */
  slotOfArea: Int32Array;
  /** 1 when the slot's only sample is a representative point (area smaller than a grid cell). */
  representative: Uint8Array;
  /** Polygon area of each slot, m². */
  polygonM2: Float64Array;
}

/** True when key area `a` belongs to `set`. */
export function inAreaSet(city: City, a: number, set: AreaSet): boolean {
  if (set === 'all') return true;
  return set === 'video' ? city.keyAreas.inVideoSet[a] === 1 : city.keyAreas.in5gSet[a] === 1;
}

/** Samples the open ground of the key areas of `city` (see the module doc). */
export function sampleKeyAreas(city: City, prisms: PrismIndex, options: AreaSamplingOptions = {}): AreaSamples {
  const gridM = options.gridM ?? DEFAULT_GRID_M;
  const targetHeightM = options.targetHeightM ?? 0;
  const areaSet = options.areaSet ?? 'video';
  if (!(gridM > 0) || !Number.isFinite(gridM)) throw new RangeError(`gridM must be a positive number of metres, got ${gridM}`);
  if (!(targetHeightM >= 0) || !Number.isFinite(targetHeightM)) throw new RangeError(`targetHeightM must be ≥ 0 m, got ${targetHeightM}`);
  const ka = city.keyAreas;
  const xs: number[] = [], ys: number[] = [], ci: number[] = [], cj: number[] = [], slots: number[] = [];
  const areas: number[] = [], starts: number[] = [0], repr: number[] = [], polyM2: number[] = [];
  const slotOfArea = new Int32Array(ka.count).fill(-1);
  const bbox = new Float64Array(4);
  for (let a = 0; a < ka.count; a++) {
    if (!inAreaSet(city, a, areaSet)) continue;
    const slot = areas.length;
    slotOfArea[a] = slot;
    areas.push(a);
    polyM2.push(tablePolygonArea(ka.ringStart, ka.vertexStart, ka.xyM, a));
    tablePolygonBBox(ka.ringStart, ka.vertexStart, ka.xyM, a, bbox);
    const i0 = Math.ceil(bbox[0] / gridM - 0.5), i1 = Math.floor(bbox[2] / gridM - 0.5);
    const j0 = Math.ceil(bbox[1] / gridM - 0.5), j1 = Math.floor(bbox[3] / gridM - 0.5);
    const before = xs.length;
    for (let j = j0; j <= j1; j++) {
      const y = (j + 0.5) * gridM;
      for (let i = i0; i <= i1; i++) {
        const x = (i + 0.5) * gridM;
        if (!pointInTablePolygon(x, y, ka.ringStart, ka.vertexStart, ka.xyM, a)) continue;
        if (prisms.buildingAt(x, y, 0) >= 0) continue;
        xs.push(x);
        ys.push(y);
        ci.push(i);
        cj.push(j);
        slots.push(slot);
      }
    }
    let isRepr = 0;
    if (xs.length === before) {
      // Smaller than a grid cell (or all built over at this spacing): look on a grid four times finer.
      const f = gridM / 4;
      search: for (let y = bbox[1] + f / 2; y < bbox[3]; y += f) {
        for (let x = bbox[0] + f / 2; x < bbox[2]; x += f) {
          if (!pointInTablePolygon(x, y, ka.ringStart, ka.vertexStart, ka.xyM, a) || prisms.buildingAt(x, y, 0) >= 0) continue;
          xs.push(x);
          ys.push(y);
          ci.push(Math.floor(x / gridM));
          cj.push(Math.floor(y / gridM));
          slots.push(slot);
          isRepr = 1;
          break search;
        }
      }
    }
    repr.push(isRepr);
    starts.push(xs.length);
  }
  return {
    gridM,
    targetHeightM,
    areaSet,
    count: xs.length,
    xM: Float64Array.from(xs),
    yM: Float64Array.from(ys),
    cellI: Int32Array.from(ci),
    cellJ: Int32Array.from(cj),
    slot: Uint32Array.from(slots),
    areas: Uint32Array.from(areas),
    areaStart: Uint32Array.from(starts),
    slotOfArea,
    representative: Uint8Array.from(repr),
    polygonM2: Float64Array.from(polyM2),
  };
}

/** The configurable rule that makes an area count as covered. */
export interface AreaRule {
  /** Minimum share of open-ground samples seen, percent (default 80). */
  rulePercent: number;
}
export const DEFAULT_AREA_RULE: AreaRule = { rulePercent: 80 };

/** Whether an area with `covered` of `total` samples seen counts as covered under `rule`. */
export function areaCountsAsCovered(covered: number, total: number, rule: AreaRule = DEFAULT_AREA_RULE): boolean {
  // Integer-safe form of covered / total ≥ rulePercent / 100.
  return total > 0 && covered * 100 >= rule.rulePercent * total - 1e-9;
}

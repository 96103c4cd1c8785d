/**
 * 5G coverage of key public areas (城区重点公共区域5G网络覆盖率 = covered areas ÷ areas of the 5G set,
 * counted by areas, seed 001@15279) with incremental what-if edits of single cells.
 *
 * Samples: the open ground of every key area of the **5G set** (`in5gSet`), on the shared global grid
 * of sim-core/coverage/areas.ts (`sampleKeyAreas`, default spacing 5 m here: SS-RSRP varies over tens
 * of metres, and a 1 km² park then holds 40,000 samples). Only outdoor samples: the indicator asks
 * whether the public area has 5G, and the open ground is where the public is.
 *
 * **The default rule** (a project choice; DB37/T 3890 does not say what "5G coverage" of an area is,
 * DIGEST §Gaps 2): an area is covered when ≥ 95% of its open-ground samples receive SS-RSRP ≥ −105 dBm
 * from some healthy cell. −105 dBm is the edge that Chinese operators' drive-test practice uses between
 * a "middle" and a "poor" point (RSRP −95 … −105 dBm middle, −105 … −115 dBm poor; the grading quoted
 * e.g. by C114 forum posts on NR signal strength), i.e. the weakest level still counted as usable
 * coverage; 95% is the usual area-coverage probability of coverage planning (a 5% outage). Optionally a
 * sample must also reach SS-SINR ≥ `sinrThresholdDb` (−3 dB is the common companion criterion); then
 * the model computes SINR. All three numbers are options.
 */
import type { City } from '../../cim/types.ts';
import { sampleKeyAreas, areaCountsAsCovered, type AreaSamples } from '../areas.ts';
import type { PrismIndex } from '../../spatial/prism-index.ts';
import { cellSpecsFromCity, type CellSpec } from './cells.ts';
import { NrCoverageModel, NrSampleSet, DEFAULT_MAX_RADIUS_M } from './model.ts';

export interface Nr5gAreaOptions {
  /** Key-area sample spacing, m (default 5). */
  gridM?: number;
  /** SS-RSRP a sample needs, dBm (default −105). */
  rsrpThresholdDbm?: number;
  /** Share of an area's samples that must pass, percent (default 95). */
  rulePercent?: number;
  /** SS-SINR a sample needs too, dB; null (default) = no SINR condition. */
  sinrThresholdDb?: number | null;
  /** Cell reach, m (default 1500). */
  maxRadiusM?: number;
  /** UE height, m (default 1.5). */
  hUtM?: number;
  /** Cells to use instead of the city's healthy `cell5g` devices. */
  cells?: CellSpec[];
}

export interface ResolvedNr5gAreaOptions {
  gridM: number;
  rsrpThresholdDbm: number;
  rulePercent: number;
  sinrThresholdDb: number | null;
  maxRadiusM: number;
  hUtM: number;
}

export const DEFAULT_NR5G_AREA_OPTIONS: ResolvedNr5gAreaOptions = {
  gridM: 5,
  rsrpThresholdDbm: -105,
  rulePercent: 95,
  sinrThresholdDb: null,
  maxRadiusM: DEFAULT_MAX_RADIUS_M,
  hUtM: 1.5,
};

/** Result of one key area of the 5G set. */
export interface Nr5gAreaResult {
  /** City key-area index. */
  area: number;
  samples: number;
  coveredSamples: number;
  coveredPercent: number;
  covered: boolean;
}

/** Key-area 5G coverage with incremental cell edits. */
export class Nr5gAreaSession {
  readonly city: City;
  readonly options: ResolvedNr5gAreaOptions;
  readonly samples: AreaSamples;
  readonly model: NrCoverageModel;
  readonly set: NrSampleSet;
  /** Per area slot: covered samples. */
  private readonly coveredCount: Uint32Array;
  /** Per area slot: sample bounding box (for finding the slots an edit touches). */
  private readonly slotBox: Float64Array;

  constructor(city: City, prisms: PrismIndex, options: Nr5gAreaOptions = {}) {
    const o: ResolvedNr5gAreaOptions = {
      gridM: options.gridM ?? DEFAULT_NR5G_AREA_OPTIONS.gridM,
      rsrpThresholdDbm: options.rsrpThresholdDbm ?? DEFAULT_NR5G_AREA_OPTIONS.rsrpThresholdDbm,
      rulePercent: options.rulePercent ?? DEFAULT_NR5G_AREA_OPTIONS.rulePercent,
      sinrThresholdDb: options.sinrThresholdDb ?? null,
      maxRadiusM: options.maxRadiusM ?? DEFAULT_NR5G_AREA_OPTIONS.maxRadiusM,
      hUtM: options.hUtM ?? DEFAULT_NR5G_AREA_OPTIONS.hUtM,
    };
    if (!Number.isFinite(o.rsrpThresholdDbm) || o.rsrpThresholdDbm > 0 || o.rsrpThresholdDbm < -160) throw new RangeError(`rsrpThresholdDbm must be in [−160, 0] dBm, got ${o.rsrpThresholdDbm}`);
    if (!(o.rulePercent > 0 && o.rulePercent <= 100)) throw new RangeError(`rulePercent must be in (0, 100], got ${o.rulePercent}`);
    if (o.sinrThresholdDb !== null && !Number.isFinite(o.sinrThresholdDb)) throw new RangeError(`sinrThresholdDb must be a number or null, got ${o.sinrThresholdDb}`);
    this.city = city;
    this.options = o;
    this.samples = sampleKeyAreas(city, prisms, { gridM: o.gridM, areaSet: 'nr5g' });
    const s = this.samples;
    const xy = new Float64Array(2 * s.count);
    for (let k = 0; k < s.count; k++) {
      xy[2 * k] = s.xM[k];
      xy[2 * k + 1] = s.yM[k];
    }
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let k = 0; k < s.count; k++) {
      minX = Math.min(minX, s.xM[k]);
      maxX = Math.max(maxX, s.xM[k]);
      minY = Math.min(minY, s.yM[k]);
      maxY = Math.max(maxY, s.yM[k]);
    }
    if (s.count === 0) {
      minX = minY = 0;
      maxX = maxY = 1;
    }
    this.model = new NrCoverageModel(prisms, {
      extent: { minX: minX - 1, minY: minY - 1, maxX: maxX + 1, maxY: maxY + 1 },
      maxRadiusM: o.maxRadiusM,
      hUtM: o.hUtM,
      sinr: o.sinrThresholdDb !== null,
    });
    this.model.setCells(options.cells ?? cellSpecsFromCity(city));
    this.set = this.model.addSampleSet(NrSampleSet.fromPoints(xy, prisms));
    const slots = s.areas.length;
    this.coveredCount = new Uint32Array(slots);
    this.slotBox = new Float64Array(4 * slots);
    for (let k = 0; k < slots; k++) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let j = s.areaStart[k]; j < s.areaStart[k + 1]; j++) {
        x0 = Math.min(x0, s.xM[j]);
        x1 = Math.max(x1, s.xM[j]);
        y0 = Math.min(y0, s.yM[j]);
        y1 = Math.max(y1, s.yM[j]);
      }
      this.slotBox.set([x0, y0, x1, y1], 4 * k);
    }
    this.model.compute();
    for (let k = 0; k < slots; k++) this.recount(k);
  }

  /** Whether sample `k` passes the sample rule. */
  sampleCovered(k: number): boolean {
    const v = this.set.rsrpDbm[k];
    if (!(v >= this.options.rsrpThresholdDbm)) return false;
    if (this.options.sinrThresholdDb === null) return true;
    const sinr = (this.set.sinrDb as Float32Array)[k];
    return sinr >= this.options.sinrThresholdDb;
  }

  private recount(slot: number) {
    let c = 0;
    for (let k = this.samples.areaStart[slot]; k < this.samples.areaStart[slot + 1]; k++) if (this.sampleCovered(k)) c++;
    this.coveredCount[slot] = c;
  }

  /** Per-area results, in slot order (the 5G-set areas in city order). */
  areaResults(): Nr5gAreaResult[] {
    const s = this.samples;
    const out: Nr5gAreaResult[] = [];
    for (let k = 0; k < s.areas.length; k++) {
      const total = s.areaStart[k + 1] - s.areaStart[k];
      const covered = this.coveredCount[k];
      out.push({
        area: s.areas[k],
        samples: total,
        coveredSamples: covered,
        coveredPercent: total > 0 ? (100 * covered) / total : 0,
        covered: areaCountsAsCovered(covered, total, { rulePercent: this.options.rulePercent }),
      });
    }
    return out;
  }

  /** Covered areas and areas of the 5G set. */
  counts(): { covered: number; total: number } {
    let covered = 0;
    for (const r of this.areaResults()) if (r.covered) covered++;
    return { covered, total: this.samples.areas.length };
  }

  /** Per-sample pass flags (1 = passes the sample rule), for the hole layer. */
  coveredFlags(): Uint8Array {
    const out = new Uint8Array(this.samples.count);
    for (let k = 0; k < out.length; k++) out[k] = this.sampleCovered(k) ? 1 : 0;
    return out;
  }

  /** Adds, moves or retunes one cell; updates samples in reach and the areas they belong to. */
  setCell(spec: CellSpec): { touchedSamples: number; areasRecounted: number } {
    const old = this.model.getCell(spec.id);
    const r = this.model.setCell(spec);
    const cell = this.model.getCell(spec.id);
    return { touchedSamples: r.touched, areasRecounted: this.recountNear([old, cell]) };
  }

  /** Removes one cell; updates samples in reach and the areas they belong to. */
  removeCell(id: string): { touchedSamples: number; areasRecounted: number } {
    const old = this.model.getCell(id);
    const r = this.model.removeCell(id);
    return { touchedSamples: r.touched, areasRecounted: this.recountNear([old]) };
  }

  private recountNear(cells: ({ xM: number; yM: number } | undefined)[]): number {
    const r = this.options.maxRadiusM;
    let n = 0;
    for (let k = 0; k < this.samples.areas.length; k++) {
      const b = this.slotBox.subarray(4 * k, 4 * k + 4);
      const near = cells.some((c) => c && c.xM + r >= b[0] && c.xM - r <= b[2] && c.yM + r >= b[1] && c.yM - r <= b[3]);
      if (near) {
        this.recount(k);
        n++;
      }
    }
    return n;
  }
}

/**
 * SimulationSession: one city, its device inventory and the coverage models kept up to date edit by
 * edit — what a worker holds for an interactive what-if.
 *
 * - Cameras: the incremental {@link CoverageSession} (HD video coverage of the video-set key areas,
 *   camera 完好率 / 联网率, e-police coverage of important intersections).
 * - 5G cells: the incremental {@link Nr5gAreaSession} (5G coverage of the 5G-set key areas), optional.
 * - Indicators: the values of both, and the DB37/T 3890 star level of every indicator row they feed,
 *   scored by sim-core/indicators (`scoreIndicator`), with the gap to the next star.
 *
 * `edit(edits)` applies a batch of {@link Edit}s in order and returns a {@link SessionDeltaBody}: the
 * areas and intersections whose results changed (absolute current values, so deltas can be merged and
 * re-ordered safely), the indicator values that changed and the star levels that changed. An edit that
 * cannot be applied (unknown device, bad field) is skipped, named in `rejected`, and changes nothing;
 * the others are applied. `snapshot()` gives every result. Results equal a fresh computation from the
 * final inventory (tested).
 */
import type { City } from '../cim/types.ts';
import type { CameraSpec } from '../coverage/camera.ts';
import { Nr5gAreaSession, type Nr5gAreaOptions, type Nr5gAreaResult } from '../coverage/cellular/key-areas.ts';
import { NR5G_COVERAGE_MODEL, NR5G_INDICATOR_ID } from '../coverage/cellular/report.ts';
import { CoverageSession, type AreaResult, type CoverageChange, type CoverageOptions, type IntersectionResult } from '../coverage/session.ts';
import { measureById } from '../indicators/catalogue.ts';
import { scoreIndicator, type NextStarGap } from '../indicators/scoring.ts';
import type { Indicator, ValueEntry } from '../indicators/types.ts';
import type { SimulatedIndicatorValue, SimulatedIndicatorValues } from '../indicators/values.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { cellSpecOf, DeviceSet, EditError, type AppliedEdit, type CellDevice, type DeviceInventory, type Edit } from './devices.ts';

export interface SessionOptions {
  /** Camera coverage options (grid, DORI levels, rule, HD, PTZ …), as for `CoverageSession`. */
  coverage?: CoverageOptions;
  /** 5G key-area options (grid, RSRP threshold, rule …); `false` leaves 5G out. Default: the model's defaults. */
  nr5g?: Omit<Nr5gAreaOptions, 'cells'> | false;
}

/** One 5G-set key area's result. */
export interface Nr5gAreaState extends Nr5gAreaResult {
  id: string;
}

/** The star level of one indicator row fed by the session. */
export interface StarLevel {
  /** Indicator row id (e.g. `video_completeness`). */
  indicator: string;
  nameZh: string;
  nameEn: string;
  stars: number;
  maxStars: number;
  status: 'scored' | 'partial' | 'missing' | 'deduction';
  /** What is still missing for the next star (absent at the top). */
  next?: NextStarGap;
}

/** A star level that changed in an edit batch. */
export interface StarChange extends StarLevel {
  before: number;
}

/** A rejected edit of a batch. */
export interface RejectedEdit {
  /** Position in the batch. */
  index: number;
  id?: string;
  message: string;
}

/** What one batch of edits changed (see the module doc). */
export interface SessionDeltaBody {
  /** Edits applied. */
  applied: number;
  rejected: RejectedEdit[];
  video: { areas: AreaResult[]; intersections: IntersectionResult[] };
  nr5g: { areas: Nr5gAreaState[] };
  /** Indicator values that changed (measure id → value). */
  indicators: SimulatedIndicatorValues;
  /** Indicator rows whose star level changed. */
  stars: StarChange[];
  /** Time spent in the session, ms. */
  computeMs: number;
}

/** Every result of the session. */
export interface SessionSnapshotBody {
  devices: { cameras: number; cells: number };
  video: { areas: AreaResult[]; intersections: IntersectionResult[] };
  /** Null when 5G is left out. */
  nr5g: { areas: Nr5gAreaState[] } | null;
  indicators: SimulatedIndicatorValues;
  stars: StarLevel[];
}

/** Sizes of a loaded session. */
export interface SessionInfo {
  name: string;
  buildings: number;
  keyAreas: number;
  videoAreas: number;
  nr5gAreas: number;
  importantIntersections: number;
  videoSamples: number;
  stopLinePoints: number;
  nr5gSamples: number;
  /** Time to build the session (index, samples, models), ms. */
  buildMs: number;
}

const SESSION_ORIGIN = 'simulation session';

/** See the module doc. */
export class SimulationSession {
  readonly city: City;
  readonly prisms: PrismIndex;
  readonly options: SessionOptions;
  readonly coverage: CoverageSession;
  private nr: Nr5gAreaSession | null = null;
  private nrCellsKey = '';
  private devices = new DeviceSet();
  private values: SimulatedIndicatorValues = {};
  private readonly stars = new Map<string, StarLevel>();
  /** Per 5G area slot: covered samples at the last report. */
  private nrCovered: Int32Array = new Int32Array(0);
  /** Per video area slot / per intersection: covered samples / approaches at the last report. */
  private readonly videoCovered: Int32Array;
  private readonly ixCovered: Int32Array;
  readonly info: SessionInfo;

  /** Builds the index, the samples and the models for `city`, with no devices yet (call {@link setDevices}). */
  constructor(city: City, options: SessionOptions = {}, prisms: PrismIndex = PrismIndex.fromBuildings(city.buildings)) {
    const t0 = performance.now();
    this.city = city;
    this.prisms = prisms;
    this.options = options;
    this.coverage = new CoverageSession(city, [], options.coverage ?? {}, prisms);
    this.videoCovered = new Int32Array(this.coverage.samples.areas.length);
    this.ixCovered = new Int32Array(this.coverage.stopLines.nodes.length);
    if (options.nr5g !== false) this.rebuildNr([]);
    this.refreshIndicators();
    for (const row of this.rows()) this.stars.set(row.id, this.score(row));
    const ka = city.keyAreas;
    let videoAreas = 0, nr5gAreas = 0;
    for (let a = 0; a < ka.count; a++) {
      videoAreas += ka.inVideoSet[a];
      nr5gAreas += ka.in5gSet[a];
    }
    this.info = {
      name: city.meta.name,
      buildings: city.buildings.count,
      keyAreas: ka.count,
      videoAreas,
      nr5gAreas,
      importantIntersections: this.coverage.stopLines.nodes.length,
      videoSamples: this.coverage.samples.count,
      stopLinePoints: this.coverage.stopLines.count,
      nr5gSamples: this.nr ? this.nr.samples.count : 0,
      buildMs: performance.now() - t0,
    };
  }

  /** The inventory held. */
  inventory(): DeviceInventory {
    return this.devices.toInventory();
  }

  /**
   * Replaces the whole inventory (checked first: a bad device throws an {@link EditError} and changes
   * nothing). Cameras are swapped incrementally; the 5G model is rebuilt when the healthy cells differ.
   */
  setDevices(inventory: DeviceInventory): SessionSnapshotBody {
    const next = new DeviceSet(inventory);
    for (const id of [...this.devices.cameras.keys()]) this.coverage.removeCamera(id);
    for (const c of next.cameras.values()) this.coverage.addCamera(c);
    if (this.options.nr5g !== false) this.rebuildNr([...next.cells.values()]);
    this.devices = next;
    this.coverage.areaResults().forEach((a, slot) => (this.videoCovered[slot] = a.coveredSamples));
    this.coverage.intersectionResults().forEach((x, k) => (this.ixCovered[k] = x.coveredApproaches));
    this.refreshIndicators();
    for (const row of this.rows()) this.stars.set(row.id, this.score(row));
    return this.snapshot();
  }

  /** Applies a batch of edits in order; see the module doc. */
  edit(edits: readonly Edit[]): SessionDeltaBody {
    const t0 = performance.now();
    if (!Array.isArray(edits)) throw new EditError('edit() needs an array of edits');
    // Touched areas and intersections by slot (an edit may touch one and leave it as it was).
    const areas = new Map<number, AreaResult>();
    const intersections = new Map<number, IntersectionResult>();
    const slotOfArea = this.coverage.samples.slotOfArea;
    const rejected: RejectedEdit[] = [];
    let applied = 0;
    let cellsTouched = false;
    const collect = (ch: CoverageChange) => {
      for (const a of ch.changedAreas) areas.set(slotOfArea[a.area], a);
      for (const x of ch.changedIntersections) intersections.set(this.ixSlot(x.node), x);
    };
    edits.forEach((edit, index) => {
      let plan: AppliedEdit;
      try {
        plan = this.devices.plan(edit);
      } catch (e) {
        rejected.push({ index, id: (e as EditError).deviceId, message: (e as Error).message });
        return;
      }
      if (plan.kind === 'camera') collect(this.applyCamera(plan));
      else cellsTouched = this.applyCell(plan) || cellsTouched;
      this.devices.commit(plan);
      applied++;
    });
    const nr5gAreas = cellsTouched ? this.changedNrAreas() : [];
    const before = this.values;
    this.refreshIndicators();
    const changedValues: SimulatedIndicatorValues = {};
    const changedMeasures = new Set<string>();
    for (const id of new Set([...Object.keys(before), ...Object.keys(this.values)])) {
      const a = before[id], b = this.values[id];
      if (!sameValue(a, b)) {
        changedMeasures.add(id);
        if (b) changedValues[id] = b;
      }
    }
    const stars: StarChange[] = [];
    for (const row of this.rows()) {
      if (!row.measures.some((m) => changedMeasures.has(m.id))) continue;
      const was = this.stars.get(row.id)!;
      const is = this.score(row);
      this.stars.set(row.id, is);
      if (is.stars !== was.stars) stars.push({ ...is, before: was.stars });
    }
    const changedAreas: AreaResult[] = [];
    for (const [slot, a] of areas) {
      if (a.coveredSamples === this.videoCovered[slot]) continue;
      this.videoCovered[slot] = a.coveredSamples;
      changedAreas.push(a);
    }
    const changedIx: IntersectionResult[] = [];
    for (const [k, x] of intersections) {
      if (x.coveredApproaches === this.ixCovered[k]) continue;
      this.ixCovered[k] = x.coveredApproaches;
      changedIx.push(x);
    }
    return {
      applied,
      rejected,
      video: { areas: changedAreas, intersections: changedIx },
      nr5g: { areas: nr5gAreas },
      indicators: changedValues,
      stars,
      computeMs: performance.now() - t0,
    };
  }

  /** Every result. */
  snapshot(): SessionSnapshotBody {
    return {
      devices: { cameras: this.devices.cameras.size, cells: this.devices.cells.size },
      video: { areas: this.coverage.areaResults(), intersections: this.coverage.intersectionResults() },
      nr5g: this.nr ? { areas: this.nrAreaStates() } : null,
      indicators: { ...this.values },
      stars: [...this.stars.values()],
    };
  }

  /** The 5G key-area session (null when 5G is left out). */
  get nr5g(): Nr5gAreaSession | null {
    return this.nr;
  }

  // ------------------------------------------------------------------------------------------

  private applyCamera(p: AppliedEdit): CoverageChange {
    if (!p.before) return this.coverage.addCamera(p.after as CameraSpec);
    if (!p.after) return this.coverage.removeCamera(p.id);
    const { id: _id, ...patch } = p.after as CameraSpec;
    return this.coverage.updateCamera(p.id, patch);
  }

  /** Applies a cell edit to the 5G model; true when the model changed. */
  private applyCell(p: AppliedEdit): boolean {
    if (!this.nr) return false;
    const was = p.before as CellDevice | undefined;
    const is = p.after as CellDevice | undefined;
    const wasOn = !!was?.healthy, isOn = !!is?.healthy;
    if (isOn) {
      // A change of `networked` alone leaves the model as it is.
      if (wasOn && sameCell(was!, is!)) return false;
      this.nr.setCell(cellSpecOf(is!));
      return true;
    }
    if (wasOn) {
      this.nr.removeCell(p.id);
      return true;
    }
    return false;
  }

  private ixSlotOf: Map<number, number> | null = null;
  /** Position of road node `node` in `stopLines.nodes`. */
  private ixSlot(node: number): number {
    if (!this.ixSlotOf) this.ixSlotOf = new Map(Array.from(this.coverage.stopLines.nodes, (n, k) => [n, k]));
    return this.ixSlotOf.get(node)!;
  }

  private rebuildNr(cells: CellDevice[]): void {
    const o = this.options.nr5g === false ? null : (this.options.nr5g ?? {});
    if (!o) return;
    const specs = cells.filter((c) => c.healthy).map(cellSpecOf);
    const key = JSON.stringify(specs);
    if (this.nr && key === this.nrCellsKey) return;
    this.nr = new Nr5gAreaSession(this.city, this.prisms, { ...o, cells: specs });
    this.nrCellsKey = key;
    this.nrCovered = Int32Array.from(this.nr.areaResults(), (r) => r.coveredSamples);
  }

  private nrAreaStates(): Nr5gAreaState[] {
    const ids = this.city.keyAreas.ids;
    return this.nr!.areaResults().map((r) => ({ ...r, id: ids[r.area] }));
  }

  /** 5G areas whose covered-sample count changed since the last call. */
  private changedNrAreas(): Nr5gAreaState[] {
    const out: Nr5gAreaState[] = [];
    const ids = this.city.keyAreas.ids;
    this.nr!.areaResults().forEach((r, slot) => {
      if (r.coveredSamples === this.nrCovered[slot]) return;
      this.nrCovered[slot] = r.coveredSamples;
      out.push({ ...r, id: ids[r.area] });
    });
    return out;
  }

  private refreshIndicators(): void {
    const v: SimulatedIndicatorValues = { ...this.coverage.indicators() };
    if (this.nr) {
      const { covered, total } = this.nr.counts();
      if (total > 0) v[NR5G_INDICATOR_ID] = { value: (100 * covered) / total, numerator: covered, denominator: total, unit: 'percent', source: 'simulation', model: NR5G_COVERAGE_MODEL };
    }
    this.values = v;
  }

  /** The catalogue rows fed by the session's measures. */
  private rows(): Indicator[] {
    const out = new Map<string, Indicator>();
    const measures = ['video_hd_coverage', 'video_camera_health', 'video_networking', 'epolice_coverage', ...(this.options.nr5g === false ? [] : [NR5G_INDICATOR_ID])];
    for (const m of measures) {
      const row = measureById(m)?.indicator;
      if (row) out.set(row.id, row);
    }
    return [...out.values()];
  }

  private score(row: Indicator): StarLevel {
    const entries: Record<string, ValueEntry> = {};
    for (const m of row.measures) {
      const v = this.values[m.id];
      if (v) entries[m.id] = { measure: m.id, value: v.value, numerator: v.numerator, denominator: v.denominator, provenance: { kind: 'simulation', model: v.model, origin: SESSION_ORIGIN } };
    }
    const s = scoreIndicator(row, entries);
    return { indicator: row.id, nameZh: row.nameZh, nameEn: row.nameEn, stars: s.stars, maxStars: s.maxStars, status: s.status, ...(s.next ? { next: s.next } : {}) };
  }
}

function sameValue(a: SimulatedIndicatorValue | undefined, b: SimulatedIndicatorValue | undefined): boolean {
  if (!a || !b) return a === b;
  return a.value === b.value && a.numerator === b.numerator && a.denominator === b.denominator;
}

/** Whether two cells differ only in `networked`. */
function sameCell(a: CellDevice, b: CellDevice): boolean {
  return JSON.stringify(cellSpecOf(a)) === JSON.stringify(cellSpecOf(b));
}

/**
 * CoverageSession: camera coverage of a city, kept up to date edit by edit.
 *
 * Holds the key-area ground samples and the e-police stop-line lane points, and for every sample the
 * number of counting cameras that see it (Uint16Array). For every camera it keeps the list of samples
 * it sees geometrically (frustum ∩ DORI range ∩ line of sight). Adding, removing, moving or re-aiming
 * one camera therefore touches only the samples within that camera's range: its old list is
 * subtracted, its new one (found through a kdbush index of the samples and tested against the
 * {@link PrismIndex}) is added, and the per-area, per-approach and per-intersection tallies and the four
 * indicator values follow from the samples whose count crossed zero. Changing only health or
 * networking re-uses the stored list. Incremental results equal a full recomputation (tested).
 *
 * Counting (defaults; every one is an option, see {@link CoverageOptions} and docs/coverage.md):
 * - area samples count cameras of kind `camera` that are healthy and HD, at the observation level;
 * - stop-line points count healthy cameras of kind `epolice` at the recognition level;
 * - 完好率 / 联网率 count cameras of kind `camera` standing inside a video-set key area.
 */
import KDBush from 'kdbush';
import Flatbush from 'flatbush';
import type { City } from '../cim/types.ts';
import { pointInTablePolygon, tablePolygonBBox } from '../geom/polygon.ts';
import type { SimulatedIndicatorValues } from '../indicators/values.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { areaCountsAsCovered, sampleKeyAreas, type AreaSamples, type AreaSet } from './areas.ts';
import {
  checkCameraSpec,
  doriPxPerM,
  HD_1080P,
  isHdCamera,
  maxRangeM,
  newPose,
  poseSeesPoint,
  preparePose,
  type CameraKind,
  type CameraSpec,
  type DoriLevel,
  type HdThreshold,
  type PtzMode,
} from './camera.ts';
import { approachesRequired, buildStopLines, DEFAULT_EPOLICE_RULE, lanesRequired, type EpoliceRule, type StopLineOptions, type StopLines } from './epolice.ts';

/** Which cameras count for 完好率 / 联网率: those standing inside a video-set area, or also those seeing into one. */
export type CameraMembership = 'inside' | 'inside-or-covering';

export interface CoverageOptions {
  /** Area grid spacing, metres (default 2). */
  gridM?: number;
  /** Height of area targets above the ground, metres (default 0). */
  targetHeightM?: number;
  /** Which key areas are sampled (default the HD-video set). */
  areaSet?: AreaSet;
  /** Level for area samples: a DORI level, a px/m number, or 'camera' for each camera's own `doriLevel` (default observation). */
  areaLevel?: DoriLevel | number | 'camera';
  /** Share of an area's open-ground samples that must be seen for the area to count as covered, percent (default 80). */
  rulePercent?: number;
  /** Camera kinds that cover areas and count for 完好率 / 联网率 (default ['camera']). */
  areaCameraKinds?: readonly CameraKind[];
  /** Only HD cameras cover areas (default true). */
  requireHd?: boolean;
  hd?: HdThreshold;
  /** PTZ treatment (default 'potential': the union over the pan range). */
  ptzMode?: PtzMode;
  /** Default 'inside' (the formula says 区域内, 001@14329). */
  membership?: CameraMembership;
  /** Level for stop-line lane points (default recognition). */
  epoliceLevel?: DoriLevel | number;
  /** Camera kinds that cover stop lines (default ['epolice']). */
  epoliceCameraKinds?: readonly CameraKind[];
  epoliceRule?: Partial<EpoliceRule>;
  stopLines?: StopLineOptions;
}

export interface ResolvedCoverageOptions {
  gridM: number;
  targetHeightM: number;
  areaSet: AreaSet;
  areaLevel: DoriLevel | number | 'camera';
  rulePercent: number;
  areaCameraKinds: readonly CameraKind[];
  requireHd: boolean;
  hd: HdThreshold;
  ptzMode: PtzMode;
  membership: CameraMembership;
  epoliceLevel: DoriLevel | number;
  epoliceCameraKinds: readonly CameraKind[];
  epoliceRule: EpoliceRule;
  stopLines: StopLineOptions;
}

export const DEFAULT_COVERAGE_OPTIONS: ResolvedCoverageOptions = {
  gridM: 2,
  targetHeightM: 0,
  areaSet: 'video',
  areaLevel: 'observation',
  rulePercent: 80,
  areaCameraKinds: ['camera'],
  requireHd: true,
  hd: HD_1080P,
  ptzMode: 'potential',
  membership: 'inside',
  epoliceLevel: 'recognition',
  epoliceCameraKinds: ['epolice'],
  epoliceRule: DEFAULT_EPOLICE_RULE,
  stopLines: {},
};

/** Fills in defaults and checks ranges. */
export function resolveCoverageOptions(o: CoverageOptions = {}): ResolvedCoverageOptions {
  const r: ResolvedCoverageOptions = {
    ...DEFAULT_COVERAGE_OPTIONS,
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
    epoliceRule: { ...DEFAULT_EPOLICE_RULE, ...(o.epoliceRule ?? {}) },
    stopLines: { ...(o.stopLines ?? {}) },
  };
  if (!(r.rulePercent > 0 && r.rulePercent <= 100)) throw new RangeError(`rulePercent must be in (0, 100], got ${r.rulePercent}`);
  if (typeof r.areaLevel === 'number' && !(r.areaLevel > 0)) throw new RangeError(`areaLevel must be a positive px/m, got ${r.areaLevel}`);
  if (typeof r.epoliceLevel === 'number' && !(r.epoliceLevel > 0)) throw new RangeError(`epoliceLevel must be a positive px/m, got ${r.epoliceLevel}`);
  const lf = r.epoliceRule.minLaneFraction;
  if (!(lf > 0 && lf <= 1)) throw new RangeError(`epoliceRule.minLaneFraction must be in (0, 1], got ${lf}`);
  const ma = r.epoliceRule.minApproaches;
  if (ma !== 'all' && !(Number.isInteger(ma) && ma >= 1)) throw new RangeError(`epoliceRule.minApproaches must be 'all' or a whole number ≥ 1, got ${ma}`);
  return r;
}

/** Result for one sampled key area. */
export interface AreaResult {
  id: string;
  /** Index in city.keyAreas. */
  area: number;
  sampleCount: number;
  coveredSamples: number;
  /** coveredSamples / sampleCount × 100 (0 when there are no samples). */
  coveredPercent: number;
  covered: boolean;
  inVideoSet: boolean;
}

/** Result for one important intersection. */
export interface IntersectionResult {
  nodeId: string;
  /** Index in city.roadNodes. */
  node: number;
  approaches: number;
  coveredApproaches: number;
  covered: boolean;
}

/** What one edit changed. */
export interface CoverageChange {
  /** Areas whose covered-sample count changed. */
  changedAreas: AreaResult[];
  /** Intersections whose covered-approach count changed. */
  changedIntersections: IntersectionResult[];
  indicators: SimulatedIndicatorValues;
  /** Samples (area + stop-line) whose seen-count changed. */
  changedSamples: number;
}

/** Fields of a camera an edit may change. */
export type CameraPatch = Partial<Omit<CameraSpec, 'id'>>;

export const CAMERA_COVERAGE_MODEL = 'camera-coverage';

// Module scratch for one camera's evaluation.
const POSE = newPose();

/** Camera coverage kept up to date edit by edit; see the module doc. */
export class CoverageSession {
  readonly city: City;
  readonly prisms: PrismIndex;
  readonly options: ResolvedCoverageOptions;
  readonly samples: AreaSamples;
  readonly stopLines: StopLines;
  /** Number of counting cameras seeing each area sample. */
  readonly areaSeen: Uint16Array;
  /** Number of counting cameras seeing each stop-line lane point. */
  readonly stopSeen: Uint16Array;

  private readonly sampleIndex: KDBush | null;
  private readonly stopIndex: KDBush | null;
  private readonly scratch: Uint32Array;
  private readonly videoAreaTree: Flatbush | null;
  private readonly videoAreas: number[];

  private readonly cams: (CameraSpec | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly sightArea: (Uint32Array | null)[] = [];
  private readonly sightStop: (Uint32Array | null)[] = [];
  private readonly contribArea: boolean[] = [];
  private readonly contribStop: boolean[] = [];
  private readonly member: boolean[] = [];
  private readonly mountedOn: number[] = [];

  /** Per area slot: samples seen. */
  private readonly areaCoveredSamples: Uint32Array;
  private readonly areaIsCovered: Uint8Array;
  private readonly approachSeenLanes: Uint16Array;
  private readonly approachIsCovered: Uint8Array;
  private readonly ixCoveredApproaches: Uint16Array;
  private readonly ixIsCovered: Uint8Array;

  private videoAreaCount = 0;
  private coveredVideoAreas = 0;
  private camerasInAreas = 0;
  private healthyInAreas = 0;
  private networkedInAreas = 0;
  private coveredIntersections = 0;

  // Dirty tracking for one edit.
  private readonly dirtyArea: Uint8Array;
  private readonly dirtyAreaList: number[] = [];
  private readonly dirtyIx: Uint8Array;
  private readonly dirtyIxList: number[] = [];
  private changedSamples = 0;

  /**
   * Builds the samples, evaluates every camera in `cameras` and tallies the results (the full
   * computation). `prisms` defaults to an index of `city.buildings`.
   */
  constructor(city: City, cameras: readonly CameraSpec[], options: CoverageOptions = {}, prisms: PrismIndex = PrismIndex.fromBuildings(city.buildings)) {
    this.city = city;
    this.prisms = prisms;
    this.options = resolveCoverageOptions(options);
    const o = this.options;
    this.samples = sampleKeyAreas(city, prisms, { gridM: o.gridM, targetHeightM: o.targetHeightM, areaSet: o.areaSet });
    this.stopLines = buildStopLines(city, o.stopLines);
    this.areaSeen = new Uint16Array(this.samples.count);
    this.stopSeen = new Uint16Array(this.stopLines.count);
    this.sampleIndex = pointIndex(this.samples.xM, this.samples.yM, this.samples.count);
    this.stopIndex = pointIndex(this.stopLines.xM, this.stopLines.yM, this.stopLines.count);
    this.scratch = new Uint32Array(Math.max(this.samples.count, this.stopLines.count, 1));

    const nSlots = this.samples.areas.length;
    this.areaCoveredSamples = new Uint32Array(nSlots);
    this.areaIsCovered = new Uint8Array(nSlots);
    this.dirtyArea = new Uint8Array(nSlots);
    for (let k = 0; k < nSlots; k++) if (city.keyAreas.inVideoSet[this.samples.areas[k]]) this.videoAreaCount++;
    const nAp = this.stopLines.approachLink.length;
    this.approachSeenLanes = new Uint16Array(nAp);
    this.approachIsCovered = new Uint8Array(nAp);
    const nIx = this.stopLines.nodes.length;
    this.ixCoveredApproaches = new Uint16Array(nIx);
    this.ixIsCovered = new Uint8Array(nIx);
    this.dirtyIx = new Uint8Array(nIx);

    // Video-set area polygons, for "camera inside a key area".
    this.videoAreas = [];
    for (let a = 0; a < city.keyAreas.count; a++) if (city.keyAreas.inVideoSet[a]) this.videoAreas.push(a);
    if (this.videoAreas.length) {
      const t = new Flatbush(this.videoAreas.length);
      const bb = new Float64Array(4);
      for (const a of this.videoAreas) {
        tablePolygonBBox(city.keyAreas.ringStart, city.keyAreas.vertexStart, city.keyAreas.xyM, a, bb);
        t.add(bb[0], bb[1], bb[2], bb[3]);
      }
      t.finish();
      this.videoAreaTree = t;
    } else this.videoAreaTree = null;

    for (const c of cameras) this.insert(c);
    this.settle();
  }

  /** Number of cameras held. */
  get cameraCount(): number {
    return this.slotOf.size;
  }

  /** The camera with this id, or undefined. */
  camera(id: string): CameraSpec | undefined {
    const s = this.slotOf.get(id);
    return s === undefined ? undefined : (this.cams[s] ?? undefined);
  }

  /** All cameras held, in insertion order. */
  cameras(): CameraSpec[] {
    return this.cams.filter((c): c is CameraSpec => c !== null);
  }

  /** Adds a camera (its id must be new). */
  addCamera(spec: CameraSpec): CoverageChange {
    this.insert(spec);
    return this.settle();
  }

  /** Removes a camera by id. */
  removeCamera(id: string): CoverageChange {
    this.remove(this.slotFor(id));
    return this.settle();
  }

  /**
   * Changes a camera: position, height, aim, lens, kind, health … Geometry is re-evaluated only when a
   * geometric field changes; health / networking alone re-use the stored sight lists.
   */
  updateCamera(id: string, patch: CameraPatch): CoverageChange {
    const slot = this.slotFor(id);
    const old = this.cams[slot]!;
    const next: CameraSpec = { ...old, ...patch, id, assumed: patch.assumed ?? old.assumed };
    const problem = checkCameraSpec(next);
    if (problem) throw new RangeError(`camera '${id}': ${problem}`);
    const geometric = (Object.keys(patch) as (keyof CameraPatch)[]).some((k) => k !== 'healthy' && k !== 'networked' && k !== 'assumed' && patch[k] !== old[k]);
    if (geometric) {
      this.remove(slot);
      this.insert(next);
    } else {
      this.contribute(slot, -1);
      this.cams[slot] = next;
      this.contribute(slot, +1);
    }
    return this.settle();
  }

  /** Moves a camera (and optionally re-aims it). */
  moveCamera(id: string, xM: number, yM: number, aim: { headingDeg?: number; tiltDeg?: number; heightM?: number } = {}): CoverageChange {
    return this.updateCamera(id, { xM, yM, ...aim });
  }

  /** Sets health (完好) and/or networking (联网) without touching geometry. */
  setCameraState(id: string, state: { healthy?: boolean; networked?: boolean }): CoverageChange {
    const patch: CameraPatch = {};
    if (state.healthy !== undefined) patch.healthy = state.healthy;
    if (state.networked !== undefined) patch.networked = state.networked;
    return this.updateCamera(id, patch);
  }

  /** Indices of the area samples camera `id` sees geometrically (whether or not it counts). */
  areaSight(id: string): Uint32Array {
    return this.sightArea[this.slotFor(id)] ?? new Uint32Array(0);
  }

  /** Indices of the stop-line lane points camera `id` sees geometrically. */
  stopSight(id: string): Uint32Array {
    return this.sightStop[this.slotFor(id)] ?? new Uint32Array(0);
  }

  /** Index of the building camera `id` is mounted in (its position lies inside that prism), or −1. */
  mountedBuilding(id: string): number {
    return this.mountedOn[this.slotFor(id)];
  }

  /** Whether camera `id` counts for 完好率 / 联网率 (kind and key-area membership). */
  countsForHealth(id: string): boolean {
    const s = this.slotFor(id);
    return this.member[s] && this.options.areaCameraKinds.includes(this.cams[s]!.kind);
  }

  /** Result of one area slot. */
  areaResult(slot: number): AreaResult {
    const s = this.samples;
    const a = s.areas[slot];
    const n = s.areaStart[slot + 1] - s.areaStart[slot];
    const c = this.areaCoveredSamples[slot];
    return {
      id: this.city.keyAreas.ids[a],
      area: a,
      sampleCount: n,
      coveredSamples: c,
      coveredPercent: n ? round6((100 * c) / n) : 0,
      covered: this.areaIsCovered[slot] === 1,
      inVideoSet: this.city.keyAreas.inVideoSet[a] === 1,
    };
  }

  /** Results of all sampled areas, in key-area order. */
  areaResults(): AreaResult[] {
    return Array.from({ length: this.samples.areas.length }, (_, k) => this.areaResult(k));
  }

  /** Result of one intersection (position in `stopLines.nodes`). */
  intersectionResult(k: number): IntersectionResult {
    const st = this.stopLines;
    const node = st.nodes[k];
    return {
      nodeId: this.city.roadNodes.ids[node],
      node,
      approaches: st.approachStart[k + 1] - st.approachStart[k],
      coveredApproaches: this.ixCoveredApproaches[k],
      covered: this.ixIsCovered[k] === 1,
    };
  }

  /** Results of all important intersections. */
  intersectionResults(): IntersectionResult[] {
    return Array.from({ length: this.stopLines.nodes.length }, (_, k) => this.intersectionResult(k));
  }

  /** Lane points seen on approach `a`. */
  approachSeenLaneCount(a: number): number {
    return this.approachSeenLanes[a];
  }

  /** Whether approach `a` is covered. */
  approachCovered(a: number): boolean {
    return this.approachIsCovered[a] === 1;
  }

  /** The four indicator values (an indicator whose denominator is 0 is left out). */
  indicators(): SimulatedIndicatorValues {
    const out: SimulatedIndicatorValues = {};
    const put = (id: string, num: number, den: number) => {
      if (den > 0) out[id] = { value: round6((100 * num) / den), numerator: num, denominator: den, unit: 'percent', source: 'simulation', model: CAMERA_COVERAGE_MODEL };
    };
    put('video_hd_coverage', this.coveredVideoAreas, this.videoAreaCount);
    put('video_camera_health', this.healthyInAreas, this.camerasInAreas);
    put('video_networking', this.networkedInAreas, this.camerasInAreas);
    put('epolice_coverage', this.coveredIntersections, this.stopLines.nodes.length);
    return out;
  }

  /** Numerators and denominators behind {@link indicators}, including zero denominators. */
  tallies() {
    return {
      videoAreas: this.videoAreaCount,
      coveredVideoAreas: this.coveredVideoAreas,
      camerasInAreas: this.camerasInAreas,
      healthyInAreas: this.healthyInAreas,
      networkedInAreas: this.networkedInAreas,
      intersections: this.stopLines.nodes.length,
      coveredIntersections: this.coveredIntersections,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private slotFor(id: string): number {
    const s = this.slotOf.get(id);
    if (s === undefined) throw new RangeError(`no camera with id '${id}' in this coverage session`);
    return s;
  }

  /** Range (slant, metres) at which camera `c` still meets `level`. */
  private rangeFor(c: CameraSpec, level: DoriLevel | number | 'camera'): number {
    return maxRangeM(c.widthPx, c.hfovDeg, doriPxPerM(level === 'camera' ? c.doriLevel : level));
  }

  private insert(spec: CameraSpec): void {
    const problem = checkCameraSpec(spec);
    if (problem) throw new RangeError(`camera '${spec.id}': ${problem}`);
    if (this.slotOf.has(spec.id)) throw new RangeError(`duplicate camera id '${spec.id}'`);
    const o = this.options;
    const slot = this.cams.length;
    const c: CameraSpec = { ...spec, assumed: [...spec.assumed] };
    this.cams.push(c);
    this.slotOf.set(c.id, slot);
    const mounted = this.prisms.buildingAt(c.xM, c.yM, c.heightM);
    this.mountedOn.push(mounted);
    const areaKind = o.areaCameraKinds.includes(c.kind);
    const stopKind = o.epoliceCameraKinds.includes(c.kind);
    this.sightArea.push(areaKind ? this.sight(c, mounted, this.sampleIndex, this.samples.xM, this.samples.yM, null, o.targetHeightM, this.rangeFor(c, o.areaLevel)) : null);
    this.sightStop.push(stopKind ? this.sight(c, mounted, this.stopIndex, this.stopLines.xM, this.stopLines.yM, this.stopLines.zM, 0, this.rangeFor(c, o.epoliceLevel)) : null);
    this.contribArea.push(false);
    this.contribStop.push(false);
    this.member.push(false);
    this.contribute(slot, +1);
  }

  private remove(slot: number): void {
    this.contribute(slot, -1);
    this.slotOf.delete(this.cams[slot]!.id);
    this.cams[slot] = null;
    this.sightArea[slot] = null;
    this.sightStop[slot] = null;
  }

  /** Adds (+1) or withdraws (−1) camera `slot`'s contribution to every tally. */
  private contribute(slot: number, sign: 1 | -1): void {
    const c = this.cams[slot]!;
    const o = this.options;
    if (sign > 0) {
      this.contribArea[slot] = o.areaCameraKinds.includes(c.kind) && c.healthy && (!o.requireHd || isHdCamera(c, o.hd));
      this.contribStop[slot] = o.epoliceCameraKinds.includes(c.kind) && c.healthy;
      this.member[slot] = o.areaCameraKinds.includes(c.kind) && this.isMember(c, this.sightArea[slot]);
    }
    const sa = this.sightArea[slot];
    if (sa && this.contribArea[slot]) this.applyArea(sa, sign);
    const ss = this.sightStop[slot];
    if (ss && this.contribStop[slot]) this.applyStop(ss, sign);
    if (this.member[slot]) {
      this.camerasInAreas += sign;
      if (c.healthy) this.healthyInAreas += sign;
      if (c.networked) this.networkedInAreas += sign;
    }
  }

  private isMember(c: CameraSpec, sight: Uint32Array | null): boolean {
    const ka = this.city.keyAreas;
    if (this.videoAreaTree) {
      const hits = this.videoAreaTree.search(c.xM, c.yM, c.xM, c.yM);
      for (const h of hits) if (pointInTablePolygon(c.xM, c.yM, ka.ringStart, ka.vertexStart, ka.xyM, this.videoAreas[h])) return true;
    }
    if (this.options.membership === 'inside-or-covering' && sight) {
      for (let k = 0; k < sight.length; k++) if (ka.inVideoSet[this.samples.areas[this.samples.slot[sight[k]]]]) return true;
    }
    return false;
  }

  private applyArea(list: Uint32Array, sign: 1 | -1): void {
    const seen = this.areaSeen;
    const slotOfSample = this.samples.slot;
    for (let k = 0; k < list.length; k++) {
      const s = list[k];
      const before = seen[s];
      const after = before + sign;
      seen[s] = after;
      this.changedSamples++;
      if (before === 0 || after === 0) {
        const slot = slotOfSample[s];
        this.areaCoveredSamples[slot] += sign;
        if (!this.dirtyArea[slot]) {
          this.dirtyArea[slot] = 1;
          this.dirtyAreaList.push(slot);
        }
      }
    }
  }

  private applyStop(list: Uint32Array, sign: 1 | -1): void {
    const seen = this.stopSeen;
    const st = this.stopLines;
    for (let k = 0; k < list.length; k++) {
      const s = list[k];
      const before = seen[s];
      const after = before + sign;
      seen[s] = after;
      this.changedSamples++;
      if (before !== 0 && after !== 0) continue;
      const ap = st.sampleApproach[s];
      this.approachSeenLanes[ap] += sign;
      const lanes = st.sampleStart[ap + 1] - st.sampleStart[ap];
      const nowCovered = this.approachSeenLanes[ap] >= lanesRequired(lanes, this.options.epoliceRule) ? 1 : 0;
      if (nowCovered !== this.approachIsCovered[ap]) {
        this.approachIsCovered[ap] = nowCovered;
        const ix = st.approachIntersection[ap];
        this.ixCoveredApproaches[ix] += nowCovered ? 1 : -1;
        if (!this.dirtyIx[ix]) {
          this.dirtyIx[ix] = 1;
          this.dirtyIxList.push(ix);
        }
      }
    }
  }

  /** Re-derives the covered flags of the areas and intersections touched since the last settle. */
  private settle(): CoverageChange {
    const changedAreas: AreaResult[] = [];
    const ka = this.city.keyAreas;
    const rule = { rulePercent: this.options.rulePercent };
    for (const slot of this.dirtyAreaList) {
      this.dirtyArea[slot] = 0;
      const total = this.samples.areaStart[slot + 1] - this.samples.areaStart[slot];
      const flag = areaCountsAsCovered(this.areaCoveredSamples[slot], total, rule) ? 1 : 0;
      if (flag !== this.areaIsCovered[slot]) {
        this.areaIsCovered[slot] = flag;
        if (ka.inVideoSet[this.samples.areas[slot]]) this.coveredVideoAreas += flag ? 1 : -1;
      }
      changedAreas.push(this.areaResult(slot));
    }
    this.dirtyAreaList.length = 0;
    const changedIntersections: IntersectionResult[] = [];
    const st = this.stopLines;
    for (const ix of this.dirtyIxList) {
      this.dirtyIx[ix] = 0;
      const n = st.approachStart[ix + 1] - st.approachStart[ix];
      const flag = this.ixCoveredApproaches[ix] >= approachesRequired(n, this.options.epoliceRule) ? 1 : 0;
      if (flag !== this.ixIsCovered[ix]) {
        this.ixIsCovered[ix] = flag;
        this.coveredIntersections += flag ? 1 : -1;
      }
      changedIntersections.push(this.intersectionResult(ix));
    }
    this.dirtyIxList.length = 0;
    const changedSamples = this.changedSamples;
    this.changedSamples = 0;
    return { changedAreas, changedIntersections, indicators: this.indicators(), changedSamples };
  }

  /**
   * Points of one sample set that camera `c` sees within `rangeM`: kdbush radius query around the
   * camera, then slant range, frustum and line of sight (ignoring the building it is mounted in).
   */
  private sight(c: CameraSpec, mounted: number, index: KDBush | null, xs: Float64Array, ys: Float64Array, zs: Float64Array | null, zConst: number, rangeM: number): Uint32Array {
    if (!index) return new Uint32Array(0);
    const pose = preparePose(c, this.options.ptzMode, POSE);
    // Horizontal reach: the range sphere cut at the target height (per-point heights: the full radius).
    const dz0 = zs ? 0 : Math.abs(pose.zM - zConst);
    if (rangeM <= dz0) return new Uint32Array(0);
    const reach = Math.sqrt(rangeM * rangeM - dz0 * dz0);
    const buf = this.scratch;
    const n = index.withinInto(pose.xM, pose.yM, reach, buf);
    const r2 = rangeM * rangeM;
    const prisms = this.prisms;
    let kept = 0;
    for (let k = 0; k < n; k++) {
      const s = buf[k];
      if (poseSeesPoint(pose, r2, prisms, mounted, xs[s], ys[s], zs ? zs[s] : zConst)) buf[kept++] = s;
    }
    return buf.slice(0, kept);
  }
}

function pointIndex(xs: Float64Array, ys: Float64Array, n: number): KDBush | null {
  if (n === 0) return null;
  const idx = new KDBush(n, 64, Float64Array);
  for (let i = 0; i < n; i++) idx.add(xs[i], ys[i]);
  return idx.finish();
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

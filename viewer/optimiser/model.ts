/**
 * The optimiser panel's logic without DOM: which indicator drives which device, the placement goal
 * for a target ("next star", a star, a percent, a count), the proposals of a finished `placement` job
 * (GET /api/jobs/:id/proposals, see docs/placement.md) as a list view-model with accept / reject, and
 * a proposal turned into city-file device features (docs/city-format.md) that `ctx.apply` can add.
 */
import type { City } from '../../sim-core/cim/types.ts';
import { CAMERA_DEFAULTS } from '../../sim-core/coverage/camera.ts';
import type { SimulatedIndicatorValues } from '../../sim-core/indicators/values.ts';
import type { PlacementGoal } from '../../sim-core/placement/city-placement.ts';
import { starTarget } from '../../sim-core/placement/target.ts';
import type { DeviceFeature } from '../api/client.ts';

/** The indicators the optimiser can improve. */
export const OPTIMISER_INDICATORS = [
  { id: 'video', measure: 'video_hd_coverage', device: 'camera', stars: true },
  { id: 'nr5g', measure: 'nr5g_key_area_coverage', device: 'cell5g', stars: true },
  { id: 'weather', measure: 'weather_station_spacing', device: 'weather', stars: false },
] as const;
export type OptimiserIndicator = (typeof OPTIMISER_INDICATORS)[number];
export type IndicatorId = OptimiserIndicator['id'];
export type ProposedDevice = OptimiserIndicator['device'];

/** What the user asks for. */
export type TargetChoice = { kind: 'next' } | { kind: 'star'; star: number } | { kind: 'percent'; percent: number } | { kind: 'count'; count: number };

/** A goal that cannot be set: `key` is an i18n key (under `optgw.`), `values` its interpolation values. */
export class GoalError extends Error {
  readonly key: string;
  readonly values: Record<string, unknown>;
  constructor(key: string, values: Record<string, unknown>, message: string) {
    super(message);
    this.name = 'GoalError';
    this.key = key;
    this.values = values;
  }
}

/** The indicator record by id; throws for an unknown id. */
export function indicatorById(id: string): OptimiserIndicator {
  const found = OPTIMISER_INDICATORS.find((i) => i.id === id);
  if (!found) throw new Error(`optimiser: unknown indicator '${id}' (expected ${OPTIMISER_INDICATORS.map((i) => i.id).join(', ')})`);
  return found;
}

/** The star an indicator has now and the next graded one above it, from the session's value (numerator of denominator units). */
export function starsOf(measure: string, numerator: number, denominator: number): { current: number; next: number | null; unitsNeeded: number | null } {
  let current = 0;
  let next: number | null = null, unitsNeeded: number | null = null;
  for (let s = 1; s <= 5; s++) {
    let t;
    try {
      t = starTarget(measure, s, denominator);
    } catch {
      continue; // a '/' cell: not graded
    }
    if (numerator >= t.unitsNeeded) current = s;
    else if (next === null) {
      next = s;
      unitsNeeded = t.unitsNeeded;
    }
  }
  return { current, next, unitsNeeded };
}

/**
 * The placement goal for a target. "Next star" reads the indicator's value in `values` (the
 * session's latest results) and asks for the lowest graded star above it. Throws {@link GoalError}.
 */
export function goalFor(indicator: OptimiserIndicator, target: TargetChoice, values: SimulatedIndicatorValues | null): PlacementGoal {
  if (target.kind === 'count') {
    if (!Number.isInteger(target.count) || target.count < 1 || target.count > 10_000) throw new GoalError('error.count', { count: target.count }, `count must be a whole number 1–10000, got ${target.count}`);
    return { count: target.count };
  }
  if (target.kind === 'percent') {
    if (!(target.percent > 0 && target.percent <= 100)) throw new GoalError('error.percent', { percent: target.percent }, `percent must be in (0, 100], got ${target.percent}`);
    return { targetPercent: target.percent };
  }
  if (!indicator.stars) throw new GoalError('error.noStars', {}, `${indicator.measure} has no star thresholds: give a percent or a count`);
  if (target.kind === 'star') {
    try {
      starTarget(indicator.measure, target.star, 100);
    } catch (e) {
      throw new GoalError('error.star', { star: target.star }, (e as Error).message);
    }
    return { targetStar: target.star };
  }
  const v = values?.[indicator.measure];
  if (!v || typeof v.numerator !== 'number' || typeof v.denominator !== 'number' || v.denominator <= 0) {
    throw new GoalError('error.noValue', {}, `no current value of ${indicator.measure} yet: wait for the simulation results`);
  }
  const s = starsOf(indicator.measure, v.numerator, v.denominator);
  if (s.next === null) throw new GoalError('error.topStar', { star: s.current }, `${indicator.measure} is at its top graded star (★${s.current})`);
  return { targetStar: s.next };
}

/** An area a proposal covers or advances. */
export interface ProposalArea {
  id: string;
  name: string;
  /** Newly seen samples of the area (advanced areas; 0 when not reported). */
  samples: number;
}

/** One proposal, explained. */
export interface Proposal {
  /** Feature id in the proposals (`new-<rank>`). */
  id: string;
  rank: number;
  device: ProposedDevice;
  lonDeg: number;
  latDeg: number;
  heightM: number;
  /** Null for an omni 5G cell and a weather station. */
  headingDeg: number | null;
  /** The device template as the placement job states it ("1920×1080 60° lens, tilt 15°"). */
  template: string;
  siteId: string;
  /** Areas this device completes (covered once it is added). */
  completes: ProposalArea[];
  /** Areas whose covered share it raises, with the samples it adds. */
  advances: ProposalArea[];
  newlyCoveredSamples: number;
  /** Marginal gain of the placement objective. */
  marginalGain: number;
  /** Indicator percentage points this device adds (areas completed ÷ denominator × 100). */
  indicatorPointsAdded: number;
  state: 'pending' | 'accepted' | 'rejected';
  /** Ids of the devices an accepted proposal added (kept when an undo makes it pending again, for redo). */
  deviceIds: string[];
}

/** The parsed proposals of a placement job. */
export interface ProposalSet {
  jobId: string;
  proposals: Proposal[];
  /** Blind-spot features that came with them. */
  blindSpots: number;
  /** The job's summary (`placement` member): goal, solver, status, indicators before/after. */
  placement: Record<string, unknown>;
}

function fail(file: string, record: string, field: string, reason: string): never {
  throw new Error(`${file}, ${record}, field '${field}': ${reason}`);
}

/**
 * Reads the GeoJSON of GET /api/jobs/:id/proposals. Area names come from the proposal, else from
 * `city` (key areas), else the id. Bad content throws naming `file`, the feature and the field.
 */
export function parseProposals(json: unknown, jobId: string, city: Pick<City, 'keyAreas'> | null = null, file = `proposals of job ${jobId}`): ProposalSet {
  const fc = json as { type?: unknown; features?: unknown; placement?: unknown };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) fail(file, 'document', 'type', 'not a GeoJSON FeatureCollection');
  const areaName = new Map<string, string>();
  if (city) for (let i = 0; i < city.keyAreas.count; i++) areaName.set(city.keyAreas.ids[i], city.keyAreas.names[i] ?? city.keyAreas.ids[i]);
  const proposals: Proposal[] = [];
  let blindSpots = 0;
  (fc.features as unknown[]).forEach((raw, k) => {
    const f = raw as { id?: unknown; geometry?: { type?: unknown; coordinates?: unknown }; properties?: Record<string, unknown> };
    const p = f?.properties;
    const record = `feature ${k}${typeof f?.id === 'string' ? ` ('${f.id}')` : ''}`;
    if (!p || typeof p !== 'object') fail(file, record, 'properties', 'missing');
    if (p.layer === 'blind-spot') {
      blindSpots++;
      return;
    }
    if (p.layer !== 'new-site') return;
    if (typeof f.id !== 'string' || !f.id) fail(file, record, 'id', 'a proposal needs a string id');
    const xy = f.geometry?.coordinates as unknown[];
    if (f.geometry?.type !== 'Point' || !Array.isArray(xy) || typeof xy[0] !== 'number' || typeof xy[1] !== 'number' || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) fail(file, record, 'geometry', 'a proposal must be a Point with finite lon, lat');
    const device = p.device;
    if (device !== 'camera' && device !== 'cell5g' && device !== 'weather') fail(file, record, 'device', `must be camera, cell5g or weather, got ${JSON.stringify(device)}`);
    const num = (field: string, optional = false): number => {
      const v = p[field];
      if (v === null || v === undefined) {
        if (optional) return NaN;
        fail(file, record, field, 'missing');
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(file, record, field, `must be a finite number, got ${JSON.stringify(v)}`);
      return v;
    };
    const ids = (field: string): string[] => {
      const v = p[field] ?? [];
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(file, record, field, 'must be a list of area ids');
      return v as string[];
    };
    const names = ids('newlyCoveredAreaNames');
    const completes = ids('newlyCoveredAreas').map((id, i) => ({ id, name: names[i] ?? areaName.get(id) ?? id, samples: 0 }));
    const adv = p.advancedAreas ?? [];
    if (!Array.isArray(adv)) fail(file, record, 'advancedAreas', 'must be a list of {id, samples}');
    const advances = (adv as { id?: unknown; samples?: unknown }[]).map((a, i) => {
      if (typeof a?.id !== 'string' || typeof a.samples !== 'number') fail(file, record, `advancedAreas[${i}]`, 'must be {id: string, samples: number}');
      return { id: a.id, name: areaName.get(a.id) ?? completes.find((c) => c.id === a.id)?.name ?? a.id, samples: a.samples };
    });
    for (const c of completes) c.samples = advances.find((a) => a.id === c.id)?.samples ?? 0;
    const heading = num('headingDeg', true);
    proposals.push({
      id: f.id,
      rank: num('rank'),
      device,
      lonDeg: xy[0] as number,
      latDeg: xy[1] as number,
      heightM: num('heightM'),
      headingDeg: Number.isNaN(heading) ? null : heading,
      template: typeof p.template === 'string' ? p.template : '',
      siteId: typeof p.siteId === 'string' ? p.siteId : f.id,
      completes,
      advances: advances.filter((a) => !completes.some((c) => c.id === a.id)),
      newlyCoveredSamples: Number.isNaN(num('newlyCoveredSamples', true)) ? 0 : num('newlyCoveredSamples', true),
      marginalGain: num('marginalGain'),
      indicatorPointsAdded: Number.isNaN(num('indicatorPointsAdded', true)) ? 0 : num('indicatorPointsAdded', true),
      state: 'pending',
      deviceIds: [],
    });
  });
  proposals.sort((a, b) => a.rank - b.rank);
  return { jobId, proposals, blindSpots, placement: (fc.placement as Record<string, unknown>) ?? {} };
}

/** Camera template values from the job's template text ("1920×1080 60° lens, tilt 15°"), else the model's defaults (the ones the job uses). */
export function cameraTemplate(template: string): { widthPx: number; heightPx: number; hfovDeg: number; tiltDeg: number } {
  const d = CAMERA_DEFAULTS.camera;
  const m = /(\d+)\s*[×x]\s*(\d+)\s+([\d.]+)°\s*lens(?:,\s*tilt\s*(-?[\d.]+)°)?/.exec(template);
  if (!m) return { widthPx: d.widthPx, heightPx: d.heightPx, hfovDeg: d.hfovDeg, tiltDeg: d.tiltDeg };
  return { widthPx: Number(m[1]), heightPx: Number(m[2]), hfovDeg: Number(m[3]), tiltDeg: m[4] === undefined ? d.tiltDeg : Number(m[4]) };
}

/**
 * The city-file device features for a proposal, as the placement job modelled it: a camera with
 * the template's sensor, lens and tilt at the proposed heading; a 5G macro site (template "3-sector
 * …") as three cells at 0/120/240° sharing a `siteId`, a small cell as one omni cell (UMi, 8 dBi,
 * 30° vertical beam); a weather station. Ids are `<idBase>` (with `/<azimuth>` per sector); `name`
 * is the label to store.
 */
export function proposalDevices(p: Proposal, idBase: string, name: string, source: string): DeviceFeature[] {
  const common = { heightM: p.heightM, healthy: true, networked: true, name, proposedBy: source, siteId: p.siteId };
  const at = { type: 'Point' as const, coordinates: [p.lonDeg, p.latDeg] };
  if (p.device === 'camera') {
    const t = cameraTemplate(p.template);
    return [
      {
        type: 'Feature',
        id: idBase,
        geometry: at,
        properties: { deviceType: 'camera', ...common, headingDeg: p.headingDeg ?? 0, tiltDeg: t.tiltDeg, hfovDeg: t.hfovDeg, resolutionPx: [t.widthPx, t.heightPx], doriLevel: CAMERA_DEFAULTS.camera.doriLevel },
      },
    ];
  }
  if (p.device === 'weather') return [{ type: 'Feature', id: idBase, geometry: at, properties: { deviceType: 'weather', ...common } }];
  const dbm = /(-?[\d.]+)\s*dBm/.exec(p.template);
  const band = /\b(n\d+)\b/.exec(p.template)?.[1] ?? 'n78';
  if (/^3-sector/.test(p.template)) {
    return [0, 120, 240].map((az, k) => ({
      type: 'Feature' as const,
      id: `${idBase}/${az}`,
      geometry: { type: 'Point' as const, coordinates: [p.lonDeg, p.latDeg] },
      properties: { deviceType: 'cell5g', ...common, siteId: idBase, sectorIndex: k + 1, headingDeg: az, nrBand: band, ...(dbm ? { txPowerDbm: Number(dbm[1]) } : {}) },
    }));
  }
  return [
    {
      type: 'Feature',
      id: idBase,
      geometry: at,
      properties: { deviceType: 'cell5g', ...common, siteId: idBase, nrBand: band, txPowerDbm: dbm ? Number(dbm[1]) : 40, scenario: 'umi', antennaGainDbi: 8, vBeamwidthDeg: 30 },
    },
  ];
}

/** The proposal list as the panel shows it: accept / reject move items out of the pending list. */
export class ProposalList {
  readonly set: ProposalSet;
  constructor(set: ProposalSet) {
    this.set = set;
  }

  get all(): readonly Proposal[] {
    return this.set.proposals;
  }

  /** Proposals still to decide on, by rank. */
  pending(): Proposal[] {
    return this.set.proposals.filter((p) => p.state === 'pending');
  }

  get(id: string): Proposal {
    const p = this.set.proposals.find((x) => x.id === id);
    if (!p) throw new Error(`optimiser: no proposal '${id}' in job ${this.set.jobId}`);
    return p;
  }

  /** Marks a proposal accepted with the devices it added. */
  accept(id: string, deviceIds: string[]): void {
    const p = this.get(id);
    if (p.state !== 'pending') throw new Error(`optimiser: proposal '${id}' is already ${p.state}`);
    p.state = 'accepted';
    p.deviceIds = deviceIds;
  }

  reject(id: string): void {
    const p = this.get(id);
    if (p.state !== 'pending') throw new Error(`optimiser: proposal '${id}' is already ${p.state}`);
    p.state = 'rejected';
  }

  /**
   * Follows the inventory after undo and redo: an accepted proposal whose devices are all gone is
   * pending again (its device ids kept), and a pending one whose remembered devices are all back is
   * accepted again. `exists` tells whether a device id is in the inventory. True when anything changed.
   */
  reconcile(exists: (deviceId: string) => boolean): boolean {
    let changed = false;
    for (const p of this.set.proposals) {
      if (p.deviceIds.length === 0) continue;
      if (p.state === 'accepted' && !p.deviceIds.some(exists)) {
        p.state = 'pending';
        changed = true;
      } else if (p.state === 'pending' && p.deviceIds.every(exists)) {
        p.state = 'accepted';
        changed = true;
      }
    }
    return changed;
  }

  counts(): Record<Proposal['state'], number> {
    const c = { pending: 0, accepted: 0, rejected: 0 };
    for (const p of this.set.proposals) c[p.state]++;
    return c;
  }
}

/** A device id for a proposal that is not taken yet: `opt-<job>-<rank>`, with a suffix when needed. */
export function proposalDeviceId(jobId: string, rank: number, taken: (id: string) => boolean): string {
  const base = `opt-${jobId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 8)}-${rank}`;
  if (!taken(base) && !taken(`${base}/0`)) return base;
  for (let k = 2; ; k++) if (!taken(`${base}-${k}`) && !taken(`${base}-${k}/0`)) return `${base}-${k}`;
}

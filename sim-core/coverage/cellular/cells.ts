/**
 * 5G NR cells (sectors) for coverage: site position, antenna height, azimuth, mechanical and electrical
 * downtilt, sector pattern, band and power. A {@link CellSet} is an editable table (add, move, retune,
 * remove) whose hot-loop view is per-cell precomputed kernels ({@link PathLossKernel},
 * {@link MountedAntenna}) and flat arrays.
 *
 * From a {@link City}: every device of type `cell5g` is a cell. Mapping and documented defaults:
 * - position `xyM`, antenna height `heightM` (required, > 1.5 m), azimuth = `headingDeg` (clockwise
 *   from north; a NaN heading means an omnidirectional antenna: `omni`), mechanical downtilt =
 *   `tiltDeg` (NaN → 6°, a usual macro downtilt; put a ledger's *total* downtilt here and leave
 *   `electricalTiltDeg` unset);
 * - attrs: `electricalTiltDeg` (0), `band` or `nrBand` ('n78'; or `bandGHz` 3.5 / 2.6 / 0.7 picks
 *   n78 / n41 / n28, another value makes a user-defined band at that frequency with n78's bandwidth
 *   and SCS), `fcGHz`, `channelBandwidthMHz` (or `bandwidthMHz`), `scsKHz`, `ssbEpreDbm` or
 *   `txPowerDbm` (see link-budget.ts),
 *   `feederLossDb` (0: an AAU has no feeder), `scenario` ('uma' | 'umi'; default 'uma', or 'umi' when
 *   the antenna is below 15 m), `siteId` (cells with the same site share one line-of-sight test per
 *   sample; default: cells at the same x, y and height), antenna pattern overrides `hBeamwidthDeg`,
 *   `vBeamwidthDeg`, `frontToBackDb`, `sideLobeDb`, `antennaGainDbi`;
 * - cells that are not `healthy` (完好) are left out (a broken cell covers nothing).
 */
import { DEVICE_TYPES, type City } from '../../cim/types.ts';
import { CimError, recordName } from '../../cim/errors.ts';
import { DEFAULT_SECTOR_ANTENNA, MountedAntenna, checkAntennaPattern, type SectorAntennaPattern } from './antenna.ts';
import { BAND_PRESETS, epreFromTotalPowerDbm, maxResourceBlocks } from './link-budget.ts';
import { PathLossKernel, type PathLossScenario } from './path-loss.ts';

const CELL5G_CODE = DEVICE_TYPES.indexOf('cell5g');

/** Height below which a cell without an explicit scenario is taken as UMi-Street Canyon, m. */
export const UMI_BELOW_HEIGHT_M = 15;
/** Mechanical downtilt used when a ledger has none, degrees. */
export const DEFAULT_MECHANICAL_TILT_DEG = 6;

export interface CellSpec {
  id: string;
  /** Cells with the same siteId share a mast (one LOS test per sample). Default: the id. */
  siteId?: string;
  xM: number;
  yM: number;
  /** Antenna height above ground, m. */
  heightM: number;
  /** Boresight bearing clockwise from north, degrees; omitted or NaN = omnidirectional. */
  azimuthDeg?: number;
  mechanicalTiltDeg?: number;
  electricalTiltDeg?: number;
  /** Band preset name ('n78', 'n41', 'n28') or a user-defined name with `fcGHz`. Default 'n78'. */
  band?: string;
  fcGHz?: number;
  channelBandwidthMHz?: number;
  scsKHz?: number;
  /** SS/PBCH block energy per resource element, dBm; takes precedence over txPowerDbm. */
  ssbEpreDbm?: number;
  /** Total carrier power, dBm, spread over 12 × N_RB subcarriers. */
  txPowerDbm?: number;
  feederLossDb?: number;
  scenario?: PathLossScenario;
  antenna?: Partial<SectorAntennaPattern>;
}

/** A cell after defaults, with its precomputed kernels. */
export interface ResolvedCell {
  id: string;
  siteId: string;
  xM: number;
  yM: number;
  heightM: number;
  azimuthDeg: number;
  omni: boolean;
  mechanicalTiltDeg: number;
  electricalTiltDeg: number;
  band: string;
  fcGHz: number;
  channelBandwidthMHz: number;
  scsKHz: number;
  nRb: number;
  /** SSS energy per resource element at the antenna port, dBm. */
  epreDbm: number;
  /** How epreDbm was obtained. */
  epreFrom: 'ssbEpreDbm' | 'txPowerDbm';
  txPowerDbm: number | null;
  feederLossDb: number;
  scenario: PathLossScenario;
  antenna: SectorAntennaPattern;
  /** Carrier key: cells with the same key interfere with each other. */
  carrier: string;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Resolves defaults and checks one cell; errors name the cell and the field. */
export function resolveCell(spec: CellSpec): ResolvedCell {
  const where = `cell '${spec.id}'`;
  const bad = (field: string, why: string) => new CimError(why, { record: where, field });
  if (!spec.id) throw new CimError('a cell needs an id', { field: 'id' });
  if (!Number.isFinite(spec.xM) || !Number.isFinite(spec.yM)) throw bad('xyM', 'position must be finite');
  if (!(spec.heightM > 1.5 && spec.heightM < 500)) throw bad('heightM', `antenna height must be above the 1.5 m UE and below 500 m, got ${spec.heightM}`);
  const omni = spec.azimuthDeg === undefined || Number.isNaN(spec.azimuthDeg);
  const azimuthDeg = omni ? 0 : (spec.azimuthDeg as number);
  if (!Number.isFinite(azimuthDeg)) throw bad('headingDeg', 'azimuth must be finite');
  let mechanicalTiltDeg = spec.mechanicalTiltDeg === undefined || Number.isNaN(spec.mechanicalTiltDeg) ? DEFAULT_MECHANICAL_TILT_DEG : spec.mechanicalTiltDeg;
  let electricalTiltDeg = spec.electricalTiltDeg ?? 0;
  if (omni) {
    // An omni antenna has no bearing to tilt toward: its downtilt applies in every azimuth.
    electricalTiltDeg += mechanicalTiltDeg;
    mechanicalTiltDeg = 0;
  }
  if (!(Math.abs(mechanicalTiltDeg) <= 90)) throw bad('tiltDeg', `mechanical tilt must be within ±90°, got ${mechanicalTiltDeg}`);
  if (!(Math.abs(electricalTiltDeg) <= 90)) throw bad('electricalTiltDeg', `electrical tilt must be within ±90°, got ${electricalTiltDeg}`);
  const band = spec.band ?? 'n78';
  const preset = BAND_PRESETS[band];
  if (!preset && spec.fcGHz === undefined) {
    throw bad('band', `unknown band '${band}': use ${Object.keys(BAND_PRESETS).join(', ')} or give fcGHz for a user-defined band`);
  }
  const base = preset ?? BAND_PRESETS.n78;
  const fcGHz = spec.fcGHz ?? base.fcGHz;
  if (!(fcGHz >= 0.5 && fcGHz <= 100)) throw bad('fcGHz', `carrier ${fcGHz} GHz is outside TR 38.901's 0.5–100 GHz`);
  const channelBandwidthMHz = spec.channelBandwidthMHz ?? base.channelBandwidthMHz;
  const scsKHz = spec.scsKHz ?? base.scsKHz;
  let nRb: number;
  try {
    nRb = maxResourceBlocks(channelBandwidthMHz, scsKHz);
  } catch (e) {
    throw bad('channelBandwidthMHz', (e as Error).message);
  }
  let epreDbm: number;
  let epreFrom: ResolvedCell['epreFrom'];
  let txPowerDbm: number | null = null;
  if (spec.ssbEpreDbm !== undefined) {
    if (!(spec.ssbEpreDbm > -60 && spec.ssbEpreDbm < 60)) throw bad('ssbEpreDbm', `EPRE must be in (−60, 60) dBm, got ${spec.ssbEpreDbm}`);
    epreDbm = spec.ssbEpreDbm;
    epreFrom = 'ssbEpreDbm';
  } else {
    txPowerDbm = spec.txPowerDbm ?? base.txPowerDbm;
    if (!(txPowerDbm > -30 && txPowerDbm < 80)) throw bad('txPowerDbm', `transmit power must be in (−30, 80) dBm, got ${txPowerDbm}`);
    epreDbm = epreFromTotalPowerDbm(txPowerDbm, nRb);
    epreFrom = 'txPowerDbm';
  }
  const feederLossDb = spec.feederLossDb ?? 0;
  if (!(feederLossDb >= 0 && feederLossDb < 50)) throw bad('feederLossDb', `must be in [0, 50) dB, got ${feederLossDb}`);
  const scenario = spec.scenario ?? (spec.heightM < UMI_BELOW_HEIGHT_M ? 'umi' : 'uma');
  if (scenario !== 'uma' && scenario !== 'umi') throw bad('scenario', `must be 'uma' or 'umi', got '${String(scenario)}'`);
  const antenna: SectorAntennaPattern = { ...DEFAULT_SECTOR_ANTENNA, ...definedOnly(spec.antenna ?? {}) };
  try {
    checkAntennaPattern(antenna, where);
  } catch (e) {
    throw bad('antenna', (e as Error).message);
  }
  return {
    id: spec.id,
    siteId: spec.siteId ?? spec.id,
    xM: spec.xM,
    yM: spec.yM,
    heightM: spec.heightM,
    azimuthDeg,
    omni,
    mechanicalTiltDeg,
    electricalTiltDeg,
    band,
    fcGHz,
    channelBandwidthMHz,
    scsKHz,
    nRb,
    epreDbm,
    epreFrom,
    txPowerDbm,
    feederLossDb,
    scenario,
    antenna,
    carrier: `${band}@${fcGHz}`,
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Band preset name for a device's `bandGHz` attribute (3.5 → n78, 2.6 → n41, 0.7 → n28). */
function bandFromGHz(ghz: number): string | undefined {
  for (const p of Object.values(BAND_PRESETS)) if (Math.abs(p.fcGHz - ghz) < 0.05) return p.band;
  return undefined;
}

/** The `cell5g` devices of a city as cell specs (see the module doc for the mapping and defaults). */
export function cellSpecsFromCity(city: City, opts: { includeUnhealthy?: boolean } = {}): CellSpec[] {
  const d = city.devices;
  const out: CellSpec[] = [];
  for (let i = 0; i < d.count; i++) {
    if (d.typeCode[i] !== CELL5G_CODE) continue;
    if (!opts.includeUnhealthy && !d.healthy[i]) continue;
    const a = d.attrs[i] ?? {};
    const bandGHz = num(a.bandGHz);
    let band = typeof a.band === 'string' ? a.band : typeof a.nrBand === 'string' ? a.nrBand : undefined;
    let fcGHz = num(a.fcGHz);
    if (!band && bandGHz !== undefined) {
      band = bandFromGHz(bandGHz);
      if (!band) {
        band = `user-${bandGHz}GHz`;
        fcGHz ??= bandGHz;
      }
    }
    const antenna: Partial<SectorAntennaPattern> = {
      hBeamwidthDeg: num(a.hBeamwidthDeg),
      vBeamwidthDeg: num(a.vBeamwidthDeg),
      frontToBackDb: num(a.frontToBackDb),
      sideLobeDb: num(a.sideLobeDb),
      gainDbi: num(a.antennaGainDbi),
    };
    const scen = a.scenario;
    out.push({
      id: d.ids[i],
      siteId: typeof a.siteId === 'string' || typeof a.siteId === 'number' ? String(a.siteId) : `@${d.xyM[2 * i].toFixed(1)},${d.xyM[2 * i + 1].toFixed(1)},${d.heightM[i].toFixed(1)}`,
      xM: d.xyM[2 * i],
      yM: d.xyM[2 * i + 1],
      heightM: d.heightM[i],
      azimuthDeg: d.headingDeg[i],
      mechanicalTiltDeg: d.tiltDeg[i],
      electricalTiltDeg: num(a.electricalTiltDeg),
      band,
      fcGHz,
      channelBandwidthMHz: num(a.channelBandwidthMHz) ?? num(a.bandwidthMHz),
      scsKHz: num(a.scsKHz),
      ssbEpreDbm: num(a.ssbEpreDbm),
      txPowerDbm: num(a.txPowerDbm),
      feederLossDb: num(a.feederLossDb),
      scenario: scen === 'uma' || scen === 'umi' ? scen : undefined,
      antenna,
    });
  }
  return out;
}

/** Resolves the city's cells, naming the device record on error. */
export function cellsFromCity(city: City, opts: { includeUnhealthy?: boolean } = {}): ResolvedCell[] {
  return cellSpecsFromCity(city, opts).map((s) => {
    try {
      return resolveCell(s);
    } catch (e) {
      if (e instanceof CimError) throw e.withLocation({ record: recordName('device', city.devices.ids.indexOf(s.id), s.id) });
      throw e;
    }
  });
}

/** Hot-loop kernels of one cell for a given UE height. */
export interface CellKernel {
  cell: ResolvedCell;
  pathLoss: PathLossKernel;
  antenna: MountedAntenna;
  /** epreDbm − feederLossDb: add the gain, subtract the path loss. */
  powerDbm: number;
}

export function makeCellKernel(cell: ResolvedCell, hUtM: number): CellKernel {
  return {
    cell,
    pathLoss: new PathLossKernel(cell.scenario, cell.fcGHz, cell.heightM, hUtM),
    antenna: new MountedAntenna(cell.antenna, cell.azimuthDeg, cell.mechanicalTiltDeg, cell.electricalTiltDeg, cell.omni),
    powerDbm: cell.epreDbm - cell.feederLossDb,
  };
}

/**
 * SS-RSRP of one cell at a point `dx, dy` metres east/north of the mast and `hUtM` above ground, for a
 * known LOS state, dBm (no O2I).
 */
export function cellRsrpDbm(k: CellKernel, dx: number, dy: number, hUtM: number, los: boolean): number {
  const d2 = Math.sqrt(dx * dx + dy * dy);
  const g = k.antenna.gainTowardDbi(dx, dy, hUtM - k.cell.heightM);
  return k.powerDbm + g - (los ? k.pathLoss.losDb(d2) : k.pathLoss.nlosDb(d2));
}

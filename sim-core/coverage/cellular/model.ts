/**
 * NR coverage model: SS-RSRP of the best server (and optionally SS-SINR) at every sample of one or
 * more sample sets (a raster grid, key-area points), with the line of sight of every link that can
 * matter decided exactly by the real buildings through the occlusion engine ({@link PrismIndex}), and
 * incremental what-if updates when one cell is added, moved, retuned or removed.
 *
 * **Per link** (cell c, sample s): SS-RSRP = EPRE_c + G_c(direction) − PL_c(d2D, LOS?) − O2I_c(s)
 * (link-budget.ts, antenna.ts, path-loss.ts with the 'planning' range policy: real mast heights,
 * d2D < 10 m taken as 10 m; o2i.ts for indoor samples when enabled). Cells on one mast (same x, y and
 * antenna height) share one line-of-sight test per sample. The segment tested runs from the UE (the
 * sample at `hUtM`) to the antenna; it skips the building the sample stands in (O2I samples: the spec's
 * LOS condition is that of the outdoor path) or else the building the antenna is mounted in (an
 * antenna below its building's roof is on that building's wall).
 *
 * **Exact best server with few rays.** NLOS path loss is never below LOS path loss, so for each link
 * the NLOS value is a guaranteed lower bound and the LOS value an upper bound, both known without a
 * ray. Per sample (masts nearest first): every link's NLOS value raises the running best; a link whose
 * LOS value with its best possible gain (G_max in front of the panel, the back-lobe bound behind it:
 * one dot product, see MountedAntenna.gainBoundDbi) cannot beat the running best is skipped without
 * trigonometry; the remaining masts are ray-tested in decreasing order of their LOS value until one is
 * in sight or the next cannot beat the best. The result is the same as testing every link.
 * Ties between equal values go to the lower cell slot, in full and incremental evaluation alike.
 *
 * **Reach.** Links longer than `maxRadiusM` (default 1500 m) are not evaluated: a cell covers nothing
 * beyond its reach. This is the one approximation of the best-server raster; TR 38.901 itself stops at
 * 5 km. Values at or below `floorDbm` count as no service (NaN).
 *
 * **SS-SINR** (option `sinr`): best server over noise plus every other cell on the same carrier within
 * reach, all at full power (link-budget.ts). Interfering links are ray-tested in decreasing order of
 * how much their LOS state could change the interference until what is left could move the SINR by
 * less than `sinrToleranceDb` (default 0.05 dB); links left untested are counted as NLOS, so the
 * reported SINR is at most that much optimistic.
 *
 * **Incremental.** `setCell` / `removeCell` touch only samples within reach of the cell's old and new
 * mast: samples whose best server was the changed cell are re-evaluated against all cells; the others
 * only compare the new cell with their current best (one link). With SINR on, every sample in reach is
 * re-evaluated. The result equals a full recomputation (tested).
 */
import KDBush from 'kdbush';
import type { BBoxM } from '../../cim/types.ts';
import type { PrismIndex } from '../../spatial/prism-index.ts';
import { makeCellKernel, resolveCell, type CellKernel, type CellSpec, type ResolvedCell } from './cells.ts';
import { cellCentreX, cellCentreY, distanceToBoundaryM, rasterizeFootprints, type GridSpec } from './grid.ts';
import { noisePerReDbm } from './link-budget.ts';
import { throughWallLossDb, type O2iModel } from './o2i.ts';

export interface NrModelOptions {
  /** Region holding every sample (samples outside it are refused). */
  extent: BBoxM;
  /** UE height above ground, m (default 1.5). */
  hUtM?: number;
  /** Longest link evaluated, m (default 1500). */
  maxRadiusM?: number;
  /** Values at or below this are no service, dBm (default −140). */
  floorDbm?: number;
  /** Compute SS-SINR too (default false). */
  sinr?: boolean;
  /** Largest optimistic error allowed in SINR from untested interfering links, dB (default 0.05). */
  sinrToleranceDb?: number;
  /** UE noise figure for SINR, dB (default 7). */
  noiseFigureDb?: number;
  /** O2I model for indoor samples; null (default) leaves indoor samples out. */
  o2i?: O2iModel | null;
  /** Tile size of the mast lookup, m (default 250). */
  tileM?: number;
}

/** Default reach of a cell, m. */
export const DEFAULT_MAX_RADIUS_M = 1500;
/** Default no-service floor, dBm. */
export const DEFAULT_FLOOR_DBM = -140;
/** d2D-in is capped at 25 m, the upper end of TR 38.901's uniform(0, 25 m) for UMa/UMi. */
export const MAX_D2D_IN_M = 25;

/**
 * Points where SS-RSRP is evaluated, with their results. Indices are stable; results are NaN / −1
 * where a sample is inactive or has no server above the floor.
 */
export class NrSampleSet {
  readonly count: number;
  /** Interleaved x, y, local metres. */
  readonly xyM: Float64Array;
  /** Building whose footprint holds the sample (indoor), or −1 (outdoor). */
  readonly indoorBuilding: Int32Array;
  /** Distance from an indoor sample to its building's nearest wall, capped at 25 m (d2D-in). */
  readonly d2DInM: Float32Array;
  /** 1 where the sample is evaluated (inside the scope; indoor samples only with O2I). */
  readonly active: Uint8Array;
  /** SS-RSRP of the best server, dBm; NaN when none (double precision: edits compare against it). */
  readonly rsrpDbm: Float64Array;
  /** Cell slot of the best server (see NrCoverageModel.cellId), or −1. */
  readonly bestCell: Int32Array;
  /** 1 when the best server's link was proven line-of-sight. */
  readonly los: Uint8Array;
  /** SS-SINR of the best server, dB (NaN when none); null unless the model computes SINR. */
  sinrDb: Float32Array | null = null;
  /** The grid these samples are the cell centres of, if any. */
  readonly grid: GridSpec | null;
  private kd: KDBush | null = null;

  private constructor(xyM: Float64Array, indoor: Int32Array, grid: GridSpec | null) {
    this.count = xyM.length / 2;
    this.xyM = xyM;
    this.indoorBuilding = indoor;
    this.d2DInM = new Float32Array(this.count);
    this.active = new Uint8Array(this.count).fill(1);
    this.rsrpDbm = new Float64Array(this.count).fill(NaN);
    this.bestCell = new Int32Array(this.count).fill(-1);
    this.los = new Uint8Array(this.count);
    this.grid = grid;
  }

  /**
   * The cell centres of a grid. Indoor/outdoor from the building footprints (scanline, by centre);
   * `scopeMask` (1 = inside) limits the active samples.
   */
  static fromGrid(grid: GridSpec, index: PrismIndex, scopeMask?: Uint8Array): NrSampleSet {
    const n = grid.nx * grid.ny;
    if (scopeMask && scopeMask.length !== n) throw new RangeError(`scope mask has ${scopeMask.length} cells, the grid ${n}`);
    const xy = new Float64Array(2 * n);
    for (let row = 0, s = 0; row < grid.ny; row++) {
      const y = cellCentreY(grid, row);
      for (let col = 0; col < grid.nx; col++, s++) {
        xy[2 * s] = cellCentreX(grid, col);
        xy[2 * s + 1] = y;
      }
    }
    const indoor = rasterizeFootprints(grid, index);
    const set = new NrSampleSet(xy, indoor, grid);
    if (scopeMask) for (let s = 0; s < n; s++) set.active[s] = scopeMask[s];
    set.fillD2DIn(index);
    return set;
  }

  /** Arbitrary points (e.g. key-area samples); indoor from the occlusion engine at ground level. */
  static fromPoints(xyM: Float64Array, index: PrismIndex): NrSampleSet {
    if (xyM.length % 2) throw new RangeError('xyM must hold x, y pairs');
    const n = xyM.length / 2;
    const indoor = new Int32Array(n);
    for (let s = 0; s < n; s++) indoor[s] = index.buildingAt(xyM[2 * s], xyM[2 * s + 1], 0);
    const set = new NrSampleSet(Float64Array.from(xyM), indoor, null);
    set.fillD2DIn(index);
    return set;
  }

  private fillD2DIn(index: PrismIndex) {
    for (let s = 0; s < this.count; s++) {
      const b = this.indoorBuilding[s];
      if (b < 0) continue;
      const d = distanceToBoundaryM(this.xyM[2 * s], this.xyM[2 * s + 1], index.ringStart, index.vertexStart, index.xyM, b);
      this.d2DInM[s] = d < MAX_D2D_IN_M ? d : MAX_D2D_IN_M;
    }
  }

  /** Calls `fn(s)` for every sample within `r` metres of (x, y) (no particular order). */
  forEachWithin(x: number, y: number, r: number, fn: (s: number) => void): void {
    const g = this.grid;
    const r2 = r * r;
    if (g) {
      const c = g.cellM;
      const row0 = Math.max(0, Math.ceil((y - r - g.originYM) / c - 0.5));
      const row1 = Math.min(g.ny - 1, Math.floor((y + r - g.originYM) / c - 0.5));
      for (let row = row0; row <= row1; row++) {
        const dy = g.originYM + (row + 0.5) * c - y;
        const half = Math.sqrt(Math.max(0, r2 - dy * dy));
        const col0 = Math.max(0, Math.ceil((x - half - g.originXM) / c - 0.5));
        const col1 = Math.min(g.nx - 1, Math.floor((x + half - g.originXM) / c - 0.5));
        for (let col = col0; col <= col1; col++) fn(row * g.nx + col);
      }
      return;
    }
    if (!this.kd) {
      const kd = new KDBush(this.count, 64, Float64Array);
      for (let s = 0; s < this.count; s++) kd.add(this.xyM[2 * s], this.xyM[2 * s + 1]);
      kd.finish();
      this.kd = kd;
    }
    for (const s of this.kd.within(x, y, r)) fn(s);
  }
}

const LN10_INV = 1 / Math.LN10;
const RAD_TO_DEG = 180 / Math.PI;

/**
 * Per-cell constants of the hot loop, flat (stride CELL_STRIDE), the same numbers as the cell's
 * PathLossKernel and MountedAntenna: power, G_max, back-lobe bound, d'BP, PL constants, O2I wall loss,
 * the panel's forward/right/up vectors, electrical tilt, 1/φ3dB (0 for omni), 1/θ3dB, SLA_V, A_max.
 */
const CELL_STRIDE = 24;
const P_POWER = 0, P_GMAX = 1, P_BACK = 2, P_BP = 3, P_C1 = 4, P_S1 = 5, P_C2 = 6, P_NC = 7, P_NS = 8, P_O2I = 9;
const P_FX = 10, P_FY = 11, P_FZ = 12, P_RX = 13, P_RY = 14, P_UX = 15, P_UY = 16, P_UZ = 17;
const P_ETILT = 18, P_INVH = 19, P_INVV = 20, P_SLA = 21, P_FB = 22;

// Per-sample scratch (module level: no allocation per sample).
let CAND_MAST = new Int32Array(256); // mast id
let CAND_V = new Float64Array(256); // best LOS value of the mast
let CAND_C = new Int32Array(256); // cell giving it
let CAND_STATE = new Uint8Array(256); // 0 untested, 1 LOS, 2 NLOS
let CAND_ILO = new Float64Array(256); // SINR: interference of the mast's cells if NLOS (mW)
let CAND_IHI = new Float64Array(256); // SINR: … if LOS (mW)
let ENT_CAND = new Int32Array(1024); // SINR: per-cell entries: candidate index, cell, NLOS and LOS dBm
let ENT_CELL = new Int32Array(1024);
let ENT_VN = new Float64Array(1024);
let ENT_VL = new Float64Array(1024);

function growCand(n: number) {
  if (n < CAND_MAST.length) return;
  const m = CAND_MAST.length * 2;
  const g32 = (a: Int32Array) => {
    const b = new Int32Array(m);
    b.set(a);
    return b;
  };
  const g64 = (a: Float64Array) => {
    const b = new Float64Array(m);
    b.set(a);
    return b;
  };
  CAND_MAST = g32(CAND_MAST);
  CAND_C = g32(CAND_C);
  CAND_V = g64(CAND_V);
  CAND_ILO = g64(CAND_ILO);
  CAND_IHI = g64(CAND_IHI);
  const st = new Uint8Array(m);
  st.set(CAND_STATE);
  CAND_STATE = st;
}

function growEnt(n: number) {
  if (n < ENT_CAND.length) return;
  const m = ENT_CAND.length * 2;
  const a = new Int32Array(m);
  a.set(ENT_CAND);
  ENT_CAND = a;
  const b = new Int32Array(m);
  b.set(ENT_CELL);
  ENT_CELL = b;
  const c = new Float64Array(m);
  c.set(ENT_VN);
  ENT_VN = c;
  const d = new Float64Array(m);
  d.set(ENT_VL);
  ENT_VL = d;
}

/**
 * Gain (dBi) of the cell whose constants start at `o` in `P`, toward (dx, dy, dz); `xf` is the forward
 * component already computed for the cheap bound. The TR 38.901 Table 7.3-1 pattern of
 * MountedAntenna.gainTowardDbi on flat constants (same operations, same results). Returns −Infinity
 * as soon as the vertical cut alone shows that `top` + gain stays below `floor`: the 3D pattern never
 * exceeds −min(A_V, A_max), because A_H ≤ 0; this saves the second arctangent on most far links.
 */
function flatGainAbove(P: Float64Array, o: number, dx: number, dy: number, dz: number, xf: number, top: number, floor: number): number {
  const yr = dx * P[o + P_RX] + dy * P[o + P_RY];
  const zu = dx * P[o + P_UX] + dy * P[o + P_UY] + dz * P[o + P_UZ];
  const tv = (Math.atan2(zu, Math.sqrt(xf * xf + yr * yr)) * RAD_TO_DEG + P[o + P_ETILT]) * P[o + P_INVV];
  let att = 12 * tv * tv;
  if (att > P[o + P_SLA]) att = P[o + P_SLA];
  const fb = P[o + P_FB];
  if (top + P[o + P_GMAX] - (att < fb ? att : fb) < floor) return -Infinity;
  const invH = P[o + P_INVH];
  if (invH > 0) {
    const th = Math.atan2(yr, xf) * RAD_TO_DEG * invH;
    const ah = 12 * th * th;
    att += ah < fb ? ah : fb;
  }
  return P[o + P_GMAX] - (att < fb ? att : fb);
}

/** True when (v, c) beats (bv, bc): a higher value, or an equal one from a lower cell slot. */
const better = (v: number, c: number, bv: number, bc: number) => v > bv || (v === bv && bc >= 0 && c < bc);

interface Mast {
  x: number;
  y: number;
  h: number;
  key: string;
  cells: number[];
  /** Building the antenna stands inside (below its roof), or −1. */
  mountBuilding: number;
  dh2: number;
}

/** Counters of the work done, for benches and what-if reports. */
export interface NrWorkCounters {
  samples: number;
  links: number;
  gains: number;
  rays: number;
}

export class NrCoverageModel {
  readonly index: PrismIndex;
  readonly extent: BBoxM;
  readonly hUtM: number;
  readonly maxRadiusM: number;
  readonly floorDbm: number;
  readonly sinr: boolean;
  readonly sinrToleranceDb: number;
  readonly noiseFigureDb: number;
  readonly o2i: O2iModel | null;
  readonly tileM: number;
  readonly counters: NrWorkCounters = { samples: 0, links: 0, gains: 0, rays: 0 };

  private readonly sets: NrSampleSet[] = [];
  // cells by slot
  private cells: (ResolvedCell | null)[] = [];
  private kernels: (CellKernel | null)[] = [];
  private cellMast: number[] = [];
  private cellCarrier: number[] = [];
  private cellO2iTwDb: number[] = [];
  private cellNoiseMw: number[] = [];
  private params = new Float64Array(64 * CELL_STRIDE);
  private readonly slotById = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private readonly carriers = new Map<string, number>();
  // masts by id
  private masts: (Mast | null)[] = [];
  private readonly mastByKey = new Map<string, number>();
  // tiles → masts within reach of the tile, nearest first
  private readonly tileNx: number;
  private readonly tileNy: number;
  private readonly tileLists: number[][];

  constructor(index: PrismIndex, opts: NrModelOptions) {
    this.index = index;
    const e = opts.extent;
    if (!(e && e.maxX > e.minX && e.maxY > e.minY)) throw new RangeError('NrCoverageModel needs a non-empty extent');
    this.extent = { ...e };
    this.hUtM = opts.hUtM ?? 1.5;
    this.maxRadiusM = opts.maxRadiusM ?? DEFAULT_MAX_RADIUS_M;
    this.floorDbm = opts.floorDbm ?? DEFAULT_FLOOR_DBM;
    this.sinr = opts.sinr ?? false;
    this.sinrToleranceDb = opts.sinrToleranceDb ?? 0.05;
    this.noiseFigureDb = opts.noiseFigureDb ?? 7;
    this.o2i = opts.o2i ?? null;
    this.tileM = opts.tileM ?? 250;
    if (!(this.hUtM >= 1.5 && this.hUtM <= 22.5)) throw new RangeError(`hUtM must be within TR 38.901's 1.5–22.5 m, got ${this.hUtM}`);
    if (!(this.maxRadiusM > 0 && this.maxRadiusM <= 5000)) throw new RangeError(`maxRadiusM must be in (0, 5000] m (TR 38.901 stops at 5 km), got ${this.maxRadiusM}`);
    if (!(this.tileM > 0)) throw new RangeError(`tileM must be positive, got ${this.tileM}`);
    if (!(this.sinrToleranceDb > 0)) throw new RangeError(`sinrToleranceDb must be positive, got ${this.sinrToleranceDb}`);
    this.tileNx = Math.max(1, Math.ceil((e.maxX - e.minX) / this.tileM));
    this.tileNy = Math.max(1, Math.ceil((e.maxY - e.minY) / this.tileM));
    this.tileLists = Array.from({ length: this.tileNx * this.tileNy }, () => []);
  }

  /** Registers a sample set (its results are filled by compute() and kept current by edits). */
  addSampleSet(set: NrSampleSet): NrSampleSet {
    const e = this.extent;
    for (let s = 0; s < set.count; s++) {
      const x = set.xyM[2 * s];
      const y = set.xyM[2 * s + 1];
      if (!(x >= e.minX && x <= e.maxX && y >= e.minY && y <= e.maxY)) {
        throw new RangeError(`sample ${s} (${x.toFixed(1)}, ${y.toFixed(1)}) lies outside the model extent`);
      }
      if (set.indoorBuilding[s] >= 0 && !this.o2i) set.active[s] = 0;
    }
    if (this.sinr && !set.sinrDb) set.sinrDb = new Float32Array(set.count).fill(NaN);
    this.sets.push(set);
    return set;
  }

  /** Cell id of a slot (as stored in `bestCell`), or null. */
  cellId(slot: number): string | null {
    return this.cells[slot]?.id ?? null;
  }

  /** The resolved cell with this id, or undefined. */
  getCell(id: string): ResolvedCell | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : (this.cells[slot] ?? undefined);
  }

  /** Ids of all cells. */
  cellIds(): string[] {
    return [...this.slotById.keys()];
  }

  /** Adds cells without evaluating anything (call compute() after). */
  setCells(specs: CellSpec[]): void {
    for (const spec of specs) this.placeCell(spec);
  }

  /** Evaluates every active sample of every set (or of one set, rows of a grid set `from..to`). */
  compute(set?: NrSampleSet, from = 0, to?: number): void {
    const sets = set ? [set] : this.sets;
    for (const ss of sets) {
      const end = to ?? ss.count;
      for (let s = from; s < end; s++) this.evaluate(ss, s);
    }
  }

  /**
   * Adds a cell, or replaces the cell with the same id (move, retune), and updates every sample set
   * incrementally. Returns the number of samples touched and re-evaluated in full.
   */
  setCell(spec: CellSpec): { touched: number; reevaluated: number } {
    const oldSlot = this.slotById.get(spec.id);
    const oldMast = oldSlot === undefined ? null : this.masts[this.cellMast[oldSlot]];
    const oldPos = oldMast ? { x: oldMast.x, y: oldMast.y } : null;
    const slot = this.placeCell(spec);
    const m = this.masts[this.cellMast[slot]] as Mast;
    return this.refresh(slot, oldPos, { x: m.x, y: m.y });
  }

  /** Removes a cell and updates every sample set incrementally. */
  removeCell(id: string): { touched: number; reevaluated: number } {
    const slot = this.slotById.get(id);
    if (slot === undefined) throw new RangeError(`no cell '${id}'`);
    const m = this.masts[this.cellMast[slot]] as Mast;
    const pos = { x: m.x, y: m.y };
    this.detachCell(slot);
    this.cells[slot] = null;
    this.kernels[slot] = null;
    this.slotById.delete(id);
    this.freeSlots.push(slot);
    return this.refresh(slot, pos, null);
  }

  // ---------------------------------------------------------------- cells and masts

  private placeCell(spec: CellSpec): number {
    const cell = resolveCell(spec);
    let slot = this.slotById.get(spec.id);
    if (slot !== undefined) this.detachCell(slot);
    else {
      slot = this.freeSlots.length ? (this.freeSlots.pop() as number) : this.cells.length;
      this.slotById.set(spec.id, slot);
    }
    const kernel = makeCellKernel(cell, this.hUtM);
    this.cells[slot] = cell;
    this.kernels[slot] = kernel;
    let carrier = this.carriers.get(cell.carrier);
    if (carrier === undefined) {
      carrier = this.carriers.size;
      this.carriers.set(cell.carrier, carrier);
    }
    this.cellCarrier[slot] = carrier;
    this.cellO2iTwDb[slot] = this.o2i ? throughWallLossDb(this.o2i, cell.fcGHz) : 0;
    this.cellNoiseMw[slot] = 10 ** (noisePerReDbm(cell.scsKHz, this.noiseFigureDb) / 10);
    this.fillParams(slot, kernel);
    const key = `${cell.xM.toFixed(2)},${cell.yM.toFixed(2)},${cell.heightM.toFixed(2)}`;
    let mastId = this.mastByKey.get(key);
    if (mastId === undefined) {
      mastId = this.masts.length;
      const mb = this.index.buildingAt(cell.xM, cell.yM, cell.heightM);
      const dh = cell.heightM - kernel.pathLoss.hUtM;
      this.masts.push({ x: cell.xM, y: cell.yM, h: cell.heightM, key, cells: [], mountBuilding: mb, dh2: dh * dh });
      this.mastByKey.set(key, mastId);
      this.addMastToTiles(mastId);
    }
    const mast = this.masts[mastId] as Mast;
    mast.cells.push(slot);
    mast.cells.sort((a, b) => a - b);
    this.cellMast[slot] = mastId;
    return slot;
  }

  private detachCell(slot: number) {
    const mastId = this.cellMast[slot];
    const mast = this.masts[mastId];
    if (!mast) return;
    mast.cells = mast.cells.filter((c) => c !== slot);
    if (mast.cells.length === 0) {
      this.removeMastFromTiles(mastId);
      this.mastByKey.delete(mast.key);
      this.masts[mastId] = null;
    }
  }

  private tileRange(x: number, y: number, r: number) {
    const e = this.extent;
    const t = this.tileM;
    return {
      tx0: Math.max(0, Math.floor((x - r - e.minX) / t)),
      tx1: Math.min(this.tileNx - 1, Math.floor((x + r - e.minX) / t)),
      ty0: Math.max(0, Math.floor((y - r - e.minY) / t)),
      ty1: Math.min(this.tileNy - 1, Math.floor((y + r - e.minY) / t)),
    };
  }

  private tileReach(): number {
    return this.maxRadiusM + this.tileM * Math.SQRT1_2;
  }

  private addMastToTiles(mastId: number) {
    const m = this.masts[mastId] as Mast;
    const reach = this.tileReach();
    const { tx0, tx1, ty0, ty1 } = this.tileRange(m.x, m.y, reach);
    const e = this.extent;
    for (let ty = ty0; ty <= ty1; ty++) {
      const cy = e.minY + (ty + 0.5) * this.tileM;
      for (let tx = tx0; tx <= tx1; tx++) {
        const cx = e.minX + (tx + 0.5) * this.tileM;
        const d = Math.hypot(m.x - cx, m.y - cy);
        if (d > reach) continue;
        const list = this.tileLists[ty * this.tileNx + tx];
        // keep nearest first: near masts raise the running best early and prune far ones
        let i = list.length;
        while (i > 0) {
          const o = this.masts[list[i - 1]] as Mast;
          if (Math.hypot(o.x - cx, o.y - cy) <= d) break;
          i--;
        }
        list.splice(i, 0, mastId);
      }
    }
  }

  private removeMastFromTiles(mastId: number) {
    const m = this.masts[mastId] as Mast;
    const { tx0, tx1, ty0, ty1 } = this.tileRange(m.x, m.y, this.tileReach());
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const list = this.tileLists[ty * this.tileNx + tx];
        const i = list.indexOf(mastId);
        if (i >= 0) list.splice(i, 1);
      }
    }
  }

  private fillParams(slot: number, k: CellKernel) {
    if ((slot + 1) * CELL_STRIDE > this.params.length) {
      const grown = new Float64Array(Math.max(this.params.length * 2, (slot + 1) * CELL_STRIDE));
      grown.set(this.params);
      this.params = grown;
    }
    const P = this.params;
    const o = slot * CELL_STRIDE;
    const a = k.antenna;
    const pat = a.pattern;
    const pl = k.pathLoss;
    const v = a.frame();
    P[o + P_POWER] = k.powerDbm;
    P[o + P_GMAX] = pat.gainDbi;
    P[o + P_BACK] = a.gainBoundDbi(-v[0], -v[1], -v[2]);
    P[o + P_BP] = pl.breakpointM;
    P[o + P_C1] = pl.losConst1;
    P[o + P_S1] = pl.losSlope1;
    P[o + P_C2] = pl.losConst2;
    P[o + P_NC] = pl.nlosConst;
    P[o + P_NS] = pl.nlosSlope;
    P[o + P_O2I] = this.cellO2iTwDb[slot];
    for (let i = 0; i < 8; i++) P[o + P_FX + i] = v[i];
    P[o + P_ETILT] = a.electricalTiltDeg;
    P[o + P_INVH] = a.omni ? 0 : 1 / pat.hBeamwidthDeg;
    P[o + P_INVV] = 1 / pat.vBeamwidthDeg;
    P[o + P_SLA] = pat.sideLobeDb;
    P[o + P_FB] = pat.frontToBackDb;
  }

  // ---------------------------------------------------------------- evaluation

  /** Line of sight from sample s of `set` to mast m (true = clear). */
  private clear(set: NrSampleSet, s: number, m: Mast): boolean {
    this.counters.rays++;
    const ib = set.indoorBuilding[s];
    const skip = ib >= 0 ? ib : m.mountBuilding;
    return !this.index.segmentBlocked(set.xyM[2 * s], set.xyM[2 * s + 1], this.hUtM, m.x, m.y, m.h, skip);
  }

  /** Full evaluation of one sample against every cell in reach. */
  private evaluate(set: NrSampleSet, s: number): void {
    if (!set.active[s]) {
      set.rsrpDbm[s] = NaN;
      set.bestCell[s] = -1;
      set.los[s] = 0;
      if (set.sinrDb) set.sinrDb[s] = NaN;
      return;
    }
    this.counters.samples++;
    const x = set.xyM[2 * s];
    const y = set.xyM[2 * s + 1];
    const e = this.extent;
    let tx = Math.floor((x - e.minX) / this.tileM);
    let ty = Math.floor((y - e.minY) / this.tileM);
    if (tx >= this.tileNx) tx = this.tileNx - 1;
    if (ty >= this.tileNy) ty = this.tileNy - 1;
    const list = this.tileLists[ty * this.tileNx + tx];
    const r2 = this.maxRadiusM * this.maxRadiusM;
    const hUt = this.hUtM;
    const indoor = set.indoorBuilding[s] >= 0;
    const pin = indoor ? 0.5 * set.d2DInM[s] : 0;
    const sinr = this.sinr;
    const P = this.params;
    let bestV = this.floorDbm;
    let bestC = -1;
    let nCand = 0;
    let nEnt = 0;
    const counters = this.counters;
    for (let li = 0; li < list.length; li++) {
      const mastId = list[li];
      const m = this.masts[mastId] as Mast;
      const dx = x - m.x;
      const dy = y - m.y;
      const d2 = dx * dx + dy * dy;
      if (d2 > r2) continue;
      counters.links++;
      const d = Math.sqrt(d2);
      const dc = d < 10 ? 10 : d;
      const lg = 0.5 * Math.log(dc * dc + m.dh2) * LN10_INV;
      const dz = hUt - m.h;
      let mV = -Infinity;
      let mC = -1;
      const cells = m.cells;
      for (let ci = 0; ci < cells.length; ci++) {
        const c = cells[ci];
        const o = c * CELL_STRIDE;
        const plLos = dc <= P[o + P_BP] ? P[o + P_C1] + P[o + P_S1] * lg : P[o + P_C2] + 40 * lg;
        const o2i = indoor ? P[o + P_O2I] + pin : 0;
        const top = P[o + P_POWER] - plLos - o2i;
        const xf = dx * P[o + P_FX] + dy * P[o + P_FY] + dz * P[o + P_FZ];
        // cannot beat the best even in LOS: on boresight, or behind the panel at its back-lobe bound
        if (!sinr && top + (xf > 0 ? P[o + P_GMAX] : P[o + P_BACK]) < bestV) continue;
        counters.gains++;
        const g = flatGainAbove(P, o, dx, dy, dz, xf, top, sinr ? -Infinity : bestV);
        if (g === -Infinity) continue;
        const nl = P[o + P_NC] + P[o + P_NS] * lg;
        const vl = top + g;
        const vn = nl > plLos ? P[o + P_POWER] - nl - o2i + g : vl;
        if (better(vn, c, bestV, bestC)) {
          bestV = vn;
          bestC = c;
        }
        if (vl > vn && better(vl, c, mV, mC)) {
          mV = vl;
          mC = c;
        }
        if (sinr) {
          growEnt(nEnt);
          ENT_CAND[nEnt] = nCand;
          ENT_CELL[nEnt] = c;
          ENT_VN[nEnt] = vn;
          ENT_VL[nEnt] = vl;
          nEnt++;
        }
      }
      if (mC >= 0 || sinr) {
        growCand(nCand);
        CAND_MAST[nCand] = mastId;
        CAND_V[nCand] = mC >= 0 ? mV : -Infinity;
        CAND_C[nCand] = mC;
        CAND_STATE[nCand] = 0;
        nCand++;
      }
    }
    // Rays in decreasing order of the LOS value, while it can beat the best.
    let bestLos = 0;
    for (;;) {
      let k = -1;
      let kv = bestV;
      let kc = bestC;
      for (let i = 0; i < nCand; i++) {
        if (CAND_STATE[i] === 0 && CAND_C[i] >= 0 && better(CAND_V[i], CAND_C[i], kv, kc)) {
          k = i;
          kv = CAND_V[i];
          kc = CAND_C[i];
        }
      }
      if (k < 0) break;
      if (this.clear(set, s, this.masts[CAND_MAST[k]] as Mast)) {
        CAND_STATE[k] = 1;
        bestV = kv;
        bestC = kc;
        bestLos = 1;
        break;
      }
      CAND_STATE[k] = 2;
    }
    if (bestC < 0) {
      set.rsrpDbm[s] = NaN;
      set.bestCell[s] = -1;
      set.los[s] = 0;
      if (set.sinrDb) set.sinrDb[s] = NaN;
      return;
    }
    set.rsrpDbm[s] = bestV;
    set.bestCell[s] = bestC;
    set.los[s] = bestLos;
    if (set.sinrDb) set.sinrDb[s] = this.sinrAt(set, s, bestV, bestC, nCand, nEnt);
  }

  /** SS-SINR of the best server from the per-cell entries of the sample just evaluated. */
  private sinrAt(set: NrSampleSet, s: number, bestV: number, bestC: number, nCand: number, nEnt: number): number {
    const carrier = this.cellCarrier[bestC];
    for (let i = 0; i < nCand; i++) {
      CAND_ILO[i] = 0;
      CAND_IHI[i] = 0;
    }
    for (let j = 0; j < nEnt; j++) {
      const c = ENT_CELL[j];
      if (c === bestC || this.cellCarrier[c] !== carrier) continue;
      const i = ENT_CAND[j];
      CAND_ILO[i] += 10 ** (ENT_VN[j] / 10);
      CAND_IHI[i] += 10 ** (ENT_VL[j] / 10);
    }
    const noise = this.cellNoiseMw[bestC];
    let known = 0; // interference whose LOS state is known or does not matter
    let open = 0; // sum of (LOS − NLOS) of untested masts
    for (let i = 0; i < nCand; i++) {
      const st = CAND_STATE[i];
      known += st === 1 ? CAND_IHI[i] : CAND_ILO[i];
      if (st === 0) open += CAND_IHI[i] - CAND_ILO[i];
    }
    const tol = 10 ** (this.sinrToleranceDb / 10) - 1;
    while (open > tol * (known + noise)) {
      let k = -1;
      let kd = 0;
      for (let i = 0; i < nCand; i++) {
        if (CAND_STATE[i] !== 0) continue;
        const dlt = CAND_IHI[i] - CAND_ILO[i];
        if (dlt > kd) {
          kd = dlt;
          k = i;
        }
      }
      if (k < 0) break;
      open -= kd;
      if (this.clear(set, s, this.masts[CAND_MAST[k]] as Mast)) {
        CAND_STATE[k] = 1;
        known += kd;
      } else CAND_STATE[k] = 2;
    }
    return bestV - 10 * Math.log10(known + noise);
  }

  /** Compares one (new) cell with the current best of a sample; the cell must be in the model. */
  private offer(set: NrSampleSet, s: number, c: number): void {
    if (!set.active[s]) return;
    const m = this.masts[this.cellMast[c]] as Mast;
    const x = set.xyM[2 * s];
    const y = set.xyM[2 * s + 1];
    const dx = x - m.x;
    const dy = y - m.y;
    const d2 = dx * dx + dy * dy;
    if (d2 > this.maxRadiusM * this.maxRadiusM) return;
    const bestC0 = set.bestCell[s];
    const bestV = bestC0 >= 0 ? set.rsrpDbm[s] : this.floorDbm;
    const d = Math.sqrt(d2);
    const dc = d < 10 ? 10 : d;
    const lg = 0.5 * Math.log(dc * dc + m.dh2) * LN10_INV;
    const P = this.params;
    const o = c * CELL_STRIDE;
    const plLos = dc <= P[o + P_BP] ? P[o + P_C1] + P[o + P_S1] * lg : P[o + P_C2] + 40 * lg;
    const o2i = set.indoorBuilding[s] >= 0 ? P[o + P_O2I] + 0.5 * set.d2DInM[s] : 0;
    const top = P[o + P_POWER] - plLos - o2i;
    const dz = this.hUtM - m.h;
    const xf = dx * P[o + P_FX] + dy * P[o + P_FY] + dz * P[o + P_FZ];
    if (top + (xf > 0 ? P[o + P_GMAX] : P[o + P_BACK]) < bestV) return;
    const g = flatGainAbove(P, o, dx, dy, dz, xf, top, bestV);
    if (g === -Infinity) return;
    const nl = P[o + P_NC] + P[o + P_NS] * lg;
    const vl = top + g;
    const vn = nl > plLos ? P[o + P_POWER] - nl - o2i + g : vl;
    if (vl > vn && better(vl, c, bestV, bestC0) && this.clear(set, s, m)) {
      set.rsrpDbm[s] = vl;
      set.bestCell[s] = c;
      set.los[s] = 1;
    } else if (better(vn, c, bestV, bestC0)) {
      set.rsrpDbm[s] = vn;
      set.bestCell[s] = c;
      set.los[s] = 0;
    }
  }

  private refresh(slot: number, oldPos: { x: number; y: number } | null, newPos: { x: number; y: number } | null) {
    const r = this.maxRadiusM;
    const r2 = r * r;
    let touched = 0;
    let reevaluated = 0;
    const alive = this.cells[slot] !== null;
    for (const set of this.sets) {
      if (oldPos) {
        set.forEachWithin(oldPos.x, oldPos.y, r, (s) => {
          touched++;
          if (this.sinr || set.bestCell[s] === slot) {
            reevaluated++;
            this.evaluate(set, s);
          } else if (alive && newPos) {
            const dx = set.xyM[2 * s] - newPos.x;
            const dy = set.xyM[2 * s + 1] - newPos.y;
            if (dx * dx + dy * dy <= r2) this.offer(set, s, slot);
          }
        });
      }
      if (newPos && alive) {
        set.forEachWithin(newPos.x, newPos.y, r, (s) => {
          if (oldPos) {
            const dx = set.xyM[2 * s] - oldPos.x;
            const dy = set.xyM[2 * s + 1] - oldPos.y;
            if (dx * dx + dy * dy <= r2) return; // done above
          }
          touched++;
          if (this.sinr) {
            reevaluated++;
            this.evaluate(set, s);
          } else this.offer(set, s, slot);
        });
      }
    }
    return { touched, reevaluated };
  }
}

/**
 * Raster viewshed on a DSM: which cells within a radius an observer standing on the surface can
 * see. The definition is that of GRASS GIS `r.viewshed` (GRASS 7/8, no curvature, no refraction)
 * so that the two can be compared cell by cell; docs/viewshed.md states it in full. In short:
 *
 * - The observer stands at the centre of the cell holding the given map point; the eye is at that
 *   cell's surface height plus `observerHeightM`. A target is the centre of a cell, at its surface
 *   height plus `targetHeightM`. Heights are float32, as r.viewshed reads them.
 * - A cell is a target when the distance between its centre and the observer cell's centre is at
 *   most `radiusM` (map units). Every other cell is 0 in the output.
 * - Terrain is seen from the eye through *elevation angles* `atan(Δz / distance)`. Each cell c has
 *   three: at its centre (its own height) and at its "enter" and "exit" corners — the two corners
 *   that bound the horizontal angular span of the cell as seen from the observer — whose height is
 *   the mean of the four cells sharing the corner (the cell's own height when one of them has no
 *   data or is off the grid). Along a horizontal direction θ inside the span the cell's elevation
 *   angle is interpolated linearly *in θ* between the corner and the centre.
 * - Target t is **blocked** when some cell c whose open square the open segment from the observer
 *   centre to t's centre passes through (c ≠ observer cell, c ≠ t, c has data) has, in t's
 *   direction, an elevation angle strictly greater than t's own. Otherwise t is visible (ties are
 *   visible). A segment through a corner does not touch the cells that only meet it there.
 * - No-data cells never block and are 0 in the output (1 with `nodataVisible`). The observer cell
 *   is 1.
 *
 * This is the model r.viewshed's radial sweep evaluates (Haverkort, Toma and Zhuang's algorithm
 * with Markus Metz's surface interpolation): at a target's centre event its status structure holds
 * exactly the cells whose angular span strictly contains the target's direction (events at equal
 * angles are ordered exit, centre, enter) and whose centre is nearer — the cells the segment
 * crosses. Here each target is decided by an exact walk along that segment instead:
 *
 * - the walk steps cell to cell with integer arithmetic, so corner passages are exact;
 * - every cell has an upper bound of its elevation angle over its whole span, kept as a slope
 *   (tan of the angle, no `atan` needed) rounded up to float32; most cells are dismissed by one
 *   comparison with it, and whole 64×64 and 8×8 blocks whose largest bound cannot block are
 *   jumped over;
 * - only a cell that might block is evaluated exactly, with r.viewshed's own arithmetic (its
 *   `atan` angles and horizontal angles are computed once per run, when first needed);
 * - targets are decided outwards from the observer, and the blocker found for the cell just before
 *   a target on its segment is tried first (it usually blocks the target too: the same wall).
 *
 * No allocation happens per target or per cell; buffers grow per engine to the largest window:
 * 17 bytes per window cell, plus 48 per cell that needed its exact values.
 */
import { CimError } from '../cim/errors.ts';
import { isNodata, type ByteRaster, type Float32Raster, RasterGrid } from './raster.ts';

export interface ViewshedOptions {
  /** Observer position, map x in the DSM's CRS. */
  observerX: number;
  /** Observer position, map y in the DSM's CRS. */
  observerY: number;
  /** Eye height above the DSM surface at the observer cell, metres (≥ 0). */
  observerHeightM: number;
  /** Height above the DSM surface of each target point, metres (≥ 0, default 0). */
  targetHeightM?: number;
  /** Cells whose centre is farther than this from the observer cell's centre are 0, map units (≥ 0). */
  radiusM: number;
  /** Report no-data cells inside the radius as visible (1) rather than 0. They never block either way. */
  nodataVisible?: boolean;
}

export interface ViewshedResult {
  /** Same grid as the DSM (georeferencing included): 1 visible, 0 not visible or beyond the radius. */
  visibility: ByteRaster;
  observerCol: number;
  observerRow: number;
  /** Absolute height of the eye: surface at the observer cell plus the observer height, metres. */
  observerEyeM: number;
  /** Cells whose centre is within the radius (observer cell included). */
  cellsInRadius: number;
  /** Cells marked 1. */
  visibleCount: number;
}

const TWO_PI = 2 * Math.PI;
const HALF_PI = Math.PI / 2;
const BLOCK_SHIFT = 3; // 8×8 blocks for jumping
const BLOCK = 1 << BLOCK_SHIFT;
const SUPER_SHIFT = 6; // 64×64 super-blocks (8×8 blocks) for longer jumps
const SUPER = 1 << SUPER_SHIFT;
const OUTSIDE = 0;
const NODATA = 1;
const TARGET = 2;

/**
 * Horizontal direction of the offset (dx columns east, dy rows south) as r.viewshed measures it:
 * radians counter-clockwise from east, in [0, 2π), from `atan(|dy| / |dx|)` and the quadrant.
 */
export function sweepAngle(dx: number, dy: number): number {
  const a = Math.atan(Math.abs(dy) / Math.abs(dx));
  if (dy === 0) return dx < 0 ? Math.PI : 0;
  if (dy < 0) return dx > 0 ? a : dx === 0 ? HALF_PI : Math.PI - a;
  return dx < 0 ? Math.PI + a : dx === 0 ? Math.PI * 1.5 : TWO_PI - a;
}

/**
 * Half offsets (±½ column, ±½ row) from a cell's centre to its enter and exit corners, for a cell
 * at offset (dc, dr) from the observer: the corners that bound its angular span, enter first in the
 * counter-clockwise sweep. Written to `out` as [enterX, enterY, exitX, exitY].
 */
export function spanCorners(dc: number, dr: number, out: Float64Array | number[]): void {
  let ex: number, ey: number, xx: number, xy: number;
  if (dr < 0) {
    if (dc < 0) (ex = 0.5), (ey = -0.5), (xx = -0.5), (xy = 0.5);
    else if (dc === 0) (ex = 0.5), (ey = 0.5), (xx = -0.5), (xy = 0.5);
    else (ex = 0.5), (ey = 0.5), (xx = -0.5), (xy = -0.5);
  } else if (dr === 0) {
    if (dc > 0) (ex = -0.5), (ey = 0.5), (xx = -0.5), (xy = -0.5);
    else (ex = 0.5), (ey = -0.5), (xx = 0.5), (xy = 0.5);
  } else if (dc > 0) (ex = -0.5), (ey = 0.5), (xx = 0.5), (xy = -0.5);
  else if (dc === 0) (ex = -0.5), (ey = -0.5), (xx = 0.5), (xy = -0.5);
  else (ex = -0.5), (ey = -0.5), (xx = 0.5), (xy = 0.5);
  out[0] = ex;
  out[1] = ey;
  out[2] = xx;
  out[3] = xy;
}

const CORNERS = new Float64Array(4);

/**
 * Viewshed computation with its scratch buffers. Reuse one engine for many observers: buffers grow
 * to the largest window seen and are never reallocated per target or per cell.
 */
export class ViewshedEngine {
  private capacity = 0;
  /** Per window cell: OUTSIDE the radius, NODATA, or TARGET. */
  private kind = new Uint8Array(0);
  /**
   * Per window cell: the largest of its three slopes Δz/distance (enter corner, centre, exit corner),
   * rounded up to float32 (−∞ for cells that never block).
   */
  private upper = new Float32Array(0);
  /** Per 8×8 block of the window: the largest `upper` in it. */
  private blockUpper = new Float32Array(0);
  /** Per 64×64 super-block of the window: the largest `upper` in it. */
  private superUpper = new Float32Array(0);
  /** Per window cell: the blocker found for it (window index), −1 when visible. */
  private blockerOf = new Int32Array(0);
  /** Per window cell: the run in which its exact values were computed, and where they are. */
  private exactRun = new Uint32Array(0);
  private exactSlot = new Int32Array(0);
  /** Exact values of the cells that needed them this run, 6 per slot: enter, centre, exit elevation angle, then their directions. */
  private exactData = new Float64Array(6 * 4096);
  private exactCount = 0;
  private run = 0;
  /** The current run: window, observer, DSM, output, and the target being decided. */
  private readonly f = {
    ww: 0,
    bw: 0,
    sbw: 0,
    // where a jump over a block lands (set by leave())
    nx: 0,
    ny: 0,
    oi: 0,
    oj: 0,
    ok: 0,
    oc: 0,
    or: 0,
    W: 0,
    H: 0,
    px: 1,
    py: 1,
    eyeM: 0,
    tgtM: 0,
    nodataOut: 0,
    nodata: null as number | null,
    values: new Float32Array(0) as Float32Array<ArrayBufferLike>,
    out: new Uint8Array(0) as Uint8Array<ArrayBufferLike>,
    visibleCount: 0,
    // target being decided: offset, slope, and (when needed) elevation angle and direction
    dc: 0,
    dr: 0,
    sT: 0,
    gT: NaN,
    thetaT: NaN,
  };

  private ensure(cells: number, blocks: number, supers: number): void {
    if (cells > this.capacity) {
      this.capacity = cells;
      this.kind = new Uint8Array(cells);
      this.upper = new Float32Array(cells);
      this.blockerOf = new Int32Array(cells);
      this.exactRun = new Uint32Array(cells);
      this.exactSlot = new Int32Array(cells);
      this.run = 0;
    }
    if (blocks > this.blockUpper.length) this.blockUpper = new Float32Array(blocks);
    if (supers > this.superUpper.length) this.superUpper = new Float32Array(supers);
  }

  /**
   * Computes the viewshed of one observer. `out`, when given, must have one byte per DSM cell and is
   * overwritten (and returned inside the result); otherwise a new array is allocated.
   */
  compute(dsm: Float32Raster, options: ViewshedOptions, out?: Uint8Array): ViewshedResult {
    const { grid, values, nodata } = dsm;
    const { observerX, observerY, observerHeightM, radiusM } = options;
    const targetHeightM = options.targetHeightM ?? 0;
    checkNumber(observerX, 'observerX');
    checkNumber(observerY, 'observerY');
    checkNonNegative(observerHeightM, 'observerHeightM');
    checkNonNegative(targetHeightM, 'targetHeightM');
    checkNonNegative(radiusM, 'radiusM');
    const W = grid.width;
    const H = grid.height;
    if (values.length !== W * H) throw new CimError(`has ${values.length} values for a ${W}×${H} grid`, { field: 'values' });
    const oc = grid.colAt(observerX);
    const or = grid.rowAt(observerY);
    if (!grid.contains(oc, or)) {
      const x1 = grid.originX + W * grid.pixelSizeX;
      const y0 = grid.originY - H * grid.pixelSizeY;
      throw new CimError(
        `observer (${observerX}, ${observerY}) is outside the DSM, which covers x ${grid.originX}…${x1}, y ${y0}…${grid.originY}`,
        { field: 'observer' },
      );
    }
    const z0 = values[or * W + oc];
    if (isNodata(z0, nodata)) {
      throw new CimError(`observer (${observerX}, ${observerY}) is on a no-data cell (column ${oc}, row ${or})`, { field: 'observer' });
    }
    if (out === undefined) out = new Uint8Array(W * H);
    else if (out.length !== W * H) throw new CimError(`has ${out.length} cells, the DSM has ${W * H}`, { field: 'out' });
    else out.fill(0);

    // r.viewshed keeps heights and offsets as float32
    const eyeM = Math.fround(z0 + Math.fround(observerHeightM));
    const px = grid.pixelSizeX;
    const py = grid.pixelSizeY;

    // the window of cells that can lie within the radius
    const rc = Math.floor(radiusM / px + 1e-9);
    const rr = Math.floor(radiusM / py + 1e-9);
    const c0 = Math.max(0, oc - rc);
    const c1 = Math.min(W - 1, oc + rc);
    const r0 = Math.max(0, or - rr);
    const r1 = Math.min(H - 1, or + rr);
    const ww = c1 - c0 + 1;
    const wh = r1 - r0 + 1;
    const bw = (ww + BLOCK - 1) >> BLOCK_SHIFT;
    const bh = (wh + BLOCK - 1) >> BLOCK_SHIFT;
    const sbw = (ww + SUPER - 1) >> SUPER_SHIFT;
    const sbh = (wh + SUPER - 1) >> SUPER_SHIFT;
    this.ensure(ww * wh, bw * bh, sbw * sbh);
    this.run = (this.run + 1) >>> 0;
    if (this.run === 0) {
      this.exactRun.fill(0);
      this.run = 1;
    }
    this.exactCount = 0;

    const f = this.f;
    f.ww = ww;
    f.bw = bw;
    f.sbw = sbw;
    f.oi = oc - c0;
    f.oj = or - r0;
    f.ok = f.oj * ww + f.oi;
    f.oc = oc;
    f.or = or;
    f.W = W;
    f.H = H;
    f.px = px;
    f.py = py;
    f.eyeM = eyeM;
    f.tgtM = Math.fround(targetHeightM);
    f.nodataOut = options.nodataVisible ? 1 : 0;
    f.nodata = nodata;
    f.values = values;
    f.out = out;

    const cellsInRadius = this.prepare(r0, r1, c0, c1, radiusM);
    const superUpper = this.superUpper;
    superUpper.fill(-Infinity, 0, sbw * sbh);
    for (let bj = 0; bj < bh; bj++) {
      for (let bi = 0; bi < bw; bi++) {
        const u = this.blockUpper[bj * bw + bi];
        const sb = (bj >> (SUPER_SHIFT - BLOCK_SHIFT)) * sbw + (bi >> (SUPER_SHIFT - BLOCK_SHIFT));
        if (u > superUpper[sb]) superUpper[sb] = u;
      }
    }

    f.visibleCount = 1;
    this.blockerOf[f.ok] = -1;
    out[or * W + oc] = 1;
    // Targets are decided moving away from the observer so that the cell a target's segment crosses
    // just before it has always been decided first: the four axis rays outwards, then each open
    // quadrant row by row outwards, each row outwards from the observer's column (so that memory is
    // read in runs).
    for (let d = 0; d < 4; d++) {
      const ux = d === 0 ? 1 : d === 1 ? -1 : 0;
      const uy = d === 2 ? 1 : d === 3 ? -1 : 0;
      for (let s = 1; ; s++) {
        const col = oc + ux * s;
        const row = or + uy * s;
        if (col < c0 || col > c1 || row < r0 || row > r1) break;
        this.target(ux * s, uy * s);
      }
    }
    for (let q = 0; q < 4; q++) {
      const sx = q & 1 ? -1 : 1;
      const sy = q & 2 ? -1 : 1;
      for (let y = 1; or + sy * y >= r0 && or + sy * y <= r1; y++) {
        for (let x = 1; oc + sx * x >= c0 && oc + sx * x <= c1; x++) this.target(sx * x, sy * y);
      }
    }

    return {
      visibility: { grid: new RasterGrid(grid), values: out },
      observerCol: oc,
      observerRow: or,
      observerEyeM: eyeM,
      cellsInRadius,
      visibleCount: f.visibleCount,
    };
  }

  /** Fills kind, slopes and bounds for the window cells; returns the number of cells in the radius. */
  private prepare(r0: number, r1: number, c0: number, c1: number, radiusM: number): number {
    const { ww, bw, oc, or, px, py } = this.f;
    const wh = r1 - r0 + 1;
    this.kind.fill(OUTSIDE, 0, ww * wh);
    this.upper.fill(-Infinity, 0, ww * wh);
    this.blockUpper.fill(-Infinity, 0, bw * ((wh + BLOCK - 1) >> BLOCK_SHIFT));
    let cellsInRadius = 0;
    for (let row = r0; row <= r1; row++) {
      const dr = row - or;
      const dyM = dr * py;
      // the cells of this row within the radius: |dc| ≤ span, by the same test as everywhere else
      if (!within(0, px, dyM, radiusM)) continue;
      let span = Math.floor(Math.sqrt(Math.max(0, radiusM * radiusM - dyM * dyM)) / px);
      while (span > 0 && !within(span, px, dyM, radiusM)) span--;
      while (within(span + 1, px, dyM, radiusM)) span++;
      const ca = Math.max(c0, oc - span);
      const cb = Math.min(c1, oc + span);
      cellsInRadius += cb - ca + 1;
      // runs of constant sign of dc share their enter and exit corners
      if (ca < oc) this.prepareRun(row, r0, c0, ca, Math.min(cb, oc - 1), -1, dr);
      if (ca <= oc && oc <= cb && dr !== 0) this.prepareRun(row, r0, c0, oc, oc, 0, dr);
      if (cb > oc) this.prepareRun(row, r0, c0, Math.max(ca, oc + 1), cb, 1, dr);
    }
    return cellsInRadius;
  }

  /** prepare() for columns colA…colB of one row, all on the same side (sign dcSign) of the observer. */
  private prepareRun(row: number, r0: number, c0: number, colA: number, colB: number, dcSign: number, dr: number): void {
    const { ww, bw, oc, W, H, px, py, eyeM, nodata, values } = this.f;
    const kind = this.kind;
    const upper = this.upper;
    const blockUpper = this.blockUpper;
    spanCorners(dcSign, dr, CORNERS);
    const hxE = CORNERS[0];
    const hyE = CORNERS[1];
    const hxX = CORNERS[2];
    const hyX = CORNERS[3];
    const dyM = dr * py;
    const j = row - r0;
    for (let col = colA; col <= colB; col++) {
      const k = j * ww + col - c0;
      const z = values[row * W + col];
      if (z !== z || z === nodata) {
        kind[k] = NODATA;
        continue;
      }
      kind[k] = TARGET;
      const dc = col - oc;
      const dxM = dc * px;
      const sC = (z - eyeM) / Math.sqrt(dxM * dxM + dyM * dyM);
      const sE = cornerSlope(values, nodata, W, H, col, row, z, hxE, hyE, dc, dr, px, py, eyeM);
      const sX = cornerSlope(values, nodata, W, H, col, row, z, hxX, hyX, dc, dr, px, py, eyeM);
      const u = roundUp32(sE > sC ? (sE > sX ? sE : sX) : sC > sX ? sC : sX);
      upper[k] = u;
      const b = (j >> BLOCK_SHIFT) * bw + ((col - c0) >> BLOCK_SHIFT);
      if (u > blockUpper[b]) blockUpper[b] = u;
    }
  }

  /** Decides the cell at offset (dc, dr) from the observer and records the result. */
  private target(dc: number, dr: number): void {
    const f = this.f;
    const k = (f.oj + dr) * f.ww + f.oi + dc;
    const kind = this.kind[k];
    if (kind === OUTSIDE) return;
    const i = (f.or + dr) * f.W + f.oc + dc;
    if (kind === NODATA) {
      this.blockerOf[k] = -1;
      if (f.nodataOut) {
        f.out[i] = 1;
        f.visibleCount++;
      }
      return;
    }
    f.dc = dc;
    f.dr = dr;
    f.gT = NaN;
    f.thetaT = NaN;
    const dxM = dc * f.px;
    const dyM = dr * f.py;
    f.sT = (Math.fround(f.values[i] + f.tgtM) - f.eyeM) / Math.sqrt(dxM * dxM + dyM * dyM);
    const blocker = this.decide(k);
    this.blockerOf[k] = blocker;
    if (blocker < 0) {
      f.out[i] = 1;
      f.visibleCount++;
    }
  }

  /** −1 when the current target (window cell k) is visible, else the window index of a blocker. */
  private decide(k: number): number {
    const { ww, oi, oj, dc, dr, sT } = this.f;
    const ax = dc < 0 ? -dc : dc;
    const ay = dr < 0 ? -dr : dr;
    const sx = dc < 0 ? -1 : 1;
    const sy = dr < 0 ? -1 : 1;
    // The cell the segment crosses just before the target: it enters the target across x = ax − ½
    // or y = ay − ½, whichever comes later along the segment (both at once: through the corner).
    const entry = (2 * ax - 1) * ay - (2 * ay - 1) * ax;
    const pk = k - (entry >= 0 ? sx : 0) - (entry <= 0 ? sy * ww : 0);
    const c = this.blockerOf[pk];
    if (c >= 0 && this.upper[c] > sT) {
      // That cell's blocker blocks this target too when the segment crosses its open square (the
      // line through observer and target separates the square's corners) and it is higher here.
      const cj = (c / ww) | 0;
      const cx = (c - cj * ww - oi) * sx;
      const cy = (cj - oj) * sy;
      if (cx >= 0 && cy >= 0 && cx <= ax && cy <= ay && !(cx === ax && cy === ay)) {
        const lo = (2 * cx - 1) * ay - (2 * cy + 1) * ax;
        const hi = (2 * cx + 1) * ay - (2 * cy - 1) * ax;
        if (lo < 0 && hi > 0 && this.blocks(c)) return c;
      }
    }
    return this.walk(ax, ay, sx, sy, sT);
  }

  /**
   * Walks the cells crossed by the segment from the observer to the current target, at
   * quadrant-normalised offset (ax, ay) with signs (sx, sy); −1 when none blocks, else the first
   * blocker's window index. Whole 64×64 super-blocks and 8×8 blocks whose bound cannot block are
   * jumped over.
   */
  private walk(ax: number, ay: number, sx: number, sy: number, sT: number): number {
    const f = this.f;
    const { ww, bw, sbw, oi, oj, ok } = f;
    const upper = this.upper;
    const blockUpper = this.blockUpper;
    const superUpper = this.superUpper;
    const stepY = sy * ww;
    const ax2 = 2 * ax;
    const ay2 = 2 * ay;
    const M = BLOCK - 1;
    const MS = SUPER - 1;
    // Cell (x, y) of the walk is window cell (oi + sx·x, oj + sy·y). The segment leaves it across
    // x + ½ when (2x+1)·ay < (2y+1)·ax, across y + ½ when greater, through the corner when equal; A and
    // B hold those two products exactly (integers below 2^53).
    let x = 0;
    let y = 0;
    let k = ok;
    for (;;) {
      // (x, y) is the first cell of a block along the walk, not yet tested (or the observer cell)
      const wi = oi + sx * x;
      const wj = oj + sy * y;
      if (superUpper[(wj >> SUPER_SHIFT) * sbw + (wi >> SUPER_SHIFT)] <= sT) {
        const lastX = x + (sx > 0 ? MS - (wi & MS) : wi & MS);
        const lastY = y + (sy > 0 ? MS - (wj & MS) : wj & MS);
        if (!this.leave(lastX, lastY, ax, ay)) return -1;
        k += sx * (f.nx - x) + stepY * (f.ny - y);
        x = f.nx;
        y = f.ny;
        continue;
      }
      const lastX = x + (sx > 0 ? M - (wi & M) : wi & M); // the walk's last x (y) inside this block
      const lastY = y + (sy > 0 ? M - (wj & M) : wj & M);
      if (blockUpper[(wj >> BLOCK_SHIFT) * bw + (wi >> BLOCK_SHIFT)] <= sT) {
        if (!this.leave(lastX, lastY, ax, ay)) return -1;
        k += sx * (f.nx - x) + stepY * (f.ny - y);
        x = f.nx;
        y = f.ny;
        continue;
      }
      if (k !== ok && upper[k] > sT && this.blocks(k)) return k;
      let A = (2 * x + 1) * ay;
      let B = (2 * y + 1) * ax;
      for (;;) {
        if (A < B) {
          x++;
          k += sx;
          A += ay2;
        } else if (A > B) {
          y++;
          k += stepY;
          B += ax2;
        } else {
          x++;
          y++;
          k += sx + stepY;
          A += ay2;
          B += ax2;
        }
        if (x === ax && y === ay) return -1;
        if (x > lastX || y > lastY) break; // entered the next block
        if (upper[k] > sT && this.blocks(k)) return k;
      }
    }
  }

  /**
   * Where the segment to (ax, ay) leaves the box whose last cells along the walk are lastX, lastY:
   * false when the target lies inside the box (nothing left to test), else true with the first cell
   * after the box in f.nx, f.ny.
   */
  private leave(lastX: number, lastY: number, ax: number, ay: number): boolean {
    if (lastX >= ax && lastY >= ay) return false;
    const pX = (2 * lastX + 1) * ay; // leaves across x = lastX + ½ (pX < pY), y = lastY + ½ (>), or the corner
    const pY = (2 * lastY + 1) * ax;
    let nx: number;
    let ny: number;
    if (pX < pY) {
      nx = lastX + 1;
      ny = Math.floor((pX + ax) / (2 * ax)); // the row holding the crossing point
    } else if (pX > pY) {
      ny = lastY + 1;
      nx = Math.floor((pY + ay) / (2 * ay));
    } else {
      nx = lastX + 1;
      ny = lastY + 1;
    }
    if (nx > ax || ny > ay || (nx === ax && ny === ay)) return false;
    this.f.nx = nx;
    this.f.ny = ny;
    return true;
  }

  /**
   * True when window cell k (crossed by the current target's segment) blocks it, decided exactly as
   * r.viewshed does: elevation angles by `atan`, interpolated in the target's direction.
   */
  private blocks(k: number): boolean {
    const f = this.f;
    if (f.gT !== f.gT) f.gT = Math.atan(f.sT);
    const gT = f.gT;
    const o = 6 * (this.exactRun[k] === this.run ? this.exactSlot[k] : this.fillExact(k));
    const e = this.exactData;
    const gE = e[o];
    const gC = e[o + 1];
    const gX = e[o + 2];
    if (gE > gT && gC > gT && gX > gT) return true;
    if (gE <= gT && gC <= gT && gX <= gT) return false;
    if (f.thetaT !== f.thetaT) f.thetaT = sweepAngle(f.dc, f.dr);
    const theta = f.thetaT;
    let a0 = e[o + 3];
    let a1 = e[o + 4];
    let a2 = e[o + 5];
    let g: number;
    if (theta === a1) g = gC;
    else {
      if (a1 === 0) {
        // a cell on the observer's row to the east: its span wraps around direction 0
        if (theta < Math.PI) a0 -= TWO_PI;
        else {
          a1 += TWO_PI;
          a2 += TWO_PI;
        }
      }
      g = theta < a1 ? gC + ((gE - gC) * (a1 - theta)) / (a1 - a0) : gC + ((gX - gC) * (theta - a1)) / (a2 - a1);
    }
    return g > gT;
  }

  /**
   * Computes, once per run, window cell k's elevation angles and directions at its enter corner,
   * centre and exit corner, with the same arithmetic as prepareRun(); returns their slot.
   */
  private fillExact(k: number): number {
    const { ww, oi, oj, oc, or, W, H, px, py, eyeM, nodata, values } = this.f;
    const j = (k / ww) | 0;
    const dc = k - j * ww - oi;
    const dr = j - oj;
    const col = oc + dc;
    const row = or + dr;
    const z = values[row * W + col];
    spanCorners(dc, dr, CORNERS);
    const dxM = dc * px;
    const dyM = dr * py;
    const sC = (z - eyeM) / Math.sqrt(dxM * dxM + dyM * dyM);
    const sE = cornerSlope(values, nodata, W, H, col, row, z, CORNERS[0], CORNERS[1], dc, dr, px, py, eyeM);
    const sX = cornerSlope(values, nodata, W, H, col, row, z, CORNERS[2], CORNERS[3], dc, dr, px, py, eyeM);
    const slot = this.exactCount++;
    if (6 * this.exactCount > this.exactData.length) {
      const grown = new Float64Array(this.exactData.length * 2);
      grown.set(this.exactData);
      this.exactData = grown;
    }
    const e = this.exactData;
    const o = 6 * slot;
    e[o] = Math.atan(sE);
    e[o + 1] = Math.atan(sC);
    e[o + 2] = Math.atan(sX);
    e[o + 3] = sweepAngle(dc + CORNERS[0], dr + CORNERS[1]);
    e[o + 4] = sweepAngle(dc, dr);
    e[o + 5] = sweepAngle(dc + CORNERS[2], dr + CORNERS[3]);
    this.exactRun[k] = this.run;
    this.exactSlot[k] = slot;
    return slot;
  }
}

const F32 = new Float32Array(1);
const I32 = new Int32Array(F32.buffer);

/** The smallest float32 ≥ v (bounds stored as float32 must not fall below the true value). */
function roundUp32(v: number): number {
  F32[0] = v;
  const f = F32[0]!;
  if (f >= v || f !== f) return f;
  // one float32 step up: towards +∞ in the bit pattern of a positive number, down for a negative one
  if (f === 0) I32[0] = 1;
  else if (f > 0) I32[0]!++;
  else I32[0]!--;
  return F32[0]!;
}

/** True when a cell `dc` columns from the observer on a row `dyM` from it is within the radius. */
function within(dc: number, px: number, dyM: number, radiusM: number): boolean {
  const dxM = dc * px;
  return Math.sqrt(dxM * dxM + dyM * dyM) <= radiusM;
}

/**
 * Slope Δz/distance from the eye to the corner of cell (col, row) at half offset (hx, hy) from its
 * centre; the cell is (dc, dr) from the observer and has height z. The corner's height is the mean
 * of the four cells that share it, summed in float32 in r.viewshed's order (diagonal neighbour, the
 * neighbour across the row, the one across the column, the cell), or z when one of them has no data
 * or is off the grid.
 */
function cornerSlope(
  values: Float32Array,
  nodata: number | null,
  W: number,
  H: number,
  col: number,
  row: number,
  z: number,
  hx: number,
  hy: number,
  dc: number,
  dr: number,
  px: number,
  py: number,
  eyeM: number,
): number {
  const col1 = hx > 0 ? col + 1 : col - 1;
  const row1 = hy > 0 ? row + 1 : row - 1;
  let zc = z;
  if (col1 >= 0 && col1 < W && row1 >= 0 && row1 < H) {
    const e1 = values[row1 * W + col1];
    const e2 = values[row1 * W + col];
    const e3 = values[row * W + col1];
    if (e1 === e1 && e2 === e2 && e3 === e3 && e1 !== nodata && e2 !== nodata && e3 !== nodata) {
      const f = Math.fround;
      zc = f(f(f(e1 + e2) + e3) + z) / 4;
    }
  }
  const dxC = (dc + hx) * px;
  const dyC = (dr + hy) * py;
  return (zc - eyeM) / Math.sqrt(dxC * dxC + dyC * dyC);
}

function checkNumber(v: number, field: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new CimError(`must be a finite number, got ${v}`, { field });
}

function checkNonNegative(v: number, field: string): void {
  checkNumber(v, field);
  if (v < 0) throw new CimError(`must be ≥ 0, got ${v}`, { field });
}

/** Computes one viewshed with a fresh engine (see {@link ViewshedEngine} to reuse buffers). */
export function computeViewshed(dsm: Float32Raster, options: ViewshedOptions, out?: Uint8Array): ViewshedResult {
  return new ViewshedEngine().compute(dsm, options, out);
}

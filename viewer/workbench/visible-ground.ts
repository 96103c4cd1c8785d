/**
 * The ground a camera sees, for drawing while it is dragged: square ground cells within the camera's
 * DORI range (its own design level, as the coverage model reads it) that are inside its frustum and in
 * clear line of sight past the buildings — the same per-point test as the coverage session
 * (`poseSeesPoint` over a {@link PrismIndex}). Pure and allocation-free per ray: the pose and the output
 * buffers are reused between calls; the result is runs of seen cells along grid rows (few quads to draw).
 */
import { doriPxPerM, maxRangeM, newPose, poseSeesPoint, preparePose, type CameraSpec, type Occluder } from '../../sim-core/coverage/camera.ts';

/** Runs of seen cells: row `k` spans x ∈ [x0M[k], x1M[k]] at y ∈ [yM[k] − cellM/2, yM[k] + cellM/2]. */
export interface VisibleRuns {
  count: number;
  x0M: Float64Array;
  x1M: Float64Array;
  yM: Float64Array;
  /** Cells tested and cells seen (for figures). */
  cellsTested: number;
  cellsSeen: number;
  /** The slant range used, m. */
  rangeM: number;
  cellM: number;
}

/** Computes visible ground runs, reusing its buffers. */
export class VisibleGround {
  private readonly pose = newPose();
  private runs: VisibleRuns;

  constructor(
    private readonly occluder: Occluder,
    /** Cell size, m. */
    readonly cellM = 1,
    /** Cells tested at most (a larger range is sampled with coarser cells). */
    readonly maxCells = 60_000,
  ) {
    this.runs = { count: 0, x0M: new Float64Array(1024), x1M: new Float64Array(1024), yM: new Float64Array(1024), cellsTested: 0, cellsSeen: 0, rangeM: 0, cellM };
  }

  /** The runs of ground cells camera `c` sees (ground at z = 0 of the local frame). The result is reused by the next call. */
  compute(c: CameraSpec, ptzMode: 'potential' | 'preset' = 'preset'): VisibleRuns {
    const pose = preparePose(c, ptzMode, this.pose);
    const rangeM = maxRangeM(c.widthPx, c.hfovDeg, doriPxPerM(c.doriLevel));
    const r2 = rangeM * rangeM;
    // Horizontal reach: the slant range over the mounting height.
    const reach = Math.sqrt(Math.max(0, r2 - c.heightM * c.heightM));
    let cell = this.cellM;
    while (((2 * reach) / cell) ** 2 > this.maxCells) cell *= 2;
    const mounted = this.occluder.buildingAt(c.xM, c.yM, c.heightM);
    const out = this.runs;
    out.count = 0;
    out.cellsTested = 0;
    out.cellsSeen = 0;
    out.rangeM = rangeM;
    out.cellM = cell;
    const n = Math.ceil(reach / cell);
    for (let j = -n; j <= n; j++) {
      const y = c.yM + j * cell;
      let runStart = NaN;
      for (let i = -n; i <= n + 1; i++) {
        const x = c.xM + i * cell;
        let seen = false;
        if (i <= n) {
          const dx = x - c.xM, dy = y - c.yM;
          if (dx * dx + dy * dy <= reach * reach) {
            out.cellsTested++;
            seen = poseSeesPoint(pose, r2, this.occluder, mounted, x, y, 0);
          }
        }
        if (seen) {
          out.cellsSeen++;
          if (Number.isNaN(runStart)) runStart = x;
        } else if (!Number.isNaN(runStart)) {
          this.push(runStart - cell / 2, x - cell / 2, y);
          runStart = NaN;
        }
      }
    }
    return out;
  }

  private push(x0: number, x1: number, y: number): void {
    const r = this.runs;
    if (r.count === r.x0M.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      r.x0M = grow(r.x0M);
      r.x1M = grow(r.x1M);
      r.yM = grow(r.yM);
    }
    r.x0M[r.count] = x0;
    r.x1M[r.count] = x1;
    r.yM[r.count] = y;
    r.count++;
  }
}

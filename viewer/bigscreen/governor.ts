/**
 * The big screen's frame-rate governor: holds a target frame rate by stepping Cesium's
 * `resolutionScale` down when frames are slow and back up when there is headroom, with hysteresis so
 * that it does not oscillate. {@link governResolution} is a pure function of the state and one fps
 * sample (unit-tested); {@link FpsMeter} turns frame times into samples. The page sets
 * `useBrowserRecommendedResolution = false`, so Cesium draws at devicePixelRatio × resolutionScale
 * device pixels per CSS pixel: `maxScale` 1 is full device resolution (crisp on a 4K wall at DPR 1,
 * and on a DPR 2 panel), lower scales trade sharpness for frame rate.
 */

/** Settings of the governor. */
export interface GovernorConfig {
  /** The frame rate to hold, frames per second. */
  targetFps: number;
  /** Scale bounds (Cesium resolutionScale). */
  minScale: number;
  maxScale: number;
  /** Multiplicative step: down = scale × stepFactor, up = scale ÷ stepFactor (0 < stepFactor < 1). */
  stepFactor: number;
  /** A sample below targetFps × lowFraction counts as slow. */
  lowFraction: number;
  /**
   * A sample counts as having headroom when the frame rate predicted at the next higher scale (fps ×
   * (scale / next)², frame time taken as proportional to pixels) is still at least targetFps × highFraction.
   */
  highFraction: number;
  /** Consecutive slow samples before stepping down, and consecutive headroom samples before stepping up. */
  downAfter: number;
  upAfter: number;
}

/** Defaults: 30 fps, scale 0.25…1, steps of ×0.8, down after 2 slow one-second samples, up after 3 with headroom. */
export const DEFAULT_GOVERNOR: GovernorConfig = { targetFps: 30, minScale: 0.25, maxScale: 1, stepFactor: 0.8, lowFraction: 0.9, highFraction: 1.1, downAfter: 2, upAfter: 3 };

/** The governor's state (immutable; each call returns a new one). */
export interface GovernorState {
  scale: number;
  /** Consecutive slow samples, and consecutive samples with headroom. */
  slow: number;
  headroom: number;
  /** What the last sample did. */
  action: 'hold' | 'down' | 'up';
}

/** The starting state: full scale. */
export function initialGovernor(config: GovernorConfig = DEFAULT_GOVERNOR): GovernorState {
  return { scale: config.maxScale, slow: 0, headroom: 0, action: 'hold' };
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * One step of the governor for one fps sample. In between the thresholds (the hysteresis band) both
 * streaks reset and the scale holds. A step resets both streaks, so the next step needs a full new
 * streak measured at the new scale.
 */
export function governResolution(state: GovernorState, fps: number, config: GovernorConfig = DEFAULT_GOVERNOR): GovernorState {
  if (!Number.isFinite(fps) || fps < 0) return { ...state, action: 'hold' };
  const { targetFps, minScale, maxScale, stepFactor } = config;
  const slow = fps < targetFps * config.lowFraction;
  const next = Math.min(maxScale, state.scale / stepFactor);
  const predicted = fps * (state.scale / next) ** 2;
  const headroom = !slow && state.scale < maxScale && predicted >= targetFps * config.highFraction;
  if (slow) {
    const streak = state.slow + 1;
    if (streak >= config.downAfter && state.scale > minScale) return { scale: round4(Math.max(minScale, state.scale * stepFactor)), slow: 0, headroom: 0, action: 'down' };
    return { scale: state.scale, slow: streak, headroom: 0, action: 'hold' };
  }
  if (headroom) {
    const streak = state.headroom + 1;
    if (streak >= config.upAfter) return { scale: round4(next), slow: 0, headroom: 0, action: 'up' };
    return { scale: state.scale, slow: 0, headroom: streak, action: 'hold' };
  }
  return { scale: state.scale, slow: 0, headroom: 0, action: 'hold' };
}

/**
 * Counts frames into samples of `windowMs`: call {@link frame} with each frame's timestamp (ms); it
 * returns the frame rate when a window closes, else null. A gap longer than `maxGapMs` between frames
 * (rendering paused: the page renders on demand) restarts the window, so idle time never reads as a
 * slow frame rate.
 */
export class FpsMeter {
  private start = -1;
  private last = -1;
  private frames = 0;
  /** Every sample so far (fps). */
  readonly samples: number[] = [];
  constructor(
    readonly windowMs = 1000,
    readonly maxGapMs = 2000,
  ) {}

  frame(nowMs: number): number | null {
    if (this.start < 0 || nowMs - this.last > this.maxGapMs) {
      this.start = this.last = nowMs;
      this.frames = 0;
      return null;
    }
    this.last = nowMs;
    this.frames++;
    const elapsed = nowMs - this.start;
    if (elapsed < this.windowMs) return null;
    const fps = (this.frames * 1000) / elapsed;
    this.samples.push(fps);
    this.start = nowMs;
    this.frames = 0;
    return fps;
  }

  /** Forgets the open window (call when continuous rendering stops). */
  reset(): void {
    this.start = this.last = -1;
    this.frames = 0;
  }
}

/**
 * Colours of the workbench's live layers (RGBA bytes), free of Cesium so that browser tests can import
 * them to recognise an area's state in a screenshot.
 */
import type { Rgba } from '../palette.ts';

/** Key areas of the HD-video set by covered state (translucent over the ground). */
export const AREA_STATE_COLORS: Record<'covered' | 'partly' | 'uncovered' | 'outside', Rgba> = {
  covered: [40, 170, 80, 190],
  partly: [240, 170, 30, 190],
  uncovered: [215, 40, 40, 190],
  /** Key areas not in the video set (not counted by the video indicator). */
  outside: [120, 120, 130, 110],
};

/** Important intersections by e-police coverage. */
export const INTERSECTION_COLORS: Record<'covered' | 'partly' | 'uncovered', Rgba> = {
  covered: [30, 150, 60, 255],
  partly: [235, 160, 20, 255],
  uncovered: [200, 30, 30, 255],
};

/** Device points by type (the fallback glyph; the three.js overlay draws the real ones). */
export const DEVICE_COLORS: Record<string, Rgba> = {
  camera: [30, 90, 200, 255],
  epolice: [120, 40, 170, 255],
  cell5g: [0, 150, 160, 255],
  weather: [60, 140, 60, 255],
  signal: [200, 120, 0, 255],
  pole: [90, 90, 90, 255],
};

/** The visible ground of the camera being dragged. */
export const VISIBLE_GROUND_COLOR: Rgba = [40, 120, 255, 150];

/** The state an area result is drawn with. */
export function areaState(a: { covered: boolean; coveredSamples: number }): 'covered' | 'partly' | 'uncovered' {
  return a.covered ? 'covered' : a.coveredSamples > 0 ? 'partly' : 'uncovered';
}

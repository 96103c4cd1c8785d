/**
 * Colours of the city layers (RGBA bytes). Kept free of Cesium so that browser tests can import them
 * to recognise building pixels in a screenshot.
 */
import type { RoadClass } from '../sim-core/cim/types.ts';

/** Red, green, blue, alpha, each 0–255. */
export type Rgba = readonly [number, number, number, number];

/** Colour groups of building uses, in legend order; uses not listed in {@link USE_GROUP} are `other`. */
export const BUILDING_USE_COLORS: Record<string, Rgba> = {
  residential: [236, 201, 140, 255],
  commercial: [232, 122, 92, 255],
  office: [110, 160, 214, 255],
  public: [160, 128, 200, 255],
  education: [96, 184, 176, 255],
  heritage: [170, 72, 72, 255],
  industrial: [150, 150, 140, 255],
  ancillary: [214, 198, 170, 255],
  other: [205, 205, 200, 255],
};

/** Building `use` values (docs/city-format.md; the default city's set) → colour group. */
export const USE_GROUP: Record<string, string> = {
  residential: 'residential',
  commercial: 'commercial',
  hotel: 'commercial',
  office: 'office',
  public: 'public',
  transport: 'public',
  hospital: 'public',
  school: 'education',
  kindergarten: 'education',
  heritage: 'heritage',
  industrial: 'industrial',
  ancillary: 'ancillary',
};

/** Road line colour by class (CJJ 37). */
export const ROAD_CLASS_COLORS: Record<RoadClass, Rgba> = {
  expressway: [214, 92, 40, 255],
  arterial: [240, 160, 60, 255],
  secondary: [246, 214, 110, 255],
  branch: [255, 255, 255, 255],
  service: [220, 220, 215, 255],
};

/** Key public areas (重点公共区域), translucent. */
export const KEY_AREA_COLOR: Rgba = [70, 170, 110, 110];
/** The city's ground plate. */
export const GROUND_COLOR: Rgba = [226, 222, 210, 255];

/** The colour group a building's `use` is drawn with. */
export function buildingUseKey(use: unknown): string {
  return typeof use === 'string' && Object.hasOwn(USE_GROUP, use) ? (USE_GROUP[use] as string) : 'other';
}

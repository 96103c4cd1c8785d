/**
 * The 城市运行全景图 tour as data: a sequence of scenes, each a camera flight, the layers shown, the
 * areas / intersections / devices highlighted and a caption in zh-CN and English. The big screen plays
 * it (viewer/tour), planners edit it (capture the current view as a scene) and the server stores it
 * (`/api/tours`). {@link parseTour} checks a tour and names the file, the scene and the field of the
 * first problem.
 */

/** Layers a scene may show (the viewer maps each to its drawing). */
export const TOUR_LAYERS = [
  'buildings',
  'roads',
  'key-areas',
  'video-coverage',
  'blind-spots',
  'cameras',
  'epolice',
  'nr5g-cells',
  'nr5g-raster',
  'nr5g-coverage',
  'weather-stations',
  'weather-spacing',
  'signals',
  'green-waves',
  'indicators',
  'next-star',
] as const;
/** One of {@link TOUR_LAYERS}. */
export type TourLayer = (typeof TOUR_LAYERS)[number];

/** Where the camera ends its flight: looking from `heightM` above the ground at lon/lat, Cesium's heading/pitch/roll. */
export interface TourCamera {
  lonDeg: number;
  latDeg: number;
  heightM: number;
  headingDeg: number;
  pitchDeg: number;
  rollDeg: number;
}

/** A caption in both interface languages. */
export interface TourCaption {
  'zh-CN': string;
  en: string;
}

/** One scene of a tour. */
export interface TourScene {
  id: string;
  title: TourCaption;
  caption: TourCaption;
  camera: TourCamera;
  /** Flight time to this scene's camera, seconds (default 3). */
  flightS: number;
  /** How long auto-play stays on the scene after the flight, seconds (default 8). */
  holdS: number;
  layers: TourLayer[];
  highlight: { areaIds: string[]; intersectionIds: string[]; deviceIds: string[] };
}

/** A whole tour. */
export interface Tour {
  format: 'cimtwin-tour';
  version: 1;
  id: string;
  name: TourCaption;
  /** The city the tour was made for (`default` for the served default city). */
  cityId: string;
  scenes: TourScene[];
}

/** A tour that does not follow the format; the message names the file, the scene and the field. */
export class TourFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TourFormatError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks `json` against the tour format and returns it typed, defaults filled in. `file` names the source in errors. */
export function parseTour(json: unknown, file = 'tour'): Tour {
  const fail = (where: string, message: string): never => {
    throw new TourFormatError(`${file}, ${where}: ${message}`);
  };
  if (!isObject(json)) return fail('top level', 'a tour is a JSON object');
  if (json.format !== 'cimtwin-tour') fail("field 'format'", `must be "cimtwin-tour"; got ${JSON.stringify(json.format)}`);
  if (json.version !== 1) fail("field 'version'", `must be 1; got ${JSON.stringify(json.version)}`);
  const text = (v: unknown, where: string, field: string, max = 200): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > max) return fail(where, `field '${field}' must be a text of 1 to ${max} characters; got ${JSON.stringify(v)}`);
    return v;
  };
  const caption = (v: unknown, where: string, field: string, max: number): TourCaption => {
    if (!isObject(v)) return fail(where, `field '${field}' must be {"zh-CN": "…", "en": "…"}`);
    return { 'zh-CN': text(v['zh-CN'], where, `${field}.zh-CN`, max), en: text(v.en, where, `${field}.en`, max) };
  };
  const num = (v: unknown, where: string, field: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) return fail(where, `field '${field}' must be a number from ${min} to ${max}; got ${JSON.stringify(v)}`);
    return v;
  };
  const ids = (v: unknown, where: string, field: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length === 0)) return fail(where, `field '${field}' must be a list of ids`);
    return v as string[];
  };
  const id = text(json.id, 'top level', 'id', 100);
  const name = caption(json.name, 'top level', 'name', 200);
  const cityId = text(json.cityId, 'top level', 'cityId', 100);
  if (!Array.isArray(json.scenes) || json.scenes.length === 0) return fail('top level', "field 'scenes' must be a non-empty list");
  if (json.scenes.length > 200) fail('top level', `field 'scenes' holds ${json.scenes.length} scenes; at most 200`);
  const seen = new Set<string>();
  const scenes = json.scenes.map((s: unknown, i: number): TourScene => {
    const where = `scene ${i}`;
    if (!isObject(s)) return fail(where, 'a scene is a JSON object');
    const sceneId = text(s.id, where, 'id', 100);
    if (seen.has(sceneId)) fail(where, `field 'id': "${sceneId}" is used by an earlier scene`);
    seen.add(sceneId);
    const c = s.camera;
    if (!isObject(c)) return fail(where, "field 'camera' must be {lonDeg, latDeg, heightM, headingDeg, pitchDeg, rollDeg}");
    const camera: TourCamera = {
      lonDeg: num(c.lonDeg, where, 'camera.lonDeg', -180, 180),
      latDeg: num(c.latDeg, where, 'camera.latDeg', -90, 90),
      heightM: num(c.heightM, where, 'camera.heightM', 1, 10_000_000),
      headingDeg: num(c.headingDeg ?? 0, where, 'camera.headingDeg', -360, 360),
      pitchDeg: num(c.pitchDeg ?? -45, where, 'camera.pitchDeg', -90, 90),
      rollDeg: num(c.rollDeg ?? 0, where, 'camera.rollDeg', -180, 180),
    };
    const layers = s.layers ?? [];
    if (!Array.isArray(layers)) return fail(where, "field 'layers' must be a list");
    for (const l of layers) if (!(TOUR_LAYERS as readonly unknown[]).includes(l)) fail(where, `field 'layers': unknown layer ${JSON.stringify(l)}; known: ${TOUR_LAYERS.join(', ')}`);
    const h = s.highlight ?? {};
    if (!isObject(h)) return fail(where, "field 'highlight' must be {areaIds, intersectionIds, deviceIds}");
    return {
      id: sceneId,
      title: caption(s.title, where, 'title', 100),
      caption: caption(s.caption, where, 'caption', 1000),
      camera,
      flightS: num(s.flightS ?? 3, where, 'flightS', 0, 120),
      holdS: num(s.holdS ?? 8, where, 'holdS', 0.5, 600),
      layers: layers as TourLayer[],
      highlight: { areaIds: ids(h.areaIds, where, 'highlight.areaIds'), intersectionIds: ids(h.intersectionIds, where, 'highlight.intersectionIds'), deviceIds: ids(h.deviceIds, where, 'highlight.deviceIds') },
    };
  });
  return { format: 'cimtwin-tour', version: 1, id, name, cityId, scenes };
}

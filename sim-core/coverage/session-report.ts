/**
 * The camera section of a `cimtwin coverage` report, and the report's frame: per-area and
 * per-intersection results, a summary of the cameras, blind spots and the indicator values.
 *
 * Shape: `{ format, version, city, camera: {...}, indicators }`. `indicators` is a
 * {@link SimulatedIndicatorValues} map at the top level so that the report can be piped into
 * `cimtwin score --values -`; other models (5G, weather) add their own sections beside `camera` and
 * their values into the same `indicators` map.
 */
import { ROAD_CLASSES } from '../cim/types.ts';
import { pointInTablePolygon } from '../geom/polygon.ts';
import type { SimulatedIndicatorValues } from '../indicators/values.ts';
import { blindSpots, type BlindSpotCollection } from './areas-blind-spots.ts';
import { isHdCamera, type CameraKind } from './camera.ts';
import { CAMERA_COVERAGE_MODEL, type AreaResult, type CoverageSession, type IntersectionResult, type ResolvedCoverageOptions } from './session.ts';

export const COVERAGE_REPORT_FORMAT = 'cimtwin-coverage';
export const COVERAGE_REPORT_VERSION = 1;

export interface AreaReport extends AreaResult {
  name: string | null;
  category: string;
  /** Polygon area, m². */
  polygonM2: number;
  /** Sampled open ground ≈ samples × gridM², m². */
  openGroundM2: number;
  /** The area is smaller than a grid cell and holds one representative sample. */
  representativeSample: boolean;
  /** Cameras counted for 完好率 / 联网率 that belong to this area, and how many of them are healthy / networked. */
  cameras: number;
  healthyCameras: number;
  networkedCameras: number;
}

export interface ApproachReport {
  linkId: string;
  linkName: string | null;
  roadClass: string;
  /** Stop-line lane points (one per inbound lane). */
  lanes: number;
  seenLanes: number;
  setbackM: number;
  covered: boolean;
}

export interface IntersectionReport extends IntersectionResult {
  name: string | null;
  roadClass: string;
  signalized: boolean;
  approachDetails: ApproachReport[];
}

export interface CameraSummary {
  total: number;
  byKind: Record<CameraKind, number>;
  hd: number;
  healthy: number;
  networked: number;
  ptz: number;
  /** Cameras counted for 完好率 / 联网率. */
  countedForHealth: number;
  /** Ids of cameras whose position lies inside a building prism (treated as mounted on it). */
  mountedInBuilding: string[];
  /** For each attribute, how many cameras took the documented default. */
  assumedDefaults: Record<string, number>;
}

export interface CameraSection {
  model: typeof CAMERA_COVERAGE_MODEL;
  options: ResolvedCoverageOptions;
  samples: { area: number; stopLine: number };
  cameras: CameraSummary;
  areas: AreaReport[];
  intersections: IntersectionReport[];
  blindSpots: BlindSpotCollection;
  /** Things a reader must know to read the numbers (e.g. an indicator left out for a zero denominator). */
  notes: string[];
}

export interface CoverageReport {
  format: typeof COVERAGE_REPORT_FORMAT;
  version: typeof COVERAGE_REPORT_VERSION;
  city: { name: string; synthetic: boolean; buildings: number; keyAreas: number; importantIntersections: number };
  camera: CameraSection;
  indicators: SimulatedIndicatorValues;
}

export interface ReportOptions {
  /** Compute blind spots (default true). */
  blindSpots?: boolean;
  /** Clip blind spots to the area polygons and cut them around buildings (slower; default false). */
  clipBlindSpots?: boolean;
}

/** The camera section of the report for the session's current state. */
export function cameraSection(session: CoverageSession, options: ReportOptions = {}): CameraSection {
  const city = session.city;
  const o = session.options;
  const cams = session.cameras();
  const byKind: Record<CameraKind, number> = { camera: 0, epolice: 0 };
  const assumedDefaults: Record<string, number> = {};
  const mountedInBuilding: string[] = [];
  let hd = 0, healthy = 0, networked = 0, ptz = 0, counted = 0;
  const slots = session.samples.areas.length;
  const perArea = { cams: new Uint32Array(slots), healthy: new Uint32Array(slots), networked: new Uint32Array(slots) };
  for (const c of cams) {
    byKind[c.kind]++;
    if (isHdCamera(c, o.hd)) hd++;
    if (c.healthy) healthy++;
    if (c.networked) networked++;
    if (c.ptz) ptz++;
    for (const f of c.assumed) assumedDefaults[f] = (assumedDefaults[f] ?? 0) + 1;
    if (session.mountedBuilding(c.id) >= 0) mountedInBuilding.push(c.id);
    if (!session.countsForHealth(c.id)) continue;
    counted++;
    for (const slot of areasOfCamera(session, c.id, c.xM, c.yM)) {
      perArea.cams[slot]++;
      if (c.healthy) perArea.healthy[slot]++;
      if (c.networked) perArea.networked[slot]++;
    }
  }
  const ka = city.keyAreas;
  const g2 = o.gridM * o.gridM;
  const areas: AreaReport[] = session.areaResults().map((r, slot) => ({
    ...r,
    name: ka.names[r.area],
    category: ka.category[r.area],
    polygonM2: Math.round(session.samples.polygonM2[slot] * 100) / 100,
    openGroundM2: session.samples.representative[slot] ? 0 : r.sampleCount * g2,
    representativeSample: session.samples.representative[slot] === 1,
    cameras: perArea.cams[slot],
    healthyCameras: perArea.healthy[slot],
    networkedCameras: perArea.networked[slot],
  }));
  const st = session.stopLines;
  const L = city.roadLinks, N = city.roadNodes;
  const intersections: IntersectionReport[] = session.intersectionResults().map((r, k) => {
    const approachDetails: ApproachReport[] = [];
    for (let a = st.approachStart[k]; a < st.approachStart[k + 1]; a++) {
      const l = st.approachLink[a];
      approachDetails.push({
        linkId: L.ids[l],
        linkName: L.names[l],
        roadClass: ROAD_CLASSES[L.classCode[l]],
        lanes: st.sampleStart[a + 1] - st.sampleStart[a],
        seenLanes: session.approachSeenLaneCount(a),
        setbackM: Math.round(st.setbackM[a] * 100) / 100,
        covered: session.approachCovered(a),
      });
    }
    return { ...r, name: N.names[r.node], roadClass: ROAD_CLASSES[N.classCode[r.node]], signalized: N.signalized[r.node] === 1, approachDetails };
  });
  const notes: string[] = [];
  const t = session.tallies();
  if (t.videoAreas === 0) notes.push('video_hd_coverage left out: the city has no key area in the HD-video set');
  if (t.camerasInAreas === 0) notes.push('video_camera_health and video_networking left out: no camera stands inside a video-set key area');
  if (t.intersections === 0) notes.push('epolice_coverage left out: the city has no important intersection (支路 intersections excluded)');
  if (o.ptzMode === 'potential' && ptz > 0) notes.push(`${ptz} PTZ camera(s) counted over their whole pan range (potential coverage; use ptzMode 'preset' for the home position only)`);
  const noHeading = assumedDefaults.headingDeg ?? 0;
  if (noHeading > 0) notes.push(`${noHeading} camera(s) have no heading in the inventory and were assumed to face north`);
  return {
    model: CAMERA_COVERAGE_MODEL,
    options: o,
    samples: { area: session.samples.count, stopLine: st.count },
    cameras: { total: cams.length, byKind, hd, healthy, networked, ptz, countedForHealth: counted, mountedInBuilding, assumedDefaults },
    areas,
    intersections,
    blindSpots: options.blindSpots === false ? { type: 'FeatureCollection', features: [] } : blindSpots(city, session.samples, session.areaSeen, session.prisms, { clip: options.clipBlindSpots }),
    notes,
  };
}

/** Area slots a counted camera belongs to: the video-set areas holding it, or (inside-or-covering) seen by it. */
function areasOfCamera(session: CoverageSession, id: string, x: number, y: number): number[] {
  const s = session.samples;
  const out = new Set<number>();
  for (let slot = 0; slot < s.areas.length; slot++) {
    const a = s.areas[slot];
    if (session.city.keyAreas.inVideoSet[a] && pointInTablePolygon(x, y, session.city.keyAreas.ringStart, session.city.keyAreas.vertexStart, session.city.keyAreas.xyM, a)) out.add(slot);
  }
  if (session.options.membership === 'inside-or-covering') {
    for (const k of session.areaSight(id)) if (session.city.keyAreas.inVideoSet[s.areas[s.slot[k]]]) out.add(s.slot[k]);
  }
  return [...out];
}

/** The whole report: city summary, the camera section and the indicator values at the top level. */
export function coverageReport(session: CoverageSession, options: ReportOptions = {}): CoverageReport {
  const city = session.city;
  return {
    format: COVERAGE_REPORT_FORMAT,
    version: COVERAGE_REPORT_VERSION,
    city: { name: city.meta.name, synthetic: city.meta.synthetic, buildings: city.buildings.count, keyAreas: city.keyAreas.count, importantIntersections: session.stopLines.nodes.length },
    camera: cameraSection(session, options),
    indicators: session.indicators(),
  };
}

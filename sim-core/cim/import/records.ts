/**
 * Records the format readers hand to the import context: already validated, in WGS84 lon/lat
 * (degrees), each with its provenance so that later steps (extent check, merging tile pieces, the
 * road graph) can still name the file and the record. The context projects them into the city's
 * local frame once the origin is known.
 */
import type { Attrs, DeviceType, RoadClass, ScopeKind } from '../types.ts';
import type { FileReport } from './report.ts';

/** Where a record came from: the file's report and the record's name (`feature 12 (id '33')`, `row 8`, `way 4411`). */
export interface Provenance {
  file: FileReport;
  record: string;
  /** Field that holds the position, for messages (default `geometry.coordinates`; a ledger's `经度/纬度`). */
  positionField?: string;
}

/** A polygon: rings (outer first) as flat lon,lat lists, open or closed. */
export type LngLatPolygon = number[][];

export type HeightSource = 'height' | 'levels' | 'default-storeys';

export interface BuildingRecord {
  prov: Provenance;
  id: string;
  /** One or more polygons (a MultiPolygon gives several parts). */
  polygons: LngLatPolygon[];
  baseM: number;
  roofM: number;
  heightSource: HeightSource;
  use: string;
  name: string | null;
  attrs: Attrs;
  /** Source tile of a tile-clipped piece (Tilezen `tile_index`); pieces of one id from different tiles are merged. */
  tileIndex?: number;
}

export interface RoadRecord {
  prov: Provenance;
  id: string;
  /** Polylines as flat lon,lat lists (a MultiLineString gives several). */
  lines: number[][];
  roadClass: RoadClass;
  lanes: number;
  speedLimitMps: number;
  oneway: boolean;
  name: string | null;
  attrs: Attrs;
  tileIndex?: number;
}

export interface SignalRecord {
  prov: Provenance;
  id: string;
  lonDeg: number;
  latDeg: number;
}

export interface KeyAreaRecord {
  prov: Provenance;
  id: string;
  /** Polygons, or null when the source gave only a point. */
  polygons: LngLatPolygon[] | null;
  /** The point when the source gave only a point. */
  point: [number, number] | null;
  category: string;
  name: string | null;
  inVideoSet?: boolean;
  in5gSet?: boolean;
  attrs: Attrs;
  tileIndex?: number;
}

export interface ScopeRecord {
  prov: Provenance;
  id: string;
  kind: ScopeKind;
  name: string | null;
  polygons: LngLatPolygon[];
  attrs: Attrs;
}

export interface DeviceRecord {
  prov: Provenance;
  id: string;
  type: DeviceType;
  lonDeg: number;
  latDeg: number;
  heightM: number;
  headingDeg?: number;
  tiltDeg?: number;
  healthy: boolean;
  networked: boolean;
  name: string | null;
  attrs: Attrs;
}

/**
 * A polygon seen in any input (also ones not imported, e.g. a pedestrian area), kept by id so that a
 * key-area point that is the label point of a polygon (Tilezen POIs share the id of their polygon) can
 * take its outline.
 */
export interface OutlineRecord {
  prov: Provenance;
  id: string;
  polygons: LngLatPolygon[];
}

/** What the readers produce; the context owns the lists. */
export interface RecordSink {
  buildings: BuildingRecord[];
  roads: RoadRecord[];
  signals: SignalRecord[];
  keyAreas: KeyAreaRecord[];
  scopes: ScopeRecord[];
  devices: DeviceRecord[];
  outlines: OutlineRecord[];
}

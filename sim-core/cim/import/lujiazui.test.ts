/**
 * Real data: the OpenStreetMap extract of Lujiazui / the Bund (Tilezen schema, ../shared/data, ODbL)
 * through the same importers as any user file. Expected counts are computed here from the raw files by
 * a route independent of the importer (plain JSON scans), and the README's figures are checked too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../../test/helpers/shared-data.ts';
import { ringSignedArea } from '../../geom/polygon.ts';
import { summarizeCity } from '../summary.ts';
import { importCity } from './index.ts';

const DIR = 'shanghai-lujiazui-osm-substitute';
const LAYERS = ['buildings', 'roads', 'pois', 'landuse', 'transit'] as const;
const paths = LAYERS.map((l) => sharedDataPath(`${DIR}/${l}.geojson`));
const ready = paths.every((p) => p !== null);

interface RawFeature {
  geometry: { type: string };
  properties: Record<string, unknown>;
}

describe.skipIf(!ready)('Lujiazui OSM extract (real data)', () => {
  const texts = paths.map((p) => readFileSync(p as string, 'utf8'));
  const raw = Object.fromEntries(LAYERS.map((l, i) => [l, (JSON.parse(texts[i]) as { features: RawFeature[] }).features])) as Record<(typeof LAYERS)[number], RawFeature[]>;
  const inputs = LAYERS.map((l, i) => ({ file: `${l}.geojson`, format: 'geojson' as const, text: texts[i] }));

  // Independent expectations from the raw features.
  const polygons = raw.buildings.filter((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon');
  const buildingIds = new Set(polygons.filter((f) => f.properties.kind === 'building' || f.properties.kind === 'building_part').map((f) => String(f.properties.id)));
  const idsWithHeight = new Set(polygons.filter((f) => typeof f.properties.height === 'number').map((f) => String(f.properties.id)));
  const idsWithPositiveHeight = new Set(polygons.filter((f) => typeof f.properties.height === 'number' && (f.properties.height as number) > 0).map((f) => String(f.properties.id)));
  const signalPois = raw.pois.filter((f) => f.properties.kind === 'traffic_signals');

  it('matches the README: 1,517 distinct OSM ids in the buildings layer, 696 with a height, 77 signals', () => {
    expect(new Set(raw.buildings.map((f) => f.properties.id)).size).toBe(1517);
    expect(idsWithHeight.size).toBe(696);
    expect(signalPois.length).toBe(77);
    // The README's 1,517 counts address and entrance points too; the building polygons carry fewer ids.
    expect(buildingIds.size).toBeLessThan(1517);
  });

  it('imports without defaults only when asked: the error names the first building without a height', () => {
    expect(() => importCity(inputs)).toThrow(/^buildings\.geojson, feature \d+ \(id '\d+'\), field 'height': no height/);
  });

  const { city, report } = importCity(inputs, { defaultStoreys: 3, name: 'Lujiazui' });
  const s = summarizeCity(city);

  it('keeps one building per OSM id: tile pieces merged, none split', () => {
    expect(new Set(city.buildings.ids).size).toBe(city.buildings.count);
    expect(city.buildings.ids.filter((id) => id.includes('#'))).toEqual([]);
    expect(new Set(city.buildings.ids)).toEqual(buildingIds);
    const merged = report.files[0].repairs.find((r) => r.kind === 'tile-pieces-merged-buildings');
    expect(merged?.count).toBe(polygons.length - buildingIds.size);
  });

  it('keeps every stated height; height 0 counts as missing', () => {
    expect(s.buildings.withHeight).toBe(idsWithPositiveHeight.size);
    const defaulted = city.buildings.attrs.filter((a) => a.heightSource === 'default-storeys').length;
    expect(defaulted).toBe(buildingIds.size - idsWithPositiveHeight.size);
    const tower = city.buildings.ids.indexOf('165792123');
    expect([city.buildings.names[tower], city.buildings.roofM[tower]]).toEqual(['上海中心大厦', 632]);
    expect(s.buildings.maxRoofM).toBe(632);
  });

  it('puts all 77 traffic signals on road-graph nodes, each on a way vertex', () => {
    expect(s.roads.signalized).toBe(signalPois.length);
    const pois = report.files[2];
    expect(pois.repairs.find((r) => r.kind === 'signal-nearest-node')).toBeUndefined();
    expect(pois.skipped.find((r) => r.kind === 'signal-unmatched')).toBeUndefined();
    // every signal is an intersection of the vehicle graph
    let signalIntersections = 0;
    for (let i = 0; i < city.roadNodes.count; i++) if (city.roadNodes.signalized[i] && city.roadNodes.degree[i] >= 2) signalIntersections++;
    expect(signalIntersections).toBe(77);
  });

  it('builds the vehicle graph with the OSM classes and no orphan nodes', () => {
    expect(s.roads.links).toBeGreaterThan(1000);
    expect(s.roads.lengthKmByClass.arterial).toBeGreaterThan(20);
    expect(s.roads.importantIntersections).toBeGreaterThan(100);
    expect(s.roads.importantIntersections).toBeLessThan(s.roads.intersections);
    // no node without a link
    const used = new Uint8Array(city.roadNodes.count);
    for (let i = 0; i < city.roadLinks.count; i++) used[city.roadLinks.from[i]] = used[city.roadLinks.to[i]] = 1;
    expect(used.every((u) => u === 1)).toBe(true);
    const footways = raw.roads.filter((f) => ['footway', 'path', 'cycleway', 'steps', 'pedestrian', 'pier'].includes(String(f.properties.kind_detail))).length;
    expect(report.files[1].skipped.find((r) => r.kind === 'not-vehicle-road')!.count).toBeGreaterThanOrEqual(footways);
  });

  it('finds key public areas of the seed categories', () => {
    expect(s.keyAreas.byCategory.hospital).toBe(raw.pois.filter((f) => f.properties.kind === 'hospital').length);
    expect(s.keyAreas.byCategory.library).toBe(1);
    // Park 40779542 comes as two tile pieces that do not touch, so their union has two parts: one
    // area holding two outer rings (the indicators count it once), not id and id#2 rows.
    expect(raw.landuse.filter((f) => String(f.properties.id) === '40779542').length).toBe(2);
    expect(city.keyAreas.ids.filter((id) => id.includes('#'))).toEqual([]);
    const park = city.keyAreas.ids.indexOf('40779542');
    expect(park).toBeGreaterThanOrEqual(0);
    let outers = 0;
    for (let r = city.keyAreas.ringStart[park]; r < city.keyAreas.ringStart[park + 1]; r++) if (ringSignedArea(city.keyAreas.xyM, city.keyAreas.vertexStart[r], city.keyAreas.vertexStart[r + 1]) > 0) outers++;
    expect(outers).toBe(2);
    expect(s.keyAreas.byCategory.park_square).toBeGreaterThan(5);
    expect(s.keyAreas.byCategory.transport_hub).toBeGreaterThanOrEqual(3);
    expect(city.meta.attribution).toEqual(['© OpenStreetMap contributors']);
  });
});

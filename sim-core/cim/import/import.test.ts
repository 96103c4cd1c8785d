import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cityFromGeoJSON, cityToGeoJSON } from '../city-file.ts';
import { CimError } from '../errors.ts';
import { LocalFrame } from '../frame.ts';
import { isImportantIntersection, summarizeCity } from '../summary.ts';
import { ringSignedArea, tablePolygonArea } from '../../geom/polygon.ts';
import { DEVICE_TYPES, ROAD_CLASSES } from '../types.ts';
import type { City } from '../types.ts';
import { detectFormat, fromWgs84, importCity, type ImportInput, type ImportOptions } from './index.ts';
import type { FileOptions } from './options.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/import');

function fixture(name: string, options?: FileOptions): ImportInput {
  const path = join(FIXTURES, name);
  const text = readFileSync(path, 'utf8');
  return { file: name, text, format: detectFormat(name, text.slice(0, 4096)), options };
}

/** Runs an import that must fail; returns the error after checking it is a located CimError. */
function importError(inputs: ImportInput[], options: ImportOptions = {}): CimError {
  let city: City | undefined;
  try {
    city = importCity(inputs, options).city;
  } catch (e) {
    expect(e).toBeInstanceOf(CimError);
    return e as CimError;
  }
  throw new Error(`import succeeded (${city?.buildings.count} buildings) but should have failed`);
}

const idx = (city: City, table: 'buildings' | 'keyAreas' | 'devices' | 'roadNodes', id: string) => {
  const i = city[table].ids.indexOf(id);
  expect(i, `${table} ${id}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe('bad input: every error names the file, the record and the field, and no city is returned', () => {
  it('broken JSON: line, column and the feature the parser was in', () => {
    const e = importError([fixture('good.geojson'), fixture('broken.geojson')]);
    expect(e.file).toBe('broken.geojson');
    expect(e.field).toBe('JSON syntax');
    const text = readFileSync(join(FIXTURES, 'broken.geojson'), 'utf8');
    const lines = text.split('\n');
    // The file ends inside feature 5 (the camera): the error is at the very end.
    expect(e.record).toBe(`line ${lines.length}, column ${lines[lines.length - 1].length + 1} (in or after feature 5)`);
    expect(e.message).toMatch(/truncated/);
  });

  it('unclosed ring: names the feature, the ring and both positions', () => {
    const e = importError([fixture('unclosed-ring.geojson')]);
    expect(e.file).toBe('unclosed-ring.geojson');
    expect(e.record).toBe("feature 1 (id 'u2')");
    expect(e.field).toBe('geometry.coordinates[0]');
    expect(e.reason).toMatch(/not closed.*\[119\.1605,36\.71\].*\[119\.1605,36\.71005\]/);
  });

  it('missing height without the repair: names the first such building and counts them', () => {
    const e = importError([fixture('missing-height.geojson')]);
    expect(e.file).toBe('missing-height.geojson');
    expect(e.record).toBe("feature 1 (id 'h2')");
    expect(e.field).toBe('height');
    expect(e.reason).toMatch(/2 of 3 building features/);
    expect(e.reason).toMatch(/--default-storeys/);
  });

  it('missing height with the repair: default storeys × storey height, counted and marked', () => {
    const { city, report } = importCity([fixture('missing-height.geojson')], { defaultStoreys: 4, storeyHeightM: 3.2 });
    expect(city.buildings.count).toBe(3);
    const h2 = idx(city, 'buildings', 'h2');
    expect(city.buildings.roofM[h2]).toBeCloseTo(12.8, 5);
    expect(city.buildings.attrs[h2].heightSource).toBe('default-storeys');
    expect(city.buildings.roofM[idx(city, 'buildings', 'h1')]).toBe(10);
    const repair = report.files[0].repairs.find((r) => r.kind === 'default-storeys')!;
    expect(repair.count).toBe(2);
    expect(repair.examples).toEqual(["feature 1 (id 'h2')", "feature 2 (id 'h3')"]);
    expect(repair.message).toMatch(/4 storeys × 3.2 m = 12.8 m/);
    expect(summarizeCity(city).buildings.withHeight).toBe(1);
    // A re-import of the city file keeps how each height was obtained.
    const again = importCity([{ file: 'city.json', format: 'geojson', json: cityToGeoJSON(city) }]).city;
    expect(summarizeCity(again).buildings.withHeight).toBe(1);
    expect(again.buildings.attrs[again.buildings.ids.indexOf('h2')].heightSource).toBe('default-storeys');
  });

  it('unknown CRS: names the CRS, the file and the crs member', () => {
    const e = importError([fixture('unknown-crs.geojson')]);
    expect(e.file).toBe('unknown-crs.geojson');
    expect(e.field).toBe('crs.properties.name');
    expect(e.reason).toMatch(/unsupported coordinate reference system "urn:ogc:def:crs:EPSG::3857"/);
  });

  it('coordinates outside the city: names the record, its distance, and keeps the origin on the good records', () => {
    const e = importError([fixture('outside-city.geojson')]);
    expect(e.file).toBe('outside-city.geojson');
    expect(e.record).toBe("feature 2 (id 'o3')");
    expect(e.field).toBe('geometry.coordinates');
    expect(e.reason).toMatch(/position 119\.161000, 3\.671000 is 36\d\d\.\d km from the city origin 119\.160\d\d, 36\.710\d\d, beyond the 50 km limit/);
  });

  it('coordinates outside the city with --clip: dropped and counted', () => {
    const { city, report } = importCity([fixture('outside-city.geojson')], { clip: true });
    expect(city.buildings.ids).toEqual(['o1', 'o2', 'o4']);
    expect(report.files[0].skipped.find((s) => s.kind === 'outside-extent')).toMatchObject({ count: 1, examples: ["feature 2 (id 'o3')"] });
  });

  it('coordinates outside an explicit bbox', () => {
    const e = importError([fixture('good.geojson')], { bbox: [119.15, 36.70, 119.1615, 36.72] });
    expect(e.record).toMatch(/^feature \d+ \(id '(a2|r1|scope-1)'\)$/);
    expect(e.reason).toMatch(/outside the city bbox 119\.15,36\.7,119\.1615,36\.72/);
  });

  it('duplicate ids in one file: names both features', () => {
    const e = importError([fixture('duplicate-ids.geojson')]);
    expect(e.file).toBe('duplicate-ids.geojson');
    expect(e.record).toBe("feature 2 (id 'd1')");
    expect(e.field).toBe('id');
    expect(e.reason).toMatch(/duplicate building id 'd1' \(first in duplicate-ids\.geojson, feature 0 \(id 'd1'\)\)/);
  });

  it('duplicate ids across files: names both files', () => {
    const e = importError([fixture('good.geojson'), { file: 'more.geojson', format: 'geojson', text: readFileSync(join(FIXTURES, 'good.geojson'), 'utf8') }]);
    expect(e.file).toBe('more.geojson');
    expect(e.field).toBe('id');
    expect(e.reason).toMatch(/duplicate building id 'b1' \(first in good\.geojson, feature 0 \(id 'b1'\)\)/);
  });

  it('duplicate ids in a ledger: names both rows and the column', () => {
    const e = importError([fixture('devices-duplicate-ids.csv')]);
    expect(e.file).toBe('devices-duplicate-ids.csv');
    expect(e.record).toBe('row 6');
    expect(e.field).toBe('编号');
    expect(e.reason).toMatch(/duplicate device id 'C001' \(also in row 2\)/);
  });

  it('an unreadable state in a ledger: names the row and the Chinese column', () => {
    const e = importError([fixture('devices-bad-state.csv')]);
    expect(e.message).toBe("devices-bad-state.csv, row 4, field '是否联网': \"也许\" is not a yes/no value (accepted: 是/否, 完好/故障, 在线/离线, 1/0, true/false, yes/no)");
  });

  it('a device without a mounting height is an error unless the defaults are asked for', () => {
    const csv = '编号,类型,经度,纬度\nX1,摄像机,119.16,36.71\n';
    const e = importError([{ file: 'no-height.csv', format: 'csv', text: csv }]);
    expect([e.file, e.record, e.field]).toEqual(['no-height.csv', 'row 2', 'height_m (安装高度)']);
    const { city, report } = importCity([{ file: 'no-height.csv', format: 'csv', text: csv }], { defaultDeviceHeights: true });
    expect(city.devices.heightM[0]).toBe(6);
    expect(report.files[0].repairs.map((r) => r.kind)).toContain('default-device-height');
  });

  it('bad values name their field', () => {
    const fc = (props: Record<string, unknown>) =>
      JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'q', properties: props, geometry: { type: 'Polygon', coordinates: [[[119.16, 36.71], [119.1602, 36.71], [119.1602, 36.7102], [119.16, 36.71]]] } }] });
    const one = (props: Record<string, unknown>) => importError([{ file: 'v.geojson', format: 'geojson', text: fc(props) }]);
    expect(one({ height: 'tall' }).field).toBe('height');
    expect(one({ height: 10, min_height: 12 }).reason).toMatch(/roof height 10 m is not above the base height 12 m/);
    expect(one({ 'building:levels': 'three' }).field).toBe('building:levels');
    expect(one({ height: 1200 }).reason).toMatch(/higher than any building/);
    const e = one({ category: '医院', video: 'maybe' });
    expect([e.record, e.field]).toEqual(["feature 0 (id 'q')", 'video']);
  });

  it('projected coordinates are named as such', () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'p', properties: { height: 9 }, geometry: { type: 'Polygon', coordinates: [[[13264000, 4398000], [13264020, 4398000], [13264020, 4398020], [13264000, 4398000]]] } }] });
    const e = importError([{ file: 'mercator.geojson', format: 'geojson', text }]);
    expect(e.field).toBe('geometry.coordinates[0][0]');
    expect(e.reason).toMatch(/looks like projected metres/);
  });

  it('OSM XML: a way with a node the file does not hold, malformed XML, duplicate elements', () => {
    const osm = (body: string) => ({ file: 'x.osm', format: 'osm-xml' as const, text: `<?xml version="1.0"?><osm version="0.6">${body}</osm>` });
    let e = importError([osm('<node id="1" lat="36.71" lon="119.16"/><way id="5"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>')]);
    expect([e.file, e.record, e.field]).toEqual(['x.osm', 'way 5', 'nd ref=2']);
    e = importError([osm('<node id="1" lat="36.71" lon="119.16"><tag k="a" v="b"></node>')]);
    expect(e.field).toBe('XML syntax');
    expect(e.record).toMatch(/^line 1, column \d+$/);
    e = importError([osm('<node id="1" lat="36.71" lon="119.16"/><node id="1" lat="36.72" lon="119.16"/>')]);
    expect([e.record, e.field]).toEqual(['node 1', 'id']);
    e = importError([osm('<node id="1" lat="36.71" lon="119.16"/><node id="2" lat="36.711" lon="119.16"/><node id="3" lat="36.711" lon="119.161"/><way id="7"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="building" v="yes"/><tag k="height" v="9"/></way>')]);
    expect([e.record, e.field]).toEqual(['way 7', 'nd']);
    expect(e.reason).toMatch(/not closed/);
  });

  it('an unknown CRS in a ledger row names the row and the column', () => {
    const e = importError([{ file: 'x.csv', format: 'csv', text: '编号,类型,经度,纬度,坐标系,安装高度\nA,摄像机,119.16,36.71,西安80,6\n' }]);
    expect([e.file, e.record, e.field]).toEqual(['x.csv', 'row 2', '坐标系']);
    expect(e.reason).toMatch(/unsupported coordinate reference system "西安80"/);
  });

  it('a forced road layer without a class is an error, not a skip', () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'r', properties: {}, geometry: { type: 'LineString', coordinates: [[119.16, 36.71], [119.161, 36.71]] } }] });
    const e = importError([{ file: 'roads.geojson', format: 'geojson', text, options: { layer: 'road' } }]);
    expect([e.file, e.record, e.field]).toEqual(['roads.geojson', "feature 0 (id 'r')", 'roadClass']);
  });

  it('a ledger without a coordinate column names the accepted headers', () => {
    const e = importError([{ file: 'x.csv', format: 'csv', text: '编号,类型,经度\nA,摄像机,119.16\n' }]);
    expect([e.file, e.record, e.field]).toEqual(['x.csv', 'row 1', 'lat']);
    expect(e.reason).toMatch(/latitude|纬度/);
  });

  it('options are checked', () => {
    expect(() => importCity([fixture('good.geojson')], { defaultStoreys: 0 })).toThrow(/defaultStoreys must be an integer/);
    expect(() => importCity([fixture('good.geojson')], { bbox: [120, 36, 119, 37] })).toThrow(/bbox/);
  });
});

describe('GeoJSON import', () => {
  const { city, report } = importCity([fixture('good.geojson')], { name: 'test' });

  it('reads buildings from height, storeys and Chinese fields', () => {
    const b = city.buildings;
    expect(b.count).toBe(3);
    expect(b.roofM[idx(city, 'buildings', 'b1')]).toBe(18.5);
    expect(b.use[idx(city, 'buildings', 'b1')]).toBe('office');
    expect(b.names[idx(city, 'buildings', 'b1')]).toBe('楼一');
    const b2 = idx(city, 'buildings', 'b2');
    expect(b.roofM[b2]).toBe(18);
    expect(b.attrs[b2].heightSource).toBe('levels');
    const b3 = idx(city, 'buildings', 'b3');
    expect([b.baseM[b3], b.roofM[b3], b.use[b3]]).toEqual([3, 24, 'residential']);
    expect(b.ringStart[b3 + 1] - b.ringStart[b3]).toBe(2); // courtyard kept as a hole
    expect(report.files[0].repairs.find((r) => r.kind === 'levels-to-height')?.count).toBe(1);
  });

  it('reads key areas with their sets; a point area becomes a counted circle', () => {
    const a = city.keyAreas;
    const a1 = idx(city, 'keyAreas', 'a1');
    expect([a.category[a1], a.inVideoSet[a1], a.in5gSet[a1]]).toEqual(['hospital', 1, 0]);
    const a2 = idx(city, 'keyAreas', 'a2');
    expect(a.category[a2]).toBe('park_square');
    expect(a.attrs[a2].geometrySource).toBe('point-buffer');
    const n = a.vertexStart[a.ringStart[a2] + 1] - a.vertexStart[a.ringStart[a2]];
    expect(n).toBe(32);
    expect(report.files[0].repairs.find((r) => r.kind === 'key-area-point-buffer')?.count).toBe(1);
  });

  it('reads a device with Chinese properties', () => {
    const d = city.devices;
    const c1 = idx(city, 'devices', 'c1');
    expect(DEVICE_TYPES[d.typeCode[c1]]).toBe('camera');
    expect([d.heightM[c1], d.headingDeg[c1], d.tiltDeg[c1], d.healthy[c1], d.networked[c1]]).toEqual([6, 90, 12, 0, 1]);
    expect(d.attrs[c1].resolutionPx).toEqual([2560, 1440]);
  });

  it('builds the road graph: split at the shared vertex, signal marked, footway left out', () => {
    const n = city.roadNodes;
    expect(n.count).toBe(5);
    expect(city.roadLinks.count).toBe(4);
    const frame = new LocalFrame(city.origin);
    const [x, y] = frame.toLocal(119.1598, 36.7098);
    let centre = -1;
    for (let i = 0; i < n.count; i++) if (Math.hypot(n.xyM[2 * i] - x, n.xyM[2 * i + 1] - y) < 0.01) centre = i;
    expect(centre).toBeGreaterThanOrEqual(0);
    expect(n.degree[centre]).toBe(4);
    expect(n.signalized[centre]).toBe(1);
    // a 主干路 crossed by a 支路 is a 支路路口: left out of the important intersections (001@14464)
    expect(isImportantIntersection(city, centre)).toBe(false);
    expect(ROAD_CLASSES[n.majorClassCode[centre]]).toBe('arterial');
    const l = city.roadLinks;
    const r1 = l.ids.indexOf('r1:1');
    expect([ROAD_CLASSES[l.classCode[r1]], l.lanes[r1], l.speedLimitMps[r1]]).toEqual(['arterial', 6, Math.fround(60 / 3.6)]);
    const r2 = l.ids.indexOf('r2:1');
    expect([ROAD_CLASSES[l.classCode[r2]], l.lanes[r2], Math.round(l.speedLimitMps[r2] * 3.6)]).toEqual(['branch', 2, 30]);
    expect(report.files[0].skipped.find((s) => s.kind === 'not-vehicle-road')?.examples).toEqual(["feature 8 (id 'r3')"]);
  });

  it('reads the scope and counts the unrecognised feature', () => {
    expect(city.scopes.map((s) => [s.id, s.kind])).toEqual([['scope-1', '城区']]);
    expect(report.files[0].skipped.find((s) => s.kind === 'unrecognised')?.examples).toEqual(["feature 11 (id 'x1')"]);
  });

  it('puts the origin at the centre of the first file and round-trips through the city file', () => {
    expect(city.origin.lonDeg).toBeCloseTo((119.157 + 119.164) / 2, 9);
    expect(city.origin.latDeg).toBeCloseTo((36.707 + 36.713) / 2, 9);
    const back = cityFromGeoJSON(JSON.parse(JSON.stringify(cityToGeoJSON(city))));
    const counts = (c: City) => {
      const { buildings, roads, keyAreas, scopes, devices } = summarizeCity(c);
      return { buildings, roads, keyAreas, scopes, devices };
    };
    expect(counts(back)).toEqual(counts(city));
    // and a city file imports again (its road graph rebuilt from the links)
    const again = importCity([{ file: 'city.json', format: 'geojson', json: cityToGeoJSON(city) }]).city;
    expect([again.buildings.count, again.keyAreas.count, again.devices.count, again.roadNodes.count, again.roadLinks.count]).toEqual([3, 2, 1, 5, 4]);
    expect(again.roadNodes.signalized.reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('a forced layer reads user categories', () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', id: 'm', properties: { category: '农贸市场' }, geometry: { type: 'Point', coordinates: [119.16, 36.71] } }] });
    const { city: c } = importCity([{ file: 'markets.geojson', format: 'geojson', text, options: { layer: 'key-area' } }]);
    expect(c.keyAreas.category).toEqual(['农贸市场']);
  });
});

describe('CSV device ledger with Chinese headers', () => {
  const { city, report } = importCity([fixture('good.geojson'), fixture('devices-zh.csv')]);
  const d = city.devices;

  it('reads every row with types, states and per-row CRS', () => {
    expect(d.count).toBe(7);
    const types = Object.fromEntries(d.ids.map((id, i) => [id, DEVICE_TYPES[d.typeCode[i]]]));
    expect(types).toEqual({ c1: 'camera', C001: 'camera', E001: 'epolice', S001: 'signal', W001: 'weather', P001: 'pole', G001: 'cell5g' });
    const c = idx(city, 'devices', 'C001');
    expect([d.heightM[c], d.headingDeg[c], d.tiltDeg[c], d.healthy[c], d.networked[c]]).toEqual([6, 225, 15, 1, 1]);
    expect(d.attrs[c]).toMatchObject({ hfovDeg: 90, resolutionPx: [1920, 1080], 备注: '新建' });
    const w = idx(city, 'devices', 'W001');
    expect([d.healthy[w], d.networked[w]]).toEqual([1, 0]);
    const p = idx(city, 'devices', 'P001');
    expect([d.healthy[p], d.networked[p]]).toEqual([1, 0]);
    expect(d.attrs[idx(city, 'devices', 'G001')].bandGHz).toBe(3.5);
    expect(d.attrs[idx(city, 'devices', 'E001')].resolutionPx).toEqual([3840, 2160]);
    expect(report.files[1].crsSource).toBe('row');
    expect(report.files[1].notes.join(' ')).toMatch(/备注/);
  });

  it('converts GCJ-02 rows (E001, W001) to WGS84', () => {
    const frame = new LocalFrame(city.origin);
    for (const [id, lon, lat] of [['E001', 119.1615, 36.7108], ['W001', 119.1596, 36.7095]] as const) {
      const i = idx(city, 'devices', id);
      const [x, y] = frame.toLocal(lon, lat);
      expect(Math.hypot(d.xyM[2 * i] - x, d.xyM[2 * i + 1] - y)).toBeLessThan(0.005);
    }
  });

  it('attaches the signal controller to the intersection and keeps its timing flag', () => {
    const s = idx(city, 'devices', 'S001');
    expect(d.attrs[s].realTimeTiming).toBe(true);
    const node = idx(city, 'roadNodes', d.attrs[s].nodeId as string);
    expect(city.roadNodes.degree[node]).toBe(4);
  });

  it('reads the same ledger saved as GB18030 with CRLF line ends once decoded', () => {
    const bytes = readFileSync(join(FIXTURES, 'devices-gbk.csv'));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const text = new TextDecoder('gb18030').decode(bytes);
    const c2 = importCity([fixture('good.geojson'), { file: 'devices-gbk.csv', format: 'csv', text }]).city;
    expect(c2.devices.ids).toEqual(d.ids);
    expect(Array.from(c2.devices.xyM)).toEqual(Array.from(d.xyM));
  });
});

describe('GCJ-02 GeoJSON', () => {
  it('converts every vertex: the result matches the WGS84 source to the millimetre', () => {
    const wgs = JSON.parse(readFileSync(join(FIXTURES, 'good.geojson'), 'utf8'));
    const gcj = JSON.parse(JSON.stringify(wgs));
    const walk = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? fromWgs84('gcj02', (c as number[])[0], (c as number[])[1]) : (c as unknown[]).map(walk));
    for (const f of gcj.features) f.geometry.coordinates = walk(f.geometry.coordinates);
    const origin = { lonDeg: 119.16, latDeg: 36.71 };
    const a = importCity([{ file: 'wgs.geojson', format: 'geojson', json: wgs }], { origin }).city;
    const naive = importCity([{ file: 'gcj.geojson', format: 'geojson', json: gcj }], { origin }).city;
    const b = importCity([{ file: 'gcj.geojson', format: 'geojson', json: gcj, options: { crs: 'gcj02' } }], { origin }).city;
    let maxDiff = 0;
    let naiveDiff = Infinity;
    for (let i = 0; i < a.buildings.xyM.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a.buildings.xyM[i] - b.buildings.xyM[i]));
    for (let i = 0; i < a.buildings.xyM.length; i += 2) naiveDiff = Math.min(naiveDiff, Math.hypot(a.buildings.xyM[i] - naive.buildings.xyM[i], a.buildings.xyM[i + 1] - naive.buildings.xyM[i + 1]));
    expect(maxDiff).toBeLessThan(0.001);
    // Read as WGS84 by mistake, GCJ-02 data sits hundreds of metres off.
    expect(naiveDiff).toBeGreaterThan(300);
    expect(naiveDiff).toBeLessThan(700);
  });

  it('honours a crs member naming GCJ-02, and the option overrides a member (noted)', () => {
    const fc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, features: [{ type: 'Feature', id: 's', properties: { highway: 'traffic_signals' }, geometry: { type: 'Point', coordinates: [119.166, 36.7105] } }] };
    const { report } = importCity([{ file: 'g.geojson', format: 'geojson', json: fc, options: { crs: 'gcj02' } }]);
    expect(report.files[0].crsSource).toBe('option');
    expect(report.files[0].notes[0]).toMatch(/states wgs84; the --crs option gcj02 was used instead/);
    const fc2 = { ...fc, crs: { type: 'name', properties: { name: 'EPSG:4490' } } };
    expect(importCity([{ file: 'g2.geojson', format: 'geojson', json: fc2 }]).report.files[0].crs).toBe('CGCS2000 (EPSG:4490)');
  });
});

describe('OSM XML', () => {
  const { city, report } = importCity([fixture('small.osm')]);

  it('reads buildings from levels and from a multipolygon relation with a courtyard', () => {
    const b = city.buildings;
    expect([...b.ids].sort()).toEqual(['relation/300', 'way/100']);
    const w = idx(city, 'buildings', 'way/100');
    expect([b.roofM[w], b.use[w], b.names[w], b.attrs[w].heightSource]).toEqual([15, 'residential', '一号楼', 'levels']);
    const r = idx(city, 'buildings', 'relation/300');
    expect([b.roofM[r], b.use[r], b.ringStart[r + 1] - b.ringStart[r]]).toEqual([30, 'commercial', 2]);
    expect(report.files[0].skipped.find((s) => s.kind === 'incomplete-relation')?.examples).toEqual(['relation 301']);
  });

  it('reads roads, the signal, a reversed one-way, the camera and key areas', () => {
    expect(city.roadNodes.count).toBe(5);
    expect(city.roadLinks.count).toBe(4);
    const sig = idx(city, 'roadNodes', city.roadNodes.ids[Array.from(city.roadNodes.signalized).indexOf(1)]);
    expect(city.roadNodes.degree[sig]).toBe(4);
    const l = city.roadLinks;
    const res = l.ids.indexOf('way/201:1');
    expect([l.oneway[res], ROAD_CLASSES[l.classCode[res]], l.lanes[res]]).toEqual([1, 'branch', 1]);
    // oneway=-1: the link runs against the drawing order, i.e. from the north end (node 34) southwards.
    const frame = new LocalFrame(city.origin);
    const north = frame.toLocal(119.1598, 36.7115);
    expect(l.xyM[2 * l.vertexStart[res] + 1]).toBeCloseTo(north[1], 6);
    const cam = idx(city, 'devices', 'node/40');
    expect([DEVICE_TYPES[city.devices.typeCode[cam]], city.devices.headingDeg[cam], city.devices.heightM[cam]]).toEqual(['camera', 45, 5]);
    expect(Object.fromEntries(city.keyAreas.ids.map((id, i) => [id, city.keyAreas.category[i]]))).toEqual({ 'way/103': 'hospital', 'node/60': 'school' });
    expect(city.meta.attribution).toContain('© OpenStreetMap contributors');
  });
});

describe('Overpass JSON', () => {
  it('reads ways, a trunk in mph, an ALPR camera as e-police and a station', () => {
    const { city } = importCity([fixture('small-overpass.json')]);
    expect(city.buildings.roofM[idx(city, 'buildings', 'way/100')]).toBe(15);
    const l = city.roadLinks;
    const t = l.ids.indexOf('way/200:1');
    expect([ROAD_CLASSES[l.classCode[t]], l.oneway[t], l.lanes[t]]).toEqual(['expressway', 1, 3]);
    expect(l.speedLimitMps[t] * 3.6).toBeCloseTo(80.47, 1);
    const cam = idx(city, 'devices', 'node/40');
    expect([DEVICE_TYPES[city.devices.typeCode[cam]], city.devices.headingDeg[cam], city.devices.tiltDeg[cam]]).toEqual(['epolice', 270, 20]);
    expect(city.keyAreas.category[idx(city, 'keyAreas', 'node/60')]).toBe('transport_hub');
    expect(city.roadNodes.signalized.reduce((s, v) => s + v, 0)).toBe(1);
  });

  it('reads `out geom;` output: ways and multipolygon members with inline geometry, no node elements', () => {
    const ring = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]].map(([lon, lat]) => ({ lat, lon }));
    const json = {
      elements: [
        { type: 'way', id: 7, nodes: [1, 2, 3, 4, 1], geometry: ring(119.16, 36.71, 0.0002), tags: { building: 'yes', 'building:levels': '2' } },
        {
          type: 'relation',
          id: 8,
          tags: { type: 'multipolygon', leisure: 'park', name: '白浪河公园' },
          members: [
            { type: 'way', ref: 90, role: 'outer', geometry: ring(119.17, 36.72, 0.002) },
            { type: 'way', ref: 91, role: 'inner', geometry: ring(119.1705, 36.7205, 0.0005) },
          ],
        },
      ],
    };
    const { city } = importCity([{ file: 'geom.json', format: 'overpass-json', json }]);
    expect(city.buildings.roofM[idx(city, 'buildings', 'way/7')]).toBe(6);
    const park = idx(city, 'keyAreas', 'relation/8');
    expect([city.keyAreas.category[park], city.keyAreas.names[park], city.keyAreas.ringStart[park + 1] - city.keyAreas.ringStart[park]]).toEqual(['park_square', '白浪河公园', 2]);
  });

  it('makes an OSM multipolygon relation with two outers (a park in two pieces) ONE key area, counted once', () => {
    const ring = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]].map(([lon, lat]) => ({ lat, lon }));
    const json = {
      elements: [
        {
          type: 'relation',
          id: 9,
          tags: { type: 'multipolygon', leisure: 'park', name: '两块公园' },
          members: [
            { type: 'way', ref: 92, role: 'outer', geometry: ring(119.17, 36.72, 0.002) },
            { type: 'way', ref: 93, role: 'inner', geometry: ring(119.1705, 36.7205, 0.0005) },
            { type: 'way', ref: 94, role: 'outer', geometry: ring(119.18, 36.72, 0.001) },
          ],
        },
      ],
    };
    const { city, report } = importCity([{ file: 'two.json', format: 'overpass-json', json }]);
    const ka = city.keyAreas;
    expect(ka.count).toBe(1);
    expect([ka.ids[0], ka.names[0], ka.attrs[0].partOf]).toEqual(['relation/9', '两块公园', undefined]);
    expect(summarizeCity(city).keyAreas.byCategory.park_square).toBe(1);
    // Rings: big outer (CCW), its hole (CW), small outer (CCW).
    const signs: number[] = [];
    for (let r = ka.ringStart[0]; r < ka.ringStart[1]; r++) signs.push(Math.sign(ringSignedArea(ka.xyM, ka.vertexStart[r], ka.vertexStart[r + 1])));
    expect(signs).toEqual([1, -1, 1]);
    // Area: both parts minus the hole, each square computed from its own corners.
    const sq = (lon: number, lat: number, d: number) => {
      const frame = new LocalFrame(city.origin);
      const a = frame.toLocal(lon, lat, [0, 0]), b = frame.toLocal(lon + d, lat + d, [0, 0]);
      return (b[0] - a[0]) * (b[1] - a[1]);
    };
    const expected = sq(119.17, 36.72, 0.002) - sq(119.1705, 36.7205, 0.0005) + sq(119.18, 36.72, 0.001);
    expect(tablePolygonArea(ka.ringStart, ka.vertexStart, ka.xyM, 0)).toBeCloseTo(expected, -1);
    expect(report.files[0].repairs.find((r) => r.kind === 'multipolygon-parts-key areas')?.count).toBe(1);
  });

  it('detects the format from the content', () => {
    const text = readFileSync(join(FIXTURES, 'small-overpass.json'), 'utf8');
    expect(detectFormat('export.json', text.slice(0, 4096))).toBe('overpass-json');
    expect(detectFormat('x.json', readFileSync(join(FIXTURES, 'good.geojson'), 'utf8'))).toBe('geojson');
    expect(detectFormat('map', '<?xml version="1.0"?><osm>')).toBe('osm-xml');
    expect(() => detectFormat('china.osm.pbf', '')).toThrow(/osmium cat/);
  });
});

describe('several files into one city', () => {
  it('accumulates every layer and names each file in the sources', () => {
    const { city, report } = importCity([fixture('good.geojson'), fixture('devices-zh.csv'), fixture('small-overpass.json')], { name: '组合' });
    expect(report.files.map((f) => f.format)).toEqual(['geojson', 'csv', 'overpass-json']);
    expect(city.meta.sources).toHaveLength(3);
    // the Overpass roads share the GeoJSON roads' geometry: the graph joins them at the snapped vertices
    expect(city.roadLinks.count).toBe(8);
    expect(city.roadNodes.count).toBe(5);
    expect(city.devices.count).toBe(8);
  });
});

describe('docs/importers.md', () => {
  it('documents every ledger column name the reader accepts', async () => {
    const { DEVICE_FIELDS } = await import('./device-fields.ts');
    const doc = readFileSync(join(FIXTURES, '../../../docs/importers.md'), 'utf8');
    const missing = DEVICE_FIELDS.flatMap((f) => f.names).filter((n) => !doc.includes(`\`${n}\``));
    expect(missing).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { CityBuilder, CimError, cityFromGeoJSON, cityToGeoJSON, isImportantIntersection, LocalFrame, summarizeCity } from './index.ts';

function smallCity() {
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name: 'test', synthetic: true, sources: ['unit test'] });
  b.addBuilding({ id: 'b1', rings: [[0, 0, 20, 0, 20, 10, 0, 10, 0, 0]], roofM: 18.5, use: 'office', name: '楼一', attrs: { storeys: 6 } });
  // clockwise input with a hole: orientation is normalised
  b.addBuilding({ id: 'b2', rings: [[100, 0, 100, 50, 150, 50, 150, 0], [110, 10, 140, 10, 140, 40, 110, 40]], baseM: 3, roofM: 40 });
  b.addRoadNode({ id: 'n1', xM: -100, yM: -20 });
  b.addRoadNode({ id: 'n2', xM: 0, yM: -20, signalized: true });
  b.addRoadNode({ id: 'n3', xM: 100, yM: -20 });
  b.addRoadNode({ id: 'n4', xM: 0, yM: -120 });
  b.addRoadNode({ id: 'n5', xM: 0, yM: 80 });
  b.addRoadLink({ id: 'l1', fromId: 'n1', toId: 'n2', roadClass: 'arterial', lanes: 6, speedLimitMps: 60 / 3.6, xyM: [-100, -20, 0, -20] });
  b.addRoadLink({ id: 'l2', fromId: 'n2', toId: 'n3', roadClass: 'arterial', lanes: 6, speedLimitMps: 60 / 3.6, xyM: [0, -20, 100, -20] });
  b.addRoadLink({ id: 'l3', fromId: 'n2', toId: 'n4', roadClass: 'branch', lanes: 2, speedLimitMps: 30 / 3.6, xyM: [0, -20, 0, -120], oneway: true });
  b.addRoadLink({ id: 'l4', fromId: 'n5', toId: 'n2', roadClass: 'secondary', lanes: 4, speedLimitMps: 40 / 3.6, xyM: [0, 80, 5, 30, 0, -20] });
  b.addKeyArea({ id: 'a1', rings: [[-50, 20, -10, 20, -10, 60, -50, 60]], category: 'park_square', name: '人民广场', in5gSet: false });
  b.addScope({ id: 's1', kind: '城区', polygons: [[[-500, -500, 500, -500, 500, 500, -500, 500]]] });
  b.addDevice({ id: 'c1', type: 'camera', xM: -30, yM: 10, heightM: 6, headingDeg: 370, tiltDeg: 15, healthy: false, attrs: { hfovDeg: 90 } });
  b.addDevice({ id: 'w1', type: 'weather', xM: 0, yM: 0, heightM: 10, networked: false });
  return b.build();
}

describe('LocalFrame', () => {
  it('puts the origin at 0,0 and measures metres', () => {
    const f = new LocalFrame({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    const o = f.toLocal(119.16, 36.71);
    expect(o[0]).toBeCloseTo(0, 6);
    expect(o[1]).toBeCloseTo(0, 6);
    // one arc-minute of latitude is about 1849 m at 36.7° N
    const p = f.toLocal(119.16, 36.71 + 1 / 60);
    expect(p[1]).toBeGreaterThan(1845);
    expect(p[1]).toBeLessThan(1853);
    const back = f.toLngLat(p[0], p[1]);
    expect(back[1]).toBeCloseTo(36.71 + 1 / 60, 10);
  });
});

describe('CityBuilder', () => {
  it('derives intersection classes from the roads that meet there', () => {
    const c = smallCity();
    const n2 = c.roadNodes.ids.indexOf('n2');
    expect(c.roadNodes.degree[n2]).toBe(4);
    // arterial through, a secondary and a branch join: the secondary is the best crossing road
    expect(c.roadNodes.classCode[n2]).toBe(2);
    expect(c.roadNodes.majorClassCode[n2]).toBe(1);
    expect(isImportantIntersection(c, n2)).toBe(true);
    expect(isImportantIntersection(c, c.roadNodes.ids.indexOf('n4'))).toBe(false); // dead end
  });

  it('classes a 支路 joining a through arterial as a 支路 intersection, and an arterial ending on a 支路 too', () => {
    const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    for (const [id, x, y] of [['c', 0, 0], ['e', 100, 0], ['w', -100, 0], ['n', 0, 100]] as const) b.addRoadNode({ id, xM: x, yM: y });
    b.addRoadLink({ id: 'a', fromId: 'w', toId: 'c', roadClass: 'arterial', lanes: 4, speedLimitMps: 14, xyM: [-100, 0, 0, 0] });
    b.addRoadLink({ id: 'b', fromId: 'c', toId: 'e', roadClass: 'arterial', lanes: 4, speedLimitMps: 14, xyM: [0, 0, 100, 0] });
    b.addRoadLink({ id: 'z', fromId: 'c', toId: 'n', roadClass: 'branch', lanes: 2, speedLimitMps: 8, xyM: [0, 0, 0, 100] });
    const c = b.build();
    // the arterial runs through (two links) and a branch joins: a 支路 intersection, not important
    expect(c.roadNodes.classCode[0]).toBe(3);
    expect(c.roadNodes.majorClassCode[0]).toBe(1);
    expect(isImportantIntersection(c, 0)).toBe(false);
    const b2 = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    for (const [id, x, y] of [['c', 0, 0], ['e', 100, 0], ['n', 0, 100], ['s', 0, -100]] as const) b2.addRoadNode({ id, xM: x, yM: y });
    b2.addRoadLink({ id: 'a', fromId: 'c', toId: 'e', roadClass: 'arterial', lanes: 4, speedLimitMps: 14, xyM: [0, 0, 100, 0] });
    b2.addRoadLink({ id: 'y', fromId: 'c', toId: 'n', roadClass: 'branch', lanes: 2, speedLimitMps: 8, xyM: [0, 0, 0, 100] });
    b2.addRoadLink({ id: 'z', fromId: 'c', toId: 's', roadClass: 'branch', lanes: 2, speedLimitMps: 8, xyM: [0, 0, 0, -100] });
    const c2 = b2.build();
    // an arterial ends on a through 支路: one of the two roads is a 支路, so it is a 支路 intersection
    expect(c2.roadNodes.classCode[0]).toBe(3);
    expect(isImportantIntersection(c2, 0)).toBe(false);
  });

  it('normalises ring orientation and drops the closing vertex', () => {
    const c = smallCity();
    expect(c.buildings.ringStart[1] - c.buildings.ringStart[0]).toBe(1);
    expect(c.buildings.vertexStart[1]).toBe(4);
    const s = summarizeCity(c);
    expect(s.buildings.count).toBe(2);
    expect(s.roads.intersections).toBe(1);
    expect(s.devices.camera).toEqual({ count: 1, healthy: 0, networked: 1 });
    expect(s.devices.weather).toEqual({ count: 1, healthy: 1, networked: 0 });
  });

  it('rejects bad records with the field named, and keeps nothing of them', () => {
    const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    b.addBuilding({ id: 'x', rings: [[0, 0, 1, 0, 1, 1]], roofM: 3 });
    expect(() => b.addBuilding({ id: 'x', rings: [[0, 0, 1, 0, 1, 1]], roofM: 3 })).toThrow(/duplicate building id 'x'/);
    expect(() => b.addBuilding({ id: 'y', rings: [[0, 0, 1, 0]], roofM: 3 })).toThrow(CimError);
    expect(() => b.addBuilding({ id: 'z', rings: [[0, 0, 1, 0, 1, 1]], roofM: NaN })).toThrow(/roofM/);
    expect(() => b.addRoadLink({ id: 'l', fromId: 'nope', toId: 'x', roadClass: 'arterial', lanes: 2, speedLimitMps: 10, xyM: [0, 0, 1, 1] })).toThrow(/unknown node 'nope'/);
    expect(b.counts.buildings).toBe(1);
    expect(b.build().buildings.xyM.length).toBe(6);
  });
});

describe('city file', () => {
  it('round-trips through GeoJSON without loss', () => {
    const c = smallCity();
    const json = JSON.parse(JSON.stringify(cityToGeoJSON(c)));
    const c2 = cityFromGeoJSON(json);
    expect(c2.meta).toEqual(c.meta);
    expect(c2.buildings.ids).toEqual(c.buildings.ids);
    expect(Array.from(c2.buildings.roofM)).toEqual(Array.from(c.buildings.roofM));
    expect(Array.from(c2.buildings.ringStart)).toEqual(Array.from(c.buildings.ringStart));
    for (let i = 0; i < c.buildings.xyM.length; i++) expect(Math.abs(c2.buildings.xyM[i] - c.buildings.xyM[i])).toBeLessThan(1e-6);
    expect(c2.buildings.attrs[0]).toEqual({ storeys: 6 });
    expect(c2.buildings.names[0]).toBe('楼一');
    expect(Array.from(c2.roadLinks.speedLimitMps)).toEqual(Array.from(c.roadLinks.speedLimitMps));
    expect(Array.from(c2.roadLinks.oneway)).toEqual(Array.from(c.roadLinks.oneway));
    expect(Array.from(c2.roadNodes.classCode)).toEqual(Array.from(c.roadNodes.classCode));
    expect(Array.from(c2.keyAreas.in5gSet)).toEqual([0]);
    expect(c2.devices.headingDeg[0]).toBeCloseTo(10, 5);
    expect(Number.isNaN(c2.devices.headingDeg[1])).toBe(true);
    expect(Array.from(c2.devices.healthy)).toEqual([0, 1]);
    expect(c2.devices.attrs[0]).toEqual({ hfovDeg: 90 });
    expect(c2.scopes[0].kind).toBe('城区');
    // a second round trip keeps every property and moves no vertex by more than 1e-12 degrees
    const json2 = cityToGeoJSON(c2);
    expect(json2.features.map((f) => f.properties)).toEqual(json.features.map((f: any) => f.properties));
    const flat = (fc: any) => JSON.stringify(fc.features.map((f: any) => f.geometry.coordinates)).match(/-?\d+\.?\d*(e-?\d+)?/g)!.map(Number);
    const c1 = flat(json), c2c = flat(json2);
    expect(c2c.length).toBe(c1.length);
    for (let i = 0; i < c1.length; i++) expect(Math.abs(c1[i] - c2c[i])).toBeLessThan(1e-12);
  });

  it('names the file, the feature and the field on bad input', () => {
    const json = cityToGeoJSON(smallCity()) as any;
    json.features[1].properties.roofM = 'tall';
    expect(() => cityFromGeoJSON(json, 'x.city.json')).toThrow(/x\.city\.json, feature 1 \(id 'b2'\), field 'roofM'/);
    expect(() => cityFromGeoJSON({ type: 'FeatureCollection', features: [] }, 'plain.geojson')).toThrow(/plain\.geojson.*cimtwin import/);
  });
});

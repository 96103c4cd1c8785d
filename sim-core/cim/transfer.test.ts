import { describe, expect, it } from 'vitest';
import { CityBuilder } from './builder.ts';
import { cityToGeoJSON } from './city-file.ts';
import { generateDefaultCity } from './demo/index.ts';
import { CITY_PACK_MAGIC, isPackedCity, packCity, unpackCity } from './transfer.ts';
import type { City } from './types.ts';

function smallCity(): City {
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 12 }, { name: '潍坊测试', synthetic: true, sources: ['unit test'], attribution: ['© test'] });
  b.addBuilding({ id: 'b1', rings: [[0, 0, 20, 0, 20, 10, 0, 10]], roofM: 18.5, use: 'office', name: '楼一', attrs: { storeys: 6, tags: ['a', 'b'] } });
  b.addBuilding({ id: 'b2', rings: [[100, 0, 150, 0, 150, 50, 100, 50], [110, 10, 110, 40, 140, 40, 140, 10]], baseM: 3, roofM: 40 });
  b.addRoadNode({ id: 'n1', xM: -100, yM: -20 });
  b.addRoadNode({ id: 'n2', xM: 0, yM: -20, signalized: true, name: '路口' });
  b.addRoadNode({ id: 'n3', xM: 100, yM: -20 });
  b.addRoadLink({ id: 'l1', fromId: 'n1', toId: 'n2', roadClass: 'arterial', lanes: 6, speedLimitMps: 60 / 3.6, xyM: [-100, -20, 0, -20] });
  b.addRoadLink({ id: 'l2', fromId: 'n2', toId: 'n3', roadClass: 'branch', lanes: 2, speedLimitMps: 30 / 3.6, xyM: [0, -20, 50, -25, 100, -20], oneway: true, attrs: { 路名: '胜利街' } });
  b.addKeyArea({ id: 'a1', rings: [[-50, 20, -10, 20, -10, 60, -50, 60]], category: 'park_square', name: '人民广场', in5gSet: false });
  b.addScope({ id: 's1', kind: '城区', polygons: [[[-500, -500, 500, -500, 500, 500, -500, 500], [-10, -10, -10, 10, 10, 10, 10, -10]], [[600, 600, 700, 600, 700, 700]]] });
  b.addScope({ id: 's2', kind: '建成区', name: '建成区', polygons: [[[-400, -400, 400, -400, 400, 400, -400, 400]]], attrs: { year: 2020 } });
  b.addDevice({ id: 'c1', type: 'camera', xM: -30, yM: 10, heightM: 6, headingDeg: 10, tiltDeg: 15, healthy: false, attrs: { hfovDeg: 90 } });
  b.addDevice({ id: 'w1', type: 'weather', xM: 0, yM: 0, heightM: 10, networked: false });
  return b.build();
}

/** Every typed array and every string/attribute field, compared exactly. */
function expectSameCity(got: City, want: City): void {
  expect(got.meta).toEqual(want.meta);
  expect(got.origin).toEqual(want.origin);
  for (const table of ['buildings', 'roadNodes', 'roadLinks', 'keyAreas', 'devices'] as const) {
    const g = got[table] as unknown as Record<string, unknown>;
    const w = want[table] as unknown as Record<string, unknown>;
    expect(Object.keys(g).sort()).toEqual(Object.keys(w).sort());
    for (const key of Object.keys(w)) {
      const wv = w[key];
      if (ArrayBuffer.isView(wv)) {
        expect(g[key]?.constructor, `${table}.${key}`).toBe(wv.constructor);
        expect(Array.from(g[key] as Float64Array), `${table}.${key}`).toEqual(Array.from(wv as Float64Array));
      } else expect(g[key], `${table}.${key}`).toEqual(wv);
    }
  }
  expect(got.scopes.length).toBe(want.scopes.length);
  got.scopes.forEach((s, i) => {
    const w = want.scopes[i];
    expect({ id: s.id, kind: s.kind, name: s.name, attrs: s.attrs }).toEqual({ id: w.id, kind: w.kind, name: w.name, attrs: w.attrs });
    expect(s.polygons.map((p) => p.map((r) => Array.from(r)))).toEqual(w.polygons.map((p) => p.map((r) => Array.from(r))));
    s.polygons.forEach((p) => p.forEach((r) => expect(r).toBeInstanceOf(Float64Array)));
  });
}

describe('packCity / unpackCity', () => {
  it('round-trips every column, string, attribute and scope ring exactly (NaN headings included)', () => {
    const city = smallCity();
    const buf = packCity(city);
    expect(buf).toBeInstanceOf(ArrayBuffer);
    expect(isPackedCity(buf)).toBe(true);
    expect(new Uint8Array(buf)[0]).toBe(CITY_PACK_MAGIC);
    const back = unpackCity(buf);
    expectSameCity(back, city);
    expect(Number.isNaN(back.devices.headingDeg[1])).toBe(true);
    // the city file of both is identical too (the serialisation every other tool uses)
    expect(JSON.stringify(cityToGeoJSON(back))).toBe(JSON.stringify(cityToGeoJSON(city)));
  });

  it('opens numeric columns as views on the buffer, 8-byte aligned, without copying', () => {
    const buf = packCity(smallCity());
    const back = unpackCity(buf);
    for (const arr of [back.buildings.xyM, back.roadLinks.lengthM, back.devices.healthy, back.keyAreas.ringStart, back.scopes[0].polygons[0][0]]) {
      expect(arr.buffer).toBe(buf);
      expect(arr.byteOffset % 8).toBe(0);
    }
    // a write through the buffer shows in the city: shared memory, not a copy
    const before = back.buildings.roofM[0];
    new Float32Array(buf, back.buildings.roofM.byteOffset, 1)[0] = before + 1;
    expect(back.buildings.roofM[0]).toBe(before + 1);
  });

  it('survives a transfer (the sender keeps its city; the buffer moves)', () => {
    const city = smallCity();
    const buf = packCity(city) as ArrayBuffer;
    const moved = structuredClone(buf, { transfer: [buf] });
    expect(buf.byteLength).toBe(0); // detached: nothing was copied
    expectSameCity(unpackCity(moved), city);
    expect(city.buildings.xyM.length).toBeGreaterThan(0); // the packed copy was the one transferred
  });

  it('packs into a SharedArrayBuffer that every reader sees without copies', () => {
    const city = smallCity();
    const sab = packCity(city, { shared: true });
    expect(sab).toBeInstanceOf(SharedArrayBuffer);
    const clone = structuredClone(sab);
    expect(clone).toBeInstanceOf(SharedArrayBuffer);
    const a = unpackCity(sab);
    const b = unpackCity(clone as SharedArrayBuffer);
    expectSameCity(b, city);
    new Float64Array(sab, a.buildings.xyM.byteOffset, 1)[0] = 1234.5;
    expect(b.buildings.xyM[0]).toBe(1234.5);
  });

  it('round-trips a generated district (buildings, roads, key areas, devices, scopes)', () => {
    const city = generateDefaultCity({ scale: 0.1 });
    const buf = packCity(city);
    expectSameCity(unpackCity(buf), city);
    // numbers travel as typed arrays, so the buffer is far smaller than the city file
    expect(buf.byteLength).toBeLessThan(JSON.stringify(cityToGeoJSON(city)).length / 2);
  });

  it('refuses what is not a packed city, naming the reason', () => {
    expect(() => unpackCity(new ArrayBuffer(4))).toThrow(/shorter than the 8-byte prefix/);
    const buf = packCity(smallCity());
    const bad = buf.slice(0);
    new Uint8Array(bad)[0] = 0x00;
    expect(isPackedCity(bad)).toBe(false);
    expect(() => unpackCity(bad)).toThrow(/not a packed city \(first byte 0x0/);
    const v2 = buf.slice(0);
    new Uint8Array(v2)[1] = 99;
    expect(() => unpackCity(v2)).toThrow(/version 99 is not supported/);
    expect(() => unpackCity(buf.slice(0, buf.byteLength - 64))).toThrow(/truncated/);
    expect(() => unpackCity(new Uint8Array(16) as unknown as ArrayBuffer)).toThrow(/needs an ArrayBuffer/);
  });
});

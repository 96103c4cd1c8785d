/**
 * The CityJSON reader on a small hand-made file (tiles/fixtures/small.city.cityjson: a LoD2 gable
 * house 10 × 8 m, eaves 6 m, ridge 9 m; and a Building of two LoD1.2 BuildingParts, a 20 × 20 × 12 m
 * podium and a 10 × 10 m tower from 12 to 40 m, in CGCS2000 3-degree Gauss-Krüger CM 120E,
 * EPSG:4549), its CRS table, its errors, and the LoD2 surfaces in the tiles.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import proj4 from 'proj4';
import { CimError } from '../sim-core/cim/errors.ts';
import { tablePolygonArea } from '../sim-core/geom/polygon.ts';
import type { TilesetJson } from './build.ts';
import { epsgCode, epsgToProj4, readCityJson } from './cityjson.ts';
import { readContent } from './read.ts';
import { validateTileset } from './validate.ts';
import { writeTileset } from './write.ts';

const here = new URL('.', import.meta.url).pathname;
const text = readFileSync(join(here, 'fixtures', 'small.city.cityjson'), 'utf8');
const fresh = () => JSON.parse(text);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('CityJSON reader', () => {
  const r = readCityJson(fresh(), 'small.city.cityjson');
  const b = r.city.buildings;
  const at = (id: string) => b.ids.indexOf(id);

  it('reads Buildings and BuildingParts with geometry, skips other object types', () => {
    expect([...b.ids].sort()).toEqual(['block-2-a', 'block-2-b', 'house-1']);
    expect(r.counts).toEqual({ buildings: 1, parts: 2, skippedObjects: 1 });
    expect(b.attrs[at('block-2-b')]).toMatchObject({ parentId: 'block-2', cityjsonType: 'BuildingPart', lod: '1.2' });
    expect(b.attrs[at('house-1')]).toMatchObject({ storeys: 2, lod: '2.2' });
  });

  it('takes heights above each Building\'s own lowest point, and use and name from the attributes', () => {
    expect([b.baseM[at('house-1')], b.roofM[at('house-1')]]).toEqual([0, 9]);
    expect([b.baseM[at('block-2-a')], b.roofM[at('block-2-a')]]).toEqual([0, 12]);
    expect([b.baseM[at('block-2-b')], b.roofM[at('block-2-b')]]).toEqual([12, 40]);
    expect([b.use[at('house-1')], b.use[at('block-2-a')], b.use[at('block-2-b')]]).toEqual(['residential', 'commercial', 'office']);
    expect([b.names[at('house-1')], b.names[at('block-2-a')], b.names[at('block-2-b')]]).toEqual(['示范小屋', null, '塔楼']);
  });

  it('finds footprints: the GroundSurface, else the convex hull', () => {
    // Gauss-Krüger scale 75 km off the central meridian is 1 + x²/2R² ≈ 1.00007: areas agree to 0.1 %
    expect(tablePolygonArea(b.ringStart, b.vertexStart, b.xyM, at('house-1'))).toBeCloseTo(80, 0);
    expect(tablePolygonArea(b.ringStart, b.vertexStart, b.xyM, at('block-2-a'))).toBeCloseTo(400, 0);
    expect(tablePolygonArea(b.ringStart, b.vertexStart, b.xyM, at('block-2-b'))).toBeCloseTo(100, 0); // no ground surface: hull
  });

  it('places the city by the file\'s CRS: origin inside Weifang, footprints 30 m apart as modelled', () => {
    const { lonDeg, latDeg } = r.city.origin;
    const [lon, lat] = proj4('+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs', 'EPSG:4326').forward([425025, 4064010]);
    expect(lonDeg).toBeCloseTo(lon, 3);
    expect(latDeg).toBeCloseTo(lat, 3);
    const minX = (i: number) => Math.min(...Array.from(b.xyM.subarray(2 * b.vertexStart[b.ringStart[i]], 2 * b.vertexStart[b.ringStart[i + 1]])).filter((_, k) => k % 2 === 0));
    expect(minX(at('block-2-a')) - minX(at('house-1'))).toBeCloseTo(30, 0);
  });

  it('keeps the LoD2 surfaces (roofs and walls; no ground on the ground) for the tiles', () => {
    const house = r.surfaces[at('house-1')];
    expect(house.lod).toBe('2.2');
    expect(Array.from(house.kind).sort()).toEqual([0, 0, 1, 1, 1, 1]); // 2 roofs, 4 walls
    const tower = r.surfaces[at('block-2-b')];
    expect(tower.polygonStart.length - 1).toBe(5);
    expect(Math.max(...Array.from(house.xyzM).filter((_, k) => k % 3 === 2))).toBeCloseTo(9, 6);
  });

  it('knows the CGCS2000 Gauss-Krüger zones: a point on the central meridian has the false easting', () => {
    const cases: [number, number, number][] = [
      [4549, 120, 500000], // 3° CM 120E
      [4527, 117, 39500000], // 3° zone 39
      [4491, 75, 13500000], // 6° zone 13
      [4508, 111, 500000], // 6° CM 111E
    ];
    for (const [code, lon, x0] of cases) {
      const [x] = proj4(epsgToProj4(code) as string).forward([lon, 36]);
      expect(x, `EPSG:${code}`).toBeCloseTo(x0, 6);
    }
    expect(epsgCode('https://www.opengis.net/def/crs/EPSG/0/7415')).toBe(7415);
    expect(epsgCode('urn:ogc:def:crs:EPSG::4549')).toBe(4549);
    expect(epsgCode('EPSG:4326')).toBe(4326);
    expect(epsgToProj4(2000)).toBeNull();
  });

  it('names the file, the object and the field in errors', () => {
    const bad = fresh();
    bad.CityObjects['house-1'].geometry[1].boundaries[0][2][0][1] = 999;
    expect(() => readCityJson(bad, 'bad.cityjson')).toThrow(CimError);
    expect(() => readCityJson(bad, 'bad.cityjson')).toThrow(/bad\.cityjson, CityObject 'house-1', field 'geometry\[1\]\.boundaries\[0\]\[2\]\[0\]\[1\]': vertex index 999/);
    const crs = fresh();
    crs.metadata.referenceSystem = 'https://www.opengis.net/def/crs/EPSG/0/2000';
    expect(() => readCityJson(crs, 'crs.cityjson')).toThrow(/field 'metadata\.referenceSystem'.*EPSG\/0\/2000/);
    expect(() => readCityJson({ ...fresh(), version: '1.0' }, 'old.cityjson')).toThrow(/version "1\.0" is not read/);
    const flat = fresh();
    flat.CityObjects['house-1'].geometry = [{ type: 'MultiSurface', lod: '0', boundaries: [[[0, 1, 2, 3]]] }];
    expect(() => readCityJson(flat, 'lod0.cityjson')).toThrow(/CityObject 'house-1', field 'geometry': has no LoD1 or LoD2 geometry/);
    // a proj4 definition given by hand overrides the file's system
    const own = readCityJson(crs, 'crs.cityjson', { crs: epsgToProj4(4549) as string });
    expect(own.city.buildings.count).toBe(3);
  });
});

describe('CityJSON LoD2 in the tiles', () => {
  it('meshes the roof and wall surfaces exactly, and the tileset validates', async () => {
    const r = readCityJson(fresh(), 'small.city.cityjson');
    const dir = mkdtempSync(join(tmpdir(), 'cimtwin-cityjson-'));
    dirs.push(dir);
    const w = await writeTileset(dir, { city: r.city, surfaces: r.surfaces });
    expect(w.buildings).toBe(3);
    // house: 2 pentagons (3 triangles each), 2 wall quads and 2 roof quads (2 each); podium and tower: 5 quads each
    expect(w.triangles).toBe(14 + 10 + 10);
    const report = await validateTileset(dir);
    expect(report.errors).toEqual([]);
    const ts = JSON.parse(readFileSync(join(dir, 'tileset.json'), 'utf8')) as TilesetJson;
    const content = await readContent(new Uint8Array(readFileSync(join(dir, ts.root.content!.uri))));
    const house = content.rows.findIndex((row) => row.id === 'house-1');
    expect(content.rows[house]).toMatchObject({ lod: 2, roofM: 9, use: 'residential', name: '示范小屋' });
    expect(content.rows.find((row) => row.id === 'block-2-b')).toMatchObject({ lod: 1, baseM: 12, roofM: 40 });
    // the ridge (9 m) is the house's highest point, the eaves (6 m) the next level: LoD2, not a 9 m block
    const heights = new Set<number>();
    for (let v = 0; v < content.featureIds.length; v++) if (content.featureIds[v] === house) heights.add(Math.round(content.positionsM[3 * v + 2] * 10) / 10);
    expect([...heights].sort((a, b) => a - b)).toEqual([0, 6, 9]);
  });
});

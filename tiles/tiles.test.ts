/**
 * The tileset builder end to end on a small generated city, and its parts: WGS84 geodesy against
 * worked values, the quadtree's invariants, the metadata binary format, and, for the written
 * tileset, counts (every building in exactly one tile), bounding volumes (every vertex inside),
 * geometric errors, the metadata round trip through glTF-Transform, the Khronos glTF Validator and
 * our own 3D Tiles checks, uncompressed and meshopt-compressed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import { pointInTablePolygon } from '../sim-core/geom/polygon.ts';
import { mulberry32 } from '../sim-core/random.ts';
import type { City } from '../sim-core/cim/types.ts';
import type { TileJson, TilesetJson } from './build.ts';
import { WGS84_A_M, WGS84_F, LocalToEnu, enuToEcefMatrix, geodeticToEcef } from './ecef.ts';
import { alignGlb, parseGlb } from './glb.ts';
import { BUILDING_PROPERTIES, decodeColumn, encodeColumn, footprintCentroid, type BuildingRow } from './metadata.ts';
import { readContent } from './read.ts';
import { buildQuadtree, walkTree, type TreeNode } from './tree.ts';
import { pointInBox, validateTileset } from './validate.ts';
import { writeTileset, type WriteResult } from './write.ts';

describe('geodesy', () => {
  it('puts the equator/prime meridian and the pole where WGS84 says', () => {
    expect(Array.from(geodeticToEcef(0, 0, 0))).toEqual([WGS84_A_M, 0, 0]);
    const pole = geodeticToEcef(0, 90, 0);
    expect(pole[2]).toBeCloseTo(6356752.314245, 5); // semi-minor axis b = a(1 − f)
    expect(pole[2]).toBeCloseTo(WGS84_A_M * (1 - WGS84_F), 5);
    expect(geodeticToEcef(90, 0, 100)[1]).toBeCloseTo(WGS84_A_M + 100, 6);
  });

  it('ENU→ECEF has orthonormal east/north/up columns and the origin as translation', () => {
    const m = enuToEcefMatrix(119.16, 36.71, 12);
    const col = (k: number) => [m[4 * k], m[4 * k + 1], m[4 * k + 2]];
    const dot = (a: number[], b: number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(dot(col(i), col(j))).toBeCloseTo(i === j ? 1 : 0, 12);
    expect(col(0)[2]).toBe(0); // east is horizontal
    const o = geodeticToEcef(119.16, 36.71, 12);
    expect([m[12], m[13], m[14]]).toEqual(Array.from(o));
    // up at latitude φ has z component sin φ
    expect(col(2)[2]).toBeCloseTo(Math.sin((36.71 * Math.PI) / 180), 12);
  });

  it('drops points away from the origin below the tangent plane by d²/2R', () => {
    const enu = new LocalToEnu({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    const g = new Float64Array(3), u = new Float64Array(3);
    enu.groundAndUp(0, 0, g, u, 0);
    expect(Math.hypot(g[0], g[1], g[2])).toBeLessThan(1e-6);
    expect(u[2]).toBeCloseTo(1, 12);
    const lat = (36.71 * Math.PI) / 180;
    const e2 = WGS84_F * (2 - WGS84_F);
    const n = WGS84_A_M / Math.sqrt(1 - e2 * Math.sin(lat) ** 2); // radius of curvature in the prime vertical (east)
    const m = (WGS84_A_M * (1 - e2)) / (1 - e2 * Math.sin(lat) ** 2) ** 1.5; // meridional radius (north)
    enu.groundAndUp(5000, 0, g, u, 0);
    expect(g[0]).toBeCloseTo(5000, 1);
    expect(g[2]).toBeCloseTo(-(5000 ** 2) / (2 * n), 2);
    enu.groundAndUp(0, -4000, g, u, 0);
    expect(g[1]).toBeCloseTo(-4000, 1);
    expect(g[2]).toBeCloseTo(-(4000 ** 2) / (2 * m), 2);
    // the local vertical tilts by d/R
    expect(Math.acos(u[2])).toBeCloseTo(4000 / m, 6);
  });
});

describe('quadtree', () => {
  const rand = mulberry32(7);
  const n = 5000;
  const centroids = new Float64Array(2 * n);
  const sizes = new Float64Array(n);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // clustered: half the buildings in a 300 m square
    const spread = i % 2 ? 3000 : 300;
    centroids[2 * i] = (rand() - 0.5) * spread;
    centroids[2 * i + 1] = (rand() - 0.5) * spread;
    sizes[i] = 5 + 200 * rand() ** 6;
    ids.push(`b${i}`);
  }
  const tree = buildQuadtree({ centroidsM: centroids, sizeM: sizes, ids }, { maxFeatures: 150 });

  it('puts every building in exactly one tile, none fuller than maxFeatures', () => {
    const seen = new Uint8Array(n);
    let tiles = 0;
    walkTree(tree.root, (node) => {
      tiles++;
      expect(node.buildings.length).toBeLessThanOrEqual(150);
      expect(node.buildings.length).toBeGreaterThan(0);
      for (const i of node.buildings) seen[i]++;
    });
    expect(tiles).toBe(tree.tileCount);
    expect(seen.every((c) => c === 1)).toBe(true);
    expect(tree.depth).toBeGreaterThan(2);
  });

  it('keeps the largest buildings high up: geometric error = largest building below, never growing downwards', () => {
    const below = (node: TreeNode): number[] => node.children.flatMap((c) => [...c.buildings, ...below(c)]);
    walkTree(tree.root, (node, parent) => {
      const rest = below(node);
      expect(node.geometricErrorM).toBe(rest.length ? Math.max(...rest.map((i) => sizes[i])) : 0);
      if (parent) expect(node.geometricErrorM).toBeLessThanOrEqual(parent.geometricErrorM);
      if (rest.length) expect(Math.min(...node.buildings.map((i) => sizes[i]))).toBeGreaterThanOrEqual(node.geometricErrorM);
    });
  });

  it('places children inside their parent cell of a power-of-two grid centred on the origin', () => {
    expect(Math.log2(tree.rootHalfM) % 1).toBe(0);
    walkTree(tree.root, (node) => {
      const cell = (2 * tree.rootHalfM) / 2 ** node.level;
      for (const c of node.children) {
        const x0 = -tree.rootHalfM + c.x * cell / 2, y0 = -tree.rootHalfM + c.y * cell / 2;
        for (const i of c.buildings) {
          expect(centroids[2 * i]).toBeGreaterThanOrEqual(x0);
          expect(centroids[2 * i]).toBeLessThan(x0 + cell / 2);
          expect(centroids[2 * i + 1]).toBeGreaterThanOrEqual(y0);
          expect(centroids[2 * i + 1]).toBeLessThan(y0 + cell / 2);
        }
      }
    });
  });
});

describe('metadata binary format', () => {
  it('packs booleans into a bitstream, least significant bit first, unused bits 0', () => {
    const col = encodeColumn({ type: 'BOOLEAN' }, [true, false, true, true, false, false, false, false, true]);
    expect(Array.from(col.values)).toEqual([0b00001101, 0b00000001]);
  });

  it('encodes strings as UTF-8 with UINT32 offsets, and string arrays with element offsets', () => {
    const col = encodeColumn({ type: 'STRING' }, ['ab', '', '重点']);
    expect(Array.from(new Uint32Array(col.stringOffsets!.slice().buffer))).toEqual([0, 2, 2, 8]);
    const arr = encodeColumn({ type: 'STRING', array: true }, [['x'], [], ['y', 'zz']]);
    expect(Array.from(new Uint32Array(arr.arrayOffsets!.slice().buffer))).toEqual([0, 1, 1, 3]);
    expect(Array.from(new Uint32Array(arr.stringOffsets!.slice().buffer))).toEqual([0, 1, 2, 4]);
  });

  it('round-trips every property type and rejects broken offsets', () => {
    const views: Uint8Array[] = [];
    const put = (a?: Uint8Array) => (a ? views.push(a) - 1 : undefined);
    const data: Record<string, unknown[]> = {
      id: ['b-1', 'b-2', '楼-3'],
      name: ['', '一号楼', ''],
      use: ['office', 'residential', 'unknown'],
      baseM: [0, 12.5, 0],
      roofM: [30.25, 40, 9],
      lod: [1, 2, 1],
      keyAreaIds: [[], ['ka-001', 'ka-002'], ['ka-003']],
      inKeyArea: [false, true, true],
    };
    for (const [key, def] of Object.entries(BUILDING_PROPERTIES)) {
      const col = encodeColumn(def, data[key]);
      const back = decodeColumn(key, def, { values: put(col.values)!, stringOffsets: put(col.stringOffsets), arrayOffsets: put(col.arrayOffsets) }, 3, (i) => views[i]);
      expect(back, key).toEqual(data[key]);
    }
    const bad = encodeColumn({ type: 'STRING' }, ['abc', 'd']);
    new DataView(bad.stringOffsets!.buffer).setUint32(8, 99, true);
    expect(() => decodeColumn('x', { type: 'STRING' }, { values: 0, stringOffsets: 1 }, 2, (i) => [bad.values, bad.stringOffsets!][i])).toThrow(/beyond the end/);
  });
});

describe('a small city as a tileset', () => {
  let city: City;
  let dir: string;
  let result: WriteResult;
  let ts: TilesetJson;
  const contents = new Map<string, Awaited<ReturnType<typeof readContent>>>();

  beforeAll(async () => {
    city = generateDefaultCity({ scale: 0.05 });
    dir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-'));
    result = await writeTileset(dir, { city }, { maxFeatures: 60 });
    ts = JSON.parse(readFileSync(join(dir, 'tileset.json'), 'utf8'));
    const walk = async (t: TileJson) => {
      if (t.content) contents.set(t.content.uri, await readContent(new Uint8Array(readFileSync(join(dir, t.content.uri)))));
      for (const c of t.children ?? []) await walk(c);
    };
    await walk(ts.root);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is a 3D Tiles 1.1 tileset with the city on the ellipsoid', () => {
    expect(ts.asset.version).toBe('1.1');
    expect(ts.root.refine).toBe('ADD');
    const t = ts.root.transform as number[];
    const o = geodeticToEcef(city.origin.lonDeg, city.origin.latDeg, city.origin.heightM);
    expect([t[12], t[13], t[14]]).toEqual(Array.from(o));
    expect(result.tiles).toBeGreaterThan(5);
    expect(result.depth).toBeGreaterThanOrEqual(2);
    expect(ts.metadata.properties).toEqual({ name: city.meta.name, buildingCount: city.buildings.count, tileCount: result.tiles, synthetic: true });
  });

  it('holds every building of the city in exactly one tile', () => {
    const ids = [...contents.values()].flatMap((c) => c.rows.map((r) => r.id));
    expect(ids.length).toBe(city.buildings.count);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...city.buildings.ids].sort());
    expect(result.buildings).toBe(city.buildings.count);
  });

  it('has geometric errors that never grow downwards and leaves with error 0', () => {
    const check = (t: TileJson, parentError: number) => {
      expect(t.geometricError).toBeGreaterThanOrEqual(0);
      expect(t.geometricError).toBeLessThanOrEqual(parentError);
      if (!t.children) expect(t.geometricError).toBe(0);
      for (const c of t.children ?? []) check(c, t.geometricError);
    };
    check(ts.root, ts.geometricError);
  });

  it('has bounding volumes that hold every vertex of their content, and children inside parents', () => {
    let vertices = 0;
    const check = (t: TileJson, parents: number[][]) => {
      if (t.content) {
        const p = (contents.get(t.content.uri) as Awaited<ReturnType<typeof readContent>>).positionsM;
        for (let v = 0; v < p.length; v += 3) {
          vertices++;
          for (const box of [t.content.boundingVolume.box, t.boundingVolume.box, ...parents]) {
            if (!pointInBox(box, p[v], p[v + 1], p[v + 2], 0)) throw new Error(`vertex ${v / 3} of ${t.content.uri} outside a bounding box`);
          }
        }
      }
      for (const c of t.children ?? []) check(c, [...parents, t.boundingVolume.box]);
    };
    check(ts.root, []);
    expect(vertices).toBe(result.vertices);
  });

  it('carries each building\'s metadata: feature ids → property table rows equal to the city\'s record', () => {
    const b = city.buildings;
    const index = new Map(b.ids.map((id, i) => [id, i]));
    const enu = new LocalToEnu(city.origin);
    const g = new Float64Array(3), u = new Float64Array(3), c = [0, 0];
    let inArea = 0;
    for (const content of contents.values()) {
      const top = new Float64Array(content.featureCount).fill(-Infinity);
      for (let v = 0; v < content.featureIds.length; v++) top[content.featureIds[v]] = Math.max(top[content.featureIds[v]], content.positionsM[3 * v + 2]);
      content.rows.forEach((row: BuildingRow, f) => {
        const i = index.get(row.id) as number;
        expect(row.use).toBe(b.use[i]);
        expect(row.name).toBe(b.names[i] ?? '');
        expect(row.roofM).toBe(Math.fround(b.roofM[i]));
        expect(row.baseM).toBe(Math.fround(b.baseM[i]));
        expect(row.lod).toBe(1);
        expect(row.inKeyArea).toBe(row.keyAreaIds.length > 0);
        footprintCentroid(city, i, c);
        for (const id of row.keyAreaIds) {
          const k = city.keyAreas.ids.indexOf(id);
          expect(pointInTablePolygon(c[0], c[1], city.keyAreas.ringStart, city.keyAreas.vertexStart, city.keyAreas.xyM, k)).toBe(true);
        }
        if (row.inKeyArea) inArea++;
        // the building's highest vertex is its roof, on the curved ground below its centroid
        enu.groundAndUp(c[0], c[1], g, u, 0);
        expect(Math.abs(top[f] - (g[2] + row.roofM * u[2]))).toBeLessThan(0.02);
      });
    }
    expect(inArea).toBeGreaterThan(0);
  });

  it('passes the glTF Validator and the 3D Tiles checks with no errors or warnings', async () => {
    const report = await validateTileset(dir);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.stats.contents).toBe(result.tiles);
    expect(report.stats.buildings).toBe(city.buildings.count);
    expect(report.notes[0]).toMatch(/3d-tiles-validator/);
  });

  it('writes GLBs with 8-byte chunks and aligned property-table views', () => {
    const first = ts.root.content!.uri;
    const glb = new Uint8Array(readFileSync(join(dir, first)));
    const { json } = parseGlb(glb);
    expect(new DataView(glb.buffer, glb.byteOffset).getUint32(12, true) % 8).toBe(0);
    for (const bv of json.bufferViews) expect((bv.byteOffset ?? 0) % 8).toBe(0);
    expect(alignGlb(glb)).toEqual(glb); // already aligned: a fixed point
  });

  it('with meshopt: smaller, and the same buildings within the quantization step', async () => {
    const mdir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-meshopt-'));
    try {
      const r = await writeTileset(mdir, { city }, { maxFeatures: 60, compress: 'meshopt' });
      expect(r.tiles).toBe(result.tiles);
      expect(r.contentBytes).toBeLessThan(result.contentBytes / 2);
      const report = await validateTileset(mdir);
      expect(report.errors).toEqual([]);
      const mts = JSON.parse(readFileSync(join(mdir, 'tileset.json'), 'utf8')) as TilesetJson;
      const plain = contents.get(ts.root.content!.uri)!;
      const packed = await readContent(new Uint8Array(readFileSync(join(mdir, mts.root.content!.uri))));
      expect(packed.rows).toEqual(plain.rows);
      expect(packed.featureIds.length).toBe(plain.featureIds.length);
      // per building: the same bounds to within one quantization step
      const box = mts.root.content!.boundingVolume.box;
      const step = (2 * Math.max(box[3], box[7], box[11])) / 65535;
      const bounds = (c: typeof plain) => {
        const out = new Map<number, number[]>();
        for (let v = 0; v < c.featureIds.length; v++) {
          const b = out.get(c.featureIds[v]) ?? [Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity];
          for (let k = 0; k < 3; k++) {
            b[k] = Math.min(b[k], c.positionsM[3 * v + k]);
            b[k + 3] = Math.max(b[k + 3], c.positionsM[3 * v + k]);
          }
          out.set(c.featureIds[v], b);
        }
        return out;
      };
      const a = bounds(plain), q = bounds(packed);
      for (const [f, b] of a) for (let k = 0; k < 6; k++) expect(Math.abs(b[k] - (q.get(f) as number[])[k])).toBeLessThanOrEqual(step);
    } finally {
      rmSync(mdir, { recursive: true, force: true });
    }
  });
});

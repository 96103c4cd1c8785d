/**
 * Incremental rebuilds: after an edit of three buildings only the tiles holding them are rewritten
 * (every other content file keeps its name, bytes and mtime); an unchanged city rewrites nothing;
 * a build that fails part-way leaves the previous tileset whole; `incremental: false` rewrites all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import type { City } from '../sim-core/cim/types.ts';
import { validateTileset } from './validate.ts';
import { readManifest, writeTileset } from './write.ts';

const MAX = 40;
let city: City;
let dir: string;

/** name → [size, mtimeMs, bytes] of every content file. */
function snapshot(): Map<string, { mtimeMs: number; bytes: Buffer }> {
  const out = new Map<string, { mtimeMs: number; bytes: Buffer }>();
  for (const f of readdirSync(join(dir, 'content'))) out.set(f, { mtimeMs: statSync(join(dir, 'content', f)).mtimeMs, bytes: readFileSync(join(dir, 'content', f)) });
  return out;
}

/** A copy of the city with some buildings' use and roof height changed (the geometry arrays copied). */
function edited(base: City, ids: string[]): City {
  const b = base.buildings;
  const use = [...b.use];
  const roofM = Float32Array.from(b.roofM);
  for (const id of ids) {
    const i = b.ids.indexOf(id);
    use[i] = use[i] === 'office' ? 'commercial' : 'office';
    roofM[i] = roofM[i] + 0.5; // small: the building stays in its tile
  }
  return { ...base, buildings: { ...b, use, roofM } };
}

beforeAll(async () => {
  city = generateDefaultCity({ scale: 0.05 });
  dir = mkdtempSync(join(tmpdir(), 'cimtwin-tiles-incr-'));
  await writeTileset(dir, { city }, { maxFeatures: MAX });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('incremental rebuild', () => {
  it('rewrites nothing when nothing changed', async () => {
    const before = snapshot();
    const r = await writeTileset(dir, { city }, { maxFeatures: MAX });
    expect(r.written).toBe(0);
    expect(r.reused).toBe(r.tiles);
    expect(r.removed).toBe(0);
    const after = snapshot();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [f, s] of after) expect(s.mtimeMs).toBe(before.get(f)!.mtimeMs);
  });

  it('after an edit of 3 buildings rewrites only their tiles', async () => {
    const manifest = readManifest(dir)!;
    const tileOf = new Map<string, string>();
    for (const t of manifest.tiles) for (const id of t.buildingIds) tileOf.set(id, t.key);
    // three buildings in three different tiles, small enough to stay where they are
    const picks: string[] = [];
    const tilesHit = new Set<string>();
    for (const t of manifest.tiles) {
      if (picks.length === 3) break;
      const id = t.buildingIds[t.buildingIds.length - 1]; // the tile's smallest
      picks.push(id);
      tilesHit.add(t.key);
    }
    const before = snapshot();
    const r = await writeTileset(dir, { city: edited(city, picks) }, { maxFeatures: MAX });
    expect(r.written).toBe(tilesHit.size);
    expect(r.reused).toBe(r.tiles - tilesHit.size);
    expect(r.removed).toBe(tilesHit.size); // the old files of the three tiles

    const after = snapshot();
    const changed = [...after.keys()].filter((f) => !before.has(f));
    expect(changed.map((f) => f.split('-').slice(0, 3).join('-')).sort()).toEqual([...tilesHit].sort());
    for (const [f, s] of after) {
      if (changed.includes(f)) continue;
      const old = before.get(f)!;
      expect(s.mtimeMs, f).toBe(old.mtimeMs);
      expect(s.bytes.equals(old.bytes), f).toBe(true);
    }
    const report = await validateTileset(dir, { gltfValidator: false });
    expect(report.errors).toEqual([]);
    expect(report.stats.buildings).toBe(city.buildings.count);
  });

  it('leaves the previous tileset whole when a build fails part-way', async () => {
    const tileset = readFileSync(join(dir, 'tileset.json'), 'utf8');
    const manifest = readFileSync(join(dir, 'cimtwin-tiles.json'), 'utf8');
    let n = 0;
    await expect(
      writeTileset(dir, { city: edited(city, city.buildings.ids.slice(0, 200)) }, {
        maxFeatures: MAX,
        onProgress: (p) => {
          if (p.phase === 'tiles' && ++n === 3) throw new Error('disk full (simulated)');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(readFileSync(join(dir, 'tileset.json'), 'utf8')).toBe(tileset);
    expect(readFileSync(join(dir, 'cimtwin-tiles.json'), 'utf8')).toBe(manifest);
    const report = await validateTileset(dir, { gltfValidator: false });
    expect(report.errors).toEqual([]);
    // the next build cleans up the orphans of the failed one
    const r = await writeTileset(dir, { city: edited(city, city.buildings.ids.slice(0, 200)) }, { maxFeatures: MAX });
    expect(readdirSync(join(dir, 'content')).length).toBe(r.tiles);
  });

  it('rebuilds every tile without the manifest', async () => {
    const r = await writeTileset(dir, { city }, { maxFeatures: MAX, incremental: false });
    expect(r.written).toBe(r.tiles);
    expect(r.reused).toBe(0);
  });
});

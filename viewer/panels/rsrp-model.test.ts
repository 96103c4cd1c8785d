import { beforeAll, describe, expect, it } from 'vitest';
import { deviceFeaturesOfCity } from '../../sim-core/cim/device-features.ts';
import { generateDefaultCity } from '../../sim-core/cim/demo/index.ts';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { cellSpecsFromCity } from '../../sim-core/coverage/cellular/cells.ts';
import { gridIndexAt, gridRectangleDeg, healthyCells, RSRP_MAX_SAMPLES, RSRP_MIN_CELL_M, rsrpCellM } from './rsrp-model.ts';

let city: City;
beforeAll(() => {
  city = generateDefaultCity({ scale: 0.1 });
});

describe('RSRP layer model', () => {
  it('takes the healthy 5G cells of the device list, as the city model does', () => {
    const features = deviceFeaturesOfCity(city);
    const got = healthyCells(city, features);
    const want = cellSpecsFromCity(city);
    expect(got.map((c) => c.id)).toEqual(want.map((c) => c.id));
    got.forEach((c, k) => {
      // positions went through lon/lat and back: equal to the micrometre
      expect(c.xM).toBeCloseTo(want[k]!.xM, 6);
      expect(c.yM).toBeCloseTo(want[k]!.yM, 6);
      expect({ ...c, xM: 0, yM: 0 }).toEqual({ ...want[k]!, xM: 0, yM: 0 });
    });
    expect(got.length).toBeGreaterThan(0);
    const off = features.map((f) => (f.properties.deviceType === 'cell5g' ? { ...f, properties: { ...f.properties, healthy: false } } : f));
    expect(healthyCells(city, off)).toEqual([]);
  });

  it('keeps the raster within its sample budget', () => {
    const cellM = rsrpCellM(city);
    expect(cellM).toBeGreaterThanOrEqual(RSRP_MIN_CELL_M);
    expect(cellM % 5).toBe(0);
    const scope = city.scopes.find((s) => s.kind === '城区')!;
    const ring = scope.polygons[0]![0]!;
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (let i = 0; i < ring.length; i += 2) {
      minX = Math.min(minX, ring[i]!);
      maxX = Math.max(maxX, ring[i]!);
      minY = Math.min(minY, ring[i + 1]!);
      maxY = Math.max(maxY, ring[i + 1]!);
    }
    expect(((maxX - minX) / cellM) * ((maxY - minY) / cellM)).toBeLessThanOrEqual(RSRP_MAX_SAMPLES);
    // A small city gets the finest cell.
    const tiny = { ...city, scopes: [] } as City;
    expect(rsrpCellM({ ...tiny, buildings: { ...city.buildings } })).toBeGreaterThanOrEqual(RSRP_MIN_CELL_M);
  });

  it('gives the rectangle around the grid in degrees', () => {
    const g = { originXM: -500, originYM: -300, cellM: 10, nx: 100, ny: 60 };
    const r = gridRectangleDeg(city, g);
    const f = new LocalFrame(city.origin);
    const sw = f.toLngLat(-500, -300), ne = f.toLngLat(500, 300);
    expect(r.west).toBeCloseTo(sw[0]!, 6);
    expect(r.south).toBeCloseTo(sw[1]!, 6);
    expect(r.east).toBeCloseTo(ne[0]!, 6);
    expect(r.north).toBeCloseTo(ne[1]!, 6);
    expect(r.east).toBeGreaterThan(r.west);
  });
});

describe('grid lookup', () => {
  it('finds the cell under a point, row 0 at the south', () => {
    const g = { originXM: -500, originYM: -300, cellM: 10, nx: 100, ny: 60 };
    const f = new LocalFrame(city.origin);
    const at = (x: number, y: number) => {
      const p = f.toLngLat(x, y);
      return gridIndexAt(city, g, p[0]!, p[1]!);
    };
    expect(at(-495, -295)).toBe(0);
    expect(at(-485, -295)).toBe(1);
    expect(at(-495, -285)).toBe(100);
    expect(at(495, 295)).toBe(59 * 100 + 99);
    expect(at(-505, 0)).toBe(-1);
    expect(at(0, 305)).toBe(-1);
  });
});

/**
 * The visible ground drawn during a drag equals the coverage model's own per-point test (cameraSeesPoint
 * over the PrismIndex) cell by cell, and reuses its buffers between calls.
 */
import { describe, expect, it } from 'vitest';
import { generateDefaultCity } from '../../sim-core/cim/demo/index.ts';
import { camerasFromDevices, cameraSeesPoint } from '../../sim-core/coverage/camera.ts';
import { PrismIndex } from '../../sim-core/spatial/prism-index.ts';
import { VisibleGround } from './visible-ground.ts';

describe('VisibleGround', () => {
  const city = generateDefaultCity({ scale: 0.1 });
  const prisms = PrismIndex.fromBuildings(city.buildings);
  const cameras = camerasFromDevices(city.devices).filter((c) => !c.ptz).slice(0, 12);

  it('seen cells are exactly the cells the camera model sees at the camera’s own DORI level', () => {
    const vg = new VisibleGround(prisms, 1);
    for (const cam of cameras) {
      const runs = vg.compute(cam, 'preset');
      const half = runs.cellM / 2;
      const seen = new Set<string>();
      for (let k = 0; k < runs.count; k++) {
        for (let x = runs.x0M[k]! + half; x < runs.x1M[k]!; x += runs.cellM) seen.add(`${Math.round((x - cam.xM) / runs.cellM)},${Math.round((runs.yM[k]! - cam.yM) / runs.cellM)}`);
      }
      expect(seen.size).toBe(runs.cellsSeen);
      // brute force over the same grid
      const n = Math.ceil(runs.rangeM / runs.cellM);
      let brute = 0;
      const wrong: string[] = [];
      for (let j = -n; j <= n; j++)
        for (let i = -n; i <= n; i++) {
          const x = cam.xM + i * runs.cellM, y = cam.yM + j * runs.cellM;
          const reach2 = runs.rangeM * runs.rangeM - cam.heightM * cam.heightM;
          if ((x - cam.xM) ** 2 + (y - cam.yM) ** 2 > reach2) continue;
          const sees = cameraSeesPoint(cam, prisms, x, y, 0, cam.doriLevel, 'preset');
          if (sees) brute++;
          if (sees !== seen.has(`${i},${j}`)) wrong.push(`${i},${j}`);
        }
      expect(wrong).toEqual([]);
      expect(runs.cellsSeen).toBe(brute);
    }
    expect(cameras.length).toBeGreaterThan(5);
  });

  it('buildings hide ground: without them the cameras see more', () => {
    const vg = new VisibleGround(prisms, 1);
    const none = new VisibleGround({ segmentBlocked: () => false, buildingAt: () => -1 }, 1);
    let hidden = 0;
    for (const cam of camerasFromDevices(city.devices).slice(0, 200)) {
      const withBuildings = vg.compute(cam, 'preset').cellsSeen;
      const without = none.compute(cam, 'preset').cellsSeen;
      expect(without).toBeGreaterThanOrEqual(withBuildings);
      if (without > withBuildings) hidden++;
    }
    expect(hidden).toBeGreaterThan(0);
  });

  it('reuses its result buffers (no allocation per call once grown)', () => {
    const vg = new VisibleGround(prisms, 1);
    const a = vg.compute(cameras[1]!, 'preset');
    const x0 = a.x0M;
    const b = vg.compute(cameras[1]!, 'preset');
    expect(b).toBe(a);
    expect(b.x0M).toBe(x0);
  });
});

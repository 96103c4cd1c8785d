/**
 * Test scenes for the cellular model and reports: a seeded 700 m × 700 m block city and seeded
 * three-sector masts in its streets. Not a test file itself (no `.test.ts`), imported by tests.
 */
import { CityBuilder, type KeyAreaInput } from '../../cim/builder.ts';
import type { City } from '../../cim/types.ts';
import { PrismIndex } from '../../spatial/prism-index.ts';
import { mulberry32 } from '../../random.ts';
import type { CellSpec } from './cells.ts';

export const TEST_ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };

/**
 * A 700 m × 700 m block city: 5 × 5 blocks of 2 × 2 buildings (8–48 m, seeded), streets between;
 * with `keyAreas`, the given key areas are added (in the 5G set unless they say otherwise) and a
 * 城区 scope covering the whole square.
 */
export function testScene(seed = 7, keyAreas: KeyAreaInput[] = []): { city: City; index: PrismIndex } {
  const rand = mulberry32(seed);
  const b = new CityBuilder(TEST_ORIGIN, { name: `cellular-test-${seed}`, synthetic: true });
  let n = 0;
  for (let by = 0; by < 5; by++) {
    for (let bx = 0; bx < 5; bx++) {
      const x0 = 40 + bx * 130;
      const y0 = 40 + by * 130;
      for (let j = 0; j < 2; j++) {
        for (let i = 0; i < 2; i++) {
          if (rand() < 0.2) continue;
          const xa = x0 + i * 50 + 3;
          const ya = y0 + j * 50 + 3;
          b.addBuilding({ id: `b${n++}`, rings: [[xa, ya, xa + 42, ya, xa + 42, ya + 42, xa, ya + 42]], roofM: 8 + rand() * 40 });
        }
      }
    }
  }
  for (const a of keyAreas) b.addKeyArea({ in5gSet: true, ...a });
  if (keyAreas.length) b.addScope({ id: 'urban', kind: '城区', polygons: [[[0, 0, 700, 0, 700, 700, 0, 700]]] });
  const city = b.build();
  return { city, index: PrismIndex.fromBuildings(city.buildings) };
}

/** `masts` seeded three-sector masts on street centre lines of the test scene. */
export function testCells(seed = 3, masts = 6): CellSpec[] {
  const rand = mulberry32(seed);
  const out: CellSpec[] = [];
  for (let m = 0; m < masts; m++) {
    const onX = rand() < 0.5;
    const street = 40 + Math.floor(rand() * 6) * 130 - 15;
    const along = 20 + rand() * 660;
    const x = onX ? street : along;
    const y = onX ? along : street;
    const h = 20 + rand() * 15;
    const az0 = rand() * 120;
    for (let k = 0; k < 3; k++) {
      out.push({ id: `m${m}s${k}`, xM: x, yM: y, heightM: h, azimuthDeg: az0 + 120 * k, mechanicalTiltDeg: 2 + rand() * 6, electricalTiltDeg: rand() * 4, band: rand() < 0.8 ? 'n78' : 'n41' });
    }
  }
  return out;
}

/** A small hand-made city for the green-wave panel's tests (not shipped in the app). */
import { CityBuilder } from '../../sim-core/cim/builder.ts';
import type { City, RoadClass } from '../../sim-core/cim/types.ts';

/**
 * 和平路 (主干路) runs east from W0 to W4 along y = 0: W0 (0 m), W1 (400), W2 (800, the link W1–W2 an
 * L-shaped bend: 300 m east, then 100 m north, then 100 m east, so its polyline is 500 m while its
 * stated lengthM is 450 m), W3 (1,200 m, back at y = 100, drawn from W3 to W2 — reversed), W4 (1,600).
 * Signals at W1 … W4. 胜利街 (主干路) runs north from S0 through W1 to S2: signals at W1 and S2.
 * 东风街 (次干路) has signals but is not an arterial. An unnamed 主干路 stub W4–X0 has one signal: too
 * few for a wave.
 */
export function greenwaveTestCity(): City {
  const b = new CityBuilder({ lonDeg: 119.1, latDeg: 36.7, heightM: 0 }, { name: 'greenwave test' });
  const node = (id: string, x: number, y: number, signalized = false) => b.addRoadNode({ id, xM: x, yM: y, signalized });
  const link = (id: string, from: string, to: string, roadClass: RoadClass, xy: number[], name: string | null, lengthM?: number) =>
    b.addRoadLink({ id, fromId: from, toId: to, roadClass, lanes: 4, speedLimitMps: 50 / 3.6, xyM: xy, lengthM, name });
  node('W0', 0, 0);
  node('W1', 400, 0, true);
  node('W2', 800, 100, true);
  node('W3', 1200, 100, true);
  node('W4', 1600, 100, true);
  node('S0', 400, -500);
  node('S2', 400, 500, true);
  node('E0', 0, 900, true);
  node('E1', 400, 900, true);
  node('X0', 2000, 100);
  link('w01', 'W0', 'W1', 'arterial', [0, 0, 400, 0], '和平路');
  link('w12', 'W1', 'W2', 'arterial', [400, 0, 700, 0, 700, 100, 800, 100], '和平路', 450);
  link('w23', 'W3', 'W2', 'arterial', [1200, 100, 800, 100], '和平路');
  link('w34', 'W3', 'W4', 'arterial', [1200, 100, 1600, 100], '和平路');
  link('s01', 'S0', 'W1', 'arterial', [400, -500, 400, 0], '胜利街');
  link('s12', 'W1', 'S2', 'arterial', [400, 0, 400, 500], '胜利街');
  link('e01', 'E0', 'E1', 'secondary', [0, 900, 400, 900], '东风街');
  link('x01', 'W4', 'X0', 'arterial', [1600, 100, 2000, 100], null);
  return b.build();
}

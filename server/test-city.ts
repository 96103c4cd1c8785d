/**
 * A small hand-made city for server and browser tests: a 4 × 4 block of buildings of varied height
 * and use around a signalised crossroads, one key public area, one scope and two devices. Built with
 * {@link CityBuilder}, so it is valid by construction and cheap (milliseconds).
 */
import { CityBuilder } from '../sim-core/cim/builder.ts';
import type { City } from '../sim-core/cim/types.ts';

const USES = ['residential', 'commercial', 'office', 'public'] as const;

/** Builds the test city; `name` lets tests tell two cities apart. */
export function makeTestCity(name = '测试城区'): City {
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name, synthetic: true, sources: ['server/test-city.ts'], attribution: ['test attribution line'] });
  let n = 0;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const x = -170 + i * 90 + (i >= 2 ? 40 : 0);
      const y = -170 + j * 90 + (j >= 2 ? 40 : 0);
      b.addBuilding({ id: `b${n}`, rings: [[x, y, x + 50, y, x + 50, y + 40, x, y + 40]], roofM: 9 + 12 * ((i * 4 + j) % 7), use: USES[n % USES.length], name: n === 0 ? '一号楼' : null });
      n++;
    }
  }
  // A podium tower: base above ground.
  b.addBuilding({ id: 'tower-top', rings: [[-160, -160, -130, -160, -130, -140, -160, -140]], baseM: 21, roofM: 60, use: 'office' });
  b.addRoadNode({ id: 'c', xM: 0, yM: 0, signalized: true, name: '中心路口' });
  const ends: [string, number, number][] = [['n', 0, 250], ['e', 250, 0], ['s', 0, -250], ['w', -250, 0]];
  for (const [id, x, y] of ends) b.addRoadNode({ id, xM: x, yM: y });
  ends.forEach(([id, x, y], k) =>
    b.addRoadLink({ id: `l-${id}`, fromId: 'c', toId: id, roadClass: k % 2 ? 'secondary' : 'arterial', lanes: 4, speedLimitMps: 13.9, xyM: [0, 0, x, y], name: null }),
  );
  b.addKeyArea({ id: 'park', rings: [[20, 20, 70, 20, 70, 70, 20, 70]], category: 'park_square', name: '人民广场' });
  b.addScope({ id: 'urban', kind: '城区', polygons: [[[-300, -300, 300, -300, 300, 300, -300, 300]]] });
  b.addDevice({ id: 'cam-1', type: 'camera', xM: 5, yM: 5, heightM: 6, headingDeg: 45, tiltDeg: 20, attrs: { hfovDeg: 90 } });
  b.addDevice({ id: 'sig-1', type: 'signal', xM: 2, yM: -2, heightM: 1, healthy: false });
  return b.build();
}

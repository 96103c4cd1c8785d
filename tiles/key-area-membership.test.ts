import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../sim-core/cim/builder.ts';
import { buildingKeyAreas } from './metadata.ts';

const rect = (x0: number, y0: number, x1: number, y1: number) => [x0, y0, x1, y0, x1, y1, x0, y1];

describe('building key-area membership', () => {
  it('finds a building in the second part of a multi-part key area (box and test over all parts)', () => {
    const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    b.addKeyArea({ id: 'school', polygons: [[rect(0, 0, 50, 50), rect(20, 20, 30, 30)], [rect(200, 0, 250, 50)]], category: 'school' });
    b.addBuilding({ id: 'in-a', rings: [rect(5, 5, 10, 10)], roofM: 10 });
    b.addBuilding({ id: 'in-hole', rings: [rect(24, 24, 26, 26)], roofM: 10 });
    b.addBuilding({ id: 'between', rings: [rect(100, 5, 110, 10)], roofM: 10 });
    b.addBuilding({ id: 'in-b', rings: [rect(220, 20, 230, 30)], roofM: 10 });
    expect(buildingKeyAreas(b.build())).toEqual([['school'], [], [], ['school']]);
  });
});

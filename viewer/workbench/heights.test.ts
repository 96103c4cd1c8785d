/** Device points (live-layers.ts) and the overlay's glyphs stand on the same ground: the city's origin height. */
import { describe, expect, it } from 'vitest';
import { EnuFrame } from '../overlay/frame.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { cityPointEcef } from './heights.ts';
import { devicePointPosition } from './live-layers.ts';

describe('cityPointEcef', () => {
  for (const heightM of [0, 37.5, -12]) {
    it(`agrees with the overlay's glyph anchors to a millimetre (origin ${heightM} m)`, () => {
      const origin = { lonDeg: 119.16, latDeg: 36.71, heightM };
      const enu = new EnuFrame(origin);
      for (const [lon, lat, h] of [[119.16, 36.71, 6], [119.2, 36.68, 25], [119.11, 36.74, 0.35]] as const) {
        const p = cityPointEcef(origin, lon, lat, h);
        const e = enu.cityToEnu(lon, lat, h);
        const q = enu.enuToEcef(e[0]!, e[1]!, e[2]!);
        expect(Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!)).toBeLessThan(1e-3);
      }
    });
  }
  it("live-layers' device point is where the overlay puts the glyph anchor (origin 37.5 m)", () => {
    const origin = { lonDeg: 119.16, latDeg: 36.71, heightM: 37.5 };
    const enu = new EnuFrame(origin);
    const f = { type: 'Feature', id: 'c1', geometry: { type: 'Point', coordinates: [119.17, 36.72] }, properties: { deviceType: 'camera', heightM: 6 } } as DeviceFeature;
    const p = devicePointPosition(origin, f);
    const e = enu.cityToEnu(119.17, 36.72, 6);
    const q = enu.enuToEcef(e[0]!, e[1]!, e[2]!);
    expect(Math.hypot(p.x - q[0]!, p.y - q[1]!, p.z - q[2]!)).toBeLessThan(1e-3);
  });
  it('a city 37.5 m above the ellipsoid lifts its device points by 37.5 m', () => {
    const a = cityPointEcef({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, 119.17, 36.72, 6);
    const b = cityPointEcef({ lonDeg: 119.16, latDeg: 36.71, heightM: 37.5 }, 119.17, 36.72, 6);
    expect(Math.hypot(b[0]! - a[0]!, b[1]! - a[1]!, b[2]! - a[2]!)).toBeCloseTo(37.5, 6);
  });
});

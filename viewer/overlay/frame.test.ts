/** Frame maths: ENU ↔ ECEF ↔ geodetic round trips, agreement with sim-core's ENU matrix, camera matrix and projection. */
import { describe, expect, it } from 'vitest';
import { enuToEcefMatrix, geodeticToEcef } from '../../sim-core/geom/ecef.ts';
import { mulberry32 } from '../../sim-core/random.ts';
import { cameraWorldMatrix, ecefToGeodetic, EnuFrame, glyphSizeM, metresPerPixel, projectToWindow } from './frame.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 32.5 };

describe('EnuFrame', () => {
  const f = new EnuFrame(ORIGIN);

  it('puts the origin at 0 and agrees with the ENU→ECEF matrix of sim-core (Cesium eastNorthUpToFixedFrame)', () => {
    const o = f.cityToEnu(ORIGIN.lonDeg, ORIGIN.latDeg, 0);
    for (const v of o) expect(Math.abs(v)).toBeLessThan(1e-6);
    const m = enuToEcefMatrix(ORIGIN.lonDeg, ORIGIN.latDeg, ORIGIN.heightM);
    const rnd = mulberry32(7);
    for (let k = 0; k < 50; k++) {
      const e = (rnd() - 0.5) * 20000, n = (rnd() - 0.5) * 20000, u = rnd() * 500;
      const ecef = f.enuToEcef(e, n, u);
      expect(ecef[0]).toBeCloseTo(m[0]! * e + m[4]! * n + m[8]! * u + m[12]!, 6);
      expect(ecef[1]).toBeCloseTo(m[1]! * e + m[5]! * n + m[9]! * u + m[13]!, 6);
      expect(ecef[2]).toBeCloseTo(m[2]! * e + m[6]! * n + m[10]! * u + m[14]!, 6);
    }
  });

  it('round-trips ENU → ECEF → ENU and city lon/lat/height → ENU → city to well under a millimetre', () => {
    const rnd = mulberry32(11);
    for (let k = 0; k < 200; k++) {
      const e = (rnd() - 0.5) * 30000, n = (rnd() - 0.5) * 30000, u = (rnd() - 0.2) * 3000;
      const ecef = f.enuToEcef(e, n, u);
      const back = f.ecefToEnu(ecef[0]!, ecef[1]!, ecef[2]!);
      expect(Math.hypot(back[0]! - e, back[1]! - n, back[2]! - u)).toBeLessThan(1e-6);
      const lon = ORIGIN.lonDeg + (rnd() - 0.5) * 0.2, lat = ORIGIN.latDeg + (rnd() - 0.5) * 0.2, h = rnd() * 400;
      const enu = f.cityToEnu(lon, lat, h);
      const city = f.enuToCity(enu[0]!, enu[1]!, enu[2]!);
      expect(city[0]).toBeCloseTo(lon, 10);
      expect(city[1]).toBeCloseTo(lat, 10);
      expect(city[2]).toBeCloseTo(h, 6);
    }
  });

  it('sees the earth curve: 5 km east the ground is about 2 m below the tangent plane', () => {
    const lonAt5km = ORIGIN.lonDeg + 5000 / (111320 * Math.cos((ORIGIN.latDeg * Math.PI) / 180));
    const g = f.cityToEnu(lonAt5km, ORIGIN.latDeg, 0);
    expect(g[0]).toBeGreaterThan(4990);
    expect(g[2]).toBeLessThan(-1.9);
    expect(g[2]).toBeGreaterThan(-2.1);
  });

  it('inverts geodeticToEcef from the ground to orbit and near the poles', () => {
    for (const [lon, lat, h] of [[119.16, 36.71, 0], [-75, -33, 8848], [10, 89.9, 100], [0, 0, 400000], [179.9, -89.5, -50]] as const) {
      const p = geodeticToEcef(lon, lat, h);
      const g = ecefToGeodetic(p[0]!, p[1]!, p[2]!);
      expect(g[0]).toBeCloseTo(lon, 9);
      expect(g[1]).toBeCloseTo(lat, 9);
      expect(g[2]).toBeCloseTo(h, 4);
    }
  });
});

describe('camera maths', () => {
  it('builds an orthonormal world matrix looking along the direction', () => {
    const m = cameraWorldMatrix([1, 2, 3], [0, 2, -2], [0, 0, 1]);
    const col = (i: number) => [m[4 * i]!, m[4 * i + 1]!, m[4 * i + 2]!];
    for (let i = 0; i < 3; i++) {
      expect(Math.hypot(...col(i))).toBeCloseTo(1, 12);
      for (let j = i + 1; j < 3; j++) expect(col(i).reduce((s, v, k) => s + v * col(j)[k]!, 0)).toBeCloseTo(0, 12);
    }
    // −z column is the view direction
    expect(-m[8]!).toBeCloseTo(0, 12);
    expect(-m[9]!).toBeCloseTo(Math.SQRT1_2, 12);
    expect(-m[10]!).toBeCloseTo(-Math.SQRT1_2, 12);
    expect([m[12], m[13], m[14]]).toEqual([1, 2, 3]);
    expect(() => cameraWorldMatrix([0, 0, 0], [0, 0, 1], [0, 0, 2])).toThrow(/parallel/);
  });

  it('projects the view axis to the centre and a point at fovy/2 above the axis to the top edge', () => {
    const world = cameraWorldMatrix([0, 0, 100], [0, 1, 0], [0, 0, 1]);
    const view = { world, fovyRad: Math.PI / 3, aspect: 800 / 600, widthPx: 800, heightPx: 600 };
    const c = projectToWindow(view, 0, 500, 100)!;
    expect(c[0]).toBeCloseTo(400, 9);
    expect(c[1]).toBeCloseTo(300, 9);
    expect(c[2]).toBeCloseTo(500, 9);
    const top = projectToWindow(view, 0, 500, 100 + 500 * Math.tan(Math.PI / 6))!;
    expect(top[1]).toBeCloseTo(0, 9);
    // right edge: x = d · tan(fovy/2) · aspect
    const right = projectToWindow(view, 500 * Math.tan(Math.PI / 6) * (800 / 600), 500, 100)!;
    expect(right[0]).toBeCloseTo(800, 9);
    expect(projectToWindow(view, 0, -10, 100)).toBeNull();
  });

  it('gives metres per pixel and clamps glyph sizes to their caps', () => {
    expect(metresPerPixel(600, Math.PI / 2, 600)).toBeCloseTo(2, 12);
    expect(glyphSizeM(20, 600, Math.PI / 2, 600, 0.5, 100)).toBeCloseTo(40, 12);
    expect(glyphSizeM(20, 600, Math.PI / 2, 600, 0.5, 8)).toBe(8);
    expect(glyphSizeM(20, 1, Math.PI / 2, 600, 0.5, 8)).toBe(0.5);
  });
});

import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { fromWgs84, geojsonCrsMember, parseCrsName, toWgs84 } from './crs.ts';

const M_PER_DEG_LAT = 111_320;

/**
 * Largest round-trip residual, metres, over an n × n grid (with an irrational offset, so no point sits
 * on a round number) across mainland China's city band, 100–125° E × 20–42° N.
 */
function residual(n: number, forward: (lon: number, lat: number) => number[], inverse: (lon: number, lat: number) => number[]): number {
  let worst = 0;
  for (let i = 0; i < n * n; i++) {
    const lon = 100 + 25 * (((i % n) + Math.SQRT1_2) / n);
    const lat = 20 + 22 * ((Math.floor(i / n) + Math.SQRT1_2 / 2) / n);
    const [x, y] = inverse(lon, lat);
    const [lon2, lat2] = forward(x, y);
    const d = Math.hypot((lon2 - lon) * M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180), (lat2 - lat) * M_PER_DEG_LAT);
    if (d > worst) worst = d;
  }
  return worst;
}

describe('CRS names', () => {
  it('recognises the names users write', () => {
    expect(['WGS84', 'EPSG:4326', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'wgs-84'].map(parseCrsName)).toEqual(['wgs84', 'wgs84', 'wgs84', 'wgs84']);
    expect(['CGCS2000', 'epsg:4490', 'urn:ogc:def:crs:EPSG::4490', '2000国家大地坐标系', 4490].map(parseCrsName)).toEqual(Array(5).fill('cgcs2000'));
    expect(['GCJ-02', 'gcj02', '火星坐标系', 'BD-09', '百度坐标'].map(parseCrsName)).toEqual(['gcj02', 'gcj02', 'gcj02', 'bd09', 'bd09']);
    expect(parseCrsName('EPSG:3857')).toBeNull();
    expect(parseCrsName('EPSG:4549')).toBeNull(); // CGCS2000 / 3-degree Gauss-Kruger CM 120E: projected, not read
    expect(() => geojsonCrsMember({ type: 'name', properties: { name: 'EPSG:4549' } }, 'f.geojson')).toThrow(/f\.geojson, field 'crs\.properties\.name': unsupported coordinate reference system "EPSG:4549"/);
  });
});

describe('GCJ-02 and BD-09 conversion', () => {
  it('moves Weifang by the known few hundred metres', () => {
    const [lon, lat] = fromWgs84('gcj02', 119.16, 36.71);
    const d = Math.hypot((lon - 119.16) * M_PER_DEG_LAT * Math.cos((36.71 * Math.PI) / 180), (lat - 36.71) * M_PER_DEG_LAT);
    expect(d).toBeGreaterThan(300);
    expect(d).toBeLessThan(700);
  });

  it('round trip forward(inverse(p)) = p to the millimetre (gcoord alone stops at about 0.1 m)', () => {
    const ours = residual(45, (x, y) => fromWgs84('gcj02', x, y), (x, y) => toWgs84('gcj02', x, y));
    const library = residual(45, (x, y) => gcoord.transform([x, y], gcoord.WGS84, gcoord.GCJ02) as number[], (x, y) => gcoord.transform([x, y], gcoord.GCJ02, gcoord.WGS84) as number[]);
    // Measured (2,025 grid points, 100–125° E, 20–42° N): ours 1.7e-7 m; gcoord's own inverse 0.115 m (BD-09: 1.1e-5 m vs 0.157 m).
    expect(ours).toBeLessThan(0.001);
    expect(library).toBeGreaterThan(ours);
    expect(library).toBeLessThan(0.2);
    const bd = residual(20, (x, y) => fromWgs84('bd09', x, y), (x, y) => toWgs84('bd09', x, y));
    expect(bd).toBeLessThan(0.001);
  });

  it('passes WGS84 and CGCS2000 through unchanged', () => {
    expect(toWgs84('cgcs2000', 119.16, 36.71)).toEqual([119.16, 36.71]);
    expect(toWgs84('wgs84', 119.16, 36.71)).toEqual([119.16, 36.71]);
  });
});

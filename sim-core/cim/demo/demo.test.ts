/**
 * The embedded default city: determinism, counts, geometry (no overlaps, inside its scopes), the
 * real station 54843, the intended indicator gaps, and the round trip through the city file. The
 * checks here are written independently of the generator's own bookkeeping: they read only the City.
 */
import Flatbush from 'flatbush';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cityFromGeoJSON,
  cityToGeoJSON,
  DEVICE_TYPES,
  isImportantIntersection,
  KEY_AREA_CATEGORIES,
  LocalFrame,
  ROAD_CLASSES,
  summarizeCity,
  type City,
  type CitySummary,
  type DeviceType,
} from '../index.ts';
import { pointInRing, pointInTablePolygon, tablePolygonArea, tablePolygonBBox } from '../../geom/polygon.ts';
import { camerasFromDevices, DORI_PX_PER_M, frustumContains, maxRangeM, preparePose } from '../../coverage/camera.ts';
import { DEFAULT_SEED, generateDefaultCity, heightMix } from './index.ts';
import { ordinalZh } from './names.ts';

let city: City;
beforeAll(() => {
  city = generateDefaultCity();
});

const ring = (t: { ringStart: Uint32Array; vertexStart: Uint32Array }, i: number): [number, number] => [t.vertexStart[t.ringStart[i]], t.vertexStart[t.ringStart[i] + 1]];
const devicesOf = (c: City, type: DeviceType) => {
  const code = DEVICE_TYPES.indexOf(type);
  const out: number[] = [];
  for (let j = 0; j < c.devices.count; j++) if (c.devices.typeCode[j] === code) out.push(j);
  return out;
};

function segmentDistance(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(ax + t * dx - px, ay + t * dy - py);
}
const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
function segmentsCross(a: number[], b: number[]): boolean {
  return orient(a[0], a[1], a[2], a[3], b[0], b[1]) * orient(a[0], a[1], a[2], a[3], b[2], b[3]) < 0 && orient(b[0], b[1], b[2], b[3], a[0], a[1]) * orient(b[0], b[1], b[2], b[3], a[2], a[3]) < 0;
}
function segSegDistance(a: number[], b: number[]): number {
  if (segmentsCross(a, b)) return 0;
  return Math.min(segmentDistance(a[0], a[1], a[2], a[3], b[0], b[1]), segmentDistance(a[0], a[1], a[2], a[3], b[2], b[3]), segmentDistance(b[0], b[1], b[2], b[3], a[0], a[1]), segmentDistance(b[0], b[1], b[2], b[3], a[2], a[3]));
}
/** Distance from a segment to a polygon ring (0 when the segment enters it). */
function segmentPolygonDistance(seg: number[], xy: Float64Array, v0: number, v1: number): number {
  if (pointInRing(seg[0], seg[1], xy, v0, v1) || pointInRing(seg[2], seg[3], xy, v0, v1)) return 0;
  let d = Infinity;
  for (let v = v0, w = v1 - 1; v < v1; w = v++) d = Math.min(d, segSegDistance(seg, [xy[2 * w], xy[2 * w + 1], xy[2 * v], xy[2 * v + 1]]));
  return d;
}
/**
 * True when two simple polygons share interior: a vertex, nudged 1 cm towards its own polygon's
 * centre (so that shared edges do not count), lies inside the other, or two edges properly cross.
 */
function ringsOverlap(xy: Float64Array, a0: number, a1: number, b0: number, b1: number): boolean {
  const nudgedInside = (p0: number, p1: number, q0: number, q1: number) => {
    let cx = 0, cy = 0;
    for (let v = p0; v < p1; v++) (cx += xy[2 * v]), (cy += xy[2 * v + 1]);
    cx /= p1 - p0;
    cy /= p1 - p0;
    for (let v = p0; v < p1; v++) {
      const dx = cx - xy[2 * v], dy = cy - xy[2 * v + 1], d = Math.hypot(dx, dy) || 1;
      if (pointInRing(xy[2 * v] + (0.01 * dx) / d, xy[2 * v + 1] + (0.01 * dy) / d, xy, q0, q1)) return true;
    }
    return false;
  };
  if (nudgedInside(a0, a1, b0, b1) || nudgedInside(b0, b1, a0, a1)) return true;
  for (let v = a0, w = a1 - 1; v < a1; w = v++) {
    const e = [xy[2 * w], xy[2 * w + 1], xy[2 * v], xy[2 * v + 1]];
    for (let p = b0, q = b1 - 1; p < b1; q = p++) if (segmentsCross(e, [xy[2 * q], xy[2 * q + 1], xy[2 * p], xy[2 * p + 1]])) return true;
  }
  return false;
}

describe('test helpers', () => {
  it('tell overlapping polygons from touching ones', () => {
    const xy = Float64Array.from([0, 0, 10, 0, 10, 10, 0, 10, /* touching */ 10, 0, 20, 0, 20, 10, 10, 10, /* overlapping */ 5, 5, 15, 5, 15, 15, 5, 15, /* crossing only */ 4, -5, 6, -5, 6, 15, 4, 15]);
    expect(ringsOverlap(xy, 0, 4, 4, 8)).toBe(false);
    expect(ringsOverlap(xy, 0, 4, 8, 12)).toBe(true);
    expect(ringsOverlap(xy, 0, 4, 12, 16)).toBe(true);
    expect(segmentPolygonDistance([0, 13, 10, 13], xy, 0, 4)).toBeCloseTo(3, 9);
    expect(segmentPolygonDistance([-5, 5, 15, 5], xy, 0, 4)).toBe(0);
  });
});

describe('names', () => {
  it('writes Chinese ordinals', () => {
    expect([1, 2, 10, 11, 13, 20, 21, 99].map(ordinalZh)).toEqual(['第一', '第二', '第十', '第十一', '第十三', '第二十', '第二十一', '第九十九']);
  });
});

describe('default city: determinism', () => {
  it('gives byte-identical city files for the same seed', () => {
    const a = JSON.stringify(cityToGeoJSON(city));
    const b = JSON.stringify(cityToGeoJSON(generateDefaultCity({ seed: DEFAULT_SEED })));
    expect(b.length).toBe(a.length);
    expect(b === a).toBe(true);
  });

  it('gives a different city for another seed (checked on a small district to keep the test quick)', () => {
    const a = JSON.stringify(cityToGeoJSON(generateDefaultCity({ seed: DEFAULT_SEED, scale: 0.2 })));
    const b = JSON.stringify(cityToGeoJSON(generateDefaultCity({ seed: DEFAULT_SEED + 1, scale: 0.2 })));
    expect(b === a).toBe(false);
    expect(JSON.stringify(cityToGeoJSON(generateDefaultCity({ seed: DEFAULT_SEED, scale: 0.2 }))) === a).toBe(true);
  });

  it('rejects a bad seed or scale', () => {
    expect(() => generateDefaultCity({ seed: -1 })).toThrow(RangeError);
    expect(() => generateDefaultCity({ seed: 1.5 })).toThrow(/seed/);
    expect(() => generateDefaultCity({ scale: 0 })).toThrow(/scale/);
    expect(() => generateDefaultCity({ scale: Number.NaN })).toThrow(/scale/);
  });

  it('scales down to a small district that still has every category', () => {
    const small = generateDefaultCity({ scale: 0.1 });
    expect(small.buildings.count).toBeGreaterThan(800);
    expect(small.buildings.count).toBeLessThan(city.buildings.count / 4);
    expect(new Set(small.keyAreas.category)).toEqual(new Set(KEY_AREA_CATEGORIES));
  });
});

describe('default city: counts', () => {
  it('has 15,000+ buildings, 300+ intersections, 150+ key areas over all seven categories', () => {
    const s = summarizeCity(city);
    expect(s.buildings.count).toBeGreaterThanOrEqual(15_000);
    expect(s.roads.intersections).toBeGreaterThanOrEqual(300);
    expect(s.roads.importantIntersections).toBeGreaterThanOrEqual(200);
    expect(s.roads.intersectionsByClass.arterial).toBeGreaterThanOrEqual(80);
    expect(s.roads.intersectionsByClass.branch).toBeGreaterThan(0); // 支路 intersections exist and are left out
    expect(s.keyAreas.count).toBeGreaterThanOrEqual(150);
    for (const c of KEY_AREA_CATEGORIES) expect(s.keyAreas.byCategory[c], c).toBeGreaterThanOrEqual(5);
    expect(s.devices.camera.count).toBeGreaterThanOrEqual(500);
    expect(s.devices.epolice.count).toBeGreaterThanOrEqual(600);
    expect(s.devices.cell5g.count).toBeGreaterThanOrEqual(90);
    expect(s.devices.weather.count).toBeGreaterThanOrEqual(4);
    expect(s.devices.signal.count).toBeGreaterThanOrEqual(200);
    expect(s.devices.pole.count).toBeGreaterThanOrEqual(50);
  });

  it('marks the content synthetic and names what is real', () => {
    expect(city.meta.synthetic).toBe(true);
    const text = city.meta.sources.join('\n');
    expect(text).toMatch(/seed 20200608/);
    expect(text).toMatch(/sim-core\/cim\/demo/);
    expect(text).toMatch(/only the national basic weather station 54843/);
    const real = city.devices.attrs.filter((a) => a.real === true);
    expect(real.length).toBe(1);
  });
});

describe('default city: roads', () => {
  it('uses CJJ 37 cross-sections per class', () => {
    const l = city.roadLinks;
    for (let i = 0; i < l.count; i++) {
      const cls = ROAD_CLASSES[l.classCode[i]];
      const kph = Math.round(l.speedLimitMps[i] * 3.6);
      if (cls === 'arterial') expect([l.lanes[i], kph]).toSatisfy(([n, v]: number[]) => (n === 6 || n === 8) && v === 60);
      else if (cls === 'secondary') expect([l.lanes[i], kph]).toEqual([4, 50]);
      else if (cls === 'branch') expect([l.lanes[i], kph]).toSatisfy(([n, v]: number[]) => n === 2 && (v === 30 || v === 40));
      else throw new Error(`unexpected class ${cls}`);
    }
  });

  it('spaces north–south arterials 600–900 m apart', () => {
    const xs = new Set<number>();
    const l = city.roadLinks;
    for (let i = 0; i < l.count; i++) {
      if (ROAD_CLASSES[l.classCode[i]] !== 'arterial') continue;
      const v = l.vertexStart[i];
      if (Math.abs(l.xyM[2 * v] - l.xyM[2 * v + 2]) < 0.01) xs.add(Math.round(l.xyM[2 * v]));
    }
    const sorted = [...xs].sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i] - sorted[i - 1]).toBeGreaterThanOrEqual(600);
      expect(sorted[i] - sorted[i - 1]).toBeLessThanOrEqual(900);
    }
  });
});

describe('default city: geometry', () => {
  it('has no building overlapping another (in plan and height) or a road red line', () => {
    const b = city.buildings;
    const box = new Float64Array(4);
    const index = new Flatbush(b.count);
    for (let i = 0; i < b.count; i++) {
      tablePolygonBBox(b.ringStart, b.vertexStart, b.xyM, i, box);
      index.add(box[0], box[1], box[2], box[3]);
    }
    index.finish();
    let pairs = 0, stacked = 0;
    for (let i = 0; i < b.count; i++) {
      tablePolygonBBox(b.ringStart, b.vertexStart, b.xyM, i, box);
      for (const j of index.search(box[0], box[1], box[2], box[3])) {
        if (j <= i) continue;
        pairs++;
        const [a0, a1] = ring(b, i), [b0, b1] = ring(b, j);
        if (!ringsOverlap(b.xyM, a0, a1, b0, b1)) continue;
        // a tower on its podium overlaps in plan only: their height ranges must not
        stacked++;
        expect(Math.max(b.baseM[i], b.baseM[j]), `${b.ids[i]} × ${b.ids[j]}`).toBeGreaterThanOrEqual(Math.min(b.roofM[i], b.roofM[j]) - 1e-4);
      }
    }
    expect(pairs).toBeGreaterThan(0); // the check did look at neighbours
    expect(stacked).toBeGreaterThan(0); // and there are towers on podia
    // roads: every building keeps outside half the red-line width of every link
    const l = city.roadLinks;
    let checked = 0;
    for (let i = 0; i < l.count; i++) {
      const v = l.vertexStart[i];
      const seg = [l.xyM[2 * v], l.xyM[2 * v + 1], l.xyM[2 * v + 2], l.xyM[2 * v + 3]];
      const half = (l.attrs[i].redLineWidthM as number) / 2;
      const look = half + 30; // look at the buildings along the road, not only those inside the red line
      for (const j of index.search(Math.min(seg[0], seg[2]) - look, Math.min(seg[1], seg[3]) - look, Math.max(seg[0], seg[2]) + look, Math.max(seg[1], seg[3]) + look)) {
        const [v0, v1] = ring(b, j);
        checked++;
        expect(segmentPolygonDistance(seg, b.xyM, v0, v1), `${b.ids[j]} vs ${l.ids[i]}`).toBeGreaterThanOrEqual(half - 1e-6);
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('keeps key areas off the roads and apart from each other', () => {
    const a = city.keyAreas;
    const l = city.roadLinks;
    const box = new Float64Array(4);
    for (let i = 0; i < a.count; i++) {
      const [v0, v1] = ring(a, i);
      tablePolygonBBox(a.ringStart, a.vertexStart, a.xyM, i, box);
      for (let k = 0; k < l.count; k++) {
        const v = l.vertexStart[k];
        const seg = [l.xyM[2 * v], l.xyM[2 * v + 1], l.xyM[2 * v + 2], l.xyM[2 * v + 3]];
        if (Math.min(seg[0], seg[2]) > box[2] + 100 || Math.max(seg[0], seg[2]) < box[0] - 100 || Math.min(seg[1], seg[3]) > box[3] + 100 || Math.max(seg[1], seg[3]) < box[1] - 100) continue;
        expect(segmentPolygonDistance(seg, a.xyM, v0, v1), `${a.ids[i]} vs ${l.ids[k]}`).toBeGreaterThanOrEqual((l.attrs[k].redLineWidthM as number) / 2 - 0.01);
      }
      for (let j = i + 1; j < a.count; j++) {
        const [w0, w1] = ring(a, j);
        expect(ringsOverlap(a.xyM, v0, v1, w0, w1), `${a.ids[i]} × ${a.ids[j]}`).toBe(false);
      }
    }
  });

  it('puts every building and key area inside the 城区, and nests the scopes', () => {
    const scope = (kind: string) => city.scopes.find((s) => s.kind === kind)!.polygons[0][0];
    const inside = (r: Float64Array, x: number, y: number) => pointInRing(x, y, r, 0, r.length / 2);
    const urban = scope('城区');
    const outsideCount = (r: Float64Array, xy: Float64Array) => {
      let n = 0;
      for (let v = 0; v < xy.length / 2; v++) if (!inside(r, xy[2 * v], xy[2 * v + 1])) n++;
      return n;
    };
    expect(outsideCount(urban, city.buildings.xyM)).toBe(0);
    expect(outsideCount(urban, city.keyAreas.xyM)).toBe(0);
    const order = ['建成区', '中心城区', '城区', '规划区'];
    for (let k = 0; k + 1 < order.length; k++) {
      const inner = scope(order[k]), outer = scope(order[k + 1]);
      for (let v = 0; v < inner.length / 2; v++) expect(inside(outer, inner[2 * v], inner[2 * v + 1]), `${order[k]} in ${order[k + 1]}`).toBe(true);
    }
    // the 建成区 holds the district itself
    expect(outsideCount(scope('建成区'), city.buildings.xyM)).toBe(0);
  });

  it('gives key areas buildings of their use and open ground', () => {
    const a = city.keyAreas, b = city.buildings;
    const uses = new Map<number, string[]>();
    const builtArea = new Float64Array(a.count);
    for (let i = 0; i < b.count; i++) {
      const v = b.vertexStart[b.ringStart[i]];
      for (let k = 0; k < a.count; k++) {
        if (!pointInTablePolygon(b.xyM[2 * v], b.xyM[2 * v + 1], a.ringStart, a.vertexStart, a.xyM, k)) continue;
        if (!uses.has(k)) uses.set(k, []);
        uses.get(k)!.push(b.use[i]);
        if (b.baseM[i] === 0) builtArea[k] += tablePolygonArea(b.ringStart, b.vertexStart, b.xyM, i);
        break;
      }
    }
    const expected: Record<string, string> = { school: 'school', hospital: 'hospital', library: 'public', gov_service: 'public' };
    for (let k = 0; k < a.count; k++) {
      const want = expected[a.category[k]];
      if (want) expect(uses.get(k) ?? [], `${a.names[k]}`).toContain(want);
      const open = 1 - builtArea[k] / tablePolygonArea(a.ringStart, a.vertexStart, a.xyM, k);
      if (a.category[k] === 'school') expect(open, `${a.names[k]} open ground`).toBeGreaterThan(0.4);
      if (a.category[k] === 'park_square') expect(open).toBeGreaterThan(0.85);
    }
    expect(a.names).toContain('潍坊站');
    const station = a.names.indexOf('潍坊站');
    expect(uses.get(station)).toContain('transport');
  });
});

describe('default city: height mix', () => {
  it('is mostly low and multi-storey with some high-rise and a few towers over 150 m', () => {
    const mix = heightMix(city);
    const share = (k: number) => mix.classes[k].share;
    expect(share(0)).toBeGreaterThan(0.25); // shops, sheds, courtyard houses
    expect(share(0)).toBeLessThan(0.55);
    expect(share(1)).toBeGreaterThan(0.2); // 5–7-storey walk-ups and 6–9-storey blocks
    expect(share(2) + share(3)).toBeGreaterThan(0.15); // 10–33-storey housing
    expect(share(3)).toBeLessThan(0.15);
    expect(mix.classes[4].count + mix.classes[5].count).toBeGreaterThanOrEqual(5);
    expect(mix.classes[5].count).toBeGreaterThanOrEqual(1);
    expect(mix.classes[5].count).toBeLessThanOrEqual(12);
    expect(mix.maxRoofM).toBeLessThanOrEqual(210);
  });

  it('derives heights from storeys: 3 m housing, 4–4.5 m shops and offices', () => {
    const b = city.buildings;
    let walkups = 0, towers = 0;
    for (let i = 0; i < b.count; i++) {
      const storeys = b.attrs[i].storeys as number;
      expect(Number.isInteger(storeys) && storeys >= 1).toBe(true);
      const era = b.attrs[i].era;
      if (b.use[i] === 'residential' && (era === 'walkup' || era === 'modern')) {
        expect((b.roofM[i] - b.baseM[i] - 0.9) / storeys).toBeCloseTo(3.0, 2);
        if (era === 'walkup' && storeys >= 5 && storeys <= 7) walkups++;
        if (storeys >= 25 && storeys <= 33) towers++;
      }
      if (b.use[i] === 'office') expect((b.roofM[i] - b.baseM[i]) / storeys).toBeGreaterThanOrEqual(4);
    }
    expect(walkups).toBeGreaterThan(500);
    expect(towers).toBeGreaterThan(100);
  });
});

describe('default city: devices and intended gaps', () => {
  it('places the real national station 54843 where NOAA ISD puts it, after a round trip', () => {
    const c2 = cityFromGeoJSON(JSON.parse(JSON.stringify(cityToGeoJSON(city))));
    const j = c2.devices.attrs.findIndex((a) => a.wmoId === '54843');
    expect(j).toBeGreaterThanOrEqual(0);
    expect(DEVICE_TYPES[c2.devices.typeCode[j]]).toBe('weather');
    expect(c2.devices.attrs[j].real).toBe(true);
    expect(c2.devices.names[j]).toBe('潍坊国家基本气象站');
    const frame = new LocalFrame(c2.origin);
    const want = frame.toLocal(119.183, 36.767);
    expect(Math.hypot(c2.devices.xyM[2 * j] - want[0], c2.devices.xyM[2 * j + 1] - want[1])).toBeLessThan(10);
    // about 6.3 km north and 2 km east of the origin
    expect(want[1]).toBeGreaterThan(6200);
    expect(want[0]).toBeGreaterThan(1900);
  });

  it('has 80–90 % healthy and 80–90 % networked cameras inside key areas (★3, short of ★4)', () => {
    const a = city.keyAreas, d = city.devices;
    let n = 0, healthy = 0, networked = 0;
    for (const j of devicesOf(city, 'camera')) {
      let inside = false;
      for (let k = 0; k < a.count && !inside; k++) inside = pointInTablePolygon(d.xyM[2 * j], d.xyM[2 * j + 1], a.ringStart, a.vertexStart, a.xyM, k);
      if (!inside) continue;
      n++;
      healthy += d.healthy[j];
      networked += d.networked[j];
    }
    expect(n).toBeGreaterThan(300);
    expect(healthy / n).toBeGreaterThanOrEqual(0.8);
    expect(healthy / n).toBeLessThan(0.9);
    expect(networked / n).toBeGreaterThanOrEqual(0.8);
    expect(networked / n).toBeLessThan(0.9);
  });

  it('leaves about a fifth of the video-set areas outside every camera frustum, even at detection range', () => {
    // the coverage engine's camera model (pinhole frustum, PTZ over its pan range), occlusion ignored,
    // out to the IEC 62676-4 detection distance: an upper bound on what any area rule can credit
    const a = city.keyAreas;
    const cams = camerasFromDevices(city.devices).filter((c) => c.kind === 'camera').map((c) => ({ c, pose: preparePose(c, 'potential'), range: maxRangeM(c.widthPx, c.hfovDeg, DORI_PX_PER_M.detection) }));
    expect(cams.some((x) => x.c.ptz)).toBe(true);
    let inSet = 0, seen = 0;
    const box = new Float64Array(4);
    for (let k = 0; k < a.count; k++) {
      if (!a.inVideoSet[k]) continue;
      inSet++;
      tablePolygonBBox(a.ringStart, a.vertexStart, a.xyM, k, box);
      const hit = cams.some(({ c, pose, range }) => {
        if (Math.hypot(Math.max(box[0] - c.xM, 0, c.xM - box[2]), Math.max(box[1] - c.yM, 0, c.yM - box[3])) > range) return false;
        for (let x = box[0]; x <= box[2]; x += 2) {
          for (let y = box[1]; y <= box[3]; y += 2) {
            if (Math.hypot(x - c.xM, y - c.yM, c.heightM) <= range && frustumContains(pose, x, y, 0)) return true;
          }
        }
        return false;
      });
      if (hit) seen++;
    }
    expect(seen / inSet).toBeGreaterThanOrEqual(0.8);
    expect(seen / inSet).toBeLessThan(0.88);
  });

  it('covers about a third of the 5G-set areas by intent and keeps cells far from the rest', () => {
    const a = city.keyAreas, d = city.devices;
    const cells = devicesOf(city, 'cell5g');
    const macro = cells.filter((j) => d.attrs[j].mount !== 'pole'), micro = cells.filter((j) => d.attrs[j].mount === 'pole');
    // three sectors per macro site, 120° apart
    const sites = new Map<string, number[]>();
    for (const j of macro) sites.set(d.attrs[j].siteId as string, [...(sites.get(d.attrs[j].siteId as string) ?? []), d.headingDeg[j]]);
    for (const az of sites.values()) {
      expect(az.length).toBe(3);
      const s = [...az].sort((x, y) => x - y);
      expect(s[1] - s[0]).toBeCloseTo(120, 0);
      expect(s[2] - s[1]).toBeCloseTo(120, 0);
    }
    for (const j of cells) expect([3.5, 2.6, 0.7]).toContain(d.attrs[j].bandGHz);
    const box = new Float64Array(4);
    const dist = (j: number) => Math.hypot(Math.max(box[0] - d.xyM[2 * j], 0, d.xyM[2 * j] - box[2]), Math.max(box[1] - d.xyM[2 * j + 1], 0, d.xyM[2 * j + 1] - box[3]));
    let n = 0, near = 0, far = 0;
    for (let k = 0; k < a.count; k++) {
      if (!a.in5gSet[k]) continue;
      n++;
      tablePolygonBBox(a.ringStart, a.vertexStart, a.xyM, k, box);
      const dMacro = Math.min(...macro.map(dist)), dMicro = Math.min(Infinity, ...micro.map(dist));
      if (dMacro <= 450 || dMicro === 0) near++;
      else if (dMacro >= 1200 && dMicro >= 300) far++;
    }
    expect(near / n).toBeGreaterThanOrEqual(0.3); // ★3 threshold 30 %
    expect(near / n).toBeLessThan(0.42);
    expect(far / n).toBeGreaterThan(0.5); // what is neither stays below ★4's 50 % in the worst case
    expect((n - far) / n).toBeLessThan(0.5);
  });

  it('equips 70–80 % of important intersections with e-police on every approach, aimed at the stop lines', () => {
    const d = city.devices, l = city.roadLinks, nodes = city.roadNodes;
    const incident = new Map<string, string[]>();
    for (let i = 0; i < l.count; i++) for (const v of [l.from[i], l.to[i]]) incident.set(nodes.ids[v], [...(incident.get(nodes.ids[v]) ?? []), l.ids[i]]);
    const watched = new Map<string, Set<string>>();
    const nodeIndex = new Map(nodes.ids.map((id, i) => [id, i]));
    for (const j of devicesOf(city, 'epolice')) {
      const { nodeId, approachLinkId } = d.attrs[j] as { nodeId: string; approachLinkId: string };
      expect(incident.get(nodeId)).toContain(approachLinkId);
      if (!watched.has(nodeId)) watched.set(nodeId, new Set());
      watched.get(nodeId)!.add(approachLinkId);
      // it looks back across the junction towards the approach: the node is in front of it
      const v = nodeIndex.get(nodeId)!;
      const toNode = (Math.atan2(nodes.xyM[2 * v] - d.xyM[2 * j], nodes.xyM[2 * v + 1] - d.xyM[2 * j + 1]) * 180) / Math.PI;
      expect(Math.abs(((((toNode - d.headingDeg[j]) % 360) + 540) % 360) - 180)).toBeLessThan(45);
    }
    let important = 0, full = 0, partial = 0;
    for (let v = 0; v < nodes.count; v++) {
      if (!isImportantIntersection(city, v)) continue;
      important++;
      const s = watched.get(nodes.ids[v]);
      if (!s) continue;
      if (incident.get(nodes.ids[v])!.every((id) => s.has(id))) full++;
      else partial++;
    }
    expect(full / important).toBeGreaterThanOrEqual(0.7);
    expect(full / important).toBeLessThan(0.8);
    expect(partial).toBeGreaterThan(0);
  });

  it('runs real-time signal timing at 40–60 % of important intersections (★3), each signal on a signalized node', () => {
    const d = city.devices, nodes = city.roadNodes;
    const nodeIndex = new Map(nodes.ids.map((id, i) => [id, i]));
    let realTime = 0;
    const important = Array.from({ length: nodes.count }, (_, v) => v).filter((v) => isImportantIntersection(city, v));
    const signals = devicesOf(city, 'signal');
    for (const j of signals) {
      const v = nodeIndex.get(d.attrs[j].nodeId as string)!;
      expect(nodes.signalized[v]).toBe(1);
      if (d.attrs[j].realTimeTiming === true && isImportantIntersection(city, v)) realTime++;
    }
    expect(signals.some((j) => d.attrs[j].realTimeTiming === false)).toBe(true);
    expect(realTime / important.length).toBeGreaterThanOrEqual(0.4);
    expect(realTime / important.length).toBeLessThan(0.6);
  });

  it('gives cameras the fields the coverage engine reads', () => {
    const d = city.devices;
    for (const j of devicesOf(city, 'camera')) {
      const at = d.attrs[j];
      expect(at.hfovDeg as number).toBeGreaterThan(10);
      expect((at.resolutionPx as number[]).length).toBe(2);
      expect(d.heightM[j]).toBeGreaterThanOrEqual(4);
      expect(d.heightM[j]).toBeLessThanOrEqual(8);
      expect(Number.isFinite(d.headingDeg[j]) && Number.isFinite(d.tiltDeg[j])).toBe(true);
      if (at.ptz) expect(at.panRangeDeg).toBe(360);
      expect(Object.keys(at).some((k) => /cover/i.test(k))).toBe(false);
    }
  });
});

describe('default city: city file', () => {
  it('round-trips through cityToGeoJSON / cityFromGeoJSON', () => {
    const json = cityToGeoJSON(city);
    const c2 = cityFromGeoJSON(JSON.parse(JSON.stringify(json)), 'default.city.json');
    // everything but the extents is equal; the extents agree to well under a millimetre
    const got = summarizeCity(c2), want = summarizeCity(city);
    const withoutExtents = ({ bboxM: _m, bboxLngLat: _l, ...r }: CitySummary) => r;
    expect(withoutExtents(got)).toEqual(withoutExtents(want));
    for (const k of ['minX', 'minY', 'maxX', 'maxY'] as const) expect(got.bboxM[k]).toBeCloseTo(want.bboxM[k], 5);
    expect(c2.buildings.ids).toEqual(city.buildings.ids);
    expect(Array.from(c2.roadNodes.classCode)).toEqual(Array.from(city.roadNodes.classCode));
    expect(JSON.stringify(cityToGeoJSON(c2).features.map((f) => f.properties))).toBe(JSON.stringify(json.features.map((f) => f.properties)));
    let worst = 0;
    for (let i = 0; i < city.buildings.xyM.length; i++) worst = Math.max(worst, Math.abs(c2.buildings.xyM[i] - city.buildings.xyM[i]));
    expect(worst).toBeLessThan(1e-6);
  });
});

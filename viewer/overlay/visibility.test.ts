/** Occlusion of glyphs by buildings: a tiny CityBuilder city with one tower. */
import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../../sim-core/cim/builder.ts';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import { PrismIndex } from '../../sim-core/spatial/prism-index.ts';
import { mulberry32 } from '../../sim-core/random.ts';
import { EnuFrame } from './frame.ts';
import { enuEyeToLocal, GlyphOcclusion, HIDDEN, UNTESTED, VISIBLE } from './visibility.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 20 };

function towerCity() {
  const b = new CityBuilder(ORIGIN);
  // a 20 m × 20 m tower, 80 m tall, centred at (100, 0)
  b.addBuilding({ id: 'tower', rings: [[90, -10, 110, -10, 110, 10, 90, 10]], roofM: 80 });
  // a low shed at (0, 100)
  b.addBuilding({ id: 'shed', rings: [[-5, 95, 5, 95, 5, 105, -5, 105]], roofM: 4 });
  return b.build();
}

describe('GlyphOcclusion', () => {
  const city = towerCity();
  const index = PrismIndex.fromBuildings(city.buildings);
  // anchors: 0 behind the tower (seen from the west), 1 in front of it, 2 beside it in plain view,
  // 3 on a façade point just inside the tower (mounted: its own building is skipped), 4 on the shed's roof
  const anchors = Float64Array.from([150, 0, 6, 50, 0, 6, 100, 60, 6, 90.0001, 0, 20, 0, 100, 4]);

  it('hides a glyph behind the tower and draws one in front and one beside it', () => {
    const occ = new GlyphOcclusion(index);
    occ.setAnchors(anchors, 5);
    const out = new Uint8Array(5);
    const hidden = occ.test(-200, 0, 30, out);
    expect([...out]).toEqual([HIDDEN, VISIBLE, VISIBLE, VISIBLE, VISIBLE]);
    expect(hidden).toBe(1);
  });

  it('shows the same glyph once the eye rises above the roof, and hides the front one from the east', () => {
    const occ = new GlyphOcclusion(index);
    occ.setAnchors(anchors, 5);
    const out = new Uint8Array(5);
    occ.test(-200, 0, 250, out); // over the west wall at 112 m but through the roof corner: still hidden
    expect(out[0]).toBe(HIDDEN);
    occ.test(-200, 0, 1000, out); // crosses x = 110 at 119 m, above the 80 m roof
    expect(out[0]).toBe(VISIBLE);
    occ.test(400, 0, 30, out);
    expect(out[0]).toBe(VISIBLE);
    expect(out[1]).toBe(HIDDEN);
    // the façade-mounted anchor is on the west side: hidden from the east by the rest of its building? No:
    // its own building is skipped, so it is visible from both sides
    expect(out[3]).toBe(VISIBLE);
  });

  it('setAnchor moves one anchor (a drag step) with the same answers as setting them all again', () => {
    const occ = new GlyphOcclusion(index);
    occ.setAnchors(anchors, 5);
    const out = new Uint8Array(5);
    occ.testRange(-200, 0, 30, out, null, 1, 2);
    expect(out[1]).toBe(VISIBLE);
    // anchor 1 dragged from in front of the tower to behind it
    occ.setAnchor(1, 140, 5, 6, occ.mountedIn(140, 5, 6));
    occ.testRange(-200, 0, 30, out, null, 1, 2);
    expect(out[1]).toBe(HIDDEN);
    const fresh = new GlyphOcclusion(index);
    const moved = Float64Array.from(anchors);
    moved.set([140, 5, 6], 3);
    fresh.setAnchors(moved, 5);
    const all = new Uint8Array(5), again = new Uint8Array(5);
    fresh.test(-200, 0, 30, all);
    occ.test(-200, 0, 30, again);
    expect([...again]).toEqual([...all]);
    expect(() => occ.setAnchor(5, 0, 0, 0, -1)).toThrow(RangeError);
  });

  it('hides a glyph on the shed roof from an eye below the roof, shows it from above', () => {
    const occ = new GlyphOcclusion(index);
    occ.setAnchors(anchors, 5);
    const out = new Uint8Array(5);
    occ.test(0, 150, 1.5, out); // street level north of the shed: the segment up to the roof centre enters the north wall at 3.75 m
    expect(out[4]).toBe(HIDDEN);
    occ.test(0, 200, 50, out); // from above: the segment ends on the roof plane from outside (touching does not block)
    expect(out[4]).toBe(VISIBLE);
  });

  it('gives exactly PrismIndex.segmentBlocked on random eyes and anchors (the clip above the highest roof changes nothing)', () => {
    const b = new CityBuilder(ORIGIN);
    const rnd = mulberry32(5);
    for (let k = 0; k < 300; k++) {
      const x = (rnd() - 0.5) * 1000, y = (rnd() - 0.5) * 1000, w = 5 + rnd() * 30, h = 5 + rnd() * 30;
      b.addBuilding({ id: `b${k}`, rings: [[x, y, x + w, y, x + w, y + h, x, y + h]], roofM: 13 + rnd() * 87, baseM: rnd() < 0.1 ? 10 : 0 });
    }
    const idx = PrismIndex.fromBuildings(b.build().buildings);
    const n = 500;
    const a = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) a.set([(rnd() - 0.5) * 1000, (rnd() - 0.5) * 1000, rnd() < 0.2 ? 100 + rnd() * 20 : rnd() * 40], 3 * i);
    const occ = new GlyphOcclusion(idx);
    expect(occ.maxRoofM).toBeGreaterThan(95);
    occ.setAnchors(a, n);
    const out = new Uint8Array(n);
    let hidden = 0, shown = 0;
    for (let e = 0; e < 20; e++) {
      const ex = (rnd() - 0.5) * 3000, ey = (rnd() - 0.5) * 3000, ez = e % 3 === 0 ? 1.7 : e % 3 === 1 ? 60 : 200 + rnd() * 1500;
      occ.test(ex, ey, ez, out);
      for (let i = 0; i < n; i++) {
        const skip = idx.buildingAt(a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!);
        const direct = idx.segmentBlocked(ex, ey, ez, a[3 * i]!, a[3 * i + 1]!, a[3 * i + 2]!, skip);
        expect(out[i], `eye ${e}, anchor ${i}`).toBe(direct ? HIDDEN : VISIBLE);
        if (direct) hidden++;
        else shown++;
      }
    }
    expect(hidden).toBeGreaterThan(500);
    expect(shown).toBeGreaterThan(500);
  });

  it('skips anchors out of view and reports them untested', () => {
    const occ = new GlyphOcclusion(index);
    occ.setAnchors(anchors, 5);
    const out = new Uint8Array(5);
    occ.test(-200, 0, 30, out, Uint8Array.from([0, 1, 1, 1, 1]));
    expect(out[0]).toBe(UNTESTED);
    expect(() => occ.test(0, 0, 0, new Uint8Array(2))).toThrow(/need 5/);
  });

  it('finds the eye in the city frame from the ENU frame (tower test through the real frame chain)', () => {
    const enu = new EnuFrame(ORIGIN);
    const local = new LocalFrame(ORIGIN);
    // the eye: 3 km west of the origin, 30 m above ground, given in ENU; the earth's curve puts ENU z 0.7 m lower
    const ll = local.toLngLat(-3000, 0);
    const eyeEnu = enu.cityToEnu(ll[0]!, ll[1]!, 30);
    expect(eyeEnu[2]).toBeLessThan(30 - 0.6);
    const eye = enuEyeToLocal(enu, local, eyeEnu[0]!, eyeEnu[1]!, eyeEnu[2]!);
    expect(eye[0]).toBeCloseTo(-3000, 4);
    expect(eye[1]).toBeCloseTo(0, 4);
    expect(eye[2]).toBeCloseTo(30, 4);
    const occ = new GlyphOcclusion(index);
    occ.setAnchors(anchors, 5);
    const out = new Uint8Array(5);
    occ.test(eye[0], eye[1], eye[2], out);
    expect(out[0]).toBe(HIDDEN);
    expect(out[1]).toBe(VISIBLE);
  });
});

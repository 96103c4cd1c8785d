/** The generated conformance suite over every overlay layer, plus each layer's own behaviour. */
import { describe, expect, it } from 'vitest';
import { InstancedMesh, Matrix4, Quaternion, Vector3 } from 'three';
import { DEVICE_TYPES } from '../../../sim-core/cim/types.ts';
import { doriBands } from '../dori.ts';
import { HIDDEN, UNTESTED, VISIBLE } from '../visibility.ts';
import { generateLayerTests, renderableCount, testContext, TEST_VIEW } from './conformance.ts';
import { FrustumLayer, type FrustumDatum } from './frustum.ts';
import { GlyphLayer, type GlyphData } from './glyphs.ts';
import { DEFAULT_SPACING_RADIUS_M, SpacingLayer, WedgeLayer } from './ground-shapes.ts';
import { HandleLayer, TILT_ARC_RADIUS } from './handles.ts';
import { VehicleLayer, type VehicleData } from './vehicles.ts';

function glyphData(): GlyphData {
  const n = DEVICE_TYPES.length + 1;
  const enu = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) enu.set([i * 20, 50, 6], 3 * i);
  return {
    count: n,
    ids: [...DEVICE_TYPES.map((t) => `d-${t}`), 'p-1'],
    typeCode: Uint8Array.from([...DEVICE_TYPES.keys(), 0]),
    enu,
    groundZ: new Float64Array(n),
    headingDeg: Float32Array.from({ length: n }, (_, i) => 30 * i),
    tiltDeg: Float32Array.from({ length: n }, () => 15),
    ghost: Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)),
  };
}

const camera = { widthPx: 1920, heightPx: 1080, hfovDeg: 60 };
const frustumData = (): FrustumDatum[] => [{ id: 'cam', enu: [0, 0, 8], groundZ: 0, headingDeg: 45, tiltDeg: 15, hfovDeg: 60, vfovDeg: 35.98, bands: doriBands(camera) }];
const vehicles = (): VehicleData => ({ count: 3, lonLatDeg: Float64Array.from([119.16, 36.71, 119.161, 36.71, 119.162, 36.711]), headingDeg: Float32Array.from([0, 90, 180]) });

const suites = [
  ...generateLayerTests({
    Layer: GlyphLayer,
    sampleData: glyphData,
    propValues: { selectedId: 'd-camera', highlightedIds: new Set(['d-pole']), visibility: new Uint8Array([HIDDEN, 0, 0, 0, 0, 0, 0]), hiddenStyle: 'hide', colors: { camera: '#000001', epolice: '#000002', cell5g: '#000003', weather: '#000004', signal: '#000005', pole: '#000006' } },
    assertSample: (l) => expect((l as GlyphLayer).drawnCount).toBe(DEVICE_TYPES.length + 1),
  }),
  ...generateLayerTests({ Layer: FrustumLayer, sampleData: frustumData, propValues: { colors: { identification: '#000001', recognition: '#000002', observation: '#000003', detection: '#000004' } } }),
  ...generateLayerTests({ Layer: WedgeLayer, sampleData: () => [{ id: 'c1', enu: [0, 0, 30], groundZ: 0, azimuthDeg: 120, beamwidthDeg: 65, rangeM: 300 }], propValues: { selectedId: 'c1' } }),
  ...generateLayerTests({ Layer: SpacingLayer, sampleData: () => [{ id: 'w1', enu: [0, 0, 3], groundZ: 0 }], propValues: { selectedId: 'w1' } }),
  ...generateLayerTests({ Layer: VehicleLayer, sampleData: vehicles }),
  ...generateLayerTests({ Layer: HandleLayer, sampleData: () => ({ id: 'cam', enu: [0, 0, 8], headingDeg: 90, tiltDeg: 30, kinds: ['heading', 'tilt'] as const }), propValues: { active: 'tilt' } }),
];

describe('overlay layers: generated conformance suite', () => {
  for (const c of suites) it(c.title, c.run);
  it('covers every layer', () => {
    const names = new Set(suites.map((c) => c.title.split(':')[0]));
    expect([...names].sort()).toEqual(['FrustumLayer', 'GlyphLayer', 'HandleLayer', 'SpacingLayer', 'VehicleLayer', 'WedgeLayer']);
  });
});

describe('GlyphLayer', () => {
  const setup = (props = {}) => {
    const layer = new GlyphLayer({ data: glyphData(), ...props });
    layer.initialize(testContext());
    layer.draw(TEST_VIEW);
    return layer;
  };
  const mesh = (l: GlyphLayer, name: string) => l.object3d.children.find((c) => c.name === name) as InstancedMesh;

  it('puts proposals in the ghost bucket and hidden glyphs in the faded one (or nowhere with hide)', () => {
    const l = setup();
    expect(mesh(l, 'camera-solid').count).toBe(1);
    expect(mesh(l, 'camera-ghost').count).toBe(1);
    const vis = new Uint8Array(7).fill(VISIBLE);
    vis[0] = HIDDEN;
    vis[1] = UNTESTED;
    l.setProps({ visibility: vis });
    expect(mesh(l, 'camera-solid').count).toBe(0);
    expect(mesh(l, 'camera-faded').count).toBe(1);
    expect(l.drawnCount).toBe(6);
    expect(l.fadedCount).toBe(1);
    l.setProps({ hiddenStyle: 'hide' });
    expect(mesh(l, 'camera-faded').count).toBe(0);
    expect(l.isDrawn(0)).toBe(false);
    expect(l.isDrawn(1)).toBe(true);
  });

  it('sizes glyphs in pixels within the metre caps and enlarges the selected one', () => {
    const l = setup({ sizePx: 20, minSizeM: 0.1, maxSizeM: 100 });
    const d = glyphData();
    const dist = Math.hypot(d.enu[0]! - 0, d.enu[1]! + 800, d.enu[2]! - 400);
    const expected = (20 * 2 * dist * Math.tan(Math.PI / 6)) / 600;
    expect(l.sizeOf(0, TEST_VIEW)).toBeCloseTo(expected, 9);
    l.setProps({ maxSizeM: 2 });
    expect(l.sizeOf(0, TEST_VIEW)).toBe(2);
    l.setProps({ selectedId: 'd-camera' });
    expect(l.sizeOf(0, TEST_VIEW)).toBe(3);
    // the instance matrix carries that scale and the anchor
    l.draw(TEST_VIEW);
    const m = new Matrix4();
    mesh(l, 'camera-solid').getMatrixAt(0, m);
    const pos = new Vector3(), scale = new Vector3();
    m.decompose(pos, new Quaternion(), scale);
    expect(pos.toArray()).toEqual([0, 50, 6]);
    expect(scale.x).toBeCloseTo(3, 5);
  });

  it('turns a camera glyph to its heading (forward axis points along heading)', () => {
    const l = setup();
    const m = new Matrix4();
    mesh(l, 'epolice-solid').getMatrixAt(0, m); // heading 30°, tilt 15°
    const fwd = new Vector3(0, 1, 0).transformDirection(m);
    expect(fwd.x).toBeCloseTo(Math.sin(Math.PI / 6) * Math.cos(Math.PI / 12), 5);
    expect(fwd.y).toBeCloseTo(Math.cos(Math.PI / 6) * Math.cos(Math.PI / 12), 5);
    expect(fwd.z).toBeCloseTo(-Math.sin(Math.PI / 12), 5);
  });
});

describe('FrustumLayer', () => {
  it('draws one wall colour per DORI band, out to the detection range', () => {
    const l = new FrustumLayer({ data: frustumData(), edgeSegments: 4 });
    l.initialize(testContext());
    const walls = l.object3d.children.find((c) => c.name === 'frustum-cam') as InstancedMesh;
    const pos = walls.geometry.getAttribute('position');
    // 4 bands × 16 directions × 2 triangles × 3 vertices
    expect(pos.count).toBe(4 * 16 * 6);
    let far = 0;
    for (let i = 0; i < pos.count; i++) far = Math.max(far, Math.hypot(pos.getX(i), pos.getY(i), pos.getZ(i) - 8));
    const detection = doriBands(camera).at(-1)!.toM;
    expect(far).toBeCloseTo(detection, 2);
  });
});

describe('FrustumLayer materials', () => {
  it('keeps its materials across updates (a disposed material can lose its shader program: a recompile per drag step)', () => {
    const l = new FrustumLayer({ data: frustumData() });
    l.initialize(testContext());
    const first = (l.object3d.children[0] as InstancedMesh).material;
    let disposed = 0;
    (first as { addEventListener(t: 'dispose', f: () => void): void }).addEventListener('dispose', () => void disposed++);
    l.setProps({ data: [{ ...frustumData()[0]!, headingDeg: 90, groundZ: -2 }] });
    expect((l.object3d.children[0] as InstancedMesh).material).toBe(first);
    expect(disposed).toBe(0);
    l.dispose();
    expect(disposed).toBeGreaterThan(0);
  });
});

describe('SpacingLayer', () => {
  it('defaults to 5 km / √2 and draws circles of that radius', () => {
    expect(DEFAULT_SPACING_RADIUS_M).toBeCloseTo(3535.53, 1);
    const l = new SpacingLayer({ data: [{ id: 'w', enu: [100, 200, 3], groundZ: 0 }] });
    l.initialize(testContext());
    const outline = l.object3d.children.find((c) => c.name === 'spacing-outline') as InstancedMesh;
    const pos = outline.geometry.getAttribute('position');
    for (let i = 0; i < pos.count; i++) expect(Math.hypot(pos.getX(i) - 100, pos.getY(i) - 200)).toBeCloseTo(DEFAULT_SPACING_RADIUS_M, 1);
  });
});

describe('WedgeLayer', () => {
  it('spans the beamwidth around the azimuth; an omni cell gets a full disc', () => {
    const l = new WedgeLayer({ data: [{ id: 'c', enu: [0, 0, 30], groundZ: 0, azimuthDeg: 90, beamwidthDeg: 60, rangeM: 100 }] });
    l.initialize(testContext());
    const outline = l.object3d.children.find((c) => c.name === 'wedges-outline') as InstancedMesh;
    const pos = outline.geometry.getAttribute('position');
    let minBearing = 360, maxBearing = 0;
    for (let i = 0; i < pos.count; i++) {
      if (Math.hypot(pos.getX(i), pos.getY(i)) < 99) continue;
      const b = ((Math.atan2(pos.getX(i), pos.getY(i)) * 180) / Math.PI + 360) % 360;
      minBearing = Math.min(minBearing, b);
      maxBearing = Math.max(maxBearing, b);
    }
    expect(minBearing).toBeCloseTo(60, 6);
    expect(maxBearing).toBeCloseTo(120, 6);
    l.setProps({ data: [{ id: 'c', enu: [0, 0, 30], groundZ: 0, azimuthDeg: NaN, beamwidthDeg: 65, rangeM: 100 }] });
    const fill = l.object3d.children.find((c) => c.name === 'wedges-fill') as InstancedMesh;
    expect(fill.geometry.getAttribute('position').count).toBe(72 * 3);
  });
});

describe('VehicleLayer', () => {
  it('places each vehicle on the ground at its lon/lat, turned to its heading, and rejects short arrays', () => {
    const ctx = testContext();
    const l = new VehicleLayer({ data: vehicles() });
    l.initialize(ctx);
    expect(l.count).toBe(3);
    const m = new Matrix4();
    (l.object3d.children[0] as InstancedMesh).getMatrixAt(1, m);
    const p = new Vector3().setFromMatrixPosition(m);
    const expected = ctx.frame.cityToEnu(119.161, 36.71, 0);
    expect(p.x).toBeCloseTo(expected[0]!, 2);
    expect(p.y).toBeCloseTo(expected[1]!, 2);
    const fwd = new Vector3(0, 1, 0).transformDirection(m);
    expect(fwd.x).toBeCloseTo(1, 6); // heading 90° = east
    expect(() => l.setProps({ data: { count: 5, lonLatDeg: new Float64Array(4), headingDeg: new Float32Array(5) } })).toThrow(/5 vehicles needs 10 lon\/lat values/);
  });
});

describe('HandleLayer', () => {
  it('puts the heading knob on the ring at the heading and the tilt knob at the tilt', () => {
    const l = new HandleLayer({ data: { id: 'cam', enu: [10, 20, 8], headingDeg: 90, tiltDeg: 30, kinds: ['heading', 'tilt'] }, radiusPx: 60, maxRadiusM: 1000, minRadiusM: 0 });
    l.initialize(testContext());
    l.draw(TEST_VIEW);
    const r = l.ringRadiusM;
    expect(r).toBeGreaterThan(0);
    const h = l.knobEnu('heading')!;
    expect(h.x).toBeCloseTo(10 + r, 6);
    expect(h.y).toBeCloseTo(20, 6);
    expect(h.z).toBeCloseTo(8, 6);
    const t = l.knobEnu('tilt')!;
    expect(t.x).toBeCloseTo(10 + TILT_ARC_RADIUS * r * Math.cos(Math.PI / 6), 6);
    expect(t.z).toBeCloseTo(8 - TILT_ARC_RADIUS * r * Math.sin(Math.PI / 6), 6);
    l.setProps({ data: { id: 'cell', enu: [0, 0, 30], headingDeg: 0, tiltDeg: 6, kinds: ['heading'] } });
    l.draw(TEST_VIEW);
    expect(l.knobEnu('tilt')).toBeNull();
    expect(renderableCount(l.object3d)).toBeGreaterThan(0);
  });
});

/**
 * The three.js overlay on the workbench page, in Debian's Chromium (software WebGL) against the real
 * server: the overlay camera matches Cesium's (a device projects to the same pixel within 1.5 px,
 * before and after a camera move), a device behind a tall building is reported hidden (and Cesium's own
 * depth buffer agrees that something is in front of it), one in plain view is drawn and picking its
 * glyph returns its id, and the selected camera shows its frustum with the DORI bands of sim-core's
 * camera model. Logs the overlay's cost per frame with every device of the default city as a glyph.
 */
import { expect, test, type Page } from '@playwright/test';
import { cityFromGeoJSON } from '../sim-core/cim/city-file.ts';
import { LocalFrame } from '../sim-core/cim/frame.ts';
import { DEVICE_TYPES, type City } from '../sim-core/cim/types.ts';
import { cameraFromDevice, DORI_PX_PER_M, maxRangeM } from '../sim-core/coverage/camera.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import type { OverlayHooks } from '../viewer/overlay/hooks.ts';

const origin = `http://127.0.0.1:${process.env.CIMTWIN_E2E_PORT}`;

async function openWorkbench(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/workbench.html`);
  await page.waitForFunction(() => (window.__cimtwin?.workbench?.ready === true && window.__cimtwin.overlay?.ready === true) || !!window.__cimtwin?.error, undefined, { timeout: 170_000 });
  const error = await page.evaluate(() => window.__cimtwin.error ?? null);
  expect(error, `page error: ${error}`).toBeNull();
  return errors;
}

interface Placed {
  id: string;
  index: number;
  eye: [number, number, number];
  target: [number, number, number];
}

const CAMERA = DEVICE_TYPES.indexOf('camera');

/** A camera with a tall building between it and an eye beyond the building, the eye below the roof, in the open. */
function hiddenCase(city: City, index: PrismIndex, frame: LocalFrame): Placed {
  const d = city.devices, b = city.buildings;
  // building centres (mean of the outer ring) of the tall ones
  const tall: { k: number; x: number; y: number; roof: number }[] = [];
  for (let k = 0; k < b.count; k++) {
    if (b.roofM[k]! < 45 || b.baseM[k]! > 0) continue;
    const r0 = b.vertexStart[b.ringStart[k]!]!, r1 = b.vertexStart[b.ringStart[k]! + 1]!;
    let x = 0, y = 0;
    for (let v = r0; v < r1; v++) {
      x += b.xyM[2 * v]!;
      y += b.xyM[2 * v + 1]!;
    }
    x /= r1 - r0;
    y /= r1 - r0;
    if (index.buildingAt(x, y, 1) === k) tall.push({ k, x, y, roof: b.roofM[k]! });
  }
  for (let i = 0; i < d.count; i++) {
    if (d.typeCode[i] !== CAMERA) continue;
    const x = d.xyM[2 * i]!, y = d.xyM[2 * i + 1]!, h = d.heightM[i]!;
    if (index.buildingAt(x, y, h) >= 0) continue;
    for (const t of tall) {
      const dist = Math.hypot(t.x - x, t.y - y);
      if (dist < 60 || dist > 200) continue;
      const ex = x + 2 * (t.x - x), ey = y + 2 * (t.y - y), ez = 0.5 * t.roof;
      if (index.buildingAt(ex, ey, ez) >= 0 || index.buildingAt(ex, ey, 1.5) >= 0) continue;
      if (!index.segmentBlockedBy(t.k, ex, ey, ez, x, y, h)) continue;
      const e = frame.toLngLat(ex, ey), p = frame.toLngLat(x, y);
      return { id: d.ids[i]!, index: i, eye: [e[0]!, e[1]!, ez], target: [p[0]!, p[1]!, h] };
    }
  }
  throw new Error('no camera with a tall building between it and an open eye position in the default city');
}

/** A camera seen from 100 m up and 60 m away with nothing in between. */
function plainCase(city: City, index: PrismIndex, frame: LocalFrame, bearingDeg: number, skip: string): Placed {
  const d = city.devices;
  const a = (bearingDeg * Math.PI) / 180;
  for (let i = 0; i < d.count; i++) {
    if (d.typeCode[i] !== CAMERA || d.ids[i] === skip) continue;
    const x = d.xyM[2 * i]!, y = d.xyM[2 * i + 1]!, h = d.heightM[i]!;
    if (index.buildingAt(x, y, h) >= 0) continue;
    const ex = x + 60 * Math.sin(a), ey = y + 60 * Math.cos(a), ez = 100;
    if (index.buildingAt(ex, ey, ez) >= 0 || index.segmentBlocked(ex, ey, ez, x, y, h)) continue;
    // and from the second viewpoint, 90° round
    const b2 = a + Math.PI / 2;
    if (index.segmentBlocked(x + 60 * Math.sin(b2), y + 60 * Math.cos(b2), ez, x, y, h)) continue;
    const e = frame.toLngLat(ex, ey), p = frame.toLngLat(x, y);
    return { id: d.ids[i]!, index: i, eye: [e[0]!, e[1]!, ez], target: [p[0]!, p[1]!, h] };
  }
  throw new Error('no camera in plain view');
}

test('the overlay matches Cesium, hides what buildings hide, picks glyphs and shows the selected frustum', async ({ page }) => {
  const errors = await openWorkbench(page);
  const cityJson = await (await page.request.get(`${origin}/api/city`)).json();
  const city = cityFromGeoJSON(cityJson, '/api/city');
  const index = PrismIndex.fromBuildings(city.buildings);
  const frame = new LocalFrame(city.origin);
  const ov = <T>(fn: (o: OverlayHooks, arg: any) => T, arg?: unknown) => page.evaluate(([src, a]) => new Function('o', 'a', `return (${src})(o, a)`)(window.__cimtwin.overlay, a), [fn.toString(), arg] as const) as Promise<Awaited<T>>;

  await test.step('every device is a glyph; frame cost while orbiting the whole city', async () => {
    const n = await ov((o) => o.devices().length);
    expect(n).toBe(city.devices.count);
    await ov((o) => o.settle());
    const drawn = await ov((o) => o.glyphCount() + o.fadedCount());
    expect(drawn).toBeGreaterThan(0);
    const m = await ov((o) => o.measure(6, 15));
    console.log(`overlay, whole-city view, ${n} devices (${m.glyphs} glyphs drawn or faded): ${m.frames} frames in ${m.seconds.toFixed(1)} s = ${m.fps.toFixed(1)} fps (software WebGL, 800×600); overlay ${m.overlayMeanMs.toFixed(2)} ms mean, ${m.overlayP95Ms.toFixed(2)} ms p95 per frame; ${m.occlusionPasses} occlusion passes (last: ${m.occlusionLastTested} glyphs in view, ${m.occlusionLastWallMs.toFixed(0)} ms wall), slowest ${m.occlusionMaxMs.toFixed(1)} ms main-thread time in 8 ms slices`);
    expect(m.frames).toBeGreaterThan(2);
    expect(m.occlusionPasses).toBeGreaterThan(0);
  });

  const hidden = hiddenCase(city, index, frame);
  await test.step(`a camera behind a tall building (${hidden.id}) is reported hidden, and Cesium's depth agrees`, async () => {
    await ov((o, a) => o.viewFrom(a.eye, a.target), hidden);
    expect(await ov((o, id) => o.deviceState(id), hidden.id)).toBe('hidden');
    expect(await ov((o) => o.hiddenIds())).toContain(hidden.id);
    const depth = (await ov((o, id) => o.cesiumDepthCheck(id), hidden.id))!;
    console.log(`hidden ${hidden.id}: device at ${depth.deviceDistM.toFixed(1)} m, Cesium's surface at its pixel ${depth.surfaceDistM?.toFixed(1)} m`);
    expect(depth.surfaceDistM).not.toBeNull();
    expect(depth.surfaceDistM!).toBeLessThan(depth.deviceDistM - 5);
    // hidden glyphs are not pickable
    const px = (await ov((o, id) => o.projectDevice(id), hidden.id))!;
    const hit = await ov((o, p) => o.pick(p.x, p.y), px);
    expect(hit?.id).not.toBe(hidden.id);
  });

  const plain = plainCase(city, index, frame, 30, hidden.id);
  await test.step(`a camera in plain view (${plain.id}) is drawn, projects to Cesium's pixel, and picking it returns its id`, async () => {
    await ov((o, a) => o.viewFrom(a.eye, a.target), plain);
    expect(await ov((o, id) => o.deviceState(id), plain.id)).toBe('drawn');
    const depth = (await ov((o, id) => o.cesiumDepthCheck(id), plain.id))!;
    console.log(`plain ${plain.id}: device at ${depth.deviceDistM.toFixed(1)} m, Cesium's surface at its pixel ${depth.surfaceDistM?.toFixed(1)} m`);
    // (the workbench also draws each device as a small Cesium point at the same place: the surface may be the device itself)
    expect(depth.surfaceDistM === null || depth.surfaceDistM > depth.deviceDistM - 2).toBe(true);
    const three = (await ov((o, id) => o.projectDevice(id), plain.id))!;
    const cesium = (await ov((o, id) => o.cesiumProjectDevice(id), plain.id))!;
    console.log(`projection: three.js ${three.x.toFixed(2)}, ${three.y.toFixed(2)}; Cesium ${cesium.x.toFixed(2)}, ${cesium.y.toFixed(2)}`);
    expect(Math.hypot(three.x - cesium.x, three.y - cesium.y)).toBeLessThan(1.5);
    expect(await ov((o, p) => o.pick(p.x, p.y), three)).toEqual({ kind: 'device', id: plain.id });
    expect(await ov((o, p) => o.pick(p.x + 60, p.y + 60), three)).not.toEqual({ kind: 'device', id: plain.id });
  });

  await test.step('after a camera move the projections still agree within 1.5 px, for every glyph on screen', async () => {
    const a = (120 * Math.PI) / 180;
    const p = frame.toLocal(plain.target[0], plain.target[1]);
    const e = frame.toLngLat(p[0]! + 60 * Math.sin(a), p[1]! + 60 * Math.cos(a));
    await ov((o, v) => o.viewFrom(v.eye, v.target), { eye: [e[0], e[1], 100], target: plain.target });
    const worst = await ov((o) => {
      let max = 0, n = 0;
      for (const d of o.devices()) {
        const t = o.projectDevice(d.id), c = o.cesiumProjectDevice(d.id);
        if (!t || !c || t.x < 0 || t.y < 0 || t.x > 800 || t.y > 600) continue;
        max = Math.max(max, Math.hypot(t.x - c.x, t.y - c.y));
        n++;
      }
      return { max, n };
    });
    console.log(`after the move: ${worst.n} devices on screen, largest three.js/Cesium difference ${worst.max.toFixed(3)} px`);
    expect(worst.n).toBeGreaterThan(0);
    expect(worst.max).toBeLessThan(1.5);
  });

  await test.step('the selected camera shows its frustum with the DORI bands of the camera model', async () => {
    const before = await ov((o) => o.paintedPixels(['frustums']));
    expect(before).toBe(0);
    await page.evaluate((id) => window.__cimtwin.workbench!.select(id), plain.id);
    const f = (await ov((o) => o.frustum()))!;
    expect(f.id).toBe(plain.id);
    const spec = cameraFromDevice(city.devices, plain.index);
    const levels = ['identification', 'recognition', 'observation', 'detection'] as const;
    expect(f.bands.map((b) => b.level)).toEqual(levels);
    for (const b of f.bands) expect(b.toM).toBeCloseTo(Math.min(600, maxRangeM(spec.widthPx, spec.hfovDeg, DORI_PX_PER_M[b.level])), 6);
    const after = await ov((o) => o.paintedPixels(['frustums']));
    console.log(`frustum layer pixels painted: ${before} before selecting, ${after} with the camera selected`);
    expect(after).toBeGreaterThan(2000);
    // its rotate handles: picking a knob returns the handle
    await ov((o) => o.settle());
    for (const handle of ['heading', 'tilt'] as const) {
      const k = (await ov((o, h) => o.projectHandle(h), handle))!;
      expect(k).not.toBeNull();
      expect(await ov((o, p) => o.pick(p.x, p.y), k)).toEqual({ kind: 'handle', id: plain.id, handle });
    }
    // a real drag of the heading knob turns the camera (the picker's handle hit drives the workbench's drag)
    const rect = await page.evaluate(() => {
      const r = document.querySelector('#globe canvas')!.getBoundingClientRect();
      return { left: r.left, top: r.top };
    });
    const heading0 = Number((await page.evaluate((id) => window.__cimtwin.workbench!.device(id), plain.id))!.properties.headingDeg ?? 0);
    const knob = (await ov((o) => o.projectHandle('heading')))!;
    const dev = (await ov((o, id) => o.projectDevice(id), plain.id))!;
    await page.mouse.move(rect.left + knob.x, rect.top + knob.y);
    const s0 = await ov((o) => ({ ...o.stats(), t: performance.now() }));
    await page.mouse.down();
    // swing the cursor a quarter turn round the device on screen, in 12 moves
    const vx = knob.x - dev.x, vy = knob.y - dev.y;
    for (let k = 1; k <= 12; k++) {
      const a = (k / 12) * (Math.PI / 2);
      await page.mouse.move(rect.left + dev.x + 3 * (vx * Math.cos(a) - vy * Math.sin(a)), rect.top + dev.y + 3 * (vx * Math.sin(a) + vy * Math.cos(a)), { steps: 2 });
    }
    await page.mouse.up();
    const s1 = await ov((o) => ({ ...o.stats(), t: performance.now() }));
    const frames = s1.frames - s0.frames, seconds = (s1.t - s0.t) / 1000;
    console.log(`while dragging the heading knob (24 pointer moves): ${frames} frames in ${seconds.toFixed(1)} s = ${(frames / seconds).toFixed(1)} fps (software WebGL, 800×600); overlay ${((s1.totalFrameMs - s0.totalFrameMs) / Math.max(1, frames)).toFixed(1)} ms per frame; last 'devices' update ${s1.lastSetDevicesMs.toFixed(1)} ms`);
    await page.waitForFunction(() => window.__cimtwin.workbench!.history().undo.at(-1) === 'workbench.history.heading', undefined, { timeout: 30_000 });
    const heading1 = Number((await page.evaluate((id) => window.__cimtwin.workbench!.device(id), plain.id))!.properties.headingDeg);
    console.log(`heading knob dragged: ${heading0}° → ${heading1}°`);
    expect(Math.abs(((heading1 - heading0 + 540) % 360) - 180)).toBeGreaterThan(20);
    await page.evaluate(() => window.__cimtwin.workbench!.select(null));
    expect(await ov((o) => o.frustum())).toBeNull();
  });
  await test.step('a placed camera appears as a glyph at Cesium\'s pixel, is tested for occlusion, and goes with undo', async () => {
    const n0 = await ov((o) => o.devices().length);
    const p = frame.toLngLat(frame.toLocal(plain.target[0], plain.target[1])[0]! + 8, frame.toLocal(plain.target[0], plain.target[1])[1]! + 8);
    const id = await page.evaluate((ll) => window.__cimtwin.workbench!.placeCamera(ll[0]!, ll[1]!, { heightM: 7, headingDeg: 45 }), [p[0]!, p[1]!]);
    expect(await ov((o) => o.devices().length)).toBe(n0 + 1);
    const updateMs = await ov((o) => o.stats().lastSetDevicesMs);
    console.log(`'devices' event with one new camera among ${n0}: overlay update ${updateMs.toFixed(1)} ms`);
    await ov((o) => o.settle());
    expect(await ov((o, i) => o.deviceState(i), id)).toBe('drawn');
    const t = (await ov((o, i) => o.projectDevice(i), id))!;
    const c = (await ov((o, i) => o.cesiumProjectDevice(i), id))!;
    expect(Math.hypot(t.x - c.x, t.y - c.y)).toBeLessThan(1.5);
    expect(await ov((o, q) => o.pick(q.x, q.y), t)).toEqual({ kind: 'device', id });
    await page.evaluate(() => window.__cimtwin.workbench!.undo());
    expect(await ov((o, i) => o.deviceState(i), id)).toBeNull();
    expect(await ov((o) => o.devices().length)).toBe(n0);
  });
  expect(errors).toEqual([]);
});

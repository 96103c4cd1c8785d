/**
 * The workbench context against a real simulation session (Node worker_threads, the client the browser
 * uses) on a small generated city: after every kind of change — and after undo and redo — the feature
 * list, the session's inventory and the merged results agree with a fresh computation from the features.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityWithDevices, deviceFeaturesOfCity, simulatedDevicesOf, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { generateDefaultCity } from '../../sim-core/cim/demo/index.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { inventoryFromCity, type DeviceInventory } from '../../sim-core/session/devices.ts';
import type { SessionOptions } from '../../sim-core/session/session.ts';
import { createNodeClient, type SimulationClient } from '../../workers/node.ts';
import { expectedSnapshot } from '../../workers/test-support.ts';
import type { WorkerPool } from '../../workers/pool.ts';
import type { CityScene } from '../scene/city-scene.ts';
import { Workbench } from './state.ts';

const OPTIONS: SessionOptions = { coverage: { gridM: 4 } };
let city: City;
let client: SimulationClient;
let initial: DeviceFeature[];

beforeAll(async () => {
  city = generateDefaultCity({ scale: 0.1 });
  initial = deviceFeaturesOfCity(city);
  client = createNodeClient();
  await client.loadCity(city, OPTIONS);
}, 120_000);
afterAll(() => client.terminate());

/** An inventory without the `assumed` lists (a rotate keeps the old list; a fresh read drops the field it set), sorted by id. */
function normal(inv: DeviceInventory) {
  const cameras = inv.cameras.map(({ assumed: _a, ...c }) => c).sort((a, b) => a.id.localeCompare(b.id));
  const cells = [...inv.cells].sort((a, b) => a.id.localeCompare(b.id));
  return { cameras, cells };
}

/** Session inventory and results equal what the features give computed afresh. */
async function expectInStep(ctx: Workbench): Promise<void> {
  await ctx.settled();
  const fresh = inventoryFromCity(cityWithDevices(city, ctx.devices()));
  expect(normal(client.inventory()!)).toEqual(normal(fresh));
  const want = expectedSnapshot(city, OPTIONS, fresh, []);
  const got = ctx.results()!;
  expect(got.indicators).toEqual(want.indicators);
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  expect(byId(got.video.areas)).toEqual(byId(want.video.areas));
  expect([...got.video.intersections].sort((a, b) => a.nodeId.localeCompare(b.nodeId))).toEqual([...want.video.intersections].sort((a, b) => a.nodeId.localeCompare(b.nodeId)));
  expect(byId(got.nr5g!.areas)).toEqual(byId(want.nr5g!.areas));
  expect([...got.stars].sort((a, b) => a.indicator.localeCompare(b.indicator))).toEqual([...want.stars].sort((a, b) => a.indicator.localeCompare(b.indicator)));
}

describe('Workbench context', () => {
  it('features ↔ session edits ↔ results stay in step through every change, undo and redo', async () => {
    const renders: number[] = [];
    const ctx = new Workbench({
      scene: {} as CityScene,
      city,
      client,
      pool: {} as WorkerPool,
      user: null,
      devices: [],
      scenario: null,
      view: { flyTo: async () => undefined, requestRender: () => void renders.push(1) },
    });
    const events: string[] = [];
    for (const e of ['devices', 'results', 'selection', 'scenario'] as const) ctx.on(e, () => events.push(e));
    await ctx.replaceDevices(initial, null);
    await expectInStep(ctx);
    const start = structuredClone(ctx.results());
    expect(events).toContain('results');

    const cam = initial.find((f) => f.properties.deviceType === 'camera')!;
    const cell = initial.find((f) => f.properties.deviceType === 'cell5g')!;
    const weather = initial.find((f) => f.properties.deviceType === 'weather' || f.properties.deviceType === 'signal')!;
    const [lon, lat] = cam.geometry.coordinates as [number, number];

    // add a camera
    await ctx.apply({ op: 'add', feature: { type: 'Feature', id: 'new-cam', geometry: { type: 'Point', coordinates: [lon + 0.0003, lat] }, properties: { deviceType: 'camera', heightM: 6, headingDeg: 90, tiltDeg: 15, hfovDeg: 60, resolutionPx: [1920, 1080], healthy: true, networked: true } } }, 'place');
    await expectInStep(ctx);
    // a drag: transient moves, then one recorded step
    for (let k = 1; k <= 5; k++) void ctx.apply({ op: 'update', id: 'new-cam', lonLatDeg: [lon + 0.0003 + k * 0.00005, lat] }, 'drag', { transient: true });
    await ctx.apply({ op: 'update', id: 'new-cam', lonLatDeg: [lon + 0.0006, lat + 0.0001] }, 'move');
    await expectInStep(ctx);
    // heading, tilt, lens, resolution, PTZ, health, networking
    await ctx.apply({ op: 'update', id: cam.id, properties: { headingDeg: 200, tiltDeg: 30 } }, 'turn');
    await ctx.apply({ op: 'update', id: cam.id, properties: { hfovDeg: 40, resolutionPx: [3840, 2160], ptz: true, panRangeDeg: 180 } }, 'retune');
    await ctx.apply({ op: 'update', id: cam.id, properties: { healthy: false, networked: false } }, 'health');
    await expectInStep(ctx);
    // a camera made a weather station leaves the session; a weather station moves without session edits
    await ctx.apply({ op: 'update', id: 'new-cam', properties: { deviceType: 'weather' } }, 'type');
    await ctx.apply({ op: 'update', id: weather.id, lonLatDeg: [lon, lat + 0.001] }, 'move weather');
    await expectInStep(ctx);
    // 5G: retune, rotate, unhealthy, remove
    await ctx.apply({ op: 'update', id: cell.id, properties: { txPowerDbm: 40, headingDeg: 10, tiltDeg: 3 } }, 'cell');
    await expectInStep(ctx);
    await ctx.apply([{ op: 'update', id: cell.id, properties: { healthy: false } }, { op: 'remove', id: initial[5]!.id }], 'several');
    await expectInStep(ctx);
    const end = structuredClone(ctx.results());
    const endDevices = structuredClone([...ctx.devices()]);

    // The transient drag is not a step of its own.
    expect(ctx.history().undo).toEqual(['place', 'move', 'turn', 'retune', 'health', 'type', 'move weather', 'cell', 'several']);
    // Undo everything: the starting devices and results.
    while (await ctx.undo());
    await expectInStep(ctx);
    expect([...ctx.devices()]).toEqual(initial);
    expect(ctx.results()!.indicators).toEqual(start!.indicators);
    // Redo everything: the same end.
    while (await ctx.redo());
    await expectInStep(ctx);
    expect([...ctx.devices()]).toEqual(endDevices);
    expect(ctx.results()!.indicators).toEqual(end!.indicators);
    // Undoing the drag step puts the camera back where it was placed (not at a transient position).
    while (ctx.history().undo.length > 1) await ctx.undo();
    expect(ctx.device('new-cam')!.geometry.coordinates).toEqual([lon + 0.0003, lat]);
    await expectInStep(ctx);
  }, 180_000);

  it('a bad change is refused whole, naming the device and the field, and changes nothing', async () => {
    const ctx = new Workbench({ scene: {} as CityScene, city, client, pool: {} as WorkerPool, user: null, devices: [], scenario: null, view: { flyTo: async () => undefined, requestRender: () => undefined } });
    await ctx.replaceDevices(initial, null);
    const cam = initial.find((f) => f.properties.deviceType === 'camera')!;
    await expect(ctx.apply({ op: 'update', id: cam.id, properties: { hfovDeg: 400 } }, 'bad')).rejects.toThrow(new RegExp(`${cam.id}.*hfovDeg`));
    await expect(ctx.apply({ op: 'update', id: 'nope', properties: {} }, 'bad')).rejects.toThrow(/no device 'nope'/);
    await expect(ctx.apply([{ op: 'remove', id: cam.id }, { op: 'remove', id: cam.id }], 'bad')).rejects.toThrow(/device change 1 \(remove\): no device/);
    expect([...ctx.devices()]).toEqual(initial);
    expect(ctx.history().undo).toEqual([]);
    await expectInStep(ctx);
  }, 120_000);

  it('undo and redo: the history is final before any event (a listener on devices sees the redo / undo step)', async () => {
    const ctx = new Workbench({ scene: {} as CityScene, city, client, pool: {} as WorkerPool, user: null, devices: [], scenario: null, view: { flyTo: async () => undefined, requestRender: () => undefined } });
    await ctx.replaceDevices(initial, null);
    const cam = initial.find((f) => f.properties.deviceType === 'camera')!;
    await ctx.apply({ op: 'update', id: cam.id, properties: { headingDeg: 123 } }, 'turn');
    await ctx.apply({ op: 'update', id: cam.id, properties: { tiltDeg: 33 } }, 'tilt');
    // What the shell's undo/redo buttons see: the history at every event.
    const seen: { event: string; undo: string[]; redo: string[] }[] = [];
    for (const e of ['devices', 'results'] as const) ctx.on(e, () => seen.push({ event: e, ...ctx.history() }));
    await ctx.undo();
    await ctx.settled();
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s).toMatchObject({ undo: ['turn'], redo: ['tilt'] });
    seen.length = 0;
    await ctx.undo();
    await ctx.settled();
    for (const s of seen) expect(s).toMatchObject({ undo: [], redo: ['tilt', 'turn'] });
    seen.length = 0;
    await ctx.redo();
    await ctx.settled();
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s).toMatchObject({ undo: ['turn'], redo: ['tilt'] });
    expect(ctx.device(cam.id)!.properties.headingDeg).toBe(123);
    expect(ctx.device(cam.id)!.properties.tiltDeg).not.toBe(33);
    await expectInStep(ctx);
  }, 120_000);

  it('simulatedDevicesOf and deviceFeaturesOfCity are inverse to the city file', () => {
    const back = cityWithDevices(city, deviceFeaturesOfCity(city));
    // lon/lat → local metres → lon/lat: equal to 1e-9° (about 0.1 mm); the city builder keeps its own order
    const rounded = (fs: DeviceFeature[]) => [...fs].sort((a, b) => a.id.localeCompare(b.id)).map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: f.geometry.coordinates.map((v) => Math.round(v * 1e9) / 1e9) } }));
    expect(rounded(deviceFeaturesOfCity(back))).toEqual(rounded(deviceFeaturesOfCity(city)));
    expect(back.devices.count).toBe(city.devices.count);
    const sim = simulatedDevicesOf(city, deviceFeaturesOfCity(city));
    const inv = inventoryFromCity(city);
    expect(sim.size).toBe(inv.cameras.length + inv.cells.length);
    // (positions through lon/lat and back: equal to a micrometre)
    const um = <T extends { xM: number; yM: number }>(x: T) => ({ ...x, xM: Math.round(x.xM * 1e6) / 1e6, yM: Math.round(x.yM * 1e6) / 1e6 });
    for (const c of inv.cameras) expect(um(sim.get(c.id)!.spec)).toEqual(um(c));
    for (const c of inv.cells) expect(um(sim.get(c.id)!.spec as typeof c)).toEqual(um(c));
    for (const c of inv.cells) expect(sim.get(c.id)!.kind).toBe('cell');
  });
});

/**
 * The simulation session in Node worker_threads, through the same client the browser uses: results
 * equal sim-core computed in this thread, a drag coalesces, answers never go backwards, a crash rejects
 * the pending calls and the next call works.
 */
import type { Endpoint } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import type { City } from '../sim-core/cim/types.ts';
import { inventoryFromCity, type DeviceInventory, type Edit } from '../sim-core/session/devices.ts';
import { SimulationSession, type SessionOptions } from '../sim-core/session/session.ts';
import type { SessionDelta } from '../sim-core/session/api.ts';
import type { SpawnWorker } from './host.ts';
import { createNodeClient, SimulationClient, spawnNodeWorker } from './node.ts';
import { expectedSnapshot as directSnapshot, seededEdits, withoutSeq } from './test-support.ts';

let small: City;
let smallInv: DeviceInventory;

beforeAll(() => {
  small = generateDefaultCity({ scale: 0.1 });
  smallInv = inventoryFromCity(small);
});

/** Tests that are about the plumbing, not the models, use a coarser area grid (fewer samples to build). */
const LIGHT: SessionOptions = { nr5g: false, coverage: { gridM: 4 } };

const clients: SimulationClient[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.terminate()));
});

function track<T extends SimulationClient>(c: T): T {
  clients.push(c);
  return c;
}

describe('SimulationClient in worker_threads', () => {
  it('small city with 5G: every kind of edit gives what sim-core gives in this thread', async () => {
    const client = track(createNodeClient());
    const deltas: SessionDelta[] = [];
    client.onDelta((d) => deltas.push(d));
    const info = await client.loadCity(small);
    expect(info.nr5gSamples).toBeGreaterThan(0);
    const first = await client.setDevices();
    expect(withoutSeq(first)).toEqual(directSnapshot(small, {}, smallInv, []));
    const cells = smallInv.cells.filter((c) => c.healthy);
    const cam = smallInv.cameras[3];
    const batchA: Edit[] = [
      ...seededEdits(smallInv, 12, 7),
      { op: 'move', id: cells[0].id, xM: cells[0].xM + 60, yM: cells[0].yM - 20 },
      { op: 'retune', id: cells[1].id, cell: { txPowerDbm: 38 } },
      { op: 'health', id: cells[2].id, healthy: false },
      { op: 'add', camera: { ...cam, id: 'what-if-cam', xM: cam.xM + 15, headingDeg: 200 } },
    ];
    const batchB: Edit[] = [{ op: 'remove', id: smallInv.cameras[5].id }, { op: 'rotate', id: cells[3].id, headingDeg: 45, tiltDeg: 3 }, { op: 'remove', id: 'what-if-cam' }];
    const dA = await client.edit(batchA);
    expect(dA!.applied).toBe(batchA.length);
    for (const e of batchB) await client.edit(e);
    const final = await client.snapshot();
    const want = directSnapshot(small, {}, smallInv, [batchA, batchB]);
    expect(withoutSeq(final)).toEqual(want);
    // the deltas delivered, in strictly increasing order, rebuilt the same picture before the last snapshot
    const seqs = deltas.map((d) => d.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(deltas.some((d) => d.nr5g.areas.length > 0)).toBe(true);
    // the client's copy of the inventory is the worker's
    const mirror = new SimulationSession(small, { nr5g: false });
    mirror.setDevices(smallInv);
    mirror.edit([...batchA, ...batchB]);
    expect(client.inventory()).toEqual(mirror.inventory());
  });

  it('default city: a subset of edits gives what sim-core gives in this thread', async () => {
    const city = generateDefaultCity();
    const inv = inventoryFromCity(city);
    const client = track(createNodeClient());
    await client.loadCity(city, { nr5g: false });
    await client.setDevices(inv);
    const edits = seededEdits(inv, 40, 11);
    for (let k = 0; k < edits.length; k += 8) await client.edit(edits.slice(k, k + 8));
    const final = await client.snapshot();
    expect(final.video.areas.length).toBeGreaterThan(100);
    expect(withoutSeq(final)).toEqual(directSnapshot(city, { nr5g: false }, inv, [edits]));
    await client.terminate();
  });

  it('a drag of 50 positions fired at once computes two batches and ends where sim-core ends', async () => {
    const client = track(createNodeClient());
    await client.loadCity(small, LIGHT);
    await client.setDevices(smallInv);
    const before = await client.workerStats();
    const cam = smallInv.cameras.find((c) => c.kind === 'camera')!;
    const calls: Promise<SessionDelta | null>[] = [];
    for (let k = 1; k <= 50; k++) calls.push(client.edit({ op: 'move', id: cam.id, xM: cam.xM + k * 0.4, yM: cam.yM - k * 0.2 }));
    const results = await Promise.all(calls);
    const after = await client.workerStats();
    // the first move went out at once; the other 49 waited and coalesced into one batch of one edit
    expect(after.batches - before.batches).toBe(2);
    expect(after.editsApplied - before.editsApplied).toBe(2);
    expect(client.counters.editsRequested).toBe(50);
    expect(new Set(results.slice(1).map((r) => r!.seq)).size).toBe(1);
    expect(results[0]!.seq).toBeLessThan(results[1]!.seq);
    const final = await client.snapshot();
    const last: Edit = { op: 'move', id: cam.id, xM: cam.xM + 50 * 0.4, yM: cam.yM - 50 * 0.2 };
    expect(withoutSeq(final)).toEqual(directSnapshot(small, LIGHT, smallInv, [[last]]));
  });

  it('an answer that arrives after a newer one is dropped; what it still says that is current goes out next', async () => {
    // A transport that, once armed, delivers the next two messages from the worker swapped.
    let armed = false;
    const spawn: SpawnWorker = () => {
      const w = spawnNodeWorker('session.node.ts');
      const inner = w.endpoint;
      const endpoint: Endpoint = {
        postMessage: (m, t) => inner.postMessage(m, t),
        addEventListener: (type, h) => {
          let held: MessageEvent | null = null;
          const call = (ev: MessageEvent) => (typeof h === 'function' ? h(ev) : h.handleEvent(ev));
          inner.addEventListener(type, ((ev: MessageEvent) => {
            if (armed && !held) {
              held = ev;
              return;
            }
            call(ev);
            if (held) {
              const h2 = held;
              held = null;
              armed = false;
              call(h2);
            }
          }) as EventListener);
        },
        removeEventListener: (type, h) => inner.removeEventListener(type, h),
      };
      return { ...w, endpoint };
    };
    const client = track(new SimulationClient(spawn, { maxInFlight: 2 }));
    await client.loadCity(small, LIGHT);
    await client.setDevices(smallInv);
    const delivered: SessionDelta[] = [];
    client.onDelta((d) => delivered.push(d));
    // Two cameras far apart whose moves each change some area (found with sim-core in this thread).
    const probe = new SimulationSession(small, LIGHT);
    probe.setDevices(smallInv);
    const movers = smallInv.cameras
      .filter((c) => c.kind === 'camera')
      .map((c) => ({ c, areas: probe.edit([{ op: 'move', id: c.id, xM: c.xM + 9, yM: c.yM + 9 }]).video.areas.map((x) => x.id) }))
      .filter((m) => m.areas.length > 0);
    const a = movers[0].c;
    const b = movers.find((m) => m.areas.every((id) => !movers[0].areas.includes(id)))!.c;
    const aAreas = movers[0].areas;
    const moveA: Edit = { op: 'move', id: a.id, xM: a.xM + 9, yM: a.yM + 9 };
    const moveB: Edit = { op: 'move', id: b.id, xM: b.xM + 9, yM: b.yM + 9 };
    armed = true;
    const [ra, rb] = await Promise.all([client.edit(moveA), client.edit(moveB)]);
    expect(rb!.seq).toBeGreaterThan(0);
    expect(ra).toBeNull(); // A's answer came second: not delivered
    expect(client.counters.staleDropped).toBe(1);
    const c = smallInv.cameras[10];
    await client.edit({ op: 'rotate', id: c.id, headingDeg: (c.headingDeg + 120) % 360 });
    const seqs = delivered.map((d) => d.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // A's area changes were not lost: they went out with the next delivered delta.
    const deliveredAreas = new Set(delivered.flatMap((d) => d.video.areas.map((x) => x.id)));
    for (const id of aAreas) expect(deliveredAreas.has(id)).toBe(true);
    // The view holds exactly what sim-core gives for all three edits.
    const want = directSnapshot(small, LIGHT, smallInv, [[moveA, moveB, { op: 'rotate', id: c.id, headingDeg: (c.headingDeg + 120) % 360 }]]);
    const cur = client.view.current();
    const byId = <T extends { id: string }>(l: T[]) => [...l].sort((x, y) => x.id.localeCompare(y.id));
    expect(byId(cur.video.areas)).toEqual(byId(want.video.areas));
    expect(cur.indicators).toEqual(want.indicators);
  });

  it('a crash rejects the pending calls with a clear error; the worker is replaced and reloaded, and the next call works', async () => {
    const client = track(createNodeClient({ testHooks: true }));
    const snapshots: number[] = [];
    client.onSnapshot((s) => snapshots.push(s.seq));
    await client.loadCity(small, LIGHT);
    await client.setDevices(smallInv);
    const cam = smallInv.cameras[0];
    const kept: Edit = { op: 'move', id: cam.id, xM: cam.xM + 6, yM: cam.yM };
    await client.edit(kept);
    for (const mode of ['throw', 'exit'] as const) {
      const crash = client.crashForTest(mode);
      const lost = client.edit({ op: 'rotate', id: cam.id, headingDeg: 33 });
      await expect(crash).rejects.toMatchObject({ name: 'WorkerCrashedError', message: expect.stringMatching(/simulation worker crashed .*a new worker was started and is being reloaded with the city and the \d+ devices confirmed/) });
      await expect(lost).rejects.toMatchObject({ name: 'WorkerCrashedError' });
    }
    expect(client.counters.restarts).toBe(2);
    const d = await client.edit({ op: 'move', id: cam.id, xM: cam.xM + 7, yM: cam.yM });
    expect(d).not.toBeNull();
    const final = await client.snapshot();
    // the edit confirmed before the crashes survived; the lost rotations did not
    expect(withoutSeq(final)).toEqual(directSnapshot(small, LIGHT, smallInv, [[kept, { op: 'move', id: cam.id, xM: cam.xM + 7, yM: cam.yM }]]));
    expect(snapshots.length).toBeGreaterThanOrEqual(4); // setDevices, two reloads, snapshot
    expect((await client.workerStats()).loads).toBe(1); // a fresh worker
  });

  it('a worker that hangs (or dies without an error event) is treated as crashed after hangTimeoutMs', async () => {
    const client = track(createNodeClient({ testHooks: true, hangTimeoutMs: 500 }));
    await client.loadCity(small, LIGHT);
    await client.setDevices(smallInv);
    await expect(client.crashForTest('hang')).rejects.toMatchObject({ name: 'WorkerCrashedError', message: expect.stringMatching(/no answer within 500 ms: the worker hung or died without an error/) });
    const cam = smallInv.cameras[1];
    const d = await client.edit({ op: 'move', id: cam.id, xM: cam.xM + 2, yM: cam.yM });
    expect(d!.applied).toBe(1);
    expect(client.counters.restarts).toBe(1);
  });

  it('gives up after too many crashes in a row, and says so', async () => {
    const client = track(createNodeClient({ testHooks: true, maxRestarts: 0 }));
    await expect(client.crashForTest('exit')).rejects.toMatchObject({ name: 'WorkerCrashedError', message: expect.stringMatching(/exited with code 70/) });
    await expect(client.workerStats()).rejects.toThrow(/crashed 1 times in a row, so the client gave up; create a new client/);
  });

  it('refuses a bad edit at once, naming the device and the field, without sending anything', async () => {
    const client = track(createNodeClient());
    await client.loadCity(small, LIGHT);
    await client.setDevices(smallInv);
    const sent = client.counters.batchesSent;
    await expect(client.edit({ op: 'move', id: 'nope', xM: 1, yM: 2 })).rejects.toMatchObject({ name: 'EditError', message: "move: no device 'nope' in the inventory" });
    const cam = smallInv.cameras[0];
    await expect(client.edit([{ op: 'rotate', id: cam.id, headingDeg: 10 }, { op: 'rotate', id: cam.id, tiltDeg: 120 }])).rejects.toThrow(new RegExp(`edit 1: camera '${cam.id}': tiltDeg must be within`));
    expect(client.counters.batchesSent).toBe(sent);
    // the first rotation of the refused call was not applied either
    expect(client.inventory()!.cameras[0].headingDeg).toBe(cam.headingDeg);
  });
});

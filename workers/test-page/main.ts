/**
 * The browser side of the worker tests and bench: drives the same SimulationClient and WorkerPool as
 * Node, in Web Workers, on a city packed in Node and fetched from the test server. Exposes
 * `window.cimtwinWorkers` for Playwright (e2e/workers.spec.ts, bench/worker-roundtrip.bench.ts).
 */
import { unpackCity } from '../../sim-core/cim/transfer.ts';
import type { SessionDelta, SessionSnapshot } from '../../sim-core/session/api.ts';
import type { DeviceInventory, Edit } from '../../sim-core/session/devices.ts';
import type { JobParams } from '../../sim-core/session/jobs.ts';
import type { SessionOptions } from '../../sim-core/session/session.ts';
import { canShareMemory, createBrowserClient, createBrowserPool } from '../browser.ts';
import type { CrashMode } from '../test-hooks.ts';

export interface ErrorInfo {
  name: string;
  message: string;
}

const errorInfo = (e: unknown): ErrorInfo => ({ name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) });

async function fetchCity(url: string): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return r.arrayBuffer();
}

const api = {
  /** Whether this page shares memory with its workers (cross-origin isolated). */
  isolated: canShareMemory(),

  /** Loads a city, sets the devices, applies the batches, optionally crashes the worker once and edits again. */
  async runSession(req: { cityUrl: string; options: SessionOptions; inventory?: DeviceInventory; batches: Edit[][]; crashThenEdit?: Edit; crashMode?: CrashMode; hangTimeoutMs?: number }) {
    const client = createBrowserClient({ testHooks: true, hangTimeoutMs: req.hangTimeoutMs });
    try {
      const deltas: number[] = [];
      client.onDelta((d) => deltas.push(d.seq));
      const info = await client.loadCity(await fetchCity(req.cityUrl), req.options);
      const first = await client.setDevices(req.inventory);
      for (const b of req.batches) await client.edit(b);
      let crash: ErrorInfo | null = null;
      let lost: ErrorInfo | null = null;
      if (req.crashThenEdit) {
        const c = client.crashForTest(req.crashMode ?? 'throw').catch(errorInfo);
        const l = client.edit(req.crashThenEdit).catch(errorInfo);
        crash = (await c) as ErrorInfo;
        lost = (await l) as ErrorInfo;
        await client.edit(req.crashThenEdit); // the next call works on the replacement
      }
      const final = await client.snapshot();
      return { info, first, final, deltas, crash, lost, counters: { ...client.counters }, stats: await client.workerStats() };
    } finally {
      await client.terminate();
    }
  },

  /** Fires a drag of `positions` at once; returns how many batches the worker computed and the end state. */
  async runDrag(req: { cityUrl: string; options: SessionOptions; id: string; positions: [number, number][] }) {
    const client = createBrowserClient();
    try {
      await client.loadCity(await fetchCity(req.cityUrl), req.options);
      await client.setDevices();
      const before = await client.workerStats();
      const calls: Promise<SessionDelta | null>[] = req.positions.map(([xM, yM]) => client.edit({ op: 'move', id: req.id, xM, yM }));
      await Promise.all(calls);
      const after = await client.workerStats();
      const final: SessionSnapshot = await client.snapshot();
      return { batches: after.batches - before.batches, editsApplied: after.editsApplied - before.editsApplied, final };
    } finally {
      await client.terminate();
    }
  },

  /** Runs a pool job and returns it as plain arrays (NaN → null); then a second, cancelled one. */
  async runPool(req: { cityUrl: string; params: JobParams<'nr5g-raster'>; cancelParams: JobParams<'camera-sight'> }) {
    const pool = createBrowserPool({ size: 2, tasksPerWorker: 1 });
    try {
      const key = await pool.loadCity(unpackCity(await fetchCity(req.cityUrl)));
      const progress: number[] = [];
      const r = await pool.run('nr5g-raster', key, req.params, { onProgress: (p) => progress.push(p.done) });
      const ctl = new AbortController();
      let started!: () => void;
      const first = new Promise<void>((resolve) => (started = resolve));
      const job = pool.run('camera-sight', key, req.cancelParams, { signal: ctl.signal, onProgress: (p) => p.done > 0 && started() });
      await first;
      ctl.abort();
      const cancel = await job.then(() => null, errorInfo);
      await pool.idle();
      const after = await pool.run('camera-sight', key, { ...req.cancelParams, cameras: req.cancelParams.cameras.slice(0, 20) });
      return {
        shared: pool.shared,
        size: pool.size,
        rsrpDbm: Array.from(r.rsrpDbm, (v) => (Number.isNaN(v) ? null : v)),
        bestCell: Array.from(r.bestCell),
        progress,
        cancel,
        replacements: pool.replacements,
        tasksStopped: pool.counters.tasksStopped,
        afterCancelColumns: after.areaSamples.siteCount,
      };
    } finally {
      await pool.terminate();
    }
  },

  /** Times `moves` camera moves one after another (post → delta back), after `warmup` untimed ones. */
  async benchMoves(req: { cityUrl: string; options: SessionOptions; inventory: DeviceInventory; moves: { id: string; xM: number; yM: number; headingDeg: number }[]; warmup: number }) {
    const client = createBrowserClient();
    try {
      const t0 = performance.now();
      await client.loadCity(await fetchCity(req.cityUrl), req.options);
      await client.setDevices(req.inventory);
      const startupMs = performance.now() - t0;
      const times: number[] = [];
      let touched = 0;
      for (let k = 0; k < req.moves.length; k++) {
        const m = req.moves[k];
        const t = performance.now();
        const d = await client.edit({ op: 'update', id: m.id, patch: { xM: m.xM, yM: m.yM, headingDeg: m.headingDeg } });
        const dt = performance.now() - t;
        if (k >= req.warmup) {
          times.push(dt);
          touched += d ? d.video.areas.length : 0;
        }
      }
      return { times, startupMs, changedAreasPerMove: touched / Math.max(1, times.length), userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency };
    } finally {
      await client.terminate();
    }
  },
};

export type WorkersTestApi = typeof api;
(window as unknown as { cimtwinWorkers: WorkersTestApi }).cimtwinWorkers = api;
document.getElementById('status')!.textContent = `ready (${api.isolated ? 'cross-origin isolated' : 'not isolated'})`;

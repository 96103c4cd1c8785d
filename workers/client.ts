/**
 * SimulationClient: one simulation session in a worker, used the same way from the browser (Web
 * Worker, workers/browser.ts) and from Node (worker_threads, workers/node.ts).
 *
 * ```ts
 * const client = createNodeClient();            // or createBrowserClient()
 * await client.loadCity(city);                  // packed into one buffer and transferred
 * const snap = await client.setDevices();       // the city's cameras and 5G cells (or an inventory)
 * client.onDelta((d) => render(d));             // areas, intersections, indicators, stars that changed
 * client.edit({ op: 'move', id: 'cam-12', xM, yM });   // during a drag: fire and forget
 * ```
 *
 * - **Coalescing.** While a batch is being computed, later edits wait in one queued batch in which a
 *   device keeps only its latest patch (sim-core/session/devices.ts `coalesceInto`): a drag of 50
 *   positions computes the first and the last, not 50.
 * - **Ordering.** Every request carries a sequence number; the worker refuses one that is not above the
 *   last. Answers pass through a {@link ResultView}: an answer older than one already delivered is never
 *   delivered (its still-current items go out with the next delivered delta).
 * - **Validation.** Edits are checked against the client's copy of the inventory before they are queued:
 *   a bad edit rejects its call at once with an EditError naming the device and the field.
 * - **Crashes.** When the worker dies (uncaught error, exit), every pending call rejects with a
 *   {@link WorkerCrashedError}; a new worker is started and reloaded with the city and the inventory as
 *   it was confirmed before the crash (edits not yet confirmed are lost and their calls rejected). After
 *   `maxRestarts` crashes in a row the client gives up and says so on every call.
 */
import { transfer, type Remote } from 'comlink';
import { isPackedCity, packCity, unpackCity } from '../sim-core/cim/transfer.ts';
import type { City } from '../sim-core/cim/types.ts';
import type { SessionApi, SessionDelta, SessionSnapshot, SessionStats } from '../sim-core/session/api.ts';
import { coalesceInto, DeviceSet, EditError, editDeviceId, inventoryFromCity, type DeviceInventory, type Edit } from '../sim-core/session/devices.ts';
import type { SessionInfo, SessionOptions } from '../sim-core/session/session.ts';
import { ResultView } from '../sim-core/session/view.ts';
import { ClosedError, WorkerCrashedError } from './errors.ts';
import { connect, releaseRemote, type Connection, type SpawnWorker } from './host.ts';
import type { CrashMode, TestHooks } from './test-hooks.ts';

type WorkerApi = SessionApi & TestHooks;

export interface ClientOptions {
  /** Requests awaited at most at a time (default 1: while one batch is computed, later edits coalesce). */
  maxInFlight?: number;
  /** Crashes in a row (no successful call between) after which the client gives up (default 3). */
  maxRestarts?: number;
  /** Pack the city into a SharedArrayBuffer (Node, cross-origin-isolated pages) instead of transferring a copy. */
  sharedCity?: boolean;
  /**
   * A call without an answer after this long means the worker hung or died without an error event
   * (a browser worker killed for memory, or one that closed itself): it is then treated as a crash.
   * Loading a city and setting devices get ten times as long. 0 turns it off. Default 30,000 ms.
   */
  hangTimeoutMs?: number;
}

/** Counters of the client's traffic. */
export interface ClientCounters {
  /** Edits passed to edit() (each edit of an array counts). */
  editsRequested: number;
  /** Edit batches sent to the worker, and the edits in them (after coalescing). */
  batchesSent: number;
  editsSent: number;
  /** Workers replaced after a crash. */
  restarts: number;
  /** Answers not delivered because a newer one had been. */
  staleDropped: number;
}

interface Waiter {
  ids: Set<string>;
  resolve(d: SessionDelta | null): void;
  reject(e: Error): void;
}

interface Op {
  kind: 'load' | 'devices' | 'edit' | 'snapshot' | 'stats' | 'crash';
  send(remote: Remote<WorkerApi>, seq: number): Promise<unknown>;
  /** Delivers the answer to the caller (immediately, in arrival order). */
  deliver(value: unknown): void;
  /** Applies the answer to the client's inventory copy (in send order). */
  confirm?(value: unknown): void;
  fail(e: Error): void;
  edits?: Edit[];
  waiters?: Waiter[];
  // state
  settled?: boolean;
  answered?: boolean;
  value?: unknown;
}

type Generation = Connection<WorkerApi>;

/** See the module doc. */
export class SimulationClient {
  readonly counters: ClientCounters = { editsRequested: 0, batchesSent: 0, editsSent: 0, restarts: 0, staleDropped: 0 };
  /** The results as delivered so far (never older than what was delivered). */
  readonly view = new ResultView();

  private readonly spawn: SpawnWorker;
  private readonly maxInFlight: number;
  private readonly maxRestarts: number;
  private readonly sharedCity: boolean;
  private readonly hangTimeoutMs: number;
  private gen: Generation;
  private seq = 0;
  private queue: Op[] = [];
  private inFlight: Op[] = [];
  /** Sent ops not yet confirmed, in send order. */
  private sentOrder: Op[] = [];
  private crashesInARow = 0;
  private closed = false;
  private broken: Error | null = null;
  private packed: ArrayBuffer | SharedArrayBuffer | null = null;
  private cityView: City | null = null;
  private cityOptions: SessionOptions = {};
  /** Inventory as the worker has confirmed it (null before a city is loaded). */
  private confirmed: DeviceSet | null = null;
  /** Inventory with every queued and in-flight edit applied: what new edits are checked against. */
  private optimistic: DeviceSet | null = null;
  private readonly deltaListeners = new Set<(d: SessionDelta) => void>();
  private readonly snapshotListeners = new Set<(s: SessionSnapshot) => void>();

  constructor(spawn: SpawnWorker, options: ClientOptions = {}) {
    this.spawn = spawn;
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.maxRestarts = Math.max(0, options.maxRestarts ?? 3);
    this.sharedCity = options.sharedCity ?? false;
    this.hangTimeoutMs = Math.max(0, options.hangTimeoutMs ?? 30_000);
    this.gen = this.start();
  }

  /** Loads a city (a City, or one already packed by `packCity`) and builds its models; clears the inventory. */
  loadCity(city: City | ArrayBuffer | SharedArrayBuffer, options: SessionOptions = {}): Promise<SessionInfo> {
    const packed = isPackedCity(city) ? city : packCity(city as City, { shared: this.sharedCity });
    this.packed = packed;
    this.cityView = null;
    this.cityOptions = options;
    this.optimistic = new DeviceSet();
    return this.call<SessionInfo>({ kind: 'load', send: (r) => r.load(this.transferable(packed), options), confirm: () => (this.confirmed = new DeviceSet()) });
  }

  /** Replaces the inventory (default: the city's own cameras and 5G cells); answers every result. */
  setDevices(inventory?: DeviceInventory): Promise<SessionSnapshot> {
    if (!this.packed) return Promise.reject(new Error('setDevices(): load a city first'));
    const inv = inventory ?? inventoryFromCity(this.city());
    let set: DeviceSet;
    try {
      set = new DeviceSet(inv);
    } catch (e) {
      return Promise.reject(e);
    }
    this.optimistic = set.clone();
    return this.call<SessionSnapshot>({
      kind: 'devices',
      send: (r, seq) => r.setDevices(inv, seq),
      confirm: () => (this.confirmed = set),
      deliverHook: (s) => this.takeSnapshot(s as SessionSnapshot),
    });
  }

  /**
   * Applies edits; resolves with the delta of the batch that carried them (null when that answer came
   * after a newer one and was not delivered). Rejects at once with an EditError when an edit cannot be
   * applied to the inventory as it will be (unknown device, bad field); nothing of that call is queued.
   */
  edit(edits: Edit | Edit[]): Promise<SessionDelta | null> {
    if (this.closed || this.broken) return Promise.reject(this.closed ? new ClosedError('simulation client') : this.broken);
    if (!this.optimistic) return Promise.reject(new Error('edit(): load a city first'));
    const list = Array.isArray(edits) ? edits : [edits];
    try {
      if (list.length === 1) this.optimistic.apply(list[0]);
      else {
        const scratch = this.optimistic.clone();
        list.forEach((e, k) => {
          try {
            scratch.apply(e);
          } catch (err) {
            throw new EditError(`edit ${k}: ${(err as Error).message}`, (err as EditError).deviceId);
          }
        });
        this.optimistic = scratch;
      }
    } catch (e) {
      return Promise.reject(e);
    }
    this.counters.editsRequested += list.length;
    return new Promise<SessionDelta | null>((resolve, reject) => {
      let op = this.queue[this.queue.length - 1];
      if (!op || op.kind !== 'edit') {
        const batch: Edit[] = [];
        const waiters: Waiter[] = [];
        op = {
          kind: 'edit',
          edits: batch,
          waiters,
          send: (r, seq) => {
            this.counters.batchesSent++;
            this.counters.editsSent += batch.length;
            return r.edit(batch, seq);
          },
          deliver: (v) => this.deliverDelta(v as SessionDelta, batch, waiters),
          confirm: (v) => this.confirmEdits(v as SessionDelta, batch),
          fail: (e) => waiters.forEach((w) => w.reject(e)),
        };
        this.queue.push(op);
      }
      for (const e of list) coalesceInto(op.edits!, e);
      op.waiters!.push({ ids: new Set(list.map(editDeviceId)), resolve, reject });
      this.pump();
    });
  }

  /** Every result (also resets the view). */
  snapshot(): Promise<SessionSnapshot> {
    return this.call<SessionSnapshot>({ kind: 'snapshot', send: (r, seq) => r.snapshot(seq), deliverHook: (s) => this.takeSnapshot(s as SessionSnapshot) });
  }

  /** Counters of the current worker (batches it computed, edits it applied …). */
  workerStats(): Promise<SessionStats> {
    return this.call<SessionStats>({ kind: 'stats', send: (r) => r.stats() });
  }

  /** The inventory as the worker has confirmed it. */
  inventory(): DeviceInventory | null {
    return this.confirmed ? this.confirmed.toInventory() : null;
  }

  /** Called with every delivered delta, in order. Returns an unsubscribe function. */
  onDelta(fn: (d: SessionDelta) => void): () => void {
    this.deltaListeners.add(fn);
    return () => this.deltaListeners.delete(fn);
  }

  /** Called with every delivered snapshot (after setDevices, snapshot, and the reload after a crash). */
  onSnapshot(fn: (s: SessionSnapshot) => void): () => void {
    this.snapshotListeners.add(fn);
    return () => this.snapshotListeners.delete(fn);
  }

  /** Test only: makes the worker crash (it must have been started with test hooks). */
  crashForTest(mode: CrashMode): Promise<never> {
    return this.call<never>({ kind: 'crash', send: (r) => r.crash(mode) });
  }

  /** Rejects pending calls, releases the proxy and stops the worker. */
  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new ClosedError('simulation client');
    const ops = [...this.inFlight, ...this.queue];
    this.inFlight = [];
    this.queue = [];
    for (const op of ops) this.settleFail(op, err);
    this.gen.alive = false;
    this.gen.kill(err);
    releaseRemote(this.gen.remote);
    await this.gen.worker.terminate();
  }

  // ------------------------------------------------------------------------------------------

  private start(): Generation {
    return connect<WorkerApi>(this.spawn, (gen, reason) => this.crashed(gen, reason));
  }

  private city(): City {
    return (this.cityView ??= unpackCity(this.packed!));
  }

  /** The city as sent: the shared buffer itself, or a transferred copy (the client keeps its own for reloads). */
  private transferable(packed: ArrayBuffer | SharedArrayBuffer): ArrayBuffer | SharedArrayBuffer {
    if (!(packed instanceof ArrayBuffer)) return packed;
    const copy = packed.slice(0);
    return transfer(copy, [copy]);
  }

  private call<T>(spec: Omit<Op, 'deliver' | 'fail'> & { deliverHook?: (v: unknown) => void }, at: { front?: boolean; defer?: boolean } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new ClosedError('simulation client'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      const op: Op = {
        ...spec,
        deliver: (v) => {
          spec.deliverHook?.(v);
          resolve(v as T);
        },
        fail: reject,
      };
      if (at.front) this.queue.unshift(op);
      else this.queue.push(op);
      if (!at.defer) this.pump();
    });
  }

  private pump(): void {
    while (!this.closed && !this.broken && this.gen.alive && this.inFlight.length < this.maxInFlight && this.queue.length) this.send(this.queue.shift()!);
  }

  private send(op: Op): void {
    const gen = this.gen;
    const seq = ++this.seq;
    this.inFlight.push(op);
    this.sentOrder.push(op);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (this.hangTimeoutMs > 0) {
      const limit = op.kind === 'load' || op.kind === 'devices' ? 10 * this.hangTimeoutMs : this.hangTimeoutMs;
      timer = setTimeout(() => {
        if (!op.settled && gen.alive) this.crashed(gen, `no answer within ${limit} ms: the worker hung or died without an error`);
      }, limit);
    }
    Promise.race([op.send(gen.remote, seq), gen.dead]).finally(() => clearTimeout(timer)).then(
      (value) => {
        if (op.settled || !gen.alive) return;
        op.settled = true;
        this.crashesInARow = 0;
        this.inFlight = this.inFlight.filter((o) => o !== op);
        op.answered = true;
        op.value = value;
        this.confirmInOrder();
        op.deliver(value);
        this.pump();
      },
      (e: Error) => {
        if (op.settled || !gen.alive) return; // a crash rejects everything in one place
        this.inFlight = this.inFlight.filter((o) => o !== op);
        op.answered = true; // nothing to confirm
        this.confirmInOrder();
        this.settleFail(op, e);
        if (op.kind === 'edit') this.rebuildOptimistic();
        this.pump();
      },
    );
  }

  /** Applies answers to the inventory copy in the order the requests were sent. */
  private confirmInOrder(): void {
    while (this.sentOrder.length && this.sentOrder[0].answered) {
      const op = this.sentOrder.shift()!;
      if (op.settled && 'value' in op && op.confirm) op.confirm(op.value);
    }
  }

  private settleFail(op: Op, e: Error): void {
    if (op.settled) return;
    op.settled = true;
    op.fail(e);
  }

  private takeSnapshot(s: SessionSnapshot): void {
    if (!this.view.reset(s)) {
      this.counters.staleDropped = this.view.staleDropped;
      return;
    }
    for (const fn of this.snapshotListeners) fn(s);
  }

  private deliverDelta(d: SessionDelta, batch: Edit[], waiters: Waiter[]): void {
    const delivered = this.view.accept(d);
    this.counters.staleDropped = this.view.staleDropped;
    if (delivered) for (const fn of this.deltaListeners) fn(delivered);
    for (const w of waiters) {
      const bad = d.rejected.filter((r) => {
        const id = r.id ?? editDeviceId(batch[r.index]);
        return w.ids.has(id);
      });
      if (bad.length) w.reject(new EditError(bad.map((b) => b.message).join('; '), bad[0].id));
      else w.resolve(delivered);
    }
  }

  private confirmEdits(d: SessionDelta, batch: Edit[]): void {
    const rejected = new Set(d.rejected.map((r) => r.index));
    batch.forEach((e, k) => {
      if (rejected.has(k)) return;
      try {
        this.confirmed?.apply(e);
      } catch {
        // The worker applied it; the copy cannot disagree unless it is out of step. Resynchronise below.
        rejected.add(k);
      }
    });
    if (rejected.size) this.rebuildOptimistic();
  }

  /** Recomputes the optimistic inventory from the confirmed one and the edits still pending. */
  private rebuildOptimistic(): void {
    if (!this.confirmed) return;
    const o = this.confirmed.clone();
    for (const op of [...this.inFlight, ...this.queue]) {
      for (const e of op.edits ?? []) {
        try {
          o.apply(e);
        } catch {
          // it will be rejected by the worker too
        }
      }
    }
    this.optimistic = o;
  }

  private crashed(gen: Generation, reason: string): void {
    if (!gen.alive || this.closed) return;
    gen.alive = false;
    gen.kill(new WorkerCrashedError('simulation worker', reason, 'the call was rejected'));
    releaseRemote(gen.remote);
    void gen.worker.terminate();
    this.crashesInARow++;
    const ops = [...this.inFlight, ...this.queue];
    this.inFlight = [];
    this.queue = [];
    this.sentOrder = [];
    const devices = this.confirmed?.size ?? 0;
    if (this.crashesInARow > this.maxRestarts) {
      this.broken = new WorkerCrashedError('simulation worker', reason, `it crashed ${this.crashesInARow} times in a row, so the client gave up; create a new client`);
      for (const op of ops) this.settleFail(op, this.broken);
      return;
    }
    const err = new WorkerCrashedError(
      'simulation worker',
      reason,
      this.packed ? `the call was rejected; a new worker was started and is being reloaded with the city and the ${devices} devices confirmed before the crash (edits not yet confirmed were dropped)` : 'the call was rejected; a new worker was started',
    );
    this.counters.restarts++;
    this.gen = this.start();
    this.optimistic = this.confirmed ? this.confirmed.clone() : this.packed ? new DeviceSet() : null;
    for (const op of ops) this.settleFail(op, err);
    if (this.packed) {
      const packed = this.packed;
      const options = this.cityOptions;
      const inv = this.confirmed?.toInventory();
      const ignore = () => {};
      // Reload first (the city, then the inventory), ahead of anything called after the crash.
      if (inv && this.confirmed!.size) {
        this.call<SessionSnapshot>({ kind: 'devices', send: (r, seq) => r.setDevices(inv, seq), deliverHook: (s) => this.takeSnapshot(s as SessionSnapshot) }, { front: true, defer: true }).catch(ignore);
      }
      this.call<SessionInfo>({ kind: 'load', send: (r) => r.load(this.transferable(packed), options) }, { front: true, defer: true }).catch(ignore);
    }
    this.pump();
  }
}

/**
 * The workbench's implementation of {@link WorkbenchContext}: the device list (city-file features),
 * undo/redo, the link to the simulation session (every change becomes session edits), the merged
 * results (last snapshot with every later delta), selection, highlight, proposals, vehicles, pickers
 * and layer toggles, and events.
 */
import type { City } from '../../sim-core/cim/types.ts';
import { indicatorById } from '../../sim-core/indicators/catalogue.ts';
import { scoreIndicator } from '../../sim-core/indicators/scoring.ts';
import type { ValueEntry } from '../../sim-core/indicators/types.ts';
import { simulatedDevicesOf, type SimulatedDevice } from '../../sim-core/cim/device-features.ts';
import type { SessionDelta, SessionSnapshot } from '../../sim-core/session/api.ts';
import type { Edit } from '../../sim-core/session/devices.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import type { SimulationClient, WorkerPool } from '../../workers/browser.ts';
import type { DeviceFeature, User } from '../api/client.ts';
import type { CityScene } from '../scene/city-scene.ts';
import type { DeviceChange, HighlightTarget, LayerToggle, OpenScenario, Picker, VehicleFrame, WorkbenchContext, WorkbenchEvent } from './context.ts';
import { applyChange, changeId, checkChange, cloneFeature, sessionEditsFor } from './session-edits.ts';

/** One undoable step. */
export interface HistoryStep {
  labelKey: string;
  forward: DeviceChange[];
  backward: DeviceChange[];
}

/** Time spent in the listeners of one owner for one event. */
export interface ListenerCost {
  event: WorkbenchEvent;
  owner: string;
  calls: number;
  totalMs: number;
  maxMs: number;
}

/** What {@link Workbench} is created with. */
export interface WorkbenchInit {
  scene: CityScene;
  city: City;
  client: SimulationClient;
  pool: WorkerPool;
  user: User | null;
  devices: readonly DeviceFeature[];
  scenario: OpenScenario | null;
  /** Camera moves and redraws (the page passes Cesium's; kept out of this module so it runs in Node). */
  view: WorkbenchView;
}

/** What the context asks of the 3D view. */
export interface WorkbenchView {
  flyTo(lonDeg: number, latDeg: number, rangeM: number): Promise<void>;
  requestRender(): void;
}

/** Merges a delta into a snapshot body (in place): areas, intersections, 5G areas by id; values; star levels. */
export function mergeDelta(into: SessionSnapshotBody, d: SessionDelta, index: { video: Map<string, number>; ix: Map<string, number>; nr: Map<string, number> }): void {
  for (const a of d.video.areas) {
    const k = index.video.get(a.id);
    if (k === undefined) {
      index.video.set(a.id, into.video.areas.length);
      into.video.areas.push(a);
    } else into.video.areas[k] = a;
  }
  for (const x of d.video.intersections) {
    const k = index.ix.get(x.nodeId);
    if (k === undefined) {
      index.ix.set(x.nodeId, into.video.intersections.length);
      into.video.intersections.push(x);
    } else into.video.intersections[k] = x;
  }
  if (into.nr5g) {
    for (const a of d.nr5g.areas) {
      const k = index.nr.get(a.id);
      if (k === undefined) {
        index.nr.set(a.id, into.nr5g.areas.length);
        into.nr5g.areas.push(a);
      } else into.nr5g.areas[k] = a;
    }
  }
  Object.assign(into.indicators, d.indicators);
  for (const s of d.stars) {
    const k = into.stars.findIndex((x) => x.indicator === s.indicator);
    const { before: _before, ...level } = s;
    if (k < 0) into.stars.push(level);
    else into.stars[k] = level;
  }
  // A delta carries a star row only when its level changed; its gap to the next star moves with every
  // value: score the rows again from the merged values (sim-core/indicators, as the session does).
  if (Object.keys(d.indicators).length) rescoreStars(into);
}

/** Scores every star row of `r` again from its values (the session's own scoring, sim-core/indicators). */
export function rescoreStars(r: SessionSnapshotBody): void {
  r.stars = r.stars.map((old) => {
    const row = indicatorById(old.indicator);
    if (!row) return old;
    const entries: Record<string, ValueEntry> = {};
    for (const m of row.measures) {
      const v = r.indicators[m.id];
      if (v) entries[m.id] = { measure: m.id, value: v.value, numerator: v.numerator, denominator: v.denominator, provenance: { kind: 'simulation', model: v.model, origin: 'simulation session' } };
    }
    const s = scoreIndicator(row, entries);
    return { indicator: row.id, nameZh: row.nameZh, nameEn: row.nameEn, stars: s.stars, maxStars: s.maxStars, status: s.status, ...(s.next ? { next: s.next } : {}) };
  });
}

/** See the module doc. */
export class Workbench implements WorkbenchContext {
  readonly scene: CityScene;
  readonly city: City;
  readonly client: SimulationClient;
  readonly pool: WorkerPool;
  private currentUser: User | null;
  private readonly devs = new Map<string, DeviceFeature>();
  /** What the session holds for each simulated device (cameras and cells), as sent. */
  private readonly simulated = new Map<string, SimulatedDevice>();
  private readonly undoStack: HistoryStep[] = [];
  private readonly redoStack: HistoryStep[] = [];
  /** Devices touched by transient changes since the last recorded step: their state before. */
  private transientBase = new Map<string, DeviceFeature | undefined>();
  private selected: string | null = null;
  private latest: SessionSnapshotBody | null = null;
  private resultIndex = { video: new Map<string, number>(), ix: new Map<string, number>(), nr: new Map<string, number>() };
  private open: OpenScenario | null;
  private readonly listeners = new Map<WorkbenchEvent, Set<{ listener: () => void; owner: string }>>();
  /** Who registers listeners now (the page labels each part it creates or mounts; see {@link withOwner}). */
  private owner = 'workbench';
  /** Main-thread time spent in listeners, by event and owner (see {@link listenerCosts}). */
  private readonly costs = new Map<string, ListenerCost>();
  private highlightTarget: HighlightTarget = {};
  private proposed: readonly DeviceFeature[] = [];
  private picked: string | null = null;
  private vehicleFrame: VehicleFrame | null = null;
  private drag: { id: string; mode: 'move' | 'heading' | 'tilt' } | null = null;
  readonly pickers: Picker[] = [];
  readonly layerToggles: LayerToggle[] = [];
  /** Number of session edit batches sent and results events emitted (for the page's hooks). */
  readonly counters = { editBatches: 0, results: 0, applyErrors: 0 };
  /** The last error of a change the session refused (shown by the page). */
  lastError: string | null = null;

  private readonly view: WorkbenchView;

  constructor(init: WorkbenchInit) {
    this.view = init.view;
    this.scene = init.scene;
    this.city = init.city;
    this.client = init.client;
    this.pool = init.pool;
    this.currentUser = init.user;
    this.open = init.scenario;
    for (const f of init.devices) this.devs.set(f.id, cloneFeature(f));
    for (const [id, d] of simulatedDevicesOf(this.city, [...this.devs.values()], 'devices')) this.simulated.set(id, d);
    init.client.onSnapshot((s: SessionSnapshot) => {
      const { seq: _seq, ...body } = s;
      this.latest = structuredClone(body);
      this.resultIndex = {
        video: new Map(body.video.areas.map((a, k) => [a.id, k])),
        ix: new Map(body.video.intersections.map((x, k) => [x.nodeId, k])),
        nr: new Map((body.nr5g?.areas ?? []).map((a, k) => [a.id, k])),
      };
      this.counters.results++;
      this.emit('results');
    });
    init.client.onDelta((d) => {
      if (!this.latest) return;
      mergeDelta(this.latest, d, this.resultIndex);
      this.counters.results++;
      this.emit('results');
    });
  }

  // ---- WorkbenchContext ------------------------------------------------------------------

  user(): User | null {
    return this.currentUser;
  }
  setUser(user: User | null): void {
    this.currentUser = user;
    this.emit('scenario');
  }
  devices(): readonly DeviceFeature[] {
    return [...this.devs.values()];
  }
  device(id: string): DeviceFeature | undefined {
    return this.devs.get(id);
  }

  async apply(changes: DeviceChange | DeviceChange[], labelKey: string, options: { transient?: boolean; /** false: undo/redo replaying a recorded step (the stacks are left as the caller set them). */ record?: boolean } = {}): Promise<void> {
    const list = Array.isArray(changes) ? changes : [changes];
    const transient = options.transient === true;
    const record = options.record !== false;
    // Check every change against the inventory as it will be, before touching anything.
    const scratch = new Map(this.devs);
    list.forEach((c, k) => {
      checkChange(c, k, scratch);
      applyChange(scratch, c);
    });
    const touched = [...new Set(list.map(changeId))];
    const oldFeatures = new Map(touched.map((id) => [id, this.devs.get(id)]));
    // The simulated form of every touched device afterwards (a CimError names the device and the field).
    const afterFeatures = touched.map((id) => scratch.get(id)).filter((f): f is DeviceFeature => !!f);
    const after = simulatedDevicesOf(this.city, afterFeatures, `device change (${labelKey})`);
    const edits: Edit[] = [];
    for (const id of touched) edits.push(...sessionEditsFor(id, this.simulated.get(id), after.get(id)));

    // Apply to the feature list, recording the inverse.
    const backward: DeviceChange[] = [];
    for (const c of list) backward.unshift(applyChange(this.devs, c));
    const simBefore = new Map(touched.map((id) => [id, this.simulated.get(id)]));
    for (const id of touched) {
      const a = after.get(id);
      if (a) this.simulated.set(id, a);
      else this.simulated.delete(id);
    }
    if (transient) {
      for (const [id, f] of oldFeatures) if (!this.transientBase.has(id)) this.transientBase.set(id, f);
    } else {
      // A recorded step after transient ones: undo goes back to before the first transient change.
      let back = backward;
      if (touched.some((id) => this.transientBase.has(id))) back = this.restoreChanges(touched);
      this.transientBase = new Map([...this.transientBase].filter(([id]) => !touched.includes(id)));
      if (record) {
        this.undoStack.push({ labelKey, forward: list.map(cloneChange), backward: back });
        this.redoStack.length = 0;
      }
      if (this.open) this.open.dirty = true;
    }
    if (this.selected && !this.devs.has(this.selected)) this.select(null);
    this.emit('devices');
    if (edits.length === 0) return;
    this.counters.editBatches++;
    const sent = this.client.edit(edits);
    this.pending.add(sent);
    void sent.then(
      () => this.pending.delete(sent),
      () => this.pending.delete(sent),
    );
    try {
      await sent;
      this.lastError = null;
    } catch (e) {
      // The session refused: put the features back as they were so that list and session agree.
      this.counters.applyErrors++;
      this.lastError = (e as Error).message;
      for (const [id, f] of oldFeatures) {
        if (f) this.devs.set(id, f);
        else this.devs.delete(id);
        const s = simBefore.get(id);
        if (s) this.simulated.set(id, s);
        else this.simulated.delete(id);
      }
      if (!transient && record) this.undoStack.pop();
      this.emit('devices');
      throw e;
    }
  }

  /** Changes that bring `ids` back to their state before the first transient change. */
  private restoreChanges(ids: readonly string[]): DeviceChange[] {
    const out: DeviceChange[] = [];
    for (const id of ids) {
      const base = this.transientBase.has(id) ? this.transientBase.get(id) : undefined;
      const now = this.devs.get(id);
      if (!this.transientBase.has(id)) continue;
      if (!base && now) out.push({ op: 'remove', id });
      else if (base && !now) out.push({ op: 'add', feature: cloneFeature(base) });
      else if (base && now) {
        const props: Record<string, unknown> = {};
        for (const k of new Set([...Object.keys(base.properties), ...Object.keys(now.properties)])) props[k] = k in base.properties ? structuredClone(base.properties[k]) : null;
        out.push({ op: 'update', id, lonLatDeg: [base.geometry.coordinates[0]!, base.geometry.coordinates[1]!], properties: props });
      }
    }
    return out;
  }

  async undo(): Promise<boolean> {
    const step = this.undoStack.pop();
    if (!step) return false;
    // The history is in its final state before replay() emits anything (listeners read history()).
    this.redoStack.push(step);
    try {
      await this.replay(step.backward);
    } catch (e) {
      this.redoStack.pop();
      this.undoStack.push(step);
      this.emit('devices');
      throw e;
    }
    return true;
  }

  async redo(): Promise<boolean> {
    const step = this.redoStack.pop();
    if (!step) return false;
    this.undoStack.push(step);
    try {
      await this.replay(step.forward);
    } catch (e) {
      this.undoStack.pop();
      this.redoStack.push(step);
      this.emit('devices');
      throw e;
    }
    return true;
  }

  /** Applies changes of a recorded step without recording them (undo / redo; the caller has set the stacks). */
  private async replay(changes: DeviceChange[]): Promise<void> {
    await this.apply(changes, 'workbench.history.replay', { record: false });
  }

  private readonly pending = new Set<Promise<unknown>>();
  /** Resolves when every session edit sent so far has been answered. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  /** Labels of the steps that can be undone / redone (newest last). */
  history(): { undo: string[]; redo: string[] } {
    return { undo: this.undoStack.map((s) => s.labelKey), redo: this.redoStack.map((s) => s.labelKey) };
  }

  selection(): string | null {
    return this.selected;
  }
  select(id: string | null): void {
    if (id !== null && !this.devs.has(id)) id = null;
    if (id === this.selected) return;
    this.selected = id;
    this.emit('selection');
  }
  results(): SessionSnapshotBody | null {
    return this.latest;
  }
  scenario(): OpenScenario | null {
    return this.open;
  }
  on(event: WorkbenchEvent, listener: () => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const entry = { listener, owner: this.owner };
    set.add(entry);
    return () => set.delete(entry);
  }
  emit(event: WorkbenchEvent): void {
    for (const { listener, owner } of [...(this.listeners.get(event) ?? [])]) {
      const t0 = performance.now();
      try {
        listener();
      } catch (e) {
        console.error(`workbench: a '${event}' listener of ${owner} failed`, e);
      }
      const ms = performance.now() - t0;
      const key = `${event}\u0000${owner}`;
      const c = this.costs.get(key);
      if (c) {
        c.calls++;
        c.totalMs += ms;
        if (ms > c.maxMs) c.maxMs = ms;
      } else this.costs.set(key, { event, owner, calls: 1, totalMs: ms, maxMs: ms });
    }
  }

  /** Runs `create` with the listeners it registers labelled `owner` (for {@link listenerCosts}). */
  withOwner<T>(owner: string, create: () => T): T {
    const before = this.owner;
    this.owner = owner;
    try {
      return create();
    } finally {
      this.owner = before;
    }
  }

  /**
   * Main-thread time spent synchronously in listeners since the last reset, by event and owner (a
   * listener registered while {@link withOwner} ran carries its label, others 'workbench'), most first.
   */
  listenerCosts(reset = false): ListenerCost[] {
    const out = [...this.costs.values()].map((c) => ({ ...c })).sort((a, b) => b.totalMs - a.totalMs);
    if (reset) this.costs.clear();
    return out;
  }
  highlight(target: HighlightTarget): void {
    this.highlightTarget = { ...target };
    this.emit('highlight');
  }
  highlighted(): HighlightTarget {
    return this.highlightTarget;
  }
  showProposals(features: readonly DeviceFeature[]): void {
    this.proposed = features.map(cloneFeature);
    if (this.picked !== null && !this.proposed.some((f) => f.id === this.picked)) this.picked = null;
    this.emit('proposals');
  }
  pickProposal(id: string | null): void {
    if (id !== null && !this.proposed.some((f) => f.id === id)) id = null;
    this.picked = id;
    this.emit('proposal');
  }
  pickedProposal(): string | null {
    return this.picked;
  }
  proposals(): readonly DeviceFeature[] {
    return this.proposed;
  }
  setVehicles(frame: VehicleFrame | null): void {
    this.vehicleFrame = frame;
    this.emit('vehicles');
  }
  vehicles(): VehicleFrame | null {
    return this.vehicleFrame;
  }
  dragging(): { id: string; mode: 'move' | 'heading' | 'tilt' } | null {
    return this.drag;
  }
  /** Starts, or with null ends, a drag (the interaction layer calls it). */
  setDragging(drag: { id: string; mode: 'move' | 'heading' | 'tilt' } | null): void {
    this.drag = drag;
    this.emit('drag');
  }
  addPicker(picker: Picker): () => void {
    this.pickers.push(picker);
    return () => {
      const k = this.pickers.indexOf(picker);
      if (k >= 0) this.pickers.splice(k, 1);
    };
  }
  private layerListeners = new Set<() => void>();
  addLayerToggle(toggle: LayerToggle): () => void {
    this.layerToggles.push(toggle);
    this.layerListeners.forEach((l) => l());
    return () => {
      const k = this.layerToggles.indexOf(toggle);
      if (k >= 0) this.layerToggles.splice(k, 1);
      this.layerListeners.forEach((l) => l());
    };
  }
  /** Called when the layer list changes (the page re-renders it). */
  onLayersChanged(listener: () => void): void {
    this.layerListeners.add(listener);
  }
  flyTo(lonDeg: number, latDeg: number, rangeM = 400): Promise<void> {
    return this.view.flyTo(lonDeg, latDeg, rangeM);
  }
  requestRender(): void {
    this.view.requestRender();
  }

  // ---- scenarios -------------------------------------------------------------------------

  /**
   * Replaces the whole inventory (a scenario opened, reloaded): history cleared, the session given the
   * new devices (one snapshot), 'devices' and 'scenario' emitted.
   */
  async replaceDevices(devices: readonly DeviceFeature[], scenario: OpenScenario | null): Promise<void> {
    const sim = simulatedDevicesOf(this.city, devices, 'devices');
    this.devs.clear();
    for (const f of devices) this.devs.set(f.id, cloneFeature(f));
    this.simulated.clear();
    for (const [id, d] of sim) this.simulated.set(id, d);
    this.undoStack.length = 0;
    this.redoStack.length = 0;
    this.transientBase.clear();
    this.open = scenario;
    this.selected = null;
    this.emit('devices');
    this.emit('selection');
    this.emit('scenario');
    await this.client.setDevices(inventoryOf(this.simulated));
  }

  /** Marks the open scenario saved as `version` (or opens `scenario`). */
  markSaved(scenario: OpenScenario): void {
    this.open = { ...scenario, dirty: false };
    this.emit('scenario');
  }
}

/** The session inventory for a set of simulated devices. */
export function inventoryOf(sim: ReadonlyMap<string, SimulatedDevice>): { cameras: Extract<SimulatedDevice, { kind: 'camera' }>['spec'][]; cells: Extract<SimulatedDevice, { kind: 'cell' }>['spec'][] } {
  const cameras = [], cells = [];
  for (const d of sim.values()) {
    if (d.kind === 'camera') cameras.push(d.spec);
    else cells.push(d.spec);
  }
  return { cameras, cells };
}

function cloneChange(c: DeviceChange): DeviceChange {
  return structuredClone(c);
}

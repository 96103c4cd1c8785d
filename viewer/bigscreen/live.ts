/**
 * The big screen's link to the server: the scenario it follows, kept in step through server-sent
 * events (`GET /api/scenarios/:id/events`, `event: version` on connect and on every new version).
 * On a version it has not seen it reads the scenario, diffs the devices, sends the simulation session
 * only the edits of what changed (so a camera that goes out of order changes the indicator within one
 * worker round trip) and tells the page. The EventSource reconnects by itself after a drop (the
 * server says `retry: 1000`); when the browser gives up (the server answered an error while
 * restarting) a new one is opened after a second. Every request it makes is a GET: the page cannot
 * change a scenario.
 */
import { cityWithDevices, simulatedDevicesOf, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { City } from '../../sim-core/cim/types.ts';
import type { SessionDelta } from '../../sim-core/session/api.ts';
import type { Edit } from '../../sim-core/session/devices.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import type { SimulationClient } from '../../workers/browser.ts';
import { api, getScenario, type Scenario } from '../api/client.ts';
import { sessionEditsFor } from '../workbench/session-edits.ts';
import { inventoryOf, mergeDelta } from '../workbench/state.ts';
import { deviceChanges, type Alert } from './model.ts';

/** The connection as shown on the screen. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** What the page is told after each applied version. */
export interface LiveUpdate {
  version: number;
  /** Alerts of the device changes (the page adds star alerts from `delta`). */
  alerts: Alert[];
  changedIds: string[];
  /** The session's answer to the edits (null when nothing simulated changed). */
  delta: SessionDelta | null;
  /** Milliseconds from the event's arrival to the results being merged. */
  applyMs: number;
}

/** The id of the scenario the city's big screen follows (`GET /api/cities/:cityId/live-scenario`). */
export async function liveScenarioId(cityId = 'default'): Promise<string> {
  const { data } = await api<{ id?: string; scenarioId?: string }>('GET', `/api/cities/${encodeURIComponent(cityId)}/live-scenario`);
  const id = data.scenarioId ?? data.id;
  if (typeof id !== 'string') throw new Error(`GET /api/cities/${cityId}/live-scenario: the answer names no scenario`);
  return id;
}

/** See the module doc. */
export class LiveScenario {
  readonly scenarioId: string;
  readonly baseCity: City;
  private readonly client: SimulationClient;
  /** Devices of the version applied, by id. */
  private devices = new Map<string, DeviceFeature>();
  /** The city with the applied version's devices (weather stations and signal controllers are read from it). */
  city: City;
  scenario: Scenario | null = null;
  version = 0;
  results: SessionSnapshotBody | null = null;
  state: ConnectionState = 'connecting';
  /** Times the stream (re)opened, and versions applied. */
  connects = 0;
  private source: EventSource | null = null;
  private latestAnnounced = 0;
  private syncing: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private index = { video: new Map<string, number>(), ix: new Map<string, number>(), nr: new Map<string, number>() };
  private eventAtMs = 0;

  onState: (s: ConnectionState) => void = () => undefined;
  onUpdate: (u: LiveUpdate) => void = () => undefined;
  onError: (e: Error) => void = () => undefined;
  /** The city's live scenario is now another one (`event: live-scenario`). */
  onLiveScenario: (scenarioId: string) => void = () => undefined;

  constructor(scenarioId: string, city: City, client: SimulationClient) {
    this.scenarioId = scenarioId;
    this.baseCity = city;
    this.city = city;
    this.client = client;
  }

  /** Loads the latest version into the session (every result), then follows the events. */
  async start(): Promise<SessionSnapshotBody> {
    const s = await getScenario(this.scenarioId);
    await this.client.loadCity(cityWithDevices(this.baseCity, s.devices, `scenario ${s.id} version ${s.version}`));
    const snap = await this.client.setDevices();
    const { seq: _seq, ...body } = snap as SessionSnapshotBody & { seq?: number };
    this.adoptSnapshot(body);
    this.take(s);
    this.open();
    return body;
  }

  private adoptSnapshot(body: SessionSnapshotBody): void {
    this.results = body;
    this.index = { video: new Map(body.video.areas.map((a, i) => [a.id, i])), ix: new Map(body.video.intersections.map((x, i) => [x.nodeId, i])), nr: new Map((body.nr5g?.areas ?? []).map((a, i) => [a.id, i])) };
  }

  private take(s: Scenario): void {
    this.scenario = s;
    this.version = s.version;
    this.devices = new Map(s.devices.map((d) => [d.id, d]));
    this.city = cityWithDevices(this.baseCity, s.devices, `scenario ${s.id} version ${s.version}`);
  }

  private setState(s: ConnectionState): void {
    if (this.state === s) return;
    this.state = s;
    this.onState(s);
  }

  private open(): void {
    if (this.closed) return;
    const source = new EventSource(`/api/scenarios/${encodeURIComponent(this.scenarioId)}/events`);
    this.source = source;
    source.addEventListener('open', () => {
      this.connects++;
      this.setState('connected');
    });
    source.addEventListener('version', (event) => {
      this.setState('connected');
      let data: { version?: number };
      try {
        data = JSON.parse((event as MessageEvent<string>).data) as { version?: number };
      } catch {
        return;
      }
      if (typeof data.version !== 'number') return;
      this.eventAtMs = performance.now();
      this.latestAnnounced = Math.max(this.latestAnnounced, data.version);
      // after a reconnect the server may have lost nothing or been restored from older data: any different version re-syncs
      if (data.version !== this.version) this.sync();
    });
    source.addEventListener('live-scenario', (event) => {
      try {
        const data = JSON.parse((event as MessageEvent<string>).data) as { scenarioId?: string };
        if (typeof data.scenarioId === 'string' && data.scenarioId !== this.scenarioId) this.onLiveScenario(data.scenarioId);
      } catch {
        // not JSON: ignore
      }
    });
    source.addEventListener('error', () => {
      if (this.closed) return;
      this.setState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        // the browser gave up (an error answer while the server restarts): open a new stream shortly
        source.close();
        if (this.reopenTimer === null) this.reopenTimer = setTimeout(() => ((this.reopenTimer = null), this.open()), 1000);
      }
    });
  }

  /** Brings the session to the latest version (one sync at a time; an event during a sync runs one more). */
  private sync(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = this.syncOnce()
      .catch((e: unknown) => this.onError(e instanceof Error ? e : new Error(String(e))))
      .finally(() => {
        this.syncing = null;
        if (this.again) {
          this.again = false;
          this.sync();
        }
      });
  }

  private async syncOnce(): Promise<void> {
    const t0 = this.eventAtMs || performance.now();
    const s = await getScenario(this.scenarioId);
    if (s.version === this.version) return;
    const { changedIds, alerts } = deviceChanges(this.devices, s.devices, s.version);
    const before = this.devices;
    const changedBefore = changedIds.map((id) => before.get(id)).filter((f): f is DeviceFeature => !!f);
    const changedAfter = s.devices.filter((f) => changedIds.includes(f.id));
    const simBefore = simulatedDevicesOf(this.baseCity, changedBefore, `scenario ${s.id} version ${this.version}`);
    const simAfter = simulatedDevicesOf(this.baseCity, changedAfter, `scenario ${s.id} version ${s.version}`);
    const edits: Edit[] = [];
    for (const id of changedIds) edits.push(...sessionEditsFor(id, simBefore.get(id), simAfter.get(id)));
    this.take(s);
    let delta: SessionDelta | null = null;
    if (edits.length > 0) {
      try {
        delta = await this.client.edit(edits);
        if (delta && this.results) mergeDelta(this.results, delta, this.index);
      } catch {
        // an edit the session refused: load every device of the version instead
        const snap = await this.client.setDevices(inventoryOf(simulatedDevicesOf(this.baseCity, s.devices, `scenario ${s.id} version ${s.version}`)));
        const { seq: _seq, ...body } = snap as SessionSnapshotBody & { seq?: number };
        this.adoptSnapshot(body);
      }
    }
    this.onUpdate({ version: s.version, alerts, changedIds, delta, applyMs: performance.now() - t0 });
  }

  /** Stops following. */
  close(): void {
    this.closed = true;
    this.source?.close();
    if (this.reopenTimer !== null) clearTimeout(this.reopenTimer);
  }
}

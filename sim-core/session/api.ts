/**
 * The message-level API of a simulation session: what a worker exposes (through comlink) and what a
 * client calls. Plain data in and out; the city arrives packed in one buffer (sim-core/cim/transfer.ts).
 *
 * Every call that changes or reads results carries a sequence number chosen by the client, strictly
 * increasing; the answer echoes it. A request whose number is not above the last one seen is refused
 * (a replayed or re-ordered request must not be applied twice or out of order).
 */
import { unpackCity } from '../cim/transfer.ts';
import { DeviceSet, EditError, inventoryFromCity, type DeviceInventory, type Edit } from './devices.ts';
import { SimulationSession, type SessionDeltaBody, type SessionInfo, type SessionOptions, type SessionSnapshotBody } from './session.ts';

export interface SessionDelta extends SessionDeltaBody {
  seq: number;
}

export interface SessionSnapshot extends SessionSnapshotBody {
  seq: number;
}

/** Counters of one session API instance (one worker's life). */
export interface SessionStats {
  loads: number;
  deviceSets: number;
  /** Edit batches computed. */
  batches: number;
  /** Edits received in those batches, and applied. */
  editsReceived: number;
  editsApplied: number;
  lastSeq: number;
}

export interface SessionApi {
  /** Loads a packed city and builds the models (no devices yet). */
  load(city: ArrayBuffer | SharedArrayBuffer, options?: SessionOptions): SessionInfo;
  /** Replaces the inventory; `null` takes the city's own cameras and 5G cells. */
  setDevices(inventory: DeviceInventory | null, seq: number): SessionSnapshot;
  /** Applies a batch of edits. */
  edit(edits: Edit[], seq: number): SessionDelta;
  /** Every result. */
  snapshot(seq: number): SessionSnapshot;
  /** The inventory held. */
  inventory(): DeviceInventory;
  stats(): SessionStats;
}

/** Thrown for a call the session cannot answer in its state (no city, stale sequence number). */
export class SessionStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionStateError';
  }
}

/** A fresh session API (one per worker). */
export function createSessionApi(): SessionApi {
  let session: SimulationSession | null = null;
  const stats: SessionStats = { loads: 0, deviceSets: 0, batches: 0, editsReceived: 0, editsApplied: 0, lastSeq: 0 };
  const need = (): SimulationSession => {
    if (!session) throw new SessionStateError('no city loaded: call load() first');
    return session;
  };
  const take = (seq: number, what: string) => {
    if (!Number.isInteger(seq) || seq <= stats.lastSeq) throw new SessionStateError(`${what}: sequence number ${seq} is not above the last one (${stats.lastSeq}); refused as stale`);
    stats.lastSeq = seq;
  };
  return {
    load(city, options = {}) {
      const s = new SimulationSession(unpackCity(city), options);
      session = s;
      stats.loads++;
      return s.info;
    },
    setDevices(inventory, seq) {
      const s = need();
      const inv = inventory ?? inventoryFromCity(s.city);
      new DeviceSet(inv); // check before taking the sequence number
      take(seq, 'setDevices');
      stats.deviceSets++;
      return { seq, ...s.setDevices(inv) };
    },
    edit(edits, seq) {
      const s = need();
      if (!Array.isArray(edits)) throw new EditError('edit() needs an array of edits');
      take(seq, 'edit');
      const body = s.edit(edits);
      stats.batches++;
      stats.editsReceived += edits.length;
      stats.editsApplied += body.applied;
      return { seq, ...body };
    },
    snapshot(seq) {
      const s = need();
      take(seq, 'snapshot');
      return { seq, ...s.snapshot() };
    },
    inventory() {
      return need().inventory();
    },
    stats() {
      return { ...stats };
    },
  };
}

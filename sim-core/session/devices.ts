/**
 * The device inventory of a simulation session and the edits a planner makes to it: add, move,
 * rotate, retune, remove, and change health (完好) or networking (联网). Pure data and pure functions,
 * shared by the session (which applies edits to the coverage models) and by the client that talks to
 * it from another thread (which validates edits before sending them, coalesces a drag into its latest
 * position, and keeps a copy of the inventory to reload a replacement worker after a crash).
 *
 * Every edit of an existing device is expressed as a {@link DevicePatch} of absolute values (a new
 * position, a new heading, …), never a relative step. So two patches of one device merge into one
 * ({@link mergePatches}: later fields win) with the same result as applying both in turn, and edits of
 * different devices commute (coverage depends on the set of devices, not on the order of edits).
 */
import { CAMERA_KINDS, checkCameraSpec, camerasFromDevices, type CameraSpec } from '../coverage/camera.ts';
import { cellSpecsFromCity, resolveCell, type CellSpec } from '../coverage/cellular/cells.ts';
import type { City } from '../cim/types.ts';

/** A 5G cell of the inventory: its spec plus the states the coverage model leaves out. */
export interface CellDevice extends CellSpec {
  /** 完好: a cell that is not healthy covers nothing. */
  healthy: boolean;
  /** 联网 (kept for the ledger; no 5G indicator reads it). */
  networked: boolean;
}

/** The devices a session simulates: cameras (surveillance and e-police) and 5G cells. */
export interface DeviceInventory {
  cameras: CameraSpec[];
  cells: CellDevice[];
}

/** Camera fields a retune may change (besides position, aim and states). */
export type CameraParams = Partial<Pick<CameraSpec, 'kind' | 'hfovDeg' | 'widthPx' | 'heightPx' | 'ptz' | 'panRangeDeg' | 'doriLevel'>>;
/** Cell fields a retune may change (besides position, aim and states). */
export type CellParams = Partial<Omit<CellSpec, 'id' | 'xM' | 'yM' | 'heightM' | 'azimuthDeg' | 'mechanicalTiltDeg'>>;

/**
 * New absolute values for some fields of one device. `headingDeg` / `tiltDeg` are a camera's heading
 * and tilt, or a cell's azimuth and mechanical downtilt.
 */
export interface DevicePatch {
  xM?: number;
  yM?: number;
  heightM?: number;
  headingDeg?: number;
  tiltDeg?: number;
  healthy?: boolean;
  networked?: boolean;
  camera?: CameraParams;
  cell?: CellParams;
}

/** One edit of the inventory. */
export type Edit =
  | { op: 'add'; camera: CameraSpec }
  | { op: 'add'; cell: CellDevice }
  | { op: 'remove'; id: string }
  | { op: 'move'; id: string; xM: number; yM: number; heightM?: number }
  | { op: 'rotate'; id: string; headingDeg?: number; tiltDeg?: number }
  | { op: 'retune'; id: string; camera?: CameraParams; cell?: CellParams }
  | { op: 'health'; id: string; healthy?: boolean; networked?: boolean }
  | { op: 'update'; id: string; patch: DevicePatch };

export type DeviceKind = 'camera' | 'cell';

/** An edit that could not be applied: names the device, the edit and what is wrong. */
export class EditError extends Error {
  readonly deviceId: string | undefined;
  constructor(message: string, deviceId?: string) {
    super(message);
    this.name = 'EditError';
    this.deviceId = deviceId;
  }
}

/** What applying one edit did. */
export interface AppliedEdit {
  kind: DeviceKind;
  id: string;
  /** The device before the edit (undefined for an add). */
  before: CameraSpec | CellDevice | undefined;
  /** The device after the edit (undefined for a remove). */
  after: CameraSpec | CellDevice | undefined;
}

const EDIT_OPS = ['add', 'remove', 'move', 'rotate', 'retune', 'health', 'update'] as const;

/** Id of the device an edit concerns. */
export function editDeviceId(e: Edit): string {
  if (e.op === 'add') return 'camera' in e ? e.camera?.id : e.cell?.id;
  return e.id;
}

/** The patch an edit of an existing device stands for; null for add and remove. */
export function editToPatch(e: Edit): DevicePatch | null {
  switch (e.op) {
    case 'move':
      return e.heightM === undefined ? { xM: e.xM, yM: e.yM } : { xM: e.xM, yM: e.yM, heightM: e.heightM };
    case 'rotate':
      return definedFields({ headingDeg: e.headingDeg, tiltDeg: e.tiltDeg });
    case 'retune':
      return definedFields({ camera: e.camera, cell: e.cell });
    case 'health':
      return definedFields({ healthy: e.healthy, networked: e.networked });
    case 'update':
      return e.patch;
    default:
      return null;
  }
}

/** Patch `b` applied after patch `a`, as one patch (later fields win; retune params merge field by field). */
export function mergePatches(a: DevicePatch, b: DevicePatch): DevicePatch {
  const out: DevicePatch = { ...a, ...b };
  if (a.camera || b.camera) out.camera = { ...a.camera, ...b.camera };
  if (a.cell || b.cell) out.cell = { ...a.cell, ...b.cell };
  return out;
}

function definedFields<T extends object>(o: T): T {
  const out = {} as T;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A camera with a patch applied (not checked). */
export function patchCamera(c: CameraSpec, p: DevicePatch): CameraSpec {
  return {
    ...c,
    ...p.camera,
    id: c.id,
    xM: p.xM ?? c.xM,
    yM: p.yM ?? c.yM,
    heightM: p.heightM ?? c.heightM,
    headingDeg: p.headingDeg ?? c.headingDeg,
    tiltDeg: p.tiltDeg ?? c.tiltDeg,
    healthy: p.healthy ?? c.healthy,
    networked: p.networked ?? c.networked,
    assumed: [...c.assumed],
  };
}

/** A cell with a patch applied (not checked). */
export function patchCell(c: CellDevice, p: DevicePatch): CellDevice {
  return {
    ...c,
    ...p.cell,
    id: c.id,
    xM: p.xM ?? c.xM,
    yM: p.yM ?? c.yM,
    heightM: p.heightM ?? c.heightM,
    azimuthDeg: p.headingDeg ?? c.azimuthDeg,
    mechanicalTiltDeg: p.tiltDeg ?? c.mechanicalTiltDeg,
    healthy: p.healthy ?? c.healthy,
    networked: p.networked ?? c.networked,
  };
}

/** The cell spec the coverage model reads (states stripped). */
export function cellSpecOf(c: CellDevice): CellSpec {
  const { healthy: _h, networked: _n, ...spec } = c;
  return spec;
}

/** Checks a camera; throws an {@link EditError} naming it and the problem. */
export function checkCamera(c: CameraSpec, what = 'camera'): CameraSpec {
  if (!c || typeof c !== 'object') throw new EditError(`${what}: a camera spec object is needed`);
  const problem = checkCameraSpec({ ...c, assumed: c.assumed ?? [] });
  if (problem) throw new EditError(`${what} '${String(c.id)}': ${problem}`, typeof c.id === 'string' ? c.id : undefined);
  if (typeof c.ptz !== 'boolean' || typeof c.healthy !== 'boolean' || typeof c.networked !== 'boolean') throw new EditError(`${what} '${c.id}': ptz, healthy and networked must be true or false`, c.id);
  return { ...c, assumed: [...(c.assumed ?? [])] };
}

/** Checks a cell (all of resolveCell's checks); throws an {@link EditError} naming it and the field. */
export function checkCell(c: CellDevice, what = 'cell'): CellDevice {
  if (!c || typeof c !== 'object') throw new EditError(`${what}: a cell spec object is needed`);
  try {
    resolveCell(cellSpecOf(c));
  } catch (e) {
    throw new EditError(`${what} '${String(c.id)}': ${(e as Error).message}`, typeof c.id === 'string' ? c.id : undefined);
  }
  if (typeof c.healthy !== 'boolean' || typeof c.networked !== 'boolean') throw new EditError(`${what} '${c.id}': healthy and networked must be true or false`, c.id);
  return { ...c };
}

/**
 * The cameras and 5G cells of a city's device table (cameras with the documented defaults of
 * `camerasFromDevices`; every `cell5g` device, the unhealthy ones included with `healthy: false`).
 */
export function inventoryFromCity(city: City): DeviceInventory {
  const d = city.devices;
  const index = new Map<string, number>();
  for (let i = 0; i < d.count; i++) index.set(d.ids[i], i);
  const cells = cellSpecsFromCity(city, { includeUnhealthy: true }).map((s): CellDevice => {
    const i = index.get(s.id)!;
    return { ...s, healthy: d.healthy[i] === 1, networked: d.networked[i] === 1 };
  });
  return { cameras: camerasFromDevices(d), cells };
}

/**
 * The inventory as a mutable set keyed by device id (ids are unique across cameras and cells).
 * Insertion order is kept; a removed and re-added device goes to the end.
 */
export class DeviceSet {
  readonly cameras = new Map<string, CameraSpec>();
  readonly cells = new Map<string, CellDevice>();

  /** Checks and copies every device; throws an {@link EditError} on a bad or duplicate one. */
  constructor(inventory: DeviceInventory = { cameras: [], cells: [] }) {
    if (!inventory || !Array.isArray(inventory.cameras) || !Array.isArray(inventory.cells)) throw new EditError('a device inventory needs arrays `cameras` and `cells`');
    inventory.cameras.forEach((c, k) => {
      const cam = checkCamera(c, `cameras[${k}]`);
      if (this.has(cam.id)) throw new EditError(`cameras[${k}]: duplicate device id '${cam.id}'`, cam.id);
      this.cameras.set(cam.id, cam);
    });
    inventory.cells.forEach((c, k) => {
      const cell = checkCell(c, `cells[${k}]`);
      if (this.has(cell.id)) throw new EditError(`cells[${k}]: duplicate device id '${cell.id}'`, cell.id);
      this.cells.set(cell.id, cell);
    });
  }

  get size(): number {
    return this.cameras.size + this.cells.size;
  }

  has(id: string): boolean {
    return this.cameras.has(id) || this.cells.has(id);
  }

  kindOf(id: string): DeviceKind | undefined {
    return this.cameras.has(id) ? 'camera' : this.cells.has(id) ? 'cell' : undefined;
  }

  toInventory(): DeviceInventory {
    return { cameras: [...this.cameras.values()], cells: [...this.cells.values()] };
  }

  clone(): DeviceSet {
    const s = new DeviceSet();
    for (const [id, c] of this.cameras) s.cameras.set(id, c);
    for (const [id, c] of this.cells) s.cells.set(id, c);
    return s;
  }

  /**
   * What `edit` would do, checked but not applied; throws an {@link EditError} naming the device and
   * the problem when it cannot be applied (unknown id, duplicate add, a field out of range, camera
   * params on a cell …).
   */
  plan(edit: Edit): AppliedEdit {
    if (!edit || typeof edit !== 'object' || !EDIT_OPS.includes(edit.op)) throw new EditError(`an edit needs op: one of ${EDIT_OPS.join(', ')}; got ${JSON.stringify((edit as { op?: unknown })?.op)}`);
    if (edit.op === 'add') {
      if ('camera' in edit && edit.camera) {
        const c = checkCamera(edit.camera, 'added camera');
        if (this.has(c.id)) throw new EditError(`add: device '${c.id}' already exists`, c.id);
        return { kind: 'camera', id: c.id, before: undefined, after: c };
      }
      if ('cell' in edit && edit.cell) {
        const c = checkCell(edit.cell, 'added cell');
        if (this.has(c.id)) throw new EditError(`add: device '${c.id}' already exists`, c.id);
        return { kind: 'cell', id: c.id, before: undefined, after: c };
      }
      throw new EditError('add needs a `camera` or a `cell`');
    }
    const id = edit.id;
    if (typeof id !== 'string' || !id) throw new EditError(`${edit.op} needs a device id`);
    const kind = this.kindOf(id);
    if (!kind) throw new EditError(`${edit.op}: no device '${id}' in the inventory`, id);
    const before = kind === 'camera' ? this.cameras.get(id)! : this.cells.get(id)!;
    if (edit.op === 'remove') return { kind, id, before, after: undefined };
    const patch = editToPatch(edit)!;
    if (!patch || typeof patch !== 'object') throw new EditError(`${edit.op} of '${id}' needs a patch`, id);
    if (edit.op === 'move' && !(Number.isFinite(edit.xM) && Number.isFinite(edit.yM))) throw new EditError(`move of '${id}': xM and yM must be finite numbers`, id);
    if (kind === 'camera') {
      if (patch.cell) throw new EditError(`retune of camera '${id}' with cell parameters`, id);
      return { kind, id, before, after: checkCamera(patchCamera(before as CameraSpec, patch)) };
    }
    if (patch.camera) throw new EditError(`retune of cell '${id}' with camera parameters`, id);
    return { kind, id, before, after: checkCell(patchCell(before as CellDevice, patch)) };
  }

  /** Applies a planned edit. */
  commit(a: AppliedEdit): void {
    const map = (a.kind === 'camera' ? this.cameras : this.cells) as Map<string, CameraSpec | CellDevice>;
    if (a.after === undefined) map.delete(a.id);
    else map.set(a.id, a.after);
  }

  /** Checks and applies one edit; throws an {@link EditError} (and changes nothing) when it cannot be applied. */
  apply(edit: Edit): AppliedEdit {
    const a = this.plan(edit);
    this.commit(a);
    return a;
  }
}

/**
 * Appends `edit` to a queue of edits not yet sent, coalescing: a patch of a device whose latest queued
 * edit is a patch (or its add) is merged into that edit instead of queued behind it; a remove drops the
 * device's queued patches (and, with its queued add, the add as well). The queue then holds at most one
 * patch per device, so a drag of 50 positions sends only the latest. Mutates and returns `queue`.
 */
export function coalesceInto(queue: Edit[], edit: Edit): Edit[] {
  const id = editDeviceId(edit);
  let last = -1;
  for (let k = queue.length - 1; k >= 0; k--) {
    if (editDeviceId(queue[k]) === id) {
      last = k;
      break;
    }
  }
  const patch = editToPatch(edit);
  if (last < 0) {
    queue.push(patch ? { op: 'update', id, patch } : edit);
    return queue;
  }
  const prev = queue[last];
  if (patch) {
    const prevPatch = editToPatch(prev);
    if (prevPatch) queue[last] = { op: 'update', id, patch: mergePatches(prevPatch, patch) };
    else if (prev.op === 'add' && 'camera' in prev) queue[last] = { op: 'add', camera: patchCamera(prev.camera, patch) };
    else if (prev.op === 'add' && 'cell' in prev) queue[last] = { op: 'add', cell: patchCell(prev.cell, patch) };
    else queue.push({ op: 'update', id, patch }); // after a queued remove: the patch will fail, as it should
    return queue;
  }
  if (edit.op === 'remove') {
    // Drop the device's queued patches back to its last add or remove.
    let k = last;
    while (k >= 0) {
      const e = queue[k];
      if (editDeviceId(e) === id) {
        if (editToPatch(e)) queue.splice(k, 1);
        else if (e.op === 'add') {
          queue.splice(k, 1); // added and removed before either was sent: nothing to send
          return queue;
        } else break;
      }
      k--;
    }
  }
  queue.push(edit);
  return queue;
}

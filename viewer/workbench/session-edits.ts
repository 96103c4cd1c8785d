/**
 * The workbench's device list and its link to the simulation session, without any DOM or Cesium (so it
 * is tested in Node): {@link applyChange} applies a {@link DeviceChange} to a feature map and returns
 * its inverse (for undo); {@link sessionEditsFor} turns what a change did to one device into the
 * session edits (add / remove / move / rotate / retune / health) that bring the worker's inventory to
 * the same state.
 */
import type { CameraSpec } from '../../sim-core/coverage/camera.ts';
import type { SimulatedDevice } from '../../sim-core/cim/device-features.ts';
import type { CameraParams, CellParams, Edit } from '../../sim-core/session/devices.ts';
import type { DeviceChange } from './context.ts';
import type { DeviceFeature } from '../api/client.ts';

/** A deep enough copy of a feature (its properties and coordinates are never shared). */
export function cloneFeature(f: DeviceFeature): DeviceFeature {
  return { type: 'Feature', id: f.id, geometry: { type: 'Point', coordinates: [...f.geometry.coordinates] }, properties: structuredClone(f.properties) };
}

/** Checks the shape of a change; throws an Error naming the change and the field. */
export function checkChange(c: DeviceChange, index: number, devices: ReadonlyMap<string, DeviceFeature>): void {
  const where = `device change ${index}`;
  if (!c || typeof c !== 'object') throw new Error(`${where}: not an object`);
  if (c.op === 'add') {
    const f = c.feature;
    if (!f || typeof f.id !== 'string' || !f.id) throw new Error(`${where} (add): feature.id must be a non-empty string`);
    if (devices.has(f.id)) throw new Error(`${where} (add): device '${f.id}' already exists`);
    const xy = f.geometry?.coordinates;
    if (f.geometry?.type !== 'Point' || !Array.isArray(xy) || !Number.isFinite(xy[0]) || !Number.isFinite(xy[1])) throw new Error(`${where} (add '${f.id}'): geometry must be a Point with finite lon, lat`);
    if (!f.properties || typeof f.properties.deviceType !== 'string') throw new Error(`${where} (add '${f.id}'): properties.deviceType is required`);
    return;
  }
  if (c.op === 'remove' || c.op === 'update') {
    if (!devices.has(c.id)) throw new Error(`${where} (${c.op}): no device '${c.id}'`);
    if (c.op === 'update' && c.lonLatDeg && !(Number.isFinite(c.lonLatDeg[0]) && Number.isFinite(c.lonLatDeg[1]))) throw new Error(`${where} (update '${c.id}'): lonLatDeg must be two finite numbers`);
    return;
  }
  throw new Error(`${where}: op must be add, remove or update`);
}

/**
 * Applies one change to `devices` (a Map keeps the inventory's order; an updated device keeps its
 * place) and returns the change that undoes it.
 */
export function applyChange(devices: Map<string, DeviceFeature>, c: DeviceChange): DeviceChange {
  if (c.op === 'add') {
    const f = cloneFeature(c.feature);
    if (c.beforeId !== undefined && devices.has(c.beforeId)) {
      // A Map keeps insertion order: rebuild it with the device in its place.
      const entries = [...devices];
      devices.clear();
      for (const [id, d] of entries) {
        if (id === c.beforeId) devices.set(f.id, f);
        devices.set(id, d);
      }
    } else devices.set(f.id, f);
    return { op: 'remove', id: c.feature.id };
  }
  const old = devices.get(c.id);
  if (!old) throw new Error(`${c.op}: no device '${c.id}'`);
  if (c.op === 'remove') {
    let next: string | undefined;
    let found = false;
    for (const id of devices.keys()) {
      if (found) {
        next = id;
        break;
      }
      found = id === c.id;
    }
    devices.delete(c.id);
    return next === undefined ? { op: 'add', feature: old } : { op: 'add', feature: old, beforeId: next };
  }
  const next = cloneFeature(old);
  const inverse: { op: 'update'; id: string; lonLatDeg?: [number, number]; properties?: Record<string, unknown> } = { op: 'update', id: c.id };
  if (c.lonLatDeg) {
    inverse.lonLatDeg = [old.geometry.coordinates[0]!, old.geometry.coordinates[1]!];
    next.geometry.coordinates = [c.lonLatDeg[0], c.lonLatDeg[1]];
  }
  if (c.properties) {
    inverse.properties = {};
    for (const [k, v] of Object.entries(c.properties)) {
      inverse.properties[k] = k in old.properties ? structuredClone(old.properties[k]) : null;
      if (v === null) delete next.properties[k];
      else next.properties[k] = structuredClone(v);
    }
  }
  devices.set(c.id, next);
  return inverse;
}

/** The ids a change touches. */
export function changeId(c: DeviceChange): string {
  return c.op === 'add' ? c.feature.id : c.id;
}

const CAMERA_PARAMS = ['kind', 'hfovDeg', 'widthPx', 'heightPx', 'ptz', 'panRangeDeg', 'doriLevel'] as const;
const CELL_FIXED = new Set(['id', 'xM', 'yM', 'heightM', 'azimuthDeg', 'mechanicalTiltDeg', 'healthy', 'networked']);

const same = (a: unknown, b: unknown): boolean => Object.is(a, b) || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));

/**
 * The session edits that turn device `before` into `after` (either may be undefined: an add, a remove,
 * or a device the session does not hold). A change of kind (a camera turned into a cell) is a remove
 * and an add. Nothing when the simulated device is unchanged (a renamed camera, a moved weather station).
 */
export function sessionEditsFor(id: string, before: SimulatedDevice | undefined, after: SimulatedDevice | undefined): Edit[] {
  if (!before && !after) return [];
  if (!after) return [{ op: 'remove', id }];
  const add = (d: SimulatedDevice): Edit => (d.kind === 'camera' ? { op: 'add', camera: d.spec } : { op: 'add', cell: d.spec });
  if (!before) return [add(after)];
  if (before.kind !== after.kind) return [{ op: 'remove', id }, add(after)];
  const edits: Edit[] = [];
  const b = before.spec, a = after.spec;
  if (!same(b.xM, a.xM) || !same(b.yM, a.yM) || !same(b.heightM, a.heightM)) edits.push({ op: 'move', id, xM: a.xM, yM: a.yM, heightM: a.heightM });
  if (before.kind === 'camera' && after.kind === 'camera') {
    const rot: { headingDeg?: number; tiltDeg?: number } = {};
    if (!same(before.spec.headingDeg, after.spec.headingDeg)) rot.headingDeg = after.spec.headingDeg;
    if (!same(before.spec.tiltDeg, after.spec.tiltDeg)) rot.tiltDeg = after.spec.tiltDeg;
    if (rot.headingDeg !== undefined || rot.tiltDeg !== undefined) edits.push({ op: 'rotate', id, ...rot });
    const camera: CameraParams = {};
    let changed = false;
    for (const k of CAMERA_PARAMS) {
      if (!same(before.spec[k], after.spec[k])) {
        (camera as Record<string, unknown>)[k] = (after.spec as CameraSpec)[k];
        changed = true;
      }
    }
    if (changed) edits.push({ op: 'retune', id, camera });
  } else if (before.kind === 'cell' && after.kind === 'cell') {
    const rot: { headingDeg?: number; tiltDeg?: number } = {};
    if (!same(before.spec.azimuthDeg, after.spec.azimuthDeg) && Number.isFinite(after.spec.azimuthDeg)) rot.headingDeg = after.spec.azimuthDeg;
    if (!same(before.spec.mechanicalTiltDeg, after.spec.mechanicalTiltDeg) && Number.isFinite(after.spec.mechanicalTiltDeg)) rot.tiltDeg = after.spec.mechanicalTiltDeg;
    if (rot.headingDeg !== undefined || rot.tiltDeg !== undefined) edits.push({ op: 'rotate', id, ...rot });
    const cell: CellParams = {};
    let changed = false;
    const keys = new Set([...Object.keys(before.spec), ...Object.keys(after.spec)]);
    for (const k of keys) {
      if (CELL_FIXED.has(k)) continue;
      const va = (after.spec as unknown as Record<string, unknown>)[k];
      if (!same((before.spec as unknown as Record<string, unknown>)[k], va)) {
        (cell as Record<string, unknown>)[k] = va;
        changed = true;
      }
    }
    if (changed) edits.push({ op: 'retune', id, cell });
    // an azimuth that became omnidirectional (NaN) cannot be a rotate: re-add the cell
    if ((!Number.isFinite(after.spec.azimuthDeg ?? NaN) && Number.isFinite(before.spec.azimuthDeg ?? NaN)) || (!Number.isFinite(after.spec.mechanicalTiltDeg ?? NaN) && Number.isFinite(before.spec.mechanicalTiltDeg ?? NaN))) {
      return [{ op: 'remove', id }, add(after)];
    }
  }
  if (!same(b.healthy, a.healthy) || !same(b.networked, a.networked)) edits.push({ op: 'health', id, healthy: a.healthy, networked: a.networked });
  return edits;
}

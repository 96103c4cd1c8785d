/**
 * Helpers shared by the worker tests in Node (workers/*.test.ts) and in Chromium (e2e/workers.spec.ts):
 * seeded what-if edits, the expected results computed by sim-core in the test's own thread, and many
 * seeded camera copies for long pool jobs. Test code only.
 */
import type { City } from '../sim-core/cim/types.ts';
import type { CameraSpec } from '../sim-core/coverage/camera.ts';
import { mulberry32 } from '../sim-core/random.ts';
import type { DeviceInventory, Edit } from '../sim-core/session/devices.ts';
import { SimulationSession, type SessionOptions, type SessionSnapshotBody } from '../sim-core/session/session.ts';

/** Seeded edits of the inventory's cameras: moves (±15 m), rotations, lens retunes, health changes. */
export function seededEdits(inv: DeviceInventory, n: number, seed: number): Edit[] {
  const rnd = mulberry32(seed);
  const cams = inv.cameras;
  return Array.from({ length: n }, (): Edit => {
    const c = cams[Math.floor(rnd() * cams.length)];
    const r = rnd();
    if (r < 0.5) return { op: 'move', id: c.id, xM: c.xM + (rnd() - 0.5) * 30, yM: c.yM + (rnd() - 0.5) * 30 };
    if (r < 0.75) return { op: 'rotate', id: c.id, headingDeg: rnd() * 360 };
    if (r < 0.9) return { op: 'retune', id: c.id, camera: { hfovDeg: 30 + rnd() * 60 } };
    return { op: 'health', id: c.id, healthy: rnd() < 0.5 };
  });
}

/** What sim-core gives in this thread for the same inventory and batches of edits. */
export function expectedSnapshot(city: City, options: SessionOptions, inventory: DeviceInventory, batches: Edit[][]): SessionSnapshotBody {
  const s = new SimulationSession(city, options);
  s.setDevices(inventory);
  for (const b of batches) s.edit(b);
  return s.snapshot();
}

/** An answer without its sequence number (to compare with {@link expectedSnapshot}). */
export function withoutSeq<T extends { seq: number }>(x: T): Omit<T, 'seq'> {
  const { seq: _seq, ...rest } = x;
  return rest;
}

/** `n` copies of the inventory's cameras with new ids, seeded offsets (±20 m) and headings. */
export function cameraCopies(cameras: CameraSpec[], n: number, seed: number): CameraSpec[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, k) => {
    const c = cameras[k % cameras.length];
    return { ...c, id: `copy-${k}`, xM: c.xM + (rnd() - 0.5) * 40, yM: c.yM + (rnd() - 0.5) * 40, headingDeg: rnd() * 360 };
  });
}

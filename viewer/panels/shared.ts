/**
 * State the panels share between their mounts: the indicator row selected in the indicator panel (the
 * blind-spot layer follows it), and the city loaded into the workbench's worker pool (one key per
 * context, loaded on first use).
 */
import type { WorkbenchContext } from '../workbench/context.ts';

type Listener = (rowId: string) => void;

const selected = new WeakMap<WorkbenchContext, string>();
const listeners = new WeakMap<WorkbenchContext, Set<Listener>>();

/** The default selected row: HD video coverage. */
export const DEFAULT_SELECTED_ROW = 'video_completeness';

/** The indicator row selected in the indicator panel. */
export function selectedRow(ctx: WorkbenchContext): string {
  return selected.get(ctx) ?? DEFAULT_SELECTED_ROW;
}

/** Selects an indicator row (the blind-spot layer follows it). */
export function selectRow(ctx: WorkbenchContext, rowId: string): void {
  if (selected.get(ctx) === rowId) return;
  selected.set(ctx, rowId);
  for (const l of listeners.get(ctx) ?? []) l(rowId);
}

/** Calls `fn` when the selected row changes; returns the unsubscribe function. */
export function onSelectedRow(ctx: WorkbenchContext, fn: Listener): () => void {
  let set = listeners.get(ctx);
  if (!set) listeners.set(ctx, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

const poolKeys = new WeakMap<WorkbenchContext, Promise<string>>();

/** The key of `ctx.city` in `ctx.pool`, loading it on first use (a failed load is tried again next time). */
export function poolCityKey(ctx: WorkbenchContext): Promise<string> {
  let p = poolKeys.get(ctx);
  if (!p) {
    p = ctx.pool.loadCity(ctx.city);
    poolKeys.set(ctx, p);
    p.catch(() => poolKeys.delete(ctx));
  }
  return p;
}

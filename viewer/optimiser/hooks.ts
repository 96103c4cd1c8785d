/**
 * `window.__cimtwin.optgw`: what browser tests read of the optimiser and green-wave panels (their state
 * as the panels hold it; the tests drive the panels through their real controls).
 */
import '../hooks.ts';

declare module '../hooks.ts' {
  interface CimtwinHooks {
    /** The optimiser and green-wave panels (viewer/optimiser/hooks.ts). */
    optgw?: OptgwHooks;
  }
}

/** The optimiser panel's state. */
export interface OptimiserState {
  status: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  jobId: string | null;
  progress: number;
  phase: string;
  /** Every distinct phase the running job reported, in order. */
  phasesSeen: string[];
  error: string | null;
  proposals: { id: string; rank: number; device: string; state: 'pending' | 'accepted' | 'rejected'; deviceIds: string[]; lonDeg: number; latDeg: number; completes: string[]; advances: string[] }[];
  /** Proposals shown as ghosts now (ctx.proposals()). */
  ghosts: number;
}

/** The green-wave panel's state. */
export interface GreenwaveState {
  status: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  jobId: string | null;
  progress: number;
  phase: string;
  error: string | null;
  corridorId: string | null;
  /** Intersections highlighted in 3D now (ctx.highlighted()). */
  highlighted: string[];
  /** The corridor drawn in Cesium by the panel: line vertices and signal points. */
  corridor3d: { vertices: number; signals: number };
  method: string | null;
  signals: number;
  bandwidthS: { outbound: number; inbound: number } | null;
  efficiency: number | null;
  offsetsS: number[];
  /** Diagram frames drawn (deck.gl onAfterRender). */
  diagramFrames: number;
  /** Animation clock, s. */
  clockS: number;
  playing: boolean;
  /** Vehicles drawn in 3D now and the first few positions (lon, lat). */
  vehicles: number;
  vehicleSample: number[];
}

export interface OptgwHooks {
  optimiser?: () => OptimiserState;
  greenwave?: () => GreenwaveState;
  /** Counts diagram pixels by colour class (green bars, band fill) from the deck.gl canvas. */
  diagramPixels?: () => { green: number; red: number; bandOutbound: number; bandInbound: number; total: number } | null;
}

/** The hooks object, created on first use. */
export function optgwHooks(): OptgwHooks {
  const w = window as Window;
  w.__cimtwin ??= { ready: false, buildingCount: 0, timings: {} };
  return (w.__cimtwin.optgw ??= {});
}

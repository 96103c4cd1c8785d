// Web Worker of the blind-spot layer (viewer/panels/blindspots-layer.ts): one BlindSpotEngine that
// follows the workbench's device list and answers the uncovered points of a kind as ground squares.
import { expose, transfer } from 'comlink';
import { unpackCity } from '../../sim-core/cim/transfer.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { ellipsoidalHeightM } from '../workbench/heights.ts';
import { AGGREGATION_FACTORS, aggregateLevel, BlindSpotEngine, squareMesh, type AggregatedLevel, type BlindSpotKind } from './blindspots-engine.ts';

/** Height of the squares above the city's ground, m (over the ground plate, key areas, roads and the RSRP raster). */
const SQUARE_HEIGHT_M = 1.4;

let engine: BlindSpotEngine | null = null;

export interface BlindSpotAnswer {
  kind: BlindSpotKind;
  count: number;
  approaches: number | null;
  cellM: number;
  squares: number;
  positionsM: Float64Array;
  indices: Uint32Array;
  /** The same points aggregated into coarser cells (AGGREGATION_FACTORS × `cellM`), finest first. */
  levels: AggregatedLevel[];
  /** Edits the engine needed to follow the device list, and the time taken in the worker, ms. */
  edits: number;
  computeMs: number;
}

const api = {
  load(packed: ArrayBuffer): { buildMs: number } {
    const t0 = performance.now();
    engine = new BlindSpotEngine(unpackCity(packed));
    return { buildMs: performance.now() - t0 };
  },
  blindSpots(devices: DeviceFeature[], kind: BlindSpotKind): BlindSpotAnswer {
    if (!engine) throw new Error('blind spots: no city loaded');
    const t0 = performance.now();
    const edits = engine.setDevices(devices);
    const p = engine.points(kind);
    const heightM = ellipsoidalHeightM(engine.city.origin, SQUARE_HEIGHT_M);
    const mesh = squareMesh(engine.city, p, heightM);
    const levels = AGGREGATION_FACTORS.map((f) => aggregateLevel(engine!.city, p, f * p.cellM, heightM));
    const answer: BlindSpotAnswer = { kind, count: p.count, approaches: p.approaches ?? null, cellM: p.cellM, squares: mesh.squares, positionsM: mesh.positionsM, indices: mesh.indices, levels, edits, computeMs: performance.now() - t0 };
    const buffers: ArrayBuffer[] = [mesh.positionsM.buffer as ArrayBuffer, mesh.indices.buffer as ArrayBuffer];
    for (const l of levels) for (const m of l.classes) buffers.push(m.positionsM.buffer as ArrayBuffer, m.indices.buffer as ArrayBuffer);
    return transfer(answer, buffers);
  },
};

export type BlindSpotWorkerApi = typeof api;

expose(api);

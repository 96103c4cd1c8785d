import { describe, expect, it } from 'vitest';
import { PrismIndex } from '../../spatial/prism-index.ts';
import { MountedAntenna } from './antenna.ts';
import { resolveCell, type CellSpec } from './cells.ts';
import { gridOverBBox, rasterizeFootprints } from './grid.ts';
import { noisePerReDbm } from './link-budget.ts';
import { NrCoverageModel, NrSampleSet } from './model.ts';
import { pathLoss38901 } from './path-loss.ts';
import { throughWallLossDb } from './o2i.ts';
import { testCells, testScene } from './test-scene.ts';

const scene = (seed = 7) => testScene(seed);
const cells = (seed = 3, masts = 6) => testCells(seed, masts);

const EXTENT = { minX: 0, minY: 0, maxX: 700, maxY: 700 };

/** Every link evaluated and ray-tested, straight from the formulas (no pruning). */
function bruteForce(index: PrismIndex, specs: CellSpec[], xy: Float64Array, indoorB: Int32Array, d2DIn: Float32Array, opts: { maxRadiusM: number; o2i?: 'low-loss'; floorDbm: number }) {
  const resolved = specs.map(resolveCell);
  const n = xy.length / 2;
  const rsrp = new Float64Array(n).fill(NaN);
  const best = new Int32Array(n).fill(-1);
  const sinr = new Float64Array(n).fill(NaN);
  for (let s = 0; s < n; s++) {
    const x = xy[2 * s];
    const y = xy[2 * s + 1];
    const ib = indoorB[s];
    if (ib >= 0 && !opts.o2i) continue;
    const vals: number[] = [];
    for (const c of resolved) {
      const d = Math.hypot(x - c.xM, y - c.yM);
      if (d > opts.maxRadiusM) {
        vals.push(-Infinity);
        continue;
      }
      const mb = index.buildingAt(c.xM, c.yM, c.heightM);
      const los = !index.segmentBlocked(x, y, 1.5, c.xM, c.yM, c.heightM, ib >= 0 ? ib : mb);
      const pl = pathLoss38901({ scenario: c.scenario, los, fcGHz: c.fcGHz, d2DM: d, hBsM: c.heightM, hUtM: 1.5, ranges: 'planning' }).pathLossDb;
      const g = new MountedAntenna(c.antenna, c.azimuthDeg, c.mechanicalTiltDeg, c.electricalTiltDeg, c.omni).gainTowardDbi(x - c.xM, y - c.yM, 1.5 - c.heightM);
      const o2i = ib >= 0 ? throughWallLossDb('low-loss', c.fcGHz) + 0.5 * d2DIn[s] : 0;
      vals.push(c.epreDbm + g - pl - o2i);
    }
    let bi = -1;
    let bv = opts.floorDbm;
    vals.forEach((v, i) => {
      if (v > bv) {
        bv = v;
        bi = i;
      }
    });
    if (bi < 0) continue;
    rsrp[s] = bv;
    best[s] = bi;
    let interf = 10 ** (noisePerReDbm(resolved[bi].scsKHz) / 10);
    vals.forEach((v, i) => {
      if (i !== bi && resolved[i].carrier === resolved[bi].carrier && v > -Infinity) interf += 10 ** (v / 10);
    });
    sinr[s] = bv - 10 * Math.log10(interf);
  }
  return { rsrp, best, sinr };
}

describe('NrCoverageModel', () => {
  const { index } = scene();
  const specs = cells();
  const grid = gridOverBBox(EXTENT, 10);

  it('equals a brute-force evaluation of every link, with far fewer rays', () => {
    const model = new NrCoverageModel(index, { extent: EXTENT, maxRadiusM: 450 });
    model.setCells(specs);
    const set = model.addSampleSet(NrSampleSet.fromGrid(grid, index));
    model.compute();
    const ref = bruteForce(index, specs, set.xyM, set.indoorBuilding, set.d2DInM, { maxRadiusM: 450, floorDbm: -140 });
    let compared = 0;
    for (let s = 0; s < set.count; s++) {
      if (Number.isNaN(ref.rsrp[s])) {
        expect(set.rsrpDbm[s]).toBeNaN();
        continue;
      }
      expect(set.rsrpDbm[s]).toBeCloseTo(ref.rsrp[s], 9);
      expect(model.cellId(set.bestCell[s])).toBe(specs[ref.best[s]].id);
      compared++;
    }
    expect(compared).toBeGreaterThan(3000);
    // a brute force casts one ray per cell link (3 per mast link here); the model at most one per mast
    // link, and prunes the links that cannot win
    expect(model.counters.rays).toBeLessThan(0.8 * model.counters.links);
    // some samples are in sight of their server, some are not
    const losCount = set.los.reduce((a, v) => a + v, 0);
    expect(losCount).toBeGreaterThan(100);
    expect(losCount).toBeLessThan(compared - 100);
  });

  it('O2I: indoor samples lose the through-wall and indoor loss and skip their own building', () => {
    const model = new NrCoverageModel(index, { extent: EXTENT, maxRadiusM: 450, o2i: 'low-loss' });
    model.setCells(specs);
    const set = model.addSampleSet(NrSampleSet.fromGrid(grid, index));
    model.compute();
    const ref = bruteForce(index, specs, set.xyM, set.indoorBuilding, set.d2DInM, { maxRadiusM: 450, o2i: 'low-loss', floorDbm: -140 });
    let indoor = 0;
    for (let s = 0; s < set.count; s++) {
      if (set.indoorBuilding[s] < 0 || Number.isNaN(ref.rsrp[s])) continue;
      indoor++;
      expect(set.rsrpDbm[s]).toBeCloseTo(ref.rsrp[s], 9);
    }
    expect(indoor).toBeGreaterThan(1000);
  });

  it('SINR within the stated tolerance of the exact value, never pessimistic', () => {
    const model = new NrCoverageModel(index, { extent: EXTENT, maxRadiusM: 450, sinr: true, sinrToleranceDb: 0.05 });
    model.setCells(specs);
    const set = model.addSampleSet(NrSampleSet.fromGrid(gridOverBBox(EXTENT, 25), index));
    model.compute();
    const ref = bruteForce(index, specs, set.xyM, set.indoorBuilding, set.d2DInM, { maxRadiusM: 450, floorDbm: -140 });
    const sinr = set.sinrDb as Float32Array;
    let n = 0;
    for (let s = 0; s < set.count; s++) {
      if (Number.isNaN(ref.sinr[s])) continue;
      n++;
      const err = sinr[s] - ref.sinr[s];
      expect(err).toBeGreaterThan(-1e-3);
      expect(err).toBeLessThan(0.05 + 1e-3);
    }
    expect(n).toBeGreaterThan(300);
  });

  it('incremental add / move / retune / remove equals a full recomputation', () => {
    const edits: (CellSpec | string)[] = [
      { id: 'new1', xM: 350, yM: 25, heightM: 28, azimuthDeg: 10 },
      { ...specs[4], xM: (specs[4].xM as number) + 60 }, // move one sector off its mast
      { ...specs[7], txPowerDbm: 46, electricalTiltDeg: 9 }, // retune
      specs[10].id, // remove
      { ...specs[0], azimuthDeg: 200 }, // turn
      'new1',
      { id: 'new2', xM: 600, yM: 600, heightM: 12, band: 'n28' },
    ];
    const model = new NrCoverageModel(index, { extent: EXTENT, maxRadiusM: 400 });
    model.setCells(specs);
    const set = model.addSampleSet(NrSampleSet.fromGrid(grid, index));
    const pts = model.addSampleSet(NrSampleSet.fromPoints(Float64Array.from([100, 100, 333, 12, 690, 690, 20, 500]), index));
    model.compute();
    let final = specs.slice();
    for (const e of edits) {
      if (typeof e === 'string') {
        model.removeCell(e);
        final = final.filter((c) => c.id !== e);
      } else {
        const r = model.setCell(e);
        expect(r.touched).toBeGreaterThan(0);
        expect(r.touched).toBeLessThan(set.count + pts.count); // only the cell's reach
        final = final.some((c) => c.id === e.id) ? final.map((c) => (c.id === e.id ? e : c)) : [...final, e];
      }
    }
    const fresh = new NrCoverageModel(index, { extent: EXTENT, maxRadiusM: 400 });
    fresh.setCells(final);
    const set2 = fresh.addSampleSet(NrSampleSet.fromGrid(grid, index));
    const pts2 = fresh.addSampleSet(NrSampleSet.fromPoints(Float64Array.from([100, 100, 333, 12, 690, 690, 20, 500]), index));
    fresh.compute();
    for (const [a, b] of [[set, set2], [pts, pts2]] as const) {
      for (let s = 0; s < a.count; s++) {
        if (Number.isNaN(b.rsrpDbm[s])) expect(a.rsrpDbm[s]).toBeNaN();
        else expect(a.rsrpDbm[s]).toBe(b.rsrpDbm[s]);
        expect(model.cellId(a.bestCell[s])).toBe(fresh.cellId(b.bestCell[s]));
        expect(a.los[s]).toBe(b.los[s]);
      }
    }
  });

  it('refuses samples outside the extent and bad options', () => {
    const model = new NrCoverageModel(index, { extent: EXTENT });
    expect(() => model.addSampleSet(NrSampleSet.fromPoints(Float64Array.from([800, 10]), index))).toThrow(/outside the model extent/);
    expect(() => new NrCoverageModel(index, { extent: EXTENT, maxRadiusM: 6000 })).toThrow(/5 km/);
    expect(() => model.removeCell('nope')).toThrow(/no cell 'nope'/);
  });
});

describe('grid rasterisation', () => {
  it('marks exactly the cells whose centre is inside a footprint', () => {
    const { city, index } = scene(11);
    const g = gridOverBBox(EXTENT, 7);
    const ids = rasterizeFootprints(g, city.buildings);
    let inside = 0;
    for (let row = 0; row < g.ny; row++) {
      for (let col = 0; col < g.nx; col++) {
        const x = g.originXM + (col + 0.5) * g.cellM;
        const y = g.originYM + (row + 0.5) * g.cellM;
        const b = index.buildingAt(x, y, 0);
        expect(ids[row * g.nx + col] >= 0).toBe(b >= 0);
        if (b >= 0) inside++;
      }
    }
    expect(inside).toBeGreaterThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../sim-core/random.ts';
import { createArterial, type GreenWavePlan } from '../../sim-core/signal/arterial.ts';
import { solveNumerical } from '../../sim-core/signal/numerical.ts';
import { solveOneWay } from '../../sim-core/signal/oneway.ts';
import { corridorRequestNodes, findCorridors } from './corridors.ts';
import { CorridorPath } from './geometry.ts';
import { freeFlowEncounters, insideBand, nextGreenStartS, platoons, positionAt, signalStateAt, trajectory } from './platoons.ts';
import { greenwaveTestCity } from './test-city.ts';
import { timeSpaceLayerData } from './timespace.ts';

/** The textbook example of sim-core/signal/numerical.test.ts: C = 60 s, 10 m/s, greens 30 s, signals at 0/320/590/910/1180 m; 26-s bands each way. */
const X = [0, 320, 590, 910, 1180];
const textbook = () =>
  solveNumerical(
    createArterial({
      cycleS: 60,
      signals: X.map((_, i) => ({ id: `S${i}`, outbound: { greenS: 30, yellowS: 0 } })),
      links: X.slice(1).map((x, i) => ({ lengthM: x - X[i], speedMps: 10 })),
    }),
    { fixedSpeed: true },
  );

function randomPlans(n: number): GreenWavePlan[] {
  const rand = mulberry32(11);
  const out: GreenWavePlan[] = [];
  for (let k = 0; k < n; k++) {
    const count = 3 + Math.floor(rand() * 6);
    const cycleS = 60 + Math.round(rand() * 60);
    const arterial = createArterial({
      cycleS,
      signals: Array.from({ length: count }, (_, i) => ({ id: `s${i}`, greenSplit: 0.4 + rand() * 0.25, outbound: { greenStartS: Math.round(rand() * 10) } })),
      links: Array.from({ length: count - 1 }, () => ({ lengthM: 250 + rand() * 500, speedMps: 9 + rand() * 6 })),
      yellowS: 3,
    });
    out.push(k % 2 ? solveNumerical(arterial) : solveOneWay(arterial, { direction: k % 4 === 0 ? 'outbound' : 'inbound' }));
  }
  return out;
}

describe('corridors along the city’s 主干路', () => {
  it('follows each named arterial link by link, in order, with its signals', () => {
    const cs = findCorridors(greenwaveTestCity());
    expect(cs.map((c) => c.id)).toEqual(['和平路#0', '胜利街#0']);
    const w = cs[0];
    // W0 → W4 (west to east), the reversed link W3–W2 followed the other way.
    expect(w.nodeIds).toEqual(['W0', 'W1', 'W2', 'W3', 'W4']);
    expect(w.signalCount).toBe(4);
    expect(w.lengthM).toBeCloseTo(400 + 450 + 400 + 400, 3);
    expect(cs[1].nodeIds).toEqual(['S0', 'W1', 'S2']); // south to north
    expect(cs[1].signalCount).toBe(2);
    // The 次干路 with signals is left out unless asked for.
    expect(findCorridors(greenwaveTestCity(), { classes: ['secondary'] }).map((c) => c.id)).toEqual(['东风街#0']);
    expect(findCorridors(greenwaveTestCity(), { minSignals: 5 })).toEqual([]);
  });

  it('sends every node of a short corridor, and the ends and signals of a long one', () => {
    const city = greenwaveTestCity();
    expect(corridorRequestNodes(city, ['W0', 'W1', 'W2', 'W3', 'W4'])).toEqual(['W0', 'W1', 'W2', 'W3', 'W4']);
    // Six kept (ends and signals) for five places: thinned evenly, the ends kept.
    expect(corridorRequestNodes(city, ['W0', 'W1', 'W2', 'W3', 'W4', 'X0'], 5)).toEqual(['W0', 'W1', 'W3', 'W4', 'X0']);
  });
});

describe('corridor geometry', () => {
  const city = greenwaveTestCity();
  const path = CorridorPath.fromNodes(city, ['W0', 'W1', 'W2', 'W3', 'W4']);

  it('measures chainage by the links’ stated lengths', () => {
    expect(Array.from(path.nodeChainageM)).toEqual([0, 400, 850, 1250, 1650]);
    expect(path.lengthM).toBe(1650);
  });

  it('interpolates along the drawn road, bends and reversed links included', () => {
    const p = path.pointAt(200);
    expect([p.xM, p.yM, p.headingDeg]).toEqual([200, 0, 90]);
    // In the bend: 450 m of chainage over 500 m of polyline (scale 0.9). Chainage 400 + 0.9 × 350 = 715 → 50 m up the northward leg.
    const q = path.pointAt(400 + 0.9 * 350);
    expect(q.xM).toBeCloseTo(700, 9);
    expect(q.yM).toBeCloseTo(50, 9);
    expect(q.headingDeg).toBeCloseTo(0, 9);
    // The reversed link W3–W2, walked from W2 to W3 (east).
    const r = path.pointAt(850 + 100);
    expect(r.xM).toBeCloseTo(900, 9);
    expect(r.yM).toBeCloseTo(100, 9);
    expect(r.headingDeg).toBeCloseTo(90, 9);
    // Clamped beyond the ends; the out parameter is filled and returned.
    const out = { xM: 0, yM: 0, headingDeg: 0 };
    expect(path.pointAt(5000, out)).toBe(out);
    expect([out.xM, out.yM]).toEqual([1600, 100]);
    expect(path.pointAt(-3).xM).toBe(0);
  });

  it('places plan positions from the first signal', () => {
    path.originM = path.chainageOfNode('W1');
    const p = path.pointAtPlanM(450);
    expect([p.xM, p.yM]).toEqual([800, 100]);
  });

  it('says which node pair has no link', () => {
    expect(() => CorridorPath.fromNodes(city, ['W0', 'W2'])).toThrow(/no road link joins 'W0' and 'W2' \(path nodes 0, 1\)/);
    expect(() => CorridorPath.fromNodes(city, ['W0', 'Q'])).toThrow(/road node 'Q' \(path node 1\) is not in the city/);
  });
});

describe('vehicles through the plan', () => {
  it('meets green everywhere inside the textbook band and red outside it (worked by hand)', () => {
    const plan = textbook();
    // Outbound windows at signal 0 time: [0,30), [−2,28), [1,31), [−1,29), [2,32) → band [2, 28).
    expect(plan.bandwidthS.outbound).toBeCloseTo(26, 9);
    expect(insideBand(plan, 'outbound', 10)).toBe(true);
    expect(freeFlowEncounters(plan, 'outbound', 10).map((e) => e.state)).toEqual(['green', 'green', 'green', 'green', 'green']);
    // Entering at 29 s: signal 1's window ended at 28 s (its green ended; no yellow in this example).
    expect(insideBand(plan, 'outbound', 29)).toBe(false);
    const e = freeFlowEncounters(plan, 'outbound', 29);
    expect(e.map((x) => x.state)).toEqual(['green', 'red', 'green', 'red', 'green']);
    expect(e[1].arrivalS).toBeCloseTo(29 + 32, 9);
    // The go-on-green vehicle waits at signal 1 (green there over [30, 60) mod 60: its window [−2, 28) + 32 s of travel) until 90 s.
    const tr = trajectory(plan, 'outbound', 29);
    expect(tr.stops).toBeGreaterThan(0);
    expect(tr.encounters[1].state).toBe('red');
    expect(nextGreenStartS(plan, 1, 'outbound', 61)).toBeCloseTo(90, 9);
    expect(nextGreenStartS(plan, 1, 'outbound', 45)).toBe(45);
    expect(Array.from(tr.points.slice(2, 6))).toEqual([61, 320, 90, 320].map((v, i) => (i % 2 ? v : expect.closeTo(v, 9))));
    expect(signalStateAt(plan, 1, 'outbound', tr.points[4])).toBe('green');
  });

  it('inside a band never meets red, outside it always meets a non-green (random arterials, both directions)', () => {
    let inside = 0, outside = 0;
    for (const plan of randomPlans(40)) {
      for (const dir of ['outbound', 'inbound'] as const) {
        const band = plan.timeSpace.bands.find((b) => b.direction === dir)!;
        for (let t = 0; t < plan.cycleS; t += 0.37) {
          const entry = t + 3 * plan.cycleS;
          const start = band.repetitions[0]?.[0].startS ?? 0;
          const d = (((entry - start) % plan.cycleS) + plan.cycleS) % plan.cycleS;
          // Stay clear of the band's edges by 0.01 s.
          if (Math.abs(d) < 0.01 || Math.abs(d - band.widthS) < 0.01 || Math.abs(d - plan.cycleS) < 0.01) continue;
          const enc = freeFlowEncounters(plan, dir, entry);
          if (insideBand(plan, dir, entry)) {
            inside++;
            expect(enc.every((x) => x.state === 'green')).toBe(true);
            const tr = trajectory(plan, dir, entry);
            expect(tr.stops).toBe(0);
            expect(tr.inBand).toBe(true);
          } else {
            outside++;
            expect(enc.some((x) => x.state !== 'green')).toBe(true);
          }
        }
      }
    }
    expect(inside).toBeGreaterThan(1000);
    expect(outside).toBeGreaterThan(1000);
  });

  it('a go-on-green vehicle never passes a stop line in yellow or red, and only moves forward', () => {
    for (const plan of randomPlans(10)) {
      for (const tr of platoons(plan, { headwayS: 3.3 })) {
        for (let k = 2; k < tr.points.length; k += 2) {
          expect(tr.points[k]).toBeGreaterThanOrEqual(tr.points[k - 2] - 1e-9);
          const dx = tr.points[k + 1] - tr.points[k - 1];
          expect(tr.direction === 'outbound' ? dx : -dx).toBeGreaterThanOrEqual(-1e-9);
        }
        // Leaving each signal: the last breakpoint at its position is in green.
        for (const e of tr.encounters) {
          const x = plan.signals[e.signal].positionM;
          let leave = -Infinity;
          for (let k = 0; k < tr.points.length; k += 2) if (tr.points[k + 1] === x) leave = tr.points[k];
          expect(signalStateAt(plan, e.signal, tr.direction, leave + 1e-6)).toBe('green');
        }
      }
    }
  });

  it('interpolates positions and is absent before entering and after leaving', () => {
    const plan = textbook();
    const tr = trajectory(plan, 'outbound', 10);
    expect(positionAt(tr, 9.9)).toBeNaN();
    expect(positionAt(tr, 10)).toBe(0);
    expect(positionAt(tr, 10 + 16)).toBeCloseTo(160, 9);
    expect(positionAt(tr, 10 + 118)).toBeCloseTo(1180, 9);
    expect(positionAt(tr, 10 + 118.1)).toBeNaN();
    const back = trajectory(plan, 'inbound', 10);
    expect(positionAt(back, 10)).toBe(1180);
    expect(positionAt(back, 10 + 27)).toBeCloseTo(910, 9);
  });
});

describe('time-space layer data', () => {
  it('draws every interval of the plan as a bar and every band repetition as a polygon through its windows', () => {
    const plan = textbook();
    const d = timeSpaceLayerData(plan, { barWidthM: 10 });
    expect([d.minXM, d.maxXM, d.horizonS]).toEqual([0, 1180, 180]);
    const intervals = plan.timeSpace.signals.reduce((n, s) => n + s.outbound.length + s.inbound.length, 0);
    expect(d.bars).toHaveLength(intervals);
    const s1 = d.bars.filter((b) => b.signalId === 'S1' && b.direction === 'outbound');
    expect(s1[0].polygon[0]).toEqual([310, 0]);
    expect(s1[0].polygon[1]).toEqual([320, 0]);
    expect(d.bars.filter((b) => b.signalId === 'S1' && b.direction === 'inbound')[0].polygon[0]).toEqual([320, 0]);
    // Total green time per signal and direction = 3 cycles × 30 s.
    const greenS = s1.filter((b) => b.state === 'green').reduce((t, b) => t + (b.polygon[2][1] - b.polygon[0][1]), 0);
    expect(greenS).toBeCloseTo(90, 9);
    const out = d.bands.filter((b) => b.direction === 'outbound');
    expect(out.length).toBe(plan.timeSpace.bands[0].repetitions.length);
    for (const b of out) {
      expect(b.polygon).toHaveLength(10);
      // Lower edge at x = 0 … 1180, upper edge back; the band is 26 s tall everywhere.
      for (let i = 0; i < 5; i++) {
        expect(b.polygon[i][0]).toBe(X[i]);
        expect(b.polygon[9 - i][0]).toBe(X[i]);
        expect(b.polygon[9 - i][1] - b.polygon[i][1]).toBeCloseTo(26, 9);
      }
    }
    // The band's lower edge is the trajectory of a vehicle entering at the band's front.
    const front = out[1].polygon[0][1];
    const tr = trajectory(plan, 'outbound', front + 1e-6);
    const td = timeSpaceLayerData(plan, { trajectories: [tr] }).trajectories[0];
    expect(td.inBand).toBe(true);
    expect(td.stops).toBe(0);
    td.path.forEach(([x, t], i) => {
      expect(x).toBe(X[i]);
      expect(t).toBeCloseTo(out[1].polygon[i][1], 5);
    });
  });

  it('has no band polygon where a direction has no band', () => {
    const arterial = createArterial({
      cycleS: 60,
      signals: [0, 1, 2].map((i) => ({ id: `s${i}`, outbound: { greenS: 10, yellowS: 0 } })),
      links: [{ lengthM: 150, speedMps: 10 }, { lengthM: 150, speedMps: 10 }],
    });
    const plan = solveOneWay(arterial, { direction: 'outbound' });
    const d = timeSpaceLayerData(plan);
    expect(plan.bandwidthS.inbound).toBe(0);
    expect(d.bands.every((b) => b.direction === 'outbound')).toBe(true);
    expect(d.bands.length).toBeGreaterThan(0);
  });
});

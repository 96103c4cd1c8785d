import { describe, expect, it } from 'vitest';
import { createArterial, type Arterial } from './arterial.ts';
import { solveOneWay } from './oneway.ts';
import { rankPlansByTraffic, simulateCorridor } from './traffic.ts';

const C = 60, Y = 3;
/** One signal under test (A) and a second one that is always green (B), 600 m apart. */
function isolated(greenS: number): Arterial {
  return createArterial({
    cycleS: C,
    signals: [{ id: 'A', outbound: { greenS, yellowS: Y } }, { id: 'B', outbound: { greenS: C, yellowS: 0 } }],
    links: [{ lengthM: 600, speedMps: 13.9 }],
  });
}

/** Vehicles per hour discharged by signal A under saturation (demand far above capacity, no drain). */
function saturatedThroughput(greenS: number): number {
  return simulateCorridor(isolated(greenS), [0, 0], { outboundVehPerH: 4000, inboundVehPerH: 0, durationS: 3600, arrivals: 'uniform' }, { drainS: 0 }).outbound.vehicles;
}

describe('traffic model (IDM)', () => {
  it("an isolated signal's delay agrees with Webster's formula", () => {
    // The model's saturation flow, measured: the throughput difference between two greens.
    const s = (saturatedThroughput(37) - saturatedThroughput(17)) / 20 / 60; // veh per second of green
    expect(s * 3600).toBeGreaterThan(1700);
    expect(s * 3600).toBeLessThan(2100);
    // Effective green = displayed green (HCM convention: start-up loss ≈ yellow used ≈ 2 s).
    const G = 27, lambda = G / C;
    for (const q of [200, 400, 500]) {
      const qs = q / 3600, x = qs / (lambda * s);
      const uniformTerm = (C * (1 - lambda) ** 2) / (2 * (1 - lambda * x));
      const webster = uniformTerm + (x * x) / (2 * qs * (1 - x)) - 0.65 * Math.cbrt(C / (qs * qs)) * x ** (2 + 5 * lambda);
      const run = (arrivals: 'uniform' | 'poisson') =>
        simulateCorridor(isolated(G), [0, 0], { outboundVehPerH: q, inboundVehPerH: 0, durationS: 4 * 3600, arrivals, seed: 3 }).outbound.approachDelayS[0];
      // Uniform arrivals: the deterministic queue (Webster's first term) within 6 %.
      expect(Math.abs(run('uniform') / uniformTerm - 1)).toBeLessThan(0.06);
      // Random (Poisson) arrivals: Webster's full formula within 12 % (x ≤ 0.6).
      expect(Math.abs(run('poisson') / webster - 1)).toBeLessThan(0.12);
    }
  });

  it('a one-way green wave lets light traffic through without stopping; uncoordinated does not', () => {
    const a = createArterial({
      cycleS: 80,
      signals: Array.from({ length: 6 }, (_, i) => ({ id: `S${i}`, greenSplit: 0.5 })),
      links: [420, 380, 510, 450, 390].map((lengthM) => ({ lengthM, speedMps: 13.9 })),
    });
    const wave = solveOneWay(a);
    const demand = { outboundVehPerH: 250, inboundVehPerH: 0, arrivals: 'uniform' as const };
    const withWave = simulateCorridor(a, wave.signals.map((s) => s.offsetS), demand);
    const random = simulateCorridor(a, [0, 37, 11, 63, 29, 51], demand);
    // Stopped at the first signal at most (arrivals are not platooned there), then carried by the wave.
    expect(withWave.outbound.stopsPerVehicle).toBeLessThan(0.7);
    expect(random.outbound.stopsPerVehicle).toBeGreaterThan(withWave.outbound.stopsPerVehicle + 1);
    expect(random.outbound.timeLossS).toBeGreaterThan(withWave.outbound.timeLossS + 30);
    expect(withWave.outbound.approachDelayS.slice(1).every((d) => d < 3)).toBe(true);
  });

  it('loses no vehicle, repeats itself for a seed, and differs for another', () => {
    const a = isolated(27);
    const d = { outboundVehPerH: 600, inboundVehPerH: 300, durationS: 1800, arrivals: 'uniform' as const };
    const r = simulateCorridor(a, [0, 0], d);
    expect(r.outbound.vehicles + r.outbound.unfinished).toBe(300);
    expect(r.inbound.vehicles + r.inbound.unfinished).toBe(150);
    const p1 = simulateCorridor(a, [0, 0], { ...d, arrivals: 'poisson', seed: 4 });
    const p2 = simulateCorridor(a, [0, 0], { ...d, arrivals: 'poisson', seed: 4 });
    const p3 = simulateCorridor(a, [0, 0], { ...d, arrivals: 'poisson', seed: 5 });
    expect(p2).toEqual(p1);
    expect(p3.outbound.timeLossS).not.toBe(p1.outbound.timeLossS);
  });

  it('runs at free flow when every signal is green', () => {
    const a = createArterial({
      cycleS: 60,
      signals: [0, 1, 2].map((i) => ({ id: `g${i}`, outbound: { greenS: 60, yellowS: 0 } })),
      links: [{ lengthM: 500, speedMps: 12 }, { lengthM: 700, speedMps: 16 }],
    });
    const r = simulateCorridor(a, [0, 0, 0], { outboundVehPerH: 300, inboundVehPerH: 300, durationS: 1200, arrivals: 'uniform' });
    for (const d of [r.outbound, r.inbound]) {
      expect(d.stopsPerVehicle).toBe(0);
      // Only the speed change between the links costs time (accelerating to, or slowing for, the new limit).
      expect(d.timeLossS).toBeLessThan(2);
      expect(Math.abs(d.travelTimeS - d.freeFlowTravelTimeS)).toBeLessThan(2);
    }
    // 400 m at 12 m/s, 500 at 12, 700 at 16, 400 at 16.
    expect(r.outbound.freeFlowTravelTimeS).toBeCloseTo(400 / 12 + 500 / 12 + 700 / 16 + 400 / 16, 9);
    const flat = createArterial({ ...a, signals: a.signals, links: [{ lengthM: 500, speedMps: 14 }, { lengthM: 700, speedMps: 14 }] });
    const f = simulateCorridor(flat, [0, 0, 0], { outboundVehPerH: 300, inboundVehPerH: 0, durationS: 1200, arrivals: 'uniform' }).outbound;
    // IDM followers 160 m apart still feel their leader a little ((s*/s)² ≈ 1 %): under 0.5 % of the trip.
    expect(f.timeLossS).toBeLessThan(0.005 * f.freeFlowTravelTimeS);
    expect(Math.abs(f.travelTimeS - f.freeFlowTravelTimeS)).toBeLessThan(1); // plus up to one 0.5-s step at each end
  });

  it('ranks plans by time loss + 20 s × stops', () => {
    const a = createArterial({
      cycleS: 80,
      signals: Array.from({ length: 5 }, (_, i) => ({ id: `S${i}`, greenSplit: 0.5 })),
      links: [420, 380, 510, 450].map((lengthM) => ({ lengthM, speedMps: 13.9 })),
    });
    const wave = solveOneWay(a);
    const bad = { ...wave, signals: wave.signals.map((s, i) => ({ ...s, offsetS: (i * 40) % 80 })) };
    const ranked = rankPlansByTraffic(a, [bad, wave], { outboundVehPerH: 300, inboundVehPerH: 0, arrivals: 'uniform' });
    expect(ranked[0].plan).toBe(wave);
    for (const r of ranked) expect(r.performanceIndexS).toBeCloseTo(r.result.all.timeLossS + 20 * r.result.all.stopsPerVehicle, 9);
  });

  it('turn-ins during the red load the downstream queue', () => {
    const a = createArterial({
      cycleS: 80,
      signals: [0, 1, 2].map((i) => ({ id: `t${i}`, greenSplit: 0.5 })),
      links: [{ lengthM: 400, speedMps: 13.9 }, { lengthM: 400, speedMps: 13.9 }],
    });
    const wave = solveOneWay(a).signals.map((s) => s.offsetS);
    const d = { outboundVehPerH: 300, inboundVehPerH: 0, arrivals: 'uniform' as const };
    const calm = simulateCorridor(a, wave, d);
    const busy = simulateCorridor(a, wave, { ...d, turnInVehPerH: 300 });
    expect(busy.outbound.approachDelayS[1]).toBeGreaterThan(calm.outbound.approachDelayS[1] + 1);
  });
});

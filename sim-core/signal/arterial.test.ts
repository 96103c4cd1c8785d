import { describe, expect, it } from 'vitest';
import { CimError } from '../cim/errors.ts';
import {
  applyWebsterTiming,
  createArterial,
  measureBands,
  relativeOffsets,
  timeSpaceDiagram,
  websterCycleS,
  withCycle,
  type ArterialInput,
} from './arterial.ts';
import { circularInterval, intersectCircular, longestRun } from './circular.ts';

const two = (over: Partial<ArterialInput> = {}): ArterialInput => ({
  cycleS: 60,
  signals: [{ id: 'A', outbound: { greenS: 30, yellowS: 0 } }, { id: 'B', outbound: { greenS: 30, yellowS: 0 } }],
  links: [{ lengthM: 300, speedMps: 10 }],
  ...over,
});

describe('circular sets', () => {
  it('splits an interval that wraps and intersects by a sweep', () => {
    expect(circularInterval(50, 20, 60)).toEqual([0, 10, 50, 60]);
    expect(circularInterval(-5, 10, 60)).toEqual([0, 5, 55, 60]);
    expect(intersectCircular([0, 10, 50, 60], [5, 55])).toEqual([5, 10, 50, 55]);
  });
  it('joins a run across the wrap when taking the longest', () => {
    // [50, 60) ∪ [0, 10) is one 20-s run starting at 50, longer than [20, 35).
    expect(longestRun([0, 10, 20, 35, 50, 60], 60)).toEqual({ startS: 50, lengthS: 20 });
    expect(longestRun([], 60)).toEqual({ startS: 0, lengthS: 0 });
  });
});

describe('createArterial', () => {
  it('fills a symmetric split and cumulative positions', () => {
    const a = createArterial({ cycleS: 80, signals: [{ id: 'a' }, { id: 'b', greenSplit: 0.6 }, { id: 'c' }], links: [{ lengthM: 400, speedMps: 12 }, { lengthM: 250, speedMps: 10 }] });
    expect(a.signals.map((s) => s.positionM)).toEqual([0, 400, 650]);
    expect(a.signals[0].outbound).toEqual({ greenStartS: 0, greenS: 37, yellowS: 3, queueClearanceS: 0 });
    expect(a.signals[1].outbound.greenS).toBeCloseTo(45, 9);
    expect(a.signals[1].inbound).toEqual(a.signals[1].outbound);
    expect(a.links[0]).toMatchObject({ minSpeedMps: 12 * 0.9, maxSpeedMps: 12 * 1.1, speedLimitMps: 12 });
  });

  it('names the record and the field of bad input', () => {
    const bad = (over: Partial<ArterialInput>) => () => createArterial(two(over));
    expect(bad({ signals: [{ id: 'A' }] })).toThrow(/at least 2 signals/);
    expect(bad({ links: [] })).toThrow(/2 signals need 1 links, got 0/);
    expect(bad({ links: [{ lengthM: -3, speedMps: 10 }] })).toThrow(/link 0.*field 'lengthM'/);
    expect(bad({ signals: [{ id: 'A' }, { id: 'A' }] })).toThrow(/duplicate signal id 'A'/);
    try {
      createArterial(two({ signals: [{ id: 'A' }, { id: 'B', outbound: { greenS: 58, yellowS: 4 } }] }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CimError);
      expect((e as CimError).record).toBe("signal 1 (id 'B')");
      expect((e as CimError).field).toBe('outbound.greenS');
    }
    expect(bad({ signals: [{ id: 'A', outbound: { greenS: 20, queueClearanceS: 20 } }, { id: 'B' }] })).toThrow(/outbound.queueClearanceS/);
  });

  it('withCycle keeps splits, yellow and clearance', () => {
    const a = createArterial({ cycleS: 60, signals: [{ id: 'a', outbound: { greenS: 27, yellowS: 3, queueClearanceS: 2 } }, { id: 'b' }], links: [{ lengthM: 300, speedMps: 10 }] });
    const b = withCycle(a, 90);
    expect(b.signals[0].outbound).toEqual({ greenStartS: 0, greenS: 42, yellowS: 3, queueClearanceS: 2 });
  });
});

describe('measureBands', () => {
  it('gives full two-way bands when the travel time is half a cycle and offsets alternate', () => {
    const a = createArterial(two());
    // t = 30 s = C/2: alternate (offsets 0, 30) is the ideal two-way wave.
    const alt = measureBands(a, [0, 30]);
    expect(alt.outbound).toMatchObject({ exists: true, widthS: 30 });
    expect(alt.inbound.widthS).toBeCloseTo(30, 9);
    // Simultaneous: a vehicle arriving 30 s after the green started meets the red, in both directions.
    const sim = measureBands(a, [0, 0]);
    expect(sim.outbound).toMatchObject({ exists: false, widthS: 0 });
    expect(sim.inbound.widthS).toBe(0);
  });

  it('shrinks the band by the queue-clearance time and follows the progression speed', () => {
    const a = createArterial(two({ signals: [{ id: 'A', outbound: { greenS: 30, yellowS: 0 } }, { id: 'B', outbound: { greenS: 30, yellowS: 0, queueClearanceS: 5 }, inbound: { greenS: 30, yellowS: 0 } }] }));
    expect(measureBands(a, [0, 30]).outbound.widthS).toBeCloseTo(25, 9);
    expect(measureBands(a, [0, 30]).inbound.widthS).toBeCloseTo(30, 9);
    // At 12 m/s the trip takes 25 s: the outbound window at B is [30+5−25, 60−25) = [10, 35) ∩ [0, 30) = 20 s.
    expect(measureBands(a, [0, 30], { outbound: [12], inbound: [12] }).outbound.widthS).toBeCloseTo(20, 9);
  });
});

describe('Webster', () => {
  it('C0 = (1.5 L + 5) / (1 − Y), checked by hand', () => {
    expect(websterCycleS(10, [0.3, 0.2])).toBeCloseTo(40, 12); // (15 + 5) / 0.5
    expect(websterCycleS(12, [0.35, 0.25])).toBeCloseTo(57.5, 12); // (18 + 5) / 0.4
    expect(() => websterCycleS(8, [0.6, 0.45])).toThrow(/oversaturated/);
  });

  it('takes the critical intersection cycle and shares green by flow ratio', () => {
    const a = createArterial({ cycleS: 90, signals: [{ id: 'a' }, { id: 'b' }], links: [{ lengthM: 500, speedMps: 12 }] });
    // s = 1800: a: y = 0.3 + 0.2 → C0 = (1.5·8 + 5)/0.5 = 34 → min 40; b: y = 0.4 + 0.25 → C0 = 17/0.35 = 48.6 → 49.
    const w = applyWebsterTiming(a, [
      { outboundVehPerH: 540, inboundVehPerH: 400, crossVehPerH: 360 },
      { outboundVehPerH: 500, inboundVehPerH: 720, crossVehPerH: 450 },
    ]);
    expect(w.cycleS).toBe(49);
    // b: effective green (49 − 8) · 0.4/0.65 = 25.23; displayed = 25.23 + 4 − 3 = 26.2 (rounded to 0.1 s).
    expect(w.signals[1].outbound.greenS).toBeCloseTo(26.2, 9);
    expect(w.signals[0].outbound.greenS).toBeCloseTo(Math.round(((49 - 8) * 0.6 + 1) * 10) / 10, 9);
    expect(() => applyWebsterTiming(a, [{ outboundVehPerH: 1500, inboundVehPerH: 0, crossVehPerH: 600 }, { outboundVehPerH: 0, inboundVehPerH: 0, crossVehPerH: 0 }])).toThrow(/signal 0 \(id 'a'\).*oversaturated/);
  });
});

describe('time-space diagram', () => {
  it('draws every band window inside a green of its signal', () => {
    const a = createArterial({
      cycleS: 80,
      signals: [{ id: 'a', greenSplit: 0.55 }, { id: 'b', greenSplit: 0.5 }, { id: 'c', greenSplit: 0.6 }],
      links: [{ lengthM: 420, speedMps: 11 }, { lengthM: 380, speedMps: 12 }],
    });
    const offsets = [0, 38, 2];
    const d = timeSpaceDiagram(a, offsets);
    expect(d.horizonS).toBe(240);
    for (const s of d.signals) {
      const green = s.outbound.filter((x) => x.state === 'green').reduce((acc, x) => acc + x.endS - x.startS, 0);
      const sig = a.signals.find((x) => x.id === s.id)!;
      expect(green).toBeCloseTo(3 * sig.outbound.greenS, 6);
    }
    const bands = measureBands(a, offsets);
    for (const band of d.bands) {
      expect(band.widthS).toBeCloseTo(bands[band.direction].widthS, 9);
      expect(band.repetitions.length).toBeGreaterThan(0);
      for (const rep of band.repetitions) {
        for (const w of rep) {
          const i = a.signals.findIndex((s) => s.positionM === w.positionM);
          const p = a.signals[i][band.direction];
          // Position of the window in the signal's cycle, after the green start.
          const rel = (((w.startS - offsets[i] - p.greenStartS) % 80) + 80) % 80;
          expect(rel + band.widthS).toBeLessThanOrEqual(p.greenS + 1e-6);
        }
      }
    }
  });

  it('relativeOffsets puts the first signal at 0', () => {
    expect(relativeOffsets([10, 5, 70], 60)).toEqual([0, 55, 0]);
  });
});

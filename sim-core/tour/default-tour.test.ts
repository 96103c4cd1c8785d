import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../cim/builder.ts';
import { generateDefaultCity } from '../cim/demo/index.ts';
import type { City } from '../cim/types.ts';
import { LocalFrame } from '../cim/frame.ts';
import { corridorCounts, greenWaveCorridors } from './corridors.ts';
import { cameraLookingAt, cityResults, defaultTour } from './default-tour.ts';
import { parseTour } from './tour.ts';

/** An east-west arterial 和平路 with four signalised crossings (three controllers known) and a north-south one with one. */
function corridorCity(states: { healthy?: boolean; networked?: boolean; realTimeTiming: boolean }[]): City {
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name: 'corridor test', synthetic: true, sources: ['test'], attribution: [] });
  const xs = [0, 300, 600, 900, 1200];
  // nodes added out of order on purpose: the corridor must come out ordered west → east
  for (const i of [3, 0, 4, 1, 2]) b.addRoadNode({ id: `n${i}`, xM: xs[i], yM: 0, signalized: i >= 1 && i <= 3 || i === 0 });
  b.addRoadNode({ id: 's', xM: 600, yM: -400, signalized: false });
  for (let i = 0; i + 1 < xs.length; i++) b.addRoadLink({ id: `l${i}`, fromId: `n${i}`, toId: `n${i + 1}`, roadClass: 'arterial', lanes: 4, speedLimitMps: 13.9, xyM: [xs[i], 0, xs[i + 1], 0], name: '和平路' });
  b.addRoadLink({ id: 'ls', fromId: 'n2', toId: 's', roadClass: 'arterial', lanes: 4, speedLimitMps: 13.9, xyM: [600, 0, 600, -400], name: '胜利街' });
  b.addRoadLink({ id: 'lb', fromId: 'n4', toId: 's', roadClass: 'branch', lanes: 2, speedLimitMps: 8, xyM: [1200, 0, 600, -400], name: '小巷' });
  states.forEach((s, k) => b.addDevice({ id: `sig-${k + 1}`, type: 'signal', xM: xs[k + 1], yM: 2, heightM: 1, healthy: s.healthy ?? true, networked: s.networked ?? true, attrs: { nodeId: `n${k + 1}`, realTimeTiming: s.realTimeTiming } }));
  b.addBuilding({ id: 'b', rings: [[100, 30, 150, 30, 150, 70, 100, 70]], roofM: 20, use: 'office' });
  return b.build();
}

describe('greenWaveCorridors', () => {
  it('orders the controlled signals along the road and states the corridor', () => {
    const all = greenWaveCorridors(corridorCity([{ realTimeTiming: true }, { realTimeTiming: true }, { realTimeTiming: true }]));
    expect(all).toHaveLength(1); // 胜利街 has one controlled signal, 小巷 is a branch road
    const [c] = all;
    expect(c.name).toBe('和平路');
    expect(c.nodeIds).toEqual(['n1', 'n2', 'n3']); // n0 is signalised but has no controller
    expect(c.controllerIds).toEqual(['sig-1', 'sig-2', 'sig-3']);
    expect(c.links).toHaveLength(4);
    expect(c.lengthM).toBe(1200);
    expect(c.state).toBe('coordinated');
    expect(c.coordinated).toBe(3);
  });

  it('partial and uncoordinated follow the controllers; a faulty controller breaks the wave', () => {
    expect(greenWaveCorridors(corridorCity([{ realTimeTiming: true }, { realTimeTiming: false }, { realTimeTiming: true }]))[0].state).toBe('partial');
    expect(greenWaveCorridors(corridorCity([{ realTimeTiming: false }, { realTimeTiming: false }, { realTimeTiming: false }]))[0].state).toBe('uncoordinated');
    const fault = greenWaveCorridors(corridorCity([{ realTimeTiming: true }, { realTimeTiming: true, healthy: false }, { realTimeTiming: true, networked: false }]))[0];
    expect(fault.state).toBe('partial');
    expect(fault.faulty).toBe(2);
    expect(fault.coordinated).toBe(1);
    expect(corridorCounts([fault])).toEqual({ coordinated: 0, partial: 1, uncoordinated: 0 });
  });
});

describe('cameraLookingAt', () => {
  it('puts the camera back along the heading and up by the pitch', () => {
    const frame = new LocalFrame({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 });
    const cam = cameraLookingAt(frame, 0, 0, 1000, 0, -30);
    expect(cam.heightM).toBeCloseTo(500, 1);
    const [x, y] = frame.toLocal(cam.lonDeg, cam.latDeg);
    expect(x).toBeCloseTo(0, 0);
    expect(y).toBeCloseTo(-866.03, 0); // due south of the target when looking north
  });
});

describe('defaultTour of the default city', () => {
  const city = generateDefaultCity();
  const results = cityResults(city);
  const tour = defaultTour(city, { results });

  it('has the six scenes in order and passes parseTour', () => {
    expect(tour.scenes.map((s) => s.id)).toEqual(['overview', 'video', 'nr5g', 'weather', 'green-waves', 'stars']);
    expect(parseTour(JSON.parse(JSON.stringify(tour)))).toEqual(tour);
    for (const s of tour.scenes) {
      expect(s.caption['zh-CN'].length).toBeGreaterThan(10);
      expect(s.caption.en.length).toBeGreaterThan(10);
    }
  });

  it('highlights the least-covered video and 5G areas, computed', () => {
    const video = tour.scenes[1];
    expect(video.highlight.areaIds).toHaveLength(5);
    const byId = new Map(results.video.areas.map((a) => [a.id, a]));
    const highlighted = video.highlight.areaIds.map((id) => byId.get(id)!);
    const worstShown = Math.max(...highlighted.map((a) => a.coveredPercent));
    // every video-set area not shown is covered at least as well as the best shown one
    for (const a of results.video.areas) if (a.inVideoSet && !video.highlight.areaIds.includes(a.id)) expect(a.coveredPercent).toBeGreaterThanOrEqual(worstShown);
    expect(highlighted.every((a) => !a.covered)).toBe(true);
    expect(video.caption['zh-CN']).toContain('81.9%（127/155）');
    const nr = tour.scenes[2];
    const nrById = new Map(results.nr5g!.areas.map((a) => [a.id, a]));
    const nrShown = nr.highlight.areaIds.map((id) => nrById.get(id)!);
    expect(nrShown.length).toBeGreaterThan(0);
    const nrWorst = Math.max(...nrShown.map((a) => a.coveredPercent));
    for (const a of results.nr5g!.areas) if (!nr.highlight.areaIds.includes(a.id)) expect(a.coveredPercent).toBeGreaterThanOrEqual(nrWorst);
  });

  it('says what the next star takes, and is deterministic', () => {
    const stars = tour.scenes[5];
    expect(stars.caption['zh-CN']).toContain('★★★☆☆');
    expect(stars.caption['zh-CN']).toMatch(/还需 \d+ 个重点公共区域/);
    expect(stars.caption.en).toMatch(/more key public areas need HD video coverage/);
    expect(tour.scenes[4].caption.en).toMatch(/^\d+ corridors: \d+ coordinated/);
    expect(defaultTour(city, { results })).toEqual(tour);
  });
});

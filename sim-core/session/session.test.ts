import { beforeAll, describe, expect, it } from 'vitest';
import { generateDefaultCity } from '../cim/demo/index.ts';
import { packCity } from '../cim/transfer.ts';
import type { City } from '../cim/types.ts';
import { Nr5gAreaSession } from '../coverage/cellular/key-areas.ts';
import { CoverageSession } from '../coverage/session.ts';
import { indicatorById, measureById } from '../indicators/catalogue.ts';
import { scoreIndicator } from '../indicators/scoring.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import { createSessionApi } from './api.ts';
import { cellSpecOf, coalesceInto, DeviceSet, inventoryFromCity, type DeviceInventory, type Edit } from './devices.ts';
import { SimulationSession, type SessionSnapshotBody } from './session.ts';
import { ResultView } from './view.ts';

let city: City;
let prisms: PrismIndex;
let inv: DeviceInventory;

beforeAll(() => {
  city = generateDefaultCity({ scale: 0.1 });
  prisms = PrismIndex.fromBuildings(city.buildings);
  inv = inventoryFromCity(city);
});

/** The same results computed from scratch by the sim-core models, from an inventory. */
function direct(inventory: DeviceInventory) {
  const cov = new CoverageSession(city, inventory.cameras, {}, prisms);
  const nr = new Nr5gAreaSession(city, prisms, { cells: inventory.cells.filter((c) => c.healthy).map(cellSpecOf) });
  return { cov, nr };
}

function expectEqualsDirect(snap: SessionSnapshotBody, inventory: DeviceInventory): void {
  const { cov, nr } = direct(inventory);
  expect(snap.video.areas).toEqual(cov.areaResults());
  expect(snap.video.intersections).toEqual(cov.intersectionResults());
  expect(snap.nr5g!.areas.map(({ id: _id, ...r }) => r)).toEqual(nr.areaResults());
  const { nr5g_key_area_coverage: nrValue, ...cameraValues } = snap.indicators;
  expect(cameraValues).toEqual(cov.indicators());
  const { covered, total } = nr.counts();
  expect(nrValue.numerator).toBe(covered);
  expect(nrValue.denominator).toBe(total);
  for (const star of snap.stars) {
    const ind = indicatorById(star.indicator)!;
    expect(ind).toBeTruthy();
    const values = Object.fromEntries(Object.entries(snap.indicators).map(([k, v]) => [k, v.value]));
    expect(star.stars).toBe(scoreIndicator(ind, values).stars);
  }
}

/** A scripted what-if touching every kind of edit on cameras, e-police cameras and 5G cells. */
function scriptedEdits(): Edit[] {
  const cams = inv.cameras.filter((c) => c.kind === 'camera');
  const ep = inv.cameras.filter((c) => c.kind === 'epolice');
  const cells = inv.cells.filter((c) => c.healthy);
  const [c0, c1, c2, c3] = cams;
  const base = { ...c0, id: 'new-cam', assumed: [] };
  return [
    { op: 'move', id: c0.id, xM: c0.xM + 12, yM: c0.yM - 7 },
    { op: 'rotate', id: c1.id, headingDeg: (c1.headingDeg + 90) % 360, tiltDeg: 20 },
    { op: 'retune', id: c2.id, camera: { hfovDeg: 90, widthPx: 2560, heightPx: 1440 } },
    { op: 'health', id: c3.id, healthy: !c3.healthy, networked: !c3.networked },
    { op: 'remove', id: cams[4].id },
    { op: 'add', camera: { ...base, xM: c0.xM + 30, headingDeg: 45 } },
    { op: 'move', id: ep[0].id, xM: ep[0].xM + 5, yM: ep[0].yM + 5 },
    { op: 'rotate', id: ep[1].id, headingDeg: (ep[1].headingDeg + 180) % 360 },
    { op: 'move', id: cells[0].id, xM: cells[0].xM + 40, yM: cells[0].yM },
    { op: 'retune', id: cells[1].id, cell: { txPowerDbm: 40 } },
    { op: 'health', id: cells[2].id, healthy: false },
    { op: 'rotate', id: cells[3].id, headingDeg: 200, tiltDeg: 2 },
    { op: 'add', cell: { ...cells[4], id: 'new-cell', xM: cells[4].xM + 300, siteId: 'new-site', healthy: true, networked: true } },
    { op: 'remove', id: cells[5].id },
    { op: 'update', id: c0.id, patch: { headingDeg: 10, healthy: false } },
  ];
}

describe('SimulationSession', () => {
  it('after a batch of every kind of edit, equals the sim-core models computed from scratch', () => {
    const s = new SimulationSession(city, {}, prisms);
    const initial = s.setDevices(inv);
    expectEqualsDirect(initial, inv);
    const set = new DeviceSet(inv);
    const edits = scriptedEdits();
    for (const e of edits) set.apply(e);
    const delta = s.edit(edits);
    expect(delta.rejected).toEqual([]);
    expect(delta.applied).toBe(edits.length);
    expect(s.inventory()).toEqual(set.toInventory());
    expectEqualsDirect(s.snapshot(), set.toInventory());
    // the batch changed some camera areas, some intersections and some 5G areas
    expect(delta.video.areas.length).toBeGreaterThan(0);
    expect(delta.nr5g.areas.length).toBeGreaterThan(0);
  });

  it('deltas, applied one by one on the first snapshot, rebuild the final snapshot', () => {
    const s = new SimulationSession(city, {}, prisms);
    const api = { seq: 0 };
    const view = new ResultView();
    view.reset({ seq: ++api.seq, ...s.setDevices(inv) });
    for (const e of scriptedEdits()) {
      const d = s.edit([e]);
      expect(d.applied).toBe(1);
      expect(view.accept({ seq: ++api.seq, ...d })).not.toBeNull();
    }
    const snap = s.snapshot();
    const cur = view.current();
    const byId = <T extends { id: string }>(l: T[]) => [...l].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(cur.video.areas)).toEqual(byId(snap.video.areas));
    expect([...cur.video.intersections].sort((a, b) => a.node - b.node)).toEqual(snap.video.intersections);
    expect(byId(cur.nr5g.areas)).toEqual(byId(snap.nr5g!.areas));
    expect(cur.indicators).toEqual(snap.indicators);
    expect(Object.fromEntries(cur.stars.map((x) => [x.indicator, x.stars]))).toEqual(Object.fromEntries(snap.stars.map((x) => [x.indicator, x.stars])));
  });

  it('reports the star levels that change, as the indicator scoring gives them', () => {
    const s = new SimulationSession(city, { nr5g: false }, prisms);
    const snap = s.setDevices(inv);
    const net = snap.indicators.video_networking;
    const before = snap.stars.find((x) => x.indicator === 'video_networking')!;
    expect(before.stars).toBeGreaterThanOrEqual(3); // ≥ 80 % networked in the demo district
    // Take enough cameras off the network to fall below 80 %.
    const need = Math.ceil(net.numerator! - 0.79 * net.denominator!);
    const counted = inv.cameras.filter((c) => c.kind === 'camera' && c.networked && s.coverage.countsForHealth(c.id)).slice(0, need);
    const d = s.edit(counted.map((c) => ({ op: 'health', id: c.id, networked: false })));
    expect(d.indicators.video_networking.numerator).toBe(net.numerator! - need);
    const change = d.stars.find((x) => x.indicator === 'video_networking')!;
    expect(change.before).toBe(before.stars);
    expect(change.stars).toBe(scoreIndicator(measureById('video_networking')!.indicator!, { video_networking: d.indicators.video_networking.value }).stars);
    expect(change.stars).toBeLessThan(before.stars);
    expect(change.next?.star).toBeGreaterThan(change.stars);
    // networking alone touches no coverage: no area or intersection change
    expect(d.video.areas).toEqual([]);
    expect(d.video.intersections).toEqual([]);
  });

  it('skips and names edits it cannot apply, and applies the rest', () => {
    const s = new SimulationSession(city, { nr5g: false }, prisms);
    s.setDevices(inv);
    const cam = inv.cameras[0];
    const d = s.edit([
      { op: 'move', id: 'no-such-device', xM: 0, yM: 0 },
      { op: 'retune', id: cam.id, camera: { hfovDeg: 400 } },
      { op: 'retune', id: cam.id, cell: { txPowerDbm: 40 } },
      { op: 'add', camera: { ...cam } },
      { op: 'move', id: cam.id, xM: cam.xM + 1, yM: cam.yM },
    ]);
    expect(d.applied).toBe(1);
    expect(d.rejected.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(d.rejected[0].message).toMatch(/no device 'no-such-device'/);
    expect(d.rejected[1].message).toMatch(new RegExp(`camera '${cam.id}': hfovDeg must be within`));
    expect(d.rejected[2].message).toMatch(/with cell parameters/);
    expect(d.rejected[3].message).toMatch(/already exists/);
    expect(s.inventory().cameras.find((c) => c.id === cam.id)!.hfovDeg).toBe(cam.hfovDeg);
  });
});

describe('session API', () => {
  it('loads a packed city, refuses stale sequence numbers and counts what it computed', () => {
    const api = createSessionApi();
    expect(() => api.edit([], 1)).toThrow(/no city loaded/);
    const info = api.load(packCity(city), { nr5g: false });
    expect(info.buildings).toBe(city.buildings.count);
    const snap = api.setDevices(null, 1);
    expect(snap.seq).toBe(1);
    expect(snap.nr5g).toBeNull();
    expect(snap.devices.cameras).toBe(inv.cameras.length);
    const cam = inv.cameras[0];
    expect(api.edit([{ op: 'move', id: cam.id, xM: cam.xM + 3, yM: cam.yM }], 2).seq).toBe(2);
    expect(() => api.edit([{ op: 'move', id: cam.id, xM: cam.xM, yM: cam.yM }], 2)).toThrow(/sequence number 2 is not above the last one \(2\)/);
    expect(api.stats()).toMatchObject({ loads: 1, deviceSets: 1, batches: 1, editsReceived: 1, editsApplied: 1, lastSeq: 2 });
  });
});

describe('coalesceInto', () => {
  const cam = () => inv.cameras[0];
  it('keeps one merged patch per device: a drag of 50 positions sends the last', () => {
    const q: Edit[] = [];
    for (let k = 0; k < 50; k++) coalesceInto(q, { op: 'move', id: 'a', xM: k, yM: -k });
    coalesceInto(q, { op: 'rotate', id: 'a', headingDeg: 30 });
    coalesceInto(q, { op: 'move', id: 'b', xM: 1, yM: 2 });
    coalesceInto(q, { op: 'retune', id: 'a', camera: { hfovDeg: 50 } });
    coalesceInto(q, { op: 'retune', id: 'a', camera: { widthPx: 2560 } });
    expect(q).toEqual([
      { op: 'update', id: 'a', patch: { xM: 49, yM: -49, headingDeg: 30, camera: { hfovDeg: 50, widthPx: 2560 } } },
      { op: 'update', id: 'b', patch: { xM: 1, yM: 2 } },
    ]);
  });

  it('gives the same inventory as applying every edit in turn', () => {
    const c = cam();
    const edits: Edit[] = [
      { op: 'move', id: c.id, xM: 1, yM: 2 },
      { op: 'add', camera: { ...c, id: 'x' } },
      { op: 'move', id: 'x', xM: 5, yM: 5 },
      { op: 'health', id: c.id, healthy: false },
      { op: 'rotate', id: 'x', headingDeg: 99 },
      { op: 'move', id: c.id, xM: 3, yM: 4 },
    ];
    const one = new DeviceSet(inv);
    for (const e of edits) one.apply(e);
    const q: Edit[] = [];
    for (const e of edits) coalesceInto(q, e);
    expect(q.length).toBe(2);
    const two = new DeviceSet(inv);
    for (const e of q) two.apply(e);
    expect(two.toInventory()).toEqual(one.toInventory());
  });

  it('drops queued patches on a remove, and an add together with its remove', () => {
    const c = cam();
    const q: Edit[] = [];
    coalesceInto(q, { op: 'move', id: c.id, xM: 1, yM: 2 });
    coalesceInto(q, { op: 'remove', id: c.id });
    expect(q).toEqual([{ op: 'remove', id: c.id }]);
    const r: Edit[] = [];
    coalesceInto(r, { op: 'add', camera: { ...c, id: 'tmp' } });
    coalesceInto(r, { op: 'move', id: 'tmp', xM: 1, yM: 1 });
    coalesceInto(r, { op: 'remove', id: 'tmp' });
    expect(r).toEqual([]);
  });
});

describe('ResultView', () => {
  const area = (id: string, coveredSamples: number) => ({ id, area: 0, sampleCount: 10, coveredSamples, coveredPercent: coveredSamples * 10, covered: coveredSamples >= 8, inVideoSet: true });
  const delta = (seq: number, areas: ReturnType<typeof area>[]) => ({ seq, applied: 1, rejected: [], video: { areas, intersections: [] }, nr5g: { areas: [] }, indicators: {}, stars: [], computeMs: 0 });

  it('never delivers an answer older than one delivered, and keeps what it still says that is current', () => {
    const v = new ResultView();
    v.reset({ seq: 1, devices: { cameras: 0, cells: 0 }, video: { areas: [area('A', 0), area('B', 0)], intersections: [] }, nr5g: null, indicators: {}, stars: [] });
    expect(v.accept(delta(3, [area('A', 5)]))!.video.areas).toEqual([area('A', 5)]);
    // seq 2 arrives late: A is older than what seq 3 said; B is news nobody newer has given
    expect(v.accept(delta(2, [area('A', 2), area('B', 9)]))).toBeNull();
    expect(v.staleDropped).toBe(1);
    expect(v.current().video.areas).toEqual([area('A', 5), area('B', 9)]);
    // …and B goes out with the next delivered answer
    const next = v.accept(delta(4, [area('A', 6)]))!;
    expect(next.seq).toBe(4);
    expect(next.video.areas).toEqual([area('B', 9), area('A', 6)]);
    expect(v.reset({ seq: 2, devices: { cameras: 0, cells: 0 }, video: { areas: [], intersections: [] }, nr5g: null, indicators: {}, stars: [] })).toBe(false);
  });
});

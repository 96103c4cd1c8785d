import { describe, expect, it } from 'vitest';
import { cityFromGeoJSON, CITY_FORMAT, CITY_FORMAT_VERSION } from '../../sim-core/cim/city-file.ts';
import { camerasFromDevices } from '../../sim-core/coverage/camera.ts';
import { cellsFromCity } from '../../sim-core/coverage/cellular/cells.ts';
import type { DeviceFeature } from '../api/client.ts';
import { cameraTemplate, goalFor, GoalError, indicatorById, parseProposals, proposalDeviceId, proposalDevices, ProposalList, starsOf } from './model.ts';

/** What GET /api/jobs/:id/proposals answers (sim-core/placement placementToGeoJSON), trimmed to three sites and one blind spot. */
const proposalsJson = () => ({
  type: 'FeatureCollection',
  placement: { goal: { targetPercent: 82.5 }, solver: 'greedy+swap', newDevices: 3, indicators: [{ measure: 'video_hd_coverage', valueBefore: 81.935484, valueAfter: 82.580645 }] },
  features: [
    {
      type: 'Feature',
      id: 'new-2',
      geometry: { type: 'Point', coordinates: [119.16793, 36.68487] },
      properties: { layer: 'new-site', rank: 2, device: 'camera', siteId: 'area:ka-036:2', heightM: 8, headingDeg: 270, template: '1920×1080 60° lens, tilt 15°', newlyCoveredAreas: ['ka-036'], newlyCoveredAreaNames: ['青檀里社区卫生服务中心'], newlyCoveredSamples: 25, advancedAreas: [{ id: 'ka-036', samples: 25 }, { id: 'ka-040', samples: 7 }], marginalGain: 1.000014, indicatorPointsAdded: 0.645161, cost: 1 },
    },
    {
      type: 'Feature',
      id: 'new-1',
      geometry: { type: 'Point', coordinates: [119.16777, 36.68487] },
      properties: { layer: 'new-site', rank: 1, device: 'camera', siteId: 'area:ka-036:1', heightM: 8, headingDeg: 90, template: '1920×1080 60° lens, tilt 15°', newlyCoveredAreas: [], newlyCoveredAreaNames: [], newlyCoveredSamples: 72, advancedAreas: [{ id: 'ka-036', samples: 72 }], marginalGain: 0.00004, indicatorPointsAdded: 0, cost: 1 },
    },
    {
      type: 'Feature',
      id: 'new-3',
      geometry: { type: 'Point', coordinates: [119.1679, 36.6849] },
      properties: { layer: 'new-site', rank: 3, device: 'cell5g', siteId: 'roof:b-1', heightM: 30, headingDeg: null, template: '3-sector n78 macro, 53 dBm', newlyCoveredAreas: [], newlyCoveredAreaNames: [], newlyCoveredSamples: 0, advancedAreas: [], marginalGain: 0.5, indicatorPointsAdded: 0, cost: 1 },
    },
    { type: 'Feature', id: 'camera-blind-ka-001', geometry: { type: 'MultiPolygon', coordinates: [] }, properties: { layer: 'blind-spot', areaId: 'ka-001' } },
  ],
});

const cityOf = (devices: DeviceFeature[]) =>
  cityFromGeoJSON({
    type: 'FeatureCollection',
    cimtwin: { format: CITY_FORMAT, version: CITY_FORMAT_VERSION, name: 't', origin: { lonDeg: 119.16, latDeg: 36.68, heightM: 0 } },
    features: devices.map((d) => ({ ...d, properties: { ...d.properties, layer: 'device' } })),
  });

describe('targets', () => {
  const video = indicatorById('video');
  const values = (numerator: number, denominator: number) => ({ video_hd_coverage: { value: (100 * numerator) / denominator, numerator, denominator, unit: 'percent' as const, source: 'simulation' as const, model: 'camera-coverage' } });

  it('reads the stars from DB37/T 3890 (video: ★3 80 %, ★4 90 %, ★5 100 %; ★1–2 not graded)', () => {
    expect(starsOf('video_hd_coverage', 127, 155)).toEqual({ current: 3, next: 4, unitsNeeded: 140 });
    expect(starsOf('video_hd_coverage', 100, 155)).toEqual({ current: 0, next: 3, unitsNeeded: 124 });
    expect(starsOf('video_hd_coverage', 155, 155)).toEqual({ current: 5, next: null, unitsNeeded: null });
  });

  it('turns each target into a placement goal', () => {
    expect(goalFor(video, { kind: 'next' }, values(127, 155))).toEqual({ targetStar: 4 });
    expect(goalFor(video, { kind: 'star', star: 5 }, null)).toEqual({ targetStar: 5 });
    expect(goalFor(video, { kind: 'percent', percent: 82.5 }, null)).toEqual({ targetPercent: 82.5 });
    expect(goalFor(video, { kind: 'count', count: 1 }, null)).toEqual({ count: 1 });
    expect(goalFor(indicatorById('weather'), { kind: 'count', count: 2 }, null)).toEqual({ count: 2 });
  });

  it('refuses what cannot be asked, with a message key', () => {
    const key = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof GoalError ? e.key : `not a GoalError: ${String(e)}`;
      }
      return 'no error';
    };
    expect(key(() => goalFor(video, { kind: 'next' }, null))).toBe('error.noValue');
    expect(key(() => goalFor(video, { kind: 'next' }, values(155, 155)))).toBe('error.topStar');
    expect(key(() => goalFor(video, { kind: 'star', star: 2 }, null))).toBe('error.star');
    expect(key(() => goalFor(indicatorById('weather'), { kind: 'next' }, null))).toBe('error.noStars');
    expect(key(() => goalFor(video, { kind: 'count', count: 0 }, null))).toBe('error.count');
    expect(key(() => goalFor(video, { kind: 'count', count: 1.5 }, null))).toBe('error.count');
    expect(key(() => goalFor(video, { kind: 'percent', percent: 120 }, null))).toBe('error.percent');
    expect(() => indicatorById('noise')).toThrow(/unknown indicator 'noise'/);
  });
});

describe('proposals', () => {
  it('reads a placement job’s proposals in rank order, with what each completes and advances', () => {
    const set = parseProposals(proposalsJson(), 'job-1');
    expect(set.proposals.map((p) => p.id)).toEqual(['new-1', 'new-2', 'new-3']);
    expect(set.blindSpots).toBe(1);
    const p2 = set.proposals[1];
    expect(p2).toMatchObject({ rank: 2, device: 'camera', headingDeg: 270, heightM: 8, marginalGain: 1.000014, indicatorPointsAdded: 0.645161, state: 'pending' });
    expect(p2.completes).toEqual([{ id: 'ka-036', name: '青檀里社区卫生服务中心', samples: 25 }]);
    // The completed area is not listed again among the advanced ones; an area without a name keeps its id.
    expect(p2.advances).toEqual([{ id: 'ka-040', name: 'ka-040', samples: 7 }]);
    expect(set.proposals[0].advances).toEqual([{ id: 'ka-036', name: 'ka-036', samples: 72 }]);
    expect(set.proposals[2].headingDeg).toBeNull();
    expect(set.placement).toMatchObject({ newDevices: 3 });
  });

  it('names the file, the feature and the field of bad content', () => {
    expect(() => parseProposals({ type: 'Feature' }, 'j')).toThrow("proposals of job j, document, field 'type': not a GeoJSON FeatureCollection");
    const bad = proposalsJson();
    (bad.features[1].properties as Record<string, unknown>).heightM = 'high';
    expect(() => parseProposals(bad, 'j')).toThrow(`proposals of job j, feature 1 ('new-1'), field 'heightM': must be a finite number, got "high"`);
    const bad2 = proposalsJson();
    (bad2.features[0].properties as Record<string, unknown>).device = 'radar';
    expect(() => parseProposals(bad2, 'j')).toThrow(`feature 0 ('new-2'), field 'device'`);
    const bad3 = proposalsJson();
    (bad3.features[0] as { geometry: unknown }).geometry = { type: 'Point', coordinates: [1] };
    expect(() => parseProposals(bad3, 'j')).toThrow(`feature 0 ('new-2'), field 'geometry'`);
  });

  it('accepts and rejects: decided ones leave the pending list; undo brings a proposal back, redo takes it away again', () => {
    const list = new ProposalList(parseProposals(proposalsJson(), 'job-1'));
    list.accept('new-1', ['opt-job1-1']);
    list.reject('new-3');
    expect(list.pending().map((p) => p.id)).toEqual(['new-2']);
    expect(list.counts()).toEqual({ pending: 1, accepted: 1, rejected: 1 });
    expect(() => list.accept('new-1', [])).toThrow(/already accepted/);
    expect(() => list.reject('new-9')).toThrow(/no proposal 'new-9' in job job-1/);
    const inventory = new Set(['opt-job1-1']);
    expect(list.reconcile((id) => inventory.has(id))).toBe(false);
    inventory.delete('opt-job1-1'); // undo
    expect(list.reconcile((id) => inventory.has(id))).toBe(true);
    expect(list.pending().map((p) => p.id)).toEqual(['new-1', 'new-2']);
    inventory.add('opt-job1-1'); // redo
    expect(list.reconcile((id) => inventory.has(id))).toBe(true);
    expect(list.get('new-1').state).toBe('accepted');
    expect(list.pending().map((p) => p.id)).toEqual(['new-2']);
    // Accepting again after an undo records the new devices.
    inventory.delete('opt-job1-1');
    list.reconcile((id) => inventory.has(id));
    list.accept('new-1', ['opt-job1-1-2']);
    expect(list.get('new-1').deviceIds).toEqual(['opt-job1-1-2']);
  });

  it('makes fresh device ids', () => {
    const taken = new Set(['opt-job1-1', 'opt-job1-1-2']);
    expect(proposalDeviceId('job-1', 2, (id) => taken.has(id))).toBe('opt-job1-2');
    expect(proposalDeviceId('job-1', 1, (id) => taken.has(id))).toBe('opt-job1-1-3');
  });
});

describe('proposal → devices, as the placement job modelled them', () => {
  const set = parseProposals(proposalsJson(), 'job-1');

  it('a camera: the template’s sensor, lens and tilt at the proposed heading, healthy and networked', () => {
    expect(cameraTemplate('2560×1440 45° lens, tilt 10°')).toEqual({ widthPx: 2560, heightPx: 1440, hfovDeg: 45, tiltDeg: 10 });
    expect(cameraTemplate('?')).toEqual({ widthPx: 1920, heightPx: 1080, hfovDeg: 60, tiltDeg: 15 });
    const feats = proposalDevices(set.proposals[1], 'opt-1', 'x', 'job-1');
    expect(feats).toHaveLength(1);
    const [cam] = camerasFromDevices(cityOf(feats).devices);
    // The same spec as the placement's camera column (sim-core/placement/city.ts newCameraColumns).
    expect(cam).toMatchObject({ id: 'opt-1', kind: 'camera', heightM: 8, headingDeg: 270, tiltDeg: 15, hfovDeg: 60, widthPx: 1920, heightPx: 1080, ptz: false, panRangeDeg: 0, doriLevel: 'observation', healthy: true, networked: true, assumed: [] });
  });

  it('a 5G macro site: three sectors at 0/120/240° on one site with the template’s band and power', () => {
    const feats = proposalDevices(set.proposals[2], 'opt-3', 'x', 'job-1');
    expect(feats.map((f) => f.id)).toEqual(['opt-3/0', 'opt-3/120', 'opt-3/240']);
    const cells = cellsFromCity(cityOf(feats));
    expect(cells.map((c) => [c.azimuthDeg, c.omni, c.band, c.txPowerDbm, c.heightM, c.siteId])).toEqual([
      [0, false, 'n78', 53, 30, 'opt-3'],
      [120, false, 'n78', 53, 30, 'opt-3'],
      [240, false, 'n78', 53, 30, 'opt-3'],
    ]);
  });

  it('a small cell: one omni UMi cell; a weather station', () => {
    const small = { ...set.proposals[2], template: 'omni n78 small cell, 40 dBm', heightM: 8 };
    const cells = cellsFromCity(cityOf(proposalDevices(small, 'opt-s', 'x', 'j')));
    expect(cells).toHaveLength(1);
    expect(cells[0]).toMatchObject({ omni: true, scenario: 'umi', txPowerDbm: 40, band: 'n78' });
    const wx = proposalDevices({ ...set.proposals[2], device: 'weather', template: 'automatic weather station' }, 'opt-w', 'x', 'j');
    expect(wx).toEqual([{ type: 'Feature', id: 'opt-w', geometry: { type: 'Point', coordinates: [119.1679, 36.6849] }, properties: expect.objectContaining({ deviceType: 'weather', heightM: 30 }) }]);
  });
});

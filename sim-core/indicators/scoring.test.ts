import { describe, it, expect } from 'vitest';
import {
  CATALOGUE,
  ValueStore,
  composite,
  indicatorById,
  parseValuesDocument,
  scoreAll,
  scoreIndicator,
  valuesFromCoverage,
  type IndicatorScore,
} from './index.ts';

/** Values that reach ★5 on every graded row (typed from the digest's ★5 column). */
const FIVE: Record<string, number> = {
  e_licence_usage: 86,
  bus_arrival_prediction: 80,
  bus_estop_coverage: 21,
  smart_lighting: 100,
  smart_campus: 70,
  gov_app_subhall_open: 1,
  gov_app_rank_percentile: 25,
  hospital_smart_service: 4,
  signal_realtime_timing: 81,
  transit_epayment: 91,
  household_energy_metering: 80,
  env_monitoring: 91,
  gov_cloud: 96,
  multi_grid_integration: 6,
  pipeline_monitoring: 100,
  data_sharing: 90,
  open_data: 90.9,
  building_energy_metering: 80,
  software_revenue_share: 4.1,
  enterprise_cloud: 1001,
  digital_parks_municipal: 4,
  digital_parks_provincial: 1,
  ecommerce_share: 21,
  patent_growth: 15,
  industrialization_demo_bases: 2,
  next_gen_it_employment: 11,
  iiot_id_resolution_nodes: 1,
  ftth_coverage: 100,
  mobile_download_speed: 30,
  video_crime_contribution: 80,
  video_served_departments: 9,
  video_hd_coverage: 100,
  video_camera_health: 100,
  video_networking: 100,
  epolice_coverage: 100,
  broadband_200m_share: 70,
  ipv6_website_support: 50,
  nr5g_key_area_coverage: 80,
  topographic_map_coverage: 100,
  institutional_mechanism: 5,
  planning: 5,
  talent: 5,
  funding: 5,
  project_cultivation: 101,
  pilots_total: 2,
  pilots_provincial: 2,
  pilots_national: 0,
  publicity_events: 2,
  publicity_events_national_provincial: 2,
  publicity_data_hall_showcases: 0,
  smart_community: 81,
};

describe('every row at ★5', () => {
  it('scores 5 on all 42 graded rows and 100 points', () => {
    const r = scoreAll(FIVE);
    const graded = r.indicators.filter((i) => i.grading !== 'deduction');
    expect(graded).toHaveLength(42);
    expect(graded.filter((i) => i.stars !== 5).map((i) => i.id)).toEqual([]);
    expect(r.composite.floorStars).toBe(5);
    expect(r.composite.weighted.score).toBe(100);
    expect(r.composite.allAtLeast.map((a) => a.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
  });
});

describe('信息安全 deduction: 2% of the total score per incident (001@17113)', () => {
  it('each incident removes 2 points of 100 by default', () => {
    expect(scoreAll({ ...FIVE, info_security_incidents: 0 }).composite.weighted.score).toBe(100);
    expect(scoreAll({ ...FIVE, info_security_incidents: 1 }).composite.weighted.score).toBe(98);
    expect(scoreAll({ ...FIVE, info_security_incidents: 3 }).composite.weighted.score).toBe(94);
    const c = scoreAll({ ...FIVE, info_security_incidents: 3 }).composite;
    expect(c.weighted.beforeDeduction).toBe(100);
    expect(c.weighted.deduction).toBe(6);
    expect(c.weighted.incidents).toBe(3);
  });
  it('never goes below zero', () => {
    expect(scoreAll({ ...FIVE, info_security_incidents: 60 }).composite.weighted.score).toBe(0);
  });
  it("'achieved' base: 2% of the score reached", () => {
    // 42 rows all at ★4 → 80 points. 2 incidents: maximum base → 80 − 4 = 76; achieved base → 80 × (1 − 0.04) = 76.8
    const scores = CATALOGUE.map((ind): IndicatorScore => ({ ...scoreIndicator(ind, {}), status: ind.grading === 'deduction' ? 'deduction' : 'scored', stars: ind.grading === 'deduction' ? 0 : 4 }));
    expect(composite(scores, 2).weighted.score).toBe(76);
    expect(composite(scores, 2, { deductionBase: 'achieved' }).weighted.score).toBeCloseTo(76.8, 9);
    expect(composite(scores, 2, { deductionPercentPerIncident: 5 }).weighted.score).toBe(70);
  });
  it('the deduction is taken from the security row by Chinese name as well', () => {
    const [e] = parseValuesDocument({ 信息安全: 2 }, 'v.json');
    expect(e!.measure).toBe('info_security_incidents');
    expect(scoreAll({ ...FIVE, [e!.measure]: e!.value }).composite.weighted.score).toBe(96);
  });
  it('the security row itself is not graded', () => {
    const s = scoreIndicator(indicatorById('info_security')!, { info_security_incidents: 4 });
    expect(s.status).toBe('deduction');
    expect(s.gradedLevels).toEqual([]);
  });
});

describe('composite defaults and settings', () => {
  it('equal weights, linear points per star', () => {
    // 41 rows at ★5, smart lighting at ★3 (70): (41·1 + 0.6) / 42 · 100
    const c = scoreAll({ ...FIVE, smart_lighting: 70 }).composite;
    expect(c.weighted.score).toBeCloseTo(((41 + 0.6) / 42) * 100, 5);
    expect(c.floorStars).toBe(3);
    expect(c.allAtLeast[3]).toMatchObject({ stars: 4, status: 'fail', failing: ['smart_lighting'] });
  });
  it('weights are configurable and validated', () => {
    const w = Object.fromEntries(CATALOGUE.filter((i) => i.grading !== 'deduction').map((i) => [i.id, 0]));
    w.smart_lighting = 1;
    expect(scoreAll({ ...FIVE, smart_lighting: 70 }, { weights: w }).composite.weighted.score).toBeCloseTo(60, 9);
    expect(() => scoreAll(FIVE, { weights: { nope: 1 } })).toThrow(/unknown indicator/);
    expect(() => scoreAll(FIVE, { weights: { info_security: 1 } })).toThrow(/deduction/);
    expect(() => scoreAll(FIVE, { weights: { smart_lighting: -1 } })).toThrow(/≥ 0/);
  });
  it('points per star are configurable', () => {
    const c = scoreAll({ ...FIVE, smart_lighting: 70 }, { pointsPerStar: [0, 0, 0, 0.5, 0.75, 1] }).composite;
    expect(c.weighted.score).toBeCloseTo(((41 + 0.5) / 42) * 100, 5);
  });

  it("'/' cells: exempt by default in \"all ≥ N★\", strict on request", () => {
    // building energy is graded at ★5 only (80%); at 50% it is 0★.
    const v = { ...FIVE, building_energy_metering: 50 };
    const exempt = scoreAll(v).composite;
    expect(exempt.allAtLeast[2]!.status).toBe('pass'); // ≥3★: its ★3 cell is '/', no requirement
    expect(exempt.allAtLeast[2]!.exempt).toContain('building_energy_metering');
    expect(exempt.allAtLeast[4]!.failing).toEqual(['building_energy_metering']);
    expect(exempt.floorStars).toBe(4);
    const strict = scoreAll(v, { slashCells: 'strict' }).composite;
    expect(strict.allAtLeast[0]!.failing).toEqual(['building_energy_metering']);
    expect(strict.floorStars).toBe(0);
  });

  it('missing values: excluded by default ("undetermined"), or counted as 0★', () => {
    const v: Record<string, number> = { ...FIVE };
    delete v.smart_campus;
    const ex = scoreAll(v).composite;
    expect(ex.weighted.counted).toBe(41);
    expect(ex.weighted.score).toBe(100);
    expect(ex.allAtLeast[0]).toMatchObject({ status: 'undetermined', missing: ['smart_campus'] });
    expect(ex.floorStars).toBe(0);
    const zero = scoreAll(v, { missing: 'zero' }).composite;
    expect(zero.weighted.counted).toBe(42);
    expect(zero.weighted.score).toBeCloseTo((41 / 42) * 100, 5);
    expect(zero.allAtLeast[0]!.status).toBe('fail');
  });

  it('a partial row only blocks the levels it cannot decide', () => {
    const v: Record<string, number> = { ...FIVE, bus_arrival_prediction: 75 };
    delete v.bus_estop_coverage;
    const c = scoreAll(v).composite;
    expect(c.allAtLeast[1]!.status).toBe('pass'); // ★2 needs prediction only
    expect(c.allAtLeast[2]!.status).toBe('undetermined');
    expect(c.allAtLeast[4]!.status).toBe('fail'); // ★5 needs prediction ≥80 anyway
  });

  it('text rows given as levelsMet: literal (default) or cumulative reading', () => {
    const store = new ValueStore().add(parseValuesDocument({ 资金投入: { levelsMet: [2, 4, 5], source: '财政局', date: '2021-12' } }, 'v.json'));
    expect(scoreIndicator(indicatorById('funding')!, store).stars).toBe(5);
    expect(scoreIndicator(indicatorById('funding')!, store, { handLevelReading: 'cumulative' }).stars).toBe(2);
    expect(scoreAll(store, { handLevelReading: 'cumulative' }).indicators.find((i) => i.id === 'funding')!.stars).toBe(2);
  });

  it('explains the defaults', () => {
    const n = scoreAll(FIVE).composite.notes.join('\n');
    expect(n).toMatch(/equal weights/);
    expect(n).toMatch(/exempt/);
    expect(n).toMatch(/2% per incident/);
  });
});

describe('gap to the next star', () => {
  it('in concrete items for a simulated count-based rate: "4 more key areas need 5G coverage for ★4"', () => {
    const store = new ValueStore().addSimulated({
      nr5g_key_area_coverage: { value: 30, numerator: 6, denominator: 20, unit: 'percent', source: 'simulation', model: 'nr5g-coverage' },
    });
    const s = scoreIndicator(indicatorById('nr5g_key_area_coverage')!, store);
    expect(s.stars).toBe(3);
    expect(s.next!.star).toBe(4);
    const g = s.next!.alternatives[0]![0]!;
    expect(g.shortfall).toBe(20);
    expect(g.items!.count).toBe(4);
    expect(g.items!.zh).toBe('还需 4 个重点公共区域实现5G覆盖才能达到★4');
    expect(g.items!.en).toBe('4 more key public areas need 5G coverage for ★4');
  });
  it('rounds up to whole items, and a strict threshold needs one more', () => {
    const sim = (id: string, n: number, d: number) =>
      new ValueStore().addSimulated({ [id]: { value: (100 * n) / d, numerator: n, denominator: d, unit: 'percent', source: 'simulation', model: 'm' } });
    // 5G 11/23 → ★3; ★4 needs ≥50% → 11.5 → 12 areas → 1 more
    expect(scoreIndicator(indicatorById('nr5g_key_area_coverage')!, sim('nr5g_key_area_coverage', 11, 23)).next!.alternatives[0]![0]!.items!.en).toBe(
      '1 more key public area needs 5G coverage for ★4',
    );
    // signal timing 16/20 = 80% → ★4; ★5 needs >80% → 17 → 1 more
    const sig = scoreIndicator(indicatorById('signal_realtime_timing')!, sim('signal_realtime_timing', 16, 20));
    expect(sig.stars).toBe(4);
    expect(sig.next!.alternatives[0]![0]!.items!.count).toBe(1);
    // e-police 45/50 = 90% → ★4; ★5 needs 100% → 5 more intersections
    expect(scoreIndicator(indicatorById('epolice_coverage')!, sim('epolice_coverage', 45, 50)).next!.alternatives[0]![0]!.items!.zh).toBe(
      '还需 5 个重要路口设置电子警察监控点才能达到★5',
    );
  });
  it('AND rows list only the unmet part, with both parts when both are short', () => {
    const one = scoreIndicator(indicatorById('video_completeness')!, { video_hd_coverage: 85, video_camera_health: 95 });
    expect(one.stars).toBe(3);
    expect(one.next!.alternatives).toHaveLength(1);
    expect(one.next!.alternatives[0]!.map((g) => g.measure)).toEqual(['video_hd_coverage']);
    const both = scoreIndicator(indicatorById('video_completeness')!, { video_hd_coverage: 85, video_camera_health: 85 });
    expect(both.next!.alternatives[0]!.map((g) => [g.measure, g.shortfall])).toEqual([
      ['video_hd_coverage', 5],
      ['video_camera_health', 5],
    ]);
  });
  it('OR rows list the alternatives', () => {
    const s = scoreIndicator(indicatorById('pilots')!, { pilots_total: 2, pilots_provincial: 1, pilots_national: 0 });
    expect(s.stars).toBe(4);
    expect(s.next!.alternatives.map((a) => a.map((g) => `${g.measure}:${g.shortfall}`))).toEqual([['pilots_national:1'], ['pilots_provincial:1']]);
  });
  it("in the indicator's own units, and strict thresholds on whole numbers need threshold + 1", () => {
    const dl = scoreIndicator(indicatorById('mobile_download_speed')!, { mobile_download_speed: 22 });
    expect(dl.next!.alternatives[0]![0]).toMatchObject({ shortfall: 3, threshold: 25 });
    expect(dl.next!.alternatives[0]![0]!.en).toMatch(/Mbit\/s/);
    const grid = scoreIndicator(indicatorById('multi_grid_integration')!, { multi_grid_integration: 4 });
    expect(grid.next!.alternatives[0]![0]).toMatchObject({ op: '>', threshold: 5, shortfall: 2 });
    const rank = scoreIndicator(indicatorById('gov_service_app')!, { gov_app_subhall_open: 1, gov_app_rank_percentile: 60 });
    expect(rank.stars).toBe(3);
    expect(rank.next!.alternatives[0]![0]).toMatchObject({ measure: 'gov_app_rank_percentile', op: '<=', threshold: 50, shortfall: 10 });
  });
  it('fixed denominators give item gaps for hand entries too (IPv6: 10 sites)', () => {
    const s = scoreIndicator(indicatorById('ipv6_website_support')!, { ipv6_website_support: 20 });
    expect(s.next!.alternatives[0]![0]!.items!.count).toBe(1);
  });
  it('no next star at ★5', () => {
    expect(scoreIndicator(indicatorById('smart_lighting')!, { smart_lighting: 100 }).next).toBeUndefined();
  });
  it('simulated values flow through valuesFromCoverage into scoring', () => {
    const store = new ValueStore().add(
      valuesFromCoverage({
        indicators: {
          video_hd_coverage: { value: 90, numerator: 18, denominator: 20, unit: 'percent', source: 'simulation', model: 'camera-coverage' },
          video_camera_health: { value: 95, numerator: 95, denominator: 100, unit: 'percent', source: 'simulation', model: 'camera-health' },
        },
      }),
    );
    expect(scoreIndicator(indicatorById('video_completeness')!, store).stars).toBe(4);
  });
});

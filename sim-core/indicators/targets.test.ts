import { describe, it, expect } from 'vitest';
import {
  CITY_PLANS,
  DEZHOU,
  LAIXI,
  PROVINCE_STAR_TARGETS,
  WEIFANG,
  ZOUCHENG,
  compareWithTargets,
  indicatorById,
  measureById,
  planById,
  scoreAll,
  scoreIndicator,
  unknownTargetMeasures,
} from './index.ts';

/**
 * Laixi's 2021 numbers, typed independently from 003 (数字莱西2021年行动方案): row id → measure values.
 * DIGEST §0: they equal the county ★3 column for 18 indicators (003:48, 50, 56, 64, 76, 82, 88, 110, 112).
 */
const LAIXI_2021: Record<string, Record<string, number>> = {
  bus_realtime_info: { bus_arrival_prediction: 60, bus_estop_coverage: 5 }, // 003:48
  transit_epayment: { transit_epayment: 60 }, // 003:48
  signal_realtime_timing: { signal_realtime_timing: 40 }, // 003:48
  gov_cloud: { gov_cloud: 80 }, // 003:50
  gov_service_app: { gov_app_subhall_open: 1, gov_app_rank_percentile: 75 }, // 003:56 "51%-75%之间"
  env_monitoring: { env_monitoring: 60 }, // 003:64
  multi_grid_integration: { multi_grid_integration: 2 }, // 003:64
  smart_campus: { smart_campus: 40 }, // 003:76
  hospital_smart_service: { hospital_smart_service: 2 }, // 003:82
  epolice_coverage: { epolice_coverage: 80 }, // 003:88
  video_networking: { video_networking: 80 }, // 003:88
  public_video_application: { video_crime_contribution: 50, video_served_departments: 3 }, // 003:88 "3个以上"
  smart_lighting: { smart_lighting: 70 }, // 003:110
  ftth_coverage: { ftth_coverage: 80 }, // 003:112
  broadband_200m_share: { broadband_200m_share: 50 }, // 003:112
  ipv6_website_support: { ipv6_website_support: 10 }, // 003:112
  nr5g_key_area_coverage: { nr5g_key_area_coverage: 30 }, // 003:112
  mobile_download_speed: { mobile_download_speed: 20 }, // 003:112
};

describe('Laixi 2021 targets = county ★3 column', () => {
  it('there are 18 such indicators', () => {
    expect(Object.keys(LAIXI_2021)).toHaveLength(18);
  });

  for (const [row, vals] of Object.entries(LAIXI_2021)) {
    if (row === 'public_video_application') continue;
    it(`${row} scores ★3 at Laixi's 2021 target`, () => {
      const s = scoreIndicator(indicatorById(row)!, vals);
      expect(s.stars).toBe(3);
      expect(s.status).toBe('scored');
    });
  }

  it('public-security video: "3个以上" read as ≥3 is one department short of ★3 ("多于3个"), flagged as uncertain', () => {
    const s = scoreIndicator(indicatorById('public_video_application')!, LAIXI_2021.public_video_application!);
    expect(s.stars).toBe(2);
    expect(s.next!.alternatives[0]!.map((g) => [g.measure, g.shortfall])).toEqual([['video_served_departments', 1]]);
    expect(scoreIndicator(indicatorById('public_video_application')!, { video_crime_contribution: 50, video_served_departments: 4 }).stars).toBe(3);
    const t = LAIXI.targets.find((x) => x.measure === 'video_served_departments')!;
    expect(t.uncertain).toMatch(/one department short/);
  });

  it('the targets data holds exactly these numbers, each marked as equal to the ★3 column', () => {
    const expected = Object.values(LAIXI_2021).flatMap((v) => Object.entries(v));
    const got = LAIXI.targets.map((t) => [t.measure, t.value] as [string, number]);
    expect(got.sort()).toEqual(expected.sort());
    for (const t of LAIXI.targets) {
      expect(t.equalsCountyStar).toBe(3);
      expect(t.due).toBe('2021-12-31');
      expect(t.cite).toMatch(/^003:(48|50|56|64|76|82|88|110|112)$/);
    }
  });

  it('scoring the targets data itself (value = target) gives ★3 on the 17 unflagged rows', () => {
    const values = Object.fromEntries(LAIXI.targets.map((t) => [t.measure, t.op === '>' ? t.value + 0.1 : t.value]));
    const r = scoreAll(values);
    const byId = Object.fromEntries(r.indicators.map((i) => [i.id, i.stars]));
    const rows = Object.keys(LAIXI_2021).filter((r) => r !== 'public_video_application');
    expect(rows.map((id) => byId[id])).toEqual(rows.map(() => 3));
  });
});

describe('city targets', () => {
  it('every target names a known measure and plans are found by id or Chinese name', () => {
    expect(unknownTargetMeasures()).toEqual([]);
    expect(planById('潍坊')).toBe(WEIFANG);
    expect(planById('Weifang')).toBe(WEIFANG);
    expect(planById('德州市')).toBe(DEZHOU);
    expect(planById('laixi')).toBe(LAIXI);
    expect(planById('邹城')).toBe(ZOUCHENG);
    expect(planById('济南')).toBeUndefined();
    for (const p of CITY_PLANS) for (const t of p.targets) expect(t.cite).toMatch(/^00[0-4][:@]/);
  });

  it('Weifang 2021: 5G key-area coverage 80% (000:89)', () => {
    const t = WEIFANG.targets.filter((x) => x.measure === 'nr5g_key_area_coverage');
    expect(t.map((x) => [x.due, x.op, x.value])).toEqual([
      ['2020-10-31', '>=', 60],
      ['2021-12-31', '>=', 80],
    ]);
    const at = (v: number) => compareWithTargets(WEIFANG, { nr5g_key_area_coverage: v }).targets.filter((x) => x.measure === 'nr5g_key_area_coverage');
    expect(at(79.9).map((x) => x.met)).toEqual([true, false]);
    expect(at(79.9)[1]!.shortfall).toBeCloseTo(0.1, 9);
    expect(at(80).map((x) => x.met)).toEqual([true, true]);
    expect(at(59.9).map((x) => x.met)).toEqual([false, false]);
  });

  it('strict targets: Weifang 2021 "超过75%" e-payment and "多于8个" departments', () => {
    const c = compareWithTargets(WEIFANG, { transit_epayment: 75, video_served_departments: 8 });
    expect(c.targets.find((x) => x.measure === 'transit_epayment' && x.due === '2021-12-31')!.met).toBe(false);
    expect(c.targets.find((x) => x.measure === 'video_served_departments' && x.due === '2021-12-31')!.met).toBe(false);
    const d = compareWithTargets(WEIFANG, { transit_epayment: 75.1, video_served_departments: 9 });
    expect(d.targets.find((x) => x.measure === 'transit_epayment' && x.due === '2021-12-31')!.met).toBe(true);
    expect(d.targets.find((x) => x.measure === 'video_served_departments' && x.due === '2021-12-31')!.met).toBe(true);
  });

  it('weather-station spacing is a city-level target only: smaller is better (Weifang <10 km, then <5 km; Dezhou <5 km)', () => {
    expect(measureById('weather_station_spacing')!.indicator).toBeNull();
    expect(measureById('weather_station_spacing')!.measure.better).toBe('lower');
    const w = (v: number) => compareWithTargets(WEIFANG, { weather_station_spacing: v }).targets.filter((x) => x.measure === 'weather_station_spacing').map((x) => x.met);
    expect(w(10)).toEqual([false, false]);
    expect(w(9.9)).toEqual([true, false]);
    expect(w(5)).toEqual([true, false]);
    expect(w(4.9)).toEqual([true, true]);
    const d = compareWithTargets(DEZHOU, { weather_station_spacing: 4.9 }).targets.find((x) => x.measure === 'weather_station_spacing')!;
    expect(d).toMatchObject({ met: true, due: '2021-12-31', cite: '002:69' });
  });

  it('Dezhou 2021 video targets, with the naming drift flagged', () => {
    const v = DEZHOU.targets.filter((t) => t.cite === '002:75');
    expect(v.map((t) => [t.measure, t.op, t.value]).sort()).toEqual(
      [
        ['epolice_coverage', '>=', 100],
        ['video_camera_health', '>=', 100],
        ['video_crime_contribution', '>=', 90],
        ['video_hd_coverage', '>=', 100],
        ['video_networking', '>=', 100],
        ['video_served_departments', '>', 6],
      ].sort(),
    );
    expect(v.find((t) => t.measure === 'video_hd_coverage')!.uncertain).toMatch(/视频监控完善率/);
  });

  it('Zoucheng: every indicator ≥ ★4 by the October 2022 acceptance (001@6539), checked against the composite', () => {
    expect(ZOUCHENG.starGoals.map((g) => [g.scope, g.stars, g.due])).toEqual([
      ['composite', 4, '2022-10-31'],
      ['every-indicator', 4, '2022-10-31'],
    ]);
    const four: Record<string, number> = { smart_lighting: 90 };
    const r = scoreAll(four);
    const c = compareWithTargets(ZOUCHENG, four, r.composite);
    expect(c.starGoals[1]!.status).toBe('undetermined'); // other indicators missing
    const low = scoreAll({ smart_lighting: 89.9 });
    expect(compareWithTargets(ZOUCHENG, { smart_lighting: 89.9 }, low.composite).starGoals[1]!.status).toBe('not-met');
  });

  it("the province's star targets for 2022 and 2025 (004 一)", () => {
    const f = (y: number, l: string) => PROVINCE_STAR_TARGETS.filter((p) => p.year === y && p.level === l).map((p) => [p.sharePercent ?? `count ${p.count}`, p.minStars]);
    expect(f(2022, 'city')).toEqual([[100, 3]]);
    expect(f(2022, 'county')).toEqual([[80, 3]]);
    expect(f(2025, 'county')).toEqual([
      [100, 3],
      [60, 4],
    ]);
    expect(f(2025, 'city')).toEqual([
      [100, 4],
      ['count 3', 5],
    ]);
  });

  it('Weifang and Dezhou goals are four-star; they are cities under Part 1', () => {
    expect(WEIFANG.starGoals[0]!.stars).toBe(4);
    expect(DEZHOU.starGoals[0]).toMatchObject({ stars: 4, cite: '002:30' });
    expect(WEIFANG.level).toBe('city');
    expect(DEZHOU.standardPart).toMatch(/Part 1/);
  });
});

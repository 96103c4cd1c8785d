import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../sim-core/indicators/catalogue.ts';
import { WEIFANG } from '../../sim-core/indicators/targets.ts';
import { parseValuesDocument, type SimulatedIndicatorValues } from '../../sim-core/indicators/values.ts';
import { buildIndicatorModel, gapText, starGlyphs } from './indicator-rows.ts';

const sim = (value: number, numerator?: number, denominator?: number) => ({
  value,
  ...(numerator !== undefined ? { numerator, denominator } : {}),
  unit: 'percent' as const,
  source: 'simulation' as const,
  model: 'test',
});

const SIM: SimulatedIndicatorValues = {
  video_hd_coverage: sim((100 * 95) / 116, 95, 116),
  video_camera_health: sim(92),
  video_networking: sim(95),
  epolice_coverage: sim((100 * 284) / 374, 284, 374),
  nr5g_key_area_coverage: sim(33.333333, 1, 3),
};

describe('indicator model', () => {
  it('has every catalogue row, grouped by category, in catalogue order', () => {
    const m = buildIndicatorModel({ simulated: SIM, plan: WEIFANG });
    expect(m.rows.map((r) => r.id)).toEqual(CATALOGUE.map((i) => i.id));
    expect(m.rows).toHaveLength(43);
    expect(m.groups.flatMap((g) => g.rows).length).toBe(43);
    for (const g of m.groups) for (const r of g.rows) expect(r.category).toBe(g.category);
    expect(m.errors).toEqual([]);
  });

  it('scores simulated rows from their values and gives the gap in items', () => {
    const m = buildIndicatorModel({ simulated: SIM, plan: WEIFANG });
    const video = m.rows.find((r) => r.id === 'video_completeness')!;
    expect(video.simulated).toBe(true);
    expect(video.stars).toBe(3); // 81.9 % and 92 % ≥ 80, not both ≥ 90
    expect(video.next?.star).toBe(4);
    // 95/116 → ★4 needs 90 %: ceil(104.4) = 105 areas, 10 more.
    expect(gapText(video.next, 'en')).toContain('10 more');
    expect(gapText(video.next, 'zh-CN')).toContain('10');
    const ep = m.rows.find((r) => r.id === 'epolice_coverage')!;
    expect(ep.stars).toBe(0); // 75.9 % below ★3 (80 %)
    expect(ep.values[0]!.numerator).toBe(284);
    expect(ep.targets[0]).toMatchObject({ measure: 'epolice_coverage', value: 100, met: false });
  });

  it('a changed simulated value changes the row and the summary', () => {
    const a = buildIndicatorModel({ simulated: SIM });
    const b = buildIndicatorModel({ simulated: { ...SIM, video_hd_coverage: sim((100 * 106) / 116, 106, 116) } });
    const ra = a.rows.find((r) => r.id === 'video_completeness')!;
    const rb = b.rows.find((r) => r.id === 'video_completeness')!;
    expect(rb.values[0]!.value).toBeGreaterThan(ra.values[0]!.value!);
    expect(rb.stars).toBe(4);
    expect(b.summary.byStars[4]).toBe(a.summary.byStars[4] + 1);
  });

  it('rows without a value say so and count as missing', () => {
    const m = buildIndicatorModel({ simulated: SIM });
    const ftth = m.rows.find((r) => r.id === 'ftth_coverage')!;
    expect(ftth.status).toBe('missing');
    expect(ftth.values[0]!.source).toBe('none');
    expect(m.summary.missing).toBe(42 - 4);
    expect(m.summary.withValue).toBe(4);
  });

  it('takes stated values for other rows and refuses one that contradicts the simulation, naming it', () => {
    const stated = parseValuesDocument({ ftth_coverage: 95, epolice_coverage: 99 }, 'city.json');
    const m = buildIndicatorModel({ simulated: SIM, stated });
    const ftth = m.rows.find((r) => r.id === 'ftth_coverage')!;
    expect(ftth.values[0]).toMatchObject({ value: 95, source: 'stated' });
    expect(ftth.stars).toBeGreaterThan(0);
    const ep = m.rows.find((r) => r.id === 'epolice_coverage')!;
    expect(ep.values[0]!.source).toBe('simulation');
    expect(m.errors).toHaveLength(1);
    expect(m.errors[0]).toContain('city.json');
    expect(m.errors[0]).toContain('epolice_coverage');
  });

  it('shows weather spacing as a city-level row with its target', () => {
    const m = buildIndicatorModel({ simulated: { ...SIM, weather_station_spacing: { value: 3.2, unit: 'km', source: 'simulation', model: 'weather-spacing' } }, plan: WEIFANG });
    expect(m.cityLevel).toHaveLength(1);
    expect(m.cityLevel[0]!.value.value).toBe(3.2);
    expect(m.cityLevel[0]!.target).toMatchObject({ op: '<', value: 5, met: true });
  });
});

describe('stars and gaps', () => {
  it('draws filled and hollow stars up to the maximum', () => {
    expect(starGlyphs(3, 5)).toBe('★★★☆☆');
    expect(starGlyphs(0, 5)).toBe('☆☆☆☆☆');
    expect(starGlyphs(7, 5)).toBe('★★★★★');
  });
  it('has no gap at the top', () => {
    expect(gapText(null, 'en')).toBeNull();
  });
});

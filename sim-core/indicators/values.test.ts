import { describe, it, expect } from 'vitest';
import { ValueStore, ValuesError, parseValuesDocument, valuesFromCoverage, type SimulatedIndicatorValues } from './index.ts';

const SIM: SimulatedIndicatorValues = {
  nr5g_key_area_coverage: { value: 45, numerator: 9, denominator: 20, unit: 'percent', source: 'simulation', model: 'nr5g-coverage', computedAt: '2021-06-30T12:00:00Z' },
  video_hd_coverage: { value: 85, numerator: 17, denominator: 20, unit: 'percent', source: 'simulation', model: 'camera-coverage' },
  weather_station_spacing: { value: 6.5, unit: 'km', source: 'simulation', model: 'weather-spacing' },
};

function errorOf(fn: () => unknown): ValuesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValuesError) return e;
    throw e;
  }
  throw new Error('expected a ValuesError');
}

describe('values documents', () => {
  it('maps ids and Chinese names (as in the seed table) to the same measures', () => {
    const a = parseValuesDocument({ nr5g_key_area_coverage: 60, 视频监控联网率: 85, '智能照明设备 安装率★': 70, 移动通信网络平均下载速率: 22.5 }, 'v.json');
    expect(a.map((e) => [e.measure, e.value])).toEqual([
      ['nr5g_key_area_coverage', 60],
      ['video_networking', 85],
      ['smart_lighting', 70],
      ['mobile_download_speed', 22.5],
    ]);
    const b = parseValuesDocument({ '5G网络覆盖率': 60 }, 'v.json');
    expect(b[0]!.measure).toBe('nr5g_key_area_coverage');
  });

  it('out-of-range values are errors naming the file, the key and the range', () => {
    expect(errorOf(() => parseValuesDocument({ '5G网络覆盖率': 130 }, 'values.json')).message).toBe(
      'values.json: key "5G网络覆盖率": 130 is out of range 0–100 (percent)',
    );
    expect(errorOf(() => parseValuesDocument({ smart_lighting: -1 }, 'v.json')).message).toMatch(/-1 is out of range 0–100/);
    expect(errorOf(() => parseValuesDocument({ mobile_download_speed: -3 }, 'v.json')).message).toMatch(/Mbit\/s/);
    expect(errorOf(() => parseValuesDocument({ multi_grid_integration: 2.5 }, 'v.json')).message).toMatch(/not a whole number/);
    expect(errorOf(() => parseValuesDocument({ hospital_smart_service: 6 }, 'v.json')).message).toMatch(/out of range 0–5/);
    expect(errorOf(() => parseValuesDocument({ smart_lighting: '70%' }, 'v.json')).message).toMatch(/not a number \(percentages as 0–100\)/);
    // a growth rate may be negative
    expect(parseValuesDocument({ patent_growth: -12 }, 'v.json')[0]!.value).toBe(-12);
  });

  it('unknown keys are errors', () => {
    const e = errorOf(() => parseValuesDocument({ '5G覆盖': 50 }, 'city.json'));
    expect(e.file).toBe('city.json');
    expect(e.key).toBe('5G覆盖');
    expect(e.message).toMatch(/^city\.json: key "5G覆盖": unknown indicator/);
    expect(errorOf(() => parseValuesDocument({ $foo: 1 }, 'v.json')).message).toMatch(/unknown meta key/);
  });

  it('a two-number row cannot be given as one number', () => {
    const e = errorOf(() => parseValuesDocument({ 视频监控完善程度: 90 }, 'v.json'));
    expect(e.message).toMatch(/video_hd_coverage/);
    expect(e.message).toMatch(/video_camera_health/);
  });

  it('the same indicator twice in one document (id and Chinese name) is an error', () => {
    expect(errorOf(() => parseValuesDocument({ nr5g_key_area_coverage: 50, '5G网络覆盖率': 50 }, 'v.json')).message).toMatch(/already given/);
  });

  it('numerator/denominator are checked and give the value', () => {
    expect(parseValuesDocument({ epolice_coverage: { numerator: 45, denominator: 50, source: '交警', date: '2021-03' } }, 'v.json')[0]!.value).toBe(90);
    expect(errorOf(() => parseValuesDocument({ epolice_coverage: { value: 80, numerator: 45, denominator: 50 } }, 'v.json')).message).toMatch(/does not match/);
    expect(errorOf(() => parseValuesDocument({ epolice_coverage: { numerator: 51, denominator: 50 } }, 'v.json')).message).toMatch(/exceeds/);
    expect(errorOf(() => parseValuesDocument({ epolice_coverage: { numerator: 5 } }, 'v.json')).message).toMatch(/both/);
    expect(errorOf(() => parseValuesDocument({ ipv6_website_support: { numerator: 3, denominator: 12 } }, 'v.json')).message).toMatch(/fixes the denominator at 10/);
  });

  it('hand entries carry source and date ($source/$date defaults, or per entry)', () => {
    const [a, b] = parseValuesDocument({ $source: '统计年报', $date: '2021-12-31', smart_lighting: 70, gov_cloud: { value: 85, source: '大数据局', date: '2021-11' } }, 'v.json');
    expect(a!.provenance).toEqual({ kind: 'hand', source: '统计年报', date: '2021-12-31', origin: 'v.json' });
    expect(b!.provenance).toEqual({ kind: 'hand', source: '大数据局', date: '2021-11', origin: 'v.json' });
    const [c] = parseValuesDocument({ smart_lighting: 70 }, 'plain.json');
    expect(c!.provenance).toEqual({ kind: 'hand', source: 'plain.json', origin: 'plain.json' });
    expect(errorOf(() => parseValuesDocument({ smart_lighting: { value: 70, date: 'last year' } }, 'v.json')).message).toMatch(/date/);
  });
});

describe('coverage reports (simulation hand-off)', () => {
  it('valuesFromCoverage accepts { indicators } and a bare SimulatedIndicatorValues', () => {
    const a = valuesFromCoverage({ indicators: SIM, areas: [] });
    const b = valuesFromCoverage(SIM);
    expect(a).toEqual(b);
    expect(a.map((e) => e.provenance.kind)).toEqual(['simulation', 'simulation', 'simulation']);
    expect(a[0]!.provenance).toEqual({ kind: 'simulation', model: 'nr5g-coverage', computedAt: '2021-06-30T12:00:00Z', origin: 'coverage' });
  });
  it('parseValuesDocument detects a coverage report and ignores its other fields', () => {
    const es = parseValuesDocument({ city: 'demo', cameras: [1, 2], indicators: SIM }, 'cov.json');
    expect(es.map((e) => e.measure)).toEqual(['nr5g_key_area_coverage', 'video_hd_coverage', 'weather_station_spacing']);
  });
  it('rejects simulated entries without a model, with the wrong unit, or not marked as simulation', () => {
    const bad = (v: unknown) => errorOf(() => valuesFromCoverage({ indicators: { nr5g_key_area_coverage: v } }, 'cov.json')).message;
    expect(bad({ value: 40, unit: 'percent', source: 'simulation' })).toMatch(/model/);
    expect(bad({ value: 40, unit: 'count', source: 'simulation', model: 'm' })).toMatch(/unit/);
    expect(bad({ value: 40, unit: 'percent', source: 'hand', model: 'm' })).toMatch(/simulation/);
    expect(bad(40)).toMatch(/simulation/);
    expect(bad({ value: 140, unit: 'percent', source: 'simulation', model: 'm' })).toMatch(/out of range/);
  });
});

describe('provenance rule: simulated values are never overwritten silently', () => {
  it('a differing hand entry after a simulated value is an error', () => {
    const store = new ValueStore().addSimulated({ indicators: SIM }, 'cov.json');
    const e = errorOf(() => store.add(parseValuesDocument({ '5G网络覆盖率': 60 }, 'hand.json')));
    expect(e.message).toMatch(/^hand\.json: key "5G网络覆盖率": hand entry 60 conflicts with the simulated value 45/);
    expect(e.message).toMatch(/override/);
    expect(store.get('nr5g_key_area_coverage')!.value).toBe(45);
  });

  it('the same conflict in the other order (hand first, then simulation) is an error too', () => {
    const store = new ValueStore().add(parseValuesDocument({ '5G网络覆盖率': 60 }, 'hand.json'));
    const e = errorOf(() => store.addSimulated({ indicators: SIM }, 'cov.json'));
    expect(e.message).toMatch(/hand entry 60 conflicts with the simulated value 45/);
    expect(e.file).toBe('hand.json');
  });

  it('an explicit override with a reason replaces the simulated value and is recorded', () => {
    for (const order of ['sim-first', 'hand-first'] as const) {
      const store = new ValueStore();
      const hand = parseValuesDocument({ '5G网络覆盖率': { value: 60, override: true, reason: '运营商实测', source: '工信局', date: '2021-09' } }, 'hand.json');
      const sim = valuesFromCoverage({ indicators: SIM }, 'cov.json');
      if (order === 'sim-first') store.add(sim).add(hand);
      else store.add(hand).add(sim);
      const e = store.get('nr5g_key_area_coverage')!;
      expect(e.value, order).toBe(60);
      expect(e.provenance.kind).toBe('hand');
      expect(e.overrode).toEqual({
        value: 45,
        numerator: 9,
        denominator: 20,
        provenance: { kind: 'simulation', model: 'nr5g-coverage', computedAt: '2021-06-30T12:00:00Z', origin: 'cov.json' },
        reason: '运营商实测',
      });
      expect(store.overrides().map((x) => x.measure)).toEqual(['nr5g_key_area_coverage']);
      // the other simulated values are untouched
      expect(store.get('video_hd_coverage')!.provenance.kind).toBe('simulation');
    }
  });

  it('an override needs a reason', () => {
    expect(errorOf(() => parseValuesDocument({ nr5g_key_area_coverage: { value: 60, override: true } }, 'h.json')).message).toMatch(/reason/);
  });

  it('an override with nothing to override is reported as a warning', () => {
    const store = new ValueStore().add(parseValuesDocument({ smart_lighting: { value: 60, override: true, reason: 'x', date: '2021' } }, 'h.json'));
    expect(store.warnings().join('\n')).toMatch(/no simulated value to override/);
  });

  it('a hand entry equal to the simulated value is kept as corroboration, the simulated value stays', () => {
    const store = new ValueStore().addSimulated(SIM, 'cov.json').add(parseValuesDocument({ video_hd_coverage: 85 }, 'hand.json'));
    const e = store.get('video_hd_coverage')!;
    expect(e.provenance.kind).toBe('simulation');
    expect(e.corroboratedBy).toEqual([{ kind: 'hand', source: 'hand.json', origin: 'hand.json' }]);
    expect(e.overrode).toBeUndefined();
  });

  it('two differing simulated values, or two differing hand entries, are errors', () => {
    const other: SimulatedIndicatorValues = { nr5g_key_area_coverage: { value: 50, unit: 'percent', source: 'simulation', model: 'nr5g-v2' } };
    expect(() => new ValueStore().addSimulated(SIM, 'a.json').addSimulated(other, 'b.json')).toThrow(/conflicts with another simulated value/);
    expect(() => new ValueStore().add(parseValuesDocument({ smart_lighting: 60 }, 'a.json')).add(parseValuesDocument({ 智能照明设备安装率: 70 }, 'b.json'))).toThrow(
      /given twice by hand/,
    );
  });
});

/**
 * Every threshold of the county table, on both sides of its boundary.
 *
 * The expected table below is typed independently from ../shared/seeds/DIGEST.md §a/§b (and checked
 * against the raw text of 001 at the cited offsets); it does not read the catalogue's cells. A bare
 * number in the digest means ≥ (达到); '>' is strict (超过/多于); null is a '/' cell.
 */
import { describe, it, expect } from 'vitest';
import { CATALOGUE, indicatorById, scoreIndicator, measureById, ValuesError, parseValuesDocument } from './index.ts';

type Cell = string | null;
const SINGLE: Record<string, [Cell, Cell, Cell, Cell, Cell]> = {
  e_licence_usage: ['>=10', '>=30', '>=60', '>=80', '>85'],
  smart_lighting: ['>=20', '>=50', '>=70', '>=90', '>=100'],
  smart_campus: ['>=20', '>=30', '>=40', '>=50', '>=70'],
  hospital_smart_service: [null, null, '>=2', '>=3', '>=4'],
  signal_realtime_timing: [null, null, '>=40', '>=60', '>80'],
  transit_epayment: [null, null, '>=60', '>=75', '>90'],
  household_energy_metering: [null, null, '>=50', '>=70', '>=80'],
  env_monitoring: ['>=30', '>=50', '>=60', '>=80', '>90'],
  gov_cloud: [null, null, '>=80', '>=90', '>95'],
  multi_grid_integration: [null, null, '>=2', '>=4', '>5'],
  pipeline_monitoring: [null, null, '>=70', '>=85', '>=100'],
  data_sharing: [null, null, null, '>=80', '>=90'],
  open_data: [null, null, null, '>=80', '>=90'],
  building_energy_metering: [null, null, null, null, '>=80'],
  software_revenue_share: [null, '>=1', '>=2', '>=3', '>4'],
  enterprise_cloud: [null, '>=100', '>=200', '>=500', '>1000'],
  ecommerce_share: [null, null, '>=10', '>=15', '>20'],
  patent_growth: [null, null, '>=5', '>=10', '>=15'],
  industrialization_demo_bases: [null, null, null, '>=1', '>=2'],
  next_gen_it_employment: [null, null, null, '>=5', '>10'],
  iiot_id_resolution_nodes: [null, null, null, null, '>=1'],
  ftth_coverage: ['>=50', '>=60', '>=80', '>=90', '>=100'],
  mobile_download_speed: ['>=5', '>=10', '>=20', '>=25', '>=30'],
  video_networking: [null, null, '>=80', '>=90', '>=100'],
  epolice_coverage: [null, null, '>=80', '>=90', '>=100'],
  broadband_200m_share: [null, null, '>=50', '>=60', '>=70'],
  ipv6_website_support: [null, null, '>=10', '>=30', '>=50'],
  nr5g_key_area_coverage: [null, null, '>=30', '>=50', '>=80'],
  topographic_map_coverage: [null, null, null, '>=90', '>=100'],
  project_cultivation: [null, '>=50', '>=70', '>=80', '>100'],
  smart_community: [null, null, null, '>=40', '>80'],
};
/** Whole-number measures (step 1); others step 0.1. */
const INTEGER = new Set(['hospital_smart_service', 'multi_grid_integration', 'enterprise_cloud', 'industrialization_demo_bases', 'iiot_id_resolution_nodes', 'project_cultivation']);
const HAND: Record<string, number[]> = {
  institutional_mechanism: [1, 2, 3, 4, 5],
  planning: [1, 2, 3, 4, 5],
  talent: [2, 3, 4, 5],
  funding: [2, 3, 4, 5],
};
const LEAD = new Set([
  'smart_lighting',
  'multi_grid_integration',
  'digital_economy_parks',
  'patent_growth',
  'next_gen_it_employment',
  'iiot_id_resolution_nodes',
  'ipv6_website_support',
  'nr5g_key_area_coverage',
  'funding',
  'project_cultivation',
]);

function parse(c: string): { op: '>=' | '>'; t: number } {
  return c.startsWith('>=') ? { op: '>=', t: Number(c.slice(2)) } : { op: '>', t: Number(c.slice(1)) };
}

/** The test's own reading of a row: the highest level whose cell the value satisfies. */
function oracle(cells: readonly Cell[], v: number): number {
  let best = 0;
  cells.forEach((c, i) => {
    if (!c) return;
    const { op, t } = parse(c);
    if (op === '>=' ? v >= t : v > t) best = i + 1;
  });
  return best;
}

function starOf(id: string, values: Record<string, number>): number {
  return scoreIndicator(indicatorById(id)!, values).stars;
}

describe('catalogue shape', () => {
  it('has the 43 rows of the table (42 graded + the 信息安全 deduction) and six first-level labels', () => {
    expect(CATALOGUE).toHaveLength(43);
    expect(CATALOGUE.filter((i) => i.grading === 'deduction').map((i) => i.id)).toEqual(['info_security']);
    expect(new Set(CATALOGUE.map((i) => i.category)).size).toBe(6);
    const covered = new Set([...Object.keys(SINGLE), ...Object.keys(HAND)]);
    const compound = ['bus_realtime_info', 'gov_service_app', 'digital_economy_parks', 'public_video_application', 'video_completeness', 'pilots', 'publicity'];
    for (const c of compound) covered.add(c);
    covered.add('info_security');
    expect(CATALOGUE.map((i) => i.id).sort()).toEqual([...covered].sort());
  });
  it('ids are unique and every row cites the seeds', () => {
    expect(new Set(CATALOGUE.map((i) => i.id)).size).toBe(CATALOGUE.length);
    for (const i of CATALOGUE) {
      expect(i.cite.length).toBeGreaterThan(0);
      for (const c of i.cite) expect(c).toMatch(/^001@\d+$/);
    }
  });
  it('★ lead flags match the table (001@7913)', () => {
    expect(new Set(CATALOGUE.filter((i) => i.lead).map((i) => i.id))).toEqual(LEAD);
  });
  it('rows the digest flags as uncertain say so', () => {
    for (const id of ['building_energy_metering', 'software_revenue_share', 'enterprise_cloud', 'next_gen_it_employment']) {
      expect(indicatorById(id)!.uncertain, id).toMatch(/inferred/);
    }
  });
  it('text-level rows are graded by a hand-entered level and say so', () => {
    for (const id of Object.keys(HAND)) {
      const ind = indicatorById(id)!;
      expect(ind.grading).toBe('hand-level');
      expect(ind.measures[0]!.unit).toBe('level');
      expect(ind.definitionEn).toMatch(/evaluator/);
    }
  });
});

describe('single-number thresholds, both sides of every boundary', () => {
  for (const [id, cells] of Object.entries(SINGLE)) {
    const step = INTEGER.has(id) ? 1 : 0.1;
    const max = measureById(id)!.measure.max;
    cells.forEach((cell, i) => {
      if (!cell) return;
      const n = i + 1;
      const { op, t } = parse(cell);
      const prev = cells.slice(0, i).reduce<number>((acc, c, j) => (c ? j + 1 : acc), 0);
      const below = Math.round((t - step) * 1000) / 1000;
      const above = Math.round((t + step) * 1000) / 1000;
      it(`${id} ★${n} ${op}${t}`, () => {
        if (op === '>=') {
          expect(starOf(id, { [id]: t })).toBe(n);
          expect(starOf(id, { [id]: below })).toBe(prev);
        } else {
          // 超过/多于: strictly greater, the boundary itself stays one level down.
          expect(starOf(id, { [id]: t })).toBe(prev);
          expect(starOf(id, { [id]: above })).toBe(n);
        }
        if (above <= max) expect(starOf(id, { [id]: above })).toBe(oracle(cells, above));
      });
    });
    it(`${id}: sweep of the range agrees with the table; '/' levels are never awarded`, () => {
      const notGraded = cells.flatMap((c, i) => (c ? [] : [i + 1]));
      const lo = measureById(id)!.measure.min;
      const hi = Math.min(max, 2000);
      for (let v = lo; v <= hi; v += (hi - lo) / 400) {
        const x = Math.round(v * 100) / 100;
        const s = starOf(id, { [id]: x });
        expect(notGraded).not.toContain(s);
        expect(s).toBe(oracle(cells, x));
      }
    });
  }

  it('5G coverage 29.9 / 30 / 50 / 80 / 80.1 (the issue example), keyed by the Chinese name', () => {
    const s = (v: number) => {
      const [e] = parseValuesDocument({ 城区重点公共区域5G网络覆盖率: v }, 'v.json');
      return starOf('nr5g_key_area_coverage', { [e!.measure]: e!.value });
    };
    expect([29.9, 30, 49.9, 50, 79.9, 80, 80.1].map(s)).toEqual([0, 3, 3, 4, 4, 5, 5]);
  });

  it('weighted averages that hit a boundary only up to floating point are compared with a tolerance', () => {
    // env monitoring: 40/40/20 weights (001@10071). 0.4·78 + 0.4·99 + 0.2·96 is 90 exactly, but
    // evaluates to 90.00000000000001 in floating point: it must NOT count as "超过90%".
    const env = 0.4 * 78 + 0.4 * 99 + 0.2 * 96;
    expect(env).toBeGreaterThan(90);
    expect(starOf('env_monitoring', { env_monitoring: env })).toBe(4);
    // pipelines: thirds (001@10767). 96/3 + 98/3 + 61/3 is 85 exactly, but evaluates to 84.99999999999999:
    // it must count as "达到85%".
    const pipe = 96 / 3 + 98 / 3 + 61 / 3;
    expect(pipe).toBeLessThan(85);
    expect(starOf('pipeline_monitoring', { pipeline_monitoring: pipe })).toBe(4);
  });
});

describe('text-level rows (level entered by hand)', () => {
  for (const [id, levels] of Object.entries(HAND)) {
    it(`${id}: each graded level and the one below`, () => {
      for (const n of levels) {
        expect(starOf(id, { [id]: n })).toBe(n);
        const below = levels.filter((l) => l < n).pop() ?? 0;
        expect(starOf(id, { [id]: below })).toBe(below);
      }
      expect(starOf(id, { [id]: 0 })).toBe(0);
    });
  }
  it("a level at a '/' cell cannot be entered (人才保障 / 资金投入 ★1)", () => {
    for (const key of ['人才保障', 'funding']) {
      expect(() => parseValuesDocument({ [key]: 1 }, 'v.json')).toThrow(ValuesError);
      expect(() => parseValuesDocument({ [key]: 1 }, 'v.json')).toThrow(/not graded/);
    }
    expect(() => parseValuesDocument({ 制度机制: 1 }, 'v.json')).not.toThrow();
  });
});

describe('AND conditions', () => {
  const bus = (p: number, e: number) => starOf('bus_realtime_info', { bus_arrival_prediction: p, bus_estop_coverage: e });
  it('bus prediction and e-stop-sign coverage (60 & ≥5, 70 & ≥10, 80 & >20)', () => {
    expect(bus(39.9, 100)).toBe(0);
    expect(bus(40, 0)).toBe(1);
    expect(bus(49.9, 0)).toBe(1);
    expect(bus(50, 0)).toBe(2);
    expect(bus(60, 4.9)).toBe(2);
    expect(bus(60, 5)).toBe(3);
    expect(bus(59.9, 5)).toBe(2);
    expect(bus(70, 9.9)).toBe(3);
    expect(bus(70, 10)).toBe(4);
    expect(bus(69.9, 10)).toBe(3);
    expect(bus(80, 20)).toBe(4);
    expect(bus(80, 20.1)).toBe(5);
    expect(bus(79.9, 50)).toBe(4);
    expect(bus(100, 20)).toBe(4);
  });
  const video = (hd: number, ok: number) => starOf('video_completeness', { video_hd_coverage: hd, video_camera_health: ok });
  it('video HD coverage and camera serviceability together (both ≥80 / ≥90 / 100)', () => {
    expect(video(79.9, 100)).toBe(0);
    expect(video(100, 79.9)).toBe(0);
    expect(video(80, 80)).toBe(3);
    expect(video(90, 89.9)).toBe(3);
    expect(video(89.9, 90)).toBe(3);
    expect(video(90, 90)).toBe(4);
    expect(video(100, 99.9)).toBe(4);
    expect(video(99.9, 100)).toBe(4);
    expect(video(100, 100)).toBe(5);
  });
  const pv = (c: number, d: number) => starOf('public_video_application', { video_crime_contribution: c, video_served_departments: d });
  it('public-security video: contribution and departments (★1 rate only; ★2 ≥1; ★3–★5 strictly more than 3/5/8)', () => {
    expect(pv(29.9, 99)).toBe(0);
    expect(pv(30, 0)).toBe(1);
    expect(pv(40, 0)).toBe(1);
    expect(pv(40, 1)).toBe(2);
    expect(pv(39.9, 1)).toBe(1);
    expect(pv(50, 3)).toBe(2);
    expect(pv(50, 4)).toBe(3);
    expect(pv(49.9, 4)).toBe(2);
    expect(pv(60, 5)).toBe(3);
    expect(pv(60, 6)).toBe(4);
    expect(pv(80, 8)).toBe(4);
    expect(pv(80, 9)).toBe(5);
    expect(pv(79.9, 9)).toBe(4);
  });
  const app = (open: number, rank: number) => starOf('gov_service_app', { gov_app_subhall_open: open, gov_app_rank_percentile: rank });
  it('gov-service app: sub-hall open and rank band (76–100 / 51–75 / 26–50 / top 25)', () => {
    expect(app(0, 10)).toBe(0);
    expect(app(1, 100)).toBe(2);
    expect(app(1, 75.1)).toBe(2);
    expect(app(1, 75)).toBe(3);
    expect(app(1, 50.1)).toBe(3);
    expect(app(1, 50)).toBe(4);
    expect(app(1, 25.1)).toBe(4);
    expect(app(1, 25)).toBe(5);
    expect(app(1, 0)).toBe(5);
  });
  const parks = (m: number, p: number) => starOf('digital_economy_parks', { digital_parks_municipal: m, digital_parks_provincial: p });
  it('digital-economy parks: ★5 needs 4 municipal AND ≥1 provincial', () => {
    expect(parks(0, 5)).toBe(0);
    expect(parks(1, 0)).toBe(2);
    expect(parks(2, 0)).toBe(3);
    expect(parks(3, 0)).toBe(4);
    expect(parks(4, 0)).toBe(4);
    expect(parks(3, 1)).toBe(4);
    expect(parks(4, 1)).toBe(5);
    expect(parks(10, 0)).toBe(4);
  });
});

describe('OR conditions (工作试点, 宣传体验 ★5)', () => {
  const pil = (t: number, p: number, n: number) => starOf('pilots', { pilots_total: t, pilots_provincial: p, pilots_national: n });
  it('pilots', () => {
    expect(pil(0, 0, 0)).toBe(0);
    expect(pil(1, 0, 0)).toBe(2);
    expect(pil(2, 0, 0)).toBe(3);
    expect(pil(2, 1, 0)).toBe(4);
    expect(pil(1, 1, 0)).toBe(4);
    expect(pil(3, 1, 0)).toBe(4);
    expect(pil(2, 2, 0)).toBe(5);
    expect(pil(1, 0, 1)).toBe(5);
  });
  const pub = (e: number, np: number, h: number) => starOf('publicity', { publicity_events: e, publicity_events_national_provincial: np, publicity_data_hall_showcases: h });
  it('publicity', () => {
    expect(pub(0, 0, 0)).toBe(0);
    expect(pub(1, 0, 0)).toBe(2);
    expect(pub(2, 0, 0)).toBe(3);
    expect(pub(2, 1, 0)).toBe(4);
    expect(pub(5, 1, 0)).toBe(4);
    expect(pub(3, 2, 0)).toBe(5);
    expect(pub(2, 1, 1)).toBe(5);
  });
});

describe('missing parts', () => {
  it('a two-part row with one part missing is partial: the lower levels it can decide are awarded', () => {
    const s = scoreIndicator(indicatorById('bus_realtime_info')!, { bus_arrival_prediction: 75 });
    expect(s.stars).toBe(2);
    expect(s.status).toBe('partial');
    expect(s.undetermined).toEqual([3, 4]); // ★5 needs prediction ≥80, already false
    expect(s.missingMeasures).toEqual(['bus_estop_coverage']);
  });
  it('a row with no value is missing and 0★', () => {
    const s = scoreIndicator(indicatorById('smart_lighting')!, {});
    expect(s.status).toBe('missing');
    expect(s.stars).toBe(0);
  });
});

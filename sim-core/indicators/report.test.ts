import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { CSV_COLUMNS, LAIXI, ValueStore, WEIFANG, buildReport, formatFromPath, parseValuesDocument, renderReport, thresholdCells, indicatorById } from './index.ts';

function store(): ValueStore {
  return new ValueStore()
    .add(
      parseValuesDocument(
        {
          indicators: {
            nr5g_key_area_coverage: { value: 30, numerator: 6, denominator: 20, unit: 'percent', source: 'simulation', model: 'nr5g-coverage' },
            video_hd_coverage: { value: 85, numerator: 17, denominator: 20, unit: 'percent', source: 'simulation', model: 'camera-coverage' },
            weather_station_spacing: { value: 7.5, unit: 'km', source: 'simulation', model: 'weather-spacing' },
          },
        },
        'cov.json',
      ),
    )
    .add(
      parseValuesDocument(
        {
          $source: '公安局台账',
          $date: '2021-06-30',
          视频监控摄像机完好率: 92,
          video_hd_coverage: { value: 90, override: true, reason: '含新建<补点>摄像机, "待仿真更新"', source: '公安局', date: '2021-07' },
          信息安全: 1,
        },
        'hand.json',
      ),
    );
}

describe('report', () => {
  const r = buildReport(store(), { plan: WEIFANG });

  it('JSON: stars, gaps, provenance, overrides, composite and targets', () => {
    const j = JSON.parse(renderReport(r, 'json'));
    expect(j.schema).toBe('cimtwin-score/1');
    const g5 = j.indicators.find((i: { id: string }) => i.id === 'nr5g_key_area_coverage');
    expect(g5.stars).toBe(3);
    expect(g5.values[0]).toMatchObject({ source: 'simulation', sourceText: 'nr5g-coverage', numerator: 6, denominator: 20 });
    expect(g5.next.zh).toMatch(/^还需 4 个重点公共区域实现5G覆盖才能达到★4/);
    expect(g5.next.en).toMatch(/^4 more key public areas need 5G coverage for ★4/);
    const video = j.indicators.find((i: { id: string }) => i.id === 'video_completeness');
    expect(video.stars).toBe(4);
    expect(video.values.find((v: { measure: string }) => v.measure === 'video_hd_coverage').overrode).toMatchObject({ value: 85, source: 'camera-coverage' });
    expect(j.provenance.overrides).toEqual([
      { measure: 'video_hd_coverage', value: 90, simulatedValue: 85, model: 'camera-coverage', reason: '含新建<补点>摄像机, "待仿真更新"', source: '公安局' },
    ]);
    expect(j.summary).toMatchObject({ incidents: 1, deduction: 2, assessed: 2, graded: 42 });
    expect(j.cityLevelMeasures).toEqual([expect.objectContaining({ measure: 'weather_station_spacing', value: 7.5 })]);
    const sp = j.targets.targets.filter((t: { measure: string }) => t.measure === 'weather_station_spacing');
    expect(sp.map((t: { met: boolean }) => t.met)).toEqual([true, false]);
    expect(j.notesZh.join('')).toMatch(/第1部分/);
  });

  it('CSV: one line per measure, then composite and target lines, all with the same columns', () => {
    const csv = renderReport(r, 'csv');
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual([...CSV_COLUMNS]);
    const ind = rows.filter((x) => x.record_type === 'indicator');
    expect(ind.length).toBe(52); // 36 one-number rows + 16 parts of the 7 multi-number rows
    const hd = ind.find((x) => x.measure_id === 'video_hd_coverage')!;
    expect(hd).toMatchObject({ value: '90', source_kind: 'hand', stars: '4' });
    expect(hd.overrode).toMatch(/^85 \(camera-coverage\)/);
    expect(rows.find((x) => x.id === 'weighted_score')!.value).toBe(String(r.composite.weighted.score));
    expect(rows.filter((x) => x.record_type === 'target').length).toBe(WEIFANG.targets.length);
  });

  it('Markdown: a zh-CN table with the thresholds and gaps', () => {
    const md = renderReport(r, 'md');
    expect(md).toMatch(/^# 新型智慧城市建设指标评分报告/);
    expect(md).toContain('| 一级指标 | 二级指标 | 引领 | 一星 | 二星 | 三星 | 四星 | 五星 |');
    expect(md).toContain('| 基础设施 | 5G网络覆盖率 | ★ | / | / | ≥30% | ≥50% | ≥80% |');
    expect(md).toContain('还需 4 个重点公共区域实现5G覆盖才能达到★4');
    expect(md).toMatch(/与潍坊规划目标对比/);
    expect(md).toMatch(/人工值 90 覆盖了仿真值 85/);
    // every table row has the same number of cells as its header
    for (const block of md.split('\n\n')) {
      const lines = block.split('\n').filter((l) => l.startsWith('|'));
      if (!lines.length) continue;
      const n = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      for (const l of lines) expect(n(l)).toBe(n(lines[0]!));
    }
  });

  it('HTML: zh-CN, escaped', () => {
    const html = renderReport(r, 'html');
    expect(html).toMatch(/<html lang="zh-CN">/);
    expect(html).toContain('含新建&lt;补点&gt;摄像机, &quot;待仿真更新&quot;');
    expect(html).not.toContain('<补点>');
    expect(html).toContain('<td>≥30%</td>');
  });

  it('threshold cells show AND, OR and / as in the table', () => {
    expect(thresholdCells(indicatorById('bus_realtime_info')!)).toEqual(['预报率≥40%', '预报率≥50%', '预报率≥60% 且 电子站牌≥5%', '预报率≥70% 且 电子站牌≥10%', '预报率≥80% 且 电子站牌>20%']);
    expect(thresholdCells(indicatorById('pilots')!)[4]).toBe('国家级试点≥1 或 省级试点≥2');
    expect(thresholdCells(indicatorById('data_sharing')!)).toEqual(['/', '/', '/', '≥80%', '≥90%']);
  });

  it('is deterministic', () => {
    expect(renderReport(buildReport(store(), { plan: LAIXI }), 'json')).toBe(renderReport(buildReport(store(), { plan: LAIXI }), 'json'));
  });

  it('format from the output extension', () => {
    expect(['a.json', 'a.CSV', 'r.md', 'r.markdown', 'x.html', 'x.htm', 'x.txt'].map(formatFromPath)).toEqual(['json', 'csv', 'md', 'md', 'html', 'html', undefined]);
  });
});

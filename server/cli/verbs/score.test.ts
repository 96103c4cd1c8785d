/**
 * CLI tests for `cimtwin score`, run as a child process (the verb loader skips *.test.ts).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'server/cli/cimtwin.mjs');
let dir: string;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, 'score', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
function file(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}

const COVERAGE = {
  city: 'demo',
  areas: [{ id: 'a1' }],
  indicators: {
    nr5g_key_area_coverage: { value: 30, numerator: 6, denominator: 20, unit: 'percent', source: 'simulation', model: 'nr5g-coverage', computedAt: '2021-06-30T00:00:00Z' },
    video_hd_coverage: { value: 85, numerator: 17, denominator: 20, unit: 'percent', source: 'simulation', model: 'camera-coverage' },
  },
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cimtwin-score-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('cimtwin score', () => {
  it('scores a values file keyed by ids and Chinese names and writes JSON', () => {
    const v = file('values.json', { $source: '统计年报', $date: '2021-12-31', '5G网络覆盖率': 55, 视频监控联网率: 90, smart_lighting: 69.9, 信息安全: 1 });
    const out = join(dir, 'report.json');
    const r = run(['--values', v, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    const stars = Object.fromEntries(j.indicators.map((i: { id: string; stars: number }) => [i.id, i.stars]));
    expect(stars.nr5g_key_area_coverage).toBe(4);
    expect(stars.video_networking).toBe(4);
    expect(stars.smart_lighting).toBe(2);
    expect(j.summary.incidents).toBe(1);
    expect(j.summary.deduction).toBe(2);
  });

  it('out-of-range value: clear error naming file, key and range; non-zero exit; nothing written', () => {
    const v = file('bad.json', { '5G网络覆盖率': 130 });
    const out = join(dir, 'bad-report.json');
    const r = run(['--values', v, '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${v}: key "5G网络覆盖率": 130 is out of range 0–100 (percent)`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('bad-report'))).toEqual([]);
  });

  it('unknown key: error, nothing written', () => {
    const v = file('unknown.json', { 智慧停车覆盖率: 50 });
    const out = join(dir, 'unknown.md');
    const r = run(['--values', v, '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${v}: key "智慧停车覆盖率": unknown indicator`);
    expect(existsSync(out)).toBe(false);
  });

  it('invalid JSON and missing files are errors', () => {
    const v = file('broken.json', '{"a": ');
    expect(run(['--values', v]).stderr).toMatch(/broken\.json: not valid JSON/);
    const r = run(['--values', join(dir, 'nope.json')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nope\.json: cannot read \(no such file\)/);
  });

  it('a hand entry conflicting with a simulated value is refused; an explicit override is recorded', () => {
    const cov = file('coverage.json', COVERAGE);
    const hand = file('hand.json', { 城区重点公共区域5G网络覆盖率: 60 });
    const out = join(dir, 'conflict.json');
    const r = run(['--values', cov, '--values', hand, '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`${hand}: key "城区重点公共区域5G网络覆盖率": hand entry 60 conflicts with the simulated value 30`);
    expect(existsSync(out)).toBe(false);

    const hand2 = file('hand2.json', { 城区重点公共区域5G网络覆盖率: { value: 60, override: true, reason: '运营商路测', source: '工信局', date: '2021-09-01' } });
    const r2 = run(['--values', cov, '--values', hand2, '-o', out]);
    expect(r2.code, r2.stderr).toBe(0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.provenance.overrides).toEqual([{ measure: 'nr5g_key_area_coverage', value: 60, simulatedValue: 30, model: 'nr5g-coverage', reason: '运营商路测', source: '工信局' }]);
  });

  it('reads a coverage report from stdin (--values -) and writes to stdout (-o -)', () => {
    const r = run(['--values', '-', '-o', '-'], JSON.stringify(COVERAGE));
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const g5 = j.indicators.find((i: { id: string }) => i.id === 'nr5g_key_area_coverage');
    expect(g5.stars).toBe(3);
    expect(g5.values[0].source).toBe('simulation');
    expect(g5.next.en).toMatch(/^4 more key public areas need 5G coverage for ★4/);
  });

  it('writes CSV, Markdown and HTML by extension, and --format on stdout', () => {
    const cov = file('cov2.json', COVERAGE);
    for (const [ext, probe] of [
      ['csv', /^record_type,id,category_zh/],
      ['md', /^# 新型智慧城市建设指标评分报告/],
      ['html', /^<!doctype html>/],
    ] as const) {
      const out = join(dir, `r.${ext}`);
      const r = run(['--values', cov, '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(probe);
    }
    const md = run(['--values', cov, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('还需 4 个重点公共区域实现5G覆盖才能达到★4');
  });

  it('--targets compares with a plan; unknown cities and extensions are errors', () => {
    const v = file('laixi.json', { nr5g_key_area_coverage: 30, 移动通信网络平均下载速率: 19.9 });
    const r = run(['--values', v, '--targets', '莱西', '-o', '-']);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout).targets.targets;
    expect(t.find((x: { measure: string }) => x.measure === 'nr5g_key_area_coverage').met).toBe(true);
    expect(t.find((x: { measure: string }) => x.measure === 'mobile_download_speed')).toMatchObject({ met: false, equalsCountyStar: 3 });
    const bad = run(['--values', v, '--targets', 'jinan']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unknown city "jinan"/);
    const ext = run(['--values', v, '-o', join(dir, 'r.txt')]);
    expect(ext.code).not.toBe(0);
    expect(ext.stderr).toMatch(/cannot tell the format/);
  });

  it('composite options from flags and from a file', () => {
    const v = file('some.json', { smart_lighting: 100 });
    const zero = JSON.parse(run(['--values', v, '--missing', 'zero']).stdout);
    expect(zero.composite.weighted.counted).toBe(42);
    const opts = file('opts.json', { weights: { smart_lighting: 2, nope: 1 } });
    const r = run(['--values', v, '--composite', opts]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/opts\.json: weights: unknown indicator id "nope"/);
    const bad = run(['--values', v, '--slash-cells', 'sometimes']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--slash-cells/);
  });

  it('requires --values', () => {
    const r = run([]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--values/);
  });
});

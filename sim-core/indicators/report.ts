/**
 * The score report: a JSON-serialisable object and its renderings as JSON, CSV, zh-CN Markdown and
 * zh-CN HTML. Pure string building (no I/O, no DOM), deterministic (no timestamps).
 */
import { CATALOGUE, CITY_LEVEL_MEASURES, STANDARD, categoryById, measureById } from './catalogue.ts';
import { compareWithTargets, type CityPlan, type TargetComparison } from './targets.ts';
import { fmtNumber, scoreAll, type CompositeOptions, type CompositeResult, type IndicatorScore, type ThresholdGap } from './scoring.ts';
import type { Condition, Indicator, Measure, Provenance, ValueEntry } from './types.ts';
import type { ValueStore } from './values.ts';

export const REPORT_SCHEMA = 'cimtwin-score/1';

export interface ReportValue {
  measure: string;
  nameZh: string;
  value: number;
  unit: Measure['unit'];
  numerator?: number;
  denominator?: number;
  source: 'simulation' | 'hand';
  /** Model (simulation) or source text (hand). */
  sourceText: string;
  date?: string;
  origin: string;
  overrode?: { value: number; source: string; reason: string };
  corroboratedBy?: string[];
  levelsMet?: number[];
}

export interface ReportIndicator {
  id: string;
  category: Indicator['category'];
  categoryZh: string;
  nameZh: string;
  nameEn: string;
  lead: boolean;
  grading: Indicator['grading'];
  status: IndicatorScore['status'];
  stars: number;
  maxStars: number;
  /** Threshold per star as printed ('/' where not graded). */
  thresholds: string[];
  values: ReportValue[];
  missingMeasures: string[];
  undetermined: number[];
  next?: { star: number; zh: string; en: string; alternatives: ThresholdGap[][] };
  cite: readonly string[];
  uncertain?: string;
}

export interface ScoreReport {
  schema: typeof REPORT_SCHEMA;
  standard: typeof STANDARD;
  summary: {
    floorStars: number;
    weightedScore: number;
    weightedBeforeDeduction: number;
    deduction: number;
    incidents: number;
    assessed: number;
    graded: number;
  };
  composite: CompositeResult;
  indicators: ReportIndicator[];
  cityLevelMeasures: ReportValue[];
  targets?: TargetComparison;
  provenance: {
    overrides: Array<{ measure: string; value: number; simulatedValue: number; model: string; reason: string; source: string }>;
    warnings: string[];
  };
  notesZh: string[];
}

const UNIT_SUFFIX: Record<Measure['unit'], string> = { percent: '%', count: '', 'Mbit/s': 'Mbit/s', level: '', flag: '', km: 'km' };
const OP_SYM: Record<string, string> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

function conditionText(c: Condition, compound: boolean): string {
  if ('all' in c) return c.all.map((x) => conditionText(x, compound)).join(' 且 ');
  if ('any' in c) return c.any.map((x) => conditionText(x, compound)).join(' 或 ');
  const m = measureById(c.measure)!.measure;
  const label = compound ? (m.shortZh ?? m.nameZh) : '';
  return `${label}${OP_SYM[c.op]}${fmtNumber(c.value)}${UNIT_SUFFIX[m.unit]}`;
}

/** Threshold cells as short strings ('/' for not graded). */
export function thresholdCells(ind: Indicator): string[] {
  return ind.stars.map((cell, i) => {
    if (ind.grading === 'deduction') return '';
    if (!cell) return '/';
    if (ind.grading === 'hand-level') return `人工评定≥${i + 1}级`;
    return conditionText(cell.condition, ind.measures.length > 1);
  });
}

function sourceText(p: Provenance): string {
  return p.kind === 'simulation' ? p.model : p.source;
}

function reportValue(e: ValueEntry): ReportValue {
  const m = measureById(e.measure)!.measure;
  const p = e.provenance;
  return {
    measure: e.measure,
    nameZh: m.nameZh,
    value: e.value,
    unit: m.unit,
    ...(e.numerator !== undefined ? { numerator: e.numerator, denominator: e.denominator! } : {}),
    source: p.kind,
    sourceText: sourceText(p),
    ...(p.kind === 'simulation' && p.computedAt ? { date: p.computedAt } : {}),
    ...(p.kind === 'hand' && p.date ? { date: p.date } : {}),
    origin: p.origin,
    ...(e.overrode ? { overrode: { value: e.overrode.value, source: sourceText(e.overrode.provenance), reason: e.overrode.reason } } : {}),
    ...(e.corroboratedBy?.length ? { corroboratedBy: e.corroboratedBy.map(sourceText) } : {}),
    ...(e.levelsMet ? { levelsMet: e.levelsMet } : {}),
  };
}

function gapSentence(alts: ThresholdGap[][], lang: 'zh' | 'en'): string {
  const one = (g: ThresholdGap) => {
    if (!g.items || g.current === undefined) return lang === 'zh' ? g.zh : g.en;
    const m = measureById(g.measure)!.measure;
    const now = `${fmtNumber(g.current)}${UNIT_SUFFIX[m.unit]}`;
    const need = `${OP_SYM[g.op]}${fmtNumber(g.threshold)}${UNIT_SUFFIX[m.unit]}`;
    return lang === 'zh' ? `${g.items.zh}(${m.nameZh}当前${now},需${need})` : `${g.items.en} (${m.id} now ${now}, needs ${need})`;
  };
  return alts.map((a) => a.map(one).join(lang === 'zh' ? ';并且' : '; and ')).join(lang === 'zh' ? ';或者 ' : '; or ');
}

export interface BuildReportOptions {
  composite?: CompositeOptions;
  plan?: CityPlan;
}

/** Score everything in the store and build the report object. */
export function buildReport(store: ValueStore, opts: BuildReportOptions = {}): ScoreReport {
  const { indicators: scores, composite } = scoreAll(store, opts.composite ?? {});
  const indicators: ReportIndicator[] = scores.map((s) => {
    const ind = CATALOGUE.find((i) => i.id === s.id)!;
    const next = s.next
      ? { star: s.next.star, zh: gapSentence(s.next.alternatives, 'zh'), en: gapSentence(s.next.alternatives, 'en'), alternatives: s.next.alternatives }
      : undefined;
    return {
      id: s.id,
      category: s.category,
      categoryZh: categoryById(s.category).nameZh,
      nameZh: s.nameZh,
      nameEn: s.nameEn,
      lead: s.lead,
      grading: s.grading,
      status: s.status,
      stars: s.stars,
      maxStars: s.maxStars,
      thresholds: thresholdCells(ind),
      values: s.values.map((v) => ({ ...reportValue(v.entry), value: v.value })),
      missingMeasures: s.missingMeasures,
      undetermined: s.undetermined,
      ...(next && s.grading !== 'deduction' ? { next } : {}),
      cite: ind.cite,
      ...(ind.uncertain ? { uncertain: ind.uncertain } : {}),
    };
  });
  const cityLevelMeasures = CITY_LEVEL_MEASURES.flatMap((m) => {
    const e = store.get(m.id);
    return e ? [reportValue(e)] : [];
  });
  const targets = opts.plan ? compareWithTargets(opts.plan, store, composite, scores) : undefined;
  const overrides = store.overrides().map((e) => ({
    measure: e.measure,
    value: e.value,
    simulatedValue: e.overrode!.value,
    model: sourceText(e.overrode!.provenance),
    reason: e.overrode!.reason,
    source: sourceText(e.provenance),
  }));
  const graded = indicators.filter((i) => i.grading !== 'deduction');
  return {
    schema: REPORT_SCHEMA,
    standard: STANDARD,
    summary: {
      floorStars: composite.floorStars,
      weightedScore: composite.weighted.score,
      weightedBeforeDeduction: composite.weighted.beforeDeduction,
      deduction: composite.weighted.deduction,
      incidents: composite.weighted.incidents,
      assessed: graded.filter((i) => i.status !== 'missing').length,
      graded: graded.length,
    },
    composite,
    indicators,
    cityLevelMeasures,
    ...(targets ? { targets } : {}),
    provenance: { overrides, warnings: store.warnings() },
    notesZh: notesZh(composite, opts.plan),
  };
}

function notesZh(c: CompositeResult, plan?: CityPlan): string[] {
  const o = c.options;
  const n = [
    '种子文件未规定综合星级、权重及每星分值(DIGEST §b、§e.7),本报告同时给出“全部参评指标≥N星”与加权得分两种口径。',
    `加权得分:${o.weights === 'equal' ? '42项参评指标等权' : '按配置的权重'},每星得分比例 ${o.pointsPerStar.join('/')},满分100。`,
    `“/”单元格:${o.slashCells === 'exempt' ? '该星级未设要求,不计入“≥N星”判定(豁免)' : '仍须通过更高星级达到N星(严格)'}。`,
    `缺失数值:${o.missing === 'exclude' ? `不计入加权得分(${c.weighted.missing}/${c.weighted.total}项无数值),“≥N星”判定为待定` : '按0星计'}。`,
    `信息安全扣分:每起失泄密事件扣除${o.deductionBase === 'maximum' ? '指标总分值(100分)' : '已得分'}的${o.deductionPercentPerIncident}%(001@17113)${c.weighted.incidentsGiven ? '' : ';未填报事件数,按0起计'}。`,
    '★引领性指标在种子文件中无特殊计分规则,仅作标注。',
    `星级阈值取自DB37/T 3890第2部分(县级)表(邹城附件2,001@7889–17661)。`,
  ];
  if (plan?.level === 'city') n.push(`${plan.nameZh}为设区市,适用第1部分(市级),其阈值不在种子文件中;此处星级按县级表近似计算,仅供参考。`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Renderers

export function toJson(r: ScoreReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

function csvField(x: unknown): string {
  if (x === undefined || x === null) return '';
  const s = typeof x === 'number' ? fmtNumber(x, 6) : String(x);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'record_type',
  'id',
  'category_zh',
  'name_zh',
  'lead',
  'measure_id',
  'measure_zh',
  'value',
  'unit',
  'numerator',
  'denominator',
  'source_kind',
  'source',
  'date',
  'overrode',
  'stars',
  'max_stars',
  'status',
  'next_star',
  'gap_zh',
  'gap_en',
  'cite',
  'uncertain',
] as const;

/** CSV, one line per indicator measure, then composite lines, then target lines (column `record_type`). */
export function toCsv(r: ScoreReport): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  const push = (row: Partial<Record<(typeof CSV_COLUMNS)[number], unknown>>) => lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(','));
  for (const i of r.indicators) {
    const ind = CATALOGUE.find((x) => x.id === i.id)!;
    const common = {
      record_type: 'indicator',
      id: i.id,
      category_zh: i.categoryZh,
      name_zh: i.nameZh,
      lead: i.lead ? '★' : '',
      stars: i.grading === 'deduction' ? '' : i.stars,
      max_stars: i.grading === 'deduction' ? '' : i.maxStars,
      status: i.status,
      next_star: i.next?.star,
      gap_zh: i.next?.zh,
      gap_en: i.next?.en,
      cite: i.cite.join(' '),
      uncertain: i.uncertain,
    };
    for (const m of ind.measures) {
      const v = i.values.find((x) => x.measure === m.id);
      push({
        ...common,
        measure_id: m.id,
        measure_zh: m.nameZh,
        value: v?.value,
        unit: m.unit,
        numerator: v?.numerator,
        denominator: v?.denominator,
        source_kind: v?.source,
        source: v?.sourceText,
        date: v?.date,
        overrode: v?.overrode ? `${fmtNumber(v.overrode.value)} (${v.overrode.source}): ${v.overrode.reason}` : undefined,
      });
    }
  }
  for (const v of r.cityLevelMeasures) {
    push({ record_type: 'city_measure', id: v.measure, name_zh: v.nameZh, measure_id: v.measure, measure_zh: v.nameZh, value: v.value, unit: v.unit, source_kind: v.source, source: v.sourceText, date: v.date });
  }
  const c = r.composite;
  for (const a of c.allAtLeast) {
    push({ record_type: 'composite', id: `all_at_least_${a.stars}`, name_zh: `全部参评指标≥${a.stars}星`, value: a.status, status: a.status, gap_en: a.failing.length ? `below: ${a.failing.join(' ')}` : a.missing.length ? `missing: ${a.missing.join(' ')}` : '' });
  }
  push({ record_type: 'composite', id: 'floor_stars', name_zh: '全部参评指标均达到的最高星级', value: c.floorStars });
  push({ record_type: 'composite', id: 'weighted_score', name_zh: '加权得分(满分100,已扣分)', value: c.weighted.score, unit: 'points' });
  push({ record_type: 'composite', id: 'deduction', name_zh: '信息安全扣分', value: c.weighted.deduction, unit: 'points', numerator: c.weighted.incidents, cite: '001@17113' });
  if (r.targets) {
    for (const t of r.targets.targets) {
      push({
        record_type: 'target',
        id: `${r.targets.plan.id}:${t.measure}:${t.due}`,
        name_zh: t.textZh,
        measure_id: t.measure,
        measure_zh: t.nameZh,
        value: t.current,
        unit: measureById(t.measure)!.measure.unit,
        date: t.due,
        status: t.met === undefined ? 'no-value' : t.met ? 'met' : 'not-met',
        gap_en: `${OP_SYM[t.op]}${fmtNumber(t.value)}${t.shortfall ? ` (short by ${fmtNumber(t.shortfall)})` : ''}`,
        cite: t.cite,
        uncertain: t.uncertain,
      });
    }
  }
  return `${lines.join('\n')}\n`;
}

const STATUS_ZH: Record<string, string> = { pass: '通过', fail: '未通过', undetermined: '待定(有缺失)' };

function stars(n: number): string {
  return n > 0 ? '★'.repeat(n) : '0';
}

function valueCell(i: ReportIndicator): string {
  if (!i.values.length) return '—';
  return i.values
    .map((v) => {
      const m = measureById(v.measure)!.measure;
      const label = i.values.length > 1 || i.missingMeasures.length ? `${m.shortZh ?? m.nameZh} ` : '';
      const frac = v.numerator !== undefined ? ` (${fmtNumber(v.numerator)}/${fmtNumber(v.denominator!)})` : '';
      return `${label}${fmtNumber(v.value)}${UNIT_SUFFIX[v.unit]}${frac}`;
    })
    .join(';');
}

function sourceCell(i: ReportIndicator): string {
  return i.values
    .map((v) => {
      const base = v.source === 'simulation' ? `仿真:${v.sourceText}` : `人工:${v.sourceText}${v.date ? `,${v.date}` : ''}`;
      return v.overrode ? `${base}(人工覆盖仿真值${fmtNumber(v.overrode.value)}:${v.overrode.reason})` : base;
    })
    .join(';');
}

function starCell(i: ReportIndicator): string {
  if (i.grading === 'deduction') return '扣分项';
  if (i.status === 'missing') return '无数据';
  return `${stars(i.stars)}${i.status === 'partial' ? '(部分缺失)' : ''}`;
}

interface Table {
  head: string[];
  rows: string[][];
}

function mainTable(r: ScoreReport): Table {
  return {
    head: ['一级指标', '二级指标', '引领', '一星', '二星', '三星', '四星', '五星', '当前值', '来源', '星级', '距下一星级', '出处'],
    rows: r.indicators.map((i) => [
      i.categoryZh,
      `${i.nameZh}${i.uncertain ? ' ⚠' : ''}`,
      i.lead ? '★' : '',
      ...(i.grading === 'deduction' ? ['每起失泄密事件扣总分值2%', '', '', '', ''] : i.thresholds),
      i.grading === 'deduction' ? (i.values[0] ? `${fmtNumber(i.values[0].value)}起` : '—') : valueCell(i),
      sourceCell(i),
      starCell(i),
      i.next ? i.next.zh : i.grading === 'deduction' ? '' : '已达最高星级',
      i.cite.join(' '),
    ]),
  };
}

function compositeTable(r: ScoreReport): Table {
  return {
    head: ['口径', '结果', '说明'],
    rows: [
      ...r.composite.allAtLeast.map((a) => [
        `全部参评指标≥${a.stars}星`,
        STATUS_ZH[a.status]!,
        [a.failing.length ? `未达到:${a.failing.map(nameOf).join('、')}` : '', a.missing.length ? `缺数据:${a.missing.length}项` : '', a.exempt.length ? `“/”豁免:${a.exempt.length}项` : '']
          .filter(Boolean)
          .join(';'),
      ]),
      ['全部参评指标均达到的最高星级', stars(r.composite.floorStars), ''],
      [
        '加权得分(满分100)',
        fmtNumber(r.composite.weighted.score),
        `扣分前${fmtNumber(r.composite.weighted.beforeDeduction)},信息安全事件${r.composite.weighted.incidents}起扣${fmtNumber(r.composite.weighted.deduction)}分;计入${r.composite.weighted.counted}/${r.composite.weighted.total}项`,
      ],
    ],
  };
}

function nameOf(id: string): string {
  return CATALOGUE.find((i) => i.id === id)?.nameZh ?? id;
}

function targetTable(t: TargetComparison): Table {
  return {
    head: ['指标', '目标(原文)', '期限', '范围', '当前值', '是否达成', '差距', '出处'],
    rows: t.targets.map((x) => {
      const m = measureById(x.measure)!.measure;
      return [
        `${x.nameZh}${x.uncertain ? ' ⚠' : ''}${x.equalsCountyStar ? `(=县级${x.equalsCountyStar}星列)` : ''}`,
        `${x.textZh}(${OP_SYM[x.op]}${fmtNumber(x.value)}${UNIT_SUFFIX[m.unit]})`,
        `${x.dueZh}(${x.due})`,
        x.scopeZh ?? '',
        x.current === undefined ? '—' : `${fmtNumber(x.current)}${UNIT_SUFFIX[m.unit]}`,
        x.met === undefined ? '无数据' : x.met ? '达成' : '未达成',
        x.met === false && x.shortfall !== undefined ? `差${fmtNumber(x.shortfall)}${m.unit === 'percent' ? '个百分点' : UNIT_SUFFIX[m.unit]}` : '',
        x.cite,
      ];
    }),
  };
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function mdTable(t: Table): string {
  const out = [`| ${t.head.map(mdEscape).join(' | ')} |`, `| ${t.head.map(() => '---').join(' | ')} |`];
  for (const r of t.rows) out.push(`| ${r.map(mdEscape).join(' | ')} |`);
  return out.join('\n');
}

/** Readable zh-CN Markdown. */
export function toMarkdown(r: ScoreReport): string {
  const parts: string[] = [];
  parts.push(`# 新型智慧城市建设指标评分报告(${r.standard.code} ${r.standard.partZh})`);
  parts.push('');
  parts.push(
    `参评指标 ${r.summary.assessed}/${r.summary.graded} 项有数据;全部参评指标均达到的最高星级:${stars(r.summary.floorStars)};加权得分 ${fmtNumber(r.summary.weightedScore)}/100(信息安全事件 ${r.summary.incidents} 起,扣 ${fmtNumber(r.summary.deduction)} 分)。`,
  );
  parts.push('');
  parts.push('## 综合评价(口径可配置)');
  parts.push('');
  parts.push(mdTable(compositeTable(r)));
  parts.push('');
  parts.push('## 指标明细');
  parts.push('');
  parts.push(mdTable(mainTable(r)));
  parts.push('');
  parts.push('⚠ 表示种子文件整理中存在不确定之处(见 JSON 报告的 uncertain 字段或 docs/indicators.md)。');
  if (r.cityLevelMeasures.length) {
    parts.push('');
    parts.push('## 市级指标(县级表未列,仅与规划目标比较)');
    parts.push('');
    parts.push(
      mdTable({
        head: ['指标', '当前值', '来源'],
        rows: r.cityLevelMeasures.map((v) => [v.nameZh, `${fmtNumber(v.value)}${UNIT_SUFFIX[v.unit]}`, v.source === 'simulation' ? `仿真:${v.sourceText}` : `人工:${v.sourceText}`]),
      }),
    );
  }
  if (r.targets) {
    const t = r.targets;
    parts.push('');
    parts.push(`## 与${t.plan.nameZh}规划目标对比(${t.plan.document})`);
    parts.push('');
    parts.push(mdTable(targetTable(t)));
    if (t.starGoals.length) {
      parts.push('');
      parts.push(
        mdTable({
          head: ['星级目标', '期限', '状态', '依据', '出处'],
          rows: t.starGoals.map((g) => [`${g.textZh}(${stars(g.stars)})`, `${g.dueZh}(${g.due})`, g.status === 'met' ? '达成' : g.status === 'not-met' ? '未达成' : '待定', g.basis, g.cite]),
        }),
      );
    }
    if (t.unmapped.length) {
      parts.push('');
      parts.push('未自动比较的目标:');
      for (const u of t.unmapped) parts.push(`- ${u.textZh}(${u.cite}):${u.why}`);
    }
  }
  if (r.provenance.overrides.length || r.provenance.warnings.length) {
    parts.push('');
    parts.push('## 数据来源提示');
    parts.push('');
    for (const o of r.provenance.overrides) parts.push(`- 人工值 ${fmtNumber(o.value)} 覆盖了仿真值 ${fmtNumber(o.simulatedValue)}(${o.measure},模型 ${o.model});理由:${o.reason}`);
    for (const w of r.provenance.warnings) parts.push(`- ${w}`);
  }
  parts.push('');
  parts.push('## 说明');
  parts.push('');
  for (const n of r.notesZh) parts.push(`- ${n}`);
  parts.push('');
  return parts.join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function htmlTable(t: Table): string {
  const head = `<tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** Readable zh-CN HTML (self-contained, no scripts). */
export function toHtml(r: ScoreReport): string {
  const title = `新型智慧城市建设指标评分报告(${r.standard.code} ${r.standard.partZh})`;
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:1.5em}table{border-collapse:collapse;margin:1em 0;font-size:13px}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}th{background:#eef}</style>',
    '</head>',
    '<body>',
    `<h1>${esc(title)}</h1>`,
    `<p>参评指标 ${r.summary.assessed}/${r.summary.graded} 项有数据;全部参评指标均达到的最高星级:${esc(stars(r.summary.floorStars))};加权得分 ${fmtNumber(r.summary.weightedScore)}/100(信息安全事件 ${r.summary.incidents} 起,扣 ${fmtNumber(r.summary.deduction)} 分)。</p>`,
    '<h2>综合评价(口径可配置)</h2>',
    htmlTable(compositeTable(r)),
    '<h2>指标明细</h2>',
    htmlTable(mainTable(r)),
  ];
  if (r.targets) {
    parts.push(`<h2>与${esc(r.targets.plan.nameZh)}规划目标对比(${esc(r.targets.plan.document)})</h2>`);
    parts.push(htmlTable(targetTable(r.targets)));
  }
  if (r.provenance.overrides.length || r.provenance.warnings.length) {
    parts.push('<h2>数据来源提示</h2><ul>');
    for (const o of r.provenance.overrides) parts.push(`<li>${esc(`人工值 ${fmtNumber(o.value)} 覆盖了仿真值 ${fmtNumber(o.simulatedValue)}(${o.measure},模型 ${o.model});理由:${o.reason}`)}</li>`);
    for (const w of r.provenance.warnings) parts.push(`<li>${esc(w)}</li>`);
    parts.push('</ul>');
  }
  parts.push('<h2>说明</h2><ul>');
  for (const n of r.notesZh) parts.push(`<li>${esc(n)}</li>`);
  parts.push('</ul>', '</body>', '</html>', '');
  return parts.join('\n');
}

export type ReportFormat = 'json' | 'csv' | 'md' | 'html';

export function renderReport(r: ScoreReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return toJson(r);
    case 'csv':
      return toCsv(r);
    case 'md':
      return toMarkdown(r);
    case 'html':
      return toHtml(r);
  }
}

/** Format from an output path's extension (.json/.csv/.md/.markdown/.html/.htm), or undefined. */
export function formatFromPath(path: string): ReportFormat | undefined {
  const m = /\.([A-Za-z]+)$/.exec(path);
  const ext = m?.[1]?.toLowerCase();
  if (ext === 'json') return 'json';
  if (ext === 'csv') return 'csv';
  if (ext === 'md' || ext === 'markdown') return 'md';
  if (ext === 'html' || ext === 'htm') return 'html';
  return undefined;
}

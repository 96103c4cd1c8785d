/**
 * The DB37/T 3890 county-level (Part 2) indicator catalogue as data.
 *
 * Source: the Zoucheng plan's Attachment 2 (附件2 新型智慧城市建设试点任务指标责任分工表),
 * `../shared/seeds/001_af5042b24c41e5ee.txt` at 001@7889–17661, untangled in
 * `../shared/seeds/DIGEST.md` §a/§b/§f/§g. Every row carries its citations; rows the digest flags
 * as uncertain carry an `uncertain` note.
 *
 * Comparators: 达到 / X以上 / 不少于 / 不低于 → `>=`; 超过 / 多于 / 超 → `>` (strict); a '/' cell is `null`
 * (not graded at that star). Percentages are 0–100.
 *
 * Text-level rows (制度机制, 规划计划, 人才保障, 资金投入) are graded by a level (0–5) that the evaluator
 * enters by hand after reading the literal level texts stored here.
 */
import type {
  Category,
  CategoryId,
  Comparator,
  Condition,
  CountedItem,
  Indicator,
  Measure,
  MeasureUnit,
  SimRole,
  StarCell,
  StarCells,
  Threshold,
} from './types.ts';

export const CATEGORIES: readonly Category[] = [
  { id: 'digital_services', nameZh: '数字惠民', nameEn: 'Digital services for citizens' },
  { id: 'digital_government', nameZh: '数字政府', nameEn: 'Digital government' },
  { id: 'digital_economy', nameZh: '数字经济', nameEn: 'Digital economy' },
  { id: 'infrastructure', nameZh: '基础设施', nameEn: 'Infrastructure' },
  { id: 'safeguards', nameZh: '保障措施', nameEn: 'Safeguards' },
  { id: 'local_features', nameZh: '地方特色', nameEn: 'Local features' },
];

/** The standard and part this catalogue encodes. */
export const STANDARD = {
  code: 'DB37/T 3890',
  part: 'Part 2 (县级, county level)',
  partZh: '第2部分:县级指标',
  source: '001@7889–17661 (Zoucheng 邹政字〔2021〕11号, 附件2)',
  note:
    'Part 1 (city level) thresholds are not in the seeds; cities (Weifang, Dezhou) can only be compared with their own dated targets, ' +
    'and stars computed for them with this table are a county-table approximation.',
} as const;

// ---------------------------------------------------------------------------------------------
// Builders (keep the table below compact and readable).

const th = (measure: string, op: Comparator, value: number): Threshold => ({ measure, op, value });
const ge = (measure: string, value: number): Threshold => th(measure, '>=', value);
const gt = (measure: string, value: number): Threshold => th(measure, '>', value);
const le = (measure: string, value: number): Threshold => th(measure, '<=', value);
const all = (...c: Condition[]): Condition => ({ all: c });
const any = (...c: Condition[]): Condition => ({ any: c });
const cell = (condition: Condition, textZh?: string, textEn?: string): StarCell => ({
  condition,
  ...(textZh ? { textZh } : {}),
  ...(textEn ? { textEn } : {}),
});

type Cut = readonly [Comparator, number] | null;

const RANGE: Record<MeasureUnit, { min: number; max: number; integer: boolean }> = {
  percent: { min: 0, max: 100, integer: false },
  count: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true },
  'Mbit/s': { min: 0, max: 100_000, integer: false },
  level: { min: 0, max: 5, integer: true },
  flag: { min: 0, max: 1, integer: true },
  km: { min: 0, max: 10_000, integer: false },
};

interface MeasureSpec {
  id: string;
  nameZh: string;
  aliasesZh?: readonly string[];
  nameEn: string;
  shortZh?: string;
  unit: MeasureUnit;
  better?: 'higher' | 'lower';
  min?: number;
  max?: number;
  allowed?: readonly number[];
  formula?: Measure['formula'];
  counted?: CountedItem;
  fixedDenominator?: number;
  sim?: SimRole;
}

function measure(s: MeasureSpec): Measure {
  const r = RANGE[s.unit];
  return {
    id: s.id,
    nameZh: s.nameZh,
    ...(s.aliasesZh ? { aliasesZh: s.aliasesZh } : {}),
    nameEn: s.nameEn,
    ...(s.shortZh ? { shortZh: s.shortZh } : {}),
    unit: s.unit,
    min: s.min ?? r.min,
    max: s.max ?? r.max,
    integer: r.integer,
    ...(s.allowed ? { allowed: s.allowed } : {}),
    better: s.better ?? 'higher',
    ...(s.formula ? { formula: s.formula } : {}),
    ...(s.counted ? { counted: s.counted } : {}),
    ...(s.fixedDenominator !== undefined ? { fixedDenominator: s.fixedDenominator } : {}),
    ...(s.sim ? { sim: s.sim } : {}),
  };
}

interface RowBase {
  id: string;
  category: CategoryId;
  nameZh: string;
  aliasesZh?: readonly string[];
  nameEn: string;
  lead?: boolean;
  definitionZh: string;
  definitionEn: string;
  responsible: readonly string[];
  cite: readonly string[];
  uncertain?: string;
  notes?: string;
}

function row(base: RowBase, grading: Indicator['grading'], measures: readonly Measure[], stars: StarCells): Indicator {
  return {
    id: base.id,
    category: base.category,
    nameZh: base.nameZh,
    ...(base.aliasesZh ? { aliasesZh: base.aliasesZh } : {}),
    nameEn: base.nameEn,
    lead: base.lead ?? false,
    grading,
    measures,
    stars,
    definitionZh: base.definitionZh,
    definitionEn: base.definitionEn,
    responsible: base.responsible,
    cite: base.cite,
    ...(base.uncertain ? { uncertain: base.uncertain } : {}),
    ...(base.notes ? { notes: base.notes } : {}),
  };
}

/**
 * A single-measure numeric row; the measure id equals the row id, and both the row name and the
 * measure name (as used in the formula) are accepted as Chinese keys.
 */
function numeric(
  base: RowBase,
  m: Omit<MeasureSpec, 'id' | 'nameZh' | 'nameEn'> & { nameZh?: string; nameEn?: string },
  cuts: readonly [Cut, Cut, Cut, Cut, Cut],
): Indicator {
  const nameZh = m.nameZh ?? base.nameZh;
  const aliases = [...(m.aliasesZh ?? []), ...(nameZh !== base.nameZh ? [base.nameZh] : []), ...(base.aliasesZh ?? [])];
  const meas = measure({ ...m, id: base.id, nameZh, nameEn: m.nameEn ?? base.nameEn, ...(aliases.length ? { aliasesZh: aliases } : {}) });
  const stars = cuts.map((c) => (c ? cell(th(base.id, c[0], c[1])) : null)) as unknown as StarCells;
  return row({ ...base, aliasesZh: undefined }, 'numeric', [meas], stars);
}

/** A text-graded row: the evaluator enters the level; each star's literal text is stored. */
function handLevel(base: RowBase, texts: readonly [string | null, string | null, string | null, string | null, string | null]): Indicator {
  const allowed = [0, ...texts.flatMap((t, i) => (t ? [i + 1] : []))];
  const m = measure({
    id: base.id,
    nameZh: base.nameZh,
    nameEn: `${base.nameEn} (level entered by the evaluator)`,
    unit: 'level',
    allowed,
    sim: 'I',
  });
  const stars = texts.map((t, i) => (t ? cell(ge(base.id, i + 1), t) : null)) as unknown as StarCells;
  return row(base, 'hand-level', [m], stars);
}

const P: Cut = null; // a '/' cell
const G = (v: number): Cut => ['>=', v];
const X = (v: number): Cut => ['>', v];

// Counted-item phrases for concrete gaps.
const AREAS_5G: CountedItem = { zh: '个重点公共区域', zhAction: '实现5G覆盖', en: 'key public areas', enOne: 'key public area', enAction: 'need 5G coverage', integer: true };
const AREAS_VIDEO: CountedItem = { zh: '个重点公共区域', zhAction: '实现高清视频监控覆盖', en: 'key public areas', enOne: 'key public area', enAction: 'need HD video coverage', integer: true };
const CAMERAS_OK: CountedItem = { zh: '台摄像机', zhAction: '恢复完好', en: 'cameras', enOne: 'camera', enAction: 'need to be repaired (in good working order)', integer: true };
const CAMERAS_NET: CountedItem = { zh: '台摄像机', zhAction: '接入视频图像共享平台', en: 'cameras', enOne: 'camera', enAction: 'need connecting to the video-sharing platform', integer: true };
const XINGS_EPOLICE: CountedItem = { zh: '个重要路口', zhAction: '设置电子警察监控点', en: 'important intersections', enOne: 'important intersection', enAction: 'need e-police coverage', integer: true };
const XINGS_SIGNAL: CountedItem = { zh: '个重要路口', zhAction: '配置实时信号配时系统', en: 'important intersections', enOne: 'important intersection', enAction: 'need real-time signal timing', integer: true };

// ---------------------------------------------------------------------------------------------
// The table. Order follows the seed table (001@7889–17661).

export const CATALOGUE: readonly Indicator[] = [
  // ===== 数字惠民 =====
  numeric(
    {
      id: 'e_licence_usage',
      category: 'digital_services',
      nameZh: '电子证照使用率',
      nameEn: 'E-licence usage rate',
      definitionZh:
        '电子证照使用率=已实现使用以公民身份号码或法人和其他组织统一社会信用代码为唯一标识的电子证照办理的政务服务事项数量/政务服务事项总数',
      definitionEn: 'Government-service items handled with e-licences keyed by ID number or unified social credit code ÷ all government-service items.',
      responsible: ['市政府办公室(市大数据局)', '市行政审批服务局'],
      cite: ['001@8007'],
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '以身份号码/统一社会信用代码为唯一标识的电子证照办理的政务服务事项数量', denominatorZh: '政务服务事项总数' },
      counted: { zh: '项政务服务事项', zhAction: '实现电子证照办理', en: 'government-service items', enOne: 'government-service item', enAction: 'need e-licence handling', integer: true },
      sim: 'I',
    },
    [G(10), G(30), G(60), G(80), X(85)],
  ),
  row(
    {
      id: 'bus_realtime_info',
      category: 'digital_services',
      nameZh: '公共交通来车实时预报率',
      nameEn: 'Real-time bus arrival prediction (with e-stop-sign coverage)',
      definitionZh:
        '包括公共汽电车来车信息实时预报率及公交电子站牌覆盖率两个方面。公共汽电车来车信息实时预报率=通过网站、手机实现来车信息实时预报服务的公共汽电车线路数/区域内公共汽电车线路总数;公交电子站牌覆盖率=城区拥有通过信息屏、LED站牌形式实现公交车到站信息实时发送的“电子站牌”综合计数/城区公交站点数',
      definitionEn:
        'Two parts: routes with real-time arrival prediction via web/phone ÷ all bus routes (ROUTES); stops with electronic signs (info screen / LED) ÷ all urban bus stops (STOPS). ★3–★5 need both.',
      responsible: ['市交通运输局', '市国有企业发展服务中心', '市综合执法局', '市住房城乡建设局'],
      cite: ['001@8335'],
      uncertain: 'Responsible units 市综合执法局 and 市住房城乡建设局 may belong to the smart-lighting row (DIGEST §f).',
    },
    'numeric',
    [
      measure({
        id: 'bus_arrival_prediction', shortZh: '预报率',
        nameZh: '公共汽电车来车实时预报率',
        aliasesZh: ['公共汽电车来车信息实时预报率'],
        nameEn: 'Real-time bus arrival prediction rate (routes)',
        unit: 'percent',
        formula: { numeratorZh: '通过网站、手机实现来车信息实时预报服务的公共汽电车线路数', denominatorZh: '区域内公共汽电车线路总数' },
        counted: { zh: '条公交线路', zhAction: '实现来车实时预报', en: 'bus routes', enOne: 'bus route', enAction: 'need real-time arrival prediction', integer: true },
        sim: 'A/C',
      }),
      measure({
        id: 'bus_estop_coverage', shortZh: '电子站牌',
        nameZh: '公交电子站牌覆盖率',
        nameEn: 'Electronic bus-stop sign coverage (stops)',
        unit: 'percent',
        formula: { numeratorZh: '城区拥有实现公交车到站信息实时发送的“电子站牌”综合计数', denominatorZh: '城区公交站点数' },
        counted: { zh: '个公交站点', zhAction: '设置电子站牌', en: 'bus stops', enOne: 'bus stop', enAction: 'need an electronic sign', integer: true },
        sim: 'A/C',
      }),
    ],
    [
      cell(ge('bus_arrival_prediction', 40)),
      cell(ge('bus_arrival_prediction', 50)),
      cell(all(ge('bus_arrival_prediction', 60), ge('bus_estop_coverage', 5))),
      cell(all(ge('bus_arrival_prediction', 70), ge('bus_estop_coverage', 10))),
      cell(all(ge('bus_arrival_prediction', 80), gt('bus_estop_coverage', 20))),
    ],
  ),
  numeric(
    {
      id: 'smart_lighting',
      category: 'digital_services',
      nameZh: '智能照明设备安装率',
      nameEn: 'Smart-lighting installation rate',
      lead: true,
      definitionZh:
        '智能照明设备安装率=城区安装智能控制设备的公共照明设备数/城区公共照明设备总数。智能照明设备是指实现对照明设施的智能化控制、监测、故障报警等管理功能的设备',
      definitionEn: 'Public lights in the urban district with a smart control device (control, monitoring, fault alarm) ÷ all public lights in the urban district.',
      responsible: ['市住房城乡建设局'],
      cite: ['001@8683'],
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '城区安装智能控制设备的公共照明设备数', denominatorZh: '城区公共照明设备总数' },
      counted: { zh: '套公共照明设备', zhAction: '安装智能控制设备', en: 'public lights', enOne: 'public light', enAction: 'need a smart control device', integer: true },
      sim: 'A',
    },
    [G(20), G(50), G(70), G(90), G(100)],
  ),
  numeric(
    {
      id: 'smart_campus',
      category: 'digital_services',
      nameZh: '智慧校园覆盖率',
      nameEn: 'Smart-campus coverage',
      definitionZh: '区域内智慧校园建设情况。参照《山东省教育信息化2.0行动计划(2019-2022)》(鲁教科发〔2019〕1号)有关要求执行。学校范围为中小学校、职业院校',
      definitionEn: 'Share of schools (primary, secondary, vocational) that are smart campuses per the Shandong Education Informatisation 2.0 plan (鲁教科发〔2019〕1号).',
      responsible: ['市教育体育局'],
      cite: ['001@8914'],
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '智慧校园数量', denominatorZh: '中小学校、职业院校总数', notesZh: '附件表未给出比值公式,按鲁教科发〔2019〕1号执行' },
      counted: { zh: '所学校', zhAction: '建成智慧校园', en: 'schools', enOne: 'school', enAction: 'need to become smart campuses', integer: true },
      sim: 'I',
    },
    [G(20), G(30), G(40), G(50), G(70)],
  ),
  row(
    {
      id: 'gov_service_app',
      category: 'digital_services',
      nameZh: '政务服务类APP应用',
      nameEn: 'Government-service app ("爱山东" county sub-hall ranking)',
      definitionZh: '现阶段,根据县(市、区)“爱山东”应用数量排名确定得分情况',
      definitionEn:
        'Scored by the county sub-hall (县区分厅) ranking in number of "爱山东" apps. Enter whether the sub-hall is open (0/1) and its rank as a percentile of all county sub-halls (0 = best, 100 = last).',
      responsible: ['市政府办公室(市大数据局)', '市行政审批服务局'],
      cite: ['001@9427'],
      notes:
        'The seed gives integer bands (76%-100%, 51%-75%, 26%-50%, 前25%); they are read as rank percentile ≤100/≤75/≤50/≤25, so a value between bands (25.5) falls into the lower band.',
    },
    'numeric',
    [
      measure({ id: 'gov_app_subhall_open', shortZh: '开通分厅', nameZh: '开通县区分厅', nameEn: 'County sub-hall opened (1 = yes)', unit: 'flag', sim: 'I' }),
      measure({
        id: 'gov_app_rank_percentile', shortZh: '排名',
        nameZh: '全省县区分厅排名',
        nameEn: 'Rank among all county sub-halls, as a percentile (0 = top, 100 = last)',
        unit: 'percent',
        better: 'lower',
        sim: 'I',
      }),
    ],
    [
      null,
      cell(all(ge('gov_app_subhall_open', 1), le('gov_app_rank_percentile', 100)), '开通县区分厅,且全省县区分厅排名在76%-100%区间范围的'),
      cell(all(ge('gov_app_subhall_open', 1), le('gov_app_rank_percentile', 75)), '开通县区分厅,且全省县区分厅排名在51%-75%区间范围的'),
      cell(all(ge('gov_app_subhall_open', 1), le('gov_app_rank_percentile', 50)), '开通县区分厅,且全省县区分厅排名在26%-50%区间范围的'),
      cell(all(ge('gov_app_subhall_open', 1), le('gov_app_rank_percentile', 25)), '开通县区分厅,且全省县区分厅排名在前25%的'),
    ],
  ),
  numeric(
    {
      id: 'hospital_smart_service',
      category: 'digital_services',
      nameZh: '医院智慧服务水平',
      nameEn: 'Hospital smart-service level',
      definitionZh: '区域内二级及以上医院应用信息系统提供智慧服务的水平。参照《医院智慧服务分级评估标准体系(试行)》(国卫办医函〔2019〕236号)确定的评估方法进行评估',
      definitionEn:
        'Enter the highest 智慧服务 grade (0–5, per 国卫办医函〔2019〕236号) reached by at least one grade-II-or-above hospital. ★3/★4/★5: at least one hospital at grade ≥2/≥3/≥4 ("N级以上医院数量不少于1家").',
      responsible: ['市卫生健康局'],
      cite: ['001@9499'],
    },
    { nameZh: '医院智慧服务水平', nameEn: 'Highest smart-service grade reached by ≥1 grade-II+ hospital', unit: 'level', sim: 'I' },
    [P, P, G(2), G(3), G(4)],
  ),
  numeric(
    {
      id: 'signal_realtime_timing',
      category: 'digital_services',
      nameZh: '路口实时信号配时系统比例',
      nameEn: 'Share of important intersections with real-time signal timing',
      definitionZh: '交通路口实时信号配时系统比例=配置实时信号配时系统的交通路口数/区域路口总数。该指标统计城市重要路口,不包含支路路口',
      definitionEn: 'Intersections with a real-time signal-timing system ÷ all intersections; only important intersections count, branch-road intersections (支路路口) are excluded.',
      responsible: ['市公安局(市交警大队)'],
      cite: ['001@9610'],
    },
    {
      nameZh: '交通路口实时信号配时系统比例',
      unit: 'percent',
      formula: { numeratorZh: '配置实时信号配时系统的交通路口数', denominatorZh: '区域路口总数', excludesZh: '支路路口(只统计城市重要路口)' },
      counted: XINGS_SIGNAL,
      sim: 'C',
    },
    [P, P, G(40), G(60), X(80)],
  ),
  numeric(
    {
      id: 'transit_epayment',
      category: 'digital_services',
      nameZh: '公共交通电子支付使用率',
      nameEn: 'Public-transport e-payment usage rate',
      definitionZh:
        '公共交通乘车电子支付使用率=使用电子支付的出行人次/城区公共交通出行总人次。电子支付包括一卡通、移动支付、近场通信(NFC)支付等方式。公共交通出行包括城市轨道交通、公共汽电车等出行方式',
      definitionEn: 'Trips paid electronically (transit card, mobile, NFC) ÷ all urban public-transport trips (rail and bus).',
      responsible: ['市交通运输局', '市财政局', '(市国有企业发展服务中心)'],
      cite: ['001@9703'],
    },
    {
      nameZh: '公共交通乘车电子支付使用率',
      unit: 'percent',
      formula: { numeratorZh: '使用电子支付的出行人次', denominatorZh: '城区公共交通出行总人次' },
      sim: 'I',
    },
    [P, P, G(60), G(75), X(90)],
  ),
  numeric(
    {
      id: 'household_energy_metering',
      category: 'digital_services',
      nameZh: '家庭能源自动化采集覆盖率',
      nameEn: 'Household energy (water, electricity, gas) remote-metering coverage',
      definitionZh: '家庭能源自动化采集覆盖率=远传能源智能监控表数量(水、电、气)/区域内总户数。三项考核内容权重各占1/3',
      definitionEn: 'Remote smart meters (water, electricity, gas) ÷ households; the three items weigh 1/3 each.',
      responsible: ['市住房城乡建设局', '市供电公司'],
      cite: ['001@9893'],
    },
    {
      nameZh: '家庭能源自动化采集覆盖率',
      aliasesZh: ['家庭能源(水、电、燃气)自动化采集覆盖率', '家庭能源(水电燃气)自动化采集覆盖率'],
      unit: 'percent',
      formula: { numeratorZh: '远传能源智能监控表数量(水、电、气)', denominatorZh: '区域内总户数', notesZh: '水、电、气三项权重各占1/3' },
      sim: 'A',
    },
    [P, P, G(50), G(70), G(80)],
  ),

  // ===== 数字政府 =====
  numeric(
    {
      id: 'env_monitoring',
      category: 'digital_government',
      nameZh: '环境质量监测水平',
      nameEn: 'Environmental-quality automatic-monitoring rate (air/water/noise, weighted)',
      definitionZh:
        '空气、水体、噪音等环境质量自动化监测率=空气、水体、噪音环境质量信息化监测覆盖面积/区域总面积。三项考核内容权重分别为40%、40%、20%',
      definitionEn: 'Monitored area ÷ region area for air, water and noise, weighted 40/40/20; the graded value is the weighted average (加权平均值).',
      responsible: ['济宁市生态环境局邹城市分局'],
      cite: ['001@10071'],
    },
    {
      nameZh: '空气、水体、噪音等环境质量自动化监测率',
      aliasesZh: ['空气、水体、噪音等环境质量自动化监测率加权平均值'],
      unit: 'percent',
      formula: { numeratorZh: '空气、水体、噪音环境质量信息化监测覆盖面积', denominatorZh: '区域总面积', notesZh: '三项权重40%、40%、20%,取加权平均值' },
      sim: 'C',
    },
    [G(30), G(50), G(60), G(80), X(90)],
  ),
  numeric(
    {
      id: 'gov_cloud',
      category: 'digital_government',
      nameZh: '政务云平台应用水平',
      nameEn: 'Government-cloud migration rate',
      definitionZh: '政务信息系统云平台迁移率=业务系统上云数量/业务系统总数',
      definitionEn: 'Business systems on the government cloud ÷ all business systems.',
      responsible: ['市政府办公室(市大数据局)'],
      cite: ['001@10407'],
    },
    {
      nameZh: '政务信息系统云平台迁移率',
      unit: 'percent',
      formula: { numeratorZh: '业务系统上云数量', denominatorZh: '业务系统总数' },
      counted: { zh: '个业务系统', zhAction: '迁移上云', en: 'business systems', enOne: 'business system', enAction: 'need migrating to the cloud', integer: true },
      sim: 'I',
    },
    [P, P, G(80), G(90), X(95)],
  ),
  numeric(
    {
      id: 'multi_grid_integration',
      category: 'digital_government',
      nameZh: '多网格融合水平',
      nameEn: 'Multi-grid integration (number of departments whose grids are merged)',
      lead: true,
      definitionZh:
        '实现生态环境、应急指挥、市场监管、城市管理等治理网格的集约化建设。多网格融合内容包括但不限于划分网格、指挥体系、信息系统、网格队伍、工作流程、热线资源、基础数据、办理事项等',
      definitionEn: 'Departments whose governance grids (environment, emergency, market supervision, urban management, …) are merged into one.',
      responsible: ['市委政法委', '市政府办公室(市大数据局)', '济宁市生态环境局邹城市分局', '市应急局', '市市场监管局', '市综合执法局'],
      cite: ['001@10446'],
    },
    { nameZh: '实现多网格合一的部门数量', nameEn: 'Departments with merged grids', unit: 'count', sim: 'I' },
    [P, P, G(2), G(4), X(5)],
  ),
  numeric(
    {
      id: 'pipeline_monitoring',
      category: 'digital_government',
      nameZh: '市政管网管线智能化监测管理率',
      nameEn: 'Smart monitoring of municipal pipelines (length-based)',
      definitionZh:
        '市政管网管线智能化监测管理率=由物联网等技术进行智能化监测管理的城市市政管网管线长度/城市市政管网管线总长度。“智能化监测”即实现对水、电、气的运行状态进行监测、安全预警、水质监测等功能。三项考核内容权重各占1/3',
      definitionEn: 'Length of municipal pipelines under IoT smart monitoring ÷ total length; water, electricity and gas weigh 1/3 each.',
      responsible: ['市住房城乡建设局', '市供电公司'],
      cite: ['001@10767'],
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '智能化监测管理的城市市政管网管线长度', denominatorZh: '城市市政管网管线总长度', notesZh: '水、电、气三项权重各占1/3' },
      sim: 'C/A',
    },
    [P, P, G(70), G(85), G(100)],
  ),
  numeric(
    {
      id: 'data_sharing',
      category: 'digital_government',
      nameZh: '数据资源共享水平',
      nameEn: 'Inter-departmental data-sharing rate',
      definitionZh:
        '信息资源部门间共享率=制定信息资源目录并提供共享的部门数量/政府部门总数量。无条件共享必须全部共享给其他部门,有条件共享类的信息资源应按照注明的条件和范围进行共享',
      definitionEn: 'Departments with a resource catalogue that share their data ÷ all government departments.',
      responsible: ['市政府办公室(市大数据局)', '市行政审批服务局'],
      cite: ['001@11037'],
    },
    {
      nameZh: '信息资源部门间共享率',
      unit: 'percent',
      formula: { numeratorZh: '制定信息资源目录并提供共享的部门数量', denominatorZh: '政府部门总数量' },
      counted: { zh: '个部门', zhAction: '制定信息资源目录并提供共享', en: 'departments', enOne: 'department', enAction: 'need a shared resource catalogue', integer: true },
      sim: 'I',
    },
    [P, P, P, G(80), G(90)],
  ),
  numeric(
    {
      id: 'open_data',
      category: 'digital_government',
      nameZh: '公共信息资源社会开放水平',
      nameEn: 'Open public data (categories opened of 22)',
      definitionZh:
        '公共信息资源社会开放率=已开放的公共信息资源类别数量/需要开放的公共信息资源类别总数。需要开放的公共信息资源类别总数为22,包括信用服务、医疗卫生、社保就业、公共安全、城建住房、交通运输、教育文化、科技创新、资源能源、生态环境、工业农业、商贸流通、财税金融、安全生产、市场监管、社会救助、法律服务、生活服务、气象服务、地理空间、地名地址、机构团体等',
      definitionEn: 'Opened public-information categories ÷ the 22 required categories.',
      responsible: ['市政府办公室(市大数据局)', '市行政审批服务局'],
      cite: ['001@11208'],
    },
    {
      nameZh: '公共信息资源社会开放率',
      unit: 'percent',
      formula: { numeratorZh: '已开放的公共信息资源类别数量', denominatorZh: '需要开放的公共信息资源类别总数(22)' },
      counted: { zh: '类公共信息资源', zhAction: '向社会开放', en: 'data categories', enOne: 'data category', enAction: 'need opening', integer: true },
      fixedDenominator: 22,
      sim: 'I',
    },
    [P, P, P, G(80), G(90)],
  ),
  numeric(
    {
      id: 'building_energy_metering',
      category: 'digital_government',
      nameZh: '建筑用能分项计量应用水平',
      nameEn: 'Digital energy management (sub-metering) of key energy-using buildings',
      definitionZh: '重点用能建筑节能管理数字化覆盖率=安装了用能分项计量装置的重点用能建筑数量/重点用能建筑总数量。重点用能建筑指2万平方米以上的公共建筑',
      definitionEn: 'Key buildings with energy sub-metering ÷ all key buildings; key buildings = public buildings of 20,000 m² and above.',
      responsible: ['市住房城乡建设局', '市发展改革局', '市机关事务服务中心'],
      cite: ['001@11446'],
      uncertain:
        'Column placement inferred (medium confidence): 80% is read as the ★5 cell only (DIGEST §f). 市发展改革局 may belong to the software row.',
    },
    {
      nameZh: '重点用能建筑节能管理数字化覆盖率',
      unit: 'percent',
      formula: { numeratorZh: '安装了用能分项计量装置的重点用能建筑数量', denominatorZh: '重点用能建筑总数量', notesZh: '重点用能建筑指2万平方米以上的公共建筑' },
      counted: { zh: '栋重点用能建筑', zhAction: '安装用能分项计量装置', en: 'key buildings', enOne: 'key building', enAction: 'need energy sub-metering', integer: true },
      sim: 'A',
    },
    [P, P, P, P, G(80)],
  ),

  // ===== 数字经济 =====
  numeric(
    {
      id: 'software_revenue_share',
      category: 'digital_economy',
      nameZh: '软件业务收入',
      nameEn: 'Software and IT-services revenue as a share of GDP',
      definitionZh: '单位地区生产总值软件及相关信息服务业营业收入=当年软件及相关信息技术服务业收入/区域GDP',
      definitionEn: "This year's software and IT-services revenue ÷ regional GDP.",
      responsible: ['市工业和信息化局'],
      cite: ['001@11772'],
      uncertain:
        "Column placement inferred (medium confidence): '/' at ★1, ★2–★5 = 1/2/3/>4% (DIGEST §f). The first-level label on that page is 数字政府; 数字经济 is plausible but not provable (DIGEST §g).",
    },
    { nameZh: '单位地区生产总值软件及相关信息服务业营业收入', unit: 'percent', sim: 'I' },
    [P, G(1), G(2), G(3), X(4)],
  ),
  numeric(
    {
      id: 'enterprise_cloud',
      category: 'digital_economy',
      nameZh: '企业上云规模',
      nameEn: 'Enterprises on the cloud (count)',
      definitionZh: '区域内企业上云数量',
      definitionEn: 'Number of enterprises in the region using cloud services.',
      responsible: ['市工业和信息化局'],
      cite: ['001@11717'],
      uncertain:
        "Column placement inferred (medium confidence): '/' at ★1, ★2–★5 = 100/200/500/>1000 (DIGEST §f). Category label (数字经济 vs 数字政府) not provable from the text (DIGEST §g).",
    },
    { nameZh: '企业上云数量', nameEn: 'Enterprises on the cloud', unit: 'count', sim: 'I' },
    [P, G(100), G(200), G(500), X(1000)],
  ),
  row(
    {
      id: 'digital_economy_parks',
      category: 'digital_economy',
      nameZh: '数字经济园区',
      nameEn: 'Digital-economy parks (pilot)',
      lead: true,
      definitionZh: '数字经济园区(试点)建设数量',
      definitionEn: 'Number of municipal digital-economy parks (pilot); ★5 also needs at least one provincial park.',
      responsible: ['市工业和信息化局', '市商务局'],
      cite: ['001@11952'],
    },
    'numeric',
    [
      measure({ id: 'digital_parks_municipal', shortZh: '市级园区', nameZh: '市级数字经济园区(试点)建设数量', nameEn: 'Municipal digital-economy parks (pilot)', unit: 'count', sim: 'I' }),
      measure({ id: 'digital_parks_provincial', shortZh: '省级园区', nameZh: '省级数字经济园区(试点)建设数量', nameEn: 'Provincial digital-economy parks (pilot)', unit: 'count', sim: 'I' }),
    ],
    [
      null,
      cell(ge('digital_parks_municipal', 1)),
      cell(ge('digital_parks_municipal', 2)),
      cell(ge('digital_parks_municipal', 3)),
      cell(all(ge('digital_parks_municipal', 4), ge('digital_parks_provincial', 1)), '市级…建设数量达到4家,且省级数字经济园区(试点)建设数量达到1家及以上'),
    ],
  ),
  numeric(
    {
      id: 'ecommerce_share',
      category: 'digital_economy',
      nameZh: '电子商务',
      nameEn: 'E-commerce turnover share of retail sales',
      definitionZh: '电商交易额占比=电商交易额/社会消费品零售总额',
      definitionEn: 'E-commerce turnover ÷ total retail sales of consumer goods.',
      responsible: ['市商务局'],
      cite: ['001@12781'],
    },
    { nameZh: '电商交易额占比', unit: 'percent', sim: 'I' },
    [P, P, G(10), G(15), X(20)],
  ),
  numeric(
    {
      id: 'patent_growth',
      category: 'digital_economy',
      nameZh: '万人有效发明增幅',
      nameEn: 'Growth of valid invention patents per 10,000 people',
      lead: true,
      definitionZh:
        '万人有效发明专利拥有量增幅=(当年度万人有效发明量-前一年万人有效发明量)/前一年万人有效发明量。其中,万人有效发明专利拥有量=年末有效发明专利拥有量/年末总人口',
      definitionEn: "(This year's valid invention patents per 10,000 people − last year's) ÷ last year's.",
      responsible: ['市市场监管局'],
      cite: ['001@12185'],
      notes: 'A growth rate: it may be negative (down to −100) and is not capped at 100.',
    },
    { nameZh: '万人有效发明专利拥有量增幅', unit: 'percent', min: -100, max: 100_000, sim: 'I' },
    [P, P, G(5), G(10), G(15)],
  ),
  numeric(
    {
      id: 'industrialization_demo_bases',
      category: 'digital_economy',
      nameZh: '国家新型工业化产业示范基地',
      nameEn: 'National new-industrialisation demonstration bases (MIIT-rated)',
      definitionZh: '工信部评定的国家新型工业化产业示范基地数量',
      definitionEn: 'Number of demonstration bases rated by MIIT (工信部).',
      responsible: ['市工业和信息化局'],
      cite: ['001@12366'],
    },
    { nameZh: '国家新型工业化产业示范基地数量', unit: 'count', sim: 'I' },
    [P, P, P, G(1), G(2)],
  ),
  numeric(
    {
      id: 'next_gen_it_employment',
      category: 'digital_economy',
      nameZh: '新一代信息技术产业就业人口占比',
      nameEn: 'Next-generation IT industry employment share',
      lead: true,
      definitionZh:
        '新一代信息技术产业就业人口占比=新一代信息技术产业企业就业人口数/总就业人口数。按照《战略性新兴产业分类(2018)》,新一代信息技术产业分为5个大类、20个小类,包含83个国民经济行业',
      definitionEn: 'Employment in next-gen IT enterprises ÷ total employment (《战略性新兴产业分类(2018)》: 5 major classes, 20 minor, 83 industries).',
      responsible: ['市工业和信息化局', '市人力资源社会保障局', '市统计局'],
      cite: ['001@12469'],
      uncertain: 'Column placement inferred (medium confidence): 5% at ★4, >10% at ★5 (DIGEST §f).',
    },
    { unit: 'percent', sim: 'I' },
    [P, P, P, G(5), X(10)],
  ),
  numeric(
    {
      id: 'iiot_id_resolution_nodes',
      category: 'digital_economy',
      nameZh: '工业互联网标识解析二级节点',
      nameEn: 'Industrial-internet identifier-resolution secondary nodes',
      lead: true,
      definitionZh: '工信部备案的工业互联网标识解析二级节点数量',
      definitionEn: 'Number of secondary nodes filed with MIIT.',
      responsible: ['市工业和信息化局'],
      cite: ['001@12856'],
    },
    { nameZh: '工业互联网标识解析二级节点数量', unit: 'count', sim: 'I' },
    [P, P, P, P, G(1)],
  ),

  // ===== 基础设施 =====
  numeric(
    {
      id: 'ftth_coverage',
      category: 'infrastructure',
      nameZh: '家庭光纤入户覆盖率',
      nameEn: 'Household fibre-to-the-home coverage',
      definitionZh: '家庭光纤入户覆盖率=光纤入户覆盖家庭数/区域内上网家庭总数',
      definitionEn: 'Households with FTTH ÷ households with Internet access.',
      responsible: ['市工业和信息化局'],
      cite: ['001@12954'],
    },
    { unit: 'percent', aliasesZh: ['家庭光纤宽带入户率'], sim: 'I' },
    [G(50), G(60), G(80), G(90), G(100)],
  ),
  numeric(
    {
      id: 'mobile_download_speed',
      category: 'infrastructure',
      nameZh: '移动通信网络平均下载速率',
      nameEn: 'Mobile network average download rate (Mbit/s)',
      definitionZh: '移动通信网络平均下载速率,测试场景为二级及以上医院、交通枢纽、知名商圈、大型公园等公共场所和居民区,以实地采样、测试数据为准',
      definitionEn:
        'Average download rate; test scenes are grade-II+ hospitals, transport hubs, shopping districts, large parks and residential areas; field-test data prevails (a simulated value is an estimate only).',
      responsible: ['市工业和信息化局'],
      cite: ['001@13384'],
    },
    { unit: 'Mbit/s', sim: 'C' },
    [G(5), G(10), G(20), G(25), G(30)],
  ),
  row(
    {
      id: 'public_video_application',
      category: 'infrastructure',
      nameZh: '公共安全视频图像应用',
      nameEn: 'Public-security video use (crime-solving contribution + departments served)',
      definitionZh:
        '公共安全视频图像支撑服务社会管理情况。包括公共安全视频图像支撑打击犯罪的贡献率及公共安全视频图像服务政府其他职能部门情况两个方面。其中,公共安全视频图像支撑打击犯罪的贡献率=年度公安机关利用视频监控协助查破的刑事案件数量/年度公安机关查破的刑事案件总数',
      definitionEn:
        'Criminal cases solved with help of video ÷ all solved criminal cases (this year), plus the number of other government departments served by public video.',
      responsible: ['市公安局'],
      cite: ['001@13484'],
      notes: "★1 is the contribution rate only (no departments condition). ★2 reads '服务至少1个' (≥1); ★3–★5 read '多于' (strictly more than).",
    },
    'numeric',
    [
      measure({
        id: 'video_crime_contribution', shortZh: '贡献率',
        nameZh: '公共安全视频图像支撑打击犯罪的贡献率',
        nameEn: 'Share of solved criminal cases helped by public video',
        unit: 'percent',
        formula: { numeratorZh: '年度公安机关利用视频监控协助查破的刑事案件数量', denominatorZh: '年度公安机关查破的刑事案件总数' },
        sim: 'I',
      }),
      measure({
        id: 'video_served_departments', shortZh: '服务部门',
        nameZh: '服务政府其他职能部门的个数',
        aliasesZh: ['公共安全视频服务政府其他职能部门的个数'],
        nameEn: 'Other government departments served by public video',
        unit: 'count',
        sim: 'I',
      }),
    ],
    [
      cell(ge('video_crime_contribution', 30)),
      cell(all(ge('video_crime_contribution', 40), ge('video_served_departments', 1))),
      cell(all(ge('video_crime_contribution', 50), gt('video_served_departments', 3))),
      cell(all(ge('video_crime_contribution', 60), gt('video_served_departments', 5))),
      cell(all(ge('video_crime_contribution', 80), gt('video_served_departments', 8))),
    ],
  ),
  row(
    {
      id: 'video_completeness',
      category: 'infrastructure',
      nameZh: '视频监控完善程度',
      aliasesZh: ['视频监控完善率'],
      nameEn: 'Video-surveillance completeness (HD coverage of key public areas + camera serviceability)',
      definitionZh:
        '包括城市重点公共区域高清视频监控覆盖率与城市重点公共区域视频监控摄像机完好率两个方面。其中,城市重点公共区域高清视频监控覆盖率=高清视频监控已经覆盖的城市重点公共区域数量/城市重点公共区域数量;城市重点公共区域视频监控摄像机完好率=城市重点公共区域完好视频监控摄像机数量/城市重点公共区域视频监控摄像机总数量。该指标中提及的城市重点区域的范围按照公安主管部门要求并结合城市情况确定',
      definitionEn:
        'HD coverage counts key public AREAS (covered areas ÷ all key areas); serviceability counts CAMERAS in key areas (cameras in good order ÷ all). The key-area set is fixed by the public-security authority. ★3–★5 need both numbers.',
      responsible: ['市公安局'],
      cite: ['001@13744', '001@14141', '001@14296'],
    },
    'numeric',
    [
      measure({
        id: 'video_hd_coverage', shortZh: '高清覆盖率',
        nameZh: '城市重点公共区域高清视频监控覆盖率',
        aliasesZh: ['高清视频监控覆盖率'],
        nameEn: 'HD video coverage of key public areas (by areas)',
        unit: 'percent',
        formula: { numeratorZh: '高清视频监控已经覆盖的城市重点公共区域数量', denominatorZh: '城市重点公共区域数量', notesZh: '重点区域范围按照公安主管部门要求并结合城市情况确定' },
        counted: AREAS_VIDEO,
        sim: 'C',
      }),
      measure({
        id: 'video_camera_health', shortZh: '完好率',
        nameZh: '城市重点公共区域视频监控摄像机完好率',
        aliasesZh: ['视频监控摄像机完好率'],
        nameEn: 'Camera serviceability in key public areas (by cameras)',
        unit: 'percent',
        formula: { numeratorZh: '城市重点公共区域完好视频监控摄像机数量', denominatorZh: '城市重点公共区域视频监控摄像机总数量' },
        counted: CAMERAS_OK,
        sim: 'A/I',
      }),
    ],
    [
      null,
      null,
      cell(all(ge('video_hd_coverage', 80), ge('video_camera_health', 80)), '覆盖率、视频监控摄像机完好率均达到80%以上'),
      cell(all(ge('video_hd_coverage', 90), ge('video_camera_health', 90)), '覆盖率、视频监控摄像机完好率均达到90%以上'),
      cell(all(ge('video_hd_coverage', 100), ge('video_camera_health', 100)), '覆盖率、视频监控摄像机完好率均达到100%'),
    ],
  ),
  numeric(
    {
      id: 'video_networking',
      category: 'infrastructure',
      nameZh: '视频监控联网率',
      nameEn: 'Video networking rate (cameras in key public areas connected to the sharing platform)',
      definitionZh:
        '城市重点公共区域视频监控联网率=已经接入视频图像共享平台的城市重点公共区域内视频监控摄像机数量/城市重点公共区域内视频监控摄像机总数量。该指标中提及的城市重点区域的范围按照公安主管部门要求并结合城市情况确定',
      definitionEn: 'Cameras inside key public areas connected to the video-image sharing platform ÷ all cameras inside key public areas.',
      responsible: ['市公安局'],
      cite: ['001@14329'],
    },
    {
      nameZh: '城市重点公共区域视频监控联网率',
      unit: 'percent',
      formula: { numeratorZh: '已经接入视频图像共享平台的城市重点公共区域内视频监控摄像机数量', denominatorZh: '城市重点公共区域内视频监控摄像机总数量' },
      counted: CAMERAS_NET,
      sim: 'A',
    },
    [P, P, G(80), G(90), G(100)],
  ),
  numeric(
    {
      id: 'epolice_coverage',
      category: 'infrastructure',
      nameZh: '电子警察监控点覆盖率',
      nameEn: 'E-police (traffic-enforcement camera) intersection coverage',
      definitionZh: '电子警察监控点覆盖率=区域电子警察监控点覆盖路口数/区域路口总数。该指标统计城市重要路口,不包含支路路口',
      definitionEn: 'Intersections covered by e-police points ÷ all intersections; important intersections only, branch-road intersections excluded.',
      responsible: ['市公安局'],
      cite: ['001@14464'],
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '区域电子警察监控点覆盖路口数', denominatorZh: '区域路口总数', excludesZh: '支路路口(只统计城市重要路口)' },
      counted: XINGS_EPOLICE,
      sim: 'C/A',
    },
    [P, P, G(80), G(90), G(100)],
  ),
  numeric(
    {
      id: 'broadband_200m_share',
      category: 'infrastructure',
      nameZh: '200Mbit/s以上固定宽带用户占比',
      nameEn: 'Share of households with ≥200 Mbit/s fixed broadband',
      definitionZh: '200Mbit/s以上固定宽带用户占比=固定宽带速率达到200Mbit/s以上的用户数/区域内总户数',
      definitionEn: 'Fixed-broadband users at ≥200 Mbit/s ÷ households in the region.',
      responsible: ['市工业和信息化局'],
      cite: ['001@14554'],
    },
    { unit: 'percent', sim: 'I' },
    [P, P, G(50), G(60), G(70)],
  ),
  numeric(
    {
      id: 'ipv6_website_support',
      category: 'infrastructure',
      nameZh: 'IPv6网站支持率',
      nameEn: 'IPv6 website support rate (10 main sites)',
      lead: true,
      definitionZh:
        'IPv6网站支持率=支持IPv6的城市主要网站数量/城市主要网站总数量。城市主要网站指城市政府门户网站,浏览量前三位的城市本地新闻媒体类网站,浏览量前六位的城市本地其他商业网站,总计10个网站',
      definitionEn: 'IPv6-capable main sites ÷ 10 main sites (government portal, top-3 local news sites, top-6 other local commercial sites).',
      responsible: ['市工业和信息化局', '市委宣传部(市网信办)'],
      cite: ['001@14672'],
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '支持IPv6的城市主要网站数量', denominatorZh: '城市主要网站总数量(10)' },
      counted: { zh: '个主要网站', zhAction: '支持IPv6', en: 'main websites', enOne: 'main website', enAction: 'need IPv6 support', integer: true },
      fixedDenominator: 10,
      sim: 'I',
    },
    [P, P, G(10), G(30), G(50)],
  ),
  numeric(
    {
      id: 'nr5g_key_area_coverage',
      category: 'infrastructure',
      nameZh: '5G网络覆盖率',
      nameEn: '5G coverage of key public areas (by areas)',
      lead: true,
      definitionZh:
        '城区重点公共区域5G网络覆盖率=已经实现5G覆盖的城市重点公共区域个数/城市重点公共区域总数。城市重点公共区域指机场车站、旅游景点、公园广场、图书馆、医院、学校、政务服务中心等公共场所',
      definitionEn:
        'Key public areas with 5G coverage ÷ all key public areas (airports and stations, tourist sites, parks and squares, libraries, hospitals, schools, government service centres, …). Counted by areas.',
      responsible: ['市工业和信息化局'],
      cite: ['001@15279'],
    },
    {
      nameZh: '城区重点公共区域5G网络覆盖率',
      unit: 'percent',
      formula: {
        numeratorZh: '已经实现5G覆盖的城市重点公共区域个数',
        denominatorZh: '城市重点公共区域总数',
        notesZh: '城市重点公共区域指机场车站、旅游景点、公园广场、图书馆、医院、学校、政务服务中心等公共场所',
      },
      counted: AREAS_5G,
      sim: 'C',
    },
    [P, P, G(30), G(50), G(80)],
  ),
  numeric(
    {
      id: 'topographic_map_coverage',
      category: 'infrastructure',
      nameZh: '多尺度地理信息覆盖情况',
      aliasesZh: ['多尺度地理信息覆盖率'],
      nameEn: 'Multi-scale geo-information: 1:1000 / 1:2000 topographic-map coverage of the planning area',
      definitionZh:
        '城市规划区1:1000或1:2000比例尺地形图覆盖率=城市规划区1:1000或1:2000比例尺地形图覆盖面积/城市规划区面积。城市规划区定义参照GB/T 50280-98《城市规划基本术语标准》',
      definitionEn: 'Planning-area surface covered by 1:1000 or 1:2000 topographic maps ÷ planning-area surface (GB/T 50280-98).',
      responsible: ['市自然资源和规划局'],
      cite: ['001@15410'],
    },
    {
      nameZh: '城市规划区1:1000或1:2000比例尺地形图覆盖率',
      unit: 'percent',
      formula: { numeratorZh: '城市规划区1:1000或1:2000比例尺地形图覆盖面积', denominatorZh: '城市规划区面积' },
      counted: { zh: 'km² 城市规划区面积', zhAction: '补测1:1000或1:2000地形图', en: 'km² of planning area', enOne: 'km² of planning area', enAction: 'need 1:1000/1:2000 mapping', integer: false, unit: 'km²' },
      sim: 'C',
    },
    [P, P, P, G(90), G(100)],
  ),

  // ===== 保障措施 =====
  handLevel(
    {
      id: 'institutional_mechanism',
      category: 'safeguards',
      nameZh: '制度机制',
      nameEn: 'Institutional mechanism',
      definitionZh: '智慧城市制度机制建设情况',
      definitionEn: 'Text-graded: the evaluator enters the level (0–5) whose description is met.',
      responsible: ['市政府办公室(市大数据局)'],
      cite: ['001@15608'],
    },
    [
      '成立智慧城市建设工作领导小组',
      '成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导',
      '成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导;由智慧城市主管部门统筹智慧城市建设,有专门机构参与运营',
      '成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导;由智慧城市主管部门统筹智慧城市建设,由智慧城市运营机构统一运营;建立智慧城市项目管理制度,并纳入政府绩效考核体系',
      '成立智慧城市建设工作领导小组并由政府主要领导担任领导小组领导;由智慧城市主管部门统筹智慧城市建设;由智慧城市运营机构统一运营;建立智慧城市项目管理制度,并纳入政府绩效考核体系;定期召开智慧城市专题工作会议',
    ],
  ),
  handLevel(
    {
      id: 'planning',
      category: 'safeguards',
      nameZh: '规划计划',
      nameEn: 'Planning (top-level plan and annual plans)',
      definitionZh: '智慧城市顶层设计及相关领域专项规划、计划制定工作的开展情况',
      definitionEn: 'Text-graded: the evaluator enters the level (0–5) whose description is met.',
      responsible: ['市政府办公室(市大数据局)'],
      cite: ['001@15832'],
    },
    [
      '制定智慧城市年度工作计划及重点任务分工方案',
      '正在制定智慧城市建设顶层规划;拥有明确的智慧城市年度工作计划',
      '制定完成智慧城市建设顶层规划;拥有明确的智慧城市年度工作计划',
      '发布智慧城市建设顶层规划,并完成重点任务分工方案;制定智慧城市年度工作计划并建立考核评估监督机制',
      '发布智慧城市建设顶层规划以及与智慧城市建设有关的分领域、分区域的专项规划;制定明确的智慧城市年度工作计划、详细的重点任务分工方案、完善的考核评估监督机制及客观的年度工作总结',
    ],
  ),
  handLevel(
    {
      id: 'talent',
      category: 'safeguards',
      nameZh: '人才保障',
      nameEn: 'Talent',
      definitionZh: '智慧城市人才保障机制建设情况',
      definitionEn: "Text-graded: the evaluator enters the level (0, 2–5; ★1 is '/').",
      responsible: ['市委组织部', '市委编办', '市人力资源和社会保障局'],
      cite: ['001@16168'],
    },
    [
      null,
      '制定智慧城市相关人才保障计划;开展与智慧城市有关的培训、培养、资质认定推广等工作',
      '制定智慧城市相关人才保障计划;具备明确的组织机构架构;开展与智慧城市有关的培训、培养、资质认定推广等工作;建立智慧城市部门间首席信息官制度',
      '制定智慧城市相关人才保障计划;具备明确的组织机构架构,清晰的人员岗位职责分工;开展与智慧城市有关的培训、培养、资质认定推广等工作;建立智慧城市部门间首席信息官制度',
      '制定智慧城市相关人才保障计划;明确的组织机构架构,清晰的人员岗位职责分工;开展与智慧城市有关的培训、培养、资质认定推广等工作;建立智慧城市部门间首席信息官制度;建立与智慧城市有关人才引进、激励的政策措施、办法机制等;开展其他与人才建设有关的组织、交流等工作',
    ],
  ),
  handLevel(
    {
      id: 'funding',
      category: 'safeguards',
      nameZh: '资金投入',
      nameEn: 'Funding',
      lead: true,
      definitionZh: '智慧城市资金保障机制建设情况',
      definitionEn: "Text-graded: the evaluator enters the level (0, 2–5; ★1 is '/'), or the list of levels whose literal text is met (levelsMet).",
      responsible: ['市财政局', '市政府办公室(市大数据局)'],
      cite: ['001@16568', '001@16751', '001@16920'],
      notes:
        "The literal ★4 and ★5 cells do not repeat the ★3 clause (多渠道资金) nor ★5 the ★4 clause (DIGEST §g). Enter levelsMet to let the 'literal' / 'cumulative' reading setting decide; the choice can move a county two stars on this row.",
    },
    [
      null,
      '设立了智慧城市建设专项资金,或明确由财政专项资金支持智慧城市建设',
      '设立智慧城市建设专项资金,或明确由财政专项资金支持智慧城市建设;形成专项(财政)资金引导,多渠道资金参与的智慧城市建设多元投资局面',
      '设立智慧城市建设专项资金,或明确由财政专项资金支持智慧城市建设;当年度参与智慧城市建设项目社会资本规模不少于2000万',
      '设立智慧城市建设专项资金,或明确由财政专项资金支持智慧城市建设;由财政资金支撑有关重点重大项目;当年度参与智慧城市建设项目社会资本规模不少于5000万',
    ],
  ),
  numeric(
    {
      id: 'project_cultivation',
      category: 'safeguards',
      nameZh: '项目培育',
      nameEn: 'Project cultivation (projects with special support)',
      lead: true,
      definitionZh: '智慧城市建设重点领域项目培育情况',
      definitionEn: 'Projects in smart city, big data, industrial internet, AI and similar fields that received special support.',
      responsible: ['市发展改革局', '市财政局', '市政府办公室(市大数据局)', '市工业和信息化局'],
      cite: ['001@16646', '001@17222'],
    },
    { nameZh: '智慧城市、大数据、工业互联网、人工智能等领域获专项支持项目数', nameEn: 'Projects with special support', unit: 'count', sim: 'I' },
    [P, G(50), G(70), G(80), X(100)],
  ),
  row(
    {
      id: 'info_security',
      category: 'safeguards',
      nameZh: '信息安全',
      nameEn: 'Information security (deduction item)',
      definitionZh: '扣分项。在智慧城市建设过程中,发生失泄密事件的,发生每起事件(案件)扣除指标总分值的2%',
      definitionEn: 'Deduction item: each leak incident during construction deducts 2% of the total indicator score (指标总分值).',
      responsible: ['市委宣传部(市网信办)', '市公安局'],
      cite: ['001@17113'],
    },
    'deduction',
    [measure({ id: 'info_security_incidents', nameZh: '失泄密事件(案件)数', aliasesZh: ['信息安全'], nameEn: 'Leak incidents (cases)', unit: 'count', sim: 'I' })],
    [null, null, null, null, null],
  ),

  // ===== 地方特色 =====
  row(
    {
      id: 'pilots',
      category: 'local_features',
      nameZh: '工作试点',
      nameEn: 'Pilots undertaken',
      definitionZh: '所承担的国家或省级智慧城市相关领域试点工作情况',
      definitionEn: 'National or provincial smart-city pilots undertaken. ★5 is an OR: ≥1 national or ≥2 provincial.',
      responsible: ['市政府办公室(市大数据局)'],
      cite: ['001@17164'],
    },
    'numeric',
    [
      measure({ id: 'pilots_total', shortZh: '试点', nameZh: '承担智慧城市相关领域试点数量', nameEn: 'Smart-city-related pilots undertaken (any level)', unit: 'count', sim: 'I' }),
      measure({ id: 'pilots_provincial', shortZh: '省级试点', nameZh: '承担智慧城市领域省级试点数量', nameEn: 'Provincial smart-city pilots', unit: 'count', sim: 'I' }),
      measure({ id: 'pilots_national', shortZh: '国家级试点', nameZh: '承担智慧城市领域国家级试点数量', nameEn: 'National smart-city pilots', unit: 'count', sim: 'I' }),
    ],
    [
      null,
      cell(ge('pilots_total', 1), '承担1项智慧城市相关领域试点'),
      cell(ge('pilots_total', 2), '承担2项智慧城市相关领域试点'),
      cell(ge('pilots_provincial', 1), '承担智慧城市领域省级试点1个'),
      cell(any(ge('pilots_national', 1), ge('pilots_provincial', 2)), '承担智慧城市领域国家级试点不低于1个或省级试点不低于2个'),
    ],
  ),
  row(
    {
      id: 'publicity',
      category: 'local_features',
      nameZh: '宣传体验',
      nameEn: 'Publicity and experience events',
      definitionZh: '智慧城市建设宣传体验情况',
      definitionEn: 'Smart-city publicity / experience events run or co-run. ★5 is an OR: ≥2 national-or-provincial events, or ≥1 experience shown in the provincial data hall.',
      responsible: ['市委宣传部', '市委政法委'],
      cite: ['001@17266'],
      uncertain: 'Responsible unit 市委政法委 may belong to the smart-community row (DIGEST §f).',
    },
    'numeric',
    [
      measure({ id: 'publicity_events', shortZh: '活动', nameZh: '承担、配合开展智慧城市相关宣传、体验活动数量', nameEn: 'Publicity / experience events (any level)', unit: 'count', sim: 'I' }),
      measure({
        id: 'publicity_events_national_provincial', shortZh: '国家/省级活动',
        nameZh: '承担、配合开展国家(或省级)智慧城市相关宣传、体验活动数量',
        nameEn: 'National or provincial publicity / experience events',
        unit: 'count',
        sim: 'I',
      }),
      measure({ id: 'publicity_data_hall_showcases', shortZh: '省数据大厅展示', nameZh: '在省数据大厅展示的智慧城市建设经验数量', nameEn: 'Experiences shown in the provincial data hall', unit: 'count', sim: 'I' }),
    ],
    [
      null,
      cell(ge('publicity_events', 1), '承担、配合开展1项智慧城市相关宣传、体验活动'),
      cell(ge('publicity_events', 2), '承担、配合开展2项智慧城市相关宣传、体验活动'),
      cell(ge('publicity_events_national_provincial', 1), '承担、配合开展1项国家(或省级)智慧城市相关宣传、体验活动'),
      cell(
        any(ge('publicity_events_national_provincial', 2), ge('publicity_data_hall_showcases', 1)),
        '承担、配合开展不少于2项国家(或省级)智慧城市相关宣传、体验活动或1项及以上智慧城市建设经验在省数据大厅展示',
      ),
    ],
  ),
  numeric(
    {
      id: 'smart_community',
      category: 'local_features',
      nameZh: '智慧社区覆盖率',
      nameEn: 'Smart-community coverage',
      definitionZh: '智慧社区覆盖率=辖区内智慧社区数量/社区总数量',
      definitionEn: 'Smart communities in the jurisdiction ÷ all communities.',
      responsible: ['市委政法委', '市政府办公室(市大数据局)', '市住房城乡建设局', '各镇街'],
      cite: ['001@17316'],
      uncertain: 'Responsible unit 市委政法委 may belong to the publicity row (DIGEST §f).',
    },
    {
      unit: 'percent',
      formula: { numeratorZh: '辖区内智慧社区数量', denominatorZh: '社区总数量' },
      counted: { zh: '个社区', zhAction: '建成智慧社区', en: 'communities', enOne: 'community', enAction: 'need to become smart communities', integer: true },
      sim: 'A',
    },
    [P, P, P, G(40), X(80)],
  ),
];

/**
 * Measures that the seeds name as city-level targets but that are not in the county table
 * (no thresholds, no formula). They are accepted in values files and compared with targets only.
 */
export const CITY_LEVEL_MEASURES: readonly Measure[] = [
  measure({
    id: 'weather_station_spacing',
    nameZh: '城区气象自动监测点密度',
    aliasesZh: ['城区气象自动监测点间距'],
    nameEn: 'Automatic weather-station spacing in the urban district (km, smaller is better)',
    unit: 'km',
    better: 'lower',
    formula: {
      numeratorZh: '—',
      denominatorZh: '—',
      notesZh: '种子文件未给出公式;以“间距(公里)”表示,越小越好',
      notesEn: 'No formula in the seeds; expressed as a spacing in km, smaller is better (000:71, 002:69). The spacing metric is defined by the simulation model.',
    },
    sim: 'C',
  }),
];

/** The ids of the 42 graded rows (all rows except the 信息安全 deduction). */
export const GRADED_INDICATORS: readonly Indicator[] = CATALOGUE.filter((i) => i.grading !== 'deduction');

/** The deduction row and its per-incident share of the total score, from 001@17113. */
export const DEDUCTION = {
  indicatorId: 'info_security',
  measureId: 'info_security_incidents',
  percentOfTotalPerIncident: 2,
  cite: '001@17113',
} as const;

const byIdMap = new Map<string, Indicator>(CATALOGUE.map((i) => [i.id, i]));
const measureMap = new Map<string, { measure: Measure; indicator: Indicator | null }>();
for (const ind of CATALOGUE) for (const m of ind.measures) measureMap.set(m.id, { measure: m, indicator: ind });
for (const m of CITY_LEVEL_MEASURES) measureMap.set(m.id, { measure: m, indicator: null });

export function indicatorById(id: string): Indicator | undefined {
  return byIdMap.get(id);
}

export function measureById(id: string): { measure: Measure; indicator: Indicator | null } | undefined {
  return measureMap.get(id);
}

export function categoryById(id: CategoryId): Category {
  const c = CATEGORIES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown category ${id}`);
  return c;
}

/** Highest star at which the row is graded (5 for every graded row of the county table). */
export function maxStars(ind: Indicator): number {
  for (let n = 5; n >= 1; n--) if (ind.stars[n - 1]) return n;
  return 0;
}

/** Star levels at which the row is graded (not '/'). */
export function gradedLevels(ind: Indicator): number[] {
  return ind.stars.flatMap((c, i) => (c ? [i + 1] : []));
}

/** Normalise a Chinese key: drop whitespace and ★, unify full-width parentheses and colons. */
export function normaliseKey(key: string): string {
  return key
    .replace(/[\s\u3000]+/g, '')
    .replace(/★/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/：/g, ':');
}

export type KeyResolution =
  | { kind: 'measure'; measure: Measure; indicator: Indicator | null }
  | { kind: 'compound'; indicator: Indicator };

const keyMap = new Map<string, KeyResolution>();
function addKey(k: string, r: KeyResolution): void {
  const n = normaliseKey(k);
  const prev = keyMap.get(n);
  if (prev) {
    const same =
      prev.kind === r.kind &&
      (prev.kind === 'measure' ? prev.measure.id === (r as { measure: Measure }).measure.id : prev.indicator.id === (r as { indicator: Indicator }).indicator.id);
    if (!same) throw new Error(`catalogue: key "${k}" is ambiguous`);
    return;
  }
  keyMap.set(n, r);
}
for (const ind of CATALOGUE) {
  for (const m of ind.measures) {
    const r: KeyResolution = { kind: 'measure', measure: m, indicator: ind };
    addKey(m.id, r);
    addKey(m.nameZh, r);
    for (const a of m.aliasesZh ?? []) addKey(a, r);
  }
  if (ind.measures.length > 1) {
    const r: KeyResolution = { kind: 'compound', indicator: ind };
    addKey(ind.id, r);
    addKey(ind.nameZh, r);
    for (const a of ind.aliasesZh ?? []) addKey(a, r);
  } else {
    const r: KeyResolution = { kind: 'measure', measure: ind.measures[0]!, indicator: ind };
    addKey(ind.id, r);
    addKey(ind.nameZh, r);
    for (const a of ind.aliasesZh ?? []) addKey(a, r);
  }
}
for (const m of CITY_LEVEL_MEASURES) {
  const r: KeyResolution = { kind: 'measure', measure: m, indicator: null };
  addKey(m.id, r);
  addKey(m.nameZh, r);
  for (const a of m.aliasesZh ?? []) addKey(a, r);
}

/**
 * Resolve a values-file key (an English id, or a Chinese name exactly as in the seed table; whitespace
 * and ★ are ignored) to a measure, or to a compound row that needs its parts given separately.
 */
export function resolveKey(key: string): KeyResolution | undefined {
  return keyMap.get(normaliseKey(key));
}

/** All measure ids (county table + city-level measures). */
export function allMeasureIds(): string[] {
  return [...measureMap.keys()];
}

/**
 * Dated targets the seeds set for Weifang (000), Dezhou (002), Laixi (003) and Zoucheng (001), and the
 * province's star targets (004 一). A city can be compared with its own plan ("Weifang 2021: 5G
 * key-area coverage 80%").
 *
 * Dates: "10月底前" in Weifang's 2020 plan → 2020-10-31; a bare year ("2021年") → the end of that year.
 * Weifang and Dezhou are cities (Part 1 of DB37/T 3890, whose thresholds are not in the seeds): their
 * numbers are targets, not star thresholds. Laixi's 2021 targets equal the county ★3 column for 18
 * indicators (DIGEST §0), recorded as `equalsCountyStar: 3`.
 */
import { CATALOGUE, measureById } from './catalogue.ts';
import { compare, fmtNumber, type CompositeResult, type IndicatorScore, type ValuesInput, toLookup } from './scoring.ts';
import type { Comparator, ValueEntry } from './types.ts';

export interface DatedTarget {
  measure: string;
  op: Comparator;
  value: number;
  /** ISO date the target is due (end of the stated period). */
  due: string;
  /** The due date as the seed writes it. */
  dueZh: string;
  /** Spatial scope when the seed names one (中心城区, 城区, 全市). */
  scopeZh?: string;
  /** The target as the seed words it. */
  textZh: string;
  cite: string;
  /** The county star column this target equals, where the digest says so. */
  equalsCountyStar?: number;
  uncertain?: string;
}

export interface StarGoal {
  stars: number;
  /** 'composite': the overall (综合) level; 'every-indicator': each indicator at ≥ N★. */
  scope: 'composite' | 'every-indicator';
  due: string;
  dueZh: string;
  textZh: string;
  cite: string;
}

export interface UnmappedTarget {
  textZh: string;
  due: string;
  cite: string;
  /** Why it is not compared automatically. */
  why: string;
}

export interface CityPlan {
  id: 'weifang' | 'dezhou' | 'laixi' | 'zoucheng';
  nameZh: string;
  nameEn: string;
  level: 'city' | 'county';
  /** The DB37/T 3890 part that applies. */
  standardPart: 'Part 1 (市级)' | 'Part 2 (县级)';
  document: string;
  issued: string;
  starGoals: StarGoal[];
  targets: DatedTarget[];
  unmapped: UnmappedTarget[];
  notes: string[];
}

const t = (
  measure: string,
  op: Comparator,
  value: number,
  due: string,
  dueZh: string,
  textZh: string,
  cite: string,
  extra: Partial<Pick<DatedTarget, 'scopeZh' | 'equalsCountyStar' | 'uncertain'>> = {},
): DatedTarget => ({ measure, op, value, due, dueZh, textZh, cite, ...extra });

const OCT20 = '2020-10-31';
const Y21 = '2021-12-31';
const Y22 = '2022-12-31';
const CENTRAL = { scopeZh: '中心城区' };
const LEDGER_DEC =
  'The work ledger gives the same 90% as "12月底前" (end of December 2020, 000:147) while the body says 10月底前 (000:67, 000:139).';

export const WEIFANG: CityPlan = {
  id: 'weifang',
  nameZh: '潍坊',
  nameEn: 'Weifang',
  level: 'city',
  standardPart: 'Part 1 (市级)',
  document: '潍坊市新型智慧城市试点建设工作实施方案(2020-2021年)',
  issued: '2020-06-08',
  starGoals: [
    { stars: 4, scope: 'composite', due: Y21, dueZh: '2021年底终期验收', textZh: '通过两年的试点建设,符合省四星级新型智慧城市建设标准', cite: '000:27, 000:99' },
  ],
  targets: [
    t('data_sharing', '>', 90, OCT20, '10月底前', '信息资源部门间共享率超过90%', '000:37'),
    t('open_data', '>', 90, OCT20, '10月底前', '公共信息资源社会开放率超过90%', '000:37'),
    t('data_sharing', '>=', 100, Y21, '2021年', '部门间信息资源全面共享', '000:37', { uncertain: '"全面共享" (fully shared) read as 100%.' }),
    t('open_data', '>=', 100, Y21, '2021年', '公共信息资源全面开放', '000:37', { uncertain: '"全面开放" (fully opened) read as 100%.' }),
    t('e_licence_usage', '>', 80, OCT20, '10月底前', '电子证照使用率超过80%', '000:43'),
    t('e_licence_usage', '>', 85, Y21, '2021年', '电子证照使用率超过85%', '000:43'),
    t('smart_campus', '>=', 60, OCT20, '10月底前', '中心城区智慧校园覆盖率达到60%', '000:51', CENTRAL),
    t('smart_campus', '>=', 80, Y21, '2021年', '中心城区智慧校园覆盖率达到80%', '000:51', CENTRAL),
    t('signal_realtime_timing', '>=', 60, OCT20, '10月底前', '交通路口实时信号配时系统比例达到60%', '000:63', CENTRAL),
    t('epolice_coverage', '>=', 85, OCT20, '10月底前', '电子警察监控点覆盖率达到85%', '000:63', CENTRAL),
    t('transit_epayment', '>=', 70, OCT20, '10月底前', '公共交通乘车电子支付使用率达到70%', '000:63', CENTRAL),
    t('bus_arrival_prediction', '>=', 80, OCT20, '10月底前', '公共汽电车来车实时预报率达到80%', '000:63', CENTRAL),
    t('bus_estop_coverage', '>=', 6, OCT20, '10月底前', '公交电子站牌覆盖率达到6%', '000:63', CENTRAL),
    t('signal_realtime_timing', '>=', 70, Y21, '2021年', '交通路口实时信号配时系统比例达到70%', '000:63', CENTRAL),
    t('epolice_coverage', '>=', 90, Y21, '2021年', '电子警察监控点覆盖率达到90%', '000:63', CENTRAL),
    t('epolice_coverage', '>=', 100, Y21, '2021年', '争取完成2021年监控覆盖率100%的目标', '000:523', {
      ...CENTRAL,
      uncertain: 'Work ledger: e-police had already reached 91% (000:521), above the 2021 body target of 90%, and aims for 100%.',
    }),
    t('transit_epayment', '>', 75, Y21, '2021年', '公共交通乘车电子支付使用率超过75%', '000:63', CENTRAL),
    t('bus_arrival_prediction', '>=', 90, Y21, '2021年', '公共汽电车来车实时预报率达到90%', '000:63', CENTRAL),
    t('bus_estop_coverage', '>=', 10, Y21, '2021年', '公交电子站牌覆盖率达到10%', '000:63', CENTRAL),
    t('smart_lighting', '>=', 80, OCT20, '10月底前', '中心城区智能照明设备安装率达到80%', '000:65', CENTRAL),
    t('household_energy_metering', '>=', 70, OCT20, '10月底前', '家庭能源(水电燃气)自动化采集覆盖率达到70%', '000:65', CENTRAL),
    t('pipeline_monitoring', '>=', 75, OCT20, '10月底前', '市政管网管线智能化监测管理率达到75%', '000:65', CENTRAL),
    t('multi_grid_integration', '>=', 3, OCT20, '10月底前', '实现多网格合一的部门数量达到3个', '000:65'),
    t('smart_lighting', '>=', 90, Y21, '2021年', '中心城区智能照明设备安装率达到90%', '000:65', CENTRAL),
    t('household_energy_metering', '>=', 75, Y21, '2021年', '家庭能源(水电燃气)自动化采集覆盖率达到75%', '000:65', CENTRAL),
    t('pipeline_monitoring', '>=', 85, Y21, '2021年', '市政管网管线智能化监测管理率达到85%', '000:65', CENTRAL),
    t('multi_grid_integration', '>', 4, Y21, '2021年', '实现多网格合一的部门数量超过4个', '000:65'),
    t('video_hd_coverage', '>=', 90, OCT20, '10月底前', '城市重点公共区域高清视频监控覆盖率达到90%以上', '000:67', { uncertain: LEDGER_DEC }),
    t('video_camera_health', '>=', 90, OCT20, '10月底前', '视频监控摄像机完好率达到90%以上', '000:67', { uncertain: LEDGER_DEC }),
    t('video_networking', '>=', 90, OCT20, '10月底前', '城市重点公共区域视频监控联网率达到90%', '000:67', { uncertain: LEDGER_DEC }),
    t('video_crime_contribution', '>=', 60, OCT20, '10月底前', '公共安全视频图像支撑打击犯罪的贡献率达到60%', '000:67'),
    t('video_served_departments', '>', 7, OCT20, '10月底前', '公共安全视频服务政府其他职能部门的个数多于7个', '000:67'),
    t('video_hd_coverage', '>=', 100, Y21, '2021年', '城市重点公共区域高清视频监控覆盖率达到100%', '000:67, 000:149'),
    t('video_camera_health', '>=', 100, Y21, '2021年', '视频监控摄像机完好率达到100%', '000:67, 000:149'),
    t('video_networking', '>=', 100, Y21, '2021年', '城市重点公共区域视频监控联网率达到100%', '000:67, 000:149'),
    t('video_crime_contribution', '>=', 80, Y21, '2021年', '公共安全视频图像支撑打击犯罪的贡献率达到80%', '000:67'),
    t('video_served_departments', '>', 8, Y21, '2021年', '公共安全视频服务政府其他职能部门的个数多于8个', '000:67'),
    t('env_monitoring', '>=', 75, OCT20, '10月底前', '中心城区空气、水体、噪音等环境质量自动化监测率加权平均值达到75%以上', '000:71', CENTRAL),
    t('weather_station_spacing', '<', 10, OCT20, '10月底前', '城区气象自动监测点密度小于10公里间距', '000:71, 000:251', {
      scopeZh: '城区',
      uncertain: 'No formula in the seeds: the spacing metric (nearest neighbour, largest gap, grid) is defined by the simulation model.',
    }),
    t('env_monitoring', '>=', 80, Y21, '2021年', '中心城区空气、水体、噪音等环境质量自动化监测率加权平均值达到80%', '000:71', CENTRAL),
    t('weather_station_spacing', '<', 5, Y21, '2021年', '城区气象自动监测点密度小于5公里间距', '000:71, 000:251', {
      scopeZh: '城区',
      uncertain: 'No formula in the seeds: the spacing metric is defined by the simulation model.',
    }),
    t('building_energy_metering', '>=', 90, Y21, '2021年', '重点用能建筑节能管理数字化覆盖率达到90%', '000:71'),
    t('smart_community', '>', 20, OCT20, '10月底前', '中心城区智慧社区覆盖率超过20%', '000:73', CENTRAL),
    t('smart_community', '>=', 30, Y21, '2021年', '中心城区智慧社区覆盖率达到30%', '000:73', CENTRAL),
    t('enterprise_cloud', '>=', 8000, OCT20, '10月底前', '全市企业上云数量达到8000家', '000:77', { scopeZh: '全市' }),
    t('industrialization_demo_bases', '>=', 3, OCT20, '10月底前', '国家新型工业化产业示范基地数量达到3家', '000:77'),
    t('ecommerce_share', '>=', 15, OCT20, '10月底前', '电商交易额占比达到15%', '000:77'),
    t('enterprise_cloud', '>=', 10000, Y21, '2021年', '全市企业上云数量达到10000家', '000:77', { scopeZh: '全市' }),
    t('iiot_id_resolution_nodes', '>=', 1, Y21, '2021年', '工业互联网标识解析二级节点数量1家', '000:77'),
    t('ecommerce_share', '>=', 20, Y21, '2021年', '电商交易额占比达到20%', '000:77'),
    t('software_revenue_share', '>=', 5, OCT20, '10月底前', '单位地区生产总值软件及相关信息服务业营业收入达到5%', '000:79'),
    t('next_gen_it_employment', '>=', 3, OCT20, '10月底前', '新一代信息技术产业就业人口占比达到3%', '000:79'),
    t('patent_growth', '>=', 8, OCT20, '10月底前', '万人有效发明专利拥有量增幅达到8%', '000:79'),
    t('software_revenue_share', '>', 6, Y21, '2021年', '单位地区生产总值软件及相关信息服务业营业收入超过6%', '000:79'),
    t('next_gen_it_employment', '>', 5, Y21, '2021年', '新一代信息技术产业就业人口占比超过5%', '000:79'),
    t('patent_growth', '>=', 10, Y21, '2021年', '万人有效发明专利拥有量增幅达到10%', '000:79'),
    t('digital_parks_provincial', '>=', 2, OCT20, '10月底前', '省级数字经济园区(试点)建设数量达到2家', '000:81'),
    t('digital_parks_provincial', '>=', 3, Y21, '2021年', '省级数字经济园区(试点)建设数量达到3家及以上', '000:81'),
    t('ftth_coverage', '>=', 85, OCT20, '10月底前', '中心城区家庭光纤宽带入户率达到85%', '000:89', CENTRAL),
    t('nr5g_key_area_coverage', '>=', 60, OCT20, '10月底前', '城区重点公共区域5G网络覆盖率达到60%', '000:89'),
    t('broadband_200m_share', '>=', 65, OCT20, '10月底前', '200Mbit/s以上固定宽带用户占比达到65%', '000:89'),
    t('mobile_download_speed', '>=', 20, OCT20, '10月底前', '移动通信网络平均下载速率达到20Mbit/s', '000:89'),
    t('ftth_coverage', '>=', 90, Y21, '2021年', '中心城区家庭光纤宽带入户率达到90%', '000:89', CENTRAL),
    t('nr5g_key_area_coverage', '>=', 80, Y21, '2021年', '城区重点公共区域5G网络覆盖率达到80%', '000:89'),
    t('broadband_200m_share', '>=', 70, Y21, '2021年', '200Mbit/s以上固定宽带用户占比达到70%', '000:89'),
    t('mobile_download_speed', '>=', 25, Y21, '2021年', '移动通信网络平均下载速率达到25Mbit/s', '000:89'),
  ],
  unmapped: [
    {
      textZh: '中心城区医院智慧服务被评为4级以上的医院占比达到50%(10月底前)/80%(2021年)',
      due: Y21,
      cite: '000:49',
      why: 'A share of hospitals at grade ≥4, not the county row (≥1 hospital at a grade).',
    },
    { textZh: '2021年,城市应急指挥系统完成的应急指挥事件率达到80%', due: Y21, cite: '000:69', why: 'Not an indicator of the county table.' },
    { textZh: '2021年,全市4A级以上收费旅游景区实现无线网络、电子讲解、在线预订和信息推送功能全覆盖', due: Y21, cite: '000:57', why: 'Not an indicator of the county table.' },
  ],
  notes: [
    'Weifang is a city: DB37/T 3890 Part 1 applies, whose thresholds are not in the seeds; stars shown use the county table (Part 2) as an approximation.',
    "Video work order (000:141-149): survey key areas by end of June → upgrades and gap-filling cameras (补点) by end of August → networking by end of October → 90% by end of December (ledger) → 100% in 2021.",
  ],
};

export const DEZHOU: CityPlan = {
  id: 'dezhou',
  nameZh: '德州',
  nameEn: 'Dezhou',
  level: 'city',
  standardPart: 'Part 1 (市级)',
  document: '德州市新型智慧城市建设三年行动计划(2021-2023年)',
  issued: '2021-02-06',
  starGoals: [{ stars: 4, scope: 'composite', due: Y22, dueZh: '到2022年', textZh: '高标准完成山东省四星级新型智慧城市试点建设任务', cite: '002:30' }],
  targets: [
    t('weather_station_spacing', '<', 5, Y21, '2021年', '城区气象自动监测点密度小于5公里间距', '002:69', {
      scopeZh: '城区',
      uncertain: 'No formula in the seeds: the spacing metric is defined by the simulation model.',
    }),
    t('video_crime_contribution', '>=', 90, Y21, '2021年', '公共安全视频图像支撑打击犯罪的贡献率达到90%', '002:75', {
      uncertain: 'Above the county ★5 threshold (80%), while >6 departments is below the ★5 requirement of >8 (DIGEST §f).',
    }),
    t('video_served_departments', '>', 6, Y21, '2021年', '服务政府其他职能部门的个数多于6个', '002:75'),
    t('video_hd_coverage', '>=', 100, Y21, '2021年', '视频监控完善率达到100%', '002:75', {
      uncertain: 'Dezhou writes "视频监控完善率" (one rate) where the table has 完善程度 with two parts; read as both parts at 100%.',
    }),
    t('video_camera_health', '>=', 100, Y21, '2021年', '视频监控完善率达到100%', '002:75', {
      uncertain: 'Dezhou writes "视频监控完善率" (one rate) where the table has 完善程度 with two parts; read as both parts at 100%.',
    }),
    t('video_networking', '>=', 100, Y21, '2021年', '视频监控联网率达到100%', '002:75'),
    t('epolice_coverage', '>=', 100, Y21, '2021年', '电子警察监控点覆盖率达到100%', '002:75'),
    t('mobile_download_speed', '>=', 25, Y21, '2021年', '移动通信网络平均下载速率达到25Mbit/s', '002:89'),
    t('nr5g_key_area_coverage', '>=', 80, Y22, '2022年', '5G网络覆盖率达到80%', '002:89', {
      uncertain: 'Dezhou writes "5G网络覆盖率" with no area qualifier; the denominator is unstated.',
    }),
    t('ftth_coverage', '>=', 100, Y21, '2021年', '家庭光纤入户覆盖率达到100%', '002:95'),
    t('ipv6_website_support', '>=', 80, Y21, '2021年', 'IPv6网站支持率达到80%', '002:95'),
    t('ipv6_website_support', '>=', 100, Y22, '2022年', 'IPv6网站支持率达到100%', '002:95'),
    t('broadband_200m_share', '>=', 70, Y22, '2022年', '200M以上固定宽带用户占比达到70%以上', '002:95'),
    t('gov_cloud', '>=', 95, Y21, '2021年', '全市非涉密信息系统的政务云迁移率达到95%', '002:105', { uncertain: 'Counts non-classified systems only.' }),
    t('household_energy_metering', '>=', 60, Y22, '2022年', '供水、供电、供气等家庭能源智能监控表覆盖率达到60%', '002:125'),
    t('pipeline_monitoring', '>=', 85, Y21, '2021年', '市政管网管线智能化监测管理率达到85%', '002:132'),
    t('smart_lighting', '>=', 90, Y22, '2022年', '智能照明设备安装率达到90%', '002:132'),
    t('topographic_map_coverage', '>=', 90, Y21, '2021年', '多尺度地理信息覆盖率达到90%', '002:196', { uncertain: 'Dezhou writes 覆盖率 where the table has 覆盖情况.' }),
    t('topographic_map_coverage', '>=', 100, Y22, '2022年', '多尺度地理信息覆盖率达到100%', '002:196'),
    t('data_sharing', '>=', 90, Y21, '2021年', '市级部门间数据资源共享水平达到90%', '002:211'),
    t('open_data', '>=', 90, Y21, '2021年', '公共信息资源社会开放水平达到90%', '002:228'),
    t('e_licence_usage', '>', 80, Y21, '2021年', '电子证照使用率超过80%', '002:238'),
    t('e_licence_usage', '>', 85, Y22, '2022年', '电子证照使用率超过85%', '002:238'),
    t('multi_grid_integration', '>=', 4, Y21, '2021年', '实现不低于4个部门的……全面融合', '002:266'),
    t('smart_campus', '>=', 90, Y21, '2021年', '智慧校园覆盖率达到90%', '002:297'),
    t('env_monitoring', '>=', 85, Y21, '2021年', '大气、水体、噪音等环境质量自动化监测率达到85%', '002:337'),
    t('signal_realtime_timing', '>=', 100, Y21, '2021年', '路口实时信号配时系统比例达到100%', '002:344'),
    t('bus_arrival_prediction', '>=', 90, Y21, '2021年', '公共汽电车来车实时预报率达到90%', '002:344'),
    t('bus_estop_coverage', '>=', 5, Y21, '2021年', '公交电子站牌覆盖率达到5%', '002:344'),
    t('transit_epayment', '>=', 75, Y21, '2021年', '公共交通乘车电子支付使用率达到75%', '002:344'),
    t('bus_estop_coverage', '>=', 10, Y22, '2022年', '公交电子站牌覆盖率达到10%', '002:344'),
    t('transit_epayment', '>=', 90, Y22, '2022年', '公共交通乘车电子支付使用率达到90%', '002:344'),
    t('enterprise_cloud', '>=', 700, Y22, '2022年', '企业上云规模达到700家', '002:362'),
    t('ecommerce_share', '>=', 20, Y22, '2022年', '全市电子商务交易额占社会消费品零售总额比重达到20%', '002:374'),
  ],
  unmapped: [
    { textZh: '2021年累计开通5G基站5200座;2022年累计开通8800座', due: Y22, cite: '002:89', why: 'Site counts, not a county-table indicator.' },
    {
      textZh: '2021年在全市范围内分类建成16个智慧社区试点;2022年全市30%小区改造升级为智慧社区',
      due: Y22,
      cite: '002:351',
      why: 'Counts 小区 (residential compounds), not 社区 (communities) as the table does.',
    },
    { textZh: '2022年智慧服务4级以上的医院达到50%', due: Y22, cite: '002:305', why: 'A share of hospitals, not the county row (≥1 hospital at a grade).' },
    { textZh: '2022年城市服务门户覆盖德州市常住人口40%以上', due: Y22, cite: '002:171', why: 'Not an indicator of the county table.' },
  ],
  notes: ['Dezhou is a city: Part 1 applies ("第1部分:市级指标", 002:428), whose thresholds are not in the seeds; stars shown use the county table as an approximation.'],
};

const L3 = { equalsCountyStar: 3 };

export const LAIXI: CityPlan = {
  id: 'laixi',
  nameZh: '莱西',
  nameEn: 'Laixi',
  level: 'county',
  standardPart: 'Part 2 (县级)',
  document: '数字莱西2021年行动方案(西政办发〔2021〕40号)',
  issued: '2021-07-06',
  starGoals: [],
  targets: [
    t('bus_arrival_prediction', '>=', 60, Y21, '2021年', '公共汽车来车实时预报率达到60%', '003:48', L3),
    t('bus_estop_coverage', '>=', 5, Y21, '2021年', '且公交电子站牌覆盖率达到5%', '003:48', L3),
    t('transit_epayment', '>=', 60, Y21, '2021年', '公共交通乘车电子支付使用率达到60%', '003:48', L3),
    t('signal_realtime_timing', '>=', 40, Y21, '2021年', '交通路口实时信号配时系统达到40%', '003:48', L3),
    t('gov_cloud', '>=', 80, Y21, '2021年', '完成云平台迁移率达到80%', '003:50', L3),
    t('gov_app_subhall_open', '>=', 1, Y21, '2021年', '持续深入拓展“爱山东”莱西分厅', '003:56', L3),
    t('gov_app_rank_percentile', '<=', 75, Y21, '2021年', '达到在全省县区分厅排名处于51%-75%之间', '003:56', L3),
    t('env_monitoring', '>=', 60, Y21, '2021年', '空气、水体、噪音等环境质量自动化检测率加权平均值达到60%', '003:64', {
      ...L3,
      uncertain: 'Laixi writes 检测 (detection) for 监测 (monitoring).',
    }),
    t('multi_grid_integration', '>=', 2, Y21, '2021年', '多网格合一部门数量不少于2个', '003:64', L3),
    t('smart_campus', '>=', 40, Y21, '2021年', '智慧校园覆盖率达到40%', '003:76', L3),
    t('hospital_smart_service', '>=', 2, Y21, '2021年', '智慧服务达到2级以上医院数量不少于1家', '003:82', L3),
    t('epolice_coverage', '>=', 80, Y21, '2021年', '补充电子警察监控点,覆盖率达到80%', '003:88', L3),
    t('video_networking', '>=', 80, Y21, '2021年', '城市重点公共区域视频监控联网率达到80%', '003:88', L3),
    t('video_crime_contribution', '>=', 50, Y21, '2021年', '公共安全视频图像支撑打击犯罪贡献率达到50%', '003:88', L3),
    t('video_served_departments', '>=', 3, Y21, '2021年', '年内为3个以上政府其他职能部门提供共享服务', '003:88', {
      ...L3,
      uncertain:
        '"3个以上" is read as ≥3 (以上 is normally inclusive, DIGEST §f), while the ★3 cell says "多于3个" (>3): the target may be one department short of ★3.',
    }),
    t('smart_lighting', '>=', 70, Y21, '2021年', '争取达到智能照明设备安装率70%', '003:110', L3),
    t('ftth_coverage', '>=', 80, Y21, '2021年', '保证家庭光纤入户覆盖率达到80%', '003:112', L3),
    t('broadband_200m_share', '>=', 50, Y21, '2021年', '且200Mbit/s以上固定宽带用户占比达到50%', '003:112', L3),
    t('ipv6_website_support', '>=', 10, Y21, '2021年', '实现IPv6网站支持率达到10%', '003:112', L3),
    t('nr5g_key_area_coverage', '>=', 30, Y21, '2021年', '达到城区重点公共区域5G网络覆盖率30%及以上', '003:112', L3),
    t('mobile_download_speed', '>=', 20, Y21, '2021年', '移动通信网络平均下载速率达到20Mbit/s', '003:112', L3),
  ],
  unmapped: [
    { textZh: '推动公安、应急、交通、农业、经济运行等至少18个重点部门特色应用系统接入城市云脑', due: Y21, cite: '003:50', why: 'Not an indicator of the county table.' },
    { textZh: '不断提高参保人员社保卡覆盖率,争取达到90%以上', due: Y21, cite: '003:92', why: 'Not an indicator of the county table.' },
    { textZh: '优化视频监控系统和监控点位布局', due: Y21, cite: '003:48', why: 'No number (video completeness).' },
  ],
  notes: [
    "Laixi's 2021 targets equal the county ★3 column number for number on 18 indicators (DIGEST §0); they independently confirm the untangling of the flattened table.",
    'No overall star goal is stated; the province expects every county at ★3 or above by 2025 (004 一).',
  ],
};

export const ZOUCHENG: CityPlan = {
  id: 'zoucheng',
  nameZh: '邹城',
  nameEn: 'Zoucheng',
  level: 'county',
  standardPart: 'Part 2 (县级)',
  document: '邹城市省级新型智慧城市试点建设实施方案(邹政字〔2021〕11号)',
  issued: '2021-03-19',
  starGoals: [
    { stars: 4, scope: 'composite', due: '2022-10-31', dueZh: '2022年10月底前迎接终期验收', textZh: '确保我市综合指标达到山东省四星级新型智慧城市建设标准', cite: '001@684, 001@1276' },
    { stars: 4, scope: 'every-indicator', due: '2022-10-31', dueZh: '两年创建期内', textZh: '确保各项指标在两年创建期内达到四星及以上标准', cite: '001@6539, 001@1276' },
  ],
  targets: [],
  unmapped: [
    { textZh: '2021年10月底前迎接数字山东建设专项小组办公室中期考核', due: '2021-10-31', cite: '001@1242', why: 'A milestone, not a number.' },
    { textZh: '主城区、商业聚集区、数字经济园区、经济开发区5G连续覆盖', due: '2022-10-31', cite: '001@1543', why: 'No number (continuous 5G coverage of named zones).' },
  ],
  notes: [
    'Zoucheng gives no per-indicator numbers: its goal is every indicator at ★4 or above, i.e. the ★4 column of its own attachment table (001@6539).',
    'Pilot area: mainly the 城市建成区 (built-up area), with some indicators in the development zone and 孟子湖新区 (001@1233).',
  ],
};

export const CITY_PLANS: readonly CityPlan[] = [WEIFANG, DEZHOU, LAIXI, ZOUCHENG];

/** The province's dated star targets (鲁政办字〔2020〕136号, 004 一). */
export interface ProvinceStarTarget {
  year: number;
  due: string;
  level: 'city' | 'county';
  /** Share of cities/counties (percent), or a count when `count` is set. */
  sharePercent?: number;
  count?: number;
  minStars: number;
  textZh: string;
  cite: string;
}

export const PROVINCE_STAR_TARGETS: readonly ProvinceStarTarget[] = [
  { year: 2022, due: Y22, level: 'city', sharePercent: 100, minStars: 3, textZh: '2022年,全部市……达到三星级以上', cite: '004 (一)' },
  { year: 2022, due: Y22, level: 'county', sharePercent: 80, minStars: 3, textZh: '2022年,……80%的县(市、区)达到三星级以上', cite: '004 (一)' },
  { year: 2025, due: '2025-12-31', level: 'county', sharePercent: 100, minStars: 3, textZh: '2025年,全部县(市、区)达到三星级以上', cite: '004 (一)' },
  { year: 2025, due: '2025-12-31', level: 'city', sharePercent: 100, minStars: 4, textZh: '2025年,全部市……达到四星级以上', cite: '004 (一)' },
  { year: 2025, due: '2025-12-31', level: 'county', sharePercent: 60, minStars: 4, textZh: '2025年,……60%的县(市、区)达到四星级以上', cite: '004 (一)' },
  { year: 2025, due: '2025-12-31', level: 'city', count: 3, minStars: 5, textZh: '力争打造3个以上的五星级标杆城市', cite: '004 (一)' },
];

/** Other province-wide dated targets (not per city). */
export const PROVINCE_OTHER_TARGETS: readonly UnmappedTarget[] = [
  { textZh: '2022年年底前,全省智慧校园覆盖率达到80%以上', due: Y22, cite: '004 (六)', why: 'Province-wide share.' },
  { textZh: '2021年年底前,全省建成300个左右智慧社区(村居);2025年年底前,全省建成5000个以上', due: '2025-12-31', cite: '004 (十四)', why: 'Province-wide counts.' },
  { textZh: '2022年年底前,基本实现县级以上城区、重点乡镇(街道)5G网络覆盖', due: Y22, cite: '004 (十七)', why: 'No number.' },
];

const PLAN_KEYS: Record<string, CityPlan> = {};
for (const p of CITY_PLANS) {
  PLAN_KEYS[p.id] = p;
  PLAN_KEYS[p.nameZh] = p;
  PLAN_KEYS[`${p.nameZh}市`] = p;
  PLAN_KEYS[p.nameEn.toLowerCase()] = p;
}

/** Look a plan up by id, English or Chinese name (weifang, Weifang, 潍坊, 潍坊市). */
export function planById(key: string): CityPlan | undefined {
  return PLAN_KEYS[key.trim()] ?? PLAN_KEYS[key.trim().toLowerCase()];
}

export interface TargetCheck {
  measure: string;
  nameZh: string;
  op: Comparator;
  value: number;
  due: string;
  dueZh: string;
  textZh: string;
  cite: string;
  scopeZh?: string;
  current?: number;
  /** undefined when no value was given. */
  met?: boolean;
  /** Distance to the target in the measure's unit (positive = short). */
  shortfall?: number;
  equalsCountyStar?: number;
  uncertain?: string;
}

export interface StarGoalCheck extends StarGoal {
  status: 'met' | 'not-met' | 'undetermined';
  basis: string;
}

export interface TargetComparison {
  plan: { id: string; nameZh: string; nameEn: string; level: string; standardPart: string; document: string; issued: string; notes: string[] };
  targets: TargetCheck[];
  starGoals: StarGoalCheck[];
  unmapped: UnmappedTarget[];
  province: ProvinceStarTarget[];
}

/** Compare values with a plan's dated targets (and its star goals, given the composite). */
export function compareWithTargets(plan: CityPlan, values: ValuesInput, composite?: CompositeResult, _scores?: readonly IndicatorScore[]): TargetComparison {
  const look = toLookup(values);
  const val = (id: string): number | undefined => {
    const v = look(id);
    if (v === undefined) return undefined;
    return typeof v === 'number' ? v : (v as ValueEntry).value;
  };
  const targets = [...plan.targets]
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0))
    .map((tg): TargetCheck => {
      const m = measureById(tg.measure)!.measure;
      const current = val(tg.measure);
      const base: TargetCheck = {
        measure: tg.measure,
        nameZh: m.nameZh,
        op: tg.op,
        value: tg.value,
        due: tg.due,
        dueZh: tg.dueZh,
        textZh: tg.textZh,
        cite: tg.cite,
        ...(tg.scopeZh ? { scopeZh: tg.scopeZh } : {}),
        ...(tg.equalsCountyStar ? { equalsCountyStar: tg.equalsCountyStar } : {}),
        ...(tg.uncertain ? { uncertain: tg.uncertain } : {}),
      };
      if (current === undefined) return base;
      const met = compare(current, tg.op, tg.value);
      const shortfall = met ? 0 : tg.op === '>=' || tg.op === '>' ? tg.value - current : current - tg.value;
      return { ...base, current, met, shortfall: Number(fmtNumber(shortfall, 6)) };
    });
  const starGoals = plan.starGoals.map((g): StarGoalCheck => {
    if (!composite) return { ...g, status: 'undetermined', basis: 'no composite computed' };
    const a = composite.allAtLeast.find((x) => x.stars === g.stars)!;
    const status = a.status === 'pass' ? 'met' : a.status === 'fail' ? 'not-met' : 'undetermined';
    const basis =
      g.scope === 'every-indicator'
        ? `every graded indicator ≥ ${g.stars}★ ('/' cells ${composite.options.slashCells})`
        : `the seeds do not define the composite star level; shown with the proxy "every graded indicator ≥ ${g.stars}★" (weighted score ${fmtNumber(composite.weighted.score)}/100 for reference)`;
    return { ...g, status, basis };
  });
  return {
    plan: {
      id: plan.id,
      nameZh: plan.nameZh,
      nameEn: plan.nameEn,
      level: plan.level,
      standardPart: plan.standardPart,
      document: plan.document,
      issued: plan.issued,
      notes: plan.notes,
    },
    targets,
    starGoals,
    unmapped: plan.unmapped,
    province: PROVINCE_STAR_TARGETS.filter((p) => p.level === plan.level),
  };
}

/** Sanity: every target names a known measure (checked in tests; cheap to expose). */
export function unknownTargetMeasures(): string[] {
  const bad: string[] = [];
  for (const p of CITY_PLANS) for (const tg of p.targets) if (!measureById(tg.measure)) bad.push(`${p.id}:${tg.measure}`);
  return bad;
}

/** Indicator rows a plan's targets touch (for the report). */
export function indicatorsOfPlan(plan: CityPlan): string[] {
  const ids = new Set<string>();
  for (const tg of plan.targets) {
    const ind = measureById(tg.measure)?.indicator;
    if (ind) ids.add(ind.id);
  }
  return CATALOGUE.filter((i) => ids.has(i.id)).map((i) => i.id);
}

/**
 * Name pools for the default city. Road names follow Weifang's convention (east–west roads are 街,
 * north–south roads are 路) and borrow real street names of central Weifang, but the generated
 * streets are NOT where the real ones are: every name here is illustrative. Compound, tower and
 * institution names are invented or generic; where a generic name coincides with a real institution
 * (市人民医院, 十笏园, 风筝广场…) its position and shape in the demo are still synthetic.
 */
import { randomPick, type RandomFn } from '../../random.ts';

/** North–south arterials, west to east (illustrative order). */
export const NS_ARTERIAL_NAMES = ['和平路', '潍州路', '向阳路', '月河路', '鸢飞路', '新华路', '四平路', '虞河路', '北海路', '东方路', '金马路', '北海东路', '友谊路', '文化路'];
/** East–west arterials, south to north (illustrative order). */
export const EW_ARTERIAL_NAMES = ['宝通街', '玉清街', '健康街', '东风街', '胜利街', '福寿街', '北宫街', '民生街', '长松街', '樱前街'];
export const NS_SECONDARY_NAMES = ['卧龙路', '通亭路', '白浪河路', '青年路', '樱园路', '友爱路', '怡园路', '河宣路', '永安路', '富华路', '惠贤路', '金宝路', '梨园路', '福寿路', '乐川路', '鸢都路', '清平路', '宝华路', '园丁路', '苇湾路'];
export const EW_SECONDARY_NAMES = ['东关街', '芙蓉街', '花园街', '卧龙街', '福宁街', '向阳街', '民主街', '乐川街', '宝华街', '文化街', '四平街', '和平街', '新兴街', '康乐街', '青云街', '望海街'];
const BRANCH_STEMS = ['东关', '南关', '北关', '西关', '大马', '十笏', '芙蓉', '城隍', '通亭', '胡家', '松园', '樱桃', '槐荫', '梧桐', '杏林', '柳园', '桃源', '荷香', '菊园', '竹园', '兰亭', '青檀', '石榴', '海棠', '丁香', '玉兰', '紫藤', '白杨', '银杏', '芦花'];
const BRANCH_SUFFIXES = ['巷', '里', '胡同', '路', '街'];

const COMPOUND_PREFIXES = ['福寿', '和园', '泰华', '金都', '阳光', '东方', '鸢都', '白浪', '虞河', '北海', '怡景', '锦绣', '盛世', '新城', '凤凰', '银座', '翠园', '紫薇', '东苑', '康乐', '华安', '清华', '恒信', '世纪', '名仕', '金色', '兰亭', '玉泉', '富华', '天骄', '万和', '中鼎', '瑞景', '泰和', '书香', '花溪', '青年', '梧桐', '怡园', '乐川'];
const COMPOUND_SUFFIXES_MODERN = ['花园', '家园', '名城', '嘉园', '雅居', '华府', '新城', '御景', '公馆', '苑'];
const COMPOUND_SUFFIXES_OLD = ['小区', '新村', '宿舍', '里', '苑'];
const WORK_UNITS = ['柴油机厂', '纺织厂', '机床厂', '棉纺厂', '印染厂', '化工厂', '电业局', '粮食局', '交通局', '供销社', '二轻局', '邮电局', '针织厂', '食品厂'];
const TOWER_STEMS = ['鸢都', '泰华', '金融', '国际', '世纪', '财富', '中央', '银座', '富华', '万达', '恒信', '凤凰', '蓝海', '北辰', '东方', '华夏', '齐鲁', '潍坊', '百货', '丝绸'];
const TOWER_SUFFIXES = ['大厦', '中心', '广场', '国际', '金融中心', '大楼', '写字楼'];

/** Issues names from a pool in order, then numbered variants, never repeating. */
export class NamePool {
  private next = 0;
  constructor(
    private readonly pool: readonly string[],
    private readonly overflow: (k: number) => string,
  ) {}
  take(): string {
    const k = this.next++;
    return k < this.pool.length ? this.pool[k] : this.overflow(k - this.pool.length + 1);
  }
}

/** Hands out unique names: a repeat gets a Chinese ordinal prefix or suffix (第二…). */
export class UniqueNames {
  private used = new Map<string, number>();
  unique(name: string): string {
    const n = (this.used.get(name) ?? 0) + 1;
    this.used.set(name, n);
    return n === 1 ? name : `${name}（${n}）`;
  }
}

const DIGITS_ZH = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** Chinese numeral for 1–99 (一, 十, 十三, 二十, 九十九); digits above that. */
export function numeralZh(k: number): string {
  if (!Number.isInteger(k) || k < 1 || k > 99) return String(k);
  const tens = Math.floor(k / 10), ones = k % 10;
  return `${tens === 0 ? '' : tens === 1 ? '十' : `${DIGITS_ZH[tens]}十`}${ones ? DIGITS_ZH[ones] : ''}`;
}
/** 第一, 第二 … 第十三 for k ≥ 1. */
export const ordinalZh = (k: number) => `第${numeralZh(k)}`;

export function branchName(rand: RandomFn): string {
  return `${randomPick(rand, BRANCH_STEMS)}${randomPick(rand, BRANCH_SUFFIXES)}`;
}

export function compoundName(rand: RandomFn, era: 'walkup' | 'modern'): string {
  if (era === 'walkup' && rand() < 0.35) return `${randomPick(rand, WORK_UNITS)}${randomPick(rand, ['宿舍', '家属院', '生活区'])}`;
  return `${randomPick(rand, COMPOUND_PREFIXES)}${randomPick(rand, era === 'modern' ? COMPOUND_SUFFIXES_MODERN : COMPOUND_SUFFIXES_OLD)}`;
}

export function towerName(rand: RandomFn): string {
  return `${randomPick(rand, TOWER_STEMS)}${randomPick(rand, TOWER_SUFFIXES)}`;
}

/**
 * The default 城市运行全景图 tour of a city, generated from the city and its simulation results:
 * overview → HD video coverage and its blind spots (the worst video-set key areas, computed) → 5G
 * (the worst 5G-set areas) → weather-station spacing → green-wave corridors → the star rating and
 * what it takes to reach the next star. Deterministic: the same city and results give the same tour
 * (ties broken by id). Captions in zh-CN and English, numbers formatted here (they are data).
 */
import { LocalFrame } from '../cim/frame.ts';
import { DEVICE_TYPES, type City } from '../cim/types.ts';
import { weatherReport } from '../coverage/weather/report.ts';
import { indicatorById } from '../indicators/catalogue.ts';
import { scoreIndicator } from '../indicators/scoring.ts';
import type { ValueEntry } from '../indicators/types.ts';
import { inventoryFromCity } from '../session/devices.ts';
import { SimulationSession, type SessionSnapshotBody, type StarLevel } from '../session/session.ts';
import { signalTimingIndicator } from '../signal/indicator.ts';
import { corridorCounts, greenWaveCorridors } from './corridors.ts';
import { parseTour, type Tour, type TourCamera, type TourCaption, type TourLayer, type TourScene } from './tour.ts';

/** Options of {@link defaultTour}. */
export interface DefaultTourOptions {
  /** The city's id in the server (default `default`). */
  cityId?: string;
  /** The tour's id (default `default-<cityId>`). */
  id?: string;
  /** The session's results for the city's own devices; computed here (camera and 5G coverage, a few seconds for a large city) when absent. */
  results?: SessionSnapshotBody;
  /** Worst areas highlighted in the coverage scenes (default 5). */
  worstCount?: number;
}

/** The results {@link defaultTour} needs, computed by sim-core's session for the city's own devices. */
export function cityResults(city: City): SessionSnapshotBody {
  const session = new SimulationSession(city);
  const { seq: _seq, ...body } = session.setDevices(inventoryFromCity(city)) as SessionSnapshotBody & { seq?: number };
  return body;
}

interface BoxM {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

const emptyBox = (): BoxM => ({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity });
function grow(b: BoxM, xy: ArrayLike<number>, from = 0, to = xy.length): void {
  for (let i = from; i + 1 < to; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
  }
}

/** Box of key areas (by index). */
function areasBox(city: City, areas: readonly number[]): BoxM {
  const b = emptyBox();
  const A = city.keyAreas;
  for (const a of areas) {
    const r0 = A.ringStart[a], r1 = A.ringStart[a + 1];
    grow(b, A.xyM, 2 * A.vertexStart[r0], 2 * A.vertexStart[r1]);
  }
  return b;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const fmt = (x: number, d = 1) => round(x, d).toFixed(d);
const clip = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/**
 * A camera looking at local point (xM, yM) on the ground from `rangeM` away, `headingDeg` clockwise
 * from north, `pitchDeg` below the horizon (negative).
 */
export function cameraLookingAt(frame: LocalFrame, xM: number, yM: number, rangeM: number, headingDeg = 20, pitchDeg = -40): TourCamera {
  const h = (headingDeg * Math.PI) / 180, p = (pitchDeg * Math.PI) / 180;
  const horizontal = rangeM * Math.cos(p);
  const [lonDeg, latDeg] = frame.toLngLat(xM - Math.sin(h) * horizontal, yM - Math.cos(h) * horizontal);
  return { lonDeg: round(lonDeg!, 7), latDeg: round(latDeg!, 7), heightM: round(Math.max(20, -rangeM * Math.sin(p)), 1), headingDeg, pitchDeg, rollDeg: 0 };
}

function cameraOnBox(frame: LocalFrame, b: BoxM, headingDeg: number, pitchDeg: number, minRangeM = 500): TourCamera {
  const cx = (b.minX + b.maxX) / 2, cy = (b.minY + b.maxY) / 2;
  const size = Math.max(b.maxX - b.minX, b.maxY - b.minY);
  return cameraLookingAt(frame, cx, cy, Math.max(minRangeM, size * 1.3), headingDeg, pitchDeg);
}

/** Names of key areas, joined (at most `n`). */
function areaNames(city: City, areas: readonly number[], lang: 'zh' | 'en'): string {
  return areas.map((a) => city.keyAreas.names[a] ?? city.keyAreas.ids[a]).join(lang === 'zh' ? '、' : ', ');
}

/** The first unmet threshold of a row's next star, in both languages; null at the top. */
function nextStep(s: StarLevel): TourCaption | null {
  const gap = s.next?.alternatives[0]?.[0];
  if (!gap) return null;
  return { 'zh-CN': gap.items?.zh ?? gap.zh, en: gap.items?.en ?? gap.en };
}

const starText = (s: { stars: number; maxStars: number }) => `${'★'.repeat(s.stars)}${'☆'.repeat(Math.max(0, s.maxStars - s.stars))}`;

/** See the module doc. */
export function defaultTour(city: City, options: DefaultTourOptions = {}): Tour {
  const cityId = options.cityId ?? 'default';
  const worstCount = options.worstCount ?? 5;
  const results = options.results ?? cityResults(city);
  const frame = new LocalFrame(city.origin);
  const cityBox = emptyBox();
  grow(cityBox, city.buildings.xyM);
  grow(cityBox, city.roadNodes.xyM);
  if (cityBox.minX > cityBox.maxX) grow(cityBox, [0, 0]);
  const name = city.meta.name;
  const scenes: TourScene[] = [];
  const scene = (s: Omit<TourScene, 'highlight' | 'flightS' | 'holdS'> & { highlight?: Partial<TourScene['highlight']>; holdS?: number }) =>
    scenes.push({ flightS: 3, holdS: 8, ...s, highlight: { areaIds: [], intersectionIds: [], deviceIds: [], ...s.highlight } });
  const indicators = results.indicators;
  const value = (id: string) => indicators[id];

  // 1. Overview
  const D = city.devices;
  const count = (type: (typeof DEVICE_TYPES)[number]) => {
    let n = 0;
    const code = DEVICE_TYPES.indexOf(type);
    for (let i = 0; i < D.count; i++) if (D.typeCode[i] === code) n++;
    return n;
  };
  const scored = results.stars.filter((s) => s.status === 'scored' || s.status === 'partial');
  scene({
    id: 'overview',
    title: { 'zh-CN': '城市运行全景', en: 'The city at a glance' },
    caption: {
      'zh-CN': clip(`${name}：${city.buildings.count} 栋建筑、${city.keyAreas.count} 处重点公共区域、${count('camera') + count('epolice')} 台视频监控与电子警察、${count('cell5g')} 个5G小区、${count('weather')} 个气象站、${count('signal')} 台信号机。${city.meta.synthetic ? '（合成示范数据）' : ''}`, 1000),
      en: clip(`${name}: ${city.buildings.count} buildings, ${city.keyAreas.count} key public areas, ${count('camera') + count('epolice')} surveillance and e-police cameras, ${count('cell5g')} 5G cells, ${count('weather')} weather stations, ${count('signal')} signal controllers.${city.meta.synthetic ? ' (synthetic demo data)' : ''}`, 1000),
    },
    camera: cameraOnBox(frame, cityBox, 20, -38, 800),
    layers: ['buildings', 'roads', 'key-areas', 'indicators'],
  });

  // 2. Video coverage and blind spots: the worst video-set areas (least covered share, then id).
  const videoAreas = results.video.areas.filter((a) => a.inVideoSet);
  const worstVideo = [...videoAreas].sort((p, q) => Number(p.covered) - Number(q.covered) || p.coveredPercent - q.coveredPercent || (p.id < q.id ? -1 : 1)).slice(0, worstCount).filter((a) => !a.covered || a.coveredPercent < 100);
  const hd = value('video_hd_coverage');
  const worstVideoIdx = worstVideo.map((a) => a.area);
  scene({
    id: 'video',
    title: { 'zh-CN': '高清视频覆盖与盲区', en: 'HD video coverage and blind spots' },
    caption: {
      'zh-CN': clip(`重点公共区域高清视频监控覆盖率 ${hd ? `${fmt(hd.value)}%（${hd.numerator}/${hd.denominator}）` : '—'}。覆盖最差的区域：${areaNames(city, worstVideoIdx, 'zh') || '无'}。`, 1000),
      en: clip(`HD video coverage of key public areas ${hd ? `${fmt(hd.value)}% (${hd.numerator}/${hd.denominator})` : '—'}. Least covered: ${areaNames(city, worstVideoIdx, 'en') || 'none'}.`, 1000),
    },
    camera: worstVideoIdx.length ? cameraOnBox(frame, areasBox(city, worstVideoIdx), 0, -50) : cameraOnBox(frame, cityBox, 0, -50),
    layers: ['buildings', 'roads', 'video-coverage', 'blind-spots', 'cameras'],
    highlight: { areaIds: worstVideo.map((a) => a.id) },
  });

  // 3. 5G: the worst 5G-set areas.
  const nrAreas = results.nr5g?.areas ?? [];
  const worstNr = [...nrAreas].sort((p, q) => Number(p.covered) - Number(q.covered) || p.coveredPercent - q.coveredPercent || (p.id < q.id ? -1 : 1)).slice(0, worstCount).filter((a) => !a.covered || a.coveredPercent < 100);
  const nr = value('nr5g_key_area_coverage');
  const worstNrIdx = worstNr.map((a) => a.area);
  scene({
    id: 'nr5g',
    title: { 'zh-CN': '5G网络覆盖', en: '5G coverage' },
    caption: {
      'zh-CN': clip(`重点公共区域5G网络覆盖率 ${nr ? `${fmt(nr.value)}%（${nr.numerator}/${nr.denominator}）` : '—'}。覆盖最弱的区域：${areaNames(city, worstNrIdx, 'zh') || '无'}。`, 1000),
      en: clip(`5G coverage of key public areas ${nr ? `${fmt(nr.value)}% (${nr.numerator}/${nr.denominator})` : '—'}. Weakest: ${areaNames(city, worstNrIdx, 'en') || 'none'}.`, 1000),
    },
    camera: worstNrIdx.length ? cameraOnBox(frame, areasBox(city, worstNrIdx), 300, -45) : cameraOnBox(frame, cityBox, 300, -45),
    layers: ['buildings', 'roads', 'nr5g-raster', 'nr5g-coverage', 'nr5g-cells'],
    highlight: { areaIds: worstNr.map((a) => a.id) },
  });

  // 4. Weather stations and their spacing over the 城区 scope.
  const weather = weatherReport(city);
  const w = weather.weather;
  const weatherBox = emptyBox();
  const scope = city.scopes.find((s) => s.kind === '城区');
  if (scope) for (const p of scope.polygons) for (const r of p) grow(weatherBox, r);
  const stationIds: string[] = [];
  const WEATHER = DEVICE_TYPES.indexOf('weather');
  for (let i = 0; i < D.count; i++) if (D.typeCode[i] === WEATHER) (stationIds.push(D.ids[i]), grow(weatherBox, D.xyM, 2 * i, 2 * i + 2));
  scene({
    id: 'weather',
    title: { 'zh-CN': '气象自动监测站', en: 'Automatic weather stations' },
    caption: w
      ? {
          'zh-CN': `${w.scope.name ?? w.scope.kind}内 ${w.stations.counted} 个完好的气象站，平均间距 ${fmt(w.spacing.meanSpacingKm, 2)} km，离站点最远处 ${fmt(w.spacing.coveringRadius.km, 2)} km。`,
          en: `${w.stations.counted} weather stations in good order in ${w.scope.name ?? w.scope.kind}: mean spacing ${fmt(w.spacing.meanSpacingKm, 2)} km; the farthest point is ${fmt(w.spacing.coveringRadius.km, 2)} km from a station.`,
        }
      : { 'zh-CN': '城市没有城区范围，无法计算气象站间距。', en: 'The city has no urban scope (城区) to measure station spacing over.' },
    camera: cameraOnBox(frame, weatherBox.minX <= weatherBox.maxX ? weatherBox : cityBox, 0, -60, 1500),
    layers: ['roads', 'weather-stations', 'weather-spacing'],
    highlight: { deviceIds: stationIds.slice(0, 50) },
  });

  // 5. Green waves.
  const corridors = greenWaveCorridors(city);
  const counts = corridorCounts(corridors);
  const timing = signalTimingIndicator(city).indicators.signal_realtime_timing;
  const shown = corridors.filter((c) => c.state === 'coordinated').slice(0, 3);
  const corridorBox = emptyBox();
  for (const c of shown.length ? shown : corridors.slice(0, 3)) for (const l of c.links) grow(corridorBox, city.roadLinks.xyM, 2 * city.roadLinks.vertexStart[l], 2 * city.roadLinks.vertexStart[l + 1]);
  scene({
    id: 'green-waves',
    title: { 'zh-CN': '绿波干道', en: 'Green-wave corridors' },
    caption: {
      'zh-CN': clip(`${corridors.length} 条干道：${counts.coordinated} 条绿波协调、${counts.partial} 条部分协调、${counts.uncoordinated} 条未协调。重要路口实时信号配时比例 ${timing ? `${fmt(timing.value)}%` : '—'}。${shown.length ? `协调干道：${shown.map((c) => c.name).join('、')}。` : ''}`, 1000),
      en: clip(`${corridors.length} corridors: ${counts.coordinated} coordinated, ${counts.partial} partly, ${counts.uncoordinated} not coordinated. Real-time signal timing at ${timing ? `${fmt(timing.value)}%` : '—'} of important intersections.${shown.length ? ` Coordinated: ${shown.map((c) => c.name).join(', ')}.` : ''}`, 1000),
    },
    camera: cameraOnBox(frame, corridorBox.minX <= corridorBox.maxX ? corridorBox : cityBox, 45, -45),
    layers: ['buildings', 'roads', 'signals', 'green-waves'],
    highlight: { intersectionIds: shown.flatMap((c) => c.nodeIds), deviceIds: shown.flatMap((c) => c.controllerIds) },
  });

  // 6. The star rating and the next star.
  const stars: StarLevel[] = [...scored];
  const timingRow = indicatorById('signal_realtime_timing');
  if (timingRow && timing) {
    const entry: ValueEntry = { measure: 'signal_realtime_timing', value: timing.value, numerator: timing.numerator, denominator: timing.denominator, provenance: { kind: 'simulation', model: timing.model ?? 'signal-timing', origin: 'default tour' } };
    const s = scoreIndicator(timingRow, { signal_realtime_timing: entry });
    stars.push({ indicator: s.id, nameZh: s.nameZh, nameEn: s.nameEn, stars: s.stars, maxStars: s.maxStars, status: s.status, ...(s.next ? { next: s.next } : {}) });
  }
  const zh: string[] = [], en: string[] = [];
  for (const s of stars) {
    const step = nextStep(s);
    zh.push(`${s.nameZh} ${starText(s)}${step ? `：${step['zh-CN']}` : ''}`);
    en.push(`${s.nameEn.replace(/ \(.*\)$/, '')} ${starText(s)}${step ? `: ${step.en}` : ''}`);
  }
  const uncovered = videoAreas.filter((a) => !a.covered).sort((p, q) => q.coveredPercent - p.coveredPercent || (p.id < q.id ? -1 : 1));
  scene({
    id: 'stars',
    title: { 'zh-CN': '星级评定与下一星', en: 'Star rating and the next star' },
    caption: { 'zh-CN': clip(zh.join('；') || '暂无指标。', 1000), en: clip(en.join('; ') || 'No indicator yet.', 1000) },
    camera: cameraOnBox(frame, cityBox, 200, -35, 800),
    layers: ['buildings', 'roads', 'video-coverage', 'indicators', 'next-star'],
    // the nearest-to-covered areas first: the cheapest way to the next video star
    highlight: { areaIds: uncovered.slice(0, worstCount).map((a) => a.id) },
    holdS: 10,
  });

  const tour: Tour = {
    format: 'cimtwin-tour',
    version: 1,
    id: options.id ?? `default-${cityId}`,
    name: { 'zh-CN': clip(`城市运行全景图 · ${name}`, 200), en: clip(`City operation panorama · ${name}`, 200) },
    cityId,
    scenes,
  };
  return parseTour(tour, 'default tour');
}

/** Layers the default tour uses (for documentation and tests). */
export const DEFAULT_TOUR_LAYERS: readonly TourLayer[] = ['buildings', 'roads', 'key-areas', 'indicators', 'video-coverage', 'blind-spots', 'cameras', 'nr5g-raster', 'nr5g-coverage', 'nr5g-cells', 'weather-stations', 'weather-spacing', 'signals', 'green-waves', 'next-star'];

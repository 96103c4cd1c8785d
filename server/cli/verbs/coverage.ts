/**
 * `cimtwin coverage <city.json>`: what the city's cameras really see among its buildings, and the
 * DB37/T 3890 indicator values that follow — HD-video coverage of key public areas, camera
 * serviceability (完好率) and networking (联网率) in key areas, e-police coverage of important
 * intersections — with per-area and per-intersection results and the blind spots as GeoJSON.
 *
 *   cimtwin coverage city.json -o report.json
 *   cimtwin coverage city.json --devices cameras.csv --blind-spots holes.geojson -o report.json
 *   cimtwin coverage city.json -o - | cimtwin score --values - -o report.md
 *
 * `--devices` reads a device ledger (GeoJSON or CSV, through the importer: Chinese column names, CRS
 * conversion) and by default *replaces* the city's cameras and e-police cameras with the ledger's;
 * `--merge-devices` keeps the city's and lets the ledger add cameras or replace them by id. Other
 * device types in the ledger are ignored here. The report is written atomically; on any error nothing
 * is written. See docs/coverage.md.
 */
import { signalTimingIndicator } from '../../../sim-core/signal/indicator.ts';
import type { CAC } from 'cac';
import { CimError } from '../../../sim-core/cim/errors.ts';
import { importCity } from '../../../sim-core/cim/import/context.ts';
import type { City } from '../../../sim-core/cim/types.ts';
import { camerasFromDevices, DORI_LEVELS, parseDoriLevel, parseResolution, type CameraSpec, type DoriLevel } from '../../../sim-core/coverage/camera.ts';
import { CoverageSession, type CoverageOptions } from '../../../sim-core/coverage/session.ts';
import { coverageReport, type CoverageReport } from '../../../sim-core/coverage/session-report.ts';
import { DEFAULT_MAX_FILE_MB, readCityFile, readInputFile } from '../../io/read-input.ts';
import { writeFileAtomic } from '../../io/write-atomic.ts';
import { nr5gReport } from '../../../sim-core/coverage/cellular/report.ts';
import { SPACING_METRICS } from '../../../sim-core/coverage/weather/spacing.ts';
import { weatherReport } from '../../../sim-core/coverage/weather/report.ts';
import { action, type CliContext } from '../main.ts';
import { rawOptionValues } from './score.ts';

interface CoverageFlags {
  devices?: string;
  mergeDevices?: boolean;
  gridM?: unknown;
  rulePercent?: unknown;
  dori?: unknown;
  epoliceDori?: unknown;
  minApproaches?: unknown;
  ptz?: unknown;
  membership?: unknown;
  areaSet?: unknown;
  targetHeightM?: unknown;
  hd?: unknown;
  anyResolution?: boolean;
  scope?: unknown;
  blindSpots?: unknown;
  clipBlindSpots?: boolean;
  maxFileMb?: unknown;
  // 5G and weather sections (sim-core/coverage/cellular, sim-core/coverage/weather)
  nr5g?: boolean;
  nr5gGridM?: unknown;
  rsrpThresholdDbm?: unknown;
  nr5gRulePercent?: unknown;
  sinrThresholdDb?: unknown;
  nr5gRasterM?: unknown;
  nr5gHoles?: unknown;
  weather?: boolean;
  weatherMetric?: unknown;
  weatherThresholdKm?: unknown;
  weatherScope?: unknown;
}

/** A number flag in (lo, hi], or [lo, hi] with `loInclusive`. */
function num(flag: string, v: unknown, lo: number, hi: number, loInclusive = false): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' || (typeof v === 'string' && v.trim() !== '') ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || (loInclusive ? n < lo : n <= lo) || n > hi) throw new Error(`--${flag}: expected a number in ${loInclusive ? '[' : '('}${lo}, ${hi}], got ${JSON.stringify(v)}`);
  return n;
}

function pick<T extends string>(flag: string, v: unknown, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(String(v))) throw new Error(`--${flag}: "${String(v)}" must be one of ${allowed.join(', ')}`);
  return String(v) as T;
}

function level(flag: string, v: unknown, allowCamera: boolean): DoriLevel | number | 'camera' | undefined {
  if (v === undefined) return undefined;
  if (allowCamera && v === 'camera') return 'camera';
  const l = parseDoriLevel(String(v));
  if (l) return l;
  const n = Number(v);
  if (Number.isFinite(n) && n > 0) return n;
  throw new Error(`--${flag}: "${String(v)}" must be one of ${DORI_LEVELS.join(', ')}${allowCamera ? ', camera' : ''} or a px/m number`);
}

/** Coverage options from the command line (undefined fields keep the library defaults). */
export function optionsFromFlags(f: CoverageFlags): CoverageOptions {
  const o: CoverageOptions = {
    gridM: num('grid-m', f.gridM, 0, 100),
    rulePercent: num('rule-percent', f.rulePercent, 0, 100),
    areaLevel: level('dori', f.dori, true),
    epoliceLevel: level('epolice-dori', f.epoliceDori, false) as DoriLevel | number | undefined,
    ptzMode: pick('ptz', f.ptz, ['potential', 'preset'] as const),
    membership: pick('membership', f.membership, ['inside', 'inside-or-covering'] as const),
    areaSet: pick('area-set', f.areaSet, ['video', 'nr5g', 'all'] as const),
    targetHeightM: num('target-height-m', f.targetHeightM, 0, 1000, true),
  };
  if (f.minApproaches !== undefined) {
    const v = String(f.minApproaches);
    const n = Number(v);
    if (v !== 'all' && !(Number.isInteger(n) && n >= 1)) throw new Error(`--min-approaches: "${v}" must be 'all' or a whole number ≥ 1`);
    o.epoliceRule = { minApproaches: v === 'all' ? 'all' : n };
  }
  if (f.hd !== undefined) {
    const r = parseResolution(String(f.hd));
    if (typeof r === 'string') throw new Error(`--hd: ${r}`);
    o.hd = { minWidthPx: r[0], minHeightPx: r[1] };
  }
  if (f.anyResolution) o.requireHd = false;
  if (f.scope !== undefined) o.stopLines = { scopeId: String(f.scope) };
  return o;
}

/** Cameras of a device table; errors name `file`. */
function camerasOf(city: City, file: string): CameraSpec[] {
  try {
    return camerasFromDevices(city.devices);
  } catch (e) {
    throw e instanceof CimError ? e.withLocation({ file }) : e;
  }
}

/** Cameras of the city, replaced or merged with those of a device ledger (file names for messages). */
export function camerasFor(city: City, cityFile: string, ledger: City | null, ledgerFile: string, merge: boolean): CameraSpec[] {
  const own = ledger && !merge ? [] : camerasOf(city, cityFile);
  if (!ledger) return own;
  const theirs = camerasOf(ledger, ledgerFile);
  if (!merge) return theirs;
  const byId = new Map(own.map((c) => [c.id, c]));
  for (const c of theirs) byId.set(c.id, c);
  return [...byId.values()];
}

function summaryLine(r: CoverageReport): string {
  const pct = (id: string) => {
    const v = r.indicators[id];
    return v ? `${v.value.toFixed(1)}% (${v.numerator}/${v.denominator})` : 'n/a';
  };
  const c = r.camera;
  return [
    `coverage: ${c.cameras.total} cameras (${c.cameras.byKind.camera} surveillance, ${c.cameras.byKind.epolice} e-police), ${c.areas.length} key areas (${c.samples.area} samples), ${c.intersections.length} important intersections`,
    `  HD-video coverage of key areas ${pct('video_hd_coverage')}; camera 完好率 ${pct('video_camera_health')}; 联网率 ${pct('video_networking')}; e-police ${pct('epolice_coverage')}`,
    `  blind spots: ${c.blindSpots.features.length} areas with unseen ground`,
    ...c.notes.map((n) => `  note: ${n}`),
  ].join('\n');
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('coverage <city>', 'Camera coverage among the buildings: key areas, e-police intersections, blind spots and the DB37/T 3890 indicator values')
    .option('--devices <file>', 'Device ledger (GeoJSON or CSV) whose cameras replace the city\'s cameras and e-police cameras')
    .option('--merge-devices', 'Keep the city\'s cameras; the ledger adds cameras or replaces them by id')
    .option('--grid-m <m>', 'Key-area sample grid spacing, metres (default 2)')
    .option('--rule-percent <p>', 'An area counts as covered when at least this share of its open ground is seen (default 80)')
    .option('--dori <level>', 'Level for key areas: detection | observation (default) | recognition | identification | camera (each camera\'s own doriLevel) | px/m')
    .option('--epolice-dori <level>', 'Level for e-police stop lines (default recognition)')
    .option('--min-approaches <n>', "Approaches that must be seen for an intersection to count: 'all' (default) or a number")
    .option('--ptz <mode>', 'PTZ cameras: potential (default, union over the pan range) | preset (home position only)')
    .option('--membership <mode>', 'Cameras counted for 完好率/联网率: inside (default) | inside-or-covering')
    .option('--area-set <set>', 'Key areas sampled: video (default) | nr5g | all (the HD indicator always counts the video set)')
    .option('--target-height-m <m>', 'Height of area sample points above the ground (default 0)')
    .option('--hd <WxH>', 'Smallest resolution that counts as 高清 (default 1920x1080)')
    .option('--any-resolution', 'Let cameras below the HD threshold cover areas too')
    .option('--scope <id>', 'Count only intersections inside this city scope (e.g. the 中心城区)')
    .option('--blind-spots <file>', 'Also write the blind spots as a GeoJSON FeatureCollection')
    .option('--clip-blind-spots', 'Clip blind spots to the area outlines and cut them around buildings (exact edges, slower)')
    .option('--no-nr5g', 'Leave out the 5G section (SS-RSRP of the city\'s cell5g devices over the 5G key-area set)')
    .option('--nr5g-grid-m <m>', '5G key-area sample spacing, metres (default 5)')
    .option('--rsrp-threshold-dbm <dBm>', 'SS-RSRP a 5G sample needs (default -105; write negatives as --rsrp-threshold-dbm=-110)')
    .option('--nr5g-rule-percent <p>', 'A 5G key area counts as covered when at least this share of its samples pass (default 95)')
    .option('--sinr-threshold-db <dB>', 'Also require this SS-SINR, e.g. --sinr-threshold-db=-3 (default: no SINR condition)')
    .option('--nr5g-raster-m <m>', 'Also compute an SS-RSRP raster over the 城区 at this cell size and summarise it')
    .option('--nr5g-holes <file>', 'Also write the 5G coverage holes of failing areas as GeoJSON')
    .option('--no-weather', 'Leave out the weather-station spacing section')
    .option('--weather-metric <m>', `Metric that decides the weather-station spacing: ${SPACING_METRICS.join(' | ')} (default mean-spacing)`)
    .option('--weather-threshold-km <km>', 'Spacing the stations must stay below, km (default 5)')
    .option('--weather-scope <id>', 'Scope for the weather stations (default the 城区)')
    .option('-o, --output [file]', 'Report JSON; - or omitted = stdout')
    .option('--max-file-mb <mb>', 'Refuse input files larger than this', { default: DEFAULT_MAX_FILE_MB })
    .example('cimtwin coverage city.json -o report.json')
    .example('cimtwin coverage city.json --devices cameras.csv --blind-spots holes.geojson -o report.json')
    .example('cimtwin coverage city.json -o - | cimtwin score --values - -o report.md')
    .action(
      action(ctx, async (cityFile: string, flags: CoverageFlags) => {
        const argv = process.argv;
        const tail = argv.slice(Math.max(0, argv.indexOf('coverage')) + 1);
        const outs = rawOptionValues(tail, ['-o', '--output']);
        if (outs.length > 1) throw new Error('-o/--output given more than once');
        if (outs.length === 1 && (outs[0] === null || outs[0] === '')) throw new Error('-o needs a path (or - for stdout)');
        const output = outs[0] ?? '-';
        const maxFileMb = Number(flags.maxFileMb);
        const options = optionsFromFlags(flags);

        const city = readCityFile(cityFile, { maxFileMb });
        let ledger: City | null = null;
        if (flags.devices !== undefined) {
          const path = String(flags.devices);
          ledger = importCity([readInputFile(path, { layer: 'device' }, { maxFileMb })], { origin: city.origin, name: 'devices' }).city;
        } else if (flags.mergeDevices) throw new Error('--merge-devices needs --devices <file>');
        const cameras = camerasFor(city, cityFile, ledger, String(flags.devices), !!flags.mergeDevices);
        const session = new CoverageSession(city, cameras, options);
        const report: CoverageReport & { nr5g?: unknown; weather?: unknown } = coverageReport(session, { clipBlindSpots: !!flags.clipBlindSpots });
        const extraLines: string[] = [];
        const weatherOptions = {
          metric: pick('weather-metric', flags.weatherMetric, SPACING_METRICS),
          thresholdKm: num('weather-threshold-km', flags.weatherThresholdKm, 0, 1000),
          scopeId: flags.weatherScope === undefined ? undefined : String(flags.weatherScope),
        };
        if (flags.nr5gHoles === true) throw new Error('--nr5g-holes needs a file name');
        let nr5gHoles: string | null = null;
        if (flags.nr5g !== false) {
          const n = nr5gReport(city, session.prisms, {
            gridM: num('nr5g-grid-m', flags.nr5gGridM, 0, 100),
            rsrpThresholdDbm: num('rsrp-threshold-dbm', flags.rsrpThresholdDbm, -160, 0, true),
            rulePercent: num('nr5g-rule-percent', flags.nr5gRulePercent, 0, 100),
            sinrThresholdDb: num('sinr-threshold-db', flags.sinrThresholdDb, -30, 60, true) ?? null,
            rasterCellM: num('nr5g-raster-m', flags.nr5gRasterM, 0, 1000) ?? null,
          });
          report.nr5g = n.nr5g;
          Object.assign(report.indicators, n.indicators);
          const v = n.indicators.nr5g_key_area_coverage;
          extraLines.push(`  5G: ${n.nr5g.cells.total} cells; key areas covered ${v ? `${v.value.toFixed(1)}% (${v.numerator}/${v.denominator})` : 'n/a'}; ${n.nr5g.holes.features.length} failing areas with holes`, ...n.nr5g.notes.map((t) => `  note: ${t}`));
          if (flags.nr5gHoles !== undefined) nr5gHoles = `${JSON.stringify(n.nr5g.holes)}\n`;
        }
        if (flags.weather !== false) {
          const w = weatherReport(city, weatherOptions);
          report.weather = w.weather;
          Object.assign(report.indicators, w.indicators);
          const d = w.weather?.spacing.decision;
          extraLines.push(`  weather stations: ${d ? `${w.weather!.spacing.stationCount} in ${w.weather!.scope.kind}, ${d.metric} ${d.valueKm !== null ? `${d.valueKm.toFixed(2)} km` : `${d.valuePercent?.toFixed(1)}%`} → ${d.meets ? 'meets' : 'does not meet'} ${d.rule}` : 'n/a'}`, ...w.notes.map((t) => `  note: ${t}`));
        }
        // 交通路口实时信号配时系统比例: the controllers' real-time flag over important intersections (sim-core/signal).
        const signal = signalTimingIndicator(city);
        (report as { signal?: unknown }).signal = { withRealTime: signal.withRealTime, without: signal.without, unmatchedControllers: signal.unmatchedControllers };
        Object.assign(report.indicators, signal.indicators);
        const st = signal.indicators.signal_realtime_timing;
        extraLines.push(`  real-time signal timing: ${st.value.toFixed(1)}% of important intersections (${st.numerator}/${st.denominator})${signal.unmatchedControllers.length ? `; ${signal.unmatchedControllers.length} controllers at no important intersection` : ''}`);
        const computedAt = new Date().toISOString();
        for (const v of Object.values(report.indicators)) v.computedAt = computedAt;

        const text = `${JSON.stringify(report, null, 2)}\n`;
        if (flags.blindSpots !== undefined && flags.blindSpots !== true) writeFileAtomic(String(flags.blindSpots), `${JSON.stringify(report.camera.blindSpots)}\n`);
        else if (flags.blindSpots === true) throw new Error('--blind-spots needs a file name');
        if (nr5gHoles !== null) writeFileAtomic(String(flags.nr5gHoles), nr5gHoles);
        if (output === '-') process.stdout.write(text);
        else writeFileAtomic(output, text);
        process.stderr.write(`${[summaryLine(report), ...extraLines].join('\n')}\n`);
      }),
    );
}

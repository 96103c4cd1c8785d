/**
 * `cimtwin info <city.json> [--json]`: what a city file holds — counts, extent in metres and lon/lat,
 * scopes, buildings by use and height, intersections by class (and the important ones, DB37/T 3890),
 * key areas by category and indicator set, devices by type with their 完好/联网 counts.
 */
import type { CAC } from 'cac';
import { summarizeCity, type CitySummary } from '../../../sim-core/cim/summary.ts';
import { DEVICE_TYPES, DEVICE_TYPE_ZH, KEY_AREA_CATEGORY_ZH, ROAD_CLASSES, ROAD_CLASS_ZH, type SeedKeyAreaCategory } from '../../../sim-core/cim/types.ts';
import { DEFAULT_MAX_FILE_MB, readCityFile } from '../../io/read-input.ts';
import { action, type CliContext } from '../main.ts';

/** Terminal columns of a string: CJK characters take two. */
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The summary as terminal lines. */
export function formatSummary(s: CitySummary): string[] {
  const b = s.bboxM;
  const ll = s.bboxLngLat;
  const out: string[] = [];
  out.push(`${s.name}${s.synthetic ? ' (synthetic: generated, not surveyed)' : ''}`);
  out.push(`origin      ${s.origin.lonDeg.toFixed(6)}, ${s.origin.latDeg.toFixed(6)}`);
  out.push(`extent      ${fmt(b.maxX - b.minX)} m × ${fmt(b.maxY - b.minY)} m (x ${fmt(b.minX)}…${fmt(b.maxX)}, y ${fmt(b.minY)}…${fmt(b.maxY)} m)`);
  out.push(`            lon ${ll.west.toFixed(5)}…${ll.east.toFixed(5)}, lat ${ll.south.toFixed(5)}…${ll.north.toFixed(5)}`);
  const bu = s.buildings;
  const uses = Object.entries(bu.byUse).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${fmt(n)}`).join(', ');
  out.push(`buildings   ${fmt(bu.count)} (${fmt(bu.withHeight)} with a stated height or storeys, ${fmt(bu.count - bu.withHeight)} from default storeys)`);
  if (bu.count) out.push(`            roof min/median/max ${fmt(bu.minRoofM, 1)} / ${fmt(bu.medianRoofM, 1)} / ${fmt(bu.maxRoofM, 1)} m; by use: ${uses}`);
  const r = s.roads;
  out.push(`roads       ${fmt(r.nodes)} nodes, ${fmt(r.links)} links; ${fmt(r.intersections)} intersections, ${fmt(r.importantIntersections)} important (no 支路 or service), ${fmt(r.signalized)} signalized nodes`);
  out.push(`            intersections by class: ${ROAD_CLASSES.map((c) => `${ROAD_CLASS_ZH[c]} ${fmt(r.intersectionsByClass[c])}`).join(', ')}`);
  out.push(`            length by class: ${ROAD_CLASSES.map((c) => `${ROAD_CLASS_ZH[c]} ${fmt(r.lengthKmByClass[c], 2)} km`).join(', ')}`);
  const k = s.keyAreas;
  const cats = Object.entries(k.byCategory).map(([c, n]) => `${KEY_AREA_CATEGORY_ZH[c as SeedKeyAreaCategory] ?? c} ${fmt(n)}`).join(', ');
  out.push(`key areas   ${fmt(k.count)} (video set ${fmt(k.video)}, 5G set ${fmt(k.nr5g)}); ${cats}`);
  out.push(`scopes      ${s.scopes.length ? s.scopes.map((sc) => `${sc.kind}${sc.name ? ` ${sc.name}` : ''} (${sc.id})`).join(', ') : 'none'}`);
  out.push(`devices     ${padEnd('type', 22)}  count  healthy 完好  networked 联网`);
  for (const t of DEVICE_TYPES) {
    const d = s.devices[t];
    out.push(`            ${padEnd(`${t} ${DEVICE_TYPE_ZH[t]}`, 22)} ${fmt(d.count).padStart(6)}  ${fmt(d.healthy).padStart(12)}  ${fmt(d.networked).padStart(14)}`);
  }
  if (s.attribution.length) out.push(`attribution ${s.attribution.join('; ')}`);
  if (s.sources.length) out.push(`sources     ${s.sources.join('; ')}`);
  return out;
}

export function register(cli: CAC, ctx: CliContext): void {
  cli
    .command('info <city>', 'Show what a city file holds: counts, extent, scopes, intersections, key areas, devices by state')
    .option('--json', 'print the summary as JSON')
    .option('--max-file-mb <mb>', 'refuse city files larger than this', { default: DEFAULT_MAX_FILE_MB })
    .example('cimtwin info city.json --json')
    .action(
      action(ctx, async (file: string, options: { json?: boolean; maxFileMb?: unknown }) => {
        const city = readCityFile(file, { maxFileMb: Number(options.maxFileMb) });
        const summary = summarizeCity(city);
        process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary).join('\n')}\n`);
      }),
    );
}

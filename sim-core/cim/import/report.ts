/**
 * The import report: what each input file gave, what was skipped and why, and every repair that was
 * made, counted by kind with a few examples. `cimtwin import` prints it and can write it as JSON.
 * Nothing is skipped or repaired silently: every skip and repair lands in a {@link Tally}.
 */

/** How many examples a tally keeps. */
export const TALLY_EXAMPLES = 5;

/** A counted kind of skip or repair, with the first few examples (record names). */
export interface Tally {
  /** Stable machine key, e.g. `default-storeys`, `tile-pieces-merged`, `not-vehicle-road`. */
  kind: string;
  count: number;
  /** One sentence that states the rule applied (and its source where it has one). */
  message: string;
  examples: string[];
}

/** The layers an importer fills. */
export const IMPORT_LAYERS = ['buildings', 'roads', 'signals', 'keyAreas', 'scopes', 'devices'] as const;
export type ImportLayer = (typeof IMPORT_LAYERS)[number];

export type InputFormat = 'geojson' | 'osm-xml' | 'overpass-json' | 'csv';

export interface FileReport {
  file: string;
  format: InputFormat;
  /** The CRS the coordinates were read in, and who said so. */
  crs: string;
  crsSource: 'option' | 'file' | 'row' | 'default';
  /** Text decoding used by the reader (e.g. `utf-8`, `gb18030`), when known. */
  encoding?: string;
  /** Records read: GeoJSON features, OSM elements, CSV data rows. */
  records: number;
  /** Records accepted per layer (before cross-file steps such as merging tile pieces). */
  imported: Record<ImportLayer, number>;
  skipped: Tally[];
  repairs: Tally[];
  notes: string[];
  /** Attribution the data requires (e.g. © OpenStreetMap contributors), carried into the city metadata. */
  attribution: string[];
}

export interface ImportReport {
  files: FileReport[];
  origin: { lonDeg: number; latDeg: number; source: string };
  extent: string;
  /** Counts of the city that was built. */
  city: { buildings: number; roadNodes: number; roadLinks: number; signalizedNodes: number; keyAreas: number; scopes: number; devices: number };
  notes: string[];
}

function bump(list: Tally[], kind: string, message: string, example?: string, n = 1): void {
  let t = list.find((x) => x.kind === kind);
  if (!t) {
    t = { kind, count: 0, message, examples: [] };
    list.push(t);
  }
  t.count += n;
  if (example !== undefined && t.examples.length < TALLY_EXAMPLES) t.examples.push(example);
}

/** Creates an empty report for one file. */
export function newFileReport(file: string, format: InputFormat, crs: string, crsSource: FileReport['crsSource']): FileReport {
  return {
    file,
    format,
    crs,
    crsSource,
    records: 0,
    imported: { buildings: 0, roads: 0, signals: 0, keyAreas: 0, scopes: 0, devices: 0 },
    skipped: [],
    repairs: [],
    notes: [],
    attribution: [],
  };
}

/** Counts a skipped record under `kind`. */
export function addSkip(r: FileReport, kind: string, message: string, example?: string, n = 1): void {
  bump(r.skipped, kind, message, example, n);
}

/** Counts a repair under `kind`. */
export function addRepair(r: FileReport, kind: string, message: string, example?: string, n = 1): void {
  bump(r.repairs, kind, message, example, n);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Human-readable lines for the terminal. */
export function formatImportReport(report: ImportReport): string[] {
  const out: string[] = [];
  for (const f of report.files) {
    const got = Object.entries(f.imported)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    const crs = { option: `${f.crs} (--crs)`, file: `${f.crs} (stated by the file)`, row: 'CRS per row', default: `${f.crs} (assumed)` }[f.crsSource];
    out.push(`${f.file} (${f.format}, ${crs}${f.encoding && f.encoding !== 'utf-8' ? `, decoded as ${f.encoding}` : ''}): ${plural(f.records, 'record')} → ${got || 'nothing'}`);
    for (const t of f.repairs) out.push(`  repaired ${t.count}: ${t.message}${t.examples.length ? ` (e.g. ${t.examples.join('; ')})` : ''}`);
    for (const t of f.skipped) out.push(`  skipped ${t.count}: ${t.message}${t.examples.length ? ` (e.g. ${t.examples.join('; ')})` : ''}`);
    for (const n of f.notes) out.push(`  note: ${n}`);
  }
  const c = report.city;
  out.push(`origin ${report.origin.lonDeg.toFixed(6)}, ${report.origin.latDeg.toFixed(6)} (${report.origin.source}); extent: ${report.extent}`);
  out.push(
    `city: ${plural(c.buildings, 'building')}, ${plural(c.roadNodes, 'road node')} (${c.signalizedNodes} signalized), ${plural(c.roadLinks, 'road link')}, ${plural(c.keyAreas, 'key area')}, ${plural(c.scopes, 'scope')}, ${plural(c.devices, 'device')}`,
  );
  for (const n of report.notes) out.push(`note: ${n}`);
  return out;
}

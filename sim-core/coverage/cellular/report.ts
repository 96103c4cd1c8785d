/**
 * The `nr5g` section of a `cimtwin coverage` report and its indicator value
 * (`nr5g_key_area_coverage`, percent, count-based: covered 5G-set areas ÷ 5G-set areas), plus the
 * coverage-hole layer: for every area of the 5G set that fails the rule, the open ground whose samples
 * miss the threshold, as WGS84 GeoJSON polygons: the grid cells of those samples merged, by the
 * blind-spot tracer of sim-core/coverage/areas-blind-spots.ts (with `clipHoles`, clipped to the area
 * polygon and cut around the buildings).
 */
import type { City } from '../../cim/types.ts';
import type { SimulatedIndicatorValues } from '../../indicators/values.ts';
import type { PrismIndex } from '../../spatial/prism-index.ts';
import { blindSpots } from '../areas-blind-spots.ts';
import { cellSpecsFromCity, resolveCell, type CellSpec } from './cells.ts';
import { gridOverBBox, rasterizePolygons } from './grid.ts';
import { Nr5gAreaSession, type Nr5gAreaOptions, type ResolvedNr5gAreaOptions } from './key-areas.ts';
import { NrCoverageModel, NrSampleSet } from './model.ts';

/** Model id carried by the indicator value. */
export const NR5G_COVERAGE_MODEL = 'nr5g-coverage';
export const NR5G_INDICATOR_ID = 'nr5g_key_area_coverage';

export interface Nr5gAreaReport {
  id: string;
  name: string | null;
  category: string;
  samples: number;
  coveredSamples: number;
  coveredPercent: number;
  covered: boolean;
  /** Median and minimum SS-RSRP over the area's samples, dBm (null without samples or servers). */
  medianRsrpDbm: number | null;
  minRsrpDbm: number | null;
  /** Share of samples whose best server is in line of sight, percent. */
  losPercent: number;
  /** The area is smaller than a grid cell and holds one representative sample. */
  representativeSample: boolean;
}

export interface Nr5gHoleFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: {
    layer: 'nr5g-coverage-hole';
    areaId: string;
    areaName: string | null;
    category: string;
    /** Samples below the threshold and all samples of the area. */
    holeSamples: number;
    sampleCount: number;
    holePercent: number;
    areaM2: number;
    exact: boolean;
  };
}

export interface Nr5gSection {
  model: typeof NR5G_COVERAGE_MODEL;
  options: ResolvedNr5gAreaOptions;
  /** Where the numbers of the model come from (path loss, antenna, link budget, rule). */
  basis: string[];
  samples: number;
  cells: { total: number; masts: number; byBand: Record<string, number>; assumedDefaults: Record<string, number> };
  areas: Nr5gAreaReport[];
  holes: { type: 'FeatureCollection'; features: Nr5gHoleFeature[] };
  /** SS-RSRP raster over a scope, when asked for. */
  raster: Nr5gRasterSummary | null;
  notes: string[];
}

export interface Nr5gRasterSummary {
  scopeId: string | null;
  cellM: number;
  nx: number;
  ny: number;
  /** Outdoor samples inside the scope. */
  outdoorSamples: number;
  /** Outdoor samples with SS-RSRP ≥ the threshold, percent. */
  coveredPercent: number;
  medianRsrpDbm: number | null;
  /** Outdoor samples whose best server is in line of sight, percent. */
  losPercent: number;
}

export interface Nr5gReportOptions extends Nr5gAreaOptions {
  /** Also compute an SS-RSRP raster at this cell size over the scope (`rasterScopeId`, default the 城区 scope, else the city). */
  rasterCellM?: number | null;
  rasterScopeId?: string | null;
  /** Hole polygons for failing areas only (default) or for every area with samples below the threshold. */
  holes?: 'failing' | 'all';
  /** Clip the hole polygons to the areas and around the buildings (slower; default false). */
  clipHoles?: boolean;
}

export const NR5G_BASIS = [
  'path loss: 3GPP TR 38.901 Table 7.4.1-1 UMa / UMi-Street Canyon, LOS or NLOS decided per link by the real buildings (PrismIndex), no shadow fading; real mast heights, d2D < 10 m taken as 10 m',
  'antenna: TR 38.901 Table 7.3-1 pattern form; default φ3dB 65°, front-to-back 30 dB (38.901), θ3dB 10°, SLA 20 dB, 14 dBi (TR 36.814 Table A.2.1.1-2) unless the cell says otherwise',
  'SS-RSRP per resource element = total power − 10·log10(12 × N_RB) (TS 38.101-1 Table 5.3.2-1) or the cell\'s ssbEpreDbm, + gain − path loss',
  'area rule: covered when ≥ rulePercent of the open-ground samples reach SS-RSRP ≥ rsrpThresholdDbm (−105 dBm: the usable-coverage edge of operator drive tests; 95%: the usual area-coverage probability); project defaults, DB37/T 3890 does not define 5G coverage of an area',
];

function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** For each documented default, how many cells took it (attribute missing in the city). */
function assumedDefaults(specs: CellSpec[]): Record<string, number> {
  const out: Record<string, number> = {};
  const bump = (k: string) => (out[k] = (out[k] ?? 0) + 1);
  for (const s of specs) {
    if (s.azimuthDeg === undefined || Number.isNaN(s.azimuthDeg)) bump('headingDeg (omni)');
    if (s.mechanicalTiltDeg === undefined || Number.isNaN(s.mechanicalTiltDeg)) bump('tiltDeg');
    if (s.band === undefined && s.fcGHz === undefined) bump('band');
    if (s.ssbEpreDbm === undefined && s.txPowerDbm === undefined) bump('txPowerDbm');
    if (s.channelBandwidthMHz === undefined) bump('channelBandwidthMHz');
    if (s.antenna?.gainDbi === undefined) bump('antennaGainDbi');
    if (s.scenario === undefined) bump('scenario');
  }
  return out;
}

/**
 * Builds the `nr5g` section and its indicator value. `session` may be passed to report on an existing
 * (edited) session instead of building one.
 */
export function nr5gReport(
  city: City,
  prisms: PrismIndex,
  options: Nr5gReportOptions = {},
  session: Nr5gAreaSession = new Nr5gAreaSession(city, prisms, options),
): { nr5g: Nr5gSection; indicators: SimulatedIndicatorValues } {
  const ka = city.keyAreas;
  const notes: string[] = [];
  const specs = options.cells ?? cellSpecsFromCity(city);
  const byBand: Record<string, number> = {};
  const masts = new Set<string>();
  for (const s of specs) {
    const c = resolveCell(s);
    byBand[c.band] = (byBand[c.band] ?? 0) + 1;
    masts.add(`${c.xM.toFixed(2)},${c.yM.toFixed(2)},${c.heightM.toFixed(2)}`);
  }
  const set = session.set;
  const s = session.samples;
  const results = session.areaResults();
  const areas: Nr5gAreaReport[] = results.map((r, slot) => {
    const vals: number[] = [];
    let los = 0;
    for (let k = s.areaStart[slot]; k < s.areaStart[slot + 1]; k++) {
      if (!Number.isNaN(set.rsrpDbm[k])) vals.push(set.rsrpDbm[k]);
      los += set.los[k];
    }
    return {
      id: ka.ids[r.area],
      name: ka.names[r.area],
      category: ka.category[r.area],
      samples: r.samples,
      coveredSamples: r.coveredSamples,
      coveredPercent: round(r.coveredPercent, 2),
      covered: r.covered,
      medianRsrpDbm: roundOrNull(median(vals), 1),
      minRsrpDbm: vals.length ? round(Math.min(...vals), 1) : null,
      losPercent: r.samples ? round((100 * los) / r.samples, 1) : 0,
      representativeSample: s.representative[slot] === 1,
    };
  });
  const noGround = areas.filter((a) => a.samples === 0).length;
  if (noGround) notes.push(`${noGround} area(s) of the 5G set have no open ground at this grid and can never count as covered`);
  if (specs.length === 0) notes.push('the city has no healthy cell5g device: every area is uncovered');

  // holes
  const flags = session.coveredFlags();
  const spots = blindSpots(city, s, flags, prisms, { clip: !!options.clipHoles });
  const failing = new Set(areas.filter((a) => !a.covered).map((a) => a.id));
  const features: Nr5gHoleFeature[] = spots.features
    .filter((f) => options.holes === 'all' || failing.has(f.properties.areaId))
    .map((f) => ({
      type: 'Feature',
      id: `nr5g-hole-${f.properties.areaId}`,
      geometry: f.geometry,
      properties: {
        layer: 'nr5g-coverage-hole',
        areaId: f.properties.areaId,
        areaName: f.properties.areaName,
        category: f.properties.category,
        holeSamples: f.properties.unseenSamples,
        sampleCount: f.properties.sampleCount,
        holePercent: f.properties.unseenPercent,
        areaM2: f.properties.areaM2,
        exact: f.properties.exact,
      },
    }));

  // raster
  let raster: Nr5gRasterSummary | null = null;
  if (options.rasterCellM) raster = rasterSummary(city, prisms, specs, session.options, options.rasterCellM, options.rasterScopeId ?? null, notes);

  const { covered, total } = session.counts();
  const indicators: SimulatedIndicatorValues = {};
  if (total > 0) {
    indicators[NR5G_INDICATOR_ID] = { value: (100 * covered) / total, numerator: covered, denominator: total, unit: 'percent', source: 'simulation', model: NR5G_COVERAGE_MODEL };
  } else notes.push(`${NR5G_INDICATOR_ID} left out: the city has no key area in the 5G set (denominator 0)`);
  return {
    nr5g: {
      model: NR5G_COVERAGE_MODEL,
      options: session.options,
      basis: NR5G_BASIS,
      samples: s.count,
      cells: { total: specs.length, masts: masts.size, byBand, assumedDefaults: assumedDefaults(specs) },
      areas,
      holes: { type: 'FeatureCollection', features },
      raster,
      notes,
    },
    indicators,
  };
}

function rasterSummary(city: City, prisms: PrismIndex, specs: CellSpec[], o: ResolvedNr5gAreaOptions, cellM: number, scopeId: string | null, notes: string[]): Nr5gRasterSummary {
  const scope = scopeId ? city.scopes.find((sc) => sc.id === scopeId) : city.scopes.find((sc) => sc.kind === '城区');
  if (scopeId && !scope) throw new RangeError(`no scope '${scopeId}' in the city (have ${city.scopes.map((sc) => sc.id).join(', ') || 'none'})`);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const grow = (xy: ArrayLike<number>) => {
    for (let i = 0; i < xy.length; i += 2) {
      minX = Math.min(minX, xy[i]);
      maxX = Math.max(maxX, xy[i]);
      minY = Math.min(minY, xy[i + 1]);
      maxY = Math.max(maxY, xy[i + 1]);
    }
  };
  if (scope) for (const poly of scope.polygons) grow(poly[0]);
  else grow(city.buildings.xyM);
  if (!scope) notes.push('raster over the bounding box of the buildings: the city has no 城区 scope');
  const grid = gridOverBBox({ minX, minY, maxX, maxY }, cellM);
  const mask = scope ? rasterizePolygons(grid, scope.polygons) : undefined;
  const model = new NrCoverageModel(prisms, { extent: { minX, minY, maxX: grid.originXM + grid.nx * cellM, maxY: grid.originYM + grid.ny * cellM }, maxRadiusM: o.maxRadiusM, hUtM: o.hUtM });
  model.setCells(specs);
  const set = model.addSampleSet(NrSampleSet.fromGrid(grid, prisms, mask));
  model.compute();
  let outdoor = 0, pass = 0, los = 0;
  const vals: number[] = [];
  for (let k = 0; k < set.count; k++) {
    if (!set.active[k]) continue;
    outdoor++;
    const v = set.rsrpDbm[k];
    if (v >= o.rsrpThresholdDbm) pass++;
    if (!Number.isNaN(v) && k % 7 === 0) vals.push(v); // median over a 1-in-7 subsample
    los += set.los[k];
  }
  return {
    scopeId: scope?.id ?? null,
    cellM,
    nx: grid.nx,
    ny: grid.ny,
    outdoorSamples: outdoor,
    coveredPercent: outdoor ? round((100 * pass) / outdoor, 2) : 0,
    medianRsrpDbm: roundOrNull(median(vals), 1),
    losPercent: outdoor ? round((100 * los) / outdoor, 1) : 0,
  };
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const roundOrNull = (v: number | null, d: number) => (v === null ? null : round(v, d));

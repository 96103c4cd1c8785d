/**
 * The `weather` section of a `cimtwin coverage` report and its indicator value
 * (`weather_station_spacing`, km, smaller is better): the city's automatic weather stations (devices of
 * type `weather`) over its 城区 scope (or a scope chosen by id), every spacing metric of spacing.ts,
 * and the one that decides.
 *
 * Stations counted: healthy ones (完好) by default; a broken station monitors nothing. The indicator
 * value is the deciding metric in km (mean spacing √(A/N) by default). With the grid-occupancy metric
 * deciding there is no km value, and with no station the spacing is infinite: in both cases the
 * indicator is left out with a note, and the section still says whether the target is met.
 */
import { LocalFrame } from '../../cim/frame.ts';
import { DEVICE_TYPES, type City } from '../../cim/types.ts';
import type { SimulatedIndicatorValues } from '../../indicators/values.ts';
import { stationSpacing, type SpacingOptions, type SpacingResult, type StationInput } from './spacing.ts';

export const WEATHER_SPACING_MODEL = 'weather-spacing';
export const WEATHER_INDICATOR_ID = 'weather_station_spacing';

export interface WeatherReportOptions extends SpacingOptions {
  /** Scope id; default the city's 城区 scope. */
  scopeId?: string;
  /** Count stations that are not healthy too (default false). */
  includeUnhealthy?: boolean;
}

export interface WeatherSection {
  model: typeof WEATHER_SPACING_MODEL;
  scope: { id: string; kind: string; name: string | null };
  stations: { total: number; counted: number; notHealthy: number; notNetworked: number };
  spacing: Omit<SpacingResult, 'nearestNeighbour'> & {
    nearestNeighbour: (Omit<NonNullable<SpacingResult['nearestNeighbour']>, 'distancesKm'> & { byStation: { id: string; km: number }[] }) | null;
    /** The farthest point of the scope from every station, WGS84. */
    farthestPoint: { lonDeg: number; latDeg: number } | null;
  };
  notes: string[];
}

const WEATHER_CODE = DEVICE_TYPES.indexOf('weather');

/** The city's weather stations as spacing inputs (healthy only unless asked). */
export function weatherStationsFromCity(city: City, includeUnhealthy = false): StationInput[] {
  const d = city.devices;
  const out: StationInput[] = [];
  for (let i = 0; i < d.count; i++) {
    if (d.typeCode[i] !== WEATHER_CODE) continue;
    if (!includeUnhealthy && !d.healthy[i]) continue;
    out.push({ id: d.ids[i], xM: d.xyM[2 * i], yM: d.xyM[2 * i + 1] });
  }
  return out;
}

/** Builds the `weather` section and its indicator value; null section (with a reason) when the city has no such scope. */
export function weatherReport(city: City, options: WeatherReportOptions = {}): { weather: WeatherSection | null; indicators: SimulatedIndicatorValues; notes: string[] } {
  const scope = options.scopeId ? city.scopes.find((s) => s.id === options.scopeId) : city.scopes.find((s) => s.kind === '城区');
  if (options.scopeId && !scope) throw new RangeError(`no scope '${options.scopeId}' in the city (have ${city.scopes.map((s) => s.id).join(', ') || 'none'})`);
  if (!scope) return { weather: null, indicators: {}, notes: [`${WEATHER_INDICATOR_ID} left out: the city has no 城区 scope to measure station spacing over`] };
  const d = city.devices;
  let total = 0, notHealthy = 0, notNetworked = 0;
  for (let i = 0; i < d.count; i++) {
    if (d.typeCode[i] !== WEATHER_CODE) continue;
    total++;
    if (!d.healthy[i]) notHealthy++;
    if (!d.networked[i]) notNetworked++;
  }
  const stations = weatherStationsFromCity(city, options.includeUnhealthy);
  const r = stationSpacing(scope.polygons, stations, options);
  const frame = new LocalFrame(city.origin);
  const far = r.coveringRadius.atXM !== null && r.coveringRadius.atYM !== null ? frame.toLngLat(r.coveringRadius.atXM, r.coveringRadius.atYM) : null;
  const notes: string[] = [];
  if (notHealthy && !options.includeUnhealthy) notes.push(`${notHealthy} weather station(s) not healthy (完好) are not counted`);
  const indicators: SimulatedIndicatorValues = {};
  const v = r.decision.valueKm;
  if (v !== null && Number.isFinite(v)) {
    indicators[WEATHER_INDICATOR_ID] = { value: round(v, 3), unit: 'km', source: 'simulation', model: `${WEATHER_SPACING_MODEL}:${r.decision.metric}` };
  } else if (r.decision.metric === 'grid-occupancy') {
    notes.push(`${WEATHER_INDICATOR_ID} left out: the grid-occupancy metric decides and gives a percentage, not a spacing in km`);
  } else {
    notes.push(`${WEATHER_INDICATOR_ID} left out: no station inside the scope, the spacing is infinite (the target is not met)`);
  }
  const nn = r.nearestNeighbour;
  return {
    weather: {
      model: WEATHER_SPACING_MODEL,
      scope: { id: scope.id, kind: scope.kind, name: scope.name },
      stations: { total, counted: stations.length, notHealthy, notNetworked },
      spacing: {
        ...r,
        meanSpacingKm: round(r.meanSpacingKm, 3),
        scopeAreaKm2: round(r.scopeAreaKm2, 3),
        nearestNeighbour: nn
          ? {
              minKm: round(nn.minKm, 3),
              p10Km: round(nn.p10Km, 3),
              medianKm: round(nn.medianKm, 3),
              meanKm: round(nn.meanKm, 3),
              p90Km: round(nn.p90Km, 3),
              maxKm: round(nn.maxKm, 3),
              byStation: r.stationIds.map((id, i) => ({ id, km: round(nn.distancesKm[i], 3) })),
            }
          : null,
        farthestPoint: far ? { lonDeg: round(far[0], 6), latDeg: round(far[1], 6) } : null,
      },
      notes,
    },
    indicators,
    notes,
  };
}

/** Rounds finite numbers; Infinity stays (JSON writes null for it, so callers state it in notes). */
const round = (v: number, d: number) => (Number.isFinite(v) ? Math.round(v * 10 ** d) / 10 ** d : v);

/**
 * Indicator values the workbench computes on the page from the device list (not in the worker session):
 * weather-station spacing (sim-core/coverage/weather) and real-time signal timing (sim-core/signal), the
 * city's own stated values, and the city plan whose dated targets apply. Pure: no DOM, no Cesium.
 */
import { cityWithDevices, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { weatherReport } from '../../sim-core/coverage/weather/report.ts';
import { CITY_PLANS, type CityPlan, type DatedTarget } from '../../sim-core/indicators/targets.ts';
import { parseValuesDocument, type ParsedEntry, type SimulatedIndicatorValues } from '../../sim-core/indicators/values.ts';
import { signalTimingIndicator } from '../../sim-core/signal/indicator.ts';

/** Weather spacing and signal timing of a device list, with what the highlight needs. */
export interface DeviceListValues {
  indicators: SimulatedIndicatorValues;
  /** Important intersections (road-node ids) without real-time signal timing. */
  signalWithout: string[];
  /** Weather stations counted (device ids). */
  weatherStations: string[];
  notes: string[];
}

const DEVICE_TYPES_READ = new Set(['weather', 'signal']);

/** Computes `weather_station_spacing` and `signal_realtime_timing` for `devices` (only weather stations and signal controllers are read). */
export function deviceListValues(city: City, devices: readonly DeviceFeature[], file = 'devices'): DeviceListValues {
  const relevant = devices.filter((d) => DEVICE_TYPES_READ.has(String(d.properties.deviceType)));
  const c = cityWithDevices(city, relevant, file);
  const w = weatherReport(c);
  const s = signalTimingIndicator(c);
  const stations: string[] = [];
  for (const d of relevant) if (d.properties.deviceType === 'weather' && d.properties.healthy !== false) stations.push(d.id);
  return { indicators: { ...w.indicators, ...s.indicators }, signalWithout: s.without, weatherStations: stations, notes: w.notes };
}

/**
 * The city plan (sim-core/indicators/targets.ts) whose targets apply to a city: the one whose Chinese or
 * English name the city's name contains (潍坊中心城区示范区 → Weifang), else null.
 */
export function planForCity(cityName: string): CityPlan | null {
  const lower = cityName.toLowerCase();
  return CITY_PLANS.find((p) => cityName.includes(p.nameZh) || lower.includes(p.nameEn.toLowerCase())) ?? null;
}

/** The plan's last-due target for a measure (the final goal), or null. */
export function finalTarget(plan: CityPlan | null, measureId: string): DatedTarget | null {
  if (!plan) return null;
  let best: DatedTarget | null = null;
  for (const t of plan.targets) if (t.measure === measureId && (!best || t.due >= best.due)) best = t;
  return best;
}

/**
 * Stated (hand-entered) indicator values carried by a city file (`cimtwin.indicators`) or a scenario
 * (`indicators`): a values document as `cimtwin score --values` reads it. Returns the entries, or the
 * error that names the document and the key.
 */
export function statedValues(doc: unknown, origin: string): { entries: ParsedEntry[]; error: string | null } {
  if (doc === undefined || doc === null) return { entries: [], error: null };
  try {
    // A scenario's stored coverage report (`indicators: {indicators: …}`) holds simulated values, not stated ones.
    if (typeof doc === 'object' && 'indicators' in (doc as object)) return { entries: [], error: null };
    return { entries: parseValuesDocument(doc, origin), error: null };
  } catch (e) {
    return { entries: [], error: (e as Error).message };
  }
}

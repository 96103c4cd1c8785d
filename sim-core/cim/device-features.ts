/**
 * A city's devices as city-file GeoJSON features (layer `device`; docs/city-format.md) and back: what
 * scenarios store and the workbench edits, and the device table the simulation reads.
 *
 * - {@link cityWithDevices}: the city with its device table replaced by features (checked by the
 *   city-file reader, so a bad device is a {@link CimError} naming the file, the feature and the field).
 * - {@link deviceFeaturesOfCity}: the inverse, the city's device table as features.
 * - {@link simulatedDevicesOf}: the cameras and 5G cells a simulation session holds for some features
 *   (the same defaults as `inventoryFromCity`), keyed by device id — how an edited feature becomes a
 *   session edit.
 */
import { camerasFromDevices, type CameraSpec } from '../coverage/camera.ts';
import { cellSpecsFromCity } from '../coverage/cellular/cells.ts';
import { cityFromGeoJSON, cityToGeoJSON, CITY_FORMAT, CITY_FORMAT_VERSION } from './city-file.ts';
import type { City } from './types.ts';

/** A GeoJSON device feature of a cim-twin city file (layer `device`). */
export interface DeviceFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: number[] };
  properties: Record<string, unknown>;
}

/** A 5G cell as the session holds it (kept structurally equal to sim-core/session's CellDevice). */
export type SimulatedCell = ReturnType<typeof cellSpecsFromCity>[number] & { healthy: boolean; networked: boolean };

/** What a simulation session holds for one device feature. */
export type SimulatedDevice = { kind: 'camera'; spec: CameraSpec } | { kind: 'cell'; spec: SimulatedCell };

/**
 * The city with its device table replaced by `devices` (city-file device features). Validated by the
 * city-file reader, so a bad device is a {@link CimError} naming `file`, the feature and the field.
 */
export function cityWithDevices(city: City, devices: readonly DeviceFeature[], file = 'devices'): City {
  const fc = {
    type: 'FeatureCollection',
    cimtwin: { format: CITY_FORMAT, version: CITY_FORMAT_VERSION, name: city.meta.name, synthetic: city.meta.synthetic, sources: city.meta.sources, attribution: city.meta.attribution, origin: city.origin, crs: 'EPSG:4326' },
    features: devices.map((d) => ({ ...d, properties: { ...d.properties, layer: 'device' } })),
  };
  return { ...city, devices: cityFromGeoJSON(fc, file).devices };
}

/** The city's device table as city-file features (the inverse of {@link cityWithDevices}). */
export function deviceFeaturesOfCity(city: City): DeviceFeature[] {
  const onlyDevices: City = {
    ...city,
    buildings: { ...city.buildings, count: 0 },
    roadNodes: { ...city.roadNodes, count: 0 },
    roadLinks: { ...city.roadLinks, count: 0 },
    keyAreas: { ...city.keyAreas, count: 0 },
    scopes: [],
  };
  return cityToGeoJSON(onlyDevices).features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeature[];
}

/**
 * The cameras (types camera, epolice) and 5G cells (cell5g, unhealthy ones included) the simulation
 * holds for `features`, keyed by id, with the same defaults as the session's `inventoryFromCity`.
 * Weather stations, signal controllers and poles are not simulated and are absent. Throws a
 * {@link CimError} naming `file`, the feature and the field for a bad device.
 */
export function simulatedDevicesOf(city: City, features: readonly DeviceFeature[], file = 'devices'): Map<string, SimulatedDevice> {
  const c = cityWithDevices(city, features, file);
  const out = new Map<string, SimulatedDevice>();
  for (const spec of camerasFromDevices(c.devices)) out.set(spec.id, { kind: 'camera', spec });
  const d = c.devices;
  const index = new Map<string, number>();
  for (let i = 0; i < d.count; i++) index.set(d.ids[i], i);
  for (const s of cellSpecsFromCity(c, { includeUnhealthy: true })) {
    const i = index.get(s.id)!;
    out.set(s.id, { kind: 'cell', spec: { ...s, healthy: d.healthy[i] === 1, networked: d.networked[i] === 1 } });
  }
  return out;
}

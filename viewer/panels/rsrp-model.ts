/**
 * The pure part of the RSRP layer: the healthy 5G cells of a device list as the raster job takes them,
 * the raster's cell size for a city, and the lon/lat rectangle of a raster grid.
 */
import { simulatedDevicesOf, type DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import { cityBBoxM } from '../../sim-core/cim/summary.ts';
import type { City } from '../../sim-core/cim/types.ts';
import type { CellSpec } from '../../sim-core/coverage/cellular/cells.ts';
import type { GridSpec } from '../../sim-core/coverage/cellular/grid.ts';
import { cellSpecOf } from '../../sim-core/session/devices.ts';

/** Finest raster cell, metres (the 5G key-area samples use 5 m). */
export const RSRP_MIN_CELL_M = 10;
/** Samples a raster may have at most: a coarser cell beyond (the browser job stays within seconds). */
export const RSRP_MAX_SAMPLES = 600_000;

/**
 * The raster cell for a city: {@link RSRP_MIN_CELL_M}, or coarser in steps of 5 m so that the box of
 * the raster's scope (the first 城区 scope, else the city) holds at most {@link RSRP_MAX_SAMPLES}.
 */
export function rsrpCellM(city: City): number {
  const scope = city.scopes.find((s) => s.kind === '城区');
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  if (scope) {
    for (const poly of scope.polygons) {
      const ring = poly[0]!;
      for (let i = 0; i < ring.length; i += 2) {
        minX = Math.min(minX, ring[i]!);
        maxX = Math.max(maxX, ring[i]!);
        minY = Math.min(minY, ring[i + 1]!);
        maxY = Math.max(maxY, ring[i + 1]!);
      }
    }
  } else ({ minX, minY, maxX, maxY } = cityBBoxM(city));
  const areaM2 = Math.max(0, maxX - minX) * Math.max(0, maxY - minY);
  const cell = Math.sqrt(areaM2 / RSRP_MAX_SAMPLES);
  return cell <= RSRP_MIN_CELL_M ? RSRP_MIN_CELL_M : Math.ceil(cell / 5) * 5;
}
/** The healthy 5G cells of a device list, as the raster job takes them. */
export function healthyCells(city: City, devices: readonly DeviceFeature[]): CellSpec[] {
  const cells = devices.filter((d) => d.properties.deviceType === 'cell5g');
  const out: CellSpec[] = [];
  for (const d of simulatedDevicesOf(city, cells, 'workbench devices').values()) if (d.kind === 'cell' && d.spec.healthy) out.push(cellSpecOf(d.spec));
  return out;
}

/** The lon/lat rectangle (degrees) of a grid of the city's local frame: the box around its four corners. */
export function gridRectangleDeg(city: City, g: GridSpec): { west: number; south: number; east: number; north: number } {
  const f = new LocalFrame(city.origin);
  const xs = [g.originXM, g.originXM + g.nx * g.cellM];
  const ys = [g.originYM, g.originYM + g.ny * g.cellM];
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (const x of xs)
    for (const y of ys) {
      const p = f.toLngLat(x, y);
      west = Math.min(west, p[0]!);
      east = Math.max(east, p[0]!);
      south = Math.min(south, p[1]!);
      north = Math.max(north, p[1]!);
    }
  return { west, south, east, north };
}


/** The sample of a grid (row · nx + col, row 0 south) under a lon/lat point, or −1 outside the grid. */
export function gridIndexAt(city: City, g: GridSpec, lonDeg: number, latDeg: number): number {
  const p = new LocalFrame(city.origin).toLocal(lonDeg, latDeg);
  const col = Math.floor((p[0]! - g.originXM) / g.cellM);
  const row = Math.floor((p[1]! - g.originYM) / g.cellM);
  return col < 0 || row < 0 || col >= g.nx || row >= g.ny ? -1 : row * g.nx + col;
}

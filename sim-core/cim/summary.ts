/** Counts and extents of a city: what `cimtwin info` prints. */
import { LocalFrame } from './frame.ts';
import { DEVICE_TYPES, KEY_AREA_CATEGORIES, ROAD_CLASSES, type BBoxM, type City, type DeviceType, type RoadClass } from './types.ts';

export interface CitySummary {
  name: string;
  synthetic: boolean;
  origin: City['origin'];
  bboxM: BBoxM;
  bboxLngLat: { west: number; south: number; east: number; north: number };
  buildings: { count: number; withHeight: number; minRoofM: number; medianRoofM: number; maxRoofM: number; byUse: Record<string, number> };
  roads: { nodes: number; links: number; intersections: number; importantIntersections: number; signalized: number; intersectionsByClass: Record<RoadClass, number>; lengthKmByClass: Record<RoadClass, number> };
  keyAreas: { count: number; video: number; nr5g: number; byCategory: Record<string, number> };
  scopes: { id: string; kind: string; name: string | null }[];
  devices: Record<DeviceType, { count: number; healthy: number; networked: number }>;
  attribution: string[];
  sources: string[];
}

/** A node is an intersection when three or more links meet there, or it carries a signal. */
export function isIntersection(city: City, node: number): boolean {
  return city.roadNodes.degree[node] >= 3 || city.roadNodes.signalized[node] === 1;
}

/**
 * DB37/T 3890 counts "城市重要路口,不包含支路路口" (001@14464): intersections whose class (the best
 * road crossing or joining the through road, see RoadNodeTable.classCode) is above 支路. `excluded` lists the classes left out.
 */
export function isImportantIntersection(city: City, node: number, excluded: readonly RoadClass[] = ['branch', 'service']): boolean {
  if (!isIntersection(city, node)) return false;
  return !excluded.includes(ROAD_CLASSES[city.roadNodes.classCode[node]]);
}

export function cityBBoxM(city: City): BBoxM {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const acc = (xy: Float64Array) => {
    for (let i = 0; i < xy.length; i += 2) {
      const x = xy[i], y = xy[i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  };
  acc(city.buildings.xyM);
  acc(city.roadNodes.xyM);
  acc(city.roadLinks.xyM);
  acc(city.keyAreas.xyM);
  acc(city.devices.xyM);
  for (const s of city.scopes) for (const p of s.polygons) for (const r of p) acc(r);
  if (minX > maxX) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  return { minX, minY, maxX, maxY };
}

export function summarizeCity(city: City): CitySummary {
  const bbox = cityBBoxM(city);
  const frame = new LocalFrame(city.origin);
  const sw = frame.toLngLat(bbox.minX, bbox.minY, [0, 0]) as number[];
  const ne = frame.toLngLat(bbox.maxX, bbox.maxY, [0, 0]) as number[];
  const b = city.buildings;
  const roofs = Array.from(b.roofM).sort((x, y) => x - y);
  const byUse: Record<string, number> = {};
  let withHeight = 0;
  for (let i = 0; i < b.count; i++) {
    byUse[b.use[i]] = (byUse[b.use[i]] ?? 0) + 1;
    if (b.attrs[i].heightSource !== 'default-storeys') withHeight++;
  }
  const intersectionsByClass = Object.fromEntries(ROAD_CLASSES.map((c) => [c, 0])) as Record<RoadClass, number>;
  const lengthKmByClass = Object.fromEntries(ROAD_CLASSES.map((c) => [c, 0])) as Record<RoadClass, number>;
  let intersections = 0, important = 0, signalized = 0;
  for (let i = 0; i < city.roadNodes.count; i++) {
    if (city.roadNodes.signalized[i]) signalized++;
    if (!isIntersection(city, i)) continue;
    intersections++;
    intersectionsByClass[ROAD_CLASSES[city.roadNodes.classCode[i]]]++;
    if (isImportantIntersection(city, i)) important++;
  }
  for (let i = 0; i < city.roadLinks.count; i++) lengthKmByClass[ROAD_CLASSES[city.roadLinks.classCode[i]]] += city.roadLinks.lengthM[i] / 1000;
  for (const c of ROAD_CLASSES) lengthKmByClass[c] = Math.round(lengthKmByClass[c] * 100) / 100;
  const byCategory: Record<string, number> = Object.fromEntries(KEY_AREA_CATEGORIES.map((c) => [c, 0]));
  let video = 0, nr5g = 0;
  for (let i = 0; i < city.keyAreas.count; i++) {
    byCategory[city.keyAreas.category[i]] = (byCategory[city.keyAreas.category[i]] ?? 0) + 1;
    video += city.keyAreas.inVideoSet[i];
    nr5g += city.keyAreas.in5gSet[i];
  }
  const devices = Object.fromEntries(DEVICE_TYPES.map((t) => [t, { count: 0, healthy: 0, networked: 0 }])) as CitySummary['devices'];
  for (let i = 0; i < city.devices.count; i++) {
    const d = devices[DEVICE_TYPES[city.devices.typeCode[i]]];
    d.count++;
    d.healthy += city.devices.healthy[i];
    d.networked += city.devices.networked[i];
  }
  return {
    name: city.meta.name,
    synthetic: city.meta.synthetic,
    origin: city.origin,
    bboxM: bbox,
    bboxLngLat: { west: sw[0], south: sw[1], east: ne[0], north: ne[1] },
    buildings: {
      count: b.count,
      withHeight,
      minRoofM: roofs.length ? roofs[0] : 0,
      medianRoofM: roofs.length ? roofs[roofs.length >> 1] : 0,
      maxRoofM: roofs.length ? roofs[roofs.length - 1] : 0,
      byUse,
    },
    roads: { nodes: city.roadNodes.count, links: city.roadLinks.count, intersections, importantIntersections: important, signalized, intersectionsByClass, lengthKmByClass },
    keyAreas: { count: city.keyAreas.count, video, nr5g, byCategory },
    scopes: city.scopes.map((s) => ({ id: s.id, kind: s.kind, name: s.name })),
    devices,
    attribution: city.meta.attribution,
    sources: city.meta.sources,
  };
}

/**
 * The workbench's live layers in Cesium: key public areas coloured by their covered state (one
 * primitive with one geometry instance per polygon, recoloured per instance through
 * `getGeometryInstanceAttributes` when results change), important intersections marked by e-police
 * coverage, the devices as small pickable points (under the three.js glyphs; they make the workbench
 * usable without the overlay and let Cesium picking find a device), and the highlight target
 * (`ctx.highlight`): areas outlined, intersections ringed. Everything stands on the city's ground, the
 * ellipsoid at `origin.heightM` (heights.ts), as the overlay's glyphs do.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  NearFarScalar,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Material,
  Primitive,
  type PointPrimitive,
} from 'cesium';
import type { CityOrigin } from '../../sim-core/cim/frame.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { Rgba } from '../palette.ts';
import { AREA_STATE_COLORS, DEVICE_COLORS, INTERSECTION_COLORS, areaState } from './colours.ts';
import { cityPointEcef, ellipsoidalHeightM } from './heights.ts';
import type { Workbench } from './state.ts';

const AREA_HEIGHT_M = 0.35;
const INTERSECTION_HEIGHT_M = 1.5;
/** Height of highlight outlines above the ground, m. */
const OUTLINE_HEIGHT_M = 2;
const HIGHLIGHT_CSS = '#ffd400';
/** Intersections outside the important set (支路路口 and the like). */
const OTHER_INTERSECTION_RGBA: Rgba = [120, 120, 120, 220];
/** Scope outlines by scope kind. */
const SCOPE_RGBA: Record<string, Rgba> = { 城区: [40, 40, 40, 200], 中心城区: [130, 60, 160, 220], 建成区: [30, 110, 170, 200], 规划区: [90, 90, 90, 160] };
const ECEF = new Float64Array(3);
const scratchPosition = new Cartesian3();

/** Where a device's point is drawn: `heightM` above the city's ground (origin.heightM), as the overlay's glyph anchor. */
export function devicePointPosition(origin: CityOrigin, f: DeviceFeature, out: Cartesian3 = new Cartesian3()): Cartesian3 {
  const [lon, lat] = f.geometry.coordinates as [number, number];
  const h = Number(f.properties.heightM ?? 0) || 0;
  cityPointEcef(origin, lon, lat, h, ECEF);
  return Cartesian3.fromElements(ECEF[0]!, ECEF[1]!, ECEF[2]!, out);
}
const color = (c: Rgba) => Color.fromBytes(c[0], c[1], c[2], c[3]);

type Position = number[];

/** What Cesium's pick returns for a device point. */
export interface DevicePickId {
  kind: 'wb-device';
  id: string;
}

/** The layers and what the page reads from them. */
export interface LiveLayers {
  /** The drawn state of each key area (what its instances are coloured as). */
  drawnAreaState(id: string): string | null;
  /** Device id of a Cesium pick result, or null. */
  deviceOfPick(picked: unknown): string | null;
  /** What the highlight draws now: outlined area rings and ringed intersections. */
  highlightDrawn(): { areaRings: number; intersections: number };
  /** Intersections drawn as not important (three or more links, not scored by the session). */
  otherIntersections(): number;
  /** Scope outline polylines drawn. */
  scopeOutlines(): number;
  /** The position of a device's point (ECEF metres), or null. */
  devicePoint(id: string): [number, number, number] | null;
  dispose(): void;
}

/** Creates the live layers for `ctx` and keeps them in step with its events. */
export function createLiveLayers(ctx: Workbench): LiveLayers {
  const scene = ctx.scene.widget.scene;
  const features = ctx.scene.city.features;
  const origin = ctx.city.origin;
  const groundM = (aboveM: number) => ellipsoidalHeightM(origin, aboveM);

  // ---- key areas ----
  const instanceIds = new Map<string, string[]>();
  const inVideo = new Map<string, boolean>();
  const instances: GeometryInstance[] = [];
  for (const f of features) {
    const p = f.properties ?? {};
    if (p.layer !== 'key-area' || !f.geometry) continue;
    const areaId = String(f.id);
    const g = f.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates as Position[][]] : g.type === 'MultiPolygon' ? (g.coordinates as Position[][][]) : [];
    const ids: string[] = [];
    const video = p.video !== false;
    inVideo.set(areaId, video);
    polygons.forEach((rings, k) => {
      if (!rings[0] || rings[0].length < 4) return;
      const toCartesians = (ring: Position[]) => ring.slice(0, -1).map((q) => Cartesian3.fromDegrees(q[0]!, q[1]!, groundM(0)));
      const hierarchy = new PolygonHierarchy(toCartesians(rings[0]), rings.slice(1).map((h) => new PolygonHierarchy(toCartesians(h))));
      const id = polygons.length > 1 ? `${areaId}#${k}` : areaId;
      ids.push(id);
      instances.push(
        new GeometryInstance({
          id,
          geometry: new PolygonGeometry({ polygonHierarchy: hierarchy, height: groundM(AREA_HEIGHT_M), vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT }),
          attributes: { color: ColorGeometryInstanceAttribute.fromColor(color(video ? AREA_STATE_COLORS.uncovered : AREA_STATE_COLORS.outside)) },
        }),
      );
    });
    instanceIds.set(areaId, ids);
  }
  const areaPrimitive = new Primitive({
    geometryInstances: instances,
    appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }),
    asynchronous: false,
    releaseGeometryInstances: true,
    allowPicking: false,
  });
  scene.primitives.add(areaPrimitive);
  // The scene's own (uniformly coloured) key-area layer gives way to this one.
  if (ctx.scene.layers.keyAreas) ctx.scene.layers.keyAreas.show = false;
  const drawn = new Map<string, string>();
  const scratch = new Color();
  const recolourAreas = () => {
    const r = ctx.results();
    if (!r || !areaPrimitive.ready) return;
    for (const a of r.video.areas) {
      const state = inVideo.get(a.id) === false ? 'outside' : areaState(a);
      if (drawn.get(a.id) === state) continue;
      const rgba = AREA_STATE_COLORS[state];
      const value = ColorGeometryInstanceAttribute.toValue(Color.fromBytes(rgba[0], rgba[1], rgba[2], rgba[3], scratch));
      for (const iid of instanceIds.get(a.id) ?? []) {
        const attrs = areaPrimitive.getGeometryInstanceAttributes(iid) as { color: Uint8Array } | undefined;
        if (attrs) attrs.color = value;
      }
      drawn.set(a.id, state);
    }
    ctx.requestRender();
  };
  // The primitive is ready after its first update: colour it then.
  const removeReady = scene.postRender.addEventListener(() => {
    if (!areaPrimitive.ready) return;
    removeReady();
    recolourAreas();
  });

  // ---- important intersections ----
  const nodePositions = new Map<string, Position>();
  for (const f of features) if (f.properties?.layer === 'road-node' && f.geometry?.type === 'Point') nodePositions.set(String(f.id), f.geometry.coordinates as Position);
  const ixPoints = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  const ixById = new Map<string, PointPrimitive>();
  const recolourIntersections = () => {
    const r = ctx.results();
    if (!r) return;
    for (const x of r.video.intersections) {
      let p = ixById.get(x.nodeId);
      if (!p) {
        const q = nodePositions.get(x.nodeId);
        if (!q) continue;
        p = ixPoints.add({ position: Cartesian3.fromDegrees(q[0]!, q[1]!, groundM(INTERSECTION_HEIGHT_M)), pixelSize: 7, outlineColor: Color.WHITE, outlineWidth: 1, scaleByDistance: new NearFarScalar(300, 1.4, 6000, 0.6) });
        ixById.set(x.nodeId, p);
      }
      const state = x.covered ? 'covered' : x.coveredApproaches > 0 ? 'partly' : 'uncovered';
      p.color = color(INTERSECTION_COLORS[state]);
    }
  };

  // ---- the other intersections (支路路口 and the rest: not in the important-intersection indicators) ----
  // A node where three or more links meet and that the session does not score: a small grey point, so the
  // planner sees which crossings count for e-police and real-time timing and which do not.
  const linkCount = new Map<string, number>();
  for (const f of features) {
    if (f.properties?.layer !== 'road-link') continue;
    for (const end of [f.properties.from, f.properties.to]) linkCount.set(String(end), (linkCount.get(String(end)) ?? 0) + 1);
  }
  const otherIx = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  let otherIxCount = 0;
  const drawOtherIntersections = () => {
    const r = ctx.results();
    if (!r || otherIxCount > 0) return;
    const important = new Set(r.video.intersections.map((x) => x.nodeId));
    for (const [id, q] of nodePositions) {
      if (important.has(id) || (linkCount.get(id) ?? 0) < 3) continue;
      otherIx.add({ position: Cartesian3.fromDegrees(q[0]!, q[1]!, groundM(INTERSECTION_HEIGHT_M)), pixelSize: 4, color: color(OTHER_INTERSECTION_RGBA), scaleByDistance: new NearFarScalar(300, 1.2, 6000, 0.5) });
      otherIxCount++;
    }
    ctx.requestRender();
  };

  // ---- scopes (城区, 中心城区, 建成区, 规划区) as outlines ----
  const scopeLines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  for (const f of features) {
    if (f.properties?.layer !== 'scope' || !f.geometry) continue;
    const g = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []) as number[][][][];
    const rgba = SCOPE_RGBA[String(f.properties.scope)] ?? SCOPE_RGBA['规划区']!;
    for (const polygon of polygons) {
      const outer = polygon[0];
      if (!outer || outer.length < 3) continue;
      // each polyline its own material: Cesium destroys a polyline's material when it is removed
      scopeLines.add({ positions: outer.map((q) => Cartesian3.fromDegrees(q[0]!, q[1]!, groundM(OUTLINE_HEIGHT_M))), width: 2, material: Material.fromType('Color', { color: color(rgba) }) });
    }
  }

  // ---- device points ----
  // Features are replaced, never mutated, by a change (state.ts): an entry whose feature is the same
  // object is up to date, so a drag step touches only the dragged device's point.
  const devPoints = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  const devById = new Map<string, { point: PointPrimitive; feature: DeviceFeature; type: string; mark: number }>();
  let mark = 0;
  let selectedShown: string | null = null;
  const styleSelected = (id: string | null, on: boolean) => {
    const e = id === null ? undefined : devById.get(id);
    if (!e) return;
    e.point.pixelSize = on ? 12 : 6;
    e.point.outlineColor = on ? Color.YELLOW : Color.WHITE;
    e.point.outlineWidth = on ? 3 : 1;
  };
  const syncSelection = () => {
    const selected = ctx.selection();
    if (selected === selectedShown) return;
    styleSelected(selectedShown, false);
    styleSelected(selected, true);
    selectedShown = selected;
    ctx.requestRender();
  };
  const syncDevices = () => {
    mark++;
    let changed = false;
    for (const f of ctx.devices()) {
      const known = devById.get(f.id);
      if (known && known.feature === f) {
        known.mark = mark;
        continue;
      }
      changed = true;
      const type = String(f.properties.deviceType ?? '');
      if (!known) {
        const point = devPoints.add({ position: devicePointPosition(origin, f), pixelSize: 6, color: color(DEVICE_COLORS[type] ?? DEVICE_COLORS.pole!), outlineColor: Color.WHITE, outlineWidth: 1, id: { kind: 'wb-device', id: f.id } satisfies DevicePickId });
        devById.set(f.id, { point, feature: f, type, mark });
      } else {
        // (a scratch, not the point's own position: the setter compares with it before copying)
        known.point.position = devicePointPosition(origin, f, scratchPosition);
        if (known.type !== type) {
          known.point.color = color(DEVICE_COLORS[type] ?? DEVICE_COLORS.pole!);
          known.type = type;
        }
        known.feature = f;
        known.mark = mark;
      }
    }
    for (const [id, e] of devById) {
      if (e.mark === mark) continue;
      devPoints.remove(e.point);
      devById.delete(id);
      if (selectedShown === id) selectedShown = null;
      changed = true;
    }
    // a new point for the selected id (removed and added back) gets its style again
    if (selectedShown !== null) styleSelected(selectedShown, true);
    syncSelection();
    if (changed) ctx.requestRender();
  };
  syncDevices();

  // ---- the highlight target: areas outlined, intersections ringed ----
  // One polyline collection and one point collection, rebuilt when the target changes. Each polyline
  // has its own material: Cesium destroys a removed polyline's material, so a shared one would stop
  // drawing after the first rebuild.
  const outlines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  const rings = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  const highlightColor = Color.fromCssColorString(HIGHLIGHT_CSS);
  const drawn3d = { areaRings: 0, intersections: 0 };
  const drawHighlight = () => {
    outlines.removeAll();
    rings.removeAll();
    drawn3d.areaRings = 0;
    drawn3d.intersections = 0;
    const target = ctx.highlighted();
    const areas = new Set(target.areaIds ?? []);
    const nodes = new Set(target.intersectionIds ?? []);
    if (areas.size) {
      for (const f of features) {
        if (f.properties?.layer !== 'key-area' || !areas.has(String(f.id)) || !f.geometry) continue;
        const g = f.geometry;
        const polygons = g.type === 'Polygon' ? [g.coordinates as Position[][]] : g.type === 'MultiPolygon' ? (g.coordinates as Position[][][]) : [];
        for (const polygon of polygons) {
          const ring = polygon[0];
          if (!ring) continue;
          outlines.add({ positions: ring.map((q) => Cartesian3.fromDegrees(q[0]!, q[1]!, groundM(OUTLINE_HEIGHT_M))), width: 4, material: Material.fromType('Color', { color: highlightColor }) });
          drawn3d.areaRings++;
        }
      }
    }
    for (const id of nodes) {
      const q = nodePositions.get(id);
      if (!q) continue;
      // a ring around the intersection's own point, and a translucent disc that stands out from afar
      rings.add({ position: Cartesian3.fromDegrees(q[0]!, q[1]!, groundM(INTERSECTION_HEIGHT_M)), pixelSize: 22, color: highlightColor.withAlpha(0.25), outlineColor: highlightColor, outlineWidth: 3, scaleByDistance: new NearFarScalar(300, 1.4, 6000, 0.6) });
      drawn3d.intersections++;
    }
    ctx.requestRender();
  };
  drawHighlight();

  const off = [
    ctx.on('results', () => {
      recolourAreas();
      recolourIntersections();
      drawOtherIntersections();
      ctx.requestRender();
    }),
    ctx.on('devices', syncDevices),
    ctx.on('selection', syncSelection),
    ctx.on('highlight', drawHighlight),
  ];
  recolourIntersections();
  drawOtherIntersections();
  ctx.addLayerToggle({ id: 'key-area-states', labelKey: 'workbench.layers.areas', get visible() { return areaPrimitive.show; }, setVisible: (v) => (areaPrimitive.show = v) });
  ctx.addLayerToggle({ id: 'epolice-intersections', labelKey: 'workbench.layers.intersections', get visible() { return ixPoints.show; }, setVisible: (v) => (ixPoints.show = v) });
  ctx.addLayerToggle({ id: 'other-intersections', labelKey: 'workbench.layers.otherIntersections', get visible() { return otherIx.show; }, setVisible: (v) => ((otherIx.show = v), ctx.requestRender()) });
  ctx.addLayerToggle({ id: 'scopes', labelKey: 'workbench.layers.scopes', get visible() { return scopeLines.show; }, setVisible: (v) => ((scopeLines.show = v), ctx.requestRender()) });
  ctx.addLayerToggle({ id: 'device-points', labelKey: 'workbench.layers.devices', get visible() { return devPoints.show; }, setVisible: (v) => (devPoints.show = v) });

  return {
    drawnAreaState: (id) => drawn.get(id) ?? null,
    highlightDrawn: () => ({ ...drawn3d }),
    otherIntersections: () => otherIxCount,
    scopeOutlines: () => scopeLines.length,
    devicePoint(id) {
      const p = devById.get(id)?.point.position;
      return p ? [p.x, p.y, p.z] : null;
    },
    deviceOfPick(picked) {
      const id = (picked as { id?: unknown } | undefined)?.id as DevicePickId | undefined;
      return id && typeof id === 'object' && id.kind === 'wb-device' && ctx.device(id.id) ? id.id : null;
    },
    dispose() {
      off.forEach((f) => f());
      removeReady();
      scene.primitives.remove(areaPrimitive);
      scene.primitives.remove(ixPoints);
      scene.primitives.remove(otherIx);
      scene.primitives.remove(scopeLines);
      scene.primitives.remove(devPoints);
      scene.primitives.remove(outlines);
      scene.primitives.remove(rings);
      if (ctx.scene.layers.keyAreas) ctx.scene.layers.keyAreas.show = true;
    },
  };
}

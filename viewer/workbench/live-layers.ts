/**
 * The workbench's live layers in Cesium: key public areas coloured by their covered state (one
 * primitive with one geometry instance per polygon, recoloured per instance through
 * `getGeometryInstanceAttributes` when results change), important intersections marked by e-police
 * coverage, the devices as small pickable points (under the three.js glyphs; they make the workbench
 * usable without the overlay and let Cesium picking find a device), and highlighted areas outlined.
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
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import type { Rgba } from '../palette.ts';
import { AREA_STATE_COLORS, DEVICE_COLORS, INTERSECTION_COLORS, areaState } from './colours.ts';
import type { Workbench } from './state.ts';

const AREA_HEIGHT_M = 0.35;
const INTERSECTION_HEIGHT_M = 1.5;
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
  dispose(): void;
}

/** Creates the live layers for `ctx` and keeps them in step with its events. */
export function createLiveLayers(ctx: Workbench): LiveLayers {
  const scene = ctx.scene.widget.scene;
  const features = ctx.scene.city.features;

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
      const toCartesians = (ring: Position[]) => ring.slice(0, -1).map((q) => Cartesian3.fromDegrees(q[0]!, q[1]!));
      const hierarchy = new PolygonHierarchy(toCartesians(rings[0]), rings.slice(1).map((h) => new PolygonHierarchy(toCartesians(h))));
      const id = polygons.length > 1 ? `${areaId}#${k}` : areaId;
      ids.push(id);
      instances.push(
        new GeometryInstance({
          id,
          geometry: new PolygonGeometry({ polygonHierarchy: hierarchy, height: AREA_HEIGHT_M, vertexFormat: PerInstanceColorAppearance.FLAT_VERTEX_FORMAT }),
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
        p = ixPoints.add({ position: Cartesian3.fromDegrees(q[0]!, q[1]!, INTERSECTION_HEIGHT_M), pixelSize: 7, outlineColor: Color.WHITE, outlineWidth: 1, scaleByDistance: new NearFarScalar(300, 1.4, 6000, 0.6) });
        ixById.set(x.nodeId, p);
      }
      const state = x.covered ? 'covered' : x.coveredApproaches > 0 ? 'partly' : 'uncovered';
      p.color = color(INTERSECTION_COLORS[state]);
    }
  };

  // ---- device points ----
  const devPoints = scene.primitives.add(new PointPrimitiveCollection()) as PointPrimitiveCollection;
  const devById = new Map<string, { point: PointPrimitive; lon: number; lat: number; h: number; type: string }>();
  const syncDevices = () => {
    const seen = new Set<string>();
    const selected = ctx.selection();
    for (const f of ctx.devices()) {
      seen.add(f.id);
      const [lon, lat] = f.geometry.coordinates as [number, number];
      const h = Number(f.properties.heightM ?? 0) || 0;
      const type = String(f.properties.deviceType ?? '');
      const known = devById.get(f.id);
      if (!known) {
        const point = devPoints.add({ position: Cartesian3.fromDegrees(lon, lat, h), pixelSize: 6, color: color(DEVICE_COLORS[type] ?? DEVICE_COLORS.pole!), outlineColor: Color.WHITE, outlineWidth: 1, id: { kind: 'wb-device', id: f.id } satisfies DevicePickId });
        devById.set(f.id, { point, lon, lat, h, type });
      } else {
        if (known.lon !== lon || known.lat !== lat || known.h !== h) {
          known.point.position = Cartesian3.fromDegrees(lon, lat, h);
          known.lon = lon;
          known.lat = lat;
          known.h = h;
        }
        if (known.type !== type) {
          known.point.color = color(DEVICE_COLORS[type] ?? DEVICE_COLORS.pole!);
          known.type = type;
        }
      }
      const entry = devById.get(f.id)!;
      const isSel = f.id === selected;
      entry.point.pixelSize = isSel ? 12 : 6;
      entry.point.outlineColor = isSel ? Color.YELLOW : Color.WHITE;
      entry.point.outlineWidth = isSel ? 3 : 1;
    }
    for (const [id, e] of devById) {
      if (seen.has(id)) continue;
      devPoints.remove(e.point);
      devById.delete(id);
    }
    ctx.requestRender();
  };
  syncDevices();

  // ---- highlighted areas: outlines ----
  const outlines = scene.primitives.add(new PolylineCollection()) as PolylineCollection;
  const outlineMaterial = Material.fromType('Color', { color: Color.fromCssColorString('#ffd400') });
  const drawHighlight = () => {
    outlines.removeAll();
    const wanted = new Set(ctx.highlighted().areaIds ?? []);
    if (wanted.size === 0) return ctx.requestRender();
    for (const f of features) {
      if (f.properties?.layer !== 'key-area' || !wanted.has(String(f.id)) || !f.geometry) continue;
      const g = f.geometry;
      const polygons = g.type === 'Polygon' ? [g.coordinates as Position[][]] : g.type === 'MultiPolygon' ? (g.coordinates as Position[][][]) : [];
      for (const rings of polygons) {
        const ring = rings[0];
        if (!ring) continue;
        outlines.add({ positions: ring.map((q) => Cartesian3.fromDegrees(q[0]!, q[1]!, 2)), width: 4, material: outlineMaterial });
      }
    }
    ctx.requestRender();
  };

  const off = [
    ctx.on('results', () => {
      recolourAreas();
      recolourIntersections();
      ctx.requestRender();
    }),
    ctx.on('devices', syncDevices),
    ctx.on('selection', syncDevices),
    ctx.on('highlight', drawHighlight),
  ];
  recolourIntersections();
  ctx.addLayerToggle({ id: 'key-area-states', labelKey: 'workbench.layers.areas', get visible() { return areaPrimitive.show; }, setVisible: (v) => (areaPrimitive.show = v) });
  ctx.addLayerToggle({ id: 'epolice-intersections', labelKey: 'workbench.layers.intersections', get visible() { return ixPoints.show; }, setVisible: (v) => (ixPoints.show = v) });
  ctx.addLayerToggle({ id: 'device-points', labelKey: 'workbench.layers.devices', get visible() { return devPoints.show; }, setVisible: (v) => (devPoints.show = v) });

  return {
    drawnAreaState: (id) => drawn.get(id) ?? null,
    deviceOfPick(picked) {
      const id = (picked as { id?: unknown } | undefined)?.id as DevicePickId | undefined;
      return id && typeof id === 'object' && id.kind === 'wb-device' && ctx.device(id.id) ? id.id : null;
    },
    dispose() {
      off.forEach((f) => f());
      removeReady();
      scene.primitives.remove(areaPrimitive);
      scene.primitives.remove(ixPoints);
      scene.primitives.remove(devPoints);
      scene.primitives.remove(outlines);
      if (ctx.scene.layers.keyAreas) ctx.scene.layers.keyAreas.show = true;
    },
  };
}

/**
 * Overlays of the big screen and the tour on the shared city scene, as batched Cesium primitives:
 * key areas coloured by their video or 5G coverage, outlines around highlighted areas, devices as
 * points coloured by state, green-wave corridors as lines coloured by state, and weather stations with
 * their spacing circles. Geometry comes from the city file (lon/lat); states from the session results
 * and the city's device table. Every layer can be shown or hidden; all ask for a render when changed.
 * Each polyline gets its own Material: Cesium destroys a polyline's material when it is removed.
 */
import {
  Cartesian3,
  Color,
  ColorGeometryInstanceAttribute,
  GeometryInstance,
  PerInstanceColorAppearance,
  PointPrimitiveCollection,
  PolygonGeometry,
  PolygonHierarchy,
  PolylineCollection,
  Primitive,
  Material,
  type PointPrimitive,
  type Polyline,
  type Scene,
} from 'cesium';
import type { CityFeatureCollection } from '../../sim-core/cim/city-file.ts';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import { DEVICE_TYPES, type City } from '../../sim-core/cim/types.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import type { CorridorState, GreenWaveCorridor } from '../../sim-core/tour/corridors.ts';

/** Colours of states (CSS), shared with the panels' legends. */
export const STATE_COLORS = {
  covered: '#2bb673',
  uncovered: '#e8484b',
  highlight: '#ffd23f',
  coordinated: '#2bd67b',
  partial: '#f0b429',
  uncoordinated: '#8d99ae',
  faulty: '#ff3b3b',
  camera: '#4fc3f7',
  cell5g: '#b388ff',
  weather: '#80deea',
  signal: '#ffe082',
} as const;

const OVERLAY_HEIGHT_M = 1.2;
const LINE_HEIGHT_M = 2;

type Ring = number[][];
/** The polygons (outer ring + holes, lon/lat) of each key-area feature, by id. */
function keyAreaPolygons(file: CityFeatureCollection): Map<string, Ring[][]> {
  const out = new Map<string, Ring[][]>();
  for (const f of file.features) {
    const p = f.properties as Record<string, unknown> | null;
    if (p?.layer !== 'key-area') continue;
    const g = f.geometry as { type: string; coordinates: unknown };
    const id = String((f as { id?: unknown }).id ?? p.id);
    if (g.type === 'Polygon') out.set(id, [g.coordinates as Ring[]]);
    else if (g.type === 'MultiPolygon') out.set(id, g.coordinates as Ring[][]);
  }
  return out;
}

const hierarchy = (rings: Ring[]) => new PolygonHierarchy(Cartesian3.fromDegreesArray(rings[0]!.flat()), rings.slice(1).map((h) => new PolygonHierarchy(Cartesian3.fromDegreesArray(h.flat()))));

/** See the module doc. */
export class Overlays {
  private readonly scene: Scene;
  private readonly city: City;
  private readonly polygons: Map<string, Ring[][]>;
  private areaPrimitive: Primitive | null = null;
  private readonly areaInstanceIds = new Map<string, string[]>();
  private areaMode: 'video' | 'nr5g' | null = null;
  private readonly outlines = new PolylineCollection();
  private readonly devicePoints = new PointPrimitiveCollection();
  private readonly pointById = new Map<string, PointPrimitive>();
  private readonly corridorLines = new PolylineCollection();
  private readonly corridorById = new Map<string, Polyline[]>();
  private readonly weatherCircles = new PolylineCollection();
  private deviceTypesShown = new Set<string>();

  constructor(scene: Scene, city: City, file: CityFeatureCollection) {
    this.scene = scene;
    this.city = city;
    this.polygons = keyAreaPolygons(file);
    const instances: GeometryInstance[] = [];
    for (const [id, polys] of this.polygons) {
      const ids: string[] = [];
      polys.forEach((rings, k) => {
        const iid = `${id}#${k}`;
        ids.push(iid);
        instances.push(new GeometryInstance({ id: iid, geometry: new PolygonGeometry({ polygonHierarchy: hierarchy(rings), height: OVERLAY_HEIGHT_M }), attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.TRANSPARENT) } }));
      });
      this.areaInstanceIds.set(id, ids);
    }
    if (instances.length) {
      this.areaPrimitive = new Primitive({ geometryInstances: instances, appearance: new PerInstanceColorAppearance({ flat: true, translucent: true }), asynchronous: false });
      this.areaPrimitive.show = false;
      scene.primitives.add(this.areaPrimitive);
    }
    for (const c of [this.outlines, this.devicePoints, this.corridorLines, this.weatherCircles]) scene.primitives.add(c);
    this.corridorLines.show = false;
    this.weatherCircles.show = false;
    this.buildDevices();
  }

  /** The primitives whose readiness a test may wait on. */
  get primitives(): Primitive[] {
    return this.areaPrimitive ? [this.areaPrimitive] : [];
  }

  private render(): void {
    this.scene.requestRender();
  }

  /** Colours the key areas by video or 5G coverage (null hides them). */
  colourAreas(mode: 'video' | 'nr5g' | null, results: SessionSnapshotBody | null): void {
    this.areaMode = mode;
    const p = this.areaPrimitive;
    if (!p) return;
    p.show = mode !== null && results !== null;
    if (!p.show || !results) return this.render();
    const state = new Map<string, boolean>();
    if (mode === 'video') for (const a of results.video.areas) if (a.inVideoSet) state.set(a.id, a.covered);
    if (mode === 'nr5g') for (const a of results.nr5g?.areas ?? []) state.set(a.id, a.covered);
    const covered = Color.fromCssColorString(STATE_COLORS.covered).withAlpha(0.55);
    const uncovered = Color.fromCssColorString(STATE_COLORS.uncovered).withAlpha(0.7);
    const apply = () => {
      for (const [id, iids] of this.areaInstanceIds) {
        const s = state.get(id);
        const c = s === undefined ? Color.TRANSPARENT : s ? covered : uncovered;
        for (const iid of iids) {
          const attrs = p.getGeometryInstanceAttributes(iid) as { color: Uint8Array } | undefined;
          if (attrs) attrs.color = ColorGeometryInstanceAttribute.toValue(c, attrs.color);
        }
      }
      this.render();
    };
    if (p.ready) apply();
    else {
      const remove = this.scene.postRender.addEventListener(() => {
        if (!p.ready) return this.scene.requestRender();
        remove();
        apply();
      });
      this.render();
    }
  }

  /** Whether the key areas are coloured now, and by what. */
  get areaColouring(): 'video' | 'nr5g' | null {
    return this.areaMode;
  }

  /** Outlines the key areas given (replacing the previous highlight). */
  highlightAreas(ids: readonly string[]): void {
    this.outlines.removeAll();
    // one material per polyline: removing a polyline destroys its material
    const material = () => Material.fromType('Color', { color: Color.fromCssColorString(STATE_COLORS.highlight) });
    for (const id of ids) {
      for (const rings of this.polygons.get(id) ?? []) {
        const ring = rings[0]!;
        this.outlines.add({ positions: Cartesian3.fromDegreesArrayHeights([...ring, ring[0]!].flatMap(([lon, lat]) => [lon!, lat!, LINE_HEIGHT_M + 1])), width: 5, material: material() });
      }
    }
    this.render();
  }

  private buildDevices(): void {
    const D = this.city.devices;
    const frame = new LocalFrame(this.city.origin);
    const ll = new Float64Array(2);
    for (let i = 0; i < D.count; i++) {
      const type = DEVICE_TYPES[D.typeCode[i]!]!;
      if (type === 'pole') continue;
      frame.toLngLat(D.xyM[2 * i]!, D.xyM[2 * i + 1]!, ll);
      const p = this.devicePoints.add({ position: Cartesian3.fromDegrees(ll[0]!, ll[1]!, Math.max(3, D.heightM[i]!)), pixelSize: type === 'weather' ? 14 : type === 'cell5g' ? 8 : 5, show: false, id: D.ids[i] });
      this.pointById.set(D.ids[i]!, p);
    }
  }

  /** Shows the devices of the given types (camera, epolice, cell5g, weather, signal), coloured by state from `city`; highlighted ones larger. */
  showDevices(types: readonly string[], city: City, highlighted: readonly string[] = []): void {
    this.deviceTypesShown = new Set(types);
    const D = city.devices;
    const hi = new Set(highlighted);
    const faulty = Color.fromCssColorString(STATE_COLORS.faulty);
    for (let i = 0; i < D.count; i++) {
      const p = this.pointById.get(D.ids[i]!);
      if (!p) continue;
      const type = DEVICE_TYPES[D.typeCode[i]!]!;
      p.show = this.deviceTypesShown.has(type) || hi.has(D.ids[i]!);
      if (!p.show) continue;
      const base = type === 'epolice' || type === 'camera' ? STATE_COLORS.camera : type === 'cell5g' ? STATE_COLORS.cell5g : type === 'weather' ? STATE_COLORS.weather : STATE_COLORS.signal;
      p.color = D.healthy[i] === 1 ? Color.fromCssColorString(base) : faulty;
      p.outlineColor = hi.has(D.ids[i]!) ? Color.fromCssColorString(STATE_COLORS.highlight) : Color.BLACK;
      p.outlineWidth = hi.has(D.ids[i]!) ? 3 : 1;
      p.pixelSize = (type === 'weather' ? 14 : type === 'cell5g' ? 8 : 5) * (hi.has(D.ids[i]!) ? 2 : 1);
    }
    this.render();
  }

  /** Draws the corridors coloured by state (replacing the previous ones); `show` false hides them. */
  showCorridors(corridors: readonly GreenWaveCorridor[], show: boolean): void {
    this.corridorLines.removeAll();
    this.corridorById.clear();
    this.corridorLines.show = show;
    if (!show) return this.render();
    const L = this.city.roadLinks;
    const frame = new LocalFrame(this.city.origin);
    const ll = new Float64Array(2);
    const colour = (s: CorridorState) => Color.fromCssColorString(STATE_COLORS[s]);
    for (const c of corridors) {
      const lines: Polyline[] = [];
      for (const l of c.links) {
        const pos: number[] = [];
        for (let v = L.vertexStart[l]!; v < L.vertexStart[l + 1]!; v++) {
          frame.toLngLat(L.xyM[2 * v]!, L.xyM[2 * v + 1]!, ll);
          pos.push(ll[0]!, ll[1]!, LINE_HEIGHT_M);
        }
        lines.push(this.corridorLines.add({ positions: Cartesian3.fromDegreesArrayHeights(pos), width: 6, material: Material.fromType('Color', { color: colour(c.state) }) }));
      }
      this.corridorById.set(c.id, lines);
    }
    this.render();
  }

  /** Circles of `radiusM` around every healthy weather station of `city` (hidden when `show` is false). */
  showWeatherSpacing(city: City, radiusM: number, show: boolean): void {
    this.weatherCircles.removeAll();
    this.weatherCircles.show = show;
    if (!show || !(radiusM > 0)) return this.render();
    const D = city.devices;
    const frame = new LocalFrame(city.origin);
    const ll = new Float64Array(2);
    const code = DEVICE_TYPES.indexOf('weather');
    for (let i = 0; i < D.count; i++) {
      if (D.typeCode[i] !== code || D.healthy[i] !== 1) continue;
      const pos: number[] = [];
      for (let k = 0; k <= 72; k++) {
        const a = (k / 72) * 2 * Math.PI;
        frame.toLngLat(D.xyM[2 * i]! + radiusM * Math.cos(a), D.xyM[2 * i + 1]! + radiusM * Math.sin(a), ll);
        pos.push(ll[0]!, ll[1]!, LINE_HEIGHT_M);
      }
      this.weatherCircles.add({ positions: Cartesian3.fromDegreesArrayHeights(pos), width: 3, material: Material.fromType('Color', { color: Color.fromCssColorString(STATE_COLORS.weather).withAlpha(0.9) }) });
    }
    this.render();
  }
}

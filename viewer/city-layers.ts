/**
 * Cesium primitives for a cim-twin city file (docs/city-format.md): extruded buildings coloured by use
 * (one batched primitive), and a plain ground layer: a ground plate under the city, key public areas
 * as translucent polygons by category, roads as lines coloured by class. Everything is batched: a city
 * of 15,000 buildings is four primitives, not thousands of entities. With `{ buildings: false }` the
 * buildings are left to the 3D Tiles tileset (buildings-tileset.ts) and only measured here (count,
 * extent for the ground plate and the camera).
 */
import {
  ArcType,
  BoundingSphere,
  Cartesian3,
  ColorGeometryInstanceAttribute,
  Ellipsoid,
  Color,
  ComponentDatatype,
  Geometry,
  GeometryAttribute,
  GeometryAttributes,
  GeometryInstance,
  PerInstanceColorAppearance,
  PolylineColorAppearance,
  PolylineGeometry,
  Primitive,
  PrimitiveType,
} from 'cesium';
import type { CityFeatureCollection } from '../sim-core/cim/city-file.ts';
import { ROAD_CLASSES, type RoadClass } from '../sim-core/cim/types.ts';
import { MeshBuilder, type MeshArrays, type Position } from './city-mesh.ts';
import { geodeticToEcef } from '../sim-core/geom/ecef.ts';
import { BUILDING_USE_COLORS, GROUND_COLOR, KEY_AREA_COLOR, ROAD_CLASS_COLORS, buildingUseKey } from './palette.ts';

const ROAD_WIDTH_PX: Record<RoadClass, number> = { expressway: 5, arterial: 4, secondary: 3, branch: 2, service: 1.5 };
/** Heights above the ellipsoid that keep the flat layers apart (the globe is the bare ellipsoid here). */
const GROUND_HEIGHT_M = 0.1;
const KEY_AREA_HEIGHT_M = 0.3;
const ROAD_HEIGHT_M = 0.6;
/** Margin of the ground plate around the city when the city has no scope polygon, metres. */
const GROUND_MARGIN_M = 150;

/** Options of {@link createCityLayers}. */
export interface CityLayerOptions {
  /** Mesh the buildings into a primitive (default true); false when they come from a tileset. */
  buildings?: boolean;
}

/** The primitives made for one city, and what the page needs to know about them. */
export interface CityLayers {
  /** Null when the buildings were not meshed ({@link CityLayerOptions.buildings} false). */
  buildings: Primitive | null;
  ground: Primitive;
  keyAreas: Primitive | null;
  roads: Primitive | null;
  /** Buildings that were meshed (degenerate footprints are left out and counted in `skippedBuildings`). */
  buildingCount: number;
  skippedBuildings: number;
  /** Building uses present in the city, by the colour key they were drawn with. */
  usesPresent: string[];
  /** Sphere around all buildings, for the camera. */
  boundingSphere: BoundingSphere;
}

type Feature = CityFeatureCollection['features'][number];

function polygonRings(feature: Feature): Position[][] | null {
  const g = feature.geometry;
  if (!g || g.type !== 'Polygon' || !Array.isArray(g.coordinates)) return null;
  return g.coordinates as Position[][];
}

function meshGeometry(mesh: MeshArrays): Geometry {
  const attributes = new GeometryAttributes();
  attributes.position = new GeometryAttribute({ componentDatatype: ComponentDatatype.DOUBLE, componentsPerAttribute: 3, values: mesh.positionsM });
  attributes.normal = new GeometryAttribute({ componentDatatype: ComponentDatatype.FLOAT, componentsPerAttribute: 3, values: mesh.normals });
  attributes.color = new GeometryAttribute({ componentDatatype: ComponentDatatype.UNSIGNED_BYTE, componentsPerAttribute: 4, normalize: true, values: mesh.colors });
  return new Geometry({
    attributes,
    indices: mesh.indices,
    primitiveType: PrimitiveType.TRIANGLES,
    boundingSphere: BoundingSphere.fromVertices(mesh.positionsM as unknown as number[]),
  });
}

function meshPrimitive(mesh: MeshArrays, appearance: PerInstanceColorAppearance): Primitive {
  return new Primitive({
    geometryInstances: new GeometryInstance({ geometry: meshGeometry(mesh) }),
    appearance,
    // A ready-made Geometry cannot be sent to Cesium's geometry workers; it is batched on this thread.
    asynchronous: false,
    allowPicking: false,
  });
}

/** Makes the primitives for a city file. They are not yet added to a scene. */
export function createCityLayers(city: CityFeatureCollection, options: CityLayerOptions = {}): CityLayers {
  const withBuildings = options.buildings !== false;
  let buildingCount = 0;
  let maxRoofM = 0;
  const origin = city.cimtwin.origin;
  const buildingMesh = new MeshBuilder(origin);
  const groundMesh = new MeshBuilder(origin);
  const areaMesh = new MeshBuilder(origin);
  const roadInstances: GeometryInstance[] = [];
  const uses = new Set<string>();
  let skipped = 0;
  let hasScopePlate = false;
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;

  for (const feature of city.features) {
    const props = feature.properties ?? {};
    switch (props.layer) {
      case 'building': {
        const rings = polygonRings(feature);
        const roofM = Number(props.roofM);
        const baseM = Number(props.baseM ?? 0);
        const useKey = buildingUseKey(props.use);
        if (rings && roofM > baseM && (!withBuildings || buildingMesh.addPrism(rings, baseM, roofM, BUILDING_USE_COLORS[useKey]))) {
          uses.add(useKey);
          buildingCount++;
          maxRoofM = Math.max(maxRoofM, roofM);
          for (const p of rings[0]) {
            if (p[0] < west) west = p[0];
            if (p[0] > east) east = p[0];
            if (p[1] < south) south = p[1];
            if (p[1] > north) north = p[1];
          }
        } else skipped++;
        break;
      }
      case 'key-area': {
        // One area may be a MultiPolygon (an OSM multipolygon park, a school on two plots).
        const g = feature.geometry;
        const rings = polygonRings(feature);
        if (rings) areaMesh.addFlat(rings, KEY_AREA_HEIGHT_M, KEY_AREA_COLOR);
        else if (g && g.type === 'MultiPolygon' && Array.isArray(g.coordinates)) {
          for (const polygon of g.coordinates as Position[][][]) areaMesh.addFlat(polygon, KEY_AREA_HEIGHT_M, KEY_AREA_COLOR);
        }
        break;
      }
      case 'scope': {
        // The urban area (城区) is the natural ground plate; other scopes nest inside it.
        const g = feature.geometry;
        if (props.scope === '城区' && g && g.type === 'MultiPolygon') {
          for (const polygon of g.coordinates as Position[][][]) hasScopePlate = groundMesh.addFlat(polygon, GROUND_HEIGHT_M, GROUND_COLOR) || hasScopePlate;
        }
        break;
      }
      case 'road-link': {
        const g = feature.geometry;
        if (!g || g.type !== 'LineString') break;
        const coords = g.coordinates as Position[];
        if (coords.length < 2) break;
        const roadClass: RoadClass = ROAD_CLASSES.includes(props.roadClass as RoadClass) ? (props.roadClass as RoadClass) : 'service';
        const positions = coords.map((p) => {
          const xyz = [0, 0, 0];
          geodeticToEcef(p[0], p[1], ROAD_HEIGHT_M, xyz);
          return new Cartesian3(xyz[0], xyz[1], xyz[2]);
        });
        roadInstances.push(
          new GeometryInstance({
            geometry: new PolylineGeometry({ positions, width: ROAD_WIDTH_PX[roadClass], arcType: ArcType.NONE, vertexFormat: PolylineColorAppearance.VERTEX_FORMAT }),
            attributes: { color: ColorGeometryInstanceAttribute.fromColor(Color.fromBytes(...ROAD_CLASS_COLORS[roadClass])) },
          }),
        );
        break;
      }
      default:
        break;
    }
  }

  const buildings = buildingMesh.finish();
  if (buildingCount === 0) throw new Error('the city has no drawable buildings');
  if (!hasScopePlate) {
    // A rectangle around the buildings, with a margin.
    const mLat = GROUND_MARGIN_M / 111_320;
    const mLon = mLat / Math.cos(((south + north) / 2) * (Math.PI / 180));
    groundMesh.addFlat([[[west - mLon, south - mLat], [east + mLon, south - mLat], [east + mLon, north + mLat], [west - mLon, north + mLat]]], GROUND_HEIGHT_M, GROUND_COLOR);
  }
  const areas = areaMesh.finish();
  return {
    buildings: withBuildings ? meshPrimitive(buildings, new PerInstanceColorAppearance({ flat: false, translucent: false, closed: true })) : null,
    ground: meshPrimitive(groundMesh.finish(), new PerInstanceColorAppearance({ flat: true, translucent: false })),
    keyAreas: areas.featureCount ? meshPrimitive(areas, new PerInstanceColorAppearance({ flat: true, translucent: true })) : null,
    roads: roadInstances.length
      ? new Primitive({ geometryInstances: roadInstances, appearance: new PolylineColorAppearance({ translucent: false }), allowPicking: false })
      : null,
    buildingCount,
    skippedBuildings: skipped,
    usesPresent: Object.keys(BUILDING_USE_COLORS).filter((u) => uses.has(u)),
    boundingSphere: withBuildings
      ? BoundingSphere.fromVertices(buildings.positionsM as unknown as number[])
      : BoundingSphere.fromPoints(
          [west, east].flatMap((lon) => [south, north].flatMap((lat) => [0, maxRoofM].map((h) => Cartesian3.fromDegrees(lon, lat, h, Ellipsoid.WGS84)))),
        ),
  };
}

/** The layers' primitives in drawing order (ground first). */
export function layerPrimitives(layers: CityLayers): Primitive[] {
  return [layers.ground, layers.keyAreas, layers.roads, layers.buildings].filter((p): p is Primitive => p !== null);
}

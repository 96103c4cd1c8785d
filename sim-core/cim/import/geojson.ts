/**
 * GeoJSON reader: plain GeoJSON (RFC 7946, and the 2008 `crs` member for the CRSs we read), cim-twin
 * city files, osmtogeojson-style OSM exports (tags as properties) and the Tilezen/Nextzen vector-tile
 * schema (`kind`, `kind_detail`, `tile_index`).
 *
 * Each feature goes to one layer: the `layer` property when it names one of ours (or the file's
 * `layer` option), else inferred (docs/importers.md, "Layer detection"). A feature that fits no layer
 * is skipped and counted; a feature that fits a layer but has bad data is an error.
 */
import { CimError, recordName } from '../errors.ts';
import { ROAD_CLASSES, ROAD_CLASS_ZH, SCOPE_KINDS, type RoadClass, type ScopeKind } from '../types.ts';
import { geojsonCrsMember } from './crs.ts';
import { propsFieldSource, readDevice, readIdValue } from './device-fields.ts';
import { readLines, readPoint, readPolygons, reverseLine, type GeometryContext } from './geometry.ts';
import { parseJsonText } from './json-text.ts';
import type { FileOptions } from './options.ts';
import type { Provenance } from './records.ts';
import { addKeyArea, BuildingCollector, CATEGORY_KEYS, chooseCrs, skip, type ReaderContext } from './reader.ts';
import { addRepair } from './report.ts';
import { HEIGHT_KEYS, LEVELS_KEYS, TILEZEN_KEY_AREA_KINDS, keyAreaCategoryFromTags, pick, roadAttributes, seedCategory } from './semantics.ts';
import { isBlank, readString } from './values.ts';

type Props = Record<string, unknown>;
interface Geometry {
  type: string;
  coordinates: unknown;
}
interface Feature {
  type: 'Feature';
  id?: unknown;
  geometry: Geometry | null;
  properties: Props | null;
}

/** Values of our `layer` property (the city file's, plus `road` and `signal` for plain inputs). */
const LAYER_VALUES: Record<string, NonNullable<FileOptions['layer']> | 'road-node'> = {
  building: 'building',
  'key-area': 'key-area',
  device: 'device',
  road: 'road',
  'road-link': 'road',
  'road-node': 'road-node',
  signal: 'signal',
  scope: 'scope',
};

const TILEZEN_ROAD_KINDS = new Set(['highway', 'major_road', 'minor_road', 'path', 'rail', 'ferry', 'aerialway', 'piste', 'racetrack', 'portage_way']);
const TILEZEN_SKIP_KINDS: Record<string, string> = {
  address: 'address point (Tilezen buildings layer)',
  entrance: 'building entrance point',
};
const DEVICE_TYPE_KEYS = ['deviceType', 'device_type', '设备类型'];
const SCOPE_KEYS = ['scope', '范围', '范围类型'];
const ROAD_CLASS_KEYS = ['roadClass', 'road_class', '道路等级'];

const isPoly = (g: Geometry) => g.type === 'Polygon' || g.type === 'MultiPolygon';
const isLine = (g: Geometry) => g.type === 'LineString' || g.type === 'MultiLineString';

function fileBase(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

/** Our road class from a `roadClass` value: an id (`arterial`) or its Chinese name (主干路). */
function explicitRoadClass(v: unknown): RoadClass | null {
  if (isBlank(v)) return null;
  const s = String(v).trim();
  if ((ROAD_CLASSES as readonly string[]).includes(s)) return s as RoadClass;
  for (const c of ROAD_CLASSES) if (ROAD_CLASS_ZH[c] === s) return c;
  return null;
}

/**
 * Reads GeoJSON text (or an already parsed object) into the sink. Throws {@link CimError} naming
 * file, feature and field on the first bad record.
 */
export function readGeoJSON(input: string | unknown, ctx: ReaderContext): void {
  const file = ctx.report.file;
  const json = typeof input === 'string' ? parseJsonText(input, file) : input;
  const root = json as { type?: unknown; features?: unknown; crs?: unknown };
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new CimError('not a GeoJSON object', { file, field: 'type' });
  let features: unknown[];
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features)) throw new CimError('a FeatureCollection needs a "features" array', { file, field: 'features' });
    features = root.features;
  } else if (root.type === 'Feature') features = [root];
  else throw new CimError(`expected a GeoJSON FeatureCollection or Feature, got type ${JSON.stringify(root.type)}`, { file, field: 'type' });
  const crs = chooseCrs(ctx, geojsonCrsMember(root.crs, file), 'file');

  const buildings = new BuildingCollector(ctx);
  features.forEach((raw, index) => {
    ctx.report.records++;
    const f = raw as Feature;
    const rawId = f && typeof f === 'object' ? (f.id ?? (f.properties && typeof f.properties === 'object' ? f.properties.id : undefined)) : undefined;
    const record = recordName('feature', index, rawId);
    try {
      readFeature(f, index, record);
    } catch (e) {
      if (e instanceof CimError) throw e.withLocation({ file, record });
      throw e;
    }
  });
  buildings.finish();
  const osm = features.some((f) => {
    const p = (f as Feature)?.properties;
    return !!p && (p.source === 'openstreetmap.org' || (typeof p['@id'] === 'string' && /^(node|way|relation)\//.test(p['@id'])));
  });
  if (osm) ctx.report.attribution.push('© OpenStreetMap contributors');

  function readFeature(f: Feature, index: number, record: string): void {
    if (!f || typeof f !== 'object' || f.type !== 'Feature') throw new CimError(`not a GeoJSON Feature (type ${JSON.stringify(f && (f as { type?: unknown }).type)})`, { field: 'type' });
    if (f.properties !== null && f.properties !== undefined && (typeof f.properties !== 'object' || Array.isArray(f.properties))) throw new CimError('properties must be an object or null', { field: 'properties' });
    const props: Props = f.properties ?? {};
    const g = f.geometry;
    if (g !== null && (typeof g !== 'object' || typeof g.type !== 'string')) throw new CimError('geometry must be a GeoJSON geometry object or null', { field: 'geometry' });
    const prov: Provenance = { file: ctx.report, record };
    const gc: GeometryContext = { file, record, crs };
    const tileIndex = typeof props.tile_index === 'number' ? props.tile_index : undefined;
    const idValue = readIdValue(f.id) ?? readIdValue(props.id) ?? readIdValue(props['@id']) ?? readIdValue(props['编号']);
    const id = () => {
      if (idValue !== undefined) return idValue;
      const gen = `${fileBase(file)}#${index}`;
      addRepair(ctx.report, 'generated-id', 'features had no id: id = file name # feature index', gen);
      return gen;
    };
    const consumedBase = ['layer', 'id', '@id', 'tile_index'];

    // The layer: forced by option, named by the `layer` property, or inferred.
    const layerProp = typeof props.layer === 'string' ? LAYER_VALUES[props.layer] : undefined;
    const layer = ctx.file.layer ?? layerProp ?? inferLayer(props, g);
    if (!layer) {
      skip(ctx, 'unrecognised', 'features that fit no layer: no geometry, or none of the properties that mark one (docs/importers.md, "Layer detection")', record);
      return;
    }
    if (typeof layer === 'object') {
      skip(ctx, layer.kind, layer.reason, record);
      return;
    }
    if (!g) throw new CimError(`a ${layer} feature needs a geometry`, { field: 'geometry' });

    switch (layer) {
      case 'building': {
        if (!isPoly(g)) {
          if (g.type === 'Point' && props.kind !== undefined) {
            skip(ctx, 'building-label-point', 'label points of building polygons (Tilezen)', record);
            return;
          }
          throw new CimError(`a building must be a Polygon or MultiPolygon, got ${g.type}`, { field: 'geometry.type' });
        }
        const polygons = readPolygons(g, gc);
        const useRaw = pick(props, ['use', '用途', 'kind_detail', 'building', 'building:part'])?.value;
        buildings.add(prov, id(), polygons, props, useRaw, [...consumedBase, 'name', 'use', 'roofM', 'baseM', 'heightSource'], tileIndex);
        return;
      }
      case 'key-area': {
        const categoryProp = pick(props, CATEGORY_KEYS);
        let category: string | null = categoryProp ? seedCategory(categoryProp.value) : null;
        if (!category) category = keyAreaCategoryFromTags(props) ?? (typeof props.kind === 'string' ? TILEZEN_KEY_AREA_KINDS[props.kind] ?? null : null);
        // A category outside the seed list is a user category, accepted when the layer is explicit.
        if (!category && categoryProp && (ctx.file.layer === 'key-area' || layerProp === 'key-area')) category = String(categoryProp.value).trim();
        if (!category) throw new CimError('a key area needs a category (机场车站, 旅游景点, 公园广场, 图书馆, 医院, 学校, 政务服务中心 or their ids, or a user category with layer "key-area")', { field: categoryProp?.key ?? 'category' });
        if (isPoly(g)) addKeyArea(ctx, prov, id(), { polygons: readPolygons(g, gc) }, category, props, consumedBase, tileIndex);
        else if (g.type === 'Point') addKeyArea(ctx, prov, id(), { point: readPoint(g, gc) }, category, props, consumedBase, tileIndex);
        else if (isLine(g)) skip(ctx, 'key-area-line', 'key-area features drawn as lines (not an area)', record);
        else throw new CimError(`a key area must be a Polygon, MultiPolygon or Point, got ${g.type}`, { field: 'geometry.type' });
        return;
      }
      case 'device': {
        const [lon, lat] = readPoint(g, gc);
        const osmCamera = props.man_made === 'surveillance';
        const p = osmCamera ? { ...props, type: props['surveillance:type'] === 'ALPR' ? 'epolice' : 'camera', heading: props['camera:direction'], tilt: props['camera:angle'] } : props;
        const rec = readDevice(propsFieldSource(p, consumedBase), lon, lat, prov, ctx.opts, idValue);
        ctx.sink.devices.push(rec);
        ctx.report.imported.devices++;
        return;
      }
      case 'road': {
        const lines = readLines(g, gc);
        const cls = explicitRoadClass(pick(props, ROAD_CLASS_KEYS)?.value);
        const attrs = cls ? roadAttributes(props, prov, cls) : roadAttributes(tilezenRoadTags(props), prov);
        if ('skip' in attrs) {
          if (attrs.kind === 'no-highway' && (ctx.file.layer === 'road' || layerProp === 'road')) {
            throw new CimError('a feature of the road layer needs a highway (OSM value) or roadClass (expressway/arterial/secondary/branch/service or 快速路/主干路/次干路/支路)', { field: 'roadClass' });
          }
          skip(ctx, attrs.kind, attrs.skip, record);
          return;
        }
        if (attrs.reverse) for (const l of lines) reverseLine(l);
        const name = pick(props, ['name', 'name:zh', '名称', '道路名称']);
        const attrsOut: Props = {};
        for (const k of Object.keys(props)) if (![...consumedBase, 'name', ...ROAD_CLASS_KEYS, 'lanes', 'speedLimitKph', 'oneway', 'from', 'to', 'lengthM'].includes(k)) attrsOut[k] = props[k];
        ctx.sink.roads.push({ prov, id: id(), lines, roadClass: attrs.roadClass, lanes: attrs.lanes, speedLimitMps: attrs.speedLimitMps, oneway: attrs.oneway, name: name ? readString(name.value) : null, attrs: attrsOut, tileIndex });
        ctx.report.imported.roads++;
        return;
      }
      case 'road-node': {
        if (props.signalized === true) {
          const [lon, lat] = readPoint(g, gc);
          ctx.sink.signals.push({ prov, id: id(), lonDeg: lon, latDeg: lat });
          ctx.report.imported.signals++;
        } else skip(ctx, 'road-node', 'road nodes without a signal (the road graph is rebuilt from the links)', record);
        return;
      }
      case 'signal': {
        const [lon, lat] = readPoint(g, gc);
        ctx.sink.signals.push({ prov, id: id(), lonDeg: lon, latDeg: lat });
        ctx.report.imported.signals++;
        return;
      }
      case 'scope': {
        const s = pick(props, SCOPE_KEYS);
        const kind = s ? String(s.value).trim() : '';
        if (!(SCOPE_KINDS as readonly string[]).includes(kind)) throw new CimError(`scope kind ${JSON.stringify(s?.value)} must be one of ${SCOPE_KINDS.join('、')}`, { field: s?.key ?? 'scope' });
        const name = pick(props, ['name', '名称']);
        const attrs: Props = {};
        for (const k of Object.keys(props)) if (![...consumedBase, 'name', ...SCOPE_KEYS].includes(k)) attrs[k] = props[k];
        ctx.sink.scopes.push({ prov, id: id(), kind: kind as ScopeKind, name: name ? readString(name.value) : null, polygons: readPolygons(g, gc), attrs });
        ctx.report.imported.scopes++;
        return;
      }
    }
  }

  // Polygons of every feature, kept by id for key-area label points (see OutlineRecord).
  features.forEach((raw, index) => {
    const f = raw as Feature;
    if (!f?.geometry || !isPoly(f.geometry)) return;
    const idValue = readIdValue(f.id) ?? readIdValue(f.properties?.id);
    if (idValue === undefined) return;
    const record = recordName('feature', index, idValue);
    try {
      ctx.sink.outlines.push({ prov: { file: ctx.report, record }, id: idValue, polygons: readPolygons(f.geometry, { file, record, crs }) });
    } catch {
      // Outlines only help key-area points find their polygon; a broken polygon in a feature that was
      // not imported is not this import's concern.
    }
  });
}

/** OSM-style tags of a road feature: its own `highway`, or Tilezen's `kind_detail` (= OSM highway). */
function tilezenRoadTags(props: Props): Props {
  if (!isBlank(props.highway)) return props;
  const kind = typeof props.kind === 'string' ? props.kind : '';
  if (kind === 'rail' || kind === 'ferry' || kind === 'aerialway' || kind === 'piste') return { ...props, highway: kind };
  return { ...props, highway: props.kind_detail ?? kind };
}

type Inferred = NonNullable<FileOptions['layer']> | { kind: string; reason: string } | undefined;

/** Layer detection for features without a `layer` (docs/importers.md). */
function inferLayer(props: Props, g: Geometry | null): Inferred {
  if (!g) return undefined;
  if (pick(props, SCOPE_KEYS) && (SCOPE_KINDS as readonly string[]).includes(String(pick(props, SCOPE_KEYS)!.value).trim()) && isPoly(g)) return 'scope';
  const cat = pick(props, CATEGORY_KEYS);
  if (cat && seedCategory(cat.value)) return 'key-area';
  if (pick(props, DEVICE_TYPE_KEYS) && g.type === 'Point') return 'device';
  if (g.type === 'Point' && props.man_made === 'surveillance') return 'device';
  if (g.type === 'Point' && (props.highway === 'traffic_signals' || props.kind === 'traffic_signals')) return 'signal';
  if (isLine(g) && (pick(props, ROAD_CLASS_KEYS) || !isBlank(props.highway))) return 'road';
  if (isPoly(g) && ((!isBlank(props.building) && props.building !== 'no') || !isBlank(props['building:part']) || pick(props, HEIGHT_KEYS) || pick(props, LEVELS_KEYS))) {
    // A hospital drawn with building=yes is still a building; its category goes on an area of its own.
    return 'building';
  }
  if (keyAreaCategoryFromTags(props)) return 'key-area';
  const kind = typeof props.kind === 'string' ? props.kind : undefined;
  if (kind) {
    if (kind === 'building' || kind === 'building_part') return 'building';
    if (TILEZEN_SKIP_KINDS[kind]) return { kind: `tilezen-${kind}`, reason: TILEZEN_SKIP_KINDS[kind] };
    if (TILEZEN_ROAD_KINDS.has(kind) && isLine(g)) return 'road';
    if (TILEZEN_KEY_AREA_KINDS[kind] && (isPoly(g) || g.type === 'Point')) return 'key-area';
    return { kind: 'not-a-city-layer', reason: `features of a kind that is not a city layer (Tilezen kind, e.g. ${kind})` };
  }
  return undefined;
}

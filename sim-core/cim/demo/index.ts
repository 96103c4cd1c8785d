/**
 * The embedded default city: a deterministic, seeded, synthetic demo district of central Weifang
 * (潍坊, 奎文区/潍城区, origin 119.16 E 36.71 N). Same seed and scale → the same city, byte for byte
 * after `cityToGeoJSON`. Buildings, roads, key public areas, scopes and devices are all generated;
 * the only real record is the national weather station 54843. See docs/default-city.md.
 *
 * ```ts
 * import { generateDefaultCity } from './sim-core/cim/demo/index.ts';
 * const city = generateDefaultCity();            // seed 20200608, ~51 km², 15,000+ buildings
 * const small = generateDefaultCity({ scale: 0.1 }); // ~5 km² for quick tests
 * ```
 */
import { CityBuilder } from '../builder.ts';
import { LocalFrame, type CityOrigin } from '../frame.ts';
import type { City } from '../types.ts';
import { mulberry32, type RandomFn } from '../../random.ts';
import { BuildingSink } from './buildings.ts';
import { anchorsOf, chooseLotUse, chooseWholeBlocks, districtOf, keyAreaRequests, slowBranchAt } from './catalogue.ts';
import { placeDevices, STATION_54843 } from './devices.ts';
import { fillLot, type FillContext } from './fill.ts';
import { rectRing } from './geometry.ts';
import { layoutArea, placeKeyAreas, type KeyAreaPlan } from './key-areas.ts';
import { lotsOfBlock, splitLot, type Lot } from './lots.ts';
import { UniqueNames } from './names.ts';
import { blockKey, buildRoadNet, planBlocks, planGrid, type Extents } from './roads.ts';
import { planScopes } from './scopes.ts';

export { DEMO_TARGETS, CAMERA_MODELS, STATION_54843, NR_SITE_SPACING_M, AREA_VIEW_TARGET } from './devices.ts';
export { ROAD_SPECS } from './roads.ts';
export { heightMix, HEIGHT_CLASSES, type HeightMix } from './stats.ts';

/** The default seed: 8 June 2020, the date the Weifang smart-city pilot plan was issued (seed 000). */
export const DEFAULT_SEED = 20200608;

/** Origin of the local frame: central Weifang. */
export const DEFAULT_ORIGIN: CityOrigin = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };

/** District extents at scale 1 (metres from the origin): about 8.5 km × 6 km. */
const BASE_EXTENTS = { xMin: -5000, xMax: 3500, yMin: -3000, yMax: 3000 };

export interface DefaultCityOptions {
  /** 32-bit unsigned integer; default {@link DEFAULT_SEED}. */
  seed?: number;
  /** Area factor of the district, 0.05–4 (1 = about 51 km² and 15,000+ buildings). */
  scale?: number;
}

/** Generates the default city. Throws RangeError on a bad seed or scale. */
export function generateDefaultCity(options: DefaultCityOptions = {}): City {
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be an integer 0–4294967295, got ${seed}`);
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0.05 || scale > 4) throw new RangeError(`scale must be a number from 0.05 to 4, got ${scale}`);

  // one independent stream per stage, so that a change in one stage does not reshuffle the others
  const master = mulberry32(seed);
  const stream = (): RandomFn => mulberry32(Math.floor(master() * 4294967296));
  const rGrid = stream(), rBlocks = stream(), rAreas = stream(), rLayout = stream(), rFill = stream(), rDevices = stream(), rScopes = stream();

  const k = Math.sqrt(scale);
  const ext: Extents = { xMin: BASE_EXTENTS.xMin * k, xMax: BASE_EXTENTS.xMax * k, yMin: BASE_EXTENTS.yMin * k, yMax: BASE_EXTENTS.yMax * k, k };
  const frame = new LocalFrame(DEFAULT_ORIGIN);

  // roads
  const grid = planGrid(rGrid, ext);
  const anchors = anchorsOf(grid);
  const whole = chooseWholeBlocks(grid, anchors);
  const blocks = planBlocks(rBlocks, grid, whole.all, slowBranchAt(anchors));
  const net = buildRoadNet(grid, blocks);

  // lots and key areas
  const lots: Lot[] = [];
  for (const b of blocks) {
    const own = lotsOfBlock(b);
    if (whole.civic === blockKey(b.i, b.j) && own.length === 1) lots.push(...splitLot(own[0], 'y', (b.interior.y0 + b.interior.y1) / 2));
    else lots.push(...own);
  }
  const { placed, free } = placeKeyAreas(rAreas, lots, keyAreaRequests(grid, anchors, whole, scale));
  const sink = new BuildingSink();
  const names = new UniqueNames();
  const areas: KeyAreaPlan[] = placed.map(({ request, lot }, i) => {
    const name = names.unique(typeof request.name === 'string' ? request.name : request.name(lot));
    const { open, buildings } = layoutArea({ sink, rand: rLayout, names }, request.layout, lot, name);
    return {
      id: `ka-${String(i + 1).padStart(3, '0')}`,
      name,
      category: request.category,
      layout: request.layout,
      r: lot.r,
      edgeKinds: lot.edge,
      inVideoSet: request.inVideoSet !== false,
      in5gSet: request.in5gSet !== false,
      attrs: { district: districtOf(anchors, (lot.r.x0 + lot.r.x1) / 2), ...request.attrs },
      open,
      buildings,
    };
  });

  // ordinary lots, in a fixed order
  const fill: FillContext = { sink, rand: rFill, names, supertallLeft: Math.max(1, Math.round(6 * scale)), cbdDistanceM: 0 };
  for (const lot of free) {
    fill.cbdDistanceM = Math.hypot((lot.r.x0 + lot.r.x1) / 2 - anchors.cbdX, (lot.r.y0 + lot.r.y1) / 2 - anchors.cbdY);
    fillLot(fill, lot, chooseLotUse(rFill, grid, anchors, lot));
  }
  const buildingIds = sink.specs.map((_, i) => `b-${String(i + 1).padStart(6, '0')}`);

  // the road network alone, so that intersection classes come from the CityBuilder's own rule
  const roadsOnly = new CityBuilder(DEFAULT_ORIGIN);
  for (const n of net.nodes) roadsOnly.addRoadNode(n);
  for (const l of net.links) roadsOnly.addRoadLink(l);
  const plan = placeDevices({ rand: rDevices, grid, anchors, net, roads: roadsOnly.build(), areas, buildings: sink.specs, buildingIds, frame, scale });

  const outside = plan.devices.filter((d) => d.type === 'weather').map((d): [number, number] => [d.xM, d.yM]);
  const scopes = planScopes(rScopes, grid, outside);

  const builder = new CityBuilder(DEFAULT_ORIGIN, {
    name: '潍坊中心城区示范区（合成数据）',
    synthetic: true,
    sources: [
      `cim-twin default-city generator (sim-core/cim/demo), seed ${seed}, scale ${scale}: a synthetic demo district of central Weifang (潍坊 奎文区/潍城区, origin 119.16 E 36.71 N). Every building, road, key public area, scope and device is generated, not surveyed; road, place and institution names are illustrative and do not mark where the real streets and institutions are.`,
      `Real: only the national basic weather station ${STATION_54843.wmoId} 潍坊 (${STATION_54843.latDeg} N, ${STATION_54843.lonDeg} E, ${STATION_54843.elevationM} m), position from the NOAA NCEI Integrated Surface Database station history (public domain).`,
      'Rules: road cross-sections after CJJ 37-2012 and GB 50220-95; camera detection ranges after IEC 62676-4 (DORI); device gaps aimed at the DB37/T 3890 Part 2 thresholds. See docs/default-city.md.',
    ],
    attribution: ['Weather station 54843: NOAA NCEI Integrated Surface Database station history (public domain)'],
  });
  sink.specs.forEach((s, i) => builder.addBuilding({ id: buildingIds[i], rings: [s.ring], baseM: s.baseM, roofM: s.roofM, use: s.use, name: s.name, attrs: s.attrs }));
  for (const n of net.nodes) builder.addRoadNode({ ...n, signalized: plan.signalizedNodeIds.has(n.id) });
  for (const l of net.links) builder.addRoadLink(l);
  for (const a of areas) builder.addKeyArea({ id: a.id, rings: [rectRing(a.r)], category: a.category, name: a.name, inVideoSet: a.inVideoSet, in5gSet: a.in5gSet, attrs: a.attrs });
  for (const s of scopes) builder.addScope(s);
  for (const d of plan.devices) builder.addDevice(d);
  return builder.build();
}

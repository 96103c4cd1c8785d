/**
 * A seeded synthetic city for coverage tests and benchmarks: a grid of blocks (arterials every fourth
 * line, secondary roads every second, 支路 between), blocks packed with rectangular buildings, some
 * blocks turned into key public areas (squares, parks, schools, hospitals) with a few buildings inside,
 * surveillance cameras around and inside the key areas and along streets, and e-police cameras at
 * important intersections facing their approaches. Deterministic for a given seed. Not a real city:
 * the default city of `sim-core/cim/demo` is the realistic one.
 */
import { CityBuilder } from '../cim/builder.ts';
import type { City, RoadClass } from '../cim/types.ts';
import { mulberry32 } from '../random.ts';

export interface SyntheticCityOptions {
  seed?: number;
  /** Blocks along x and y (default 6 × 6). */
  blocksX?: number;
  blocksY?: number;
  /** Grid pitch, metres (default 110). */
  pitchM?: number;
  /** Share of blocks that are key public areas (default 0.12). */
  keyAreaShare?: number;
  /** Surveillance cameras (default 60). */
  cameras?: number;
  /** Share of important-intersection approaches given an e-police camera (default 0.75). */
  epoliceShare?: number;
}

const CLASSES: { cls: RoadClass; lanes: number; kph: number }[] = [
  { cls: 'arterial', lanes: 6, kph: 60 },
  { cls: 'secondary', lanes: 4, kph: 50 },
  { cls: 'branch', lanes: 2, kph: 30 },
];
const lineClass = (k: number) => (k % 4 === 0 ? CLASSES[0] : k % 2 === 0 ? CLASSES[1] : CLASSES[2]);
const KEY_CATEGORIES = ['park_square', 'school', 'hospital', 'transport_hub', 'gov_service', 'library', 'tourist_site'];

/** Builds the synthetic city (see the module doc). */
export function syntheticCity(options: SyntheticCityOptions = {}): City {
  const seed = options.seed ?? 1;
  const nx = options.blocksX ?? 6, ny = options.blocksY ?? 6;
  const pitch = options.pitchM ?? 110;
  const keyShare = options.keyAreaShare ?? 0.12;
  const nCameras = options.cameras ?? 60;
  const epoliceShare = options.epoliceShare ?? 0.75;
  const rnd = mulberry32(seed);
  const b = new CityBuilder({ lonDeg: 119.16, latDeg: 36.71, heightM: 0 }, { name: `synthetic-${seed}-${nx}x${ny}`, synthetic: true, sources: [`sim-core/coverage/session-synthetic-city.ts seed ${seed}`] });

  // Road grid: node (i, j) at (i·pitch, j·pitch).
  const nodeId = (i: number, j: number) => `n${i}_${j}`;
  for (let j = 0; j <= ny; j++) for (let i = 0; i <= nx; i++) b.addRoadNode({ id: nodeId(i, j), xM: i * pitch, yM: j * pitch });
  for (let j = 0; j <= ny; j++) {
    const c = lineClass(j);
    for (let i = 0; i < nx; i++) b.addRoadLink({ id: `ew${i}_${j}`, fromId: nodeId(i, j), toId: nodeId(i + 1, j), roadClass: c.cls, lanes: c.lanes, speedLimitMps: c.kph / 3.6, xyM: [i * pitch, j * pitch, (i + 1) * pitch, j * pitch] });
  }
  for (let i = 0; i <= nx; i++) {
    const c = lineClass(i);
    for (let j = 0; j < ny; j++) b.addRoadLink({ id: `ns${i}_${j}`, fromId: nodeId(i, j), toId: nodeId(i, j + 1), roadClass: c.cls, lanes: c.lanes, speedLimitMps: c.kph / 3.6, xyM: [i * pitch, j * pitch, i * pitch, (j + 1) * pitch] });
  }

  // Blocks: key areas or packed buildings. The block interior keeps 12 m from road centrelines.
  const inset = 12;
  const keyBlocks: [number, number, number, number][] = [];
  let building = 0;
  const addBox = (x0: number, y0: number, x1: number, y1: number, roofM: number, use: string) => {
    b.addBuilding({ id: `b${building++}`, rings: [[x0, y0, x1, y0, x1, y1, x0, y1]], roofM, use });
  };
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const x0 = i * pitch + inset, y0 = j * pitch + inset, x1 = (i + 1) * pitch - inset, y1 = (j + 1) * pitch - inset;
      if (rnd() < keyShare) {
        const cat = KEY_CATEGORIES[Math.floor(rnd() * KEY_CATEGORIES.length)];
        b.addKeyArea({ id: `area${keyBlocks.length}`, rings: [[x0, y0, x1, y0, x1, y1, x0, y1]], category: cat, name: `区域${keyBlocks.length}`, inVideoSet: rnd() < 0.9 });
        keyBlocks.push([x0, y0, x1, y1]);
        // A few buildings inside (a school's teaching blocks, a park's pavilion).
        const inner = cat === 'park_square' || cat === 'tourist_site' ? 1 : 3;
        for (let k = 0; k < inner; k++) {
          const w = 8 + rnd() * 16, h = 8 + rnd() * 12;
          const bx = x0 + 6 + rnd() * (x1 - x0 - 12 - w), by = y0 + 6 + rnd() * (y1 - y0 - 12 - h);
          addBox(bx, by, bx + w, by + h, 4 + rnd() * 20, 'public');
        }
        continue;
      }
      // Packed block: a cols × rows grid of buildings with 6–10 m gaps.
      const cols = 2 + Math.floor(rnd() * 2), rows = 2 + Math.floor(rnd() * 3);
      const cw = (x1 - x0) / cols, rh = (y1 - y0) / rows;
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const gx = 3 + rnd() * 2, gy = 3 + rnd() * 2;
          addBox(x0 + c * cw + gx, y0 + r * rh + gy, x0 + (c + 1) * cw - gx, y0 + (r + 1) * rh - gy, 6 + rnd() * (rnd() < 0.15 ? 90 : 30), 'residential');
        }
      }
    }
  }

  // Surveillance cameras: 80% on the edges of key areas looking in, 20% along streets.
  for (let k = 0; k < nCameras; k++) {
    const ptz = rnd() < 0.1;
    const res = rnd();
    const attrs: Record<string, unknown> = {
      hfovDeg: Math.round(40 + rnd() * 50),
      resolutionPx: res < 0.1 ? [1280, 720] : res < 0.8 ? [1920, 1080] : [2560, 1440],
      ptz,
      ...(ptz ? { panRangeDeg: rnd() < 0.5 ? 360 : 180 } : {}),
    };
    let x: number, y: number, heading: number;
    if (keyBlocks.length && rnd() < 0.8) {
      const [x0, y0, x1, y1] = keyBlocks[Math.floor(rnd() * keyBlocks.length)];
      const side = Math.floor(rnd() * 4);
      const t = rnd();
      x = side === 0 ? x0 + 0.5 : side === 2 ? x1 - 0.5 : x0 + t * (x1 - x0);
      y = side === 1 ? y0 + 0.5 : side === 3 ? y1 - 0.5 : y0 + t * (y1 - y0);
      heading = (Math.atan2((x0 + x1) / 2 - x, (y0 + y1) / 2 - y) * 180) / Math.PI + (rnd() - 0.5) * 60;
    } else {
      const along = rnd() < 0.5;
      const line = Math.floor(rnd() * ((along ? ny : nx) + 1));
      const t = rnd() * (along ? nx : ny) * pitch;
      const off = (rnd() < 0.5 ? -1 : 1) * 9;
      x = along ? t : line * pitch + off;
      y = along ? line * pitch + off : t;
      heading = along ? (rnd() < 0.5 ? 90 : 270) : rnd() < 0.5 ? 0 : 180;
    }
    b.addDevice({ id: `cam${k}`, type: 'camera', xM: x, yM: y, heightM: 4 + rnd() * 6, headingDeg: ((heading % 360) + 360) % 360, tiltDeg: 10 + rnd() * 20, healthy: rnd() < 0.95, networked: rnd() < 0.9, attrs });
  }

  // E-police at the important intersections (all but 支路 × 支路 crossings and the degree-2 corners):
  // one camera per approach (share epoliceShare), 12 m back across the intersection, 6.5 m up, facing
  // the approach's stop line.
  let ep = 0;
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      if (lineClass(i).cls === 'branch' && lineClass(j).cls === 'branch') continue;
      if ((i === 0 || i === nx) && (j === 0 || j === ny)) continue;
      for (const [ux, uy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const ni = i + ux, nj = j + uy;
        if (ni < 0 || nj < 0 || ni > nx || nj > ny) continue;
        if (rnd() >= epoliceShare) continue;
        // Inbound lanes lie right of inbound drivers (travelling −u): right = (−uy, ux).
        const x = i * pitch - 12 * ux + 5 * -uy, y = j * pitch - 12 * uy + 5 * ux;
        const heading = (Math.atan2(ux, uy) * 180) / Math.PI;
        b.addDevice({ id: `ep${ep++}`, type: 'epolice', xM: x, yM: y, heightM: 6.5, headingDeg: (heading + 360) % 360, tiltDeg: 14, healthy: rnd() < 0.97, networked: true, attrs: { hfovDeg: 36, resolutionPx: [2448, 2048] } });
      }
    }
  }
  return b.build();
}

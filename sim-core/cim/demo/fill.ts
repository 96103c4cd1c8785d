/**
 * Fills ordinary lots with buildings: residential compounds (older 5–7-storey walk-ups and newer
 * slab and tower compounds), the historic low-rise quarter, the CBD's towers on podia, shopping
 * halls, mid-rise offices and industrial sheds. Every building is placed inside the lot's buildable
 * rectangle and inside its own box, so nothing overlaps by construction.
 *
 * Residential rows face south and keep a sunlight spacing behind each row: 1.5 × the height of the
 * southern building up to 24 m, then 36 m + 0.3 m per metre above 24 m. This is a simplification of
 * the 大寒日 two-hour sunlight rule applied in Shandong (real spacing is computed per site); fire
 * separation between buildings is at least 6 m for multi-storey and 13 m for high-rise buildings
 * (GB 50016), and teaching buildings keep 25 m between long facades (GB 50099).
 */
import { randomInt, randomPick, randomRange, type RandomFn } from '../../random.ts';
import { BuildingSink, packAlongX, packAlongY, STOREY_M } from './buildings.ts';
import { rectHeight, rectWidth, type Rect } from './geometry.ts';
import { buildableOf, frontEdge, NORTH, SOUTH, WEST, type Lot } from './lots.ts';
import { compoundName, towerName, type UniqueNames } from './names.ts';

export type LotUse = 'walkup' | 'modern' | 'oldtown' | 'cbd' | 'commercial' | 'office' | 'industrial';

export interface FillContext {
  sink: BuildingSink;
  rand: RandomFn;
  names: UniqueNames;
  /** Towers above 150 m still allowed (there are only a few in a city of this size). */
  supertallLeft: number;
  /** Distance of the lot from the CBD centre, metres. */
  cbdDistanceM: number;
}

/** Sunlight spacing behind a building of height `heightM` (see module doc). */
export function sunlightGapM(heightM: number): number {
  return heightM <= 24 ? Math.max(12, 1.5 * heightM) : 36 + 0.3 * (heightM - 24);
}

const weighted = <T>(rand: RandomFn, items: [T, number][]): T => {
  let r = rand() * items.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of items) if ((r -= w) < 0) return v;
  return items[items.length - 1][0];
};

/** A row of street shops along edge `edge` of `b`; returns what is left of `b` behind them. */
function shopRow(ctx: FillContext, b: Rect, edge: number, roadName: string | null): Rect {
  const { rand, sink } = ctx;
  const depth = randomRange(rand, 11, 15);
  const len = () => randomRange(rand, 16, 42);
  const gap = () => randomRange(rand, 6, 10);
  const add = (r: Rect) =>
    sink.add(r, { storeys: weighted(rand, [[1, 3], [2, 5], [3, 2]]), storeyM: STOREY_M.commercial, use: 'commercial', name: roadName && rand() < 0.3 ? `${roadName}沿街商铺` : null });
  const back = depth + 10;
  switch (edge) {
    case SOUTH:
      packAlongX(b.x0, b.x1, b.y0, b.y0 + depth, len, gap).forEach(add);
      return { ...b, y0: b.y0 + back };
    case NORTH:
      packAlongX(b.x0, b.x1, b.y1 - depth, b.y1, len, gap).forEach(add);
      return { ...b, y1: b.y1 - back };
    case WEST:
      packAlongY(b.y0, b.y1, b.x0, b.x0 + depth, len, gap).forEach(add);
      return { ...b, x0: b.x0 + back };
    default:
      packAlongY(b.y0, b.y1, b.x1 - depth, b.x1, len, gap).forEach(add);
      return { ...b, x1: b.x1 - back };
  }
}

interface RowKind {
  storeys: number;
  depthM: number;
  length: () => number;
  gapX: () => number;
  shape: 'rect' | 'chamfer' | 'l';
}

function walkupRow(rand: RandomFn): RowKind {
  const unit = randomRange(rand, 12, 14);
  return {
    storeys: weighted(rand, [[5, 2], [6, 6], [7, 2]]),
    depthM: randomRange(rand, 10, 12),
    length: () => unit * randomInt(rand, 3, 5),
    gapX: () => randomRange(rand, 8, 14),
    shape: 'rect',
  };
}

function modernRow(rand: RandomFn, towerShare: number): RowKind {
  const kind = weighted(rand, [['low', 0.3], ['high', 0.7 - towerShare], ['tower', towerShare]] as [string, number][]);
  if (kind === 'tower')
    return { storeys: randomInt(rand, 25, 33), depthM: randomRange(rand, 18, 22), length: () => randomRange(rand, 28, 38), gapX: () => randomRange(rand, 18, 30), shape: rand() < 0.5 ? 'chamfer' : 'rect' };
  if (kind === 'high')
    return { storeys: randomInt(rand, 11, 18), depthM: randomRange(rand, 13, 16), length: () => randomRange(rand, 42, 72), gapX: () => randomRange(rand, 13, 20), shape: 'rect' };
  return { storeys: randomInt(rand, 6, 9), depthM: randomRange(rand, 12, 15), length: () => randomRange(rand, 36, 60), gapX: () => randomRange(rand, 10, 16), shape: 'rect' };
}

/** South-facing rows of residential slabs with sunlight spacing; sheds between old rows. */
function residentialCompound(ctx: FillContext, lot: Lot, era: 'walkup' | 'modern'): void {
  const { rand, sink } = ctx;
  let b = buildableOf(lot);
  if (!b) return;
  const name = ctx.names.unique(compoundName(rand, era));
  const front = frontEdge(lot);
  if (front >= 0 && (lot.edge[front] === 'arterial' || lot.edge[front] === 'secondary') && rand() < 0.75) {
    const across = front === SOUTH || front === NORTH ? rectHeight(b) : rectWidth(b);
    if (across >= 110) b = shopRow(ctx, b, front, lot.edgeName[front]);
  }
  // newer compounds further from the old centre have more towers
  const towerShare = era === 'modern' ? Math.min(0.22, 0.05 + ctx.cbdDistanceM / 20000) : 0;
  let number = 1;
  let prevBottom = b.y1;
  let first = true;
  for (;;) {
    const row = era === 'walkup' ? walkupRow(rand) : modernRow(rand, towerShare);
    const storeyM = STOREY_M.residential;
    const heightM = row.storeys * storeyM + 0.9;
    const top = first ? b.y1 : prevBottom - sunlightGapM(heightM);
    const bottom = top - row.depthM;
    if (bottom < b.y0) break;
    const boxes = packAlongX(b.x0 + randomRange(rand, 0, 6), b.x1, bottom, top, row.length, row.gapX);
    for (const box of boxes) {
      sink.add(box, { storeys: row.storeys, storeyM, use: 'residential', name: `${name}${number++}号楼`, shape: row.shape, attrs: { era } });
    }
    // bicycle sheds and stores in the yards of older compounds
    const yard = prevBottom - top;
    if (!first && era === 'walkup' && yard >= 18 && rand() < 0.6) {
      const y0 = top + (yard - 5) / 2;
      for (const shed of packAlongX(b.x0 + randomRange(rand, 4, 12), b.x1, y0, y0 + 5, () => randomRange(rand, 12, 24), () => randomRange(rand, 10, 22))) {
        sink.add(shed, { storeys: 1, storeyM: 2.8, use: 'ancillary', name: null, roofExtraM: 0.3 });
      }
    }
    prevBottom = bottom;
    first = false;
  }
  // a kindergarten, a club house or a substation in the southern strip when it is deep enough
  const strip = prevBottom - b.y0;
  if (!first && strip >= 34) {
    const w = Math.min(rectWidth(b) - 10, randomRange(rand, 36, 50));
    const x0 = b.x0 + randomRange(rand, 0, Math.max(0, rectWidth(b) - w));
    const y1 = prevBottom - 12;
    const h = Math.min(randomRange(rand, 20, 28), y1 - b.y0);
    if (w > 12 && h > 10) {
      const kinder = rand() < 0.5;
      sink.add({ x0, y0: y1 - h, x1: x0 + w, y1 }, { storeys: kinder ? 3 : 2, storeyM: kinder ? 3.6 : 4.0, use: kinder ? 'kindergarten' : 'commercial', name: kinder ? `${name}幼儿园` : `${name}会所`, shape: rand() < 0.4 ? 'l' : 'rect', corner: randomInt(rand, 0, 3) });
    }
  } else if (!first && strip >= 14) {
    const x0 = b.x0 + randomRange(rand, 0, Math.max(0, rectWidth(b) - 12));
    if (x0 + 10 <= b.x1) sink.add({ x0, y0: b.y0, x1: x0 + 10, y1: b.y0 + 7 }, { storeys: 1, storeyM: 4, use: 'ancillary', name: `${name}配电室`, roofExtraM: 0.3 });
  }
}

/** Courtyard houses of one or two storeys along narrow lanes (胡同), the historic quarter. */
function oldTown(ctx: FillContext, lot: Lot): void {
  const { rand, sink } = ctx;
  const b = buildableOf(lot);
  if (!b) return;
  let y = b.y0;
  for (;;) {
    const h = randomRange(rand, 8, 11);
    if (y + h > b.y1) break;
    let x = b.x0 + randomRange(rand, 0, 3);
    for (;;) {
      const w = randomRange(rand, 9, 14);
      if (x + w > b.x1) break;
      if (rand() > 0.12) {
        const shop = (y === b.y0 || x + w + 14 > b.x1) && rand() < 0.3;
        sink.add({ x0: x, y0: y, x1: x + w, y1: y + h }, { storeys: shop ? 2 : weighted(rand, [[1, 7], [2, 3]]), storeyM: STOREY_M.historic, use: shop ? 'commercial' : 'residential', name: null, roofExtraM: 1.5, attrs: { era: 'historic' } });
      }
      x += w + randomRange(rand, 2.5, 4);
    }
    y += h + randomRange(rand, 3, 4.5);
  }
}

/** Office and hotel towers on shopping podia, and mid-rise offices, near the CBD centre. */
function cbd(ctx: FillContext, lot: Lot): void {
  const { rand, sink } = ctx;
  const b = buildableOf(lot);
  if (!b) return;
  const cellsX = Math.max(1, Math.floor((rectWidth(b) + 20) / 115));
  const cellsY = Math.max(1, Math.floor((rectHeight(b) + 20) / 105));
  const cw = (rectWidth(b) - 20 * (cellsX - 1)) / cellsX;
  const ch = (rectHeight(b) - 20 * (cellsY - 1)) / cellsY;
  for (let cy = 0; cy < cellsY; cy++) {
    for (let cx = 0; cx < cellsX; cx++) {
      const x0 = b.x0 + cx * (cw + 20), y0 = b.y0 + cy * (ch + 20);
      const cell = { x0, y0, x1: x0 + cw, y1: y0 + ch };
      if (cw < 40 || ch < 35) continue;
      if (rand() < 0.75) {
        const mx = randomRange(rand, 0, cw * 0.15), my = randomRange(rand, 0, ch * 0.15);
        const podium = { x0: cell.x0 + mx, y0: cell.y0 + my, x1: cell.x1 - randomRange(rand, 0, cw * 0.15), y1: cell.y1 - randomRange(rand, 0, ch * 0.15) };
        const podiumStoreys = randomInt(rand, 3, 5);
        const name = ctx.names.unique(towerName(rand));
        const podiumRoofM = podiumStoreys * 5.0 + 0.6;
        sink.add(podium, { storeys: podiumStoreys, storeyM: 5.0, use: 'commercial', name: `${name}裙楼`, roofExtraM: 0.6 });
        const side = Math.min(rectWidth(podium), rectHeight(podium)) * randomRange(rand, 0.55, 0.8);
        const tw = Math.min(side * randomRange(rand, 1, 1.3), rectWidth(podium) - 4);
        const tx = podium.x0 + (rectWidth(podium) - tw) * randomRange(rand, 0.2, 0.8);
        const ty = podium.y0 + (rectHeight(podium) - side) * randomRange(rand, 0.2, 0.8);
        let total = randomInt(rand, 20, ctx.cbdDistanceM < 600 ? 38 : 30);
        if (ctx.cbdDistanceM < 600 && ctx.supertallLeft > 0 && rand() < 0.35) {
          total = randomInt(rand, 38, 47); // 38–47 storeys: about 155–195 m
          ctx.supertallLeft--;
        }
        const office = rand() < 0.7;
        sink.add({ x0: tx, y0: ty, x1: tx + tw, y1: ty + side }, {
          storeys: total - podiumStoreys,
          storeyM: STOREY_M.office,
          baseM: podiumRoofM, // the tower part stands on the podium roof
          use: office ? 'office' : 'hotel',
          name,
          shape: rand() < 0.5 ? 'chamfer' : 'rect',
          roofExtraM: 3,
          attrs: { totalStoreys: total },
        });
      } else {
        const h = Math.min(ch, randomRange(rand, 20, 26));
        const y = cell.y0 + randomRange(rand, 0, ch - h);
        sink.add({ x0: cell.x0, y0: y, x1: cell.x0 + Math.min(cw, randomRange(rand, 45, 75)), y1: y + h }, { storeys: randomInt(rand, 8, 16), storeyM: STOREY_M.office, use: 'office', name: ctx.names.unique(towerName(rand)) });
      }
    }
  }
}

/** Shopping halls, markets and shop clusters. */
function commercial(ctx: FillContext, lot: Lot): void {
  const { rand, sink } = ctx;
  const b = buildableOf(lot);
  if (!b) return;
  const cells = packAlongX(b.x0, b.x1, b.y0, b.y1, () => randomRange(rand, 60, 95), () => randomRange(rand, 12, 18));
  for (const col of cells) {
    for (const cell of packAlongY(col.y0, col.y1, col.x0, col.x1, () => randomRange(rand, 50, 80), () => randomRange(rand, 12, 18))) {
      if (rand() < 0.5 && rectWidth(cell) > 30 && rectHeight(cell) > 30) {
        sink.add(cell, { storeys: randomInt(rand, 2, 5), storeyM: 5.0, use: 'commercial', name: rand() < 0.5 ? ctx.names.unique(`${randomPick(rand, ['银座', '佳乐家', '百货', '泰华', '振华', '中百', '利群'])}${randomPick(rand, ['商城', '购物中心', '市场', '广场'])}`) : null, shape: rand() < 0.3 ? 'l' : 'rect', corner: randomInt(rand, 0, 3) });
      } else {
        for (const shop of packAlongX(cell.x0, cell.x1, cell.y0, cell.y1, () => randomRange(rand, 14, 26), () => randomRange(rand, 6, 9))) {
          const h = Math.min(rectHeight(shop), randomRange(rand, 12, 22));
          sink.add({ ...shop, y1: shop.y0 + h }, { storeys: randomInt(rand, 2, 3), storeyM: STOREY_M.commercial, use: 'commercial', name: null });
        }
      }
    }
  }
}

/** Rows of mid-rise office slabs. */
function offices(ctx: FillContext, lot: Lot): void {
  const { rand, sink } = ctx;
  const b = buildableOf(lot);
  if (!b) return;
  let top = b.y1;
  for (;;) {
    const depth = randomRange(rand, 18, 24);
    if (top - depth < b.y0) break;
    for (const box of packAlongX(b.x0, b.x1, top - depth, top, () => randomRange(rand, 40, 70), () => randomRange(rand, 13, 20))) {
      sink.add(box, { storeys: randomInt(rand, 8, 20), storeyM: STOREY_M.office, use: 'office', name: rand() < 0.5 ? ctx.names.unique(towerName(rand)) : null, shape: rand() < 0.25 ? 'l' : 'rect', corner: randomInt(rand, 0, 3) });
    }
    top -= depth + randomRange(rand, 25, 32);
  }
}

/** Factory and warehouse sheds with a small office block. */
function industrial(ctx: FillContext, lot: Lot): void {
  const { rand, sink } = ctx;
  const b = buildableOf(lot);
  if (!b) return;
  let top = b.y1;
  let first = true;
  for (;;) {
    const depth = first ? randomRange(rand, 14, 18) : randomRange(rand, 24, 55);
    if (top - depth < b.y0) break;
    for (const box of packAlongX(b.x0, b.x1, top - depth, top, () => (first ? randomRange(rand, 30, 50) : randomRange(rand, 40, 110)), () => randomRange(rand, 12, 18))) {
      if (first) sink.add(box, { storeys: randomInt(rand, 3, 5), storeyM: STOREY_M.office, use: 'office', name: null });
      else sink.add(box, { storeys: randomInt(rand, 1, 2), storeyM: STOREY_M.industrial, use: 'industrial', name: null, roofExtraM: 1.5 });
    }
    top -= depth + randomRange(rand, 14, 20);
    first = false;
  }
}

/** Fills one lot according to its use. */
export function fillLot(ctx: FillContext, lot: Lot, use: LotUse): void {
  switch (use) {
    case 'walkup':
    case 'modern':
      return residentialCompound(ctx, lot, use);
    case 'oldtown':
      return oldTown(ctx, lot);
    case 'cbd':
      return cbd(ctx, lot);
    case 'commercial':
      return commercial(ctx, lot);
    case 'office':
      return offices(ctx, lot);
    case 'industrial':
      return industrial(ctx, lot);
  }
}


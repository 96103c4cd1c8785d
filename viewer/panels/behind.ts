/**
 * What lies behind a simulated indicator row: the key areas, intersections or devices that keep it from
 * the next star (uncovered areas, uncovered intersections, cameras off the network, intersections
 * without real-time signal timing), worst first, and where each is (for the highlight and the fly-to).
 * Pure: reads the session's results, the device list and the city.
 */
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { tablePolygonBBox } from '../../sim-core/geom/polygon.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import type { DeviceFeature } from '../api/client.ts';
import type { HighlightTarget } from '../workbench/context.ts';

/** One thing behind a row. */
export interface BehindItem {
  kind: 'area' | 'intersection' | 'device';
  id: string;
  /** Covered share, percent (areas: samples; intersections: approaches); null for a device. */
  coveredPercent: number | null;
}

export interface Behind {
  rowId: string;
  /** The highlight: every item. */
  target: HighlightTarget;
  /** Worst first (least covered). */
  items: BehindItem[];
}

/** Rows that can show what is behind them. */
export const ROWS_WITH_BEHIND = ['video_completeness', 'video_networking', 'epolice_coverage', 'nr5g_key_area_coverage', 'signal_realtime_timing'] as const;

function byWorst(a: BehindItem, b: BehindItem): number {
  return (a.coveredPercent ?? 0) - (b.coveredPercent ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The items behind `rowId`, or null for a row that has none to show. `signalWithout` are the important
 * intersections without real-time timing (from {@link deviceListValues}).
 */
export function behindRow(rowId: string, results: SessionSnapshotBody | null, devices: readonly DeviceFeature[], signalWithout: readonly string[] = []): Behind | null {
  let items: BehindItem[];
  switch (rowId) {
    case 'video_completeness':
      items = (results?.video.areas ?? []).filter((a) => a.inVideoSet && !a.covered).map((a) => ({ kind: 'area' as const, id: a.id, coveredPercent: a.coveredPercent }));
      break;
    case 'nr5g_key_area_coverage':
      items = (results?.nr5g?.areas ?? []).filter((a) => !a.covered).map((a) => ({ kind: 'area' as const, id: a.id, coveredPercent: a.coveredPercent }));
      break;
    case 'epolice_coverage':
      items = (results?.video.intersections ?? [])
        .filter((x) => !x.covered)
        .map((x) => ({ kind: 'intersection' as const, id: x.nodeId, coveredPercent: x.approaches ? (100 * x.coveredApproaches) / x.approaches : 0 }));
      break;
    case 'video_networking':
      items = devices.filter((d) => d.properties.deviceType === 'camera' && d.properties.networked === false).map((d) => ({ kind: 'device' as const, id: d.id, coveredPercent: null }));
      break;
    case 'signal_realtime_timing':
      items = signalWithout.map((id) => ({ kind: 'intersection' as const, id, coveredPercent: 0 }));
      break;
    default:
      return null;
  }
  items.sort(byWorst);
  const target: HighlightTarget = {};
  const areas = items.filter((i) => i.kind === 'area').map((i) => i.id);
  const xs = items.filter((i) => i.kind === 'intersection').map((i) => i.id);
  const ds = items.filter((i) => i.kind === 'device').map((i) => i.id);
  if (areas.length) target.areaIds = areas;
  if (xs.length) target.intersectionIds = xs;
  if (ds.length) target.deviceIds = ds;
  return { rowId, target, items };
}

/** Where an item is, lon/lat degrees (a key area: the centre of its bounding box), or null when unknown. */
export function locateItem(city: City, devices: readonly DeviceFeature[], item: BehindItem): { lonDeg: number; latDeg: number } | null {
  const frame = new LocalFrame(city.origin);
  const ll = (x: number, y: number) => {
    const p = frame.toLngLat(x, y);
    return { lonDeg: p[0]!, latDeg: p[1]! };
  };
  if (item.kind === 'area') {
    const a = city.keyAreas.ids.indexOf(item.id);
    if (a < 0) return null;
    const bb = new Float64Array(4);
    tablePolygonBBox(city.keyAreas.ringStart, city.keyAreas.vertexStart, city.keyAreas.xyM, a, bb);
    return ll((bb[0]! + bb[2]!) / 2, (bb[1]! + bb[3]!) / 2);
  }
  if (item.kind === 'intersection') {
    const n = city.roadNodes.ids.indexOf(item.id);
    return n < 0 ? null : ll(city.roadNodes.xyM[2 * n]!, city.roadNodes.xyM[2 * n + 1]!);
  }
  const d = devices.find((x) => x.id === item.id);
  const c = d?.geometry.coordinates;
  return c && c.length >= 2 ? { lonDeg: c[0]!, latDeg: c[1]! } : null;
}

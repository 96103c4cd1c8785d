import { describe, expect, it } from 'vitest';
import { buildRoadGraph, VertexSnapper } from './road-graph.ts';

describe('VertexSnapper', () => {
  it('merges points within the tolerance and keeps farther ones apart, across cell borders', () => {
    const s = new VertexSnapper(0.5);
    const a = s.add(10, 10);
    expect(s.add(10.4, 10)).toBe(a); // 0.4 m: same vertex
    expect(s.add(10.49, 10.0)).toBe(a); // other side of a cell border (cells are 0.5 m)
    expect(s.add(10.6, 10)).not.toBe(a); // 0.6 m: a new vertex
    expect(s.add(-0.2, -0.2)).toBe(s.add(0.1, 0.1)); // across the origin, 0.42 m apart
    expect(s.find(100, 100)).toBe(-1);
  });

  it('prefers the nearest vertex, then the earlier one', () => {
    const s = new VertexSnapper(1);
    const a = s.add(0, 0);
    const b = s.add(1.5, 0);
    expect(s.find(0.8, 0)).toBe(b); // 0.7 m from b, 0.8 m from a
    expect(s.find(0.75, 0)).toBe(a); // a tie goes to the earlier vertex
  });
});

describe('buildRoadGraph', () => {
  it('splits ways at shared vertices and ends, not at crossings without a shared vertex', () => {
    // An east-west road, a north-south road sharing its middle vertex, and a bridge crossing the
    // east-west road between vertices (no shared vertex: not connected, as in OSM).
    const ew = [[-100, 0, 0, 0, 100, 0]];
    const ns = [[0, -100, 0.3, 0, 0, 100]]; // 0.3 m off: snapped onto (0, 0)
    const bridge = [[50, -50, 50, 50]];
    const g = buildRoadGraph([ew, ns, bridge], [], 0.5, 20);
    expect(g.nodeXyM.length / 2).toBe(7);
    expect(g.links.map((l) => l.way)).toEqual([0, 0, 1, 1, 2]);
    const centre = g.links[0].to;
    expect(g.links.filter((l) => l.from === centre || l.to === centre)).toHaveLength(4);
    expect(g.links[2].xyM).toEqual([0, -100, 0, 0]); // the snapped vertex takes the first position seen
    expect(g.links[4].from).not.toBe(centre);
  });

  it('marks a signal on an interior vertex by splitting the way there, and one off the road by the nearest node', () => {
    const road = [[0, 0, 50, 0, 100, 0]];
    const g = buildRoadGraph([road], [50.2, 0.1, 95, 12, 300, 300], 0.5, 20);
    expect(g.links).toHaveLength(2); // split at the signal vertex
    const mid = g.links[0].to;
    expect(g.signalNode[0]).toBe(mid);
    expect(g.signalDistanceM[0]).toBeCloseTo(Math.hypot(0.2, 0.1), 9);
    expect(g.signalNode[1]).toBe(g.links[1].to); // 13 m from the east end
    expect(g.signalDistanceM[1]).toBeCloseTo(13, 9);
    expect(g.signalNode[2]).toBe(-1);
  });

  it('drops consecutive duplicates and reports ways that collapse to a point', () => {
    const g = buildRoadGraph([[[0, 0, 0.1, 0, 0.2, 0]], [[0, 10, 0, 10, 0, 20]]], [], 0.5, 20);
    expect(g.degenerateWays).toEqual([0]);
    expect(g.links).toHaveLength(1);
    expect(g.links[0].xyM).toEqual([0, 10, 0, 20]);
  });

  it('closes a ring road on itself', () => {
    const ring = [[0, 0, 10, 0, 10, 10, 0, 10, 0, 0]];
    const g = buildRoadGraph([ring], [], 0.5, 20);
    expect(g.links).toHaveLength(1);
    expect(g.links[0].from).toBe(g.links[0].to);
  });
});

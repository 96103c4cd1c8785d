/**
 * Triangle meshes of buildings for tile content, in the ENU frame at the city origin (metres, z up):
 * LoD1 prisms extruded from the footprints of a {@link BuildingTable} (walls, roof, and a floor
 * for parts that stand above the ground), and boundary surfaces as read from CityJSON LoD2 (roofs,
 * walls). Flat-shaded: every wall quad and every surface has its own vertices with one normal.
 * Polygons (roofs, floors, LoD2 surfaces with holes) are triangulated by earcut; triangles wind
 * counter-clockwise seen from outside, so back faces can be culled. Each vertex carries the
 * tile-local feature id of its building (EXT_mesh_features `_FEATURE_ID_0`).
 *
 * Arrays grow by doubling and are written in place; no per-vertex allocation.
 */
import earcut from 'earcut';
import type { BuildingTable } from '../sim-core/cim/types.ts';
import type { LocalToEnu } from './ecef.ts';

/** Kinds of boundary surfaces (CityJSON semantic surface types, grouped). */
export const SURFACE_KINDS = ['roof', 'wall', 'ground', 'other'] as const;
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/**
 * Boundary surfaces of one building (LoD2 from CityJSON), in the city's local frame: x, y in the
 * city plane (metres), z metres above the building's local ground. Polygon p has rings
 * `polygonStart[p] … polygonStart[p+1]-1` (outer first, then holes); ring r has vertices
 * `ringStart[r] … ringStart[r+1]-1` of `xyzM`; rings are open.
 */
export interface BuildingSurfaces {
  xyzM: Float64Array;
  polygonStart: Uint32Array;
  ringStart: Uint32Array;
  /** Per polygon: index into {@link SURFACE_KINDS}. */
  kind: Uint8Array;
  /** The CityJSON level of detail the surfaces come from, e.g. "2.2". */
  lod: string;
}

/** A finished mesh in the ENU frame. */
export interface MeshArrays {
  /** Interleaved ENU x, y, z, metres (doubles: the tile writer rebases them on the tile centre). */
  positionsM: Float64Array;
  /** Interleaved unit normals, ENU axes. */
  normals: Float32Array;
  /** Per vertex: tile-local feature id. */
  featureIds: Uint32Array;
  /** Triangle list, counter-clockwise seen from outside. */
  indices: Uint32Array;
  vertexCount: number;
  /** [minX, minY, minZ, maxX, maxY, maxZ] of the positions (ENU metres). */
  bounds: Float64Array;
}

/** A growable typed array. */
class Grow<T extends Float64Array | Float32Array | Uint32Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.data = make(capacity);
  }
  reserve(extra: number): T {
    const need = this.length + extra;
    if (need > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < need) cap *= 2;
      const next = this.make(cap);
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    return this.data;
  }
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}

const EPS_AREA = 1e-12;

/** Builds one mesh (one tile's content) building by building. */
export class MeshBuilder {
  private readonly pos = new Grow((n) => new Float64Array(n), 3 * 4096);
  private readonly nrm = new Grow((n) => new Float32Array(n), 3 * 4096);
  private readonly fid = new Grow((n) => new Uint32Array(n), 4096);
  private readonly idx = new Grow((n) => new Uint32Array(n), 3 * 4096);
  private vertexCount = 0;
  // scratch, per building
  private ground = new Float64Array(3 * 64);
  private up = new Float64Array(3 * 64);
  private flat: number[] = [];
  private holes: number[] = [];

  constructor(private readonly toEnu: LocalToEnu) {}

  private scratch(n: number): void {
    if (this.ground.length < 3 * n) {
      this.ground = new Float64Array(6 * n);
      this.up = new Float64Array(6 * n);
    }
  }

  private vertex(x: number, y: number, z: number, nx: number, ny: number, nz: number, feature: number): number {
    const p = this.pos.reserve(3), q = this.nrm.reserve(3), f = this.fid.reserve(1);
    const v = this.vertexCount++;
    p[3 * v] = x;
    p[3 * v + 1] = y;
    p[3 * v + 2] = z;
    q[3 * v] = nx;
    q[3 * v + 1] = ny;
    q[3 * v + 2] = nz;
    f[v] = feature;
    this.pos.length += 3;
    this.nrm.length += 3;
    this.fid.length += 1;
    return v;
  }

  private triangle(a: number, b: number, c: number): void {
    const t = this.idx.reserve(3);
    const n = this.idx.length;
    t[n] = a;
    t[n + 1] = b;
    t[n + 2] = c;
    this.idx.length += 3;
  }

  /**
   * Adds building `i` of `table` as a prism from `baseM` to `roofM` above the ground. Returns false
   * (and adds nothing) when the footprint cannot be triangulated.
   */
  addPrism(table: BuildingTable, i: number, feature: number): boolean {
    const r0 = table.ringStart[i], r1 = table.ringStart[i + 1];
    const v0 = table.vertexStart[r0], vEnd = table.vertexStart[r1];
    const n = vEnd - v0;
    if (n < 3) return false;
    this.scratch(n);
    const g = this.ground, u = this.up, xy = table.xyM;
    for (let v = v0; v < vEnd; v++) this.toEnu.groundAndUp(xy[2 * v], xy[2 * v + 1], g, u, 3 * (v - v0));

    // Roof (and floor) triangulation in the plane, relative to the first vertex for precision.
    const flat = this.flat, holes = this.holes;
    flat.length = 0;
    holes.length = 0;
    const x0 = xy[2 * v0], y0 = xy[2 * v0 + 1];
    for (let v = v0; v < vEnd; v++) flat.push(xy[2 * v] - x0, xy[2 * v + 1] - y0);
    for (let r = r0 + 1; r < r1; r++) holes.push(table.vertexStart[r] - v0);
    const tris = earcut(flat, holes.length ? holes : undefined, 2);
    if (tris.length === 0) return false;

    const baseM = table.baseM[i], roofM = table.roofM[i];
    // walls: the solid lies left of every ring edge (outer rings CCW, holes CW), so outside is right
    for (let r = r0; r < r1; r++) {
      const a0 = table.vertexStart[r] - v0, aEnd = table.vertexStart[r + 1] - v0;
      for (let a = a0; a < aEnd; a++) {
        const b = a + 1 === aEnd ? a0 : a + 1;
        this.wall(a, b, baseM, roofM, feature);
      }
    }
    // roof: one vertex per footprint vertex, normal = local vertical
    const roofFirst = this.vertexCount;
    for (let k = 0; k < n; k++) {
      const o = 3 * k;
      this.vertex(g[o] + roofM * u[o], g[o + 1] + roofM * u[o + 1], g[o + 2] + roofM * u[o + 2], u[o], u[o + 1], u[o + 2], feature);
    }
    for (let t = 0; t < tris.length; t += 3) {
      const a = tris[t], b = tris[t + 1], c = tris[t + 2];
      const cross = (flat[2 * b] - flat[2 * a]) * (flat[2 * c + 1] - flat[2 * a + 1]) - (flat[2 * b + 1] - flat[2 * a + 1]) * (flat[2 * c] - flat[2 * a]);
      if (Math.abs(cross) < EPS_AREA) continue;
      if (cross > 0) this.triangle(roofFirst + a, roofFirst + b, roofFirst + c);
      else this.triangle(roofFirst + a, roofFirst + c, roofFirst + b);
    }
    // floor, only for parts standing above the ground (a floor on the ground is never seen)
    if (baseM > 0) {
      const floorFirst = this.vertexCount;
      for (let k = 0; k < n; k++) {
        const o = 3 * k;
        this.vertex(g[o] + baseM * u[o], g[o + 1] + baseM * u[o + 1], g[o + 2] + baseM * u[o + 2], -u[o], -u[o + 1], -u[o + 2], feature);
      }
      for (let t = 0; t < tris.length; t += 3) {
        const a = tris[t], b = tris[t + 1], c = tris[t + 2];
        const cross = (flat[2 * b] - flat[2 * a]) * (flat[2 * c + 1] - flat[2 * a + 1]) - (flat[2 * b + 1] - flat[2 * a + 1]) * (flat[2 * c] - flat[2 * a]);
        if (Math.abs(cross) < EPS_AREA) continue;
        if (cross > 0) this.triangle(floorFirst + a, floorFirst + c, floorFirst + b);
        else this.triangle(floorFirst + a, floorFirst + b, floorFirst + c);
      }
    }
    return true;
  }

  /** One wall quad between scratch vertices a → b (solid on the left). */
  private wall(a: number, b: number, baseM: number, roofM: number, feature: number): void {
    const g = this.ground, u = this.up;
    const ia = 3 * a, ib = 3 * b;
    const abx = g[ia] + baseM * u[ia], aby = g[ia + 1] + baseM * u[ia + 1], abz = g[ia + 2] + baseM * u[ia + 2];
    const bbx = g[ib] + baseM * u[ib], bby = g[ib + 1] + baseM * u[ib + 1], bbz = g[ib + 2] + baseM * u[ib + 2];
    const atx = g[ia] + roofM * u[ia], aty = g[ia + 1] + roofM * u[ia + 1], atz = g[ia + 2] + roofM * u[ia + 2];
    const btx = g[ib] + roofM * u[ib], bty = g[ib + 1] + roofM * u[ib + 1], btz = g[ib + 2] + roofM * u[ib + 2];
    // outward normal = (b_bottom − a_bottom) × (a_top − a_bottom)
    const ex = bbx - abx, ey = bby - aby, ez = bbz - abz;
    const hx = atx - abx, hy = aty - aby, hz = atz - abz;
    let nx = ey * hz - ez * hy, ny = ez * hx - ex * hz, nz = ex * hy - ey * hx;
    const len = Math.hypot(nx, ny, nz);
    if (!(len > EPS_AREA)) return;
    nx /= len;
    ny /= len;
    nz /= len;
    const first = this.vertex(abx, aby, abz, nx, ny, nz, feature);
    this.vertex(bbx, bby, bbz, nx, ny, nz, feature);
    this.vertex(btx, bty, btz, nx, ny, nz, feature);
    this.vertex(atx, aty, atz, nx, ny, nz, feature);
    this.triangle(first, first + 1, first + 2);
    this.triangle(first, first + 2, first + 3);
  }

  /**
   * Adds boundary surfaces (LoD2). Every planar polygon is triangulated in its own plane; its normal
   * is Newell's normal of the outer ring, and triangles are wound to agree with it (CityJSON orders
   * a solid's surfaces counter-clockwise seen from outside). Kinds in `skipKinds` are left out.
   * Returns false when no polygon could be triangulated.
   */
  addSurfaces(s: BuildingSurfaces, feature: number, skipKinds: readonly SurfaceKind[] = []): boolean {
    const nVert = s.xyzM.length / 3;
    this.scratch(nVert);
    const g = this.ground, u = this.up, xyz = s.xyzM;
    // ENU of every vertex, kept in `ground`
    for (let v = 0; v < nVert; v++) {
      const o = 3 * v;
      this.toEnu.groundAndUp(xyz[o], xyz[o + 1], g, u, o);
      const z = xyz[o + 2];
      g[o] += z * u[o];
      g[o + 1] += z * u[o + 1];
      g[o + 2] += z * u[o + 2];
    }
    this.currentFeature = feature;
    let added = false;
    const nPoly = s.polygonStart.length - 1;
    for (let p = 0; p < nPoly; p++) {
      if (skipKinds.includes(SURFACE_KINDS[s.kind[p]] ?? 'other')) continue;
      if (this.addPolygon(s, p)) added = true;
    }
    return added;
  }

  /** Feature id of the polygons being added by {@link addSurfaces}. */
  private currentFeature = 0;

  private addPolygon(s: BuildingSurfaces, p: number): boolean {
    const g = this.ground;
    const rs = s.polygonStart[p], re = s.polygonStart[p + 1];
    const va = s.ringStart[rs], vb = s.ringStart[rs + 1];
    if (vb - va < 3) return false;
    // Newell's normal of the outer ring
    let nx = 0, ny = 0, nz = 0;
    for (let i = va; i < vb; i++) {
      const j = i + 1 === vb ? va : i + 1;
      const pi = 3 * i, pj = 3 * j;
      nx += (g[pi + 1] - g[pj + 1]) * (g[pi + 2] + g[pj + 2]);
      ny += (g[pi + 2] - g[pj + 2]) * (g[pi] + g[pj]);
      nz += (g[pi] - g[pj]) * (g[pi + 1] + g[pj + 1]);
    }
    const len = Math.hypot(nx, ny, nz);
    if (!(len > EPS_AREA)) return false;
    nx /= len;
    ny /= len;
    nz /= len;
    // project onto the plane of the two axes that are not the normal's largest component
    const ax = Math.abs(nx), ay = Math.abs(ny), az = Math.abs(nz);
    const drop = az >= ax && az >= ay ? 2 : ax >= ay ? 0 : 1;
    const i0 = drop === 0 ? 1 : 0, i1 = drop === 2 ? 1 : 2;
    const flat = this.flat, holes = this.holes;
    flat.length = 0;
    holes.length = 0;
    const vEnd = s.ringStart[re];
    const bx = g[3 * va + i0], by = g[3 * va + i1];
    for (let v = va; v < vEnd; v++) flat.push(g[3 * v + i0] - bx, g[3 * v + i1] - by);
    for (let r = rs + 1; r < re; r++) holes.push(s.ringStart[r] - va);
    const tris = earcut(flat, holes.length ? holes : undefined, 2);
    if (tris.length === 0) return false;
    const first = this.vertexCount;
    const f = this.currentFeature;
    for (let v = va; v < vEnd; v++) this.vertex(g[3 * v], g[3 * v + 1], g[3 * v + 2], nx, ny, nz, f);
    let any = false;
    for (let t = 0; t < tris.length; t += 3) {
      const a = tris[t] + va, b = tris[t + 1] + va, c = tris[t + 2] + va;
      const e1x = g[3 * b] - g[3 * a], e1y = g[3 * b + 1] - g[3 * a + 1], e1z = g[3 * b + 2] - g[3 * a + 2];
      const e2x = g[3 * c] - g[3 * a], e2y = g[3 * c + 1] - g[3 * a + 1], e2z = g[3 * c + 2] - g[3 * a + 2];
      const dot = (e1y * e2z - e1z * e2y) * nx + (e1z * e2x - e1x * e2z) * ny + (e1x * e2y - e1y * e2x) * nz;
      if (Math.abs(dot) < EPS_AREA) continue;
      any = true;
      if (dot > 0) this.triangle(first + tris[t], first + tris[t + 1], first + tris[t + 2]);
      else this.triangle(first + tris[t], first + tris[t + 2], first + tris[t + 1]);
    }
    return any;
  }

  /** True when nothing has been added. */
  get empty(): boolean {
    return this.idx.length === 0;
  }

  /** The finished mesh (arrays trimmed to size) and its bounds. */
  finish(): MeshArrays {
    const positionsM = this.pos.trimmed();
    const bounds = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
    for (let i = 0; i < positionsM.length; i += 3) {
      for (let k = 0; k < 3; k++) {
        const c = positionsM[i + k];
        if (c < bounds[k]) bounds[k] = c;
        if (c > bounds[k + 3]) bounds[k + 3] = c;
      }
    }
    return { positionsM, normals: this.nrm.trimmed(), featureIds: this.fid.trimmed(), indices: this.idx.trimmed(), vertexCount: this.vertexCount, bounds };
  }
}

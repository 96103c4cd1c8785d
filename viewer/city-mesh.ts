/**
 * Batched triangle meshes for the viewer: extruded building prisms and flat ground polygons, written
 * straight into flat typed arrays (ECEF positions in metres as doubles, unit normals, per-vertex
 * RGBA), so that a whole city becomes one draw call instead of one entity per building.
 *
 * Pure TypeScript with no Cesium import: the WGS84 geodetic → ECEF conversion is the textbook one
 * (the same ellipsoid as Cesium's `Ellipsoid.WGS84`). Roofs and floors are triangulated by earcut in
 * a local equirectangular plane around the city origin (metres; its distortion within a city does not
 * change a triangulation). Triangles wind counter-clockwise seen from outside, whatever the input
 * ring orientation, so back faces can be culled.
 */
import earcut from 'earcut';
import type { Rgba } from './palette.ts';
import { geodeticToEcef } from '../sim-core/geom/ecef.ts';

/** Metres per degree of latitude (mean); only used for the triangulation plane. */
const DEG = Math.PI / 180;
const M_PER_DEG = 111_320;

/** A GeoJSON position: [lonDeg, latDeg, ...]. */
export type Position = readonly number[];

/** A finished mesh: flat arrays ready for a Cesium `Geometry`. */
export interface MeshArrays {
  /** Interleaved ECEF x, y, z in metres. */
  positionsM: Float64Array;
  /** Interleaved unit normals in ECEF axes. */
  normals: Float32Array;
  /** Interleaved RGBA bytes. */
  colors: Uint8Array;
  /** Triangle list. */
  indices: Uint32Array;
  vertexCount: number;
  /** Features (buildings or polygons) that made it into the mesh. */
  featureCount: number;
}


interface PreparedPolygon {
  /** Interleaved lon, lat of every kept vertex, rings one after another. */
  lonLat: number[];
  /** Interleaved local x, y metres of the same vertices. */
  xyM: number[];
  /** Start vertex of each ring, plus the total at the end. */
  ringStart: number[];
  /** Per ring: true when its vertices run with the solid on their left (outer CCW, holes CW). */
  solidOnLeft: boolean[];
}

/** Growable typed storage for one mesh. */
export class MeshBuilder {
  private positionsM = new Float64Array(3 * 4096);
  private normals = new Float32Array(3 * 4096);
  private colors = new Uint8Array(4 * 4096);
  private indices = new Uint32Array(3 * 4096);
  private vertexCount = 0;
  private indexCount = 0;
  private featureCount = 0;
  private readonly lon0Deg: number;
  private readonly lat0Deg: number;
  private readonly mPerDegLon: number;
  private readonly east: number[];
  private readonly north: number[];
  private readonly scratch = new Float64Array(3);

  /** `origin`: the city origin; it fixes the triangulation plane and the east/north axes for wall normals. */
  constructor(origin: { lonDeg: number; latDeg: number }) {
    this.lon0Deg = origin.lonDeg;
    this.lat0Deg = origin.latDeg;
    this.mPerDegLon = M_PER_DEG * Math.cos(origin.latDeg * DEG);
    const lon = origin.lonDeg * DEG;
    const lat = origin.latDeg * DEG;
    this.east = [-Math.sin(lon), Math.cos(lon), 0];
    this.north = [-Math.sin(lat) * Math.cos(lon), -Math.sin(lat) * Math.sin(lon), Math.cos(lat)];
  }

  /**
   * Adds an extruded prism: walls from `baseM` to `roofM` on every ring, a roof, and a floor when
   * `baseM` > 0 (a part standing on a podium). Returns false (and adds nothing) for a degenerate
   * footprint.
   */
  addPrism(rings: readonly (readonly Position[])[], baseM: number, roofM: number, rgba: Rgba): boolean {
    const poly = this.prepare(rings);
    if (!poly) return false;
    const triangles = this.triangulate(poly);
    if (triangles.length === 0) return false;
    this.addCap(poly, triangles, roofM, rgba, 1);
    if (baseM > 0) this.addCap(poly, triangles, baseM, rgba, -1);
    for (let r = 0; r + 1 < poly.ringStart.length; r++) this.addWalls(poly, r, baseM, roofM, rgba);
    this.featureCount++;
    return true;
  }

  /** Adds a flat polygon at `heightM`, facing up. Returns false for a degenerate polygon. */
  addFlat(rings: readonly (readonly Position[])[], heightM: number, rgba: Rgba): boolean {
    const poly = this.prepare(rings);
    if (!poly) return false;
    const triangles = this.triangulate(poly);
    if (triangles.length === 0) return false;
    this.addCap(poly, triangles, heightM, rgba, 1);
    this.featureCount++;
    return true;
  }

  /** The mesh so far, trimmed to size (views on the builder's storage). */
  finish(): MeshArrays {
    return {
      positionsM: this.positionsM.subarray(0, 3 * this.vertexCount),
      normals: this.normals.subarray(0, 3 * this.vertexCount),
      colors: this.colors.subarray(0, 4 * this.vertexCount),
      indices: this.indices.subarray(0, this.indexCount),
      vertexCount: this.vertexCount,
      featureCount: this.featureCount,
    };
  }

  private prepare(rings: readonly (readonly Position[])[]): PreparedPolygon | null {
    const poly: PreparedPolygon = { lonLat: [], xyM: [], ringStart: [0], solidOnLeft: [] };
    for (let r = 0; r < rings.length; r++) {
      const ring = rings[r];
      const start = poly.lonLat.length;
      let n = ring.length;
      // GeoJSON rings repeat the first vertex at the end.
      if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n--;
      for (let v = 0; v < n; v++) {
        const lon = ring[v][0];
        const lat = ring[v][1];
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
        const len = poly.lonLat.length;
        if (len > start && poly.lonLat[len - 2] === lon && poly.lonLat[len - 1] === lat) continue;
        poly.lonLat.push(lon, lat);
        poly.xyM.push((lon - this.lon0Deg) * this.mPerDegLon, (lat - this.lat0Deg) * M_PER_DEG);
      }
      const count = (poly.lonLat.length - start) / 2;
      if (count < 3) {
        if (r === 0) return null; // no outer ring: nothing to draw
        poly.lonLat.length = start; // drop a degenerate hole
        poly.xyM.length = start;
        continue;
      }
      let twiceArea = 0;
      for (let i = 0, j = count - 1; i < count; j = i++) {
        const xi = poly.xyM[start + 2 * i], yi = poly.xyM[start + 2 * i + 1];
        const xj = poly.xyM[start + 2 * j], yj = poly.xyM[start + 2 * j + 1];
        twiceArea += (xj - xi) * (yj + yi);
      }
      // twiceArea > 0: counter-clockwise. The solid is on the left of an outer CCW ring or a hole CW ring.
      poly.solidOnLeft.push(r === 0 ? twiceArea > 0 : twiceArea < 0);
      poly.ringStart.push(poly.lonLat.length / 2);
    }
    return poly;
  }

  private triangulate(poly: PreparedPolygon): number[] {
    const holes = poly.ringStart.slice(1, -1);
    const triangles = earcut(poly.xyM, holes.length ? holes : undefined, 2);
    // Make every triangle counter-clockwise in the plane (front face up).
    const xy = poly.xyM;
    for (let t = 0; t < triangles.length; t += 3) {
      const a = triangles[t], b = triangles[t + 1], c = triangles[t + 2];
      const cross = (xy[2 * b] - xy[2 * a]) * (xy[2 * c + 1] - xy[2 * a + 1]) - (xy[2 * b + 1] - xy[2 * a + 1]) * (xy[2 * c] - xy[2 * a]);
      if (cross < 0) {
        triangles[t + 1] = c;
        triangles[t + 2] = b;
      }
    }
    return triangles;
  }

  /** A roof (`facing` 1, up) or floor (`facing` −1, down) at `heightM`. */
  private addCap(poly: PreparedPolygon, triangles: number[], heightM: number, rgba: Rgba, facing: 1 | -1): void {
    const vertexCount = poly.lonLat.length / 2;
    const first = this.reserve(vertexCount, triangles.length);
    for (let v = 0; v < vertexCount; v++) {
      const lon = poly.lonLat[2 * v], lat = poly.lonLat[2 * v + 1];
      const cosLat = Math.cos(lat * DEG);
      // The geodetic surface normal at the vertex.
      this.putVertex(lon, lat, heightM, facing * cosLat * Math.cos(lon * DEG), facing * cosLat * Math.sin(lon * DEG), facing * Math.sin(lat * DEG), rgba);
    }
    for (let t = 0; t < triangles.length; t += 3) {
      if (facing === 1) this.putTriangle(first + triangles[t], first + triangles[t + 1], first + triangles[t + 2]);
      else this.putTriangle(first + triangles[t], first + triangles[t + 2], first + triangles[t + 1]);
    }
  }

  private addWalls(poly: PreparedPolygon, ring: number, baseM: number, roofM: number, rgba: Rgba): void {
    const start = poly.ringStart[ring];
    const count = poly.ringStart[ring + 1] - start;
    const forward = poly.solidOnLeft[ring];
    this.reserve(4 * count, 6 * count);
    const { east, north } = this;
    for (let i = 0; i < count; i++) {
      // Walk each edge with the solid on the left, so that its right-hand normal points outwards.
      const a = start + (forward ? i : (i + 1) % count);
      const b = start + (forward ? (i + 1) % count : i);
      const dx = poly.xyM[2 * b] - poly.xyM[2 * a];
      const dy = poly.xyM[2 * b + 1] - poly.xyM[2 * a + 1];
      const len = Math.hypot(dx, dy);
      if (len === 0) continue;
      const ne = dy / len, nn = -dx / len;
      const nx = ne * east[0] + nn * north[0];
      const ny = ne * east[1] + nn * north[1];
      const nz = ne * east[2] + nn * north[2];
      const v0 = this.vertexCount;
      const aLon = poly.lonLat[2 * a], aLat = poly.lonLat[2 * a + 1];
      const bLon = poly.lonLat[2 * b], bLat = poly.lonLat[2 * b + 1];
      this.putVertex(aLon, aLat, baseM, nx, ny, nz, rgba);
      this.putVertex(bLon, bLat, baseM, nx, ny, nz, rgba);
      this.putVertex(bLon, bLat, roofM, nx, ny, nz, rgba);
      this.putVertex(aLon, aLat, roofM, nx, ny, nz, rgba);
      this.putTriangle(v0, v0 + 1, v0 + 2);
      this.putTriangle(v0, v0 + 2, v0 + 3);
    }
  }

  /** Makes room for `vertices` more vertices and `indices` more indices; returns the next vertex index. */
  private reserve(vertices: number, indices: number): number {
    const needV = this.vertexCount + vertices;
    if (3 * needV > this.positionsM.length) {
      const cap = Math.max(needV, 2 * this.vertexCount);
      this.positionsM = grow(this.positionsM, 3 * cap);
      this.normals = grow(this.normals, 3 * cap);
      this.colors = grow(this.colors, 4 * cap);
    }
    const needI = this.indexCount + indices;
    if (needI > this.indices.length) this.indices = grow(this.indices, Math.max(needI, 2 * this.indexCount));
    return this.vertexCount;
  }

  private putVertex(lonDeg: number, latDeg: number, heightM: number, nx: number, ny: number, nz: number, rgba: Rgba): void {
    const v = this.vertexCount++;
    geodeticToEcef(lonDeg, latDeg, heightM, this.scratch);
    this.positionsM[3 * v] = this.scratch[0];
    this.positionsM[3 * v + 1] = this.scratch[1];
    this.positionsM[3 * v + 2] = this.scratch[2];
    this.normals[3 * v] = nx;
    this.normals[3 * v + 1] = ny;
    this.normals[3 * v + 2] = nz;
    this.colors[4 * v] = rgba[0];
    this.colors[4 * v + 1] = rgba[1];
    this.colors[4 * v + 2] = rgba[2];
    this.colors[4 * v + 3] = rgba[3];
  }

  private putTriangle(a: number, b: number, c: number): void {
    this.indices[this.indexCount++] = a;
    this.indices[this.indexCount++] = b;
    this.indices[this.indexCount++] = c;
  }
}

function grow<T extends Float64Array | Float32Array | Uint8Array | Uint32Array>(array: T, length: number): T {
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * Camera frustums with IEC 62676-4 DORI range bands: for each camera, the pyramid of its field of
 * view (hfov × vfov, heading, tilt) cut into the slant-distance bands where identification,
 * recognition, observation and detection hold (dori.ts, from sim-core's camera model). Each band's
 * side walls are translucent in its level's colour; the band limits are drawn as outlines on
 * spheres of that radius (the model's ranges are slant distances), and the four edges run from the
 * lens to the detection range. The part below the ground is clipped (`clipToGround`).
 */
import { BufferGeometry, DoubleSide, LineBasicMaterial, LineSegments, Mesh, MeshBasicMaterial, Plane, Vector3 } from 'three';
import type { DoriLevel } from '../../../sim-core/coverage/camera.ts';
import type { DoriBand } from '../dori.ts';
import { OverlayLayer, type BaseLayerProps, type ChangeFlags } from '../layer.ts';
import { VertexWriter } from './build.ts';

const DEG = Math.PI / 180;

export interface FrustumDatum {
  id: string;
  /** Lens position in the overlay's ENU frame. */
  enu: ArrayLike<number>;
  /** ENU z of the ground under the camera. */
  groundZ: number;
  headingDeg: number;
  tiltDeg: number;
  hfovDeg: number;
  vfovDeg: number;
  bands: readonly DoriBand[];
}

export interface FrustumLayerProps extends BaseLayerProps {
  data: readonly FrustumDatum[] | null;
  /** Opacity of the band walls. */
  bandOpacity: number;
  /** Directions sampled along each edge of the image rectangle (the band limits are curved). */
  edgeSegments: number;
  clipToGround: boolean;
  colors: Readonly<Record<DoriLevel, string>>;
  edgeColor: string;
}

/** Band colours: identification red → detection blue (ColorBrewer RdYlBu). */
export const DORI_COLORS: Readonly<Record<DoriLevel, string>> = {
  identification: '#d7191c',
  recognition: '#fdae61',
  observation: '#a6d96a',
  detection: '#2b83ba',
};

export class FrustumLayer extends OverlayLayer<FrustumLayerProps> {
  static readonly layerName = 'FrustumLayer';
  static readonly defaultProps: Readonly<FrustumLayerProps> = {
    id: 'frustums',
    visible: true,
    opacity: 1,
    data: null,
    bandOpacity: 0.22,
    edgeSegments: 8,
    clipToGround: true,
    colors: DORI_COLORS,
    edgeColor: '#102030',
  };

  constructor(props: Partial<FrustumLayerProps> = {}) {
    super(FrustumLayer.defaultProps, props);
  }

  /**
   * Materials are kept from one update to the next (one pair per camera slot): disposing a material
   * can release its compiled shader program, and recompiling it costs a frame (hundreds of ms under
   * software WebGL) on every drag step.
   */
  private materials: { walls: MeshBasicMaterial; lines: LineBasicMaterial; plane: Plane }[] = [];

  override update(_flags: ChangeFlags, _old: Readonly<FrustumLayerProps>): void {
    // A few cameras at most (the selected one): rebuild the geometry on any change.
    for (const child of [...this.object3d.children]) {
      (child as Mesh).geometry.dispose();
      child.removeFromParent();
    }
    const p = this.props;
    let slot = 0;
    for (const d of p.data ?? []) {
      if (d.bands.length === 0) continue;
      const walls = new VertexWriter();
      const lines = new VertexWriter();
      frustumGeometry(d, p, walls, lines);
      const m = this.materials[slot] ?? (this.materials[slot] = this.makeMaterials());
      slot++;
      m.plane.constant = -d.groundZ;
      m.walls.clippingPlanes = m.lines.clippingPlanes = p.clipToGround ? [m.plane] : [];
      m.walls.opacity = p.bandOpacity * p.opacity;
      m.lines.opacity = 0.9 * p.opacity;
      const wallMesh = new Mesh(walls.into(new BufferGeometry()), m.walls);
      wallMesh.name = `frustum-${d.id}`;
      wallMesh.renderOrder = 2;
      const lineMesh = new LineSegments(lines.into(new BufferGeometry()), m.lines);
      lineMesh.name = `frustum-lines-${d.id}`;
      lineMesh.renderOrder = 3;
      this.object3d.add(wallMesh, lineMesh);
    }
  }

  private makeMaterials() {
    return {
      walls: new MeshBasicMaterial({ vertexColors: true, transparent: true, side: DoubleSide, depthWrite: false }),
      lines: new LineBasicMaterial({ vertexColors: true, transparent: true }),
      plane: new Plane(new Vector3(0, 0, 1), 0),
    };
  }

  protected override finalizeState(): void {
    for (const m of this.materials) {
      m.walls.dispose();
      m.lines.dispose();
    }
    this.materials = [];
  }
}

/** Writes one camera's band walls (triangles) and outlines (segments). */
export function frustumGeometry(d: FrustumDatum, p: Pick<FrustumLayerProps, 'edgeSegments' | 'colors' | 'edgeColor'>, walls: VertexWriter, lines: VertexWriter): void {
  const h = (Number.isNaN(d.headingDeg) ? 0 : d.headingDeg) * DEG;
  const t = (Number.isNaN(d.tiltDeg) ? 0 : d.tiltDeg) * DEG;
  const sh = Math.sin(h), ch = Math.cos(h), st = Math.sin(t), ct = Math.cos(t);
  const f = [sh * ct, ch * ct, -st];
  const r = [ch, -sh, 0];
  const u = [sh * st, ch * st, ct];
  const tx = Math.tan((d.hfovDeg * DEG) / 2), ty = Math.tan((d.vfovDeg * DEG) / 2);
  // unit directions around the image rectangle, counter-clockwise from the bottom-left corner
  const k = Math.max(1, Math.round(p.edgeSegments));
  const dirs: number[][] = [];
  const corners = [[-1, -1], [1, -1], [1, 1], [-1, 1]];
  for (let e = 0; e < 4; e++) {
    const [a0, b0] = corners[e]!, [a1, b1] = corners[(e + 1) % 4]!;
    for (let s = 0; s < k; s++) {
      const a = a0! + ((a1! - a0!) * s) / k, b = b0! + ((b1! - b0!) * s) / k;
      const v = [f[0]! + a * tx * r[0]! + b * ty * u[0]!, f[1]! + a * tx * r[1]! + b * ty * u[1]!, f[2]! + a * tx * r[2]! + b * ty * u[2]!];
      const l = Math.hypot(v[0]!, v[1]!, v[2]!);
      dirs.push([v[0]! / l, v[1]! / l, v[2]! / l]);
    }
  }
  const o = d.enu;
  const at = (dir: number[], dist: number) => [o[0]! + dir[0]! * dist, o[1]! + dir[1]! * dist, o[2]! + dir[2]! * dist];
  const n = dirs.length;
  for (const band of d.bands) {
    walls.color(p.colors[band.level]);
    lines.color(p.colors[band.level]);
    for (let i = 0; i < n; i++) {
      const a = dirs[i]!, b = dirs[(i + 1) % n]!;
      walls.quad(at(a, band.fromM), at(b, band.fromM), at(b, band.toM), at(a, band.toM));
      lines.segment(at(a, band.toM), at(b, band.toM));
    }
  }
  const far = d.bands[d.bands.length - 1]!.toM;
  lines.color(p.edgeColor);
  for (let e = 0; e < 4; e++) lines.segment(o, at(dirs[e * k]!, far));
}

/**
 * Moving vehicles (a green wave's platoons …) as one instanced box mesh, from a workbench
 * VehicleFrame (lon/lat degrees, heading clockwise from north, optional RGBA per vehicle), replaced
 * as a whole whenever the vehicles move.
 */
import { BoxGeometry, Color, DynamicDrawUsage, InstancedBufferAttribute, InstancedMesh, MeshLambertMaterial } from 'three';
import { OverlayLayer, type BaseLayerProps, type ChangeFlags, type LayerContext } from '../layer.ts';

const DEG = Math.PI / 180;

/** The workbench's VehicleFrame (viewer/workbench/context.ts), structurally. */
export interface VehicleData {
  count: number;
  lonLatDeg: Float64Array;
  headingDeg: Float32Array;
  rgba?: Uint8Array;
}

export interface VehicleLayerProps extends BaseLayerProps {
  data: VehicleData | null;
  lengthM: number;
  widthM: number;
  heightM: number;
  color: string;
}

export class VehicleLayer extends OverlayLayer<VehicleLayerProps> {
  static readonly layerName = 'VehicleLayer';
  static readonly defaultProps: Readonly<VehicleLayerProps> = {
    id: 'vehicles',
    visible: true,
    opacity: 1,
    data: null,
    lengthM: 4.6,
    widthM: 1.8,
    heightM: 1.5,
    color: '#2d3436',
  };

  private mesh: InstancedMesh | null = null;
  private readonly enu = new Float64Array(3);

  constructor(props: Partial<VehicleLayerProps> = {}) {
    super(VehicleLayer.defaultProps, props);
  }

  /** Vehicles drawn. */
  get count(): number {
    return this.mesh?.count ?? 0;
  }

  protected override initializeState(_context: LayerContext): void {
    this.mesh = this.makeMesh(16);
  }

  private makeMesh(capacity: number): InstancedMesh {
    const mesh = new InstancedMesh(new BoxGeometry(1, 1, 1).translate(0, 0, 0.5), new MeshLambertMaterial({ color: 0xffffff, transparent: true }), capacity);
    mesh.name = 'vehicles';
    mesh.frustumCulled = false;
    mesh.instanceMatrix.setUsage(DynamicDrawUsage);
    mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(3 * capacity), 3);
    mesh.count = 0;
    this.object3d.add(mesh);
    return mesh;
  }

  override update(_flags: ChangeFlags, _old: Readonly<VehicleLayerProps>): void {
    const p = this.props;
    const d = p.data;
    const n = d ? d.count : 0;
    if (d && (d.lonLatDeg.length < 2 * n || d.headingDeg.length < n || (d.rgba && d.rgba.length < 4 * n))) {
      throw new RangeError(`VehicleLayer: a frame of ${n} vehicles needs ${2 * n} lon/lat values, ${n} headings${d.rgba ? ` and ${4 * n} RGBA bytes` : ''}; got ${d.lonLatDeg.length}, ${d.headingDeg.length}${d.rgba ? `, ${d.rgba.length}` : ''}`);
    }
    let mesh = this.mesh!;
    if (n > mesh.instanceMatrix.count) {
      mesh.geometry.dispose();
      (mesh.material as MeshLambertMaterial).dispose();
      mesh.removeFromParent();
      mesh.dispose();
      mesh = this.mesh = this.makeMesh(1 << Math.ceil(Math.log2(n)));
    }
    const material = mesh.material as MeshLambertMaterial;
    material.opacity = p.opacity;
    material.transparent = p.opacity < 1;
    const m = mesh.instanceMatrix.array as Float32Array;
    const col = mesh.instanceColor!.array as Float32Array;
    const base = new Color(p.color);
    const frame = this.context!.frame;
    for (let i = 0; i < n; i++) {
      frame.cityToEnu(d!.lonLatDeg[2 * i]!, d!.lonLatDeg[2 * i + 1]!, 0, this.enu);
      const h = d!.headingDeg[i]! * DEG;
      const sh = Math.sin(h), ch = Math.cos(h);
      const o = 16 * i;
      // columns: right × width, forward × length, up × height, position
      m[o] = ch * p.widthM; m[o + 1] = -sh * p.widthM; m[o + 2] = 0; m[o + 3] = 0;
      m[o + 4] = sh * p.lengthM; m[o + 5] = ch * p.lengthM; m[o + 6] = 0; m[o + 7] = 0;
      m[o + 8] = 0; m[o + 9] = 0; m[o + 10] = p.heightM; m[o + 11] = 0;
      m[o + 12] = this.enu[0]!; m[o + 13] = this.enu[1]!; m[o + 14] = this.enu[2]!; m[o + 15] = 1;
      if (d!.rgba) {
        col[3 * i] = d!.rgba[4 * i]! / 255;
        col[3 * i + 1] = d!.rgba[4 * i + 1]! / 255;
        col[3 * i + 2] = d!.rgba[4 * i + 2]! / 255;
      } else {
        col[3 * i] = base.r;
        col[3 * i + 1] = base.g;
        col[3 * i + 2] = base.b;
      }
    }
    mesh.count = n;
    mesh.instanceMatrix.needsUpdate = true;
    mesh.instanceColor!.needsUpdate = true;
  }

  protected override finalizeState(): void {
    this.mesh = null;
  }
}

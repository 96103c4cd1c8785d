/**
 * Rotate handles of the selected camera or 5G cell: a heading ring in the horizontal plane around the
 * device with a knob at the heading, and a tilt arc in the vertical plane of the heading (from the
 * horizon down to straight down, at 0.6 of the ring's radius) with a knob at the tilt. Sized in pixels (`radiusPx`) within a metre
 * cap; the knobs' positions are what the overlay's picker tests (`knobEnu`).
 */
import { BufferGeometry, Group, LineBasicMaterial, LineLoop, Line, Mesh, MeshBasicMaterial, SphereGeometry, Vector3 } from 'three';
import { glyphSizeM } from '../frame.ts';
import { OverlayLayer, type BaseLayerProps, type ChangeFlags, type LayerContext, type ViewState } from '../layer.ts';

const DEG = Math.PI / 180;
/** Radius of the tilt arc as a share of the heading ring's. */
export const TILT_ARC_RADIUS = 0.6;

export type HandleKind = 'heading' | 'tilt';

export interface HandleDatum {
  id: string;
  enu: ArrayLike<number>;
  /** Clockwise from north (NaN counts as 0). */
  headingDeg: number;
  /** Down from the horizon (NaN counts as 0). */
  tiltDeg: number;
  /** Which handles to show (a 5G cell: heading and tilt; a camera: both). */
  kinds: readonly HandleKind[];
}

export interface HandleLayerProps extends BaseLayerProps {
  data: HandleDatum | null;
  /** Ring radius on screen, CSS pixels. */
  radiusPx: number;
  maxRadiusM: number;
  minRadiusM: number;
  /** Knob radius as a share of the ring radius. */
  knobScale: number;
  /** The handle being dragged (drawn in `activeColor`). */
  active: HandleKind | null;
  headingColor: string;
  tiltColor: string;
  activeColor: string;
}

export class HandleLayer extends OverlayLayer<HandleLayerProps> {
  static readonly layerName = 'HandleLayer';
  static readonly defaultProps: Readonly<HandleLayerProps> = {
    id: 'handles',
    visible: true,
    opacity: 1,
    data: null,
    radiusPx: 60,
    maxRadiusM: 40,
    minRadiusM: 1,
    knobScale: 0.14,
    active: null,
    headingColor: '#00b4d8',
    tiltColor: '#ff7b00',
    activeColor: '#ffd400',
  };

  private pivot = new Group();
  private parts: { kind: HandleKind; line: Line; knob: Mesh }[] = [];
  private radiusM = 0;

  constructor(props: Partial<HandleLayerProps> = {}) {
    super(HandleLayer.defaultProps, props);
  }

  protected override initializeState(_context: LayerContext): void {
    this.pivot.name = 'handle-pivot';
    this.object3d.add(this.pivot);
    const ring = new LineLoop(new BufferGeometry().setFromPoints(circle(64, 0, 360, (a) => new Vector3(Math.sin(a), Math.cos(a), 0))), new LineBasicMaterial({ transparent: true, depthTest: false }));
    // the tilt arc lies in the plane spanned by the heading (y after rotation) and up (z), inside the ring
    // (radius TILT_ARC_RADIUS, so that its knob stays clear of the heading knob): from +10° above the horizon to 90° down
    const arc = new Line(new BufferGeometry().setFromPoints(circle(32, -10, 90, (a) => new Vector3(0, TILT_ARC_RADIUS * Math.cos(a), -TILT_ARC_RADIUS * Math.sin(a)))), new LineBasicMaterial({ transparent: true, depthTest: false }));
    for (const [kind, line] of [['heading', ring], ['tilt', arc]] as const) {
      const knob = new Mesh(new SphereGeometry(1, 16, 12), new MeshBasicMaterial({ transparent: true, depthTest: false }));
      knob.name = `handle-${kind}`;
      line.name = `handle-${kind}-line`;
      line.renderOrder = knob.renderOrder = 10;
      this.pivot.add(line, knob);
      this.parts.push({ kind, line, knob });
    }
  }

  override update(_flags: ChangeFlags, _old: Readonly<HandleLayerProps>): void {
    const p = this.props;
    const d = p.data;
    this.pivot.visible = d !== null;
    for (const part of this.parts) {
      const shown = d !== null && d.kinds.includes(part.kind);
      part.line.visible = part.knob.visible = shown;
      const color = p.active === part.kind ? p.activeColor : part.kind === 'heading' ? p.headingColor : p.tiltColor;
      for (const m of [part.line.material as LineBasicMaterial, part.knob.material as MeshBasicMaterial]) {
        m.color.set(color);
        m.opacity = p.opacity;
      }
    }
    if (!d) return;
    const h = (Number.isNaN(d.headingDeg) ? 0 : d.headingDeg) * DEG;
    this.pivot.position.set(d.enu[0]!, d.enu[1]!, d.enu[2]!);
    this.pivot.rotation.set(0, 0, -h); // +y (north) turned clockwise to the heading
    this.pivot.updateMatrix();
    // knob positions in the pivot's unit frame
    const tilt = (Number.isNaN(d.tiltDeg) ? 0 : d.tiltDeg) * DEG;
    this.parts[0]!.knob.position.set(0, 1, 0);
    this.parts[1]!.knob.position.set(0, TILT_ARC_RADIUS * Math.cos(tilt), -TILT_ARC_RADIUS * Math.sin(tilt));
  }

  protected override drawLayer(view: ViewState): void {
    const d = this.props.data;
    if (!d) return;
    const p = this.props;
    const dist = Math.hypot(d.enu[0]! - view.eye[0]!, d.enu[1]! - view.eye[1]!, d.enu[2]! - view.eye[2]!);
    this.radiusM = glyphSizeM(p.radiusPx, dist, view.fovyRad, view.heightPx, p.minRadiusM, p.maxRadiusM);
    this.pivot.scale.setScalar(this.radiusM);
    for (const part of this.parts) part.knob.scale.setScalar(p.knobScale);
    this.pivot.updateMatrixWorld(true);
  }

  /** The current ring radius in metres (after the last draw). */
  get ringRadiusM(): number {
    return this.radiusM;
  }

  /** The ENU position of a knob (after the last draw), or null when that handle is not shown. */
  knobEnu(kind: HandleKind, out: Vector3 = new Vector3()): Vector3 | null {
    const part = this.parts.find((x) => x.kind === kind);
    if (!part || !this.props.data || !part.knob.visible || this.radiusM === 0) return null;
    this.pivot.updateMatrixWorld(true);
    return part.knob.getWorldPosition(out);
  }

  protected override finalizeState(): void {
    this.parts = [];
  }
}

function circle(n: number, fromDeg: number, toDeg: number, at: (rad: number) => Vector3): Vector3[] {
  const out: Vector3[] = [];
  for (let i = 0; i <= n; i++) out.push(at((fromDeg + ((toDeg - fromDeg) * i) / n) * DEG));
  return out;
}

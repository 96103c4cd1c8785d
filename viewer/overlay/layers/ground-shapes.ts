/**
 * Flat shapes on the ground: 5G sector wedges (azimuth, beamwidth, nominal range; a full disc for an
 * omnidirectional cell) and weather-station spacing circles (radius `radiusM`). Each draws a
 * translucent fill and an outline, lifted `liftM` above the ground under its device.
 */
import { BufferGeometry, DoubleSide, LineBasicMaterial, LineSegments, Mesh, MeshBasicMaterial } from 'three';
import { OverlayLayer, type BaseLayerProps, type ChangeFlags, type LayerContext } from '../layer.ts';
import { VertexWriter } from './build.ts';

const DEG = Math.PI / 180;

interface GroundShapeProps extends BaseLayerProps {
  selectedId: string | null;
  color: string;
  selectedColor: string;
  fillOpacity: number;
  /** Segments of a full circle. */
  circleSegments: number;
  liftM: number;
}

/** Base: one fill mesh and one outline, rebuilt on every change (shapes do not depend on the view). */
abstract class GroundShapeLayer<P extends GroundShapeProps> extends OverlayLayer<P> {
  protected fill: Mesh | null = null;
  protected outline: LineSegments | null = null;

  protected override initializeState(_context: LayerContext): void {
    this.fill = new Mesh(new BufferGeometry(), new MeshBasicMaterial({ vertexColors: true, transparent: true, side: DoubleSide, depthWrite: false }));
    this.fill.name = `${this.id}-fill`;
    this.fill.renderOrder = 1;
    this.outline = new LineSegments(new BufferGeometry(), new LineBasicMaterial({ vertexColors: true, transparent: true }));
    this.outline.name = `${this.id}-outline`;
    this.outline.renderOrder = 1;
    this.object3d.add(this.fill, this.outline);
  }

  override update(_flags: ChangeFlags, _old: Readonly<P>): void {
    const fill = new VertexWriter();
    const outline = new VertexWriter();
    this.build(fill, outline);
    fill.into(this.fill!.geometry);
    outline.into(this.outline!.geometry);
    (this.fill!.material as MeshBasicMaterial).opacity = this.props.fillOpacity * this.props.opacity;
    (this.outline!.material as LineBasicMaterial).opacity = 0.85 * this.props.opacity;
  }

  protected abstract build(fill: VertexWriter, outline: VertexWriter): void;

  /** A sector (or full disc when `spanDeg` ≥ 360) centred on (x, y) at height z. */
  protected sector(fill: VertexWriter, outline: VertexWriter, x: number, y: number, z: number, radiusM: number, fromDeg: number, spanDeg: number): void {
    const full = spanDeg >= 360;
    const segs = Math.max(3, Math.ceil((this.props.circleSegments * Math.min(spanDeg, 360)) / 360));
    let px = 0, py = 0;
    for (let s = 0; s <= segs; s++) {
      const a = (fromDeg + (Math.min(spanDeg, 360) * s) / segs) * DEG; // clockwise from north
      const qx = x + radiusM * Math.sin(a), qy = y + radiusM * Math.cos(a);
      if (s > 0) {
        fill.vertex(x, y, z).vertex(qx, qy, z).vertex(px, py, z);
        outline.segment([px, py, z], [qx, qy, z]);
      }
      px = qx;
      py = qy;
    }
    if (!full) {
      const a0 = fromDeg * DEG, a1 = (fromDeg + spanDeg) * DEG;
      outline.segment([x, y, z], [x + radiusM * Math.sin(a0), y + radiusM * Math.cos(a0), z]);
      outline.segment([x, y, z], [x + radiusM * Math.sin(a1), y + radiusM * Math.cos(a1), z]);
    }
  }
}

export interface WedgeDatum {
  id: string;
  /** Antenna position in the overlay's ENU frame (the wedge is drawn on the ground under it). */
  enu: ArrayLike<number>;
  groundZ: number;
  /** Clockwise from north; NaN = omnidirectional. */
  azimuthDeg: number;
  beamwidthDeg: number;
  rangeM: number;
}

export interface WedgeLayerProps extends GroundShapeProps {
  data: readonly WedgeDatum[] | null;
}

export class WedgeLayer extends GroundShapeLayer<WedgeLayerProps> {
  static readonly layerName = 'WedgeLayer';
  static readonly defaultProps: Readonly<WedgeLayerProps> = {
    id: 'wedges',
    visible: true,
    opacity: 1,
    data: null,
    selectedId: null,
    color: '#8e44ad',
    selectedColor: '#ffd400',
    fillOpacity: 0.18,
    circleSegments: 72,
    liftM: 0.6,
  };

  constructor(props: Partial<WedgeLayerProps> = {}) {
    super(WedgeLayer.defaultProps, props);
  }

  protected build(fill: VertexWriter, outline: VertexWriter): void {
    const p = this.props;
    for (const d of p.data ?? []) {
      if (!(d.rangeM > 0)) continue;
      const c = d.id === p.selectedId ? p.selectedColor : p.color;
      fill.color(c);
      outline.color(c);
      const omni = Number.isNaN(d.azimuthDeg) || d.beamwidthDeg >= 360;
      const span = omni ? 360 : d.beamwidthDeg;
      this.sector(fill, outline, d.enu[0]!, d.enu[1]!, d.groundZ + p.liftM, d.rangeM, omni ? 0 : d.azimuthDeg - span / 2, span);
    }
  }
}

export interface SpacingDatum {
  id: string;
  enu: ArrayLike<number>;
  groundZ: number;
}

export interface SpacingLayerProps extends GroundShapeProps {
  data: readonly SpacingDatum[] | null;
  /** Circle radius, metres (default {@link DEFAULT_SPACING_RADIUS_M}). */
  radiusM: number;
}

/**
 * Default spacing-circle radius: 5 km / √2 ≈ 3,536 m. DB37/T 3890's city targets ask for weather
 * stations "小于5公里间距" (under 5 km spacing; DIGEST row 7). A square lattice of pitch 5 km has a
 * covering radius of 5/√2 km (the farthest point, a cell centre, is that far from its nearest
 * station), which is how the covering-radius reading of the spacing metric (docs/weather.md) turns a
 * radius into a spacing. So with this radius the ground left outside every circle is exactly where the
 * 5 km target fails on that reading, and circles that just close the gaps mean a 5 km lattice.
 */
export const DEFAULT_SPACING_RADIUS_M = 5000 / Math.SQRT2;

export class SpacingLayer extends GroundShapeLayer<SpacingLayerProps> {
  static readonly layerName = 'SpacingLayer';
  static readonly defaultProps: Readonly<SpacingLayerProps> = {
    id: 'spacing',
    visible: true,
    opacity: 1,
    data: null,
    selectedId: null,
    radiusM: DEFAULT_SPACING_RADIUS_M,
    color: '#10a37f',
    selectedColor: '#ffd400',
    fillOpacity: 0.07,
    circleSegments: 144,
    liftM: 1,
  };

  constructor(props: Partial<SpacingLayerProps> = {}) {
    super(SpacingLayer.defaultProps, props);
  }

  protected build(fill: VertexWriter, outline: VertexWriter): void {
    const p = this.props;
    if (!(p.radiusM > 0)) return;
    for (const d of p.data ?? []) {
      const c = d.id === p.selectedId ? p.selectedColor : p.color;
      fill.color(c);
      outline.color(c);
      this.sector(fill, outline, d.enu[0]!, d.enu[1]!, d.groundZ + p.liftM, p.radiusM, 0, 360);
    }
  }
}

/**
 * Device glyphs by type (camera, e-police, 5G cell, weather station, signal controller, smart pole):
 * instanced meshes, one set per type, sized in pixels on screen (`sizePx`) within metre caps
 * (`minSizeM`, `maxSizeM`), rotated by heading (and tilt for cameras). Styles: normal; ghost
 * (proposals: translucent); hidden behind a building (`visibility[i] === HIDDEN`: faded, or not drawn
 * with `hiddenStyle: 'hide'`); selected (enlarged, its own colour); highlighted (its own colour).
 * A thin stem joins each drawn glyph to the ground under it.
 */
import { BufferAttribute, BufferGeometry, Color, DynamicDrawUsage, InstancedBufferAttribute, InstancedMesh, LineBasicMaterial, LineSegments, MeshLambertMaterial } from 'three';
import { DEVICE_TYPES, type DeviceType } from '../../../sim-core/cim/types.ts';
import { glyphSizeM } from '../frame.ts';
import { glyphGeometry } from '../glyph-geometry.ts';
import { OverlayLayer, type BaseLayerProps, type ChangeFlags, type LayerContext, type ViewState } from '../layer.ts';
import { HIDDEN } from '../visibility.ts';

const DEG = Math.PI / 180;

/** Glyph data, column-wise (deck.gl binary-attribute style): one entry per device. */
export interface GlyphData {
  count: number;
  ids: readonly string[];
  /** Index into DEVICE_TYPES. */
  typeCode: Uint8Array;
  /** Interleaved anchor x, y, z in the overlay's ENU frame. */
  enu: Float64Array;
  /** ENU z of the ground under each anchor (for the stems). */
  groundZ: Float64Array;
  /** Clockwise from north; NaN: none. */
  headingDeg: Float32Array;
  /** Down from the horizon; NaN: none. */
  tiltDeg: Float32Array;
  /** 1 for a proposal (ghost). */
  ghost: Uint8Array;
}

export interface GlyphLayerProps extends BaseLayerProps {
  data: GlyphData | null;
  selectedId: string | null;
  highlightedIds: ReadonlySet<string> | null;
  /** Per glyph: VISIBLE, HIDDEN or UNTESTED (visibility.ts); null: all visible. */
  visibility: Uint8Array | null;
  hiddenStyle: 'fade' | 'hide';
  /** Glyph height on screen, CSS pixels. */
  sizePx: number;
  minSizeM: number;
  maxSizeM: number;
  /** Opacity of a glyph hidden behind a building (hiddenStyle 'fade'). */
  fadedOpacity: number;
  /** Opacity of a proposal. */
  ghostOpacity: number;
  /** Enlargement of the selected glyph. */
  selectedScale: number;
  stems: boolean;
  colors: Readonly<Record<DeviceType, string>>;
  selectedColor: string;
  highlightColor: string;
}

/** Colours by type (also in docs/overlay.md). */
export const GLYPH_COLORS: Readonly<Record<DeviceType, string>> = {
  camera: '#1f78ff',
  epolice: '#e0301e',
  cell5g: '#8e44ad',
  weather: '#10a37f',
  signal: '#f39c12',
  pole: '#6b7785',
};

type Style = 0 | 1 | 2; // solid, ghost, faded
const STYLES: Style[] = [0, 1, 2];

interface Bucket {
  mesh: InstancedMesh;
  /** Data index of each instance. */
  indices: Int32Array;
  count: number;
}

export class GlyphLayer extends OverlayLayer<GlyphLayerProps> {
  static readonly layerName = 'GlyphLayer';
  static readonly defaultProps: Readonly<GlyphLayerProps> = {
    id: 'glyphs',
    visible: true,
    opacity: 1,
    data: null,
    selectedId: null,
    highlightedIds: null,
    visibility: null,
    hiddenStyle: 'fade',
    sizePx: 22,
    minSizeM: 0.4,
    maxSizeM: 12,
    fadedOpacity: 0.2,
    ghostOpacity: 0.5,
    selectedScale: 1.5,
    stems: true,
    colors: GLYPH_COLORS,
    selectedColor: '#ffd400',
    highlightColor: '#ff2bd6',
  };

  private buckets: Bucket[][] = []; // [type][style]
  private materials: MeshLambertMaterial[] = [];
  private stems: LineSegments | null = null;
  /** Rotation (3×3, columns right, forward, up) per glyph. */
  private rotation = new Float32Array(0);
  private scaleOf = new Float32Array(0);
  private styleOf = new Uint8Array(0);
  private drawn = 0;
  private faded = 0;

  constructor(props: Partial<GlyphLayerProps> = {}) {
    super(GlyphLayer.defaultProps, props);
  }

  /** Glyphs drawn plainly (normal or ghost, not hidden). */
  get drawnCount(): number {
    return this.drawn;
  }

  /** Glyphs drawn faded because they are hidden behind a building. */
  get fadedCount(): number {
    return this.faded;
  }

  /** Whether glyph `i` is drawn at all (plainly or faded). */
  isDrawn(i: number): boolean {
    return i < this.styleOf.length && this.styleOf[i] !== 255;
  }

  protected override initializeState(_context: LayerContext): void {
    for (const type of DEVICE_TYPES) {
      const geometry = glyphGeometry(type);
      const row: Bucket[] = [];
      for (const style of STYLES) {
        const material = new MeshLambertMaterial({ color: 0xffffff, transparent: style !== 0, depthWrite: style === 0 });
        this.materials.push(material);
        const mesh = new InstancedMesh(geometry, material, 0);
        mesh.name = `${type}-${['solid', 'ghost', 'faded'][style]}`;
        mesh.frustumCulled = false;
        mesh.renderOrder = style === 0 ? 0 : 1;
        mesh.userData.geometryOwner = style === 0;
        this.object3d.add(mesh);
        row.push({ mesh, indices: new Int32Array(0), count: 0 });
      }
      this.buckets.push(row);
    }
    const stemGeometry = new BufferGeometry();
    stemGeometry.setAttribute('position', new BufferAttribute(new Float32Array(0), 3));
    this.stems = new LineSegments(stemGeometry, new LineBasicMaterial({ color: 0x33404d, transparent: true, opacity: 0.6 }));
    this.stems.name = 'stems';
    this.stems.frustumCulled = false;
    this.object3d.add(this.stems);
  }

  override update(flags: ChangeFlags, _old: Readonly<GlyphLayerProps>): void {
    const p = this.props;
    const data = p.data;
    const n = data ? data.count : 0;
    if (flags.dataChanged) {
      this.rotation = new Float32Array(9 * n);
      this.scaleOf = new Float32Array(n);
      for (let i = 0; i < n; i++) writeRotation(this.rotation, 9 * i, data!.headingDeg[i]!, data!.tiltDeg[i]!, DEVICE_TYPES[data!.typeCode[i]!]!);
    }
    for (let s = 0; s < 3; s++) {
      const opacity = p.opacity * (s === 0 ? 1 : s === 1 ? p.ghostOpacity : p.fadedOpacity);
      for (let t = 0; t < DEVICE_TYPES.length; t++) this.materials[3 * t + s]!.opacity = opacity;
    }
    // assign every glyph a style bucket
    this.styleOf = new Uint8Array(n);
    const counts = DEVICE_TYPES.map(() => [0, 0, 0]);
    this.drawn = 0;
    this.faded = 0;
    for (let i = 0; i < n; i++) {
      const hidden = p.visibility !== null && p.visibility[i] === HIDDEN;
      let style: number;
      if (hidden) style = p.hiddenStyle === 'hide' ? 255 : 2;
      else style = data!.ghost[i] ? 1 : 0;
      this.styleOf[i] = style;
      if (style === 255) continue;
      counts[data!.typeCode[i]!]![style]!++;
      if (style === 2) this.faded++;
      else this.drawn++;
    }
    const typeColors = DEVICE_TYPES.map((t) => new Color(p.colors[t]));
    const selectedColor = new Color(p.selectedColor);
    const highlightColor = new Color(p.highlightColor);
    for (let t = 0; t < DEVICE_TYPES.length; t++) {
      for (const s of STYLES) {
        const b = this.buckets[t]![s]!;
        const need = counts[t]![s]!;
        if (need > b.mesh.instanceMatrix.count) this.grow(t, s, need);
        b.count = 0;
        b.mesh.count = need;
      }
    }
    for (let i = 0; i < n; i++) {
      const style = this.styleOf[i]!;
      if (style === 255) continue;
      const b = this.buckets[data!.typeCode[i]!]![style]!;
      b.indices[b.count] = i;
      const id = data!.ids[i]!;
      b.mesh.setColorAt(b.count, id === p.selectedId ? selectedColor : p.highlightedIds?.has(id) ? highlightColor : typeColors[data!.typeCode[i]!]!);
      this.scaleOf[i] = id === p.selectedId ? p.selectedScale : 1;
      b.count++;
    }
    for (const row of this.buckets) for (const b of row) if (b.mesh.instanceColor) b.mesh.instanceColor.needsUpdate = true;
    this.buildStems();
  }

  /**
   * Glyphs `indices` moved or turned: their entries of `data` were changed in place (same ids, types,
   * ghost flags and order). Rewrites their rotations and the stems; restyles only when one of them
   * changed style (its visibility). Costs O(changed) plus the stems, not a restyle of every glyph.
   */
  patchGlyphs(indices: readonly number[]): void {
    const p = this.props;
    const data = p.data;
    if (!data || !this.context) return;
    let restyle = false;
    for (const i of indices) {
      if (i < 0 || i >= data.count) throw new RangeError(`GlyphLayer.patchGlyphs: glyph ${i} of ${data.count}`);
      writeRotation(this.rotation, 9 * i, data.headingDeg[i]!, data.tiltDeg[i]!, DEVICE_TYPES[data.typeCode[i]!]!);
      const hidden = p.visibility !== null && p.visibility[i] === HIDDEN;
      const style = hidden ? (p.hiddenStyle === 'hide' ? 255 : 2) : data.ghost[i] ? 1 : 0;
      if (style !== this.styleOf[i]) restyle = true;
    }
    if (restyle) this.update({ dataChanged: false, propsChanged: true, viewportChanged: false, somethingChanged: true }, p);
    else this.buildStems();
    this.context.requestRender();
  }

  /** Replaces a bucket's mesh by one with room for `need` instances. */
  private grow(t: number, s: number, need: number): void {
    const b = this.buckets[t]![s]!;
    const capacity = Math.max(16, 1 << Math.ceil(Math.log2(need)));
    const old = b.mesh;
    const mesh = new InstancedMesh(old.geometry, old.material, capacity);
    mesh.name = old.name;
    mesh.frustumCulled = false;
    mesh.renderOrder = old.renderOrder;
    mesh.userData = old.userData;
    mesh.instanceMatrix.setUsage(DynamicDrawUsage);
    mesh.instanceColor = new InstancedBufferAttribute(new Float32Array(3 * capacity), 3);
    this.object3d.add(mesh);
    old.removeFromParent();
    old.dispose(); // frees the old instance buffers only; geometry and material live on
    b.mesh = mesh;
    b.indices = new Int32Array(capacity);
  }

  private buildStems(): void {
    const stems = this.stems!;
    const p = this.props;
    const data = p.data;
    const n = data && p.stems ? data.count : 0;
    let k = 0;
    const pos = new Float32Array(6 * n);
    for (let i = 0; i < n; i++) {
      if (this.styleOf[i] !== 0 && this.styleOf[i] !== 1) continue;
      const x = data!.enu[3 * i]!, y = data!.enu[3 * i + 1]!, z = data!.enu[3 * i + 2]!;
      if (z - data!.groundZ[i]! < 0.5) continue;
      pos[k++] = x;
      pos[k++] = y;
      pos[k++] = data!.groundZ[i]!;
      pos[k++] = x;
      pos[k++] = y;
      pos[k++] = z;
    }
    stems.geometry.dispose(); // frees the GPU buffer of the attribute being replaced
    stems.geometry.setAttribute('position', new BufferAttribute(pos.subarray(0, k), 3));
    stems.geometry.setDrawRange(0, k / 3);
    (stems.material as LineBasicMaterial).opacity = 0.6 * p.opacity;
  }

  /** Size in metres of glyph `i` for the view (pixels within the caps, times its selection scale). */
  sizeOf(i: number, view: ViewState): number {
    const data = this.props.data!;
    const dx = data.enu[3 * i]! - view.eye[0]!, dy = data.enu[3 * i + 1]! - view.eye[1]!, dz = data.enu[3 * i + 2]! - view.eye[2]!;
    const p = this.props;
    return glyphSizeM(p.sizePx, Math.sqrt(dx * dx + dy * dy + dz * dz), view.fovyRad, view.heightPx, p.minSizeM, p.maxSizeM) * (this.scaleOf[i] || 1);
  }

  protected override drawLayer(view: ViewState): void {
    const data = this.props.data;
    if (!data) return;
    const enu = data.enu, r = this.rotation;
    for (const row of this.buckets) {
      for (const b of row) {
        if (b.count === 0) continue;
        const m = b.mesh.instanceMatrix.array as Float32Array;
        for (let k = 0; k < b.count; k++) {
          const i = b.indices[k]!;
          const s = this.sizeOf(i, view);
          const o = 16 * k, q = 9 * i;
          m[o] = r[q]! * s; m[o + 1] = r[q + 1]! * s; m[o + 2] = r[q + 2]! * s; m[o + 3] = 0;
          m[o + 4] = r[q + 3]! * s; m[o + 5] = r[q + 4]! * s; m[o + 6] = r[q + 5]! * s; m[o + 7] = 0;
          m[o + 8] = r[q + 6]! * s; m[o + 9] = r[q + 7]! * s; m[o + 10] = r[q + 8]! * s; m[o + 11] = 0;
          m[o + 12] = enu[3 * i]!; m[o + 13] = enu[3 * i + 1]!; m[o + 14] = enu[3 * i + 2]!; m[o + 15] = 1;
        }
        b.mesh.instanceMatrix.needsUpdate = true;
      }
    }
  }

  protected override finalizeState(): void {
    // geometries are shared by a type's three meshes: dispose each once (disposeTree also reaches them; dispose is idempotent)
    for (const row of this.buckets) row[0]!.mesh.geometry.dispose();
    this.buckets = [];
    this.materials = [];
    this.stems = null;
  }
}

/**
 * Writes the rotation of a glyph (columns right, forward, up in ENU) for a heading (clockwise from
 * north) and a tilt (down from the horizon; only cameras tilt their glyph). NaN angles count as 0.
 */
export function writeRotation(out: Float32Array, o: number, headingDeg: number, tiltDeg: number, type: DeviceType): void {
  const h = (Number.isNaN(headingDeg) ? 0 : headingDeg) * DEG;
  const t = (type === 'camera' || type === 'epolice') && !Number.isNaN(tiltDeg) ? tiltDeg * DEG : 0;
  const sh = Math.sin(h), ch = Math.cos(h), st = Math.sin(t), ct = Math.cos(t);
  // right, forward, up (sim-core/coverage/camera.ts: forward = (sinψ cos t, cosψ cos t, −sin t), up = (sinψ sin t, cosψ sin t, cos t))
  out[o] = ch; out[o + 1] = -sh; out[o + 2] = 0;
  out[o + 3] = sh * ct; out[o + 4] = ch * ct; out[o + 5] = -st;
  out[o + 6] = sh * st; out[o + 7] = ch * st; out[o + 8] = ct;
}

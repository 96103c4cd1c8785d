/**
 * The three.js overlay of the planner workbench: its own transparent WebGL canvas above Cesium's,
 * a three.js scene in the ENU frame at the city origin (frame.ts), and a camera copied from Cesium's
 * in every `scene.postRender` (position, direction and up rotated into ENU in Float64; projection
 * from Cesium's PerspectiveFrustum fovy and aspect). Cesium runs in request-render mode: the overlay
 * draws in the same postRender as Cesium's frame, and asks Cesium for a frame when it changes.
 *
 * The layers (layers/*.ts) draw device glyphs, the selected camera's frustum with DORI bands, 5G
 * wedges, weather spacing circles, vehicles and rotate handles. Occlusion by buildings is tested on the
 * CPU (visibility.ts) when the view moves, at most every `occlusionThrottleMs`, and once more after it
 * stops. See docs/overlay.md.
 */
import { Cartesian2, Cartesian3, SceneTransforms, type PerspectiveFrustum, type Scene } from 'cesium';
import { AmbientLight, DirectionalLight, PerspectiveCamera, Scene as ThreeScene, Vector2, Vector3, WebGLRenderer } from 'three';
import { LocalFrame } from '../../sim-core/cim/frame.ts';
import { DEVICE_TYPES, type City } from '../../sim-core/cim/types.ts';
import { PrismIndex } from '../../sim-core/spatial/prism-index.ts';
import { cameraSpecOf, positionDevices, readDevices, wedgeOf, type DeviceFeatureLike, type DevicePositions, type OverlayDevice } from './devices.ts';
import { cameraVfovDeg, doriBands, type DoriBand } from './dori.ts';
import { cameraWorldMatrix, EnuFrame, projectToWindow, type PinholeView } from './frame.ts';
import type { LayerContext, OverlayLayer, BaseLayerProps, ViewState } from './layer.ts';
import { FrustumLayer, type FrustumDatum } from './layers/frustum.ts';
import { GlyphLayer, type GlyphData } from './layers/glyphs.ts';
import { SpacingLayer, WedgeLayer, type SpacingDatum, type WedgeDatum } from './layers/ground-shapes.ts';
import { HandleLayer, type HandleKind } from './layers/handles.ts';
import { VehicleLayer, type VehicleData } from './layers/vehicles.ts';
import { inViewMask, pickNearest } from './pick.ts';
import { enuEyeToLocal, GlyphOcclusion, HIDDEN, UNTESTED } from './visibility.ts';

/** What a pick at a window position hit (the workbench's PickHit, structurally). */
export interface OverlayPickHit {
  kind: 'device' | 'proposal' | 'handle';
  id: string;
  handle?: HandleKind;
}

export interface OverlayOptions {
  /** Hidden glyphs: 'fade' (default) or 'hide'. */
  hiddenStyle?: 'fade' | 'hide';
  /** Least time between the starts of two occlusion passes while the view moves (default 100 ms). */
  occlusionThrottleMs?: number;
  /** Longest slice of an occlusion pass on the main thread before it yields (default 8 ms). */
  occlusionSliceMs?: number;
  /** Frustums are cut at this slant distance (default 600 m). */
  frustumCapM?: number;
  /** Near and far planes of the overlay camera (default 1 m and 100 km; they do not change where anything projects). */
  nearM?: number;
  farM?: number;
}

/** Cost counters of the overlay (milliseconds of main-thread time). */
export interface OverlayStats {
  frames: number;
  /** Time in the overlay's postRender (camera sync, layer draws, three.js render calls), last and mean. */
  lastFrameMs: number;
  meanFrameMs: number;
  /** Sum of the overlay's frame times (differences give the mean over an interval). */
  totalFrameMs: number;
  /** Occlusion passes completed, the glyphs the last one tested, its main-thread time (sum of its slices) and its wall time. */
  occlusionPasses: number;
  lastOcclusionMs: number;
  lastOcclusionWallMs: number;
  lastOcclusionTested: number;
  maxOcclusionMs: number;
  /** Time of the last device update ('devices' / 'proposals' event). */
  lastSetDevicesMs: number;
  /** Device updates done in place (a few devices moved or turned: a drag step) rather than in full. */
  patches: number;
}

/** A feature read and positioned once (cached by the feature object). */
interface CachedDevice {
  device: OverlayDevice | null;
  problems: string[];
  enu: Float64Array;
  groundZ: number;
  local: Float64Array;
  mounted: number;
  /** Its 5G wedge or spacing circle datum, made once. */
  shape?: WedgeDatum | SpacingDatum;
}

/** True when both lists hold the same objects in the same order. */
function sameItems<T>(a: readonly T[], b: readonly T[] | null): boolean {
  if (!b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface OcclusionPass {
  eye: Float64Array;
  inView: Uint8Array;
  result: Uint8Array;
  next: number;
  cpuMs: number;
  startedAt: number;
  generation: number;
}

const OCCLUDABLE = 1;

export class ThreeOverlay {
  readonly canvas: HTMLCanvasElement;
  readonly renderer: WebGLRenderer;
  readonly scene3 = new ThreeScene();
  readonly camera = new PerspectiveCamera(60, 1, 1, 1e5);
  readonly frame: EnuFrame;
  readonly glyphs = new GlyphLayer();
  readonly frustums = new FrustumLayer();
  readonly wedges = new WedgeLayer();
  readonly spacing = new SpacingLayer();
  readonly vehicles = new VehicleLayer();
  readonly handles = new HandleLayer();
  readonly layers: OverlayLayer<BaseLayerProps>[];
  readonly stats: OverlayStats = { frames: 0, lastFrameMs: 0, meanFrameMs: 0, totalFrameMs: 0, occlusionPasses: 0, lastOcclusionMs: 0, lastOcclusionWallMs: 0, lastOcclusionTested: 0, maxOcclusionMs: 0, lastSetDevicesMs: 0, patches: 0 };
  /** Problems found reading devices (source, record, field). */
  problems: string[] = [];

  private readonly cesium: Scene;
  private readonly local: LocalFrame;
  private readonly occlusion: GlyphOcclusion;
  private readonly options: Required<OverlayOptions>;
  private devices: OverlayDevice[] = [];
  private positions: DevicePositions = { enu: new Float64Array(0), groundEnuZ: new Float64Array(0), local: new Float64Array(0) };
  private indexOf = new Map<string, number>();
  private visibility: Uint8Array = new Uint8Array(0);
  private inView = new Uint8Array(0);
  private selected: string | null = null;
  private highlighted: ReadonlySet<string> | null = null;
  private deviceFeatures: readonly DeviceFeatureLike[] = [];
  private deviceCache = new WeakMap<object, CachedDevice>();
  /** True when the last full update made glyph i of feature i for every device feature (see patchDevices). */
  private oneToOne = false;
  private proposalCache = new WeakMap<object, CachedDevice>();
  private proposalFeatures: readonly DeviceFeatureLike[] = [];
  private readonly world: number[] = new Array<number>(16).fill(0);
  private readonly eye = new Float64Array(3);
  private readonly dir = new Float64Array(3);
  private readonly up = new Float64Array(3);
  private readonly lastTested = new Float64Array(6).fill(NaN);
  private view: PinholeView & ViewState;
  private viewDirty = true;
  private lastPassStart = -Infinity;
  private pass: OcclusionPass | null = null;
  private generation = 0;
  private passListeners: { after: number; resolve: () => void }[] = [];
  private readonly channel = new MessageChannel();
  private trailing: ReturnType<typeof setTimeout> | null = null;
  private removePostRender: () => void;
  private disposed = false;
  private frameListeners: (() => void)[] = [];
  private readonly size2 = new Vector2();

  constructor(scene: Scene, city: City, options: OverlayOptions = {}) {
    this.cesium = scene;
    this.options = { hiddenStyle: 'fade', occlusionThrottleMs: 100, occlusionSliceMs: 8, frustumCapM: 600, nearM: 1, farM: 1e5, ...options };
    this.frame = new EnuFrame(city.origin);
    this.local = new LocalFrame(city.origin);
    this.occlusion = new GlyphOcclusion(PrismIndex.fromBuildings(city.buildings));

    const host = scene.canvas.parentElement as HTMLElement;
    if (getComputedStyle(host).position === 'static') host.style.position = 'relative';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'cimtwin-overlay';
    Object.assign(this.canvas.style, { position: 'absolute', left: '0', top: '0', width: '100%', height: '100%', pointerEvents: 'none' });
    host.appendChild(this.canvas);
    this.renderer = new WebGLRenderer({ canvas: this.canvas, alpha: true, antialias: false, premultipliedAlpha: true });
    this.renderer.setClearColor(0x000000, 0);
    this.renderer.localClippingEnabled = true;

    this.camera.matrixAutoUpdate = false;
    this.camera.matrixWorldAutoUpdate = false;
    this.scene3.add(new AmbientLight(0xffffff, 1.6));
    const sun = new DirectionalLight(0xffffff, 2.2);
    sun.position.set(-0.3, 0.4, 0.85);
    this.scene3.add(sun);

    this.layers = [this.spacing, this.wedges, this.vehicles, this.glyphs, this.frustums, this.handles] as unknown as OverlayLayer<BaseLayerProps>[];
    const context: LayerContext = { frame: this.frame, requestRender: () => this.requestRender() };
    for (const layer of this.layers) {
      layer.initialize(context);
      this.scene3.add(layer.object3d);
    }
    this.glyphs.setProps({ hiddenStyle: this.options.hiddenStyle });
    this.view = { world: this.world, eye: this.eye, fovyRad: 1, aspect: 1, widthPx: 1, heightPx: 1 };
    this.channel.port1.onmessage = () => this.continuePass();
    this.removePostRender = scene.postRender.addEventListener(() => this.onPostRender());
    this.requestRender();
  }

  /** Asks Cesium for a frame; the overlay draws in its postRender. */
  requestRender(): void {
    if (!this.disposed) this.cesium.requestRender();
  }

  /**
   * Replaces the devices and proposals (GeoJSON device features). Features are read and positioned
   * once and cached by object identity, so that a drag (one feature replaced per step) costs only the
   * changed device; unchanged devices keep their occlusion state until the next pass.
   */
  setDevices(devices: readonly DeviceFeatureLike[], proposals: readonly DeviceFeatureLike[] = this.proposalFeatures): void {
    const t0 = performance.now();
    if (proposals === this.proposalFeatures && this.patchDevices(devices)) {
      this.stats.lastSetDevicesMs = performance.now() - t0;
      this.stats.patches++;
      return;
    }
    this.deviceFeatures = devices;
    this.proposalFeatures = proposals;
    const entries: CachedDevice[] = [];
    const problems: string[] = [];
    const seen = new Set<string>();
    const take = (features: readonly DeviceFeatureLike[], source: 'devices' | 'proposals') => {
      const cache = source === 'devices' ? this.deviceCache : this.proposalCache;
      features.forEach((f, i) => {
        let e = f && typeof f === 'object' ? cache.get(f) : undefined;
        if (!e) {
          const r = readDevices([f], source, source === 'proposals', i);
          const d = r.devices[0] ?? null;
          const pos = d ? positionDevices([d], this.frame, this.local) : null;
          e = { device: d, problems: r.problems, enu: pos?.enu ?? new Float64Array(3), groundZ: pos?.groundEnuZ[0] ?? 0, local: pos?.local ?? new Float64Array(3), mounted: pos ? this.occlusion.mountedIn(pos.local[0]!, pos.local[1]!, pos.local[2]!) : -1 };
          if (f && typeof f === 'object') cache.set(f, e);
        }
        problems.push(...e.problems);
        if (e.device && !seen.has(e.device.id)) {
          seen.add(e.device.id);
          entries.push(e);
        }
      });
    };
    take(devices, 'devices');
    take(proposals, 'proposals');
    this.problems = problems;
    if (problems.length) console.warn(`overlay: ${problems.length} device problem(s); first: ${problems[0]}`);
    const n = entries.length;
    // The fast path (patchDevices) needs glyph i to be feature i.
    this.oneToOne = problems.length === 0 && entries.length === devices.length + proposals.length && entries.every((e, i) => i >= devices.length || e === this.deviceCache.get(devices[i] as object));
    const oldState = new Map(this.devices.map((d, i) => [d, this.visibility[i]!]));
    this.devices = entries.map((e) => e.device!);
    const enu = new Float64Array(3 * n), local = new Float64Array(3 * n), groundEnuZ = new Float64Array(n), mounted = new Int32Array(n);
    entries.forEach((e, i) => {
      enu.set(e.enu, 3 * i);
      local.set(e.local, 3 * i);
      groundEnuZ[i] = e.groundZ;
      mounted[i] = e.mounted;
    });
    this.positions = { enu, groundEnuZ, local };
    this.indexOf = new Map(this.devices.map((d, i) => [d.id, i]));
    this.occlusion.setAnchors(local, n, mounted);
    // an unchanged device keeps its state (same object); a new or moved one waits for the next pass
    this.visibility = Uint8Array.from(this.devices, (d) => oldState.get(d) ?? UNTESTED);
    this.inView = new Uint8Array(n);
    this.generation++;
    const data: GlyphData = {
      count: n,
      ids: this.devices.map((d) => d.id),
      typeCode: Uint8Array.from(this.devices, (d) => DEVICE_TYPES.indexOf(d.type)),
      enu: this.positions.enu,
      groundZ: this.positions.groundEnuZ,
      headingDeg: Float32Array.from(this.devices, (d) => d.headingDeg),
      tiltDeg: Float32Array.from(this.devices, (d) => d.tiltDeg),
      ghost: Uint8Array.from(this.devices, (d) => (d.proposal ? 1 : 0)),
    };
    this.glyphs.setProps({ data, visibility: this.visibility });
    // wedges and circles: one datum per cached entry, so an unchanged list (a camera dragged) rebuilds nothing
    const wedges = entries.flatMap((e) => (e.device!.type === 'cell5g' ? [(e.shape ??= { id: e.device!.id, enu: e.enu, groundZ: e.groundZ, ...wedgeOf(e.device!) })] : [])) as WedgeDatum[];
    const circles = entries.flatMap((e) => (e.device!.type === 'weather' && !e.device!.proposal ? [(e.shape ??= { id: e.device!.id, enu: e.enu, groundZ: e.groundZ })] : [])) as SpacingDatum[];
    if (!sameItems(wedges, this.wedges.props.data)) this.wedges.setProps({ data: wedges });
    if (!sameItems(circles, this.spacing.props.data)) this.spacing.setProps({ data: circles });
    this.updateSelectionLayers();
    this.viewDirty = true;
    this.lastTested.fill(NaN);
    this.stats.lastSetDevicesMs = performance.now() - t0;
    this.requestRender();
  }

  /**
   * The drag case: the same list but for a few replaced features of the same id and type (a camera
   * or a signal moved or turned). Patches their positions, occlusion anchors and glyphs in place and
   * tests only their occlusion from the current eye, instead of re-reading every device and starting
   * a new occlusion pass for a view that did not move. Returns false (nothing touched) when the change
   * is anything else: the caller then does the full update.
   */
  private patchDevices(devices: readonly DeviceFeatureLike[]): boolean {
    const old = this.deviceFeatures;
    if (!this.oneToOne || devices.length !== old.length || this.glyphs.props.data?.count !== this.devices.length) return false;
    const changed: { i: number; e: CachedDevice }[] = [];
    for (let i = 0; i < devices.length; i++) {
      const f = devices[i]!;
      if (f === old[i]) continue;
      if (changed.length >= 8 || !f || typeof f !== 'object') return false;
      let e = this.deviceCache.get(f);
      if (!e) {
        const r = readDevices([f], 'devices', false, i);
        const d = r.devices[0] ?? null;
        const pos = d ? positionDevices([d], this.frame, this.local) : null;
        e = { device: d, problems: r.problems, enu: pos?.enu ?? new Float64Array(3), groundZ: pos?.groundEnuZ[0] ?? 0, local: pos?.local ?? new Float64Array(3), mounted: pos ? this.occlusion.mountedIn(pos.local[0]!, pos.local[1]!, pos.local[2]!) : -1 };
        this.deviceCache.set(f, e);
      }
      const before = this.devices[i]!;
      const d = e.device;
      // same id and type, no problems, and not a type with a ground shape (wedges, circles are rebuilt by the full path)
      if (!d || e.problems.length || d.id !== before.id || d.type !== before.type || d.type === 'cell5g' || d.type === 'weather') return false;
      changed.push({ i, e });
    }
    this.deviceFeatures = devices;
    if (changed.length === 0) return true;
    const data = this.glyphs.props.data!;
    const eye = Number.isFinite(this.lastTested[0]!) ? enuEyeToLocal(this.frame, this.local, this.eye[0]!, this.eye[1]!, this.eye[2]!) : null;
    for (const { i, e } of changed) {
      const d = e.device!;
      this.devices[i] = d;
      this.positions.enu.set(e.enu, 3 * i);
      this.positions.local.set(e.local, 3 * i);
      this.positions.groundEnuZ[i] = e.groundZ;
      this.occlusion.setAnchor(i, e.local[0]!, e.local[1]!, e.local[2]!, e.mounted);
      data.headingDeg[i] = d.headingDeg;
      data.tiltDeg[i] = d.tiltDeg;
      // its occlusion from where the eye is now (one segment), or untested until the next pass
      if (eye) this.occlusion.testRange(eye[0]!, eye[1]!, eye[2]!, this.visibility, null, i, i + 1);
      else this.visibility[i] = UNTESTED;
      if (this.pass) this.pass.result[i] = this.visibility[i]!;
    }
    this.glyphs.patchGlyphs(changed.map((c) => c.i));
    this.updateSelectionLayers();
    this.requestRender();
    return true;
  }

  /** Re-reads the proposals only. */
  setProposals(proposals: readonly DeviceFeatureLike[]): void {
    this.setDevices(this.deviceFeatures, proposals);
  }

  setSelection(id: string | null): void {
    this.selected = id;
    this.glyphs.setProps({ selectedId: id });
    this.wedges.setProps({ selectedId: id });
    this.spacing.setProps({ selectedId: id });
    this.updateSelectionLayers();
  }

  setHighlight(deviceIds: readonly string[] | undefined): void {
    this.highlighted = deviceIds && deviceIds.length ? new Set(deviceIds) : null;
    this.glyphs.setProps({ highlightedIds: this.highlighted });
  }

  setVehicles(frame: VehicleData | null): void {
    this.vehicles.setProps({ data: frame });
  }

  /** The handle being dragged, shown in its active colour. */
  setActiveHandle(kind: HandleKind | null): void {
    this.handles.setProps({ active: kind });
  }

  /** The selected device's DORI bands (camera / e-police), or null. */
  selectedFrustum(): { id: string; bands: DoriBand[] } | null {
    const d = this.frustums.props.data?.[0];
    return d ? { id: d.id, bands: [...d.bands] } : null;
  }

  private updateSelectionLayers(): void {
    const i = this.selected === null ? undefined : this.indexOf.get(this.selected);
    const d = i === undefined ? undefined : this.devices[i];
    let frustum: FrustumDatum[] | null = null;
    if (d && (d.type === 'camera' || d.type === 'epolice')) {
      try {
        const spec = cameraSpecOf(d);
        frustum = [{ id: d.id, enu: this.positions.enu.subarray(3 * i!, 3 * i! + 3), groundZ: this.positions.groundEnuZ[i!]!, headingDeg: spec.headingDeg, tiltDeg: spec.tiltDeg, hfovDeg: spec.hfovDeg, vfovDeg: cameraVfovDeg(spec), bands: doriBands(spec, this.options.frustumCapM) }];
      } catch (e) {
        this.problems.push((e as Error).message);
        console.warn(`overlay: no frustum for ${d.id}: ${(e as Error).message}`);
      }
    }
    this.frustums.setProps({ data: frustum });
    const turnable = d && (d.type === 'camera' || d.type === 'epolice' || d.type === 'cell5g');
    this.handles.setProps({ data: turnable ? { id: d.id, enu: this.positions.enu.subarray(3 * i!, 3 * i! + 3), headingDeg: d.headingDeg, tiltDeg: d.tiltDeg, kinds: ['heading', 'tilt'] } : null });
  }

  /** Copies Cesium's camera into the overlay camera and the pinhole view. */
  syncCamera(): void {
    const cam = this.cesium.camera;
    const p = cam.positionWC, d = cam.directionWC, u = cam.upWC;
    this.frame.ecefToEnu(p.x, p.y, p.z, this.eye);
    this.frame.rotateToEnu(d.x, d.y, d.z, this.dir);
    this.frame.rotateToEnu(u.x, u.y, u.z, this.up);
    cameraWorldMatrix(this.eye, this.dir, this.up, this.world);
    this.camera.matrixWorld.fromArray(this.world);
    this.camera.matrixWorldInverse.copy(this.camera.matrixWorld).invert();
    const f = cam.frustum as PerspectiveFrustum;
    const fovy = f.fovy ?? Math.PI / 3;
    const aspect = f.aspectRatio ?? 1;
    const canvas = this.cesium.canvas;
    const cssW = canvas.clientWidth || 1, cssH = canvas.clientHeight || 1;
    this.camera.fov = (fovy * 180) / Math.PI;
    this.camera.aspect = aspect;
    this.camera.near = this.options.nearM;
    this.camera.far = this.options.farM;
    this.camera.updateProjectionMatrix();
    this.view.fovyRad = fovy;
    this.view.aspect = aspect;
    this.view.widthPx = cssW;
    this.view.heightPx = cssH;
    const ratio = this.cesium.drawingBufferWidth / cssW;
    if (this.renderer.getPixelRatio() !== ratio) this.renderer.setPixelRatio(ratio);
    const size = this.renderer.getSize(this.size2);
    if (size.x !== cssW || size.y !== cssH) this.renderer.setSize(cssW, cssH, false);
    // has the view moved since the last occlusion pass?
    const t = this.lastTested;
    if (!(Math.abs(t[0]! - this.eye[0]!) < 0.01 && Math.abs(t[1]! - this.eye[1]!) < 0.01 && Math.abs(t[2]! - this.eye[2]!) < 0.01 && Math.abs(t[3]! - this.dir[0]!) < 1e-5 && Math.abs(t[4]! - this.dir[1]!) < 1e-5 && Math.abs(t[5]! - this.dir[2]!) < 1e-5)) this.viewDirty = true;
  }

  /**
   * Starts an occlusion pass from the current view: the glyphs in view (inViewMask) are tested
   * against the buildings in slices of at most `occlusionSliceMs` on the main thread (a
   * MessageChannel turn between slices, so input and frames go on), and the result replaces the glyph
   * layer's visibility at once when the pass is complete.
   */
  private startPass(): void {
    const n = this.devices.length;
    const inView = new Uint8Array(n);
    inViewMask(this.view, this.positions.enu, n, 40, inView);
    const eye = Float64Array.from(enuEyeToLocal(this.frame, this.local, this.eye[0]!, this.eye[1]!, this.eye[2]!));
    this.pass = { eye, inView, result: new Uint8Array(n), next: 0, cpuMs: 0, startedAt: performance.now(), generation: this.generation };
    this.lastTested.set([this.eye[0]!, this.eye[1]!, this.eye[2]!, this.dir[0]!, this.dir[1]!, this.dir[2]!]);
    this.viewDirty = false;
    this.lastPassStart = this.pass.startedAt;
    this.channel.port2.postMessage(0);
  }

  private continuePass(): void {
    const p = this.pass;
    if (!p || this.disposed) return;
    if (p.generation !== this.generation) {
      // the devices changed under the pass: start again
      this.pass = null;
      this.viewDirty = true;
      this.startPass();
      return;
    }
    const t0 = performance.now();
    const n = p.result.length;
    while (p.next < n) {
      this.occlusion.testRange(p.eye[0]!, p.eye[1]!, p.eye[2]!, p.result, p.inView, p.next, p.next + 32);
      p.next += 32;
      if (performance.now() - t0 >= this.options.occlusionSliceMs) break;
    }
    p.cpuMs += performance.now() - t0;
    if (p.next < n) {
      this.channel.port2.postMessage(0);
      return;
    }
    this.pass = null;
    this.visibility = p.result;
    this.glyphs.setProps({ visibility: this.visibility });
    let tested = 0;
    for (let i = 0; i < n; i++) if (p.inView[i] === OCCLUDABLE) tested++;
    this.stats.occlusionPasses++;
    this.stats.lastOcclusionMs = p.cpuMs;
    this.stats.lastOcclusionWallMs = performance.now() - p.startedAt;
    this.stats.lastOcclusionTested = tested;
    this.stats.maxOcclusionMs = Math.max(this.stats.maxOcclusionMs, p.cpuMs);
    this.passListeners = this.passListeners.filter((l) => (p.startedAt >= l.after ? (l.resolve(), false) : true));
    if (this.viewDirty || this.passListeners.length) this.startPass();
    this.requestRender();
  }

  private onPostRender(): void {
    if (this.disposed) return;
    const t0 = performance.now();
    this.syncCamera();
    if (this.viewDirty && !this.pass) {
      const since = t0 - this.lastPassStart;
      if (since >= this.options.occlusionThrottleMs) {
        if (this.trailing) clearTimeout(this.trailing);
        this.trailing = null;
        this.startPass();
      } else if (!this.trailing) {
        this.trailing = setTimeout(() => {
          this.trailing = null;
          if (this.viewDirty) this.requestRender();
        }, this.options.occlusionThrottleMs - since);
      }
    }
    for (const layer of this.layers) layer.draw(this.view);
    this.renderer.render(this.scene3, this.camera);
    const ms = performance.now() - t0;
    this.stats.frames++;
    this.stats.lastFrameMs = ms;
    this.stats.totalFrameMs += ms;
    this.stats.meanFrameMs += (ms - this.stats.meanFrameMs) / this.stats.frames;
    for (const l of this.frameListeners.splice(0)) l();
  }

  /** Resolves after the next overlay frame (requests one). */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => {
      this.frameListeners.push(resolve);
      this.requestRender();
    });
  }

  /** Forces an occlusion pass for the current view and resolves after a frame drawn with it. */
  async settle(): Promise<void> {
    await this.nextFrame();
    const after = performance.now();
    const done = new Promise<void>((resolve) => this.passListeners.push({ after, resolve }));
    this.viewDirty = true;
    if (!this.pass) this.startPass();
    await done;
    await this.nextFrame();
  }

  // ---- queries ---------------------------------------------------------------------------

  /** Window position (CSS px from the canvas' top-left) of a device's anchor through the three.js camera. */
  projectDevice(id: string): { x: number; y: number } | null {
    const i = this.indexOf.get(id);
    if (i === undefined) return null;
    const v = new Vector3(this.positions.enu[3 * i], this.positions.enu[3 * i + 1], this.positions.enu[3 * i + 2]).project(this.camera);
    if (v.z > 1 || v.z < -1) return null;
    return { x: ((v.x + 1) / 2) * this.view.widthPx, y: ((1 - v.y) / 2) * this.view.heightPx };
  }

  /** Window position of a rotate handle's knob (after the last frame), or null when not shown. */
  projectHandle(kind: HandleKind): { x: number; y: number } | null {
    const k = this.handles.knobEnu(kind);
    const p = k ? projectToWindow(this.view, k.x, k.y, k.z) : null;
    return p ? { x: p[0]!, y: p[1]! } : null;
  }

  /** The ECEF position of a device's anchor. */
  deviceEcef(id: string): Cartesian3 | null {
    const i = this.indexOf.get(id);
    if (i === undefined) return null;
    const e = this.positions.enu;
    const p = this.frame.enuToEcef(e[3 * i]!, e[3 * i + 1]!, e[3 * i + 2]!);
    return new Cartesian3(p[0], p[1], p[2]);
  }

  /** The same through Cesium (`SceneTransforms.worldToWindowCoordinates`). */
  cesiumProjectDevice(id: string): { x: number; y: number } | null {
    const p = this.deviceEcef(id);
    const w = p ? SceneTransforms.worldToWindowCoordinates(this.cesium, p) : undefined;
    return w ? { x: w.x, y: w.y } : null;
  }

  /** Distance from the eye to the device, and to the nearest surface Cesium drew at its pixel (depth buffer), metres. */
  cesiumDepthCheck(id: string): { deviceDistM: number; surfaceDistM: number | null } | null {
    const p = this.deviceEcef(id);
    const w = this.cesiumProjectDevice(id);
    if (!p || !w) return null;
    const eye = this.cesium.camera.positionWC;
    const surface = this.cesium.pickPositionSupported ? this.cesium.pickPosition(new Cartesian2(w.x, w.y)) : undefined;
    return { deviceDistM: Cartesian3.distance(eye, p), surfaceDistM: surface ? Cartesian3.distance(eye, surface) : null };
  }

  /** 'drawn', 'hidden' (behind a building), 'untested' (out of view) or null for an unknown id. */
  deviceState(id: string): 'drawn' | 'hidden' | 'untested' | null {
    const i = this.indexOf.get(id);
    if (i === undefined) return null;
    const v = this.visibility[i];
    return v === HIDDEN ? 'hidden' : v === UNTESTED ? 'untested' : 'drawn';
  }

  hiddenIds(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.devices.length; i++) if (this.visibility[i] === HIDDEN) out.push(this.devices[i]!.id);
    return out;
  }

  /** Devices known to the overlay (id, type, proposal). */
  deviceList(): { id: string; type: string; proposal: boolean; lonDeg: number; latDeg: number; heightM: number }[] {
    return this.devices.map((d) => ({ id: d.id, type: d.type, proposal: d.proposal, lonDeg: d.lonDeg, latDeg: d.latDeg, heightM: d.heightM }));
  }

  /**
   * What is drawn at a window position: a rotate handle's knob first, then the nearest glyph drawn
   * plainly (not hidden behind a building) within its size on screen.
   */
  pick(windowX: number, windowY: number): OverlayPickHit | null {
    const h = this.handles.props.data;
    if (h && this.handles.props.visible) {
      const knobPx = Math.max(8, this.handles.props.radiusPx * this.handles.props.knobScale + 4);
      let best: HandleKind | null = null;
      let bestD = knobPx;
      for (const kind of h.kinds) {
        const k = this.handles.knobEnu(kind);
        const p = k ? projectToWindow(this.view, k.x, k.y, k.z) : null;
        const dist = p ? Math.hypot(p[0]! - windowX, p[1]! - windowY) : Infinity;
        if (dist <= bestD) {
          best = kind;
          bestD = dist;
        }
      }
      if (best) return { kind: 'handle', id: h.id, handle: best };
    }
    if (!this.glyphs.props.visible) return null;
    const sizePx = this.glyphs.props.sizePx;
    const i = pickNearest(
      this.view,
      this.positions.enu,
      this.devices.length,
      windowX,
      windowY,
      (k) => (this.devices[k]!.id === this.selected ? this.glyphs.props.selectedScale : 1) * sizePx * 0.6 + 2,
      (k) => this.visibility[k] !== HIDDEN && this.glyphs.isDrawn(k),
    );
    if (i < 0) return null;
    const d = this.devices[i]!;
    return { kind: d.proposal ? 'proposal' : 'device', id: d.id };
  }

  /** Renders now (only the layers named in `only`, when given) and counts the overlay canvas' non-transparent pixels (for tests). */
  paintedPixels(only?: readonly string[]): number {
    this.syncCamera();
    const shown = this.layers.map((l) => l.object3d.visible);
    if (only) for (const l of this.layers) l.object3d.visible = l.object3d.visible && only.includes(l.id);
    for (const layer of this.layers) layer.draw(this.view);
    this.renderer.render(this.scene3, this.camera);
    this.layers.forEach((l, k) => (l.object3d.visible = shown[k]!));
    const gl = this.renderer.getContext();
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    const px = new Uint8Array(4 * w * h);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, px);
    let n = 0;
    for (let k = 3; k < px.length; k += 4) if (px[k]! > 8) n++;
    return n;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.trailing) clearTimeout(this.trailing);
    this.pass = null;
    this.channel.port1.close();
    this.removePostRender();
    for (const layer of this.layers) layer.dispose();
    this.renderer.dispose();
    this.canvas.remove();
    this.cesium.requestRender();
  }
}

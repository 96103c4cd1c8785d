/**
 * The overlay's layer lifecycle, after deck.gl's: a layer has typed `defaultProps`, is constructed
 * with partial props, and then
 * - `initialize(context)` once (creates its three.js objects under `object3d`), followed by a first
 *   `update` with every change flag set;
 * - `setProps(partial)` → `update(changeFlags, oldProps)` whenever props change (shallow comparison,
 *   `data` by reference as in deck.gl: pass a new array to signal new data);
 * - `draw(view)` every frame (view-dependent work: glyph sizes in pixels, handle sizes);
 * - `dispose()` once (frees every geometry and material it created; the layer cannot be used again).
 *
 * Layers build scene graphs only; none needs a WebGL context, so one conformance suite
 * (`layers/conformance.ts`) runs them all in Node.
 */
import { BufferGeometry, Group, Material, Mesh, type Object3D } from 'three';
import type { EnuFrame } from './frame.ts';

/** What changed since the last update (deck.gl's changeFlags). */
export interface ChangeFlags {
  dataChanged: boolean;
  propsChanged: boolean;
  /** Set on the first update and on `draw` when the view moved. */
  viewportChanged: boolean;
  somethingChanged: boolean;
}

/** What a layer gets at `initialize`. */
export interface LayerContext {
  /** The overlay's ENU frame. */
  frame: EnuFrame;
  /** Asks for a new frame (request render mode). */
  requestRender(): void;
}

/** The view a layer draws for. */
export interface ViewState {
  /** Eye position in the overlay's ENU frame. */
  eye: ArrayLike<number>;
  fovyRad: number;
  widthPx: number;
  heightPx: number;
}

/** Props every layer has. */
export interface BaseLayerProps {
  id: string;
  visible: boolean;
  /** Overall opacity multiplier (0 to 1). */
  opacity: number;
}

/** A layer class as the conformance suite and the overlay see it. */
export interface LayerClass<P extends BaseLayerProps> {
  readonly layerName: string;
  readonly defaultProps: Readonly<P>;
  new (props?: Partial<P>): OverlayLayer<P>;
}

const ALL_CHANGED: ChangeFlags = { dataChanged: true, propsChanged: true, viewportChanged: true, somethingChanged: true };

/** Base of every overlay layer; see the module doc. */
export abstract class OverlayLayer<P extends BaseLayerProps> {
  props: Readonly<P>;
  /** Root of the layer's scene graph (added to the overlay's scene by the overlay). */
  readonly object3d = new Group();
  protected context: LayerContext | null = null;
  private disposed = false;

  constructor(defaults: Readonly<P>, props: Partial<P> = {}) {
    this.props = { ...defaults, ...stripUndefined(props) };
    this.object3d.name = this.props.id;
    this.object3d.visible = this.props.visible;
  }

  get id(): string {
    return this.props.id;
  }

  get initialized(): boolean {
    return this.context !== null;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Creates the layer's objects and runs the first update. */
  initialize(context: LayerContext): void {
    if (this.disposed) throw new Error(`layer '${this.id}': initialize after dispose`);
    if (this.context) throw new Error(`layer '${this.id}': initialized twice`);
    this.context = context;
    this.initializeState(context);
    this.update(ALL_CHANGED, this.props);
  }

  /** Merges props and updates; returns what changed. Before `initialize` it only stores them. */
  setProps(partial: Partial<P>): ChangeFlags {
    if (this.disposed) throw new Error(`layer '${this.id}': setProps after dispose`);
    const old = this.props;
    const next = { ...old, ...stripUndefined(partial) } as P;
    let dataChanged = false;
    let propsChanged = false;
    for (const k of Object.keys(next) as (keyof P)[]) {
      if (!Object.is(next[k], old[k])) {
        if (k === 'data') dataChanged = true;
        else propsChanged = true;
      }
    }
    const flags: ChangeFlags = { dataChanged, propsChanged, viewportChanged: false, somethingChanged: dataChanged || propsChanged };
    this.props = next;
    this.object3d.visible = next.visible;
    if (this.context && flags.somethingChanged) {
      this.update(flags, old);
      this.context.requestRender();
    }
    return flags;
  }

  /** Reacts to changed props (rebuilds geometry on new data, restyles on props). */
  abstract update(changeFlags: ChangeFlags, oldProps: Readonly<P>): void;

  /** Per-frame, view-dependent work. Only called while visible. */
  draw(view: ViewState): void {
    if (this.disposed || !this.context || !this.props.visible) return;
    this.drawLayer(view);
  }

  /** Frees every geometry and material under `object3d` and detaches it. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.finalizeState();
    disposeTree(this.object3d);
    this.object3d.removeFromParent();
    this.object3d.clear();
    this.context = null;
  }

  /** Subclass hook: create objects (called once by `initialize`). */
  protected initializeState(_context: LayerContext): void {}
  /** Subclass hook: per-frame work. */
  protected drawLayer(_view: ViewState): void {}
  /** Subclass hook: free anything not under `object3d`. */
  protected finalizeState(): void {}
}

function stripUndefined<T extends object>(o: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Disposes every geometry and material under `root`. */
export function disposeTree(root: Object3D): void {
  root.traverse((o) => {
    const m = o as Mesh;
    if (m.geometry instanceof BufferGeometry) m.geometry.dispose();
    const mat = m.material as Material | Material[] | undefined;
    if (Array.isArray(mat)) mat.forEach((x) => x.dispose());
    else if (mat instanceof Material) mat.dispose();
    const inst = o as { dispose?: () => void; isInstancedMesh?: boolean };
    if (inst.isInstancedMesh && inst.dispose) inst.dispose();
  });
}

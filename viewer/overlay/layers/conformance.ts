/**
 * One generated conformance suite for every overlay layer, after deck.gl's `generateLayerTests`
 * (@deck.gl/test-utils): for a layer class and sample data it yields test cases that construct the
 * layer with empty props, initialise it, draw it, feed it null data, sample data, new data, change
 * every prop in turn, hide it, and dispose it, checking the lifecycle's promises on the scene graph
 * (no WebGL needed). The test file runs them with vitest; nothing here depends on vitest.
 */
import { BufferGeometry, InstancedMesh, Line, Mesh, Points, type Object3D } from 'three';
import { EnuFrame } from '../frame.ts';
import type { BaseLayerProps, LayerClass, LayerContext, OverlayLayer, ViewState } from '../layer.ts';

export interface LayerTestSpec<P extends BaseLayerProps> {
  Layer: LayerClass<P>;
  /** Data that must draw something. */
  sampleData: () => P extends { data: infer D } ? NonNullable<D> : never;
  /** A different value for props whose change cannot be derived from the default (enums, objects, nulls). */
  propValues?: Partial<{ [K in keyof P]: P[K] }>;
  /** Extra checks after the sample data is drawn. */
  assertSample?: (layer: OverlayLayer<P>) => void;
}

export interface LayerTestCase {
  title: string;
  run: () => void;
}

/** A Weifang-like origin for the fake context. */
export const TEST_ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 30 };

export function testContext(): LayerContext & { renders: number } {
  const ctx = { frame: new EnuFrame(TEST_ORIGIN), renders: 0, requestRender: () => void ctx.renders++ };
  return ctx;
}

export const TEST_VIEW: ViewState = { eye: [0, -800, 400], fovyRad: Math.PI / 3, widthPx: 800, heightPx: 600 };

/**
 * What a layer would draw: the sum over visible meshes, lines and points (and their visible
 * ancestors) of their instance count (instanced) or their drawn vertex count.
 */
export function renderableCount(root: Object3D): number {
  let n = 0;
  const visit = (o: Object3D) => {
    if (!o.visible) return;
    if (o instanceof InstancedMesh) n += o.count;
    else if (o instanceof Mesh || o instanceof Line || o instanceof Points) {
      const g = o.geometry as BufferGeometry;
      const pos = g.getAttribute('position');
      const count = pos ? Math.min(pos.count, g.drawRange.count) : 0;
      n += count;
    }
    for (const c of o.children) visit(c);
  };
  visit(root);
  return n;
}

function geometriesOf(root: Object3D): BufferGeometry[] {
  const out = new Set<BufferGeometry>();
  root.traverse((o) => {
    const g = (o as Mesh).geometry;
    if (g instanceof BufferGeometry) out.add(g);
  });
  return [...out];
}

function check(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** A value different from `v` for a prop (numbers, booleans, strings); undefined when none can be derived. */
function changedValue(key: string, v: unknown): unknown {
  if (typeof v === 'number') return key.toLowerCase().includes('opacity') || key === 'opacity' ? v * 0.5 : v * 1.5 + 1;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'string' && /^#[0-9a-f]{6}$/i.test(v)) return v === '#123456' ? '#654321' : '#123456';
  return undefined;
}

/** The test cases of one layer class. */
export function generateLayerTests<P extends BaseLayerProps>(spec: LayerTestSpec<P>): LayerTestCase[] {
  const { Layer } = spec;
  const name = Layer.layerName;
  const cases: LayerTestCase[] = [];
  const make = (props: Partial<P> = {}) => {
    const layer = new Layer(props);
    const ctx = testContext();
    layer.initialize(ctx);
    return { layer, ctx };
  };

  cases.push({
    title: `${name}: empty props take the defaults, initialise, draw and dispose`,
    run: () => {
      const layer = new Layer();
      for (const k of Object.keys(Layer.defaultProps) as (keyof P)[]) check(Object.is(layer.props[k], Layer.defaultProps[k]), `${name}: prop ${String(k)} is not its default`);
      check(!layer.initialized, `${name}: initialised before initialize()`);
      layer.initialize(testContext());
      check(layer.initialized, `${name}: not initialised`);
      layer.draw(TEST_VIEW);
      check(renderableCount(layer.object3d) === 0, `${name}: draws ${renderableCount(layer.object3d)} things with no data`);
      const geometries = geometriesOf(layer.object3d);
      let disposed = 0;
      for (const g of geometries) g.addEventListener('dispose', () => void disposed++);
      layer.dispose();
      check(disposed >= geometries.length, `${name}: dispose freed ${disposed} of ${geometries.length} geometries`);
      check(layer.object3d.children.length === 0, `${name}: scene graph left after dispose`);
      check(layer.isDisposed, `${name}: not marked disposed`);
      let threw = false;
      try {
        layer.setProps({ visible: false } as Partial<P>);
      } catch {
        threw = true;
      }
      check(threw, `${name}: setProps after dispose did not throw`);
    },
  });

  cases.push({
    title: `${name}: null data draws nothing`,
    run: () => {
      const { layer } = make({ data: null } as unknown as Partial<P>);
      layer.draw(TEST_VIEW);
      check(renderableCount(layer.object3d) === 0, `${name}: draws with null data`);
      const flags = layer.setProps({ data: null } as unknown as Partial<P>);
      check(!flags.somethingChanged, `${name}: null → null reported a change`);
      layer.dispose();
    },
  });

  cases.push({
    title: `${name}: sample data draws; new data is a data change; back to null clears`,
    run: () => {
      const { layer, ctx } = make();
      const data = spec.sampleData();
      let flags = layer.setProps({ data } as unknown as Partial<P>);
      check(flags.dataChanged && !flags.propsChanged, `${name}: data update flags ${JSON.stringify(flags)}`);
      check(ctx.renders > 0, `${name}: a data change did not request a render`);
      layer.draw(TEST_VIEW);
      const n = renderableCount(layer.object3d);
      check(n > 0, `${name}: sample data draws nothing`);
      spec.assertSample?.(layer);
      flags = layer.setProps({ data } as unknown as Partial<P>);
      check(!flags.somethingChanged, `${name}: the same data reference reported a change`);
      flags = layer.setProps({ data: spec.sampleData() } as unknown as Partial<P>);
      check(flags.dataChanged, `${name}: a new data reference is not a data change`);
      layer.draw(TEST_VIEW);
      check(renderableCount(layer.object3d) === n, `${name}: equal data drew ${renderableCount(layer.object3d)}, first time ${n}`);
      layer.setProps({ data: null } as unknown as Partial<P>);
      layer.draw(TEST_VIEW);
      check(renderableCount(layer.object3d) === 0, `${name}: still draws after data went back to null`);
      layer.dispose();
    },
  });

  cases.push({
    title: `${name}: visible false hides the layer and draw is a no-op`,
    run: () => {
      const { layer } = make({ data: spec.sampleData() } as unknown as Partial<P>);
      layer.draw(TEST_VIEW);
      const flags = layer.setProps({ visible: false } as Partial<P>);
      check(flags.propsChanged, `${name}: visible change not flagged`);
      check(!layer.object3d.visible, `${name}: object3d still visible`);
      layer.draw(TEST_VIEW);
      check(renderableCount(layer.object3d) === 0, `${name}: a hidden layer still renders`);
      layer.setProps({ visible: true } as Partial<P>);
      check(renderableCount(layer.object3d) > 0, `${name}: shown again, draws nothing`);
      layer.dispose();
    },
  });

  for (const key of Object.keys(Layer.defaultProps) as (keyof P & string)[]) {
    if (key === 'id' || key === 'data' || key === 'visible') continue;
    const given = spec.propValues && key in spec.propValues ? spec.propValues[key] : undefined;
    const value = given !== undefined ? given : changedValue(key, Layer.defaultProps[key]);
    if (value === undefined) {
      cases.push({
        title: `${name}: prop ${key} has a test value`,
        run: () => {
          throw new Error(`${name}: no test value for prop '${key}' (give one in propValues)`);
        },
      });
      continue;
    }
    cases.push({
      title: `${name}: prop update ${key}`,
      run: () => {
        const { layer, ctx } = make({ data: spec.sampleData() } as unknown as Partial<P>);
        layer.draw(TEST_VIEW);
        const renders = ctx.renders;
        let flags = layer.setProps({ [key]: value } as unknown as Partial<P>);
        check(flags.propsChanged && !flags.dataChanged, `${name}: ${key} change flags ${JSON.stringify(flags)}`);
        check(Object.is(layer.props[key], value), `${name}: ${key} not stored`);
        check(ctx.renders > renders, `${name}: ${key} change did not request a render`);
        layer.draw(TEST_VIEW);
        flags = layer.setProps({ [key]: value } as unknown as Partial<P>);
        check(!flags.somethingChanged, `${name}: setting ${key} to the same value reported a change`);
        layer.setProps({ [key]: Layer.defaultProps[key] } as unknown as Partial<P>);
        layer.draw(TEST_VIEW);
        layer.dispose();
      },
    });
  }
  return cases;
}

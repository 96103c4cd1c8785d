/**
 * The solved corridor drawn in Cesium: the road as a bright line above the road layer and its
 * signalised intersections as points that stay visible in front of buildings. One instance per
 * panel; `show` follows the layer toggle.
 */
import { Cartesian3, Color, Material, PointPrimitiveCollection, PolylineCollection, type Scene } from 'cesium';
import type { LocalFrame } from '../../sim-core/cim/frame.ts';
import type { CorridorPath } from './geometry.ts';

/** Height of the corridor line above the ellipsoid, m (the city's road layer is at 0.6 m). */
const LINE_HEIGHT_M = 1.5;
const POINT_HEIGHT_M = 3;

/** See the module doc. */
export class Corridor3D {
  private readonly scene: Scene;
  private readonly lines = new PolylineCollection();
  private readonly points = new PointPrimitiveCollection();
  private visible = true;

  constructor(scene: Scene) {
    this.scene = scene;
    scene.primitives.add(this.lines);
    scene.primitives.add(this.points);
  }

  /** Draws `path` and the signals at plan positions `signalPositionsM` (metres from the first signal). */
  set(path: CorridorPath, signalPositionsM: readonly number[], frame: LocalFrame): void {
    this.clear();
    const ll = new Float64Array(2);
    const positions: Cartesian3[] = [];
    for (let i = 0; i < path.xyM.length; i += 2) {
      frame.toLngLat(path.xyM[i], path.xyM[i + 1], ll);
      positions.push(Cartesian3.fromDegrees(ll[0], ll[1], LINE_HEIGHT_M));
    }
    this.lines.add({ positions, width: 7, material: Material.fromType('Color', { color: Color.fromBytes(0, 200, 255, 230) }) });
    for (const s of signalPositionsM) {
      const p = path.pointAtPlanM(s);
      frame.toLngLat(p.xM, p.yM, ll);
      this.points.add({ position: Cartesian3.fromDegrees(ll[0], ll[1], POINT_HEIGHT_M), pixelSize: 11, color: Color.fromBytes(22, 163, 74), outlineColor: Color.WHITE, outlineWidth: 2, disableDepthTestDistance: Number.POSITIVE_INFINITY });
    }
    this.apply();
  }

  /** Line vertices and signal points drawn now. */
  counts(): { vertices: number; signals: number } {
    let vertices = 0;
    for (let i = 0; i < this.lines.length; i++) vertices += this.lines.get(i).positions.length;
    return { vertices, signals: this.points.length };
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    this.apply();
  }

  get isVisible(): boolean {
    return this.visible;
  }

  clear(): void {
    this.lines.removeAll();
    this.points.removeAll();
    this.scene.requestRender();
  }

  private apply(): void {
    this.lines.show = this.points.show = this.visible;
    this.scene.requestRender();
  }

  dispose(): void {
    this.scene.primitives.remove(this.lines);
    this.scene.primitives.remove(this.points);
    this.scene.requestRender();
  }
}

/** Small helpers to accumulate triangle and line geometry with per-vertex colours. */
import { BufferAttribute, BufferGeometry, Color } from 'three';

/** Accumulates vertices (x, y, z, r, g, b) and turns them into a BufferGeometry. */
export class VertexWriter {
  private pos: number[] = [];
  private col: number[] = [];
  private readonly c = new Color();

  get vertexCount(): number {
    return this.pos.length / 3;
  }

  /** Sets the colour of the next vertices (a CSS colour). */
  color(css: string): this {
    this.c.set(css);
    return this;
  }

  vertex(x: number, y: number, z: number): this {
    this.pos.push(x, y, z);
    this.col.push(this.c.r, this.c.g, this.c.b);
    return this;
  }

  /** A quad as two triangles (a, b, c) and (a, c, d), each point an [x, y, z]. */
  quad(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, d: ArrayLike<number>): this {
    for (const p of [a, b, c, a, c, d]) this.vertex(p[0]!, p[1]!, p[2]!);
    return this;
  }

  segment(a: ArrayLike<number>, b: ArrayLike<number>): this {
    return this.vertex(a[0]!, a[1]!, a[2]!).vertex(b[0]!, b[1]!, b[2]!);
  }

  /** Writes the accumulated vertices into `g` (replacing its position and color attributes). */
  into(g: BufferGeometry): BufferGeometry {
    g.dispose(); // the renderer frees the GPU buffers of the attributes being replaced
    g.setAttribute('position', new BufferAttribute(new Float32Array(this.pos), 3));
    g.setAttribute('color', new BufferAttribute(new Float32Array(this.col), 3));
    g.setDrawRange(0, this.vertexCount);
    g.computeBoundingSphere();
    this.pos = [];
    this.col = [];
    return g;
  }
}

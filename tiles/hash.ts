/**
 * A fast 64-bit content hash (two 32-bit multiply-xorshift lanes, cyrb53-style finalisation) for
 * deciding whether a tile's inputs changed between two builds. Not cryptographic: a collision would
 * make an incremental build keep a stale tile, with odds of about 2^-64 per tile; `--no-incremental`
 * rebuilds everything.
 */
const scratch = new DataView(new ArrayBuffer(8));

export class Hasher {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  /** Mixes one byte. */
  private byte(b: number): void {
    this.h1 = Math.imul(this.h1 ^ b, 2654435761);
    this.h2 = Math.imul(this.h2 ^ b, 1597334677);
  }

  bytes(data: Uint8Array): this {
    for (let i = 0; i < data.length; i++) this.byte(data[i]);
    this.number(data.length);
    return this;
  }

  /** A float64 (exact bits). */
  number(v: number): this {
    scratch.setFloat64(0, v, true);
    for (let i = 0; i < 8; i++) this.byte(scratch.getUint8(i));
    return this;
  }

  /** A string (UTF-16 code units, with its length, so that "ab"+"c" ≠ "a"+"bc"). */
  string(s: string): this {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.byte(c & 0xff);
      this.byte(c >>> 8);
    }
    this.number(s.length);
    return this;
  }

  /** 16 lowercase hex digits. */
  digest(): string {
    let h1 = this.h1, h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
  }
}

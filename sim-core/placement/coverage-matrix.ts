/**
 * The site × demand coverage matrix of a covering problem: which demand points (key-area ground
 * samples, intersections, grid cells, …) each candidate site covers.
 *
 * Stored as CSR by site: the demand covered by site j is `demandIndex[siteStart[j] … siteStart[j+1]−1]`,
 * sorted ascending. The transpose (demand → sites) is built on first use. Bitsets (`Uint32Array`,
 * `ceil(demandCount / 32)` words per site, bit `i & 31` of word `i >>> 5`) convert both ways with
 * {@link CoverageMatrix.toBitsets} / {@link CoverageMatrix.fromBitsets}: CSR is the better layout for
 * the solvers (weighted sums over a site's demand), bitsets the compact one for dense rows.
 *
 * The whole matrix lives in one `ArrayBuffer` ({@link CoverageMatrix.data}) that opens with a magic
 * byte and a version, so workers, IndexedDB and the server can move it without copying or JSON
 * (`CoverageMatrix.from(buffer)`).
 */
import KDBush from 'kdbush';

/** First byte of a serialised coverage matrix. */
export const COVERAGE_MATRIX_MAGIC = 0xc3;
/** Layout version of the serialised coverage matrix. */
export const COVERAGE_MATRIX_VERSION = 1;
const HEADER_BYTES = 16;

/** Site × demand coverage in CSR form; see the module doc. */
export class CoverageMatrix {
  /** The serialised matrix: header, `siteStart`, `demandIndex`. */
  readonly data: ArrayBuffer;
  readonly siteCount: number;
  readonly demandCount: number;
  /** Demand of site j: `demandIndex[siteStart[j]] … demandIndex[siteStart[j+1] − 1]`, ascending. Length siteCount + 1. */
  readonly siteStart: Uint32Array;
  readonly demandIndex: Uint32Array;
  private transpose: { demandStart: Uint32Array; siteIndex: Uint32Array } | null = null;

  private constructor(data: ArrayBuffer) {
    const head = new DataView(data, 0, HEADER_BYTES);
    if (head.getUint8(0) !== COVERAGE_MATRIX_MAGIC) throw new Error('not a cim-twin coverage matrix (bad magic byte)');
    const version = head.getUint8(1);
    if (version !== COVERAGE_MATRIX_VERSION) throw new Error(`coverage matrix version ${version} is not supported (this build reads ${COVERAGE_MATRIX_VERSION})`);
    this.data = data;
    this.siteCount = head.getUint32(4, true);
    this.demandCount = head.getUint32(8, true);
    const nnz = head.getUint32(12, true);
    this.siteStart = new Uint32Array(data, HEADER_BYTES, this.siteCount + 1);
    this.demandIndex = new Uint32Array(data, HEADER_BYTES + 4 * (this.siteCount + 1), nnz);
  }

  /** Re-opens a matrix from its {@link data} buffer (no copy). */
  static from(data: ArrayBuffer): CoverageMatrix {
    if (!(data instanceof ArrayBuffer) || data.byteLength < HEADER_BYTES) throw new Error('a coverage matrix buffer needs at least its 16-byte header');
    return new CoverageMatrix(data);
  }

  /** Builds a matrix from CSR arrays (copied; each site's list is sorted and de-duplicated). */
  static fromCsr(demandCount: number, siteStart: ArrayLike<number>, demandIndex: ArrayLike<number>): CoverageMatrix {
    const b = new CoverageMatrixBuilder(demandCount, demandIndex.length);
    for (let j = 0; j + 1 < siteStart.length; j++) b.addSiteRange(demandIndex, siteStart[j], siteStart[j + 1]);
    return b.finish();
  }

  /** Builds a matrix from one list of covered demand indices per site. */
  static fromLists(demandCount: number, lists: readonly ArrayLike<number>[]): CoverageMatrix {
    const b = new CoverageMatrixBuilder(demandCount);
    for (const l of lists) b.addSite(l);
    return b.finish();
  }

  /** Builds a matrix from bitsets: `words` per site, `siteCount × words` 32-bit words. */
  static fromBitsets(siteCount: number, demandCount: number, bits: Uint32Array): CoverageMatrix {
    const words = bitsetWords(demandCount);
    if (bits.length !== siteCount * words) throw new RangeError(`expected ${siteCount} × ${words} words for ${demandCount} demand points, got ${bits.length}`);
    const b = new CoverageMatrixBuilder(demandCount);
    const scratch: number[] = [];
    for (let j = 0; j < siteCount; j++) {
      scratch.length = 0;
      for (let w = 0; w < words; w++) {
        let v = bits[j * words + w];
        while (v !== 0) {
          const low = v & -v;
          scratch.push(w * 32 + (31 - Math.clz32(low)));
          v ^= low;
        }
      }
      b.addSite(scratch);
    }
    return b.finish();
  }

  /** Number of stored (site, demand) pairs. */
  get nonzeroCount(): number {
    return this.demandIndex.length;
  }

  /** Number of demand points site j covers. */
  degree(j: number): number {
    return this.siteStart[j + 1] - this.siteStart[j];
  }

  /** The demand covered by site j (a view, no copy). */
  demandOf(j: number): Uint32Array {
    return this.demandIndex.subarray(this.siteStart[j], this.siteStart[j + 1]);
  }

  /** Whether site j covers demand i (binary search). */
  covers(j: number, i: number): boolean {
    let lo = this.siteStart[j], hi = this.siteStart[j + 1] - 1;
    const d = this.demandIndex;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = d[mid];
      if (v === i) return true;
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Demand → sites (CSR), built once on first call. */
  demandToSites(): { demandStart: Uint32Array; siteIndex: Uint32Array } {
    if (this.transpose) return this.transpose;
    const m = this.demandCount, n = this.siteCount;
    const demandStart = new Uint32Array(m + 1);
    const d = this.demandIndex;
    for (let k = 0; k < d.length; k++) demandStart[d[k] + 1]++;
    for (let i = 0; i < m; i++) demandStart[i + 1] += demandStart[i];
    const fill = demandStart.slice(0, m);
    const siteIndex = new Uint32Array(d.length);
    for (let j = 0; j < n; j++) for (let k = this.siteStart[j]; k < this.siteStart[j + 1]; k++) siteIndex[fill[d[k]]++] = j;
    this.transpose = { demandStart, siteIndex };
    return this.transpose;
  }

  /** The sites covering demand i (ascending; a view of the transpose). */
  sitesOf(i: number): Uint32Array {
    const t = this.demandToSites();
    return t.siteIndex.subarray(t.demandStart[i], t.demandStart[i + 1]);
  }

  /** The matrix as bitsets: `ceil(demandCount / 32)` words per site. */
  toBitsets(out?: Uint32Array): Uint32Array {
    const words = bitsetWords(this.demandCount);
    const bits = out ?? new Uint32Array(this.siteCount * words);
    if (bits.length !== this.siteCount * words) throw new RangeError(`out needs ${this.siteCount * words} words`);
    bits.fill(0);
    for (let j = 0; j < this.siteCount; j++) {
      const base = j * words;
      for (let k = this.siteStart[j]; k < this.siteStart[j + 1]; k++) {
        const i = this.demandIndex[k];
        bits[base + (i >>> 5)] |= 1 << (i & 31);
      }
    }
    return bits;
  }

  /** A matrix of the given sites only, in the given order (site k of the result = site `sites[k]`). */
  selectSites(sites: ArrayLike<number>): CoverageMatrix {
    const b = new CoverageMatrixBuilder(this.demandCount);
    for (let k = 0; k < sites.length; k++) b.addSiteRange(this.demandIndex, this.siteStart[sites[k]], this.siteStart[sites[k] + 1], true);
    return b.finish();
  }
}

/** Words per site of the bitset layout. */
export const bitsetWords = (demandCount: number) => Math.ceil(demandCount / 32);

/**
 * Builds a {@link CoverageMatrix} site by site (allocation grows geometrically; one copy at the end).
 * Each site's list may come unsorted and with repeats: it is sorted and de-duplicated.
 */
export class CoverageMatrixBuilder {
  readonly demandCount: number;
  private starts: number[] = [0];
  private idx: Uint32Array;
  private nnz = 0;

  constructor(demandCount: number, nonzeroHint = 1024) {
    if (!Number.isInteger(demandCount) || demandCount < 0 || demandCount > 0xffffffff) throw new RangeError(`demandCount must be a whole number, got ${demandCount}`);
    this.demandCount = demandCount;
    this.idx = new Uint32Array(Math.max(16, nonzeroHint));
  }

  /** Number of sites added so far. */
  get siteCount(): number {
    return this.starts.length - 1;
  }

  /** Adds the next site, covering the demand indices in `list`; returns its index. */
  addSite(list: ArrayLike<number>): number {
    return this.addSiteRange(list, 0, list.length);
  }

  /** Adds the next site from `list[from … to−1]`; `sorted` skips the sort when the caller knows. */
  addSiteRange(list: ArrayLike<number>, from: number, to: number, sorted = false): number {
    const need = this.nnz + (to - from);
    if (need > this.idx.length) {
      const grown = new Uint32Array(Math.max(need, this.idx.length * 2));
      grown.set(this.idx.subarray(0, this.nnz));
      this.idx = grown;
    }
    const start = this.nnz;
    for (let k = from; k < to; k++) {
      const i = list[k];
      if (!(i >= 0 && i < this.demandCount) || !Number.isInteger(i)) throw new RangeError(`site ${this.siteCount}: demand index ${i} is outside 0…${this.demandCount - 1}`);
      this.idx[this.nnz++] = i;
    }
    if (!sorted) {
      const view = this.idx.subarray(start, this.nnz);
      view.sort();
      let w = start;
      for (let k = start; k < this.nnz; k++) if (k === start || this.idx[k] !== this.idx[k - 1]) this.idx[w++] = this.idx[k];
      this.nnz = w;
    }
    this.starts.push(this.nnz);
    return this.starts.length - 2;
  }

  /** Freezes the matrix into one buffer. */
  finish(): CoverageMatrix {
    const n = this.siteCount;
    const data = new ArrayBuffer(HEADER_BYTES + 4 * (n + 1) + 4 * this.nnz);
    const head = new DataView(data, 0, HEADER_BYTES);
    head.setUint8(0, COVERAGE_MATRIX_MAGIC);
    head.setUint8(1, COVERAGE_MATRIX_VERSION);
    head.setUint32(4, n, true);
    head.setUint32(8, this.demandCount, true);
    head.setUint32(12, this.nnz, true);
    new Uint32Array(data, HEADER_BYTES, n + 1).set(this.starts);
    new Uint32Array(data, HEADER_BYTES + 4 * (n + 1), this.nnz).set(this.idx.subarray(0, this.nnz));
    return CoverageMatrix.from(data);
  }
}

/**
 * Euclidean covering: site j covers demand i when their distance is at most `radiusM` (the classic
 * MCLP/LSCP coverage of spopt's `from_cost_matrix` with a distance cutoff). Points are interleaved
 * x,y metres. A kdbush index over the demand answers each site with one radius query.
 */
export function coverageWithinRadius(siteXyM: ArrayLike<number>, demandXyM: ArrayLike<number>, radiusM: number): CoverageMatrix {
  if (!(radiusM >= 0) || !Number.isFinite(radiusM)) throw new RangeError(`radiusM must be a finite number ≥ 0, got ${radiusM}`);
  const m = demandXyM.length / 2, n = siteXyM.length / 2;
  const b = new CoverageMatrixBuilder(m);
  if (m === 0) {
    for (let j = 0; j < n; j++) b.addSite([]);
    return b.finish();
  }
  const index = new KDBush(m, 64, Float64Array);
  for (let i = 0; i < m; i++) index.add(demandXyM[2 * i], demandXyM[2 * i + 1]);
  index.finish();
  const buf = new Uint32Array(m);
  for (let j = 0; j < n; j++) {
    const got = index.withinInto(siteXyM[2 * j], siteXyM[2 * j + 1], radiusM, buf);
    b.addSiteRange(buf, 0, got);
  }
  return b.finish();
}

/** The result of {@link aggregateDemand}. */
export interface AggregatedDemand {
  matrix: CoverageMatrix;
  /** Aggregated demand row of each original demand point. */
  rowOf: Uint32Array;
  /** Summed weight of each aggregated row. */
  weights: Float64Array;
  /** Key (e.g. area) of each aggregated row. */
  keys: Int32Array;
  /** Original demand points per row: `members[memberStart[r]] …`. */
  memberStart: Uint32Array;
  members: Uint32Array;
}

/**
 * Merges demand points that have the same key (e.g. the same key area) and are covered by exactly
 * the same sites into one row whose weight is the sum of theirs. The covering problem is unchanged
 * (every constraint and objective term depends on a demand point only through its covering set,
 * its key and its weight), and the MILP loses most of its rows: camera views overlap in large,
 * identical patches of ground. Rows come out in order of their first member.
 */
export function aggregateDemand(matrix: CoverageMatrix, weights: ArrayLike<number>, keys?: ArrayLike<number>): AggregatedDemand {
  const m = matrix.demandCount;
  const { demandStart, siteIndex } = matrix.demandToSites();
  const rowOf = new Uint32Array(m);
  const table = new Map<number, number[]>(); // hash → candidate rows
  const rowFirst: number[] = [];
  const rowWeight: number[] = [];
  const rowKey: number[] = [];
  for (let i = 0; i < m; i++) {
    const key = keys ? keys[i] : -1;
    let h = (key | 0) ^ 0x9e3779b9;
    for (let k = demandStart[i]; k < demandStart[i + 1]; k++) h = Math.imul(h ^ siteIndex[k], 0x01000193);
    h = Math.imul(h ^ (demandStart[i + 1] - demandStart[i]), 0x85ebca6b) >>> 0;
    let bucket = table.get(h);
    let row = -1;
    if (bucket) {
      for (const r of bucket) {
        const f = rowFirst[r];
        if (rowKey[r] !== key || demandStart[f + 1] - demandStart[f] !== demandStart[i + 1] - demandStart[i]) continue;
        let same = true;
        for (let a = demandStart[f], b = demandStart[i]; a < demandStart[f + 1]; a++, b++) {
          if (siteIndex[a] !== siteIndex[b]) {
            same = false;
            break;
          }
        }
        if (same) {
          row = r;
          break;
        }
      }
    } else {
      bucket = [];
      table.set(h, bucket);
    }
    if (row < 0) {
      row = rowFirst.length;
      rowFirst.push(i);
      rowWeight.push(0);
      rowKey.push(key);
      bucket.push(row);
    }
    rowOf[i] = row;
    rowWeight[row] += weights[i];
  }
  const rows = rowFirst.length;
  const memberStart = new Uint32Array(rows + 1);
  for (let i = 0; i < m; i++) memberStart[rowOf[i] + 1]++;
  for (let r = 0; r < rows; r++) memberStart[r + 1] += memberStart[r];
  const fill = memberStart.slice(0, rows);
  const members = new Uint32Array(m);
  for (let i = 0; i < m; i++) members[fill[rowOf[i]]++] = i;
  const b = new CoverageMatrixBuilder(rows, matrix.nonzeroCount);
  const scratch: number[] = [];
  for (let j = 0; j < matrix.siteCount; j++) {
    scratch.length = 0;
    let last = -1;
    for (let k = matrix.siteStart[j]; k < matrix.siteStart[j + 1]; k++) {
      const r = rowOf[matrix.demandIndex[k]];
      if (r !== last) scratch.push(r);
      last = r;
    }
    b.addSite(scratch);
  }
  return { matrix: b.finish(), rowOf, weights: Float64Array.from(rowWeight), keys: Int32Array.from(rowKey), memberStart, members };
}

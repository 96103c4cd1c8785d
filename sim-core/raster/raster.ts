/**
 * A small north-up raster: a grid (size, origin, pixel size and an opaque georeferencing blob that
 * readers fill and writers copy back unchanged) plus flat typed-array values, row-major, row 0 =
 * north. Map coordinates are in the units of the raster's CRS (metres for the projected CRSs this
 * project uses); `x` grows east, `y` grows north.
 *
 * Cell (col, row) covers `originX + col·pixelSizeX ≤ x < originX + (col+1)·pixelSizeX` and
 * `originY − (row+1)·pixelSizeY < y ≤ originY − row·pixelSizeY`; its centre is at
 * `(originX + (col+0.5)·pixelSizeX, originY − (row+0.5)·pixelSizeY)`. Rotated or sheared grids are
 * not representable (readers reject them).
 */
import { CimError } from '../cim/errors.ts';

export interface RasterGridInit {
  width: number;
  height: number;
  /** Map x of the west edge of column 0. */
  originX: number;
  /** Map y of the north edge of row 0. */
  originY: number;
  /** Cell width in map units (> 0). */
  pixelSizeX: number;
  /** Cell height in map units (> 0; rows go south). */
  pixelSizeY: number;
  /**
   * Georeferencing as the reader found it (for GeoTIFF: tie point, pixel scale, GeoKeyDirectory and
   * its parameter tags). sim-core never looks inside; writers copy it so that an output raster on
   * the same grid carries exactly the input's CRS.
   */
  georef?: unknown;
}

/** The geometry of a north-up raster, without values. */
export class RasterGrid {
  readonly width: number;
  readonly height: number;
  readonly originX: number;
  readonly originY: number;
  readonly pixelSizeX: number;
  readonly pixelSizeY: number;
  readonly georef: unknown;

  constructor(init: RasterGridInit) {
    const { width, height, originX, originY, pixelSizeX, pixelSizeY } = init;
    if (!Number.isInteger(width) || width < 1) throw new CimError(`must be a positive integer, got ${width}`, { field: 'width' });
    if (!Number.isInteger(height) || height < 1) throw new CimError(`must be a positive integer, got ${height}`, { field: 'height' });
    if (!Number.isFinite(originX)) throw new CimError(`must be finite, got ${originX}`, { field: 'originX' });
    if (!Number.isFinite(originY)) throw new CimError(`must be finite, got ${originY}`, { field: 'originY' });
    if (!(pixelSizeX > 0) || !Number.isFinite(pixelSizeX)) throw new CimError(`must be a positive number, got ${pixelSizeX}`, { field: 'pixelSizeX' });
    if (!(pixelSizeY > 0) || !Number.isFinite(pixelSizeY)) throw new CimError(`must be a positive number, got ${pixelSizeY}`, { field: 'pixelSizeY' });
    this.width = width;
    this.height = height;
    this.originX = originX;
    this.originY = originY;
    this.pixelSizeX = pixelSizeX;
    this.pixelSizeY = pixelSizeY;
    this.georef = init.georef;
  }

  get cellCount(): number {
    return this.width * this.height;
  }

  /** Column holding map x (may be outside 0..width-1). */
  colAt(x: number): number {
    return Math.floor((x - this.originX) / this.pixelSizeX);
  }

  /** Row holding map y (may be outside 0..height-1). */
  rowAt(y: number): number {
    return Math.floor((this.originY - y) / this.pixelSizeY);
  }

  /** Map x of the centre of a column. */
  centreX(col: number): number {
    return this.originX + (col + 0.5) * this.pixelSizeX;
  }

  /** Map y of the centre of a row. */
  centreY(row: number): number {
    return this.originY - (row + 0.5) * this.pixelSizeY;
  }

  contains(col: number, row: number): boolean {
    return col >= 0 && row >= 0 && col < this.width && row < this.height;
  }

  /** Same geometry (size, origin, pixel size); the georeferencing blob is not compared. */
  sameGeometry(other: RasterGrid): boolean {
    return (
      this.width === other.width &&
      this.height === other.height &&
      this.originX === other.originX &&
      this.originY === other.originY &&
      this.pixelSizeX === other.pixelSizeX &&
      this.pixelSizeY === other.pixelSizeY
    );
  }
}

/** A single-band float raster such as a DSM (heights in metres). */
export interface Float32Raster {
  grid: RasterGrid;
  /** Row-major values, `grid.width · grid.height` long. */
  values: Float32Array;
  /** Cells equal to this value (and NaN cells, always) hold no data. */
  nodata: number | null;
}

/** A single-band byte raster such as a viewshed (1 = visible, 0 = not). */
export interface ByteRaster {
  grid: RasterGrid;
  values: Uint8Array;
}

/** Checks that `values` fits `grid` and returns the raster. */
export function float32Raster(grid: RasterGrid, values: Float32Array, nodata: number | null = null): Float32Raster {
  if (values.length !== grid.cellCount) {
    throw new CimError(`has ${values.length} values for a ${grid.width}×${grid.height} grid`, { field: 'values' });
  }
  if (nodata !== null && typeof nodata !== 'number') throw new CimError(`must be a number, got ${String(nodata)}`, { field: 'nodata' });
  // Values are float32, so a no-data value only ever matches as its float32 rounding.
  return { grid, values, nodata: nodata === null ? null : Math.fround(nodata) };
}

/** True when `v` is a no-data value of a raster whose no-data value is `nodata`. */
export function isNodata(v: number, nodata: number | null): boolean {
  return v !== v || v === nodata;
}

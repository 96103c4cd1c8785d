/**
 * What every format reader gets, and the shared steps readers take for buildings, key areas and
 * devices so that one rule holds whatever the format.
 */
import { CimError } from '../errors.ts';
import type { Attrs, SeedKeyAreaCategory } from '../types.ts';
import type { CrsName } from './crs.ts';
import type { FileOptions, ResolvedOptions } from './options.ts';
import type { LngLatPolygon, Provenance, RecordSink } from './records.ts';
import { addSkip, type FileReport } from './report.ts';
import { buildingUse, pick, resolveBuildingHeight } from './semantics.ts';
import { readBoolean, readString } from './values.ts';

export interface ReaderContext {
  sink: RecordSink;
  opts: ResolvedOptions;
  report: FileReport;
  file: FileOptions;
}

/** A building without a usable height, remembered until the end of the file so the error can say how many there are. */
interface MissingHeight {
  record: string;
  field: string;
  value?: unknown;
}

/**
 * Collects buildings for one file; {@link finish} throws for the first building without a height (when
 * no default was asked for), with the count of such buildings in the file.
 */
export class BuildingCollector {
  private missing: MissingHeight[] = [];
  private total = 0;
  constructor(private readonly ctx: ReaderContext) {}

  /**
   * Adds a building from attribute `props` (heights, use, name); `consumed` keys are not copied to attrs.
   * A `use` property (our schema) is kept as written; otherwise `useRaw` (an OSM building value, 用途…)
   * is mapped to a use group.
   */
  add(prov: Provenance, id: string, polygons: LngLatPolygon[], props: Record<string, unknown>, useRaw: unknown, consumed: readonly string[], tileIndex?: number): void {
    this.total++;
    const h = resolveBuildingHeight(props, this.ctx.opts, prov);
    if ('missing' in h) {
      this.missing.push({ record: prov.record, field: h.missing, value: h.value });
      return;
    }
    const attrs: Attrs = {};
    for (const k of Object.keys(props)) if (!consumed.includes(k)) attrs[k] = props[k];
    // A city file states how its heights were obtained; a re-import keeps that (roofM reads as a height).
    const stated = props.heightSource;
    const heightSource = h.heightSource === 'height' && (stated === 'levels' || stated === 'default-storeys') ? stated : h.heightSource;
    attrs.heightSource = heightSource;
    const name = pick(props, ['name', 'name:zh', '名称', '建筑名称']);
    this.ctx.sink.buildings.push({
      prov,
      id,
      polygons,
      baseM: h.baseM,
      roofM: h.roofM,
      heightSource,
      use: typeof props.use === 'string' && props.use.trim() ? props.use.trim() : buildingUse(useRaw),
      name: name ? readString(name.value) : null,
      attrs,
      tileIndex,
    });
    this.ctx.report.imported.buildings++;
  }

  finish(): void {
    const first = this.missing[0];
    if (!first) return;
    const n = this.missing.length;
    const what = first.value === undefined ? 'no height, no storeys (building:levels / 层数)' : `height ${JSON.stringify(first.value)} is not a usable building height, and there are no storeys`;
    throw new CimError(
      `${what}; ${n} of ${this.total} building features in this file lack a height. Add heights, or pass --default-storeys N (defaultStoreys) to give them N storeys × ${this.ctx.opts.storeyHeightM} m, counted in the report`,
      { file: this.ctx.report.file, record: first.record, field: first.field },
    );
  }
}

const VIDEO_KEYS = ['video', 'inVideoSet', 'in_video_set', '视频重点区域', '视频监控重点区域'];
const NR_KEYS = ['nr5g', 'in5gSet', 'in_5g_set', '5G重点区域', '5g重点区域'];
export const CATEGORY_KEYS = ['category', '类别', '区域类别', '重点区域类别', '重点区域类型'];

/** Adds a key public area (polygons, or a point that the context turns into an area). */
export function addKeyArea(
  ctx: ReaderContext,
  prov: Provenance,
  id: string,
  geometry: { polygons: LngLatPolygon[] } | { point: [number, number] },
  category: SeedKeyAreaCategory | string,
  props: Record<string, unknown>,
  consumed: readonly string[],
  tileIndex?: number,
): void {
  const loc = (field: string) => ({ file: prov.file.file, record: prov.record, field });
  const v = pick(props, VIDEO_KEYS);
  const n = pick(props, NR_KEYS);
  const name = pick(props, ['name', 'name:zh', '名称']);
  const attrs: Attrs = {};
  const skip = [...consumed, ...VIDEO_KEYS, ...NR_KEYS, ...CATEGORY_KEYS];
  for (const k of Object.keys(props)) if (!skip.includes(k)) attrs[k] = props[k];
  ctx.sink.keyAreas.push({
    prov,
    id,
    polygons: 'polygons' in geometry ? geometry.polygons : null,
    point: 'point' in geometry ? geometry.point : null,
    category,
    name: name ? readString(name.value) : null,
    inVideoSet: v ? readBoolean(v.value, loc(v.key)) : undefined,
    in5gSet: n ? readBoolean(n.value, loc(n.key)) : undefined,
    attrs,
    tileIndex,
  });
  ctx.report.imported.keyAreas++;
}

/** Counts a record that is not part of any layer. */
export function skip(ctx: ReaderContext, kind: string, message: string, record: string): void {
  addSkip(ctx.report, kind, message, record);
}

/** The CRS a file is read in: an explicit option wins over the file's own statement (noted in the report). */
export function chooseCrs(ctx: ReaderContext, stated: CrsName | undefined, statedBy: 'file' | 'row'): CrsName {
  const opt = ctx.file.crs;
  if (opt) {
    ctx.report.crs = opt;
    ctx.report.crsSource = 'option';
    if (stated && stated !== opt) ctx.report.notes.push(`the file states ${stated}; the --crs option ${opt} was used instead`);
    return opt;
  }
  if (stated) {
    ctx.report.crs = stated;
    ctx.report.crsSource = statedBy;
    return stated;
  }
  ctx.report.crs = 'wgs84';
  ctx.report.crsSource = 'default';
  return 'wgs84';
}

/**
 * CSV device ledgers (设备台账): one device per row, columns named in English or Chinese (see
 * {@link DEVICE_FIELDS} and docs/importers.md). The header is row 1, so the first device is row 2, as a
 * spreadsheet shows it. Columns that are not device fields are kept as attributes under their header.
 */
import { parse } from 'csv-parse/sync';
import { CimError } from '../errors.ts';
import type { Attrs } from '../types.ts';
import { checkLonLat, requireCrsName, toWgs84 } from './crs.ts';
import { DEVICE_FIELDS, deviceFieldKey, readDevice, type FieldSource } from './device-fields.ts';
import type { Provenance } from './records.ts';
import { chooseCrs, type ReaderContext } from './reader.ts';
import { isBlank, readNumberWithUnit } from './values.ts';

/** Reads a CSV device ledger (text without a byte-order mark is fine; one is removed). */
export function readCsvLedger(text: string, ctx: ReaderContext): void {
  const file = ctx.report.file;
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { bom: true, skip_empty_lines: true, relax_column_count: false, trim: true }) as string[][];
  } catch (e) {
    const err = e as { message?: string; lines?: number; code?: string };
    throw new CimError(`broken CSV: ${String(err.message ?? e).replace(/^Invalid Record Length: /, '')}`, { file, record: err.lines ? `line ${err.lines}` : undefined, field: 'CSV syntax' });
  }
  if (rows.length === 0) throw new CimError('the ledger is empty (no header row)', { file, record: 'row 1', field: 'header' });
  const header = rows[0];
  const keyOfColumn: (string | undefined)[] = header.map((h) => deviceFieldKey(h));
  const columnOfKey = new Map<string, number>();
  keyOfColumn.forEach((k, i) => {
    if (!k) return;
    if (columnOfKey.has(k)) {
      throw new CimError(`columns '${header[columnOfKey.get(k)!]}' and '${header[i]}' both give the device ${k}`, { file, record: 'row 1', field: header[i] });
    }
    columnOfKey.set(k, i);
  });
  for (const required of ['type', 'lon', 'lat']) {
    if (!columnOfKey.has(required)) {
      const f = DEVICE_FIELDS.find((x) => x.key === required)!;
      throw new CimError(`the ledger has no ${required} column (accepted headers: ${f.names.join(', ')})`, { file, record: 'row 1', field: f.names[0] });
    }
  }
  const unknown = header.filter((_, i) => !keyOfColumn[i]);
  if (unknown.length) ctx.report.notes.push(`columns kept as attributes (not device fields): ${unknown.join(', ')}`);
  if (!columnOfKey.has('id')) throw new CimError(`the ledger has no id column (accepted headers: ${DEVICE_FIELDS[0].names.join(', ')})`, { file, record: 'row 1', field: 'id' });

  const fileCrs = chooseCrs(ctx, undefined, 'file');
  const seen = new Map<string, number>();
  const out = [0, 0];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const record = `row ${r + 1}`;
    ctx.report.records++;
    const prov: Provenance = { file: ctx.report, record, positionField: `${header[columnOfKey.get('lon')!]}/${header[columnOfKey.get('lat')!]}` };
    const loc = (field: string) => ({ file, record, field });
    const src: FieldSource = {
      get: (key) => {
        const c = columnOfKey.get(key);
        return c === undefined || isBlank(row[c]) ? undefined : { field: header[c], value: row[c] };
      },
      field: (key) => {
        const c = columnOfKey.get(key);
        return c === undefined ? undefined : header[c];
      },
      extras: () => {
        const a: Attrs = {};
        header.forEach((h, i) => {
          if (!keyOfColumn[i] && !isBlank(row[i])) a[h] = row[i];
        });
        return a;
      },
    };
    const lonCol = header[columnOfKey.get('lon')!];
    const latCol = header[columnOfKey.get('lat')!];
    const lon = readNumberWithUnit(src.get('lon')?.value, ['°'], loc(lonCol), 'a longitude in degrees');
    const lat = readNumberWithUnit(src.get('lat')?.value, ['°'], loc(latCol), 'a latitude in degrees');
    if (lon === undefined) throw new CimError('longitude is blank', loc(lonCol));
    if (lat === undefined) throw new CimError('latitude is blank', loc(latCol));
    checkLonLat(lon, lat, loc(`${lonCol}/${latCol}`));
    const crsCell = src.get('crs');
    const crs = ctx.file.crs ?? (crsCell ? requireCrsName(crsCell.value, loc(crsCell.field)) : fileCrs);
    if (crsCell && !ctx.file.crs && ctx.report.crsSource !== 'row') {
      ctx.report.crsSource = 'row';
      ctx.report.crs = 'per row';
    }
    toWgs84(crs, lon, lat, out);
    const rec = readDevice(src, out[0], out[1], prov, ctx.opts);
    if (crs !== 'wgs84' && crs !== 'cgcs2000') rec.attrs.sourceCrs = crs;
    const prev = seen.get(rec.id);
    if (prev !== undefined) throw new CimError(`duplicate device id '${rec.id}' (also in row ${prev})`, loc(src.field('id')!));
    seen.set(rec.id, r + 1);
    ctx.sink.devices.push(rec);
    ctx.report.imported.devices++;
  }
}

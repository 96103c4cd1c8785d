/**
 * Reading input files for the importers (Node side): the size check happens before a byte is read,
 * the text is decoded (UTF-8; UTF-16 with a byte-order mark; GB18030 for the GBK ledgers that Excel
 * writes in a Chinese locale, reported), and the format is detected from the name and the content.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { CimError } from '../../sim-core/cim/errors.ts';
import { cityFromGeoJSON } from '../../sim-core/cim/city-file.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { detectFormat } from '../../sim-core/cim/import/detect.ts';
import type { ImportInput } from '../../sim-core/cim/import/context.ts';
import type { FileOptions } from '../../sim-core/cim/import/options.ts';
import { parseJsonText } from '../../sim-core/cim/import/json-text.ts';

/**
 * Default largest input, MiB. JSON and XML are parsed from one string, and V8 caps a string at about
 * 512 MiB (2^29 − 24 UTF-16 units); parsing also takes several times the file size in memory. 256 MiB
 * leaves room for both; split larger extracts (osmium extract, ogr2ogr -spat) or raise the limit.
 */
export const DEFAULT_MAX_FILE_MB = 256;
/** The limit can be raised to this, not beyond (the V8 string cap). */
export const HARD_MAX_FILE_MB = 500;

export interface ReadInputOptions {
  maxFileMb?: number;
}

function maxBytes(o: ReadInputOptions): number {
  const mb = o.maxFileMb ?? DEFAULT_MAX_FILE_MB;
  if (!Number.isFinite(mb) || mb <= 0 || mb > HARD_MAX_FILE_MB) throw new RangeError(`--max-file-mb must be a number above 0 and at most ${HARD_MAX_FILE_MB}, got ${mb}`);
  return mb * 1024 * 1024;
}

/** Checks that `path` is a readable regular file within the size limit, without reading it. Returns its size in bytes. */
export function checkInputFile(path: string, o: ReadInputOptions = {}): number {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CimError(code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(e)})`, { file: path });
  }
  if (!st.isFile()) throw new CimError('not a regular file', { file: path });
  const limit = maxBytes(o);
  if (st.size > limit) {
    const mib = (n: number) => (n / 1024 / 1024).toFixed(n >= 1024 * 1024 * 1024 ? 0 : 1);
    throw new CimError(
      `file is ${mib(st.size)} MiB, larger than the ${mib(limit)} MiB limit; split it (osmium extract, ogr2ogr -spat) or raise --max-file-mb (at most ${HARD_MAX_FILE_MB})`,
      { file: path, field: 'size' },
    );
  }
  return st.size;
}

/** Decodes file bytes: UTF-8 (BOM removed), UTF-16 LE/BE with a BOM, else GB18030 when the bytes are not UTF-8. */
export function decodeText(bytes: Uint8Array, file: string): { text: string; encoding: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    try {
      return { text: new TextDecoder('gb18030', { fatal: true }).decode(bytes), encoding: 'gb18030' };
    } catch {
      throw new CimError('the file is neither UTF-8 nor GB18030 text', { file, field: 'encoding' });
    }
  }
}

/** The first `n` bytes of a file (for format detection before a full read). */
function head(path: string, n = 4096): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads one input for {@link importCity}: size check first, then the read, decoding and format
 * detection. `name` is how the file is named in messages (default: the path).
 */
export function readInputFile(path: string, fileOptions: FileOptions = {}, o: ReadInputOptions = {}, name = path): ImportInput {
  checkInputFile(path, o);
  const format = detectFormat(name, head(path));
  const { text, encoding } = decodeText(readFileSync(path), name);
  return { file: name, format, text, encoding, options: fileOptions };
}

/** Reads a cim-twin city file (size-checked, JSON errors with line and column). */
export function readCityFile(path: string, o: ReadInputOptions = {}): City {
  checkInputFile(path, o);
  const { text } = decodeText(readFileSync(path), path);
  return cityFromGeoJSON(parseJsonText(text, path), path);
}

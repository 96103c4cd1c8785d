/**
 * Access to the real open data in `../shared/data` (never copied into the project).
 *
 * `sharedDataPath('shanghai-lujiazui-osm-substitute/buildings.geojson')` returns the absolute path, or
 * `null` when the folder is missing. Under `CI=true` a missing folder is an error (the suite fails);
 * elsewhere the caller skips with the printed reason, e.g.
 *
 * ```ts
 * const p = sharedDataPath('…');
 * describe.skipIf(!p)('Lujiazui import', () => { … });
 * ```
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const SHARED_DATA_DIR = process.env.CIMTWIN_SHARED_DATA ?? resolve(here, '../../../shared/data');

export function sharedDataPath(rel: string): string | null {
  const p = join(SHARED_DATA_DIR, rel);
  if (existsSync(p)) return p;
  const reason = `shared data file ${p} is missing (tests read real data from ../shared/data beside the checkout)`;
  if (process.env.CI === 'true') throw new Error(`${reason}; under CI=true this is a failure, not a skip`);
  console.warn(`SKIP: ${reason}`);
  return null;
}

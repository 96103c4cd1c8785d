/**
 * `POST /api/cities/:id/parse-devices?filename=…` (planner, admin): the workbench's device-ledger
 * import, parsed on the server so that the browser needs no CSV or GB18030 code. The body is the file:
 * a CSV device ledger (Chinese or English headers; UTF-8, UTF-16 with a byte-order mark, or GB18030),
 * GeoJSON with device features, or a cim-twin city file (its devices). The answer is
 * `{devices: DeviceFeature[], warnings: string[]}`; nothing is stored. Positions are read in the city's
 * frame (its origin; the importers' 50 km extent around it), and the devices are checked as a scenario
 * save checks them. Bad content: 422 with the importer's message naming the file, the record and the
 * field. At most `maxUploadMb` (as city uploads; 413 beyond).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { cityFromGeoJSON, cityToGeoJSON } from '../../sim-core/cim/city-file.ts';
import { CimError } from '../../sim-core/cim/errors.ts';
import { importCity } from '../../sim-core/cim/import/context.ts';
import { detectFormat } from '../../sim-core/cim/import/detect.ts';
import { parseJsonText } from '../../sim-core/cim/import/json-text.ts';
import type { City } from '../../sim-core/cim/types.ts';
import { cityWithDevices, type CityInfo, type CityStore, type DeviceFeature } from '../db/cities.ts';
import { decodeText } from '../io/read-input.ts';
import { readableCity } from './access.ts';
import { errors, HttpError, requireRole, WRITERS } from './http.ts';
import { DevicesSchema, IdParams } from './schemas.ts';

export interface ParseDevicesRouteOptions {
  cities: CityStore;
  /** Largest file, MiB (default 64, as city uploads). */
  maxUploadMb?: number;
}

/** Most ids named in one warning. */
const EXAMPLES = 5;

const examples = (ids: string[]) => `${ids.slice(0, EXAMPLES).join(', ')}${ids.length > EXAMPLES ? ', …' : ''}`;

/**
 * The devices of an uploaded file, read in `city`'s frame, with warnings (the importer's repairs,
 * skips and notes, the text encoding when not UTF-8, other layers ignored, devices outside the city's
 * extent). Throws {@link CimError} naming the file, the record and the field.
 */
export function parseDeviceFile(bytes: Buffer, filename: string, city: City, bboxLngLat?: CityInfo['summary']['bboxLngLat']): { devices: DeviceFeature[]; warnings: string[] } {
  const { text, encoding } = decodeText(bytes, filename);
  const warnings: string[] = [];
  if (encoding !== 'utf-8') warnings.push(`${filename}: decoded as ${encoding}`);
  // U+FFFD: the sender decoded non-UTF-8 bytes (a GB18030 ledger) as UTF-8 before sending (Blob.text()).
  const mangled = text.includes('\uFFFD') ? ' (the file holds U+FFFD replacement characters: it was decoded as UTF-8 before it was sent, which destroys GB18030 text; send the file\'s bytes, e.g. fetch(url, {method: "POST", body: file}))' : '';
  if (mangled) warnings.push(`${filename}: ${mangled.slice(2, -1)}`);
  try {
    return readDevices(text, encoding, filename, city, bboxLngLat, warnings);
  } catch (e) {
    if (e instanceof CimError && mangled) throw new CimError(`${e.reason}${mangled}`, { file: e.file, record: e.record, field: e.field });
    throw e;
  }
}

function readDevices(text: string, encoding: string, filename: string, city: City, bboxLngLat: CityInfo['summary']['bboxLngLat'] | undefined, warnings: string[]): { devices: DeviceFeature[]; warnings: string[] } {
  const head = text.slice(0, 4096);
  let parsed: City;
  if (/"cimtwin"\s*:\s*\{[^}]*"format"\s*:\s*"cimtwin-city"/.test(head) || /\.city\.json$/i.test(filename)) {
    parsed = cityFromGeoJSON(parseJsonText(text, filename), filename);
  } else {
    const format = detectFormat(filename, head);
    const { city: imported, report } = importCity([{ file: filename, format, text, encoding }], { name: filename, origin: city.origin });
    for (const f of report.files) {
      for (const t of f.repairs) warnings.push(`${f.file}: repaired ${t.count}: ${t.message}${t.examples.length ? ` (e.g. ${t.examples.join('; ')})` : ''}`);
      for (const t of f.skipped) warnings.push(`${f.file}: skipped ${t.count}: ${t.message}${t.examples.length ? ` (e.g. ${t.examples.join('; ')})` : ''}`);
      for (const n of f.notes) warnings.push(`${f.file}: ${n}`);
    }
    for (const n of report.notes) warnings.push(`${filename}: ${n}`);
    parsed = imported;
  }
  const ignored = [
    [parsed.buildings.count, 'buildings'],
    [parsed.roadNodes.count, 'road nodes'],
    [parsed.keyAreas.count, 'key areas'],
    [parsed.scopes.length, 'scopes'],
  ].filter(([n]) => (n as number) > 0);
  if (ignored.length) warnings.push(`${filename}: only devices are read; ignored ${ignored.map(([n, what]) => `${n} ${what}`).join(', ')}`);
  if (parsed.devices.count === 0) throw new CimError('the file holds no devices (a device ledger needs id, type, lon and lat columns; GeoJSON needs Point features with a deviceType)', { file: filename });
  const devices = cityToGeoJSON(parsed).features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeature[];
  // The same checks as a scenario save (ids unique, numbers finite, types known …).
  cityWithDevices(city, devices, filename);
  if (bboxLngLat && [bboxLngLat.west, bboxLngLat.south, bboxLngLat.east, bboxLngLat.north].every(Number.isFinite) && bboxLngLat.west < bboxLngLat.east) {
    const outside = devices
      .filter((d) => {
        const [lon, lat] = d.geometry.coordinates;
        return lon < bboxLngLat.west || lon > bboxLngLat.east || lat < bboxLngLat.south || lat > bboxLngLat.north;
      })
      .map((d) => d.id);
    if (outside.length) warnings.push(`${filename}: ${outside.length} of ${devices.length} devices lie outside the city's extent (${examples(outside)})`);
  }
  return { devices, warnings };
}

/** See the module doc. */
export async function parseDevicesRoutes(fastify: FastifyInstance, options: ParseDevicesRouteOptions): Promise<void> {
  const { cities } = options;
  const maxUploadMb = options.maxUploadMb ?? 64;
  // Raw bytes for every content type: the importers detect the format themselves.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxUploadMb * 1024 * 1024 }, (_req, body, done) => done(null, body));
  fastify.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/cities/:id/parse-devices',
    {
      bodyLimit: maxUploadMb * 1024 * 1024,
      schema: {
        tags: ['cities'],
        summary: `Read the devices of a ledger file for a city, storing nothing (planner, admin; at most ${maxUploadMb} MiB)`,
        description:
          'The request body is the file: a CSV device ledger (Chinese or English headers; UTF-8, UTF-16 with BOM or GB18030), GeoJSON with device Point features, or a cim-twin city file. ' +
          'Answers the devices as city-file features (WGS84 lon/lat) and warnings (repairs, skipped records, encoding, devices outside the city). ' +
          'Bad content answers 422 with the importer message naming the file, the record and the field.',
        consumes: ['text/csv', 'application/octet-stream', 'application/json', 'application/geo+json'],
        params: IdParams,
        querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255, description: 'file name: its extension helps detect the format (.csv, .geojson, .city.json)' }) }),
        body: Type.Unsafe({ description: 'the file (binary)' }),
        response: { 200: Type.Object({ devices: Type.Unsafe<DeviceFeature[]>(DevicesSchema), warnings: Type.Array(Type.String()) }), ...errors(400, 401, 403, 404, 413, 422) },
      },
      preHandler: requireRole(...WRITERS),
    },
    async (request) => {
      const info = await readableCity(cities, request.params.id, request);
      const body = request.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0) throw new HttpError(400, 'the request body must be the device file (it is empty)');
      const city = await cities.city(info.id);
      try {
        return parseDeviceFile(body, request.query.filename, city, info.summary.bboxLngLat);
      } catch (e) {
        if (e instanceof CimError) throw new HttpError(422, e.message);
        throw e;
      }
    },
  );
}

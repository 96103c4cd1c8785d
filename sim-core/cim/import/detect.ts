/**
 * Input format from a file name and the start of its content: `.csv` is a ledger, `.osm`/`.xml` (or
 * text starting with `<`) OSM XML, JSON with an `elements` array Overpass JSON, other JSON GeoJSON.
 */
import { CimError } from '../errors.ts';
import type { InputFormat } from './report.ts';

/** `head` is the first few kilobytes of the file as text. */
export function detectFormat(file: string, head: string): InputFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.pbf') || lower.endsWith('.o5m')) {
    throw new CimError('binary OSM (PBF/O5M) is not read; convert it to OSM XML first, e.g. `osmium cat in.osm.pbf -o out.osm`', { file, field: 'format' });
  }
  if (lower.endsWith('.shp') || lower.endsWith('.gpkg') || lower.endsWith('.dwg') || lower.endsWith('.dxf')) {
    throw new CimError('this format is not read; export GeoJSON (lon/lat) first, e.g. `ogr2ogr -f GeoJSON -t_srs EPSG:4326 out.geojson in.shp`', { file, field: 'format' });
  }
  if (lower.endsWith('.csv') || lower.endsWith('.tsv')) return 'csv';
  const start = head.replace(/^\uFEFF/, '').trimStart();
  if (lower.endsWith('.osm') || lower.endsWith('.xml') || start.startsWith('<')) return 'osm-xml';
  if (start.startsWith('{') || start.startsWith('[')) {
    // Overpass output names its generator and carries "elements"; GeoJSON has "type".
    if (/"elements"\s*:/.test(head) && !/"type"\s*:\s*"(FeatureCollection|Feature)"/.test(head)) return 'overpass-json';
    return 'geojson';
  }
  if (lower.endsWith('.json') || lower.endsWith('.geojson')) return 'geojson';
  throw new CimError('cannot tell the format (expected GeoJSON, OSM XML, Overpass JSON or a CSV ledger by extension or content)', { file, field: 'format' });
}

/**
 * CIM importers: GeoJSON (plain, cim-twin city files, osmtogeojson, Tilezen), OSM XML, Overpass JSON and
 * CSV device ledgers, in WGS84, CGCS2000, GCJ-02 or BD-09, into one validated {@link City}. Pure: callers
 * read the files (server/io) and hand over text. See docs/importers.md and docs/crs.md.
 */
export { importCity, ImportContext, type ImportInput, type ImportResult } from './context.ts';
export * from './options.ts';
export * from './report.ts';
export { CRS_NAMES, CRS_LABEL, parseCrsName, requireCrsName, toWgs84, fromWgs84, type CrsName } from './crs.ts';
export { DEVICE_FIELDS, normaliseFieldName, deviceFieldKey } from './device-fields.ts';
export { HIGHWAY_CLASS, keyAreaCategoryFromTags, seedCategory, deviceTypeFrom, buildingUse } from './semantics.ts';
export { parseJsonText } from './json-text.ts';
export { detectFormat } from './detect.ts';

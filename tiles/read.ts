/**
 * Reads tile content back with glTF-Transform (meshopt-compressed or not): vertex positions in the
 * tile frame (ENU, z up, after the node transform and the glTF y-up → z-up turn), the feature id of
 * every vertex, and the building rows of the EXT_structural_metadata property table the feature ids
 * point to. Used by the validator, the tests and anyone who wants to look inside a tile.
 */
import { WebIO, type Document } from '@gltf-transform/core';
import { EXTMeshFeatures, EXTMeshoptCompression, EXTStructuralMetadata, KHRMeshQuantization, type Features, type StructuralMetadata } from '@gltf-transform/extensions';
import { MeshoptDecoder } from 'meshoptimizer';
import { BUILDING_CLASS, BUILDING_PROPERTIES, decodeBuildingRows, type BuildingRow, type ColumnDef } from './metadata.ts';

export interface ContentReadback {
  /** Interleaved ENU x, y, z of every vertex, metres (tile frame, before the tileset transform). */
  positionsM: Float64Array;
  /** Per vertex: feature id (`_FEATURE_ID_n` of the feature id set that references the property table). */
  featureIds: Uint32Array;
  /** `featureCount` of that feature id set. */
  featureCount: number;
  /** Rows of the property table, by feature id. */
  rows: BuildingRow[];
  triangleCount: number;
  document: Document;
}

let readerPromise: Promise<WebIO> | null = null;
function reader(): Promise<WebIO> {
  readerPromise ??= MeshoptDecoder.ready.then(() =>
    new WebIO().registerExtensions([EXTMeshFeatures, EXTStructuralMetadata, EXTMeshoptCompression, KHRMeshQuantization]).registerDependencies({ 'meshopt.decoder': MeshoptDecoder }),
  );
  return readerPromise;
}

/** Reads one content glb; throws an Error naming what is missing or malformed. */
export async function readContent(glb: Uint8Array): Promise<ContentReadback> {
  const io = await reader();
  const document = await io.readBinary(glb);
  const root = document.getRoot();
  const meta = root.getExtension<StructuralMetadata>('EXT_structural_metadata');
  if (!meta) throw new Error('no EXT_structural_metadata on the glTF root');
  const tables = meta.listPropertyTables();
  const schema = meta.getSchema();
  if (!schema?.getClass(BUILDING_CLASS)) throw new Error(`the metadata schema has no class '${BUILDING_CLASS}'`);

  const positions: number[] = [];
  const featureIds: number[] = [];
  let featureCount = -1;
  let tableIndex = -1;
  let triangleCount = 0;
  const p = [0, 0, 0];
  for (const node of root.listNodes()) {
    const mesh = node.getMesh();
    if (!mesh) continue;
    const m = node.getWorldMatrix();
    for (const prim of mesh.listPrimitives()) {
      const features = prim.getExtension<Features>('EXT_mesh_features');
      if (!features) throw new Error('a primitive has no EXT_mesh_features');
      const fid = features.listFeatureIDs().find((f) => f.getPropertyTable() !== null);
      if (!fid) throw new Error('no feature id set of the primitive points to a property table');
      const attribute = fid.getAttribute();
      if (attribute === null) throw new Error('the feature id set is not a vertex attribute');
      const ids = prim.getAttribute(`_FEATURE_ID_${attribute}`);
      if (!ids) throw new Error(`the primitive has no _FEATURE_ID_${attribute} attribute`);
      const pos = prim.getAttribute('POSITION');
      if (!pos) throw new Error('the primitive has no POSITION');
      const t = tables.indexOf(fid.getPropertyTable() as (typeof tables)[number]);
      if (tableIndex >= 0 && t !== tableIndex) throw new Error('primitives point to different property tables');
      tableIndex = t;
      if (featureCount >= 0 && fid.getFeatureCount() !== featureCount) throw new Error('primitives disagree on featureCount');
      featureCount = fid.getFeatureCount();
      for (let v = 0; v < pos.getCount(); v++) {
        pos.getElement(v, p); // dequantized by glTF-Transform when normalized; raw integers otherwise
        const x = m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12];
        const y = m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13];
        const z = m[2] * p[0] + m[6] * p[1] + m[10] * p[2] + m[14];
        positions.push(x, -z, y); // glTF (e, u, −n) → ENU
        featureIds.push(ids.getScalar(v));
      }
      const indices = prim.getIndices();
      triangleCount += (indices ? indices.getCount() : pos.getCount()) / 3;
    }
  }
  if (tableIndex < 0) throw new Error('the glb has no mesh with feature ids');
  const table = tables[tableIndex];
  if (table.getClass() !== BUILDING_CLASS) throw new Error(`the property table's class is '${table.getClass()}', expected '${BUILDING_CLASS}'`);
  const count = table.getCount();
  if (count !== featureCount) throw new Error(`featureCount ${featureCount} ≠ property table count ${count}`);
  // decode through the same checks as raw buffer views: give every array a pseudo index
  const arrays: Uint8Array[] = [];
  const ref = (a: Uint8Array | null) => (a ? arrays.push(a) - 1 : undefined);
  const properties: Record<string, ColumnDef> = {};
  for (const key of table.listPropertyKeys()) {
    const prop = table.getProperty(key);
    if (!prop || !(key in BUILDING_PROPERTIES)) continue;
    properties[key] = { values: ref(prop.getValues()) as number, stringOffsets: ref(prop.getStringOffsets()), arrayOffsets: ref(prop.getArrayOffsets()), stringOffsetType: prop.getStringOffsetType(), arrayOffsetType: prop.getArrayOffsetType() };
  }
  const rows = decodeBuildingRows({ count, properties }, (i) => arrays[i]);
  return { positionsM: Float64Array.from(positions), featureIds: Uint32Array.from(featureIds), featureCount, rows, triangleCount, document };
}

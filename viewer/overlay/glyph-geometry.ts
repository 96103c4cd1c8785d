/**
 * Unit glyph shapes by device type, about 1 m across and centred on the anchor, modelled with the
 * device's forward direction along +y, right +x, up +z (the glyph layer rotates them by heading and
 * tilt and scales them to their size in pixels).
 */
import { BoxGeometry, BufferGeometry, CylinderGeometry, IcosahedronGeometry, OctahedronGeometry } from 'three';
import { mergeGeometries } from 'three/addons/utils/BufferGeometryUtils.js';
import type { DeviceType } from '../../sim-core/cim/types.ts';

/** A cylinder standing along +z (three.js builds them along +y). */
function upright(g: BufferGeometry): BufferGeometry {
  return g.rotateX(Math.PI / 2);
}

/** A cylinder lying along +y (forward). */
function forward(g: BufferGeometry): BufferGeometry {
  return g;
}

function merge(parts: BufferGeometry[]): BufferGeometry {
  const g = mergeGeometries(parts.map((p) => (p.index ? p.toNonIndexed() : p)), false);
  for (const p of parts) p.dispose();
  if (!g) throw new Error('glyph geometry: parts do not merge');
  g.computeBoundingSphere();
  return g;
}

/** Builds the unit glyph of a device type (a new geometry; the caller owns it). */
export function glyphGeometry(type: DeviceType): BufferGeometry {
  switch (type) {
    case 'camera': // a bullet camera: body and lens, looking along +y
      return merge([new BoxGeometry(0.42, 0.85, 0.38).translate(0, -0.08, 0), forward(new CylinderGeometry(0.16, 0.2, 0.25, 12)).translate(0, 0.45, 0)]);
    case 'epolice': // a wider enforcement camera with a flash bar on top
      return merge([new BoxGeometry(0.6, 0.9, 0.42).translate(0, -0.05, 0), forward(new CylinderGeometry(0.2, 0.24, 0.22, 12)).translate(0, 0.5, 0), new BoxGeometry(0.7, 0.25, 0.12).translate(0, 0.1, 0.28)]);
    case 'cell5g': // a sector panel antenna: a flat upright slab facing +y
      return merge([new BoxGeometry(0.45, 0.16, 1.2), new BoxGeometry(0.12, 0.3, 0.12).translate(0, -0.2, 0)]);
    case 'weather': // a sensor ball on a short mast
      return merge([new IcosahedronGeometry(0.38, 1).translate(0, 0, 0.2), upright(new CylinderGeometry(0.06, 0.06, 0.7, 8)).translate(0, 0, -0.3)]);
    case 'signal': // a three-lamp signal head
      return merge([new BoxGeometry(0.42, 0.32, 1.15), ...[-0.35, 0, 0.35].map((z) => forward(new CylinderGeometry(0.13, 0.13, 0.1, 12)).translate(0, 0.2, z))]);
    case 'pole': // a smart pole: shaft and lamp
      return merge([upright(new CylinderGeometry(0.1, 0.14, 1.2, 8)), new OctahedronGeometry(0.28).translate(0, 0, 0.6)]);
  }
}

/**
 * DORI range bands of a camera (IEC 62676-4), from sim-core's camera model: the pixel density at
 * slant distance d is W / (2 d tan(hfov/2)) px/m, so a level needing ρ px/m holds out to
 * d = W / (2 tan(hfov/2) ρ) (`maxRangeM` in sim-core/coverage/camera.ts). Levels: detection 25,
 * observation 62, recognition 125, identification 250 px/m.
 */
import { DORI_LEVELS, DORI_PX_PER_M, maxRangeM, vfovDeg, type CameraSpec, type DoriLevel } from '../../sim-core/coverage/camera.ts';

/** One band: the slant distances [fromM, toM] in which `level` is the best level the camera reaches. */
export interface DoriBand {
  level: DoriLevel;
  fromM: number;
  toM: number;
}

/**
 * The four bands from the camera outwards: identification [0, d_I], recognition [d_I, d_R],
 * observation [d_R, d_O], detection [d_O, d_D]. `capM` (optional) cuts every band at that distance
 * (bands starting beyond it are dropped) so that a long lens does not draw a kilometre-long frustum.
 */
export function doriBands(c: Pick<CameraSpec, 'widthPx' | 'hfovDeg'>, capM = Infinity): DoriBand[] {
  const order = [...DORI_LEVELS].sort((a, b) => DORI_PX_PER_M[b] - DORI_PX_PER_M[a]); // identification first
  const out: DoriBand[] = [];
  let from = 0;
  for (const level of order) {
    const to = Math.min(maxRangeM(c.widthPx, c.hfovDeg, DORI_PX_PER_M[level]), capM);
    if (to > from) out.push({ level, fromM: from, toM: to });
    from = Math.max(from, to);
  }
  return out;
}

/** The vertical field of view of a camera spec, degrees (square pixels). */
export function cameraVfovDeg(c: Pick<CameraSpec, 'widthPx' | 'heightPx' | 'hfovDeg'>): number {
  return vfovDeg(c.hfovDeg, c.widthPx, c.heightPx);
}

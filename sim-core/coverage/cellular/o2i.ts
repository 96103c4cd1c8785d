/**
 * Outdoor-to-indoor (O2I) building penetration loss of 3GPP TR 38.901 clause 7.4.3.1, deterministic
 * (the normal term N(0, σP²) of eq. 7.4-2 is left out; σP is returned so a caller can add a margin):
 *
 *   PL = PL_b + PL_tw + PL_in                                           (eq. 7.4-2 without N(0, σP²))
 *
 * PL_b is the outdoor path loss of Table 7.4.1-1 over d3D-out + d3D-in; PL_in = 0.5 d2D-in (dB, d in m).
 * Material losses, Table 7.4.3-1 (f in GHz): standard multi-pane glass L = 2 + 0.2 f;
 * IRR glass L = 23 + 0.3 f; concrete L = 5 + 4 f; wood L = 4.85 + 0.12 f.
 * Through-wall loss, Table 7.4.3-2:
 * - low-loss:  PL_tw = 5 − 10 log10(0.3 · 10^(−L_glass/10) + 0.7 · 10^(−L_concrete/10)), σP = 4.4 dB
 * - high-loss: PL_tw = 5 − 10 log10(0.7 · 10^(−L_IRRglass/10) + 0.3 · 10^(−L_concrete/10)), σP = 6.5 dB
 * - Table 7.4.3-3 (single-frequency simulations below 6 GHz, backwards compatible with TR 36.873):
 *   PL_tw = 20 dB, σP = 0.
 *
 * d2D-in: the spec draws it for UMa/UMi as the minimum of two uniform(0, 25 m) variables. Here the
 * caller passes it; the raster passes the real distance the ray travels inside the UE's own building
 * footprint (the geometric meaning of d2D-in), and {@link MEAN_D2D_IN_UMA_UMI_M} (25/3 m, the mean of
 * the spec's distribution) is offered where no geometry is known.
 */

export type O2iModel = 'low-loss' | 'high-loss' | 'sub6-20db';

/** Mean of min(U(0,25), U(0,25)) = 25/3 m: the expected d2D-in of TR 38.901 7.4.3.1 for UMa/UMi. */
export const MEAN_D2D_IN_UMA_UMI_M = 25 / 3;

/** Standard multi-pane glass, Table 7.4.3-1. */
export const glassLossDb = (fcGHz: number) => 2 + 0.2 * fcGHz;
/** IRR (infrared-reflective) glass, Table 7.4.3-1. */
export const irrGlassLossDb = (fcGHz: number) => 23 + 0.3 * fcGHz;
/** Concrete, Table 7.4.3-1. */
export const concreteLossDb = (fcGHz: number) => 5 + 4 * fcGHz;
/** Wood, Table 7.4.3-1. */
export const woodLossDb = (fcGHz: number) => 4.85 + 0.12 * fcGHz;

/** Through-wall loss PL_tw of Table 7.4.3-2 / 7.4.3-3, dB. */
export function throughWallLossDb(model: O2iModel, fcGHz: number): number {
  switch (model) {
    case 'low-loss':
      return 5 - 10 * Math.log10(0.3 * 10 ** (-glassLossDb(fcGHz) / 10) + 0.7 * 10 ** (-concreteLossDb(fcGHz) / 10));
    case 'high-loss':
      return 5 - 10 * Math.log10(0.7 * 10 ** (-irrGlassLossDb(fcGHz) / 10) + 0.3 * 10 ** (-concreteLossDb(fcGHz) / 10));
    case 'sub6-20db':
      return 20;
    default:
      throw new RangeError(`O2I model must be 'low-loss', 'high-loss' or 'sub6-20db', got '${String(model)}'`);
  }
}

/** σP of Table 7.4.3-2 / 7.4.3-3 (not applied), dB. */
export function o2iSigmaDb(model: O2iModel): number {
  return model === 'low-loss' ? 4.4 : model === 'high-loss' ? 6.5 : 0;
}

/** PL_tw + PL_in for an indoor UE `d2DInM` metres inside the wall, dB (add to PL_b). */
export function o2iLossDb(model: O2iModel, fcGHz: number, d2DInM: number): number {
  if (!(d2DInM >= 0)) throw new RangeError(`d2DInM must be ≥ 0 m, got ${d2DInM}`);
  return throughWallLossDb(model, fcGHz) + 0.5 * d2DInM;
}

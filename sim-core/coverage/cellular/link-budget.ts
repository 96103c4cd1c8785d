/**
 * Downlink link budget for SS-RSRP (3GPP TS 38.215 clause 5.1.1: the linear average over the resource
 * elements carrying the secondary synchronisation signal, per RE).
 *
 *   SS-RSRP [dBm] = EPRE_SSS [dBm] + G_tx(θ, φ) [dBi] − PL [dB] − L_feeder [dB] (− O2I for indoor UEs)
 *
 * The UE antenna is taken as 0 dBi. The SSS energy per resource element comes in one of two ways, and
 * a cell states which:
 * - `ssbEpreDbm`: the configured SS/PBCH block EPRE (what `ss-PBCH-BlockPower` in SIB1 announces);
 * - `txPowerDbm` (total carrier power at the antenna port) with the carrier's resource blocks N_RB:
 *   EPRE = P_total − 10 log10(12 × N_RB), i.e. the power spread evenly over every subcarrier of the
 *   carrier at the SSB numerology (no SSB power boosting). N_RB comes from TS 38.101-1 Table 5.3.2-1
 *   for the channel bandwidth and subcarrier spacing ({@link maxResourceBlocks}).
 *
 * Noise per resource element: N = −174 dBm/Hz + 10 log10(SCS in Hz) + NF_UE, with NF_UE = 7 dB
 * (ITU-R M.2412-0 Table 8-2, UE noise figure for the IMT-2020 evaluation). SS-SINR is the best
 * server's SS-RSRP over noise plus the sum of the other same-carrier cells' SS-RSRP, i.e. every
 * neighbour's SSB collides at full power (the pessimistic, fully loaded case; SSB positions in a real
 * network may be staggered).
 */

export interface BandPreset {
  /** NR operating band name. */
  band: string;
  /** Carrier centre frequency used for path loss, GHz. */
  fcGHz: number;
  channelBandwidthMHz: number;
  /** Subcarrier spacing of the SSB / carrier, kHz. */
  scsKHz: number;
  /** Default total transmit power of a cell on this band, dBm (an assumption; override per cell). */
  txPowerDbm: number;
}

/**
 * Band presets. Frequencies are the nominal values (n78 3.5 GHz, n41 2.6 GHz, n28 700 MHz).
 * Bandwidths are the usual Chinese carriers: n78 100 MHz (China Telecom/Unicom, 3.4–3.6 GHz shared),
 * n41 100 MHz NR carrier (China Mobile), n28 30 MHz (China Broadnet/Mobile 758–788 MHz downlink).
 * Powers are assumed typical macro values, not sourced: 53 dBm (200 W) for the n78/n41 AAUs, 49 dBm
 * (80 W) for an n28 RRU. Override them per cell.
 */
export const BAND_PRESETS: Readonly<Record<string, Readonly<BandPreset>>> = Object.freeze({
  n78: Object.freeze({ band: 'n78', fcGHz: 3.5, channelBandwidthMHz: 100, scsKHz: 30, txPowerDbm: 53 }),
  n41: Object.freeze({ band: 'n41', fcGHz: 2.6, channelBandwidthMHz: 100, scsKHz: 30, txPowerDbm: 53 }),
  n28: Object.freeze({ band: 'n28', fcGHz: 0.7, channelBandwidthMHz: 30, scsKHz: 15, txPowerDbm: 49 }),
});

/** TS 38.101-1 Table 5.3.2-1 (FR1): N_RB by SCS (kHz) and channel bandwidth (MHz). */
const NRB_FR1: Readonly<Record<number, Readonly<Record<number, number>>>> = {
  15: { 5: 25, 10: 52, 15: 79, 20: 106, 25: 133, 30: 160, 35: 188, 40: 216, 45: 242, 50: 270 },
  30: { 5: 11, 10: 24, 15: 38, 20: 51, 25: 65, 30: 78, 35: 92, 40: 106, 45: 119, 50: 133, 60: 162, 70: 189, 80: 217, 90: 245, 100: 273 },
  60: { 10: 11, 15: 18, 20: 24, 25: 31, 30: 38, 35: 44, 40: 51, 45: 58, 50: 65, 60: 79, 70: 93, 80: 107, 90: 121, 100: 135 },
};

/** Maximum transmission bandwidth configuration N_RB (TS 38.101-1 Table 5.3.2-1); throws when undefined. */
export function maxResourceBlocks(channelBandwidthMHz: number, scsKHz: number): number {
  const row = NRB_FR1[scsKHz];
  if (!row) throw new RangeError(`subcarrier spacing ${scsKHz} kHz is not an FR1 numerology (15, 30, 60 kHz)`);
  const n = row[channelBandwidthMHz];
  if (n === undefined) {
    throw new RangeError(
      `TS 38.101-1 Table 5.3.2-1 has no ${channelBandwidthMHz} MHz channel at ${scsKHz} kHz (have ${Object.keys(row).join(', ')} MHz)`,
    );
  }
  return n;
}

/** EPRE from total carrier power spread over 12 × N_RB subcarriers, dBm. */
export function epreFromTotalPowerDbm(txPowerDbm: number, nRb: number): number {
  if (!(nRb >= 1)) throw new RangeError(`N_RB must be ≥ 1, got ${nRb}`);
  return txPowerDbm - 10 * Math.log10(12 * nRb);
}

/** Thermal noise density, dBm/Hz (kT at 290 K). */
export const THERMAL_NOISE_DBM_PER_HZ = -174;
/** UE noise figure, dB (ITU-R M.2412-0 Table 8-2). */
export const DEFAULT_UE_NOISE_FIGURE_DB = 7;

/** Noise power in one resource element (one subcarrier), dBm. */
export function noisePerReDbm(scsKHz: number, noiseFigureDb = DEFAULT_UE_NOISE_FIGURE_DB): number {
  return THERMAL_NOISE_DBM_PER_HZ + 10 * Math.log10(scsKHz * 1e3) + noiseFigureDb;
}

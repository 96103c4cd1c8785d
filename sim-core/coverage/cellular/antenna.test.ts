import { describe, expect, it } from 'vitest';
import { DEFAULT_SECTOR_ANTENNA, MountedAntenna, TR38901_ELEMENT, horizontalPatternDb, patternDb, verticalPatternDb } from './antenna.ts';
import { epreFromTotalPowerDbm, maxResourceBlocks, noisePerReDbm } from './link-budget.ts';
import { makeCellKernel, resolveCell } from './cells.ts';

describe('TR 38.901 Table 7.3-1 pattern', () => {
  const e = TR38901_ELEMENT;
  it('0 dB on boresight, −3 dB at half the 3 dB beamwidth, A_max at the back', () => {
    expect(patternDb(e, 90, 0)).toBe(-0);
    // A_H(65°/2) = −12 (32.5/65)² = −3 dB
    expect(horizontalPatternDb(e, 65 / 2)).toBeCloseTo(-3, 12);
    expect(horizontalPatternDb(e, -65 / 2)).toBeCloseTo(-3, 12);
    // back lobe: −min(12 (180/65)², 30) = −min(92.0, 30) = −30
    expect(horizontalPatternDb(e, 180)).toBe(-30);
    expect(patternDb(e, 90, 180)).toBe(-30);
    // vertical: −12 (32.5/65)² = −3 at θ = 90 + 32.5; straight down −12 (90/65)² = −23.0059 (above SLA_V = 30 dB)
    expect(verticalPatternDb(e, 122.5)).toBeCloseTo(-3, 12);
    expect(verticalPatternDb(e, 180)).toBeCloseTo(-23.0059, 4);
    // a 10° panel reaches its 20 dB side-lobe floor 12.9° off the peak
    expect(verticalPatternDb(DEFAULT_SECTOR_ANTENNA, 90 + 13)).toBe(-20);
    // 3D sum is floored at A_max: −min(3 + 30, 30)
    expect(patternDb(e, 122.5, 180)).toBe(-30);
    expect(patternDb(e, 122.5, 65 / 2)).toBeCloseTo(-6, 12);
  });

  it('mounted sector: gain G_max on boresight, −3 dB at ±32.5° in azimuth, front-to-back toward the rear', () => {
    const p = DEFAULT_SECTOR_ANTENNA;
    const a = new MountedAntenna(p, 90, 0, 0); // facing east, no tilt
    expect(a.gainTowardDbi(100, 0, 0)).toBeCloseTo(p.gainDbi, 12);
    const r = (deg: number) => [Math.sin((deg * Math.PI) / 180), Math.cos((deg * Math.PI) / 180)] as const;
    const [x1, y1] = r(90 + 32.5);
    expect(a.gainTowardDbi(x1, y1, 0)).toBeCloseTo(p.gainDbi - 3, 9);
    const [x2, y2] = r(90 - 32.5);
    expect(a.gainTowardDbi(x2, y2, 0)).toBeCloseTo(p.gainDbi - 3, 9);
    expect(a.gainTowardDbi(-100, 0, 0)).toBeCloseTo(p.gainDbi - p.frontToBackDb, 12);
  });

  it('downtilt: mechanical and electrical tilt put the peak below the horizon', () => {
    const p = DEFAULT_SECTOR_ANTENNA;
    const t = Math.tan((8 * Math.PI) / 180);
    for (const a of [new MountedAntenna(p, 0, 8, 0), new MountedAntenna(p, 0, 0, 8), new MountedAntenna(p, 0, 3, 5)]) {
      // 8° below the horizon toward north is the peak
      expect(a.gainTowardDbi(0, 1, -t)).toBeCloseTo(p.gainDbi, 9);
      // at the horizon: −12 (8/10)² = −7.68 dB
      expect(a.gainTowardDbi(0, 1, 0)).toBeCloseTo(p.gainDbi - 7.68, 9);
    }
    // mechanical tilt rotates the panel: 90° off boresight it no longer points down; electrical tilt does.
    const mech = new MountedAntenna(p, 0, 8, 0);
    const elec = new MountedAntenna(p, 0, 0, 8);
    const side = mech.gainTowardDbi(1, 0, 0) - elec.gainTowardDbi(1, 0, 0);
    expect(side).toBeGreaterThan(5);
  });

  it('omni antenna: no horizontal pattern', () => {
    const a = new MountedAntenna(DEFAULT_SECTOR_ANTENNA, 0, 0, 0, true);
    expect(a.gainTowardDbi(0, -1, 0)).toBeCloseTo(a.gainTowardDbi(0, 1, 0), 12);
  });
});

describe('link budget', () => {
  it('N_RB from TS 38.101-1 and EPRE = P − 10 log10(12 N_RB)', () => {
    expect(maxResourceBlocks(100, 30)).toBe(273);
    expect(maxResourceBlocks(30, 15)).toBe(160);
    expect(() => maxResourceBlocks(100, 15)).toThrow(/no 100 MHz channel at 15 kHz/);
    // 53 − 10·log10(3276) = 53 − 35.15344 = 17.84656 dBm
    expect(epreFromTotalPowerDbm(53, 273)).toBeCloseTo(17.84656, 4);
    // −174 + 10·log10(30000) + 7 = −174 + 44.77121 + 7 = −122.2288 dBm
    expect(noisePerReDbm(30)).toBeCloseTo(-122.2288, 4);
  });

  it('a resolved n78 cell: SS-RSRP on boresight at 200 m NLOS by hand', () => {
    const cell = resolveCell({ id: 'c1', xM: 0, yM: 0, heightM: 25, azimuthDeg: 0, mechanicalTiltDeg: 0 });
    expect(cell.band).toBe('n78');
    expect(cell.epreDbm).toBeCloseTo(17.84656, 4);
    const k = makeCellKernel(cell, 1.5);
    // d3D = √(200² + 23.5²) = 201.3759; NLOS' = 13.54 + 39.08·2.303999 + 10.88136 = 114.46197
    // elevation −atan(23.5/200) = −6.70153°: A_V = −12 (6.70153/10)² = −5.38925 dB
    // RSRP = 17.84656 + 14 − 5.38925 − 114.46197 = −88.00466 dBm
    const g = k.antenna.gainTowardDbi(0, 200, -23.5);
    expect(g).toBeCloseTo(14 - 5.38925, 4);
    expect(k.powerDbm + g - k.pathLoss.nlosDb(200)).toBeCloseTo(-88.00466, 3);
  });

  it('bad cells name the cell and the field', () => {
    expect(() => resolveCell({ id: 'x', xM: 0, yM: 0, heightM: 1 })).toThrow(/cell 'x'.*heightM/);
    expect(() => resolveCell({ id: 'x', xM: 0, yM: 0, heightM: 30, band: 'n99' })).toThrow(/unknown band 'n99'/);
    expect(() => resolveCell({ id: 'x', xM: 0, yM: 0, heightM: 30, channelBandwidthMHz: 7 })).toThrow(/no 7 MHz/);
    expect(resolveCell({ id: 'u', xM: 0, yM: 0, heightM: 30, band: 'private', fcGHz: 4.9 }).fcGHz).toBe(4.9);
    expect(resolveCell({ id: 's', xM: 0, yM: 0, heightM: 8 }).scenario).toBe('umi');
  });
});

describe('gain bound', () => {
  it('never below the gain, and the back-lobe bound behind the panel', () => {
    const p = DEFAULT_SECTOR_ANTENNA;
    const a = new MountedAntenna(p, 30, 7, 3);
    let behind = 0;
    for (let i = 0; i < 2000; i++) {
      const t = (i * 2 * Math.PI) / 2000;
      const dx = Math.cos(t) * 100;
      const dy = Math.sin(t * 3) * 100;
      const dz = -((i % 17) * 3);
      const bound = a.gainBoundDbi(dx, dy, dz);
      expect(bound).toBeGreaterThanOrEqual(a.gainTowardDbi(dx, dy, dz) - 1e-12);
      if (bound < p.gainDbi) behind++;
    }
    // 12 (90/65)² = 23.0 dB below G_max behind the panel
    expect(a.gainBoundDbi(-Math.sin((30 * Math.PI) / 180), -Math.cos((30 * Math.PI) / 180), 0)).toBeCloseTo(p.gainDbi - 12 * (90 / 65) ** 2, 9);
    expect(behind).toBeGreaterThan(500);
  });
});

import { describe, expect, it } from 'vitest';
import { Nr5gAreaSession } from './key-areas.ts';
import { nr5gReport } from './report.ts';
import { testCells, testScene } from './test-scene.ts';
import type { KeyAreaInput } from '../../cim/builder.ts';

const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0, x1, y0, x1, y1, x0, y1]];

/** Key areas in the streets and over blocks of the test scene; one outside the 5G set. */
const AREAS: KeyAreaInput[] = [
  { id: 'square', rings: rect(160, 160, 300, 300), category: 'park_square', name: '广场' },
  { id: 'school', rings: rect(420, 40, 560, 170), category: 'school' },
  { id: 'station', rings: rect(20, 560, 250, 690), category: 'transport_hub' },
  { id: 'hospital', rings: rect(560, 560, 690, 690), category: 'hospital' },
  { id: 'library', rings: rect(300, 420, 330, 450), category: 'library' },
  { id: 'video-only', rings: rect(40, 300, 170, 420), category: 'school', in5gSet: false, inVideoSet: true },
];

describe('5G key-area coverage', () => {
  const { city, index } = testScene(7, AREAS);
  // two masts at 46 dBm: some areas fully covered, the hospital only half
  const cells = testCells(3, 2).map((c) => ({ ...c, txPowerDbm: 46 }));

  it('counts covered areas of the 5G set and gives the indicator as covered ÷ total', () => {
    const { nr5g, indicators } = nr5gReport(city, index, { cells, gridM: 5 });
    expect(nr5g.areas.map((a) => a.id)).toEqual(['square', 'school', 'station', 'hospital', 'library']);
    const covered = nr5g.areas.filter((a) => a.covered).length;
    const v = indicators.nr5g_key_area_coverage;
    expect(v.numerator).toBe(covered);
    expect(v.denominator).toBe(5);
    expect(v.value).toBeCloseTo((100 * covered) / 5, 12);
    expect(v.model).toBe('nr5g-coverage');
    for (const a of nr5g.areas) {
      expect(a.samples).toBeGreaterThan(0);
      expect(a.covered).toBe(a.coveredSamples * 100 >= 95 * a.samples);
    }
    // the scene is built so that the four masts leave some areas short and cover others
    expect(covered).toBeGreaterThan(0);
    expect(covered).toBeLessThan(5);
    // holes only for failing areas, each naming its area
    const failing = new Set(nr5g.areas.filter((a) => !a.covered).map((a) => a.id));
    expect(nr5g.holes.features.length).toBeGreaterThan(0);
    for (const f of nr5g.holes.features) {
      expect(failing.has(f.properties.areaId)).toBe(true);
      expect(f.properties.layer).toBe('nr5g-coverage-hole');
      const [lon, lat] = f.geometry.coordinates[0][0][0];
      expect(lon).toBeGreaterThan(119.15);
      expect(lat).toBeGreaterThan(36.70);
    }
  });

  it('the rule is configurable: a looser share or threshold never covers fewer areas', () => {
    const n = (o: object) => nr5gReport(city, index, { cells, ...o }).indicators.nr5g_key_area_coverage.numerator as number;
    const strict = n({ rulePercent: 100 });
    const dflt = n({});
    const loose = n({ rulePercent: 50 });
    const low = n({ rsrpThresholdDbm: -120 });
    expect(strict).toBeLessThanOrEqual(dflt);
    expect(dflt).toBeLessThanOrEqual(loose);
    expect(dflt).toBeLessThanOrEqual(low);
    expect(loose + low).toBeGreaterThan(strict);
    // an SINR condition can only remove samples
    expect(n({ sinrThresholdDb: -3 })).toBeLessThanOrEqual(dflt);
  });

  it('what-if: editing one cell updates samples, areas and the indicator like a fresh evaluation', () => {
    const session = new Nr5gAreaSession(city, index, { cells, gridM: 5 });
    const before = session.counts();
    const add = { id: 'new', xM: 600, yM: 620, heightM: 30, azimuthDeg: 225, mechanicalTiltDeg: 8 };
    const r1 = session.setCell(add);
    expect(r1.touchedSamples).toBeGreaterThan(0);
    const moved = { ...cells[0], xM: (cells[0].xM as number) + 40 };
    session.setCell(moved);
    session.removeCell(cells[4].id);
    const final = [...cells.filter((c) => c.id !== cells[4].id).map((c) => (c.id === moved.id ? moved : c)), add];
    const fresh = new Nr5gAreaSession(city, index, { cells: final, gridM: 5 });
    expect(session.areaResults()).toEqual(fresh.areaResults());
    expect(session.counts()).toEqual(fresh.counts());
    expect(Array.from(session.set.rsrpDbm)).toEqual(Array.from(fresh.set.rsrpDbm));
    // the report of the edited session reads its state
    const rep = nr5gReport(city, index, { cells: final }, session);
    expect(rep.indicators.nr5g_key_area_coverage.numerator).toBe(fresh.counts().covered);
    expect(before.total).toBe(5);
  });

  it('no cells: every area uncovered, a note says why; no 5G-set area: the indicator is left out', () => {
    const none = nr5gReport(city, index, { cells: [] });
    expect(none.indicators.nr5g_key_area_coverage.value).toBe(0);
    expect(none.nr5g.notes.join(' ')).toMatch(/no healthy cell5g/);
    const { city: bare, index: bareIndex } = testScene(7, [{ id: 'v', rings: rect(0, 0, 30, 30), category: 'school', in5gSet: false }]);
    const r = nr5gReport(bare, bareIndex, { cells });
    expect(r.indicators.nr5g_key_area_coverage).toBeUndefined();
    expect(r.nr5g.notes.join(' ')).toMatch(/denominator 0/);
  });

  it('raster summary over the 城区 scope', () => {
    const { nr5g } = nr5gReport(city, index, { cells, rasterCellM: 10 });
    const r = nr5g.raster!;
    expect(r.scopeId).toBe('urban');
    expect(r.nx).toBe(70);
    expect(r.outdoorSamples).toBeGreaterThan(2000);
    expect(r.outdoorSamples).toBeLessThan(70 * 70);
    expect(r.coveredPercent).toBeGreaterThan(0);
    expect(r.coveredPercent).toBeLessThanOrEqual(100);
  });
});

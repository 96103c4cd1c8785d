/**
 * CLI tests for `cimtwin coverage`, run as a child process on a small hand-made city file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CityBuilder } from '../../../sim-core/cim/builder.ts';
import { cityToGeoJSON } from '../../../sim-core/cim/city-file.ts';
import { LocalFrame } from '../../../sim-core/cim/frame.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'server/cli/cimtwin.mjs');
const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };
let dir: string;

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A square (x 10–20, y −4…6; 25 cells of the 2 m grid) watched by a 4K camera, a second square behind a wall with a camera that
 * cannot see it, and an arterial crossing at (0, 200) with e-police cameras on three of its four approaches.
 */
function cityFile(name: string, cameraAttrs: Record<string, unknown> = {}): string {
  const b = new CityBuilder(ORIGIN, { name: 'cli-test', synthetic: true });
  b.addKeyArea({ id: 'sq', rings: [[10, -4, 20, -4, 20, 6, 10, 6]], category: 'park_square', name: '广场' });
  b.addKeyArea({ id: 'hidden', rings: [[60, -4, 70, -4, 70, 6, 60, 6]], category: 'school' });
  b.addBuilding({ id: 'wall', rings: [[55, -30, 56, -30, 56, 30, 55, 30]], roofM: 12 });
  b.addDevice({ id: 'cam4k', type: 'camera', xM: 9, yM: 0, heightM: 5, headingDeg: 90, tiltDeg: 25, attrs: { hfovDeg: 120, resolutionPx: [3840, 2160], ...cameraAttrs } });
  b.addDevice({ id: 'blocked', type: 'camera', xM: 50, yM: 0, heightM: 5, headingDeg: 90, tiltDeg: 25, networked: false, attrs: { hfovDeg: 120, resolutionPx: [3840, 2160] } });
  for (const [id, x, y] of [['c', 0, 200], ['e', 200, 200], ['w', -200, 200], ['n', 0, 400], ['s', 0, 0]] as const) b.addRoadNode({ id, xM: x, yM: y });
  const link = (id: string, a: string, z: string, xy: number[]) => b.addRoadLink({ id, fromId: a, toId: z, roadClass: 'arterial', lanes: 4, speedLimitMps: 14, xyM: xy });
  link('we', 'w', 'c', [-200, 200, 0, 200]);
  link('ce', 'c', 'e', [0, 200, 200, 200]);
  link('sn', 's', 'c', [0, 0, 0, 200]);
  link('cn', 'c', 'n', [0, 200, 0, 400]);
  // e-police across the intersection from the east, west and north approaches, facing them
  for (const [id, ux, uy] of [['ep-e', 1, 0], ['ep-w', -1, 0], ['ep-n', 0, 1]] as const) {
    const heading = ((Math.atan2(ux, uy) * 180) / Math.PI + 360) % 360;
    b.addDevice({ id, type: 'epolice', xM: -15 * ux - 3.5 * uy, yM: 200 - 15 * uy + 3.5 * ux, heightM: 6, headingDeg: heading, tiltDeg: 12, attrs: { hfovDeg: 30, resolutionPx: [2448, 2048] } });
  }
  b.addDevice({ id: 'sig-c', type: 'signal', xM: 2, yM: 202, heightM: 6, attrs: { nodeId: 'c', realTimeTiming: true } });
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(cityToGeoJSON(b.build())));
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cimtwin-coverage-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('cimtwin coverage', () => {
  it('writes per-area and per-intersection results, the indicator values and the blind spots', () => {
    const city = cityFile('city.json');
    const out = join(dir, 'report.json');
    const holes = join(dir, 'holes.geojson');
    const r = run(['coverage', city, '--blind-spots', holes, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/HD-video coverage of key areas 50\.0% \(1\/2\)/);
    const rep = JSON.parse(readFileSync(out, 'utf8'));
    expect(rep.format).toBe('cimtwin-coverage');
    const areas = Object.fromEntries(rep.camera.areas.map((a: { id: string }) => [a.id, a]));
    expect(areas.sq).toMatchObject({ sampleCount: 25, covered: true, cameras: 0 });
    expect(areas.hidden).toMatchObject({ sampleCount: 25, coveredSamples: 0, covered: false, cameras: 0 });
    expect(rep.indicators.video_hd_coverage).toMatchObject({ value: 50, numerator: 1, denominator: 2, unit: 'percent', source: 'simulation', model: 'camera-coverage' });
    // only 'cam4k' stands inside a key area (the square's west edge is at x = 10, the camera at x = 9: outside)
    expect(rep.indicators.video_camera_health).toBeUndefined();
    expect(rep.camera.notes.join('\n')).toMatch(/no camera stands inside a video-set key area/);
    const ix = rep.camera.intersections;
    expect(ix).toHaveLength(1);
    expect(ix[0]).toMatchObject({ nodeId: 'c', approaches: 4, coveredApproaches: 3, covered: false });
    expect(rep.indicators.epolice_coverage).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    // the one important intersection has a real-time signal controller
    expect(rep.indicators.signal_realtime_timing).toMatchObject({ value: 100, numerator: 1, denominator: 1, model: 'signal-timing' });
    expect(rep.signal.withRealTime).toEqual(['c']);
    const fc = JSON.parse(readFileSync(holes, 'utf8'));
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { properties: { areaId: string } }) => f.properties.areaId)).toContain('hidden');
    const hidden = fc.features.find((f: { properties: { areaId: string } }) => f.properties.areaId === 'hidden');
    expect(hidden.properties.areaM2).toBeCloseTo(100, 3);
    const [lon, lat] = hidden.geometry.coordinates[0][0][0];
    const [x, y] = new LocalFrame(ORIGIN).toLocal(lon, lat);
    expect(x).toBeGreaterThan(59.99);
    expect(y).toBeGreaterThan(-4.01);
    expect(y).toBeLessThan(6.01);
  });

  it('reads the minimum-approaches rule, the DORI level and writes to stdout with -o -', () => {
    const city = cityFile('city2.json');
    const r = run(['coverage', city, '--min-approaches', '3', '--dori', 'identification', '-o', '-']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.indicators.epolice_coverage.value).toBe(100);
    // identification (250 px/m) leaves the 4K camera a 3840 / (2·tan 60°·250) = 4.4 m range: the square is not covered
    expect(rep.indicators.video_hd_coverage.value).toBe(0);
    expect(rep.camera.options).toMatchObject({ areaLevel: 'identification', epoliceRule: { minApproaches: 3, minLaneFraction: 1 } });
  });

  it('replaces the cameras with those of a device ledger', () => {
    const city = cityFile('city3.json');
    const frame = new LocalFrame(ORIGIN);
    const at = (x: number, y: number) => Array.from(frame.toLngLat(x, y));
    const ledger = join(dir, 'devices.geojson');
    writeFileSync(
      ledger,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: at(15, 0) }, properties: { 编号: 'L1', 设备类型: 'camera', 安装高度: 5, 朝向: 90, 分辨率: '1080p', 是否完好: '否', 是否联网: '是' } },
          { type: 'Feature', geometry: { type: 'Point', coordinates: at(65, 0) }, properties: { 编号: 'L2', 设备类型: 'camera', 安装高度: 5, 朝向: 90, 分辨率: '1080p', 是否完好: '是', 是否联网: '否' } },
        ],
      }),
    );
    const r = run(['coverage', city, '--devices', ledger, '-o', '-']);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.camera.cameras).toMatchObject({ total: 2, byKind: { camera: 2, epolice: 0 } });
    expect(rep.indicators.video_camera_health).toMatchObject({ numerator: 1, denominator: 2 });
    expect(rep.indicators.video_networking).toMatchObject({ numerator: 1, denominator: 2 });
    expect(rep.indicators.epolice_coverage.numerator).toBe(0);
    const merged = JSON.parse(run(['coverage', city, '--devices', ledger, '--merge-devices', '-o', '-']).stdout);
    expect(merged.camera.cameras.total).toBe(7);
  });

  it('names the file, the device and the field on a bad camera attribute, and writes nothing', () => {
    const city = cityFile('bad.json', { hfovDeg: 190 });
    const out = join(dir, 'kept.json');
    writeFileSync(out, 'previous report');
    const r = run(['coverage', city, '-o', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/bad\.json, device \d+ \(id 'cam4k'\), field 'hfovDeg'/);
    expect(readFileSync(out, 'utf8')).toBe('previous report');
    const r2 = run(['coverage', city, '--rule-percent', '120', '-o', join(dir, 'never.json')]);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/--rule-percent/);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  it('prints help', () => {
    const r = run(['coverage', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--blind-spots/);
    expect(r.stdout).toMatch(/--devices/);
  });
});

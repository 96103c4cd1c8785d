import { describe, expect, it } from 'vitest';
import { CityBuilder } from '../cim/builder.ts';
import { CimError } from '../cim/errors.ts';
import { PrismIndex } from '../spatial/prism-index.ts';
import {
  cameraFromDevice,
  cameraSeesPoint,
  camerasFromDevices,
  frustumContains,
  hfovFromFocalLength,
  isHdCamera,
  maxRangeM,
  parseResolution,
  pixelDensityPxPerM,
  preparePose,
  vfovDeg,
  type CameraSpec,
} from './camera.ts';

const ORIGIN = { lonDeg: 119.16, latDeg: 36.71, heightM: 0 };

function spec(over: Partial<CameraSpec> = {}): CameraSpec {
  return { id: 'c', kind: 'camera', xM: 0, yM: 0, heightM: 1.5, headingDeg: 90, tiltDeg: 0, hfovDeg: 90, widthPx: 1920, heightPx: 1080, ptz: false, panRangeDeg: 0, doriLevel: 'observation', healthy: true, networked: true, assumed: [], ...over };
}

const empty = PrismIndex.fromBuildings(new CityBuilder(ORIGIN).build().buildings);

describe('pixel density (IEC 62676-4)', () => {
  it('follows W / (2 d tan(hfov/2))', () => {
    // 1920 px over a 90° lens: tan 45° = 1, so 960 / d px/m
    expect(pixelDensityPxPerM(1920, 90, 10)).toBeCloseTo(96, 10);
    expect(maxRangeM(1920, 90, 62)).toBeCloseTo(960 / 62, 10); // 15.4839 m
    expect(maxRangeM(1920, 90, 250)).toBeCloseTo(3.84, 10);
    expect(pixelDensityPxPerM(1920, 90, maxRangeM(1920, 90, 125))).toBeCloseTo(125, 10);
  });

  it('sees a level target just inside the observation range and not just outside', () => {
    // Camera 1.5 m up looking east, level target at 1.5 m: slant distance = x.
    const cam = spec();
    const r = 960 / 62;
    expect(cameraSeesPoint(cam, empty, r - 0.01, 0, 1.5, 'observation')).toBe(true);
    expect(cameraSeesPoint(cam, empty, r + 0.01, 0, 1.5, 'observation')).toBe(false);
    // identification: 3.84 m
    expect(cameraSeesPoint(cam, empty, 3.83, 0, 1.5, 'identification')).toBe(true);
    expect(cameraSeesPoint(cam, empty, 3.85, 0, 1.5, 'identification')).toBe(false);
    // detection (25 px/m): 38.4 m; an explicit px/m works too
    expect(cameraSeesPoint(cam, empty, 38.3, 0, 1.5, 'detection')).toBe(true);
    expect(cameraSeesPoint(cam, empty, 38.5, 0, 1.5, 25)).toBe(false);
  });
});

describe('frustum', () => {
  it('uses the exact pinhole: sides at ±hfov/2, top and bottom at ±vfov/2 about the tilt', () => {
    // 90° × vfov(16:9) = 2 atan(9/16) = 58.7°; camera level, looking east.
    expect(vfovDeg(90, 1920, 1080)).toBeCloseTo(58.7155, 3);
    const p = preparePose(spec(), 'preset');
    expect(frustumContains(p, 10, 9.9, 1.5)).toBe(true); // 44.7° to the left of the axis
    expect(frustumContains(p, 10, -10.1, 1.5)).toBe(false); // 45.3° to the right
    expect(frustumContains(p, 10, 0, 1.5 + 5.6)).toBe(true); // 29.2° up (tan = 0.56 < 9/16)
    expect(frustumContains(p, 10, 0, 1.5 - 5.7)).toBe(false); // 29.7° down
    expect(frustumContains(p, -10, 0, 1.5)).toBe(false); // behind
  });

  it('puts ground that a flat tilt misses back in view when the camera tilts down', () => {
    // 6 m high, hfov 60°, 16:9 → vfov/2 = atan(tan30° × 9/16) = 18.0°. Ground 5–15 m ahead lies
    // 21.8°–50.2° below the horizon: outside at tilt 0° (±18°), inside at tilt 35° (17°–53°).
    const level = spec({ heightM: 6, hfovDeg: 60, tiltDeg: 0 });
    const down = spec({ heightM: 6, hfovDeg: 60, tiltDeg: 35 });
    for (const x of [5, 10, 15]) {
      expect(cameraSeesPoint(level, empty, x, 0, 0, 'detection')).toBe(false);
      expect(cameraSeesPoint(down, empty, x, 0, 0, 'detection')).toBe(true);
    }
  });

  it('widens the view of a PTZ over its pan range in potential mode only', () => {
    const ptz = spec({ ptz: true, panRangeDeg: 180 }); // heading east, pan ±90°: north to south through east
    expect(cameraSeesPoint(ptz, empty, 0, 10, 1.5, 'observation', 'potential')).toBe(true); // due north
    // the left pan limit points north; its frustum reaches 45° further, to azimuth 315°
    expect(cameraSeesPoint(ptz, empty, -7, 7.5, 1.5, 'observation', 'potential')).toBe(true); // azimuth 317°
    expect(cameraSeesPoint(ptz, empty, -8, 7, 1.5, 'observation', 'potential')).toBe(false); // azimuth 311°
    expect(cameraSeesPoint(ptz, empty, -10, 1, 1.5, 'observation', 'potential')).toBe(false); // nearly west
    expect(cameraSeesPoint(ptz, empty, 0, 10, 1.5, 'observation', 'preset')).toBe(false);
    const endless = spec({ ptz: true, panRangeDeg: 360 });
    for (const [x, y] of [[10, 0], [0, 10], [-10, 0], [0, -10], [-7, -7]]) expect(cameraSeesPoint(endless, empty, x, y, 1.5, 'observation')).toBe(true);
  });
});

describe('occlusion', () => {
  it('sees nothing behind a wall', () => {
    const b = new CityBuilder(ORIGIN);
    b.addBuilding({ id: 'wall', rings: [[5, -50, 6, -50, 6, 50, 5, 50]], roofM: 10 });
    const idx = PrismIndex.fromBuildings(b.build().buildings);
    const cam = spec({ heightM: 3 });
    expect(cameraSeesPoint(cam, idx, 4.9, 0, 3, 'observation')).toBe(true);
    for (const [x, y] of [[7, 0], [10, 2], [12, -3]]) {
      expect(cameraSeesPoint(cam, empty, x, y, 3, 'observation')).toBe(true);
      expect(cameraSeesPoint(cam, idx, x, y, 3, 'observation')).toBe(false);
    }
  });

  it('ignores the building a camera is mounted in', () => {
    const b = new CityBuilder(ORIGIN);
    b.addBuilding({ id: 'host', rings: [[-10, -5, 0.2, -5, 0.2, 5, -10, 5]], roofM: 10 });
    const idx = PrismIndex.fromBuildings(b.build().buildings);
    // the camera's position falls 0.2 m inside its host's wall
    expect(cameraSeesPoint(spec({ heightM: 3 }), idx, 8, 0, 3, 'observation')).toBe(true);
    expect(idx.segmentBlocked(0, 0, 3, 8, 0, 3)).toBe(true);
  });
});

describe('camera attributes', () => {
  function devices(attrs: Record<string, unknown>, extra: { headingDeg?: number; tiltDeg?: number; type?: 'camera' | 'epolice' } = {}) {
    const b = new CityBuilder(ORIGIN);
    b.addDevice({ id: 'cam-1', type: extra.type ?? 'camera', xM: 1, yM: 2, heightM: 6, headingDeg: extra.headingDeg, tiltDeg: extra.tiltDeg, attrs });
    b.addDevice({ id: 'w', type: 'weather', xM: 0, yM: 0, heightM: 2 });
    return b.build().devices;
  }

  it('reads hfov, resolution, PTZ and DORI level, and lists the defaults it used', () => {
    const c = cameraFromDevice(devices({ hfovDeg: 45, resolutionPx: '2560x1440', ptz: true, panRangeDeg: 120, doriLevel: '识别' }, { headingDeg: 30, tiltDeg: 10 }), 0);
    expect(c).toMatchObject({ id: 'cam-1', kind: 'camera', xM: 1, yM: 2, heightM: 6, headingDeg: 30, tiltDeg: 10, hfovDeg: 45, widthPx: 2560, heightPx: 1440, ptz: true, panRangeDeg: 120, doriLevel: 'recognition', assumed: [] });
    const d = cameraFromDevice(devices({}), 0);
    expect(d).toMatchObject({ hfovDeg: 60, widthPx: 1920, heightPx: 1080, tiltDeg: 15, headingDeg: 0, ptz: false, doriLevel: 'observation' });
    expect(d.assumed.sort()).toEqual(['doriLevel', 'headingDeg', 'hfovDeg', 'resolutionPx', 'tiltDeg']);
    const e = cameraFromDevice(devices({}, { type: 'epolice', headingDeg: 0, tiltDeg: 12 }), 0);
    expect(e).toMatchObject({ kind: 'epolice', widthPx: 2448, heightPx: 2048, hfovDeg: 30, doriLevel: 'recognition' });
    expect(camerasFromDevices(devices({}))).toHaveLength(1);
  });

  it('derives the field of view from focal length and sensor width or pixel pitch', () => {
    // 4 mm lens on a 5.6 mm wide sensor: 2 atan(0.7) = 70.0°
    expect(hfovFromFocalLength(4, 5.6)).toBeCloseTo(69.98, 2);
    expect(cameraFromDevice(devices({ focalLengthMm: 4, sensorWidthMm: 5.6 }), 0).hfovDeg).toBeCloseTo(69.98, 2);
    // 2.9 µm × 1920 px = 5.568 mm
    expect(cameraFromDevice(devices({ focalLengthMm: 4, pixelPitchUm: 2.9, resolutionPx: [1920, 1080] }), 0).hfovDeg).toBeCloseTo(hfovFromFocalLength(4, 5.568), 10);
  });

  it('names the device and the field on bad attributes', () => {
    const bad = (attrs: Record<string, unknown>) => () => cameraFromDevice(devices(attrs), 0);
    expect(bad({ hfovDeg: 200 })).toThrow(CimError);
    expect(bad({ hfovDeg: 200 })).toThrow(/device 0 \(id 'cam-1'\), field 'hfovDeg'/);
    expect(bad({ resolutionPx: 'big' })).toThrow(/field 'resolutionPx'/);
    expect(bad({ focalLengthMm: 4 })).toThrow(/field 'sensorWidthMm'/);
    expect(bad({ doriLevel: 'see' })).toThrow(/field 'doriLevel'/);
    expect(bad({ ptz: 'yes' })).toThrow(/field 'ptz'/);
    expect(() => cameraFromDevice(devices({}), 1)).toThrow(/not a camera/);
  });

  it('parses resolutions and decides HD at 1080p', () => {
    expect(parseResolution([1280, 720])).toEqual([1280, 720]);
    expect(parseResolution('3840×2160')).toEqual([3840, 2160]);
    expect(parseResolution('4K')).toEqual([3840, 2160]);
    expect(parseResolution({ widthPx: 704, heightPx: 576 })).toEqual([704, 576]);
    expect(typeof parseResolution('1920 by 1080')).toBe('string');
    expect(isHdCamera({ widthPx: 1920, heightPx: 1080 })).toBe(true);
    expect(isHdCamera({ widthPx: 1080, heightPx: 1920 })).toBe(true); // corridor mode
    expect(isHdCamera({ widthPx: 1280, heightPx: 720 })).toBe(false);
    expect(isHdCamera({ widthPx: 1280, heightPx: 720 }, { minWidthPx: 1280, minHeightPx: 720 })).toBe(true);
  });
});

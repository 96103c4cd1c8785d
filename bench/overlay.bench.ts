/**
 * The three.js overlay's main-thread work per frame and per view change, headless (no WebGL: the GPU
 * side is measured in the browser by e2e/overlay.spec.ts and reported as software-WebGL figures):
 * - reading and positioning every device (a 'devices' event: readDevices + positionDevices + the
 *   occlusion anchors);
 * - the glyph layer's per-frame draw (pixel-sized instance matrices for every glyph) and a restyle
 *   (selection / visibility change: buckets and instance colours);
 * - one occlusion pass (eye → anchor segments against the city's PrismIndex) from three eyes: the
 *   workbench's whole-city view, a street-level eye and a 60 m eye in the centre, for every glyph
 *   (worst case: nothing culled) and for the glyphs in view of the whole-city view.
 * The frame budget (16.7 ms at 60 fps) is the yardstick; there is no peer library doing this.
 *
 *   npm run bench -- overlay          (or: node --import tsx bench/overlay.bench.ts [--quick])
 *
 * City: `generateDefaultCity()` (15,988 buildings, 4,464 devices); N = 2,000 (the first 2,000
 * devices) and all 4,464. Last results: docs/overlay.md.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { cityToGeoJSON } from '../sim-core/cim/city-file.ts';
import { generateDefaultCity } from '../sim-core/cim/demo/index.ts';
import { LocalFrame } from '../sim-core/cim/frame.ts';
import { DEVICE_TYPES } from '../sim-core/cim/types.ts';
import { PrismIndex } from '../sim-core/spatial/prism-index.ts';
import { positionDevices, readDevices, type DeviceFeatureLike } from '../viewer/overlay/devices.ts';
import { cameraWorldMatrix, EnuFrame, type PinholeView } from '../viewer/overlay/frame.ts';
import { GlyphLayer, type GlyphData } from '../viewer/overlay/layers/glyphs.ts';
import { inViewMask } from '../viewer/overlay/pick.ts';
import { enuEyeToLocal, GlyphOcclusion, HIDDEN } from '../viewer/overlay/visibility.ts';

const QUICK = process.argv.includes('--quick');
const REPEAT = QUICK ? 3 : 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function time(fn: () => void, repeat = REPEAT): number {
  fn(); // warm-up
  const out: number[] = [];
  for (let k = 0; k < repeat; k++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

console.log(`overlay bench: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const t0 = performance.now();
const city = generateDefaultCity();
const features = cityToGeoJSON(city).features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeatureLike[];
const index = PrismIndex.fromBuildings(city.buildings);
const enu = new EnuFrame(city.origin);
const local = new LocalFrame(city.origin);
console.log(`default city: ${city.buildings.count} buildings, ${features.length} devices (generated in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

// the whole-city view of the workbench (viewer/scene/city-scene.ts flyToCity): heading 20°, pitch −38°, range 1.6 × the city's radius
let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
for (let i = 0; i < city.buildings.xyM.length; i += 2) {
  minX = Math.min(minX, city.buildings.xyM[i]!);
  maxX = Math.max(maxX, city.buildings.xyM[i]!);
  minY = Math.min(minY, city.buildings.xyM[i + 1]!);
  maxY = Math.max(maxY, city.buildings.xyM[i + 1]!);
}
const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
const radius = Math.hypot(maxX - minX, maxY - minY) / 2;
const range = 1.6 * radius;
const heading = (20 * Math.PI) / 180, pitch = (38 * Math.PI) / 180;
const overviewEyeLocal = [cx - range * Math.cos(pitch) * Math.sin(heading), cy - range * Math.cos(pitch) * Math.cos(heading), range * Math.sin(pitch)];
const toEnu = (x: number, y: number, z: number) => {
  const ll = local.toLngLat(x, y);
  return enu.cityToEnu(ll[0]!, ll[1]!, z);
};
const eyeE = toEnu(overviewEyeLocal[0]!, overviewEyeLocal[1]!, overviewEyeLocal[2]!);
const centreE = toEnu(cx, cy, 0);
const dir = [centreE[0]! - eyeE[0]!, centreE[1]! - eyeE[1]!, centreE[2]! - eyeE[2]!];
const overview: PinholeView = { world: cameraWorldMatrix(eyeE, dir, [0, 0, 1]), fovyRad: (60 * Math.PI) / 180 / (800 / 600), aspect: 800 / 600, widthPx: 800, heightPx: 600 };

const rows: string[][] = [];
for (const n of [2000, features.length]) {
  const subset = features.slice(0, n);
  let read = readDevices(subset, 'devices');
  let pos = positionDevices(read.devices, enu, local);
  const occ = new GlyphOcclusion(index);
  const setDevicesMs = time(() => {
    read = readDevices(subset, 'devices');
    pos = positionDevices(read.devices, enu, local);
    occ.setAnchors(pos.local, n);
  });
  const data: GlyphData = {
    count: n,
    ids: read.devices.map((d) => d.id),
    typeCode: Uint8Array.from(read.devices, (d) => DEVICE_TYPES.indexOf(d.type)),
    enu: pos.enu,
    groundZ: pos.groundEnuZ,
    headingDeg: Float32Array.from(read.devices, (d) => d.headingDeg),
    tiltDeg: Float32Array.from(read.devices, (d) => d.tiltDeg),
    ghost: new Uint8Array(n),
  };
  const layer = new GlyphLayer({ data });
  layer.initialize({ frame: enu, requestRender: () => undefined });
  const view = { eye: eyeE, fovyRad: overview.fovyRad, widthPx: 800, heightPx: 600 };
  const drawMs = time(() => {
    for (let k = 0; k < 20; k++) layer.draw(view);
  }) / 20;
  let sel = 0;
  const restyleMs = time(() => layer.setProps({ selectedId: data.ids[sel++ % n]! }));
  const out = new Uint8Array(n);
  const inView = new Uint8Array(n);
  const nInView = inViewMask(overview, pos.enu, n, 40, inView);
  const eyes: [string, number[], Uint8Array | null][] = [
    ['whole-city view, all glyphs', overviewEyeLocal, null],
    [`whole-city view, ${nInView} in view`, overviewEyeLocal, inView],
    ['street level (1.7 m), centre', [cx, cy, 1.7], null],
    ['60 m up, centre', [cx, cy, 60], null],
  ];
  for (const [label, eye, mask] of eyes) {
    let hidden = 0;
    const ms = time(() => {
      hidden = occ.test(eye[0]!, eye[1]!, eye[2]!, out, mask);
    }, QUICK ? 2 : 5);
    rows.push([String(n), `occlusion pass: ${label}`, ms.toFixed(1), `${hidden} hidden, ${((1000 * ms) / (mask ? nInView : n)).toFixed(1)} µs per glyph`]);
  }
  // check: the ENU → local eye conversion agrees with the local eye used above
  const back = enuEyeToLocal(enu, local, eyeE[0]!, eyeE[1]!, eyeE[2]!);
  if (Math.hypot(back[0]! - overviewEyeLocal[0]!, back[1]! - overviewEyeLocal[1]!, back[2]! - overviewEyeLocal[2]!) > 0.01) throw new Error('eye conversion disagrees');
  rows.unshift([String(n), "'devices' event: read + position + anchors", setDevicesMs.toFixed(2), ''], [String(n), 'glyph layer draw, per frame', drawMs.toFixed(3), `${((100 * drawMs) / 16.7).toFixed(1)} % of a 60 fps frame`], [String(n), 'glyph layer restyle (selection)', restyleMs.toFixed(2), '']);
  void HIDDEN;
  layer.dispose();
}
console.log('\n| glyphs | work | median ms | note |\n|---:|---|---:|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);

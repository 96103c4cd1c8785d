/**
 * The planner's workbench page (`/workbench.html`): the city in 3D (viewer/scene/city-scene.ts), a
 * {@link Workbench} context over the simulation session, the mounts of `./mounts/*.ts` (each with a tab
 * in the side panel, in `order`), a tool palette, undo/redo, a summary of video coverage and its star,
 * the layer list, and `window.__cimtwin.workbench` for tests. See docs/workbench.md.
 */
import 'cesium/Build/Cesium/Widgets/widgets.css';
import '../style.css';
import './workbench.css';
import { cityFromGeoJSON } from '../../sim-core/cim/city-file.ts';
import type { DeviceFeature } from '../../sim-core/cim/device-features.ts';
import { createBrowserClient, createBrowserPool } from '../../workers/browser.ts';
import { currentUser, getScenario } from '../api/client.ts';
import '../hooks.ts';
import { currentLanguage, initI18n, onLanguageChanged, t, toggleLanguage, translatePage } from '../i18n.ts';
import { openCityScene, type CityScene } from '../scene/city-scene.ts';
import { BoundingSphere, Cartesian3, HeadingPitchRange, Math as CesiumMath, Matrix4 } from 'cesium';
import type { WorkbenchView } from './state.ts';
import type { OpenScenario, WorkbenchMount } from './context.ts';
import { installHooks } from './hooks.ts';
import { Workbench } from './state.ts';
import { createInteraction } from './interaction.ts';
import { createLiveLayers } from './live-layers.ts';
import { createAuth } from './auth.ts';
import { setScenarioInUrl } from './mounts/scenarios.ts';
import { createShell, type Shell } from './shell.ts';
import { setStatus } from '../scene/status.ts';

window.__cimtwin = { ready: false, buildingCount: 0, timings: {} };
const hooks = window.__cimtwin;

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;


/** The mounts found beside this file, in order. */
export function findMounts(): WorkbenchMount[] {
  const modules = import.meta.glob<{ default?: WorkbenchMount }>('./mounts/*.ts', { eager: true });
  const out: WorkbenchMount[] = [];
  for (const [path, mod] of Object.entries(modules)) {
    if (path.endsWith('.test.ts')) continue;
    const m = mod.default;
    if (!m || typeof m.mount !== 'function' || typeof m.id !== 'string') {
      console.error(`workbench: ${path} has no default WorkbenchMount export; left out`);
      continue;
    }
    out.push(m);
  }
  return out.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/** Camera flights and redraws in the city's Cesium widget. */
function cesiumView(scene: CityScene): WorkbenchView {
  const { widget } = scene;
  return {
    flyTo: (lonDeg, latDeg, rangeM) =>
      new Promise((resolve) => {
        widget.camera.flyToBoundingSphere(new BoundingSphere(Cartesian3.fromDegrees(lonDeg, latDeg, 0), 1), {
          offset: new HeadingPitchRange(widget.camera.heading, CesiumMath.toRadians(-50), rangeM),
          duration: 1,
          complete: () => {
            widget.camera.lookAtTransform(Matrix4.IDENTITY);
            widget.scene.requestRender();
            resolve();
          },
          cancel: () => resolve(),
        });
      }),
    requestRender: () => widget.scene.requestRender(),
  };
}

async function start(): Promise<void> {
  await initI18n();
  translatePage();
  byId('language-toggle').addEventListener('click', () => void toggleLanguage());
  const params = new URLSearchParams(location.search);
  const scenarioId = params.get('scenario');

  const userPromise = currentUser().catch(() => null);
  const scenarioPromise = scenarioId ? getScenario(scenarioId) : Promise.resolve(null);
  scenarioPromise.catch(() => undefined);
  const client = createBrowserClient();
  const pool = createBrowserPool({ parallelism: Math.min(2, navigator.hardwareConcurrency || 2) });

  const scene = await openCityScene(byId('globe'), {
    onStage: (stage) => setStatus(stage === 'loading' ? 'status.loading' : stage === 'building' ? 'status.building' : 'workbench.status.drawing'),
  });
  hooks.buildingCount = scene.buildingCount;
  hooks.timings.fullDetailMs = performance.now();
  setStatus('workbench.status.session');
  const city = cityFromGeoJSON(scene.city, 'city file');
  const cityDevices = scene.city.features.filter((f) => f.properties?.layer === 'device') as unknown as DeviceFeature[];
  const [user, loaded] = await Promise.all([userPromise, scenarioPromise.catch((e: unknown) => e as Error)]);
  let devices: readonly DeviceFeature[] = cityDevices;
  let scenario: OpenScenario | null = null;
  let loadError: string | null = null;
  if (loaded instanceof Error) {
    loadError = t('workbench.scenario.openFailed', { id: scenarioId, message: loaded.message });
    setScenarioInUrl(null);
  } else if (loaded) {
    devices = loaded.devices;
    scenario = { id: loaded.id, cityId: loaded.cityId, name: loaded.name, version: loaded.version, dirty: false };
  }
  await client.loadCity(city);
  const ctx = new Workbench({ scene, city, client, pool, user, devices: [], scenario: null, view: cesiumView(scene) });
  await ctx.replaceDevices(devices, scenario);

  const shell: Shell = ctx.withOwner('shell', () => createShell(ctx));
  if (loadError) shell.message(loadError, true);
  const layers = ctx.withOwner('live-layers', () => createLiveLayers(ctx));
  const interaction = ctx.withOwner('interaction', () => createInteraction(ctx, shell, layers));
  shell.disposables.push(layers, interaction, ctx.withOwner('auth', () => createAuth(ctx)));
  // Mount every part; one that fails is named and left out, the others go on.
  for (const m of findMounts()) {
    const tab = m.tabKey ? shell.addTab(m.id, m.tabKey) : null;
    try {
      const d = ctx.withOwner(`mount:${m.id}`, () => m.mount(ctx, tab));
      shell.disposables.push(d);
    } catch (e) {
      console.error(`workbench: mount '${m.id}' failed`, e);
      shell.message(t('workbench.mountFailed', { id: m.id, message: (e as Error).message }), true);
    }
  }
  shell.finishTabs();
  onLanguageChanged(() => {
    translatePage();
    ctx.emit('language');
  });
  document.documentElement.lang = currentLanguage();
  setStatus(null);
  hooks.workbench = installHooks(ctx, shell, { interaction, layers });
  hooks.timings.readyMs = performance.now();
  hooks.ready = true;
  hooks.workbench.ready = true;
  ctx.requestRender();
}

start().catch((e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  hooks.error = message;
  setStatus('status.error', { message }, true);
  console.error(e);
});

/**
 * The city's buildings as a 3D Tiles 1.1 tileset (`/tiles/city/tileset.json`, built by the server
 * from the served city; tiles/ and docs/tiles.md): streamed by Cesium with screen-space-error
 * refinement, styled by use (the palette of palette.ts) or by height, and pickable: a click on a
 * building shows its metadata (EXT_structural_metadata: id, name, use, base and roof height, key
 * public areas) in a small panel and highlights it.
 */
import { Cesium3DTileFeature, Cesium3DTileStyle, Cesium3DTileset, Color, CustomShader, LightingModel, ScreenSpaceEventHandler, ScreenSpaceEventType, type Cartesian2, type Scene } from 'cesium';
import { BUILDING_USE_COLORS, USE_GROUP, type Rgba } from './palette.ts';
import { t } from './i18n.ts';

/** URL of the served city's tileset. */
export const CITY_TILESET_URL = '/tiles/city/tileset.json';

/** Colour classes of the height style: roof height above ground (metres) from which a class starts. */
export const HEIGHT_CLASSES: { fromM: number; rgba: Rgba }[] = [
  { fromM: 100, rgba: [122, 1, 119, 255] },
  { fromM: 60, rgba: [197, 27, 138, 255] },
  { fromM: 30, rgba: [247, 104, 161, 255] },
  { fromM: 15, rgba: [251, 180, 185, 255] },
  { fromM: 0, rgba: [254, 235, 226, 255] },
];

export type ColourMode = 'use' | 'height';

const css = (c: Rgba) => `color('rgb(${c[0]}, ${c[1]}, ${c[2]})')`;

/** The Cesium style for a colour mode (conditions on the `use` and `roofM` properties of the building rows). */
export function buildingStyle(mode: ColourMode): Cesium3DTileStyle {
  if (mode === 'height') {
    return new Cesium3DTileStyle({ color: { conditions: HEIGHT_CLASSES.map((c) => [`\${roofM} >= ${c.fromM}`, css(c.rgba)]) } });
  }
  const conditions = Object.entries(USE_GROUP).map(([use, group]) => [`\${use} === ${JSON.stringify(use)}`, css(BUILDING_USE_COLORS[group])]);
  conditions.push(['true', css(BUILDING_USE_COLORS.other)]);
  return new Cesium3DTileStyle({ color: { conditions } });
}

/**
 * Shading of the buildings: ambient plus Lambert from the scene's light, like the batched
 * extrusions the viewer drew before (PerInstanceColorAppearance), instead of Cesium's physically
 * based model, which without sky and image-based light leaves matte walls nearly black. The style's
 * colour multiplies the result.
 */
export function buildingShader(): CustomShader {
  return new CustomShader({
    lightingModel: LightingModel.UNLIT,
    fragmentShaderText: `
      void fragmentMain(FragmentInput fsInput, inout czm_modelMaterial material) {
        vec3 n = normalize(fsInput.attributes.normalEC);
        float lambert = max(dot(n, czm_lightDirectionEC), 0.0);
        material.diffuse *= 0.45 + 0.55 * lambert;
      }`,
  });
}

/** What a click on a building shows. */
export interface PickedBuilding {
  id: string;
  name: string;
  use: string;
  baseM: number;
  roofM: number;
  keyAreaIds: string[];
  inKeyArea: boolean;
}

/**
 * Loads the tileset. `buildingCount` comes from the tileset's own metadata (3D Tiles 1.1 `metadata`,
 * class `city`), read from tileset.json itself, so no content has to load for it (Cesium's
 * `tileset.metadata` is marked private). The second request for tileset.json is a 304 revalidation.
 */
export async function loadBuildingsTileset(url = CITY_TILESET_URL): Promise<{ tileset: Cesium3DTileset; buildingCount: number }> {
  const json = fetch(url).then(async (res) => {
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return (await res.json()) as { metadata?: { properties?: { buildingCount?: unknown } } };
  });
  const tileset = await Cesium3DTileset.fromUrl(url, {
    // A little sharper than Cesium's default of 16: the city's small buildings appear a bit earlier.
    maximumScreenSpaceError: 8,
  });
  const count = (await json).metadata?.properties?.buildingCount;
  if (typeof count !== 'number') throw new Error(`${url}: the tileset metadata has no buildingCount`);
  tileset.style = buildingStyle('use');
  tileset.customShader = buildingShader();
  return { tileset, buildingCount: count };
}

/** Reads the metadata of a picked feature. */
export function pickedBuilding(feature: Cesium3DTileFeature): PickedBuilding {
  const get = (k: string) => feature.getProperty(k) as unknown;
  const areas = get('keyAreaIds');
  return {
    id: String(get('id')),
    name: String(get('name') ?? ''),
    use: String(get('use') ?? ''),
    baseM: Number(get('baseM')),
    roofM: Number(get('roofM')),
    keyAreaIds: Array.isArray(areas) ? areas.map(String) : [],
    inKeyArea: get('inKeyArea') === true,
  };
}

/** Fills the building panel (`#building-panel`) for a picked building; `areaName` names key areas. */
export function renderBuildingPanel(panel: HTMLElement, b: PickedBuilding | null, areaName: (id: string) => string | null): void {
  panel.replaceChildren();
  if (!b) {
    panel.hidden = true;
    return;
  }
  const h = document.createElement('h2');
  h.textContent = b.name || t('building.untitled');
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'close';
  close.textContent = '×';
  close.title = t('building.close');
  close.addEventListener('click', () => panel.dispatchEvent(new CustomEvent('close')));
  h.append(close);
  panel.append(h);
  const group = Object.hasOwn(USE_GROUP, b.use) ? USE_GROUP[b.use] : 'other';
  const rows: [string, string][] = [
    ['building.id', b.id],
    ['building.use', `${t(`use.${group}`)} (${b.use})`],
    ['building.height', t('building.metres', { value: b.roofM.toFixed(1) })],
  ];
  if (b.baseM > 0) rows.push(['building.base', t('building.metres', { value: b.baseM.toFixed(1) })]);
  rows.push(['building.keyAreas', b.keyAreaIds.length ? b.keyAreaIds.map((id) => { const n = areaName(id); return n ? `${n} (${id})` : id; }).join('、') : t('building.none')]);
  const dl = document.createElement('dl');
  for (const [key, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = t(key);
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.field = key.split('.')[1];
    dl.append(dt, dd);
  }
  panel.append(dl);
  panel.hidden = false;
}

const HIGHLIGHT = Color.fromCssColorString('#ffe14d');

/**
 * Picking: a left click on a building calls `onPick` with its metadata (null when the click hit no
 * building) and highlights it until the next pick. Returns a function that removes the handler.
 */
export function enablePicking(scene: Scene, onPick: (b: PickedBuilding | null, position: Cartesian2) => void): () => void {
  const handler = new ScreenSpaceEventHandler(scene.canvas);
  let highlighted: { feature: Cesium3DTileFeature; color: Color } | null = null;
  handler.setInputAction((click: { position: Cartesian2 }) => {
    if (highlighted) {
      highlighted.feature.color = highlighted.color;
      highlighted = null;
    }
    const picked = scene.pick(click.position);
    if (picked instanceof Cesium3DTileFeature) {
      highlighted = { feature: picked, color: Color.clone(picked.color) };
      picked.color = HIGHLIGHT;
      onPick(pickedBuilding(picked), click.position);
    } else onPick(null, click.position);
    scene.requestRender();
  }, ScreenSpaceEventType.LEFT_CLICK);
  return () => handler.destroy();
}

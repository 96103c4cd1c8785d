/**
 * The planner workbench's shared state, as every part of the workbench sees it. The page
 * (`viewer/workbench/main.ts`) creates one {@link WorkbenchContext}; each panel and layer is mounted
 * with it (`mountXPanel(container, ctx)` returning a {@link Disposable}) and talks to the rest only
 * through it: devices change only through {@link WorkbenchContext.apply} (so every change is undoable
 * and reaches the worker session), results arrive as events.
 */
import type { City } from '../../sim-core/cim/types.ts';
import type { SessionSnapshotBody } from '../../sim-core/session/session.ts';
import type { SimulationClient, WorkerPool } from '../../workers/browser.ts';
import type { DeviceFeature, User } from '../api/client.ts';
import type { CityScene } from '../scene/city-scene.ts';

/** Something mounted that can be taken down again. */
export interface Disposable {
  dispose(): void;
}

/**
 * One change of the device inventory. Positions are WGS84/CGCS2000 lon/lat degrees as in the city
 * file; `properties` patches merge into the device's properties (a `null` value deletes a property).
 */
export type DeviceChange =
  | { op: 'add'; feature: DeviceFeature; /** Insert before this device (default: at the end); undo uses it to put a removed device back in its place. */ beforeId?: string }
  | { op: 'remove'; id: string }
  | { op: 'update'; id: string; lonLatDeg?: [number, number]; properties?: Record<string, unknown> };

/** The scenario the workbench has open (null: the city's own devices, not yet saved as a scenario). */
export interface OpenScenario {
  id: string;
  cityId: string;
  name: string;
  /** The version the current devices were loaded from or last saved as (the base of the next save). */
  version: number;
  /** True when devices changed since that version. */
  dirty: boolean;
}

/** What {@link WorkbenchContext.on} can listen to. */
export type WorkbenchEvent =
  /** the device inventory changed (an edit, undo, redo, load) */
  | 'devices'
  /** the selected device changed */
  | 'selection'
  /** new simulation results (a delta was merged, or a new snapshot) */
  | 'results'
  /** a scenario was opened, saved or closed */
  | 'scenario'
  /** the interface language changed: re-render text */
  | 'language'
  /** the highlight target changed ({@link WorkbenchContext.highlighted}) */
  | 'highlight'
  /** the proposals changed ({@link WorkbenchContext.proposals}) */
  | 'proposals'
  /** the vehicles changed ({@link WorkbenchContext.vehicles}) */
  | 'vehicles'
  /** a drag started, moved or ended ({@link WorkbenchContext.dragging}) */
  | 'drag'
  /** a proposal (ghost) was picked in 3D, or the pick cleared ({@link WorkbenchContext.pickedProposal}) */
  | 'proposal';

/** What a click or a press at a window position hit, as a picker reports it. */
export interface PickHit {
  kind: 'device' | 'proposal' | 'handle';
  /** The device (or proposal) id. */
  id: string;
  /** For kind 'handle': which handle of the device. */
  handle?: 'heading' | 'tilt';
}

/** Finds what is drawn at a window position (CSS pixels from the canvas' top-left), or null. */
export type Picker = (windowX: number, windowY: number) => PickHit | null;

/** A layer the user can switch on and off from the workbench's layer list. */
export interface LayerToggle {
  id: string;
  /** i18n key of its label. */
  labelKey: string;
  visible: boolean;
  setVisible(visible: boolean): void;
}

/**
 * Vehicles to draw (a green wave's platoons, say): `count` vehicles, positions as interleaved lon, lat
 * degrees, headings in degrees clockwise from north; replaced as a whole every frame they move.
 */
export interface VehicleFrame {
  count: number;
  lonLatDeg: Float64Array;
  headingDeg: Float32Array;
  /** Optional RGBA per vehicle (4 bytes each). */
  rgba?: Uint8Array;
}

/**
 * A part of the workbench in its own file, `viewer/workbench/mounts/<id>.ts`, exporting `default` of
 * this type: the page finds every such file (import.meta.glob), gives each with a `tabKey` its own tab
 * in the side panel (in `order`), and calls `mount` once the context is ready.
 */
export interface WorkbenchMount {
  id: string;
  /** Order of the tab (and of mounting). */
  order: number;
  /** i18n key of the tab's title; null for a part with no tab (a layer, the overlay). */
  tabKey: string | null;
  mount(ctx: WorkbenchContext, tab: HTMLElement | null): Disposable;
}

/** Things to draw attention to in 3D (outlined / flashed); an empty target clears it. */
export interface HighlightTarget {
  areaIds?: string[];
  intersectionIds?: string[];
  deviceIds?: string[];
}

/** See the module doc. */
export interface WorkbenchContext {
  /** The Cesium widget, the city file and its drawn layers and tileset. */
  readonly scene: CityScene;
  /** The same city as sim-core holds it (local frame in metres around `city.origin`; `new LocalFrame(city.origin)` converts). */
  readonly city: City;
  /** The live simulation session in a Web Worker (camera and 5G coverage, indicators, stars). */
  readonly client: SimulationClient;
  /** The range-split worker pool (5G raster, camera sight matrices). */
  readonly pool: WorkerPool;
  /** The logged-in user, or null (anonymous: nothing can be saved). */
  user(): User | null;
  /** Every device now (cameras, e-police, 5G cells, weather stations, signal controllers, poles …). */
  devices(): readonly DeviceFeature[];
  /** One device by id, or undefined. */
  device(id: string): DeviceFeature | undefined;
  /**
   * Applies changes as one undoable step labelled `labelKey` (an i18n key), updates the session and
   * emits 'devices'. With `transient` the step is not recorded (a drag in progress: the final
   * position is applied once more without `transient` when the drag ends).
   */
  apply(changes: DeviceChange | DeviceChange[], labelKey: string, options?: { transient?: boolean }): Promise<void>;
  undo(): Promise<boolean>;
  redo(): Promise<boolean>;
  /** The selected device's id, or null. */
  selection(): string | null;
  select(id: string | null): void;
  /** The session's latest results: the last snapshot with every later delta merged in (null before the first). */
  results(): SessionSnapshotBody | null;
  /** The open scenario, or null. */
  scenario(): OpenScenario | null;
  /** Subscribes; returns the unsubscribe function. */
  on(event: WorkbenchEvent, listener: () => void): () => void;
  /** Draws attention to areas, intersections or devices (replaces the previous highlight). */
  highlight(target: HighlightTarget): void;
  /** What is highlighted now. */
  highlighted(): HighlightTarget;
  /** Shows proposed devices (not in the inventory) as ghosts in 3D; [] clears them. Emits 'proposals'. */
  showProposals(features: readonly DeviceFeature[]): void;
  /** The proposals shown now. */
  proposals(): readonly DeviceFeature[];
  /**
   * A proposal ghost was clicked in 3D: `id` is the ghost's feature id (as given to
   * {@link showProposals}; a sector of a 3-sector site is `<proposal>/<azimuth>`), null clears.
   * Emits 'proposal'; the panel that showed the proposals selects it.
   */
  pickProposal(id: string | null): void;
  /** The ghost id picked last (null: none, or the proposals changed since). */
  pickedProposal(): string | null;
  /** Sets (or with null clears) the vehicles drawn in 3D. Emits 'vehicles'. */
  setVehicles(frame: VehicleFrame | null): void;
  vehicles(): VehicleFrame | null;
  /** The device being dragged (moved or turned by a handle), or null. */
  dragging(): { id: string; mode: 'move' | 'heading' | 'tilt' } | null;
  /** Adds a picker (the three.js overlay adds one for its glyphs and handles); pickers are asked before Cesium. */
  addPicker(picker: Picker): () => void;
  /** Adds a layer to the layer list. */
  addLayerToggle(toggle: LayerToggle): () => void;
  /** Flies the camera to a point (lon/lat degrees) seen from `rangeM`. */
  flyTo(lonDeg: number, latDeg: number, rangeM?: number): Promise<void>;
  /** Asks Cesium (and the overlay) to draw a new frame (request render mode). */
  requestRender(): void;
}

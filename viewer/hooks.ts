/**
 * What the viewer exposes on `window.__cimtwin` for browser tests and for measuring it. Set once the
 * city's buildings have been drawn and the camera has arrived at the city.
 */
export interface CimtwinHooks {
  /** True when the buildings tileset's root content and every tile the view needs are drawn, and the camera has reached the city. */
  ready: boolean;
  /** Buildings in the city's tileset (its metadata's buildingCount: every building is in one tile). */
  buildingCount: number;
  /** Set when loading failed; the page shows it too. */
  error?: string;
  /** Milliseconds since navigation start (performance.now()) at each stage. */
  timings: {
    cityFetchedMs?: number;
    meshBuiltMs?: number;
    /** First frame rendered with the buildings primitive ready. */
    firstBuildingFrameMs?: number;
    /** tileset.json of the buildings loaded. */
    tilesetLoadedMs?: number;
    /** The tileset's root tile content loaded (requested, fetched, parsed). */
    rootContentLoadedMs?: number;
    /** First frame, after the camera reached the city, with every tile the view needs loaded. */
    fullDetailMs?: number;
    readyMs?: number;
  };
  /** The building last picked by a click (null: the click hit no building). */
  picked?: { id: string; name: string; use: string; baseM: number; roofM: number; keyAreaIds: string[]; inKeyArea: boolean } | null;
  /** Once ready: points the camera at a place and resolves when every tile that view needs is drawn. */
  lookAt?: (lonDeg: number, latDeg: number, heightM: number, rangeM: number, pitchDeg?: number) => Promise<void>;
  /** Once ready: orbits the city for `seconds` with continuous rendering and reports the frame rate. */
  orbit?: (seconds: number, degPerS?: number) => Promise<{ frames: number; seconds: number; fps: number }>;
}

declare global {
  interface Window {
    __cimtwin: CimtwinHooks;
  }
}

/**
 * What the viewer exposes on `window.__cimtwin` for browser tests and for measuring it. Set once the
 * city's buildings have been drawn and the camera has arrived at the city.
 */
export interface CimtwinHooks {
  /** True when the buildings primitive is ready and drawn, and the camera has reached the city. */
  ready: boolean;
  /** Buildings drawn (features of layer `building` that made it into the mesh). */
  buildingCount: number;
  /** Set when loading failed; the page shows it too. */
  error?: string;
  /** Milliseconds since navigation start (performance.now()) at each stage. */
  timings: {
    cityFetchedMs?: number;
    meshBuiltMs?: number;
    /** First frame rendered with the buildings primitive ready. */
    firstBuildingFrameMs?: number;
    readyMs?: number;
  };
}

declare global {
  interface Window {
    __cimtwin: CimtwinHooks;
  }
}

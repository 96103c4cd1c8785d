/**
 * `window.__cimtwin.panels`: what browser tests read from (and do through) the analysis panels and
 * layers, each part filling in its own section when it is mounted.
 */
import '../hooks.ts';

/** The indicator panel's rows as shown. */
export interface IndicatorRowHook {
  id: string;
  category: string;
  stars: number;
  maxStars: number;
  simulated: boolean;
  status: string;
  /** Values shown (null: not provided). */
  values: (number | null)[];
  /** The gap sentence shown (null at the top). */
  gap: string | null;
  /** The target text shown (null without a target). */
  target: string | null;
}

export interface PanelsHooks {
  indicators?: {
    rows(): IndicatorRowHook[];
    summary(): { rows: number; withValue: number; missing: number; floorStars: number; weightedScore: number };
    /** Renders done since mount (each 'results' or 'devices' that changed something renders once). */
    renders(): number;
    /** Selects a row as a click does (highlight, fly to the worst item); resolves with the items behind it. */
    select(rowId: string): Promise<{ kind: string; id: string; coveredPercent: number | null; lonDeg: number | null; latDeg: number | null }[]>;
  };
  compare?: {
    /** Options of the two pickers ('current' and `<scenarioId>@<version>`). */
    options(): Promise<string[]>;
    /** Compares two options; resolves with the changed rows and the device diff. */
    run(a: string, b: string): Promise<{ changed: { id: string; starDelta: number; deltas: (number | null)[] }[]; added: number; removed: number; changedDevices: number }>;
  };
  rsrp?: {
    setVisible(visible: boolean): void;
    /** Resolves when the raster for the current 5G cells is drawn (or failed). */
    drawn(): Promise<{ nx: number; ny: number; active: number; holes: number; computeMs: number; jobs: number } | { error: string }>;
    /** Lon/lat rectangle of the image, degrees. */
    rectangle(): { west: number; south: number; east: number; north: number } | null;
    /** The drawn raster's sample under a lon/lat point (null outside it or before the first raster). */
    sampleAt(lonDeg: number, latDeg: number): { active: boolean; hole: boolean; dbm: number | null } | null;
  };
  blindspots?: {
    setVisible(visible: boolean): void;
    /** Resolves when the blind spots of the selected indicator are drawn. */
    drawn(): Promise<BlindSpotsDrawn | { error: string }>;
    /** What is drawn now, and at which level (without waiting). */
    shown(): BlindSpotsDrawn | { error: string };
    /** The layer's colours for the selected kind (RGBA bytes): the samples' squares, then the count classes of the cells. */
    colours(): [number, number, number, number][];
  };
}

/**
 * The blind spots drawn: `count` uncovered points (`squares` sample squares), the same points counted in the
 * cells of each aggregation level (Σ cell counts `total` = `count`), and the cell size shown now (the
 * samples' own grid when their squares show; null while hidden).
 */
export interface BlindSpotsDrawn {
  kind: string;
  count: number;
  approaches: number | null;
  squares: number;
  levels: { cellM: number; cells: number; total: number; classCells: number[] }[];
  shownCellM: number | null;
}

declare module '../hooks.ts' {
  interface CimtwinHooks {
    /** The analysis panels and layers (viewer/panels/hooks.ts). */
    panels?: PanelsHooks;
  }
}

/** The panels' hooks object, created on first use. */
export function panelsHooks(): PanelsHooks {
  const w = window as unknown as { __cimtwin?: { panels?: PanelsHooks } };
  w.__cimtwin ??= {} as { panels?: PanelsHooks };
  return (w.__cimtwin.panels ??= {});
}

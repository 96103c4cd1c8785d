/**
 * The time-space diagram drawn with deck.gl in an OrthographicView: x = distance along the corridor
 * (m from the first signal), y = time (s, upward). Layers from ./timespace.ts: the band polygons, the
 * signal bars, the vehicle trajectories, and — moving with the animation clock — the time cursor and
 * the vehicles' positions. Pan and zoom with the mouse or the keyboard (deck.gl's controller).
 */
import { Deck, OrthographicView, type OrthographicViewState } from '@deck.gl/core';
import { LineLayer, PathLayer, ScatterplotLayer, SolidPolygonLayer } from '@deck.gl/layers';
import { DIAGRAM_COLOURS, type BandPolygon, type SignalBar, type TimeSpaceLayerData, type TrajectoryPath } from './timespace.ts';

type RGBA = [number, number, number, number];
const colour = (c: readonly number[]) => c as unknown as RGBA;

/** A vehicle dot on the diagram: [position m, time s] and whether it rolls inside the band. */
export interface DiagramVehicle {
  xy: [number, number];
  inBand: boolean;
}

/** See the module doc. */
export class TimeSpaceDiagramView {
  private readonly deck: Deck<OrthographicView>;
  private data: TimeSpaceLayerData | null = null;
  private clockS = 0;
  private vehicles: DiagramVehicle[] = [];
  private viewState: OrthographicViewState = { target: [0, 0, 0], zoomX: 0, zoomY: 0 };
  /** Frames drawn so far. */
  frames = 0;
  readonly container: HTMLElement;

  constructor(container: HTMLElement) {
    this.container = container;
    this.deck = new Deck<OrthographicView>({
      parent: container as HTMLDivElement,
      width: '100%',
      height: '100%',
      views: new OrthographicView({ id: 'time-space', flipY: false, controller: { keyboard: true, scrollZoom: true, dragPan: true } }),
      viewState: this.viewState,
      onViewStateChange: ({ viewState }) => {
        this.viewState = viewState as OrthographicViewState;
        this.deck.setProps({ viewState: this.viewState });
      },
      onAfterRender: () => {
        this.frames++;
      },
      layers: [],
      useDevicePixels: 1,
    });
  }

  /** The deck.gl canvas (for pixel checks). */
  get canvas(): HTMLCanvasElement | null {
    return this.container.querySelector('canvas');
  }

  /** Shows a plan's layer data and fits it into the view. */
  setData(data: TimeSpaceLayerData): void {
    this.data = data;
    this.fit();
    this.update();
  }

  /** Fits the whole corridor and time span into the canvas (with a margin). */
  fit(): void {
    const d = this.data;
    if (!d) return;
    const w = Math.max(50, this.container.clientWidth || 300), h = Math.max(50, this.container.clientHeight || 200);
    const spanX = Math.max(1, d.maxXM - d.minXM + 2 * d.barWidthM) * 1.06;
    const spanY = Math.max(1, d.horizonS) * 1.06;
    this.viewState = { target: [(d.minXM + d.maxXM) / 2, d.horizonS / 2, 0], zoomX: Math.log2(w / spanX), zoomY: Math.log2(h / spanY) };
    this.deck.setProps({ viewState: this.viewState });
  }

  /** Moves the time cursor and the vehicle dots. */
  setClock(clockS: number, vehicles: DiagramVehicle[]): void {
    this.clockS = clockS;
    this.vehicles = vehicles;
    this.update();
  }

  private update(): void {
    const d = this.data;
    if (!d) {
      this.deck.setProps({ layers: [] });
      return;
    }
    const layers = [
      new SolidPolygonLayer<BandPolygon>({
        id: 'bands',
        data: d.bands,
        getPolygon: (b) => b.polygon,
        getFillColor: (b) => colour(b.direction === 'outbound' ? DIAGRAM_COLOURS.bandOutbound : DIAGRAM_COLOURS.bandInbound),
      }),
      new PathLayer<TrajectoryPath>({
        id: 'trajectories',
        data: d.trajectories,
        getPath: (p) => p.path,
        getColor: (p) => {
          const c = p.stops > 0 ? DIAGRAM_COLOURS.vehicleStopped : DIAGRAM_COLOURS.vehicleInBand;
          return [c[0], c[1], c[2], 110];
        },
        widthUnits: 'pixels',
        getWidth: 1,
      }),
      new SolidPolygonLayer<SignalBar>({
        id: 'signal-bars',
        data: d.bars,
        getPolygon: (b) => b.polygon,
        getFillColor: (b) => colour(DIAGRAM_COLOURS[b.state]),
      }),
      new LineLayer<number>({
        id: 'clock',
        data: [this.clockS],
        getSourcePosition: (t) => [d.minXM - d.barWidthM * 2, t],
        getTargetPosition: (t) => [d.maxXM + d.barWidthM * 2, t],
        getColor: colour(DIAGRAM_COLOURS.cursor),
        getWidth: 2,
        widthUnits: 'pixels',
        updateTriggers: { getSourcePosition: this.clockS, getTargetPosition: this.clockS },
      }),
      new ScatterplotLayer<DiagramVehicle>({
        id: 'vehicles',
        data: this.vehicles,
        getPosition: (v) => v.xy,
        getFillColor: (v) => colour(v.inBand ? DIAGRAM_COLOURS.vehicleInBand : DIAGRAM_COLOURS.vehicleStopped),
        radiusUnits: 'pixels',
        getRadius: 3,
      }),
    ];
    this.deck.setProps({ layers });
  }

  /**
   * Counts the canvas' pixels by colour class: the signal bars' green and red, and the two band fills
   * (their translucent colours over the white background). Null when the canvas cannot be read.
   */
  pixelCounts(): { green: number; red: number; bandOutbound: number; bandInbound: number; total: number } | null {
    const src = this.canvas;
    if (!src || src.width === 0 || src.height === 0) return null;
    const c = document.createElement('canvas');
    c.width = src.width;
    c.height = src.height;
    const g = c.getContext('2d');
    if (!g) return null;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.drawImage(src, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const blend = (rgba: readonly number[]) => rgba.slice(0, 3).map((v) => Math.round(255 + (v - 255) * (rgba[3] / 255)));
    const near = (r: number, gg: number, b: number, ref: number[], tol: number) => Math.abs(r - ref[0]) <= tol && Math.abs(gg - ref[1]) <= tol && Math.abs(b - ref[2]) <= tol;
    const out = blend(DIAGRAM_COLOURS.bandOutbound), inn = blend(DIAGRAM_COLOURS.bandInbound);
    const green = DIAGRAM_COLOURS.green as readonly number[], red = DIAGRAM_COLOURS.red as readonly number[];
    let nGreen = 0, nRed = 0, nOut = 0, nIn = 0;
    for (let i = 0; i < px.length; i += 4) {
      const r = px[i], gg = px[i + 1], b = px[i + 2];
      if (near(r, gg, b, green as number[], 24)) nGreen++;
      else if (near(r, gg, b, red as number[], 24)) nRed++;
      else if (near(r, gg, b, out, 14)) nOut++;
      else if (near(r, gg, b, inn, 14)) nIn++;
    }
    return { green: nGreen, red: nRed, bandOutbound: nOut, bandInbound: nIn, total: px.length / 4 };
  }

  dispose(): void {
    this.deck.finalize();
    this.container.replaceChildren();
  }
}

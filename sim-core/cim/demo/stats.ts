/**
 * The height mix of a city: buildings by roof height class. Classes follow the Chinese height
 * categories of GB 50352-2019 (低层/多层 up to 27 m for housing and 24 m for public buildings, 高层
 * above, 超高层 above 100 m), split further so that the mix of a city can be read at a glance.
 */
import type { City } from '../types.ts';

export const HEIGHT_CLASSES = [
  { label: '≤ 10 m (1–3 storeys)', maxM: 10 },
  { label: '10–27 m (4–9 storeys, 多层)', maxM: 27 },
  { label: '27–54 m (10–18 storeys, 高层)', maxM: 54 },
  { label: '54–100 m (19–33 storeys, 高层)', maxM: 100 },
  { label: '100–150 m (超高层)', maxM: 150 },
  { label: '> 150 m (超高层)', maxM: Infinity },
] as const;

export interface HeightMix {
  count: number;
  classes: { label: string; count: number; share: number }[];
  maxRoofM: number;
  medianRoofM: number;
}

/** Counts buildings per roof-height class. */
export function heightMix(city: City): HeightMix {
  const roofs = city.buildings.roofM;
  const counts = HEIGHT_CLASSES.map(() => 0);
  for (let i = 0; i < roofs.length; i++) {
    let c = 0;
    while (roofs[i] > HEIGHT_CLASSES[c].maxM) c++;
    counts[c]++;
  }
  const sorted = Float32Array.from(roofs).sort();
  const n = roofs.length;
  return {
    count: n,
    classes: HEIGHT_CLASSES.map((h, c) => ({ label: h.label, count: counts[c], share: n ? counts[c] / n : 0 })),
    maxRoofM: n ? sorted[n - 1] : 0,
    medianRoofM: n ? sorted[n >> 1] : 0,
  };
}

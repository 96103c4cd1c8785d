/**
 * Seeded random covering instances in the shape of the peer's generator
 * (`../shared/peers/milp/gen_mclp.py`): sites and demand points uniform in an L × L square (10 km by
 * default), demand weights uniform integers 1…100, coverage within a radius. The peer uses Python's
 * Mersenne Twister, we use mulberry32, so the instances are of the same family, not the same points.
 */
import { mulberry32 } from '../random.ts';
import { coverageWithinRadius, type CoverageMatrix } from './coverage-matrix.ts';

export interface RandomInstanceOptions {
  sites: number;
  demand: number;
  radiusM: number;
  seed?: number;
  /** Side of the square, metres (default 10,000). */
  sideM?: number;
  /** Largest demand weight (default 100; 1 gives unit weights). */
  maxWeight?: number;
}

export interface RandomInstance {
  siteXyM: Float64Array;
  demandXyM: Float64Array;
  weights: Float64Array;
  radiusM: number;
  coverage: CoverageMatrix;
}

/** A random MCLP instance (see the module doc). */
export function randomCoveringInstance(o: RandomInstanceOptions): RandomInstance {
  const rand = mulberry32(o.seed ?? 1);
  const L = o.sideM ?? 10_000;
  const maxW = o.maxWeight ?? 100;
  const round1 = (v: number) => Math.round(v * 10) / 10;
  const siteXyM = new Float64Array(2 * o.sites);
  for (let j = 0; j < 2 * o.sites; j++) siteXyM[j] = round1(rand() * L);
  const demandXyM = new Float64Array(2 * o.demand);
  const weights = new Float64Array(o.demand);
  for (let i = 0; i < o.demand; i++) {
    demandXyM[2 * i] = round1(rand() * L);
    demandXyM[2 * i + 1] = round1(rand() * L);
    weights[i] = 1 + Math.floor(rand() * maxW);
  }
  return { siteXyM, demandXyM, weights, radiusM: o.radiusM, coverage: coverageWithinRadius(siteXyM, demandXyM, o.radiusM) };
}

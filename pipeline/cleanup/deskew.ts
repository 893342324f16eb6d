/**
 * Skew estimation by projection profiles: text lines give the sharpest row profile when the page
 * is level. Each ink pixel is sheared rather than the image rotated, so each trial angle costs one
 * pass over the ink.
 */
import type { GreyRaster } from '../raster.js';
import { median } from '../statistics.js';
import { otsuThreshold } from './grey.js';
import { type InkPoints, inkPoints } from './ink-points.js';

/** Ink per row once the page is sheared level by `angleDeg` (rows offset by half the bins). */
export function shearedRowProfile(points: InkPoints, angleDeg: number, bins: Float64Array): Float64Array {
  const { xs, ys } = points;
  bins.fill(0);
  const tan = Math.tan((angleDeg * Math.PI) / 180);
  const offset = bins.length / 2;
  // A point's row moves by a whole number of bins per column: one shift per column, looked up,
  // spares a float multiply and a rounding per point.
  const shift = new Int32Array(points.width);
  for (let x = 0; x < shift.length; x++) shift[x] = Math.round(offset - x * tan);
  for (let i = 0; i < xs.length; i++) {
    const row = ys[i]! + shift[xs[i]!]!;
    if (row >= 0 && row < bins.length) bins[row]!++;
  }
  return bins;
}

/** Sum of squared differences of adjacent bins: high when lines and gaps alternate crisply. */
function profileSharpness(points: InkPoints, angleDeg: number, bins: Float64Array): number {
  shearedRowProfile(points, angleDeg, bins);
  let score = 0;
  for (let i = 1; i < bins.length; i++) score += (bins[i]! - bins[i - 1]!) ** 2;
  return score;
}

export interface SkewEstimate {
  /** Angle of the text lines in degrees, counter-clockwise positive; rotate by −angle to level. */
  angle: number;
  /** Sharpness at the best angle over the median sharpness of all angles: near 1 without lines. */
  confidence: number;
}

/** Ink points of a page with the best angle of a coarse ±maxAngle search, before refinement. */
export interface SkewSearch {
  points: InkPoints;
  bins: Float64Array;
  coarseAngle: number;
  /** Best coarse sharpness over the median of all coarse angles: near 1 without line structure. */
  coarseContrast: number;
  /** Coarse profile sharpness per sampled ink point: comparable between orientations of a page. */
  coarseLineness: number;
}

/** Points enough for the coarse search; more only cost time. */
const COARSE_POINTS = 20_000;

/**
 * The coarse search's step keeps a line's drift across the page, half a step off, within this
 * many pixels: 0.32° on a 1240-pixel analysis copy (a halved 300 dpi A4 page), 0.24° on a 200 dpi
 * page analysed 1654 pixels wide. A fixed 0.5° let that page's lines drift 7 pixels between steps,
 * and with the paper's specks a far angle won (pipeline/DECISIONS.md).
 */
const HALF_STEP_DRIFT = 3.5;
const MAX_COARSE_STEP = 0.5;

function coarseStep(width: number): number {
  return Math.min(MAX_COARSE_STEP, (2 * Math.atan(HALF_STEP_DRIFT / width) * 180) / Math.PI);
}

/** The ink a skew search shears: a raster's ink pixels, but for the edges' 3%. */
export function skewPoints(raster: GreyRaster, threshold = otsuThreshold(raster)): InkPoints {
  return inkPoints(raster, threshold, 0.03);
}

/** Undefined when the page (`height` rows tall) holds too little ink to have lines. */
export function coarseSkew(points: InkPoints, height: number, maxAngle = 10): SkewSearch | undefined {
  const { xs, ys } = points;
  if (xs.length < 500) return undefined;
  const bins = new Float64Array(height * 2 + points.width);
  const step = Math.max(1, Math.floor(xs.length / COARSE_POINTS));
  const sample =
    step === 1 ? points : { xs: xs.filter((_, i) => i % step === 0), ys: ys.filter((_, i) => i % step === 0), width: points.width };
  const coarse = bestAngle(sample, bins, -maxAngle, maxAngle, coarseStep(points.width));
  const typical = median(coarse.scores);
  return {
    points,
    bins,
    coarseAngle: coarse.angle,
    coarseContrast: typical > 0 ? coarse.score / typical : 0,
    coarseLineness: coarse.score / sample.xs.length,
  };
}

/** The coarse angle refined to 0.02° on every ink point. */
export function refineSkew(search: SkewSearch): SkewEstimate {
  const { points, bins, coarseAngle, coarseContrast } = search;
  // On whole tenths, wherever the coarse step fell: the angle found does not depend on the coarse grid.
  const from = Math.round((coarseAngle - 0.5) * 10) / 10;
  const medium = bestAngle(points, bins, from, from + 1, 0.1);
  const fine = bestAngle(points, bins, medium.angle - 0.1, medium.angle + 0.1, 0.02);
  // Image rows grow downwards: a line rising to the right has a negative slope in row terms.
  return {
    angle: -Math.round(fine.angle * 100) / 100,
    confidence: coarseContrast,
  };
}

/** Pages of text score 2.5 and more; scattered specks, photos and blank sheets stay below 1.2. */
export const TRUSTED_SKEW_CONFIDENCE = 1.5;

export const NO_SKEW: SkewEstimate = { angle: 0, confidence: 0 };

export function estimateSkew(raster: GreyRaster, maxAngle = 10): SkewEstimate {
  const search = coarseSkew(skewPoints(raster), raster.height, maxAngle);
  return search ? refineSkew(search) : NO_SKEW;
}

function bestAngle(
  points: InkPoints,
  bins: Float64Array,
  from: number,
  to: number,
  step: number,
): { angle: number; score: number; scores: number[] } {
  let best = { angle: 0, score: -1 };
  const scores: number[] = [];
  for (let a = from; a <= to + 1e-9; a += step) {
    const score = profileSharpness(points, a, bins);
    scores.push(score);
    if (score > best.score) best = { angle: a, score };
  }
  return { ...best, scores };
}

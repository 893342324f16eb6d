/**
 * Skew estimation by projection profiles: text lines give the sharpest row profile when the page
 * is level. Each ink pixel is sheared rather than the image rotated, so each trial angle costs one
 * pass over the ink.
 */
import { inkPoints, otsuThreshold, type GreyRaster } from './raster.js';

/** Ink per row once the page is sheared level by `angleDeg` (rows offset by half the bins). */
export function shearedRowProfile(xs: Int32Array, ys: Int32Array, angleDeg: number, bins: Float64Array): Float64Array {
  bins.fill(0);
  const tan = Math.tan((angleDeg * Math.PI) / 180);
  const offset = bins.length / 2;
  for (let i = 0; i < xs.length; i++) {
    const row = Math.round(ys[i]! - xs[i]! * tan + offset);
    if (row >= 0 && row < bins.length) bins[row]!++;
  }
  return bins;
}

/** Sum of squared differences of adjacent bins: high when lines and gaps alternate crisply. */
function profileSharpness(xs: Int32Array, ys: Int32Array, angleDeg: number, bins: Float64Array): number {
  shearedRowProfile(xs, ys, angleDeg, bins);
  let score = 0;
  for (let i = 1; i < bins.length; i++) score += (bins[i]! - bins[i - 1]!) ** 2;
  return score;
}

export interface SkewEstimate {
  /** Angle of the text lines in degrees, counter-clockwise positive; rotate by −angle to level. */
  angle: number;
  /** Sharpness at the best angle over sharpness at 0°: near 1 when the page has no line structure. */
  confidence: number;
  /** Profile sharpness at the best angle, per ink pixel: how strongly the page reads as lines. */
  lineness: number;
}

export function estimateSkew(raster: GreyRaster, maxAngle = 10): SkewEstimate {
  const { xs, ys } = inkPoints(raster, otsuThreshold(raster), 0.03);
  if (xs.length < 500) return { angle: 0, confidence: 0, lineness: 0 };
  const bins = new Float64Array(raster.height * 2 + raster.width);
  const search = (from: number, to: number, step: number) => {
    let best = { angle: 0, score: -1 };
    for (let a = from; a <= to + 1e-9; a += step) {
      const score = profileSharpness(xs, ys, a, bins);
      if (score > best.score) best = { angle: a, score };
    }
    return best;
  };
  const coarse = search(-maxAngle, maxAngle, 0.5);
  const medium = search(coarse.angle - 0.5, coarse.angle + 0.5, 0.1);
  const fine = search(medium.angle - 0.1, medium.angle + 0.1, 0.02);
  const level = profileSharpness(xs, ys, 0, bins);
  // Image rows grow downwards: a line rising to the right has a negative slope in row terms.
  return {
    angle: -Math.round(fine.angle * 100) / 100,
    confidence: level > 0 ? fine.score / level : 0,
    lineness: fine.score / xs.length,
  };
}

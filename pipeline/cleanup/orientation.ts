/**
 * Quarter-turn detection. Text lines are horizontal in the right orientation (or upside down); of
 * those two, the upright one carries more ink above each line's x-height band than below it —
 * capitals, ascenders and, in Vietnamese, most tone marks sit on top.
 */

import type { GreyRaster } from '../raster.js';
import { median } from '../statistics.js';
import { coarseSkew, NO_SKEW, refineSkew, type SkewEstimate, type SkewSearch, shearedRowProfile, skewPoints } from './deskew.js';
import { otsuThreshold } from './grey.js';
import { quarterTurned, withoutSolidInk } from './ink-points.js';

export type QuarterTurn = 0 | 90 | 180 | 270;

/**
 * Positive when the page reads upright: in most text lines, ink above the x-height band outweighs
 * ink below it. Each line votes once, and bands far taller than a text line (photos, display
 * headlines) do not vote, so one dark picture cannot outvote the text.
 */
export function uprightness(search: SkewSearch, skewAngle: number): number {
  // The skew search's own ink points and profile bins: the same page, already thresholded.
  const profile = shearedRowProfile(search.points, -skewAngle, search.bins);
  const peak = Math.max(...profile);
  const lines: Float64Array[] = [];
  for (let y = 0; y < profile.length; ) {
    if (profile[y]! <= peak * 0.02) {
      y++;
      continue;
    }
    let end = y;
    while (end < profile.length && profile[end]! > peak * 0.02) end++;
    lines.push(profile.subarray(y, end));
    y = end;
  }
  const typical = median(lines.map((l) => l.length));
  const votes = lines
    .filter((line) => line.length >= typical * 0.5 && line.length <= typical * 2)
    .map((line) => {
      const lineMax = Math.max(...line);
      const coreStart = line.findIndex((v) => v >= lineMax * 0.5);
      const coreEnd = line.length - 1 - [...line].reverse().findIndex((v) => v >= lineMax * 0.5);
      let above = 0;
      let below = 0;
      for (let i = 0; i < coreStart; i++) above += line[i]!;
      for (let i = coreEnd + 1; i < line.length; i++) below += line[i]!;
      return above + below > 0 ? (above - below) / (above + below) : 0;
    });
  return votes.length ? votes.reduce((a, b) => a + b, 0) / votes.length : 0;
}

export interface Orientation {
  /** The clockwise quarter turn that makes the page upright; 0 for a page without text lines. */
  turn: QuarterTurn;
  /** Skew of the upright page (a half turn keeps a line's slope, so it is measured once). */
  skew: SkewEstimate;
}

export function detectOrientation(page: GreyRaster): Orientation {
  const raster = withoutSolidInk(page);
  // A quarter turn moves pixels, not grey levels: one threshold serves both orientations.
  const threshold = otsuThreshold(raster);
  const points = skewPoints(raster, threshold);
  const level = coarseSkew(points, raster.height);
  const turnedLevel = coarseSkew(quarterTurned(points, raster.height), raster.width);
  if (!level && !turnedLevel) return { turn: 0, skew: NO_SKEW };
  // Only the orientation whose lines are sharper is refined: the other's angle is never used.
  const sideways = !level || (turnedLevel?.coarseLineness ?? 0) > level.coarseLineness * 1.5;
  const [search, base] = sideways ? [turnedLevel!, 90] : [level!, 0];
  const skew = refineSkew(search);
  return { turn: (uprightness(search, skew.angle) >= 0 ? base : base + 180) as QuarterTurn, skew };
}

/**
 * Quarter-turn detection. Text lines are horizontal in the right orientation (or upside down); of
 * those two, the upright one carries more ink above each line's x-height band than below it —
 * capitals, ascenders and, in Vietnamese, most tone marks sit on top.
 */

import type { GreyRaster } from '../raster.js';
import { weightedMedian } from '../statistics.js';
import { coarseSkew, NO_SKEW, refineSkew, type SkewEstimate, type SkewSearch, shearedRowProfile, skewPoints } from './deskew.js';
import { otsuThreshold } from './grey.js';
import { quarterTurned, withoutSolidInk } from './ink-points.js';

export type QuarterTurn = 0 | 90 | 180 | 270;

/** One text line of a levelled page's row profile: its rows' ink, and the x-height band within it. */
interface ProfileLine {
  rows: Float64Array;
  ink: number;
  /** First and last row of the x-height band: rows with at least half the line's peak ink. */
  coreStart: number;
  coreEnd: number;
}

/**
 * The lines of a row profile: runs of rows above 2% of its peak. Of those, only runs near the
 * height most of the ink is in: a page's speckles make many thin runs in its empty half, and an
 * ink-weighted height keeps them from setting what a text line is.
 */
const MIN_LINE_ROWS = 6;

function textLines(profile: Float64Array): ProfileLine[] {
  const peak = Math.max(...profile);
  const runs: ProfileLine[] = [];
  for (let y = 0; y < profile.length; ) {
    if (profile[y]! <= peak * 0.02) {
      y++;
      continue;
    }
    let end = y;
    while (end < profile.length && profile[end]! > peak * 0.02) end++;
    const rows = profile.subarray(y, end);
    const lineMax = Math.max(...rows);
    const coreStart = rows.findIndex((v) => v >= lineMax * 0.5);
    const coreEnd = rows.length - 1 - [...rows].reverse().findIndex((v) => v >= lineMax * 0.5);
    runs.push({ rows, ink: rows.reduce((a, b) => a + b, 0), coreStart, coreEnd });
    y = end;
  }
  // A rule (an underline, a table's border) is a run of a few rows holding much ink: it would set
  // the line height of a form. No text line, even 6 pt at 100 dpi, is under MIN_LINE_ROWS.
  const candidates = runs.filter((l) => l.rows.length >= MIN_LINE_ROWS);
  const typical = weightedMedian(
    candidates.map((l) => l.rows.length),
    candidates.map((l) => l.ink),
  );
  // Bands far taller than a text line (photos, display headlines) are left out as well.
  return candidates.filter((l) => l.rows.length >= typical * 0.5 && l.rows.length <= typical * 2);
}

/**
 * Positive when the page reads upright: in its text lines, ink above the x-height band outweighs
 * ink below it. Each line votes by its ink, so a line of text outweighs a row of specks.
 */
function uprightness(lines: ProfileLine[]): number {
  let votes = 0;
  let weight = 0;
  for (const { rows, ink, coreStart, coreEnd } of lines) {
    let above = 0;
    let below = 0;
    for (let i = 0; i < coreStart; i++) above += rows[i]!;
    for (let i = coreEnd + 1; i < rows.length; i++) below += rows[i]!;
    if (above + below === 0) continue;
    votes += ((above - below) / (above + below)) * ink;
    weight += ink;
  }
  return weight ? votes / weight : 0;
}

/** Text size of a page in the analysed raster's pixels; 0 where it has no text lines. */
export interface TextSize {
  /** Height of the x-height band (lower-case letters without ascenders), ink-weighted median. */
  xHeight: number;
  /** Text lines measured. */
  lines: number;
}

function textSize(lines: ProfileLine[]): TextSize {
  return {
    xHeight: weightedMedian(
      lines.map((l) => l.coreEnd - l.coreStart + 1),
      lines.map((l) => l.ink),
    ),
    lines: lines.length,
  };
}

export interface Orientation {
  /** The clockwise quarter turn that makes the page upright; 0 for a page without text lines. */
  turn: QuarterTurn;
  /** Skew of the upright page (a half turn keeps a line's slope, so it is measured once). */
  skew: SkewEstimate;
  /**
   * How sure the half turn is, 0–1: the weighted share by which ink above the lines outweighs ink
   * below. Upright pages of text score 0.3–0.6; under 0.15 the page is worth reading both ways.
   */
  upright: number;
  /** Lineness of the chosen orientation over the other quarter turn's: 1.5 and above chose it. */
  sideways: number;
  text: TextSize;
}

const NO_TEXT: Orientation = { turn: 0, skew: NO_SKEW, upright: 0, sideways: 0, text: { xHeight: 0, lines: 0 } };

export function detectOrientation(page: GreyRaster): Orientation {
  const raster = withoutSolidInk(page);
  // A quarter turn moves pixels, not grey levels: one threshold serves both orientations.
  const threshold = otsuThreshold(raster);
  const points = skewPoints(raster, threshold);
  const level = coarseSkew(points, raster.height);
  const turnedLevel = coarseSkew(quarterTurned(points, raster.height), raster.width);
  if (!level && !turnedLevel) return NO_TEXT;
  const ratio = level && turnedLevel ? turnedLevel.coarseLineness / level.coarseLineness : level ? 0 : Number.POSITIVE_INFINITY;
  // Only the orientation whose lines are sharper is refined: the other's angle is never used.
  const sideways = ratio > 1.5;
  const [search, base]: [SkewSearch, number] = sideways ? [turnedLevel!, 90] : [level!, 0];
  const skew = refineSkew(search);
  // The search's own ink points and profile bins: the same page, already thresholded.
  const lines = textLines(shearedRowProfile(search.points, -skew.angle, search.bins));
  const upright = uprightness(lines);
  return {
    turn: (upright >= 0 ? base : base + 180) as QuarterTurn,
    skew,
    upright: Math.abs(upright),
    sideways: sideways ? ratio : 1 / ratio,
    text: textSize(lines),
  };
}

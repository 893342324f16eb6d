/**
 * Reading order of an administrative page. Vietnamese official letters set two columns side by
 * side — agency and number on the left, national motto and date on the right; recipients on the
 * left, signature on the right — and Tesseract's layout joins each such row into one text line.
 * Lines are split where a column gutter runs through them, and the pieces are ordered by a
 * recursive XY-cut: a region whose pieces leave a vertical gutter is read column by column, any
 * other region band by band from the top. Elsewhere Tesseract's own order stands: its layout
 * analysis reads flowing columns (a magazine page around a photo) better than a cut can.
 */
import { median } from '../statistics.js';
import type { Box, OcrLine, OcrWord } from './engine.js';

/** A gap wider than this many word heights inside a line is a column gutter, not a space. */
const GUTTER_WORD_HEIGHTS = 2;

/** The median height of the words of some lines. */
export function wordHeight(lines: readonly OcrLine[]): number {
  return median(lines.flatMap((l) => l.words.map((w) => w.box.y1 - w.box.y0)));
}

/**
 * The pieces of a line between its column gutters; a line without gutters is one piece.
 * `unit` is the page's word height: a line's own may be a dash's or a stray tone mark's.
 */
export function splitAtGutters(line: OcrLine, unit: number): OcrLine[] {
  const words = [...line.words].sort((a, b) => a.box.x0 - b.box.x0);
  const gutter = GUTTER_WORD_HEIGHTS * unit;
  const pieces: OcrWord[][] = [[]];
  for (const [i, word] of words.entries()) {
    if (i > 0 && word.box.x0 - words[i - 1]!.box.x1 > gutter) pieces.push([]);
    pieces.at(-1)!.push(word);
  }
  if (pieces.length === 1) return [line];
  return pieces.map((piece) => ({ ...line, box: boxOf(piece.map((w) => w.box)), words: piece }));
}

/**
 * Lines in reading order, given each of Tesseract's lines split at its gutters. Tesseract's own
 * order is kept, except from a line it ran across a gutter on: that line and the lines after it
 * that stay on either side of the gutter form a two-column zone, read column by column. `unit`
 * is the page's word height, the one the gutters were split with.
 */
export function readingOrder(lines: OcrLine[][], unit: number): OcrLine[] {
  const ordered: OcrLine[] = [];
  for (let i = 0; i < lines.length; ) {
    const zone = [...lines[i]!];
    let next = i + 1;
    if (zone.length > 1) {
      while (next < lines.length && splitColumns([...zone, ...lines[next]!], unit).length > 1) zone.push(...lines[next++]!);
    }
    ordered.push(...order(zone, unit));
    i = next;
  }
  return ordered;
}

function order(lines: OcrLine[], unit: number): OcrLine[] {
  if (lines.length <= 1) return lines;
  const columns = splitColumns(lines, unit);
  if (columns.length > 1) return columns.flatMap((column) => order(column, unit));
  const bands = splitBands(lines);
  if (bands.length === 1) return [...lines].sort((a, b) => a.box.x0 - b.box.x0);
  // Consecutive bands that share a gutter form a two-column zone, read column by column.
  const zones: OcrLine[][] = [];
  let zone: OcrLine[] = [];
  for (const band of bands) {
    if (zone.length > 0 && splitColumns([...zone, ...band], unit).length === 1) {
      zones.push(zone);
      zone = [];
    }
    zone.push(...band);
  }
  zones.push(zone);
  if (zones.length === 1) return bands.flatMap((band) => [...band].sort((a, b) => a.box.x0 - b.box.x0));
  return zones.flatMap((z) => order(z, unit));
}

/**
 * Groups of lines separated by vertical gutters at least `unit` wide with ink on both sides,
 * left to right; one group when there is none.
 */
function splitColumns(lines: OcrLine[], unit: number): OcrLine[][] {
  const sorted = [...lines].sort((a, b) => a.box.x0 - b.box.x0);
  const columns: OcrLine[][] = [[]];
  let right = -Infinity;
  for (const line of sorted) {
    if (columns.at(-1)!.length > 0 && line.box.x0 - right >= unit) columns.push([]);
    columns.at(-1)!.push(line);
    right = Math.max(right, line.box.x1);
  }
  return columns;
}

/**
 * Rows of lines whose cores overlap vertically, top to bottom. Only the middle half of each line
 * counts: tone marks and descenders make neighbouring lines' boxes overlap.
 */
function splitBands(lines: OcrLine[]): OcrLine[][] {
  const core = (l: OcrLine) => {
    const quarter = (l.box.y1 - l.box.y0) / 4;
    return { top: l.box.y0 + quarter, bottom: l.box.y1 - quarter };
  };
  const sorted = [...lines].sort((a, b) => core(a).top - core(b).top);
  const bands: OcrLine[][] = [[]];
  let bottom = -Infinity;
  for (const line of sorted) {
    const c = core(line);
    if (bands.at(-1)!.length > 0 && c.top >= bottom) bands.push([]);
    bands.at(-1)!.push(line);
    bottom = Math.max(bottom, c.bottom);
  }
  return bands;
}

export function boxOf(boxes: Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

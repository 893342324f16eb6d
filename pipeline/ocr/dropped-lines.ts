/**
 * Lines Tesseract's page layout dropped. Now and then automatic page segmentation leaves a whole
 * text line out of every block, and the page's text simply lacks it (stress corpus
 * scan-s203/ke-hoach-so-hoa: "tốc độ cao cho Bộ phận một cửa…", 19 words, CER 6%); bare
 * tesseract.js, reading the page as one block, keeps it. A band of the page holding a line's worth
 * of ink that no line covers is read again alone.
 */
import type { GreyRaster } from '../raster.js';
import type { Box, OcrLine } from './engine.js';

/** Darker than this is ink: the OCR copy's background is already white. */
const INK = 128;
/** A dropped line is at least half a word height and at most two high (taller is a seal, a photo). */
const BAND_WORD_HEIGHTS = { min: 0.5, max: 2 };
/** …and its ink spans at least this many word heights across: a few words, not a mark. */
const MIN_SPAN_WORD_HEIGHTS = 6;

/** Bands of the page, between and beside the lines read, whose ink looks like a dropped text line. */
export function uncoveredBands(page: GreyRaster, lines: readonly OcrLine[], unit: number): Box[] {
  if (lines.length === 0 || unit <= 0) return [];
  const { data, width, height } = page;
  const covered = new Uint8Array(height);
  for (const { box } of lines) covered.fill(1, Math.max(0, box.y0), Math.min(height, box.y1));
  // Only the text's own columns count: scanner edges and margin specks are no line.
  const left = Math.max(0, Math.min(...lines.map((l) => l.box.x0)));
  const right = Math.min(width, Math.max(...lines.map((l) => l.box.x1)));
  const inkRow = (y: number) => {
    let first = -1;
    let last = -1;
    for (let x = left, p = y * width + left; x < right; x++, p++) {
      if (data[p]! < INK) {
        if (first < 0) first = x;
        last = x;
      }
    }
    return { first, last };
  };
  const bands: Box[] = [];
  for (let y = 0; y < height; ) {
    if (covered[y] || inkRow(y).first < 0) {
      y++;
      continue;
    }
    const band: Box = { x0: right, y0: y, x1: left, y1: y };
    for (; y < height && !covered[y]; y++) {
      const { first, last } = inkRow(y);
      if (first < 0) break;
      band.x0 = Math.min(band.x0, first);
      band.x1 = Math.max(band.x1, last + 1);
      band.y1 = y + 1;
    }
    const tall = band.y1 - band.y0;
    if (tall >= BAND_WORD_HEIGHTS.min * unit && tall <= BAND_WORD_HEIGHTS.max * unit && band.x1 - band.x0 >= MIN_SPAN_WORD_HEIGHTS * unit)
      bands.push(band);
  }
  return bands;
}

/** `found` lines put among `lines` (in reading order) before the first line that starts below them. */
export function insertByTop(lines: OcrLine[], found: OcrLine[]): OcrLine[] {
  const out = [...lines];
  for (const line of found) {
    const at = out.findIndex((l) => l.box.y0 > line.box.y0);
    out.splice(at < 0 ? out.length : at, 0, line);
  }
  return out;
}

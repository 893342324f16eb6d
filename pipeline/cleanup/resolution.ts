/**
 * Resolution from the text. Scanners and phones often write no resolution, or a wrong one; the
 * text's own size tells how many pixels an inch holds, and how much the OCR copy must be enlarged
 * for Tesseract to read it as it reads a 300 dpi page.
 */
import type { SourcePage } from '../input/index.js';

/**
 * x-height of body text in inches: the letters a, c, e… of 12–14 pt Times, Liberation Serif or
 * DejaVu Sans measure 0.075–0.11 in, and official documents set body text in 13–14 pt.
 */
const BODY_X_HEIGHT_INCHES = 0.09;

/** Fewer lines than this make no estimate: a heading alone may be any size. */
const MIN_LINES = 3;

/** A tagged resolution whose body text would be smaller than 6 pt or larger than 36 pt is not believed. */
const PLAUSIBLE_X_HEIGHT_INCHES = { min: 0.035, max: 0.24 };

/**
 * An estimate outside this range says the page's lines were not measured as lines (columns whose
 * baselines do not align, a photo): a magazine spread at 300 dpi measured 1233.
 */
const PLAUSIBLE_DPI = { min: 60, max: 800 };

/** Tesseract reads best from an x-height of about 20–30 pixels (tessdoc, ImproveQuality). */
const TARGET_X_HEIGHT = 24;

/**
 * Text already near that size is left as it is: enlarging eurotext's 21-pixel x-height by 1.14
 * took its CER from 1.70% to 2.18%.
 */
const MIN_ENLARGEMENT = 1.25;

/** The OCR copy is enlarged at most this much: beyond it, there is nothing left to read. */
const MAX_UPSCALE = 4;

/** Nor beyond this many pixels (an A3 sheet at 450 dpi): Tesseract's time and memory grow with them. */
const MAX_OCR_PIXELS = 40e6;

export interface TextMeasure {
  /** Body text x-height in the scan's pixels; 0 when the page has too few lines to tell. */
  xHeight: number;
  lines: number;
}

export interface Resolution {
  /** The resolution the page is treated as having: the tag where it is plausible, else the estimate. */
  dpi: number;
  source: SourcePage['dpiSource'] | 'text';
  /** What the text says, when it has enough lines to say anything. */
  estimate?: number;
}

/** Paper sizes in inches, portrait: ISO A3–A5 and the US sizes some forms still come on. */
const PAPERS = [
  { width: 11.69, height: 16.54 },
  { width: 8.27, height: 11.69 },
  { width: 5.83, height: 8.27 },
  { width: 8.5, height: 11 },
  { width: 8.5, height: 14 },
];

/**
 * How far a page measured by its text may be from a paper size and still be taken as that paper.
 * The estimate assumes 13–14 pt body text: a page set in 12 pt measures up to 18% large, one in
 * larger type a few per cent small — so a page may be larger than its paper by a fifth, smaller by
 * a tenth (an A4 page in small type is not taken for A3).
 */
const PAPER_RANGE = { min: 0.9, max: 1.2 };
/** Its proportions must match closer: the border crop trims a few per cent, never a fifth. */
const ASPECT_TOLERANCE = 0.08;

/**
 * The resolution that gives the page its physical size in the PDF/A. A tag is believed; an
 * estimate from the text is good to 10–20%, so a page near a paper size, in its proportions, is
 * taken as the nearest such paper (a 750-pixel-wide A4 photo makes an A4 page,
 * whatever the size of its type). Official documents are on A4 (Decree 30/2020/NĐ-CP). Any other
 * page keeps the resolution as measured.
 */
export function paperDpi(resolution: Resolution, page: { width: number; height: number }): number {
  if (resolution.source !== 'text') return resolution.dpi;
  const inches = { width: page.width / resolution.dpi, height: page.height / resolution.dpi };
  let best: { dpi: number; off: number } | undefined;
  for (const paper of PAPERS) {
    const [w, h] = inches.width <= inches.height ? [paper.width, paper.height] : [paper.height, paper.width];
    const ratios = [inches.width / w, inches.height / h];
    const within = ratios.every((r) => r >= PAPER_RANGE.min && r <= PAPER_RANGE.max);
    const off = Math.max(...ratios.map((r) => Math.abs(r - 1)));
    const aspect = Math.abs(inches.width / inches.height / (w / h) - 1);
    if (within && aspect <= ASPECT_TOLERANCE && (!best || off < best.off)) {
      best = { dpi: Math.round(Math.sqrt((page.width * page.height) / (w * h))), off };
    }
  }
  return best?.dpi ?? resolution.dpi;
}

export function estimateDpi(text: TextMeasure): number | undefined {
  if (text.lines < MIN_LINES || text.xHeight <= 0) return undefined;
  const dpi = Math.round(text.xHeight / BODY_X_HEIGHT_INCHES);
  return dpi >= PLAUSIBLE_DPI.min && dpi <= PLAUSIBLE_DPI.max ? dpi : undefined;
}

export function pageResolution(tag: Pick<SourcePage, 'dpi' | 'dpiSource'>, text: TextMeasure): Resolution {
  const estimate = estimateDpi(text);
  if (estimate === undefined) return { dpi: tag.dpi, source: tag.dpiSource };
  const tagged = tag.dpiSource !== 'assumed';
  const xInches = text.xHeight / tag.dpi;
  const plausible = xInches >= PLAUSIBLE_X_HEIGHT_INCHES.min && xInches <= PLAUSIBLE_X_HEIGHT_INCHES.max;
  return tagged && plausible ? { dpi: tag.dpi, source: tag.dpiSource, estimate } : { dpi: estimate, source: 'text', estimate };
}

/**
 * How much to enlarge the OCR copy: to bring the body text to Tesseract's favourite size when the
 * page has measurable text, else to `minDpi` by its resolution. Never shrunk: large text reads well.
 */
export function ocrScale(text: TextMeasure, dpi: number, minDpi: number, page: { width: number; height: number }): number {
  const byText = estimateDpi(text) !== undefined ? TARGET_X_HEIGHT / text.xHeight : minDpi / dpi;
  if (byText < MIN_ENLARGEMENT) return 1;
  const cap = Math.min(MAX_UPSCALE, Math.sqrt(MAX_OCR_PIXELS / (page.width * page.height)));
  return Math.max(1, Math.min(cap, byText));
}

/**
 * A page's OCR lines as the Decree 30 layout sees them: segments of words with their boxes (an OCR
 * line that runs across the gutter between the two header columns is cut at the gutter), specks
 * and stamp fragments dropped, and the page's text block (its margins) measured, so that "left
 * column", "centred" and "right half" mean the same on a 150 dpi photo and a 300 dpi scan.
 */
import type { Box, OcrPageResult, OcrWord } from '../../ocr/index.js';
import type { ReadField } from './fields.js';

export interface Segment {
  text: string;
  words: OcrWord[];
  box: Box;
  /** Lowest word confidence, 0–1. */
  confidence: number;
}

export interface PageLayout {
  width: number;
  height: number;
  /** Top to bottom, then left to right: the OCR's reading order does not matter. */
  segments: Segment[];
  /** The text block's left and right edges and its middle. */
  left: number;
  right: number;
  middle: number;
  /** Median segment height: the unit of vertical gaps. */
  lineHeight: number;
}

export const centreX = (b: Box) => (b.x0 + b.x1) / 2;
export const heightOf = (b: Box) => b.y1 - b.y0;

export function unionBox(boxes: Box[]): Box {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

export function segmentOf(words: OcrWord[]): Segment {
  return {
    text: words
      .map((w) => w.text)
      .join(' ')
      .normalize('NFC'),
    words,
    box: unionBox(words.map((w) => w.box)),
    confidence: Math.min(...words.map((w) => w.confidence)) / 100,
  };
}

/** Minimum confidence over segments (or words), 0–1. */
export const lowest = (items: { confidence: number }[]) => (items.length ? Math.min(...items.map((i) => i.confidence)) : 0);

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.floor(p * (values.length - 1))] ?? 0;
const median = (values: number[]) => percentile(values, 0.5);

/** A gap between words wider than this many line heights is a gutter between columns. */
const GUTTER_LINE_HEIGHTS = 1.8;

function splitAtGutters(words: OcrWord[], lineHeight: number, width: number): OcrWord[][] {
  const gutter = Math.max(GUTTER_LINE_HEIGHTS * lineHeight, 0.04 * width);
  const parts: OcrWord[][] = [];
  for (const word of [...words].sort((a, b) => a.box.x0 - b.box.x0)) {
    const current = parts.at(-1);
    if (current && word.box.x0 - current.at(-1)!.box.x1 <= gutter) current.push(word);
    else parts.push([word]);
  }
  return parts;
}

/** Specks, rules, seal fragments: no letter or digit, or a lone low-confidence character. */
function isNoise(s: Segment, lineHeight: number): boolean {
  const letters = s.text.replace(/[^\p{L}\p{N}]/gu, '');
  if (letters.length === 0) return true;
  if (heightOf(s.box) < 0.4 * lineHeight) return true;
  return letters.length <= 2 && s.confidence < 0.6;
}

export function pageLayout(page: OcrPageResult): PageLayout {
  const lines = page.lines.filter((l) => l.words.length > 0);
  const lineHeight = median(lines.map((l) => heightOf(l.box))) || page.height / 60;
  const segments = lines
    .flatMap((l) => splitAtGutters(l.words, lineHeight, page.width).map(segmentOf))
    .filter((s) => !isNoise(s, lineHeight))
    .sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
  // The text block: where wide lines (body text) start (a paragraph's first line is indented)
  // and end (a ragged right edge reaches the margin only now and then).
  const wide = segments.filter((s) => s.box.x1 - s.box.x0 > 0.5 * page.width);
  const left = wide.length
    ? percentile(
        wide.map((s) => s.box.x0),
        0.25,
      )
    : 0.12 * page.width;
  const right = wide.length
    ? percentile(
        wide.map((s) => s.box.x1),
        0.9,
      )
    : 0.9 * page.width;
  return { width: page.width, height: page.height, segments, left, right, middle: (left + right) / 2, lineHeight };
}

/** Segments on the same row as `s` (overlapping it by half a line), left to right, as one: a line cut by a handwritten fill-in. */
export function rowOf(p: PageLayout, s: Segment, within: (t: Segment) => boolean): Segment {
  const row = p.segments.filter(
    (t) => within(t) && Math.min(t.box.y1, s.box.y1) - Math.max(t.box.y0, s.box.y0) > 0.5 * Math.min(heightOf(t.box), heightOf(s.box)),
  );
  return segmentOf(row.sort((a, b) => a.box.x0 - b.box.x0).flatMap((t) => t.words));
}

/** In the left half of the text block (the agency's column, "Nơi nhận"). */
export const inLeftHalf = (p: PageLayout, s: Segment) => centreX(s.box) < p.middle && s.box.x1 < p.middle + 0.1 * p.width;
/** In the right half (the motto's column, the signer's block). */
export const inRightHalf = (p: PageLayout, s: Segment) => centreX(s.box) > p.middle && s.box.x0 > p.middle - 0.15 * p.width;

/** Centred in the text block and short of both margins: a title or subject line, not body text. */
export function isCentred(p: PageLayout, s: Segment): boolean {
  const offCentre = Math.abs(centreX(s.box) - p.middle);
  return offCentre < 0.07 * p.width && s.box.x0 > p.left + 0.03 * p.width && s.box.x1 < p.right - 0.03 * p.width;
}

/** Share of the letters in capitals. */
export function capitalShare(text: string): number {
  const letters = [...text].filter((c) => /\p{L}/u.test(c));
  if (!letters.length) return 0;
  return letters.filter((c) => c === c.toLocaleUpperCase('vi') && c !== c.toLocaleLowerCase('vi')).length / letters.length;
}

/** A field read from these words (or these segments' words): its confidence is the least sure word's. */
export function field(value: string, from: OcrWord[] | Segment[], page: number): ReadField {
  const words = from.flatMap((f) => ('words' in f ? f.words : [f]));
  const confidence = Math.min(...words.map((w) => w.confidence)) / 100;
  return { value, confidence: Math.round(confidence * 100) / 100, page, box: unionBox(words.map((w) => w.box)) };
}

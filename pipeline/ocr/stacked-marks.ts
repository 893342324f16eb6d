/**
 * Vietnamese stacks a tone mark on a circumflex or breve (ế, ầ, ổ, ẵ…), and that upper mark rises
 * above the Latin ascender line. Tesseract's page layout leaves it out of the word's image, or
 * makes it a text line of its own, and reads "chuyển" as "chuyên", "Tuấn" as "Tuân". The word
 * read again on its own, with the marks above it, keeps the mark. These are the pure parts: which
 * words to read again, the image to read, and which second reading to believe.
 */
import type { GreyRaster } from '../raster.js';
import { median } from '../statistics.js';
import type { Box } from './engine.js';

/** Vowels that carry a stacked tone mark, as read without one. */
const STACK_BASES = 'âêôăÂÊÔĂ';
const BARE_STACK_BASE = new RegExp(`[${STACK_BASES}]`, 'u');
/** A stack base with a tone mark above, decomposed: base, circumflex or breve, grave/acute/hook/tilde. */
const STACKED = /^[aeoAEO][\u0302\u0306][\u0300\u0301\u0309\u0303]$/u;

/** Ink in the OCR image: its background is paper white, so a fixed threshold is enough. */
const INK = 128;

/** Words read with a circumflex or breve and no tone mark on it may have lost that mark. */
export function mayHaveLostStackedMark(word: string): boolean {
  return BARE_STACK_BASE.test(word.normalize('NFC'));
}

/** One letter of a word as Tesseract read it, with the height of its box. */
export interface Letter {
  text: string;
  height: number;
}

/** Height of the tallest letter read as a bare stack base, undefined when the word has none. */
export function bareStackBaseHeight(letters: readonly Letter[]): number | undefined {
  const heights = letters.filter((l) => BARE_STACK_BASE.test(l.text)).map((l) => l.height);
  return heights.length ? Math.max(...heights) : undefined;
}

/** A bare stack base this much taller than its reference holds a mark it was read without. */
const TALL_STACK_BASE = 1.15;

/** Letters without marks that reach the ascender or capital line: a bare ê or ô is as tall. */
const PLAIN_TALL = /^[bdfhklđBDĐEFHIKLMNPRT]$/u;

/**
 * The words of one line whose bare stack base is tall enough to hold a second mark inside its
 * box: taller than the line's other bare stack bases, or, where it is the line's only one, than
 * its plain tall letters (a stacked mark inside the box makes it about a quarter taller). With
 * nothing to compare, it may hold one.
 */
export function tallStackBases<W>(line: readonly { word: W; letters: readonly Letter[] }[]): W[] {
  const bases = line.map(({ letters }) => bareStackBaseHeight(letters));
  const lineBases = bases.filter((h) => h !== undefined);
  const plainTall = line.flatMap(({ letters }) => letters.filter((l) => PLAIN_TALL.test(l.text)).map((l) => l.height));
  // Of a pair, the shorter base is the reference: the taller one is what is in question.
  const reference = lineBases.length >= 2 ? median(lineBases, 'lower') : median(plainTall, 'lower');
  return line.filter((_, i) => bases[i] !== undefined && bases[i] > TALL_STACK_BASE * reference).map(({ word }) => word);
}

/**
 * The word as read again, if the second reading differs from the first only by tone marks added
 * on bare circumflex or breve vowels; undefined otherwise. Punctuation around the word comes from
 * the first reading: read alone, a word often gains a stray full stop.
 */
export function withStackedMarks(read: string, reread: string): string | undefined {
  const [before, core, after] = splitCore(read.normalize('NFC'));
  const [, again] = splitCore(reread.normalize('NFC'));
  const first = [...core];
  const second = [...again];
  if (first.length === 0 || first.length !== second.length) return undefined;
  let added = false;
  for (const [i, ch] of first.entries()) {
    const other = second[i]!;
    if (other === ch) continue;
    const decomposed = other.normalize('NFD');
    if (!STACK_BASES.includes(ch) || !STACKED.test(decomposed) || decomposed.slice(0, 2).normalize('NFC') !== ch) return undefined;
    added = true;
  }
  return added ? before + again + after : undefined;
}

function splitCore(word: string): [string, string, string] {
  const [, before, core, after] = /^(\P{L}*)(.*?)(\P{L}*)$/su.exec(word)!;
  return [before!, core!, after!];
}

/** A crop of the OCR image and where it lies on the page. */
export interface WordImage {
  image: GreyRaster;
  left: number;
  top: number;
  /** Ink components found above the word's box and added to the image. */
  marksAbove: number;
}

/** How far above a word its stacked marks may reach, in word heights. */
const MARK_ZONE = 0.6;
/** White margin around the word, in word heights: Tesseract reads a word better with some paper around it. */
const MARGIN = 0.3;
/** White margin above the highest ink kept, in word heights. */
const TOP_MARGIN = 0.2;

/**
 * The word on white paper: the pixels of its box, plus every ink component above the box that lies
 * wholly within the mark zone over it (marks the layout left out). Ink reaching out of the zone —
 * descenders of the line above, a neighbour's tall letter — stays out.
 */
export function wordWithMarksAbove(page: GreyRaster, box: Box): WordImage {
  const h = box.y1 - box.y0;
  const margin = Math.max(4, Math.round(h * MARGIN));
  const left = Math.max(0, box.x0 - margin);
  const right = Math.min(page.width, box.x1 + margin);
  const zoneTop = Math.max(0, Math.round(box.y0 - h * MARK_ZONE));
  const bottom = Math.min(page.height, box.y1 + margin);
  const width = right - left;
  const height = bottom - zoneTop;
  const out = new Uint8Array(width * height).fill(255);
  for (let y = box.y0; y < box.y1; y++) {
    const from = y * page.width;
    out.set(page.data.subarray(from + box.x0, from + box.x1), (y - zoneTop) * width + (box.x0 - left));
  }
  const lowestMark = box.y0 + h / 2 - zoneTop;
  let highest = box.y0 - zoneTop;
  let marksAbove = 0;
  const seen = new Uint8Array(width * height);
  const component = new Int32Array(width * height);
  const inkAt = (x: number, y: number) => page.data[(y + zoneTop) * page.width + x + left]! < INK;
  for (let y = 0; y < box.y0 - zoneTop; y++) {
    for (let x = box.x0 - left; x < box.x1 - left; x++) {
      if (seen[y * width + x] || !inkAt(x, y)) continue;
      // 8-connected flood fill inside the crop; `component` is both its queue and its pixels.
      let size = 0;
      let head = 0;
      let escapes = false;
      let top = y;
      let lowest = y;
      component[size++] = y * width + x;
      seen[y * width + x] = 1;
      while (head < size) {
        const p = component[head++]!;
        const px = p % width;
        const py = (p - px) / width;
        if (py === 0 || px === 0 || px === width - 1) escapes = true;
        top = Math.min(top, py);
        lowest = Math.max(lowest, py);
        for (let ny = Math.max(0, py - 1); ny <= Math.min(height - 1, py + 1); ny++) {
          for (let nx = Math.max(0, px - 1); nx <= Math.min(width - 1, px + 1); nx++) {
            const q = ny * width + nx;
            if (!seen[q] && inkAt(nx, ny)) {
              seen[q] = 1;
              component[size++] = q;
            }
          }
        }
      }
      if (escapes || lowest > lowestMark) continue;
      marksAbove++;
      highest = Math.min(highest, top);
      for (let k = 0; k < size; k++) {
        const p = component[k]!;
        const px = p % width;
        out[p] = page.data[((p - px) / width + zoneTop) * page.width + px + left]!;
      }
    }
  }
  const cropTop = Math.max(0, highest - Math.round(h * TOP_MARGIN));
  return { image: { data: out.subarray(cropTop * width), width, height: height - cropTop }, left, top: zoneTop + cropTop, marksAbove };
}

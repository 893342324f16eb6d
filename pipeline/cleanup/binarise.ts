/**
 * Adaptive binarisation and despeckle for the OCR copy. The page is binarised after its
 * illumination is flattened, so one threshold is relative to each region's own paper: a dim corner
 * or a tinted sheet binarises like white paper. Specks smaller than the smallest mark of the script
 * are removed, and the grey page keeps only what lies on or beside the ink that remains: Tesseract
 * reads the strokes' grey edges and never sees the scanner's noise.
 */
import type { GreyRaster } from '../raster.js';
import { greyHistogram, otsuThreshold } from './grey.js';

/** One byte per pixel: non-zero is ink, 0 is paper. */
export interface InkBitmap {
  data: Uint8Array;
  width: number;
  height: number;
  /** Ink pixels in `data`. */
  ink: number;
  /**
   * Where the ink was when binarised, in ascending order: a page is mostly paper, so later steps
   * walk this list instead of every pixel. Despeckle leaves removed specks in it, at 0 in `data`.
   */
  inkAt: Int32Array;
}

/**
 * A pixel within a fifth of its paper's brightness is paper, whatever Otsu finds: on a page with
 * almost no ink, Otsu's split falls inside the paper's own noise.
 */
const PAPER_FLOOR = 204;

/**
 * Ink where the background-normalised page is darker than its Otsu threshold, or, with `leniency`,
 * than a threshold that share of the way from Otsu's to white (faint marks, see nearInk).
 */
export function binarise(flattened: GreyRaster & { histogram?: Uint32Array }, leniency = 0): InkBitmap {
  const { data, width, height } = flattened;
  const histogram = flattened.histogram ?? greyHistogram(flattened);
  const otsu = otsuThreshold(flattened, histogram);
  const threshold = Math.min(Math.round(otsu + leniency * (255 - otsu)), PAPER_FLOOR);
  let ink = 0;
  for (let v = 0; v < threshold; v++) ink += histogram[v]!;
  const bits = new Uint8Array(data.length);
  const inkAt = new Int32Array(ink);
  for (let i = 0, k = 0; k < ink; i++) {
    if (data[i]! < threshold) {
      bits[i] = 1;
      inkAt[k++] = i;
    }
  }
  return { data: bits, width, height, ink, inkAt };
}

/**
 * The smallest mark worth keeping at `dpi`: a Vietnamese dot-below (dấu nặng) at 8 pt covers
 * about 3×3 pixels at 300 dpi; scanner specks are one or two.
 */
export function speckArea(dpi: number): number {
  return Math.max(2, Math.round(6 * (dpi / 300) ** 2));
}

/** Whether to keep an ink component: its pixels are `component[0..size)`. */
export type ComponentTest = (component: Int32Array, size: number) => boolean;

/**
 * Removes 8-connected ink components of fewer than `minArea` pixels, and those `keep` refuses, in
 * place; returns how many components were removed.
 */
export function despeckle(bitmap: InkBitmap, minArea: number, keep: ComponentTest = () => true): number {
  const { data, width, height } = bitmap;
  // 1 = ink not yet visited, 2 = ink kept. The queue of one flood fill is also its component.
  const queue = new Int32Array(Math.max(1, bitmap.ink));
  let removed = 0;
  for (const start of bitmap.inkAt) {
    if (data[start] !== 1) continue;
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    data[start] = 2;
    while (head < tail) {
      const p = queue[head++]!;
      const x = p % width;
      const y = (p - x) / width;
      const x0 = x > 0 ? -1 : 0;
      const x1 = x < width - 1 ? 1 : 0;
      for (let dy = y > 0 ? -1 : 0, y1 = y < height - 1 ? 1 : 0; dy <= y1; dy++) {
        for (let dx = x0; dx <= x1; dx++) {
          const q = p + dy * width + dx;
          if (data[q] === 1) {
            data[q] = 2;
            queue[tail++] = q;
          }
        }
      }
    }
    if (tail < minArea || !keep(queue, tail)) {
      for (let k = 0; k < tail; k++) data[queue[k]!] = 0;
      bitmap.ink -= tail;
      removed++;
    }
  }
  // Kept ink back to 1, so that the bitmap can be despeckled again by another test.
  for (const p of bitmap.inkAt) if (data[p]) data[p] = 1;
  return removed;
}

/**
 * A component test keeping what lies within `radius` pixels of `strong` ink (`othersOnly`: of ink
 * other than its own, for a component of `strong` itself): a tone mark sits just above or below
 * its letter, where a speck in a margin or between lines does not.
 */
export function nearInk(strong: InkBitmap, radius: number, options: { othersOnly?: boolean } = {}): ComponentTest {
  const { width, height } = strong;
  // Summed-area table of the strong ink: any box's count in four lookups.
  const stride = width + 1;
  const sums = new Uint32Array(stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += strong.data[y * width + x] ? 1 : 0;
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1]! + row;
    }
  }
  return (component, size) => {
    let left = width;
    let right = 0;
    let top = height;
    let bottom = 0;
    for (let k = 0; k < size; k++) {
      const p = component[k]!;
      const x = p % width;
      const y = (p - x) / width;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
    const x0 = Math.max(0, left - radius);
    const x1 = Math.min(width, right + radius + 1);
    const y0 = Math.max(0, top - radius);
    const y1 = Math.min(height, bottom + radius + 1);
    const near = sums[y1 * stride + x1]! - sums[y0 * stride + x1]! - sums[y1 * stride + x0]! + sums[y0 * stride + x0]!;
    // A component of `strong` itself counts its own pixels in the box: only others' say it has neighbours.
    return near > (options.othersOnly ? size : 0);
  };
}

/** The grey page with everything farther than one pixel from the bitmap's ink turned to paper white. */
export function cleanBackground(grey: GreyRaster, bitmap: InkBitmap): GreyRaster {
  const { data, width, height } = grey;
  const ink = bitmap.data;
  const out = new Uint8Array(data.length).fill(255);
  for (const p of bitmap.inkAt) {
    if (!ink[p]) continue;
    const x = p % width;
    out[p] = data[p]!;
    if (x > 0) out[p - 1] = data[p - 1]!;
    if (x < width - 1) out[p + 1] = data[p + 1]!;
    if (p >= width) out[p - width] = data[p - width]!;
    if (p + width < data.length) out[p + width] = data[p + width]!;
  }
  return { data: out, width, height };
}

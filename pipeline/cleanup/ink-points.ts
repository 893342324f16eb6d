/** The ink pixels of a page as coordinate lists, the form the skew and orientation searches walk. */
import type { GreyRaster } from '../raster.js';
import { otsuThreshold } from './grey.js';

/** Coordinates of a raster's ink pixels, row by row; `width` is the raster's. */
export interface InkPoints {
  xs: Int32Array;
  ys: Int32Array;
  width: number;
}

/** Coordinates of ink pixels (darker than `threshold`) inside a margin-free window. */
export function inkPoints(raster: GreyRaster, threshold: number, margin = 0): InkPoints {
  const { data, width, height } = raster;
  const mx = Math.round(width * margin);
  const my = Math.round(height * margin);
  // Counted first, so the coordinates go straight into typed arrays of the right size.
  let count = 0;
  for (let y = my; y < height - my; y++) {
    for (let i = y * width + mx, end = y * width + width - mx; i < end; i++) if (data[i]! < threshold) count++;
  }
  const xs = new Int32Array(count);
  const ys = new Int32Array(count);
  let k = 0;
  for (let y = my; y < height - my; y++) {
    const row = y * width;
    for (let x = mx; x < width - mx; x++) {
      if (data[row + x]! < threshold) {
        xs[k] = x;
        ys[k++] = y;
      }
    }
  }
  return { xs, ys, width };
}

/**
 * The points of a raster `height` rows tall, as the raster turned a quarter clockwise holds them:
 * column x becomes row x, row y column height − 1 − y, listed in the turned raster's row order.
 */
export function quarterTurned(points: InkPoints, height: number): InkPoints {
  const { xs, ys, width } = points;
  // A counting sort by column; walking the points bottom row first lists each column's points
  // in ascending turned column.
  const start = new Int32Array(width + 1);
  for (let i = 0; i < xs.length; i++) start[xs[i]! + 1]!++;
  for (let x = 0; x < width; x++) start[x + 1]! += start[x]!;
  const turnedXs = new Int32Array(xs.length);
  const turnedYs = new Int32Array(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) {
    const k = start[xs[i]!]!++;
    turnedXs[k] = height - 1 - ys[i]!;
    turnedYs[k] = xs[i]!;
  }
  return { xs: turnedXs, ys: turnedYs, width: height };
}

/**
 * The raster with solid ink turned to paper: cells of `cell`×`cell` pixels more than half ink are
 * photos, black bars or scanner shadow, not text, and would swamp the line profiles of the text.
 * Their neighbour cells go too, so no rim of the photo is left to read as a rule.
 */
export function withoutSolidInk(raster: GreyRaster, cell = 16): GreyRaster {
  const { data, width, height } = raster;
  const threshold = otsuThreshold(raster);
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const solid = new Uint8Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const [left, top, right, bottom] = [gx * cell, gy * cell, Math.min(width, (gx + 1) * cell), Math.min(height, (gy + 1) * cell)];
      let ink = 0;
      for (let y = top; y < bottom; y++)
        for (let i = y * width + left, end = y * width + right; i < end; i++) ink += (data[i]! - threshold) >>> 31;
      solid[gy * gw + gx] = ink * 2 > (bottom - top) * (right - left) ? 1 : 0;
    }
  }
  const out = Uint8Array.from(data);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let near = 0;
      for (let y = Math.max(0, gy - 1); y <= Math.min(gh - 1, gy + 1); y++)
        for (let x = Math.max(0, gx - 1); x <= Math.min(gw - 1, gx + 1); x++) near |= solid[y * gw + x]!;
      if (!near) continue;
      for (let y = gy * cell; y < Math.min(height, (gy + 1) * cell); y++)
        out.fill(255, y * width + gx * cell, y * width + Math.min(width, (gx + 1) * cell));
    }
  }
  return { data: out, width, height };
}

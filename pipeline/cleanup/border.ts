/**
 * Dark scanner borders: the lid or the bed's edge shows as dark bands along the sides of a page.
 * Walking in from each side, rows and columns shadowed along nearly their whole length are border.
 */
import type { GreyRaster, Region } from '../raster.js';
import { greyHistogram } from './grey.js';

/** The paper's brightness: a high percentile of the page, which text and borders do not reach. */
export function paperLevel(raster: GreyRaster): number {
  const histogram = greyHistogram(raster);
  let seen = 0;
  for (let v = 255; v >= 0; v--) {
    seen += histogram[v]!;
    if (seen >= raster.data.length * 0.3) return v;
  }
  return 255;
}

/** The page without its dark border bands, in the raster's pixels; the whole raster when none. */
export function findContentRegion(raster: GreyRaster, maxFraction = 0.08): Region {
  const { data, width, height } = raster;
  // Borders fade from black to a shadow, but all along the edge; a photo or a heading near the
  // edge leaves part of the row at paper brightness.
  const shadow = paperLevel(raster) * 0.85;
  const shadowedShare = (index: (i: number) => number, length: number) => {
    let n = 0;
    for (let i = 0; i < length; i++) if (data[index(i)]! < shadow) n++;
    return n / length;
  };
  const isBorderRow = (y: number) => shadowedShare((x) => y * width + x, width) > 0.9;
  const isBorderCol = (x: number) => shadowedShare((y) => y * width + x, height) > 0.9;
  const limitY = Math.floor(height * maxFraction);
  const limitX = Math.floor(width * maxFraction);
  let top = 0;
  while (top < limitY && isBorderRow(top)) top++;
  let bottom = height;
  while (height - bottom < limitY && isBorderRow(bottom - 1)) bottom--;
  let left = 0;
  while (left < limitX && isBorderCol(left)) left++;
  let right = width;
  while (width - right < limitX && isBorderCol(right - 1)) right--;
  // A few more pixels: the border's soft edge is darker than the paper too.
  const pad = Math.ceil(Math.min(width, height) * 0.004);
  const trim = (v: number, edge: boolean) => (edge ? v + pad : v);
  left = trim(left, left > 0);
  top = trim(top, top > 0);
  right = right < width ? right - pad : right;
  bottom = bottom < height ? bottom - pad : bottom;
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}

/** Grey levels of a page: histogram, Otsu's threshold, and the shrunk grey copy page analysis runs on. */
import type { GreyRaster } from '../raster.js';

/** How many pixels of each grey level. */
export function greyHistogram(raster: GreyRaster): Uint32Array {
  const histogram = new Uint32Array(256);
  const { data } = raster;
  for (let i = 0; i < data.length; i++) histogram[data[i]!]!++;
  return histogram;
}

/**
 * A grey copy of raw interleaved pixels, shrunk by a whole factor so its width comes near
 * `targetWidth`: each output pixel is the mean luma of a factor × factor block. The pixels are in
 * memory already, and a plain box average is all page analysis needs.
 */
export function shrinkToGrey(pixels: Uint8Array, width: number, height: number, channels: number, targetWidth: number): GreyRaster {
  const k = Math.max(1, Math.round(width / targetWidth));
  if (k === 2) return halveToGrey(pixels, width, height, channels);
  const w = Math.floor(width / k);
  const h = Math.floor(height / k);
  const out = new Uint8Array(w * h);
  // Rows are summed in source order, one block row at a time: memory is read once, front to back.
  const sums = new Uint32Array(w);
  const divisor = k * k * 256;
  for (let y = 0; y < h * k; y++) {
    let p = y * width * channels;
    if (channels >= 3) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let dx = 0; dx < k; dx++, p += channels) sum += pixels[p]! * 77 + pixels[p + 1]! * 150 + pixels[p + 2]! * 29;
        sums[x]! += sum;
      }
    } else {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let dx = 0; dx < k; dx++, p += channels) sum += pixels[p]!;
        sums[x]! += sum << 8;
      }
    }
    if (y % k === k - 1) {
      const row = ((y - k + 1) / k) * w;
      for (let x = 0; x < w; x++) out[row + x] = sums[x]! / divisor;
      sums.fill(0);
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * shrinkToGrey by 2, the factor of every 300 dpi A4 scan: each output pixel sums its 2 × 2 block
 * straight from the two source rows, faster than the general row-by-row sums.
 */
function halveToGrey(pixels: Uint8Array, width: number, height: number, channels: number): GreyRaster {
  const w = width >> 1;
  const h = height >> 1;
  const out = new Uint8Array(w * h);
  const stride = width * channels;
  const c = channels;
  for (let y = 0; y < h; y++) {
    let a = 2 * y * stride;
    let b = a + stride;
    if (c >= 3) {
      for (let o = y * w, end = o + w; o < end; o++, a += 2 * c, b += 2 * c) {
        const red = pixels[a]! + pixels[a + c]! + pixels[b]! + pixels[b + c]!;
        const green = pixels[a + 1]! + pixels[a + c + 1]! + pixels[b + 1]! + pixels[b + c + 1]!;
        const blue = pixels[a + 2]! + pixels[a + c + 2]! + pixels[b + 2]! + pixels[b + c + 2]!;
        out[o] = (red * 77 + green * 150 + blue * 29) / 1024;
      }
    } else {
      for (let o = y * w, end = o + w; o < end; o++, a += 2 * c, b += 2 * c)
        out[o] = (pixels[a]! + pixels[a + c]! + pixels[b]! + pixels[b + c]!) / 4;
    }
  }
  return { data: out, width: w, height: h };
}

/** Otsu's global threshold: ink is darker than the returned level, paper is at or above it. */
export function otsuThreshold(raster: GreyRaster, histogram = greyHistogram(raster)): number {
  const total = raster.data.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * histogram[i]!;
  let sumBelow = 0;
  let countBelow = 0;
  let best = 0;
  let threshold = 127;
  for (let t = 0; t < 256; t++) {
    countBelow += histogram[t]!;
    if (countBelow === 0) continue;
    const countAbove = total - countBelow;
    if (countAbove === 0) break;
    sumBelow += t * histogram[t]!;
    const meanBelow = sumBelow / countBelow;
    const meanAbove = (sum - sumBelow) / countAbove;
    const between = countBelow * countAbove * (meanBelow - meanAbove) ** 2;
    if (between > best) {
      best = between;
      threshold = t;
    }
  }
  return threshold + 1;
}

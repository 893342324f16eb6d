/** Grey pixel rasters for page analysis (skew, orientation, borders, ink): plain data, no I/O. */

export interface GreyRaster {
  data: Uint8Array;
  width: number;
  height: number;
}

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
 * straight from the two source rows, twice as fast as the general row-by-row sums.
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
      for (let o = y * w, end = o + w; o < end; o++, a += 2 * c, b += 2 * c) out[o] = (pixels[a]! + pixels[a + c]! + pixels[b]! + pixels[b + c]!) / 4;
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
      for (let y = top; y < bottom; y++) for (let i = y * width + left, end = y * width + right; i < end; i++) ink += (data[i]! - threshold) >>> 31;
      solid[gy * gw + gx] = ink * 2 > (bottom - top) * (right - left) ? 1 : 0;
    }
  }
  const out = Uint8Array.from(data);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let near = 0;
      for (let y = Math.max(0, gy - 1); y <= Math.min(gh - 1, gy + 1); y++) for (let x = Math.max(0, gx - 1); x <= Math.min(gw - 1, gx + 1); x++) near |= solid[y * gw + x]!;
      if (!near) continue;
      for (let y = gy * cell; y < Math.min(height, (gy + 1) * cell); y++) out.fill(255, y * width + gx * cell, y * width + Math.min(width, (gx + 1) * cell));
    }
  }
  return { data: out, width, height };
}

/** The part of a raster inside a box (clamped to the raster). */
export function cropRaster(raster: GreyRaster, box: { left: number; top: number; width: number; height: number }): GreyRaster {
  const left = Math.max(0, Math.min(raster.width - 1, box.left));
  const top = Math.max(0, Math.min(raster.height - 1, box.top));
  const width = Math.max(1, Math.min(box.width, raster.width - left));
  const height = Math.max(1, Math.min(box.height, raster.height - top));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.set(raster.data.subarray((top + y) * raster.width + left, (top + y) * raster.width + left + width), y * width);
  return { data, width, height };
}

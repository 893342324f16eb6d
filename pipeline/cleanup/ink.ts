/**
 * Ink-level steps for the OCR copy: coloured seals and stamps removed (red and blue ink over black
 * text), uneven illumination flattened, and how much ink a page holds (blank-page detection).
 */
import type { GreyRaster } from '../raster.js';

/** A strongly red or blue pixel: seal, received-stamp or blue-ink signature, over which black text keeps no chroma. */
function isSealInk(r: number, g: number, b: number): boolean {
  // biome-ignore lint/complexity/useMathMinMax: a comparison per pixel, not a call, in the hottest loop of cleanup
  const maxGB = g > b ? g : b;
  // biome-ignore lint/complexity/useMathMinMax: as above
  const maxRG = r > g ? r : g;
  return (r > 90 && r - maxGB > 45) || (b > 80 && b - maxRG > 40);
}

/**
 * Grey copy of an RGB image in which strongly red or blue pixels (seals, received-stamps, blue-ink
 * signatures) become paper. Black text printed under a seal has no chroma and stays.
 */
export function greyWithoutSeals(rgb: Uint8Array, width: number, height: number, channels: number): GreyRaster {
  const pixels = width * height;
  const out = new Uint8Array(pixels);
  for (let i = 0, p = 0; i < pixels; i++, p += channels) {
    const r = rgb[p]!;
    const g = rgb[p + 1]!;
    const b = rgb[p + 2]!;
    // Rec. 601 luma in 16-bit fixed point: the same grey as sharp's, without float rounding per pixel.
    out[i] = isSealInk(r, g, b) ? 255 : (r * 19595 + g * 38470 + b * 7471 + 32768) >> 16;
  }
  return { data: out, width, height };
}

/**
 * Divides each pixel by the local paper brightness (a max filter over a coarse grid, then smoothed),
 * so shadows near the binding and a dim scanner lamp come out as even white paper.
 */
export function flattenIllumination(raster: GreyRaster, cell = 32): GreyRaster & { histogram: Uint32Array } {
  const { data, width, height } = raster;
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const grid = new Float32Array(gw * gh);
  const histogram = new Uint16Array(256);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      // The 90th percentile of a cell is paper unless the cell is solid ink.
      histogram.fill(0);
      let samples = 0;
      for (let y = gy * cell; y < Math.min(height, (gy + 1) * cell); y += 2) {
        for (let x = gx * cell, row = y * width; x < Math.min(width, (gx + 1) * cell); x += 2, samples++) histogram[data[row + x]!]!++;
      }
      let level = 255;
      for (let above = histogram[255]!; above < samples * 0.1; ) above += histogram[--level]!;
      grid[gy * gw + gx] = samples ? level : 255;
    }
  }
  // Neighbouring cells' maximum fills in cells covered by a heading or a photo.
  const paper = new Float32Array(gw * gh);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = gx + dx;
          const y = gy + dy;
          if (x >= 0 && y >= 0 && x < gw && y < gh) m = Math.max(m, grid[y * gw + x]!);
        }
      }
      paper[gy * gw + gx] = Math.max(m, 32);
    }
  }
  // The gain 255 / paper is interpolated instead of the paper level: a multiply per pixel, not a
  // division, and paper varies too slowly across a cell for the difference to show.
  const gain = new Float32Array(gw * gh);
  for (let i = 0; i < gain.length; i++) gain[i] = 255 / paper[i]!;
  const rowGain = new Float32Array(gw);
  const out = new Uint8Array(width * height);
  // The flattened page's histogram comes free here; binarisation needs it next.
  const levels = new Uint32Array(256);
  const half = cell / 2;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(gh - 1, Math.max(0, (y + 0.5) / cell - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(gh - 1, y0 + 1);
    const wy = fy - y0;
    for (let g = 0; g < gw; g++) rowGain[g] = gain[y0 * gw + g]! * (1 - wy) + gain[y1 * gw + g]! * wy;
    const row = y * width;
    // Between cell centres the gain changes by a constant step per pixel.
    let x = 0;
    for (let g = -1; g < gw; g++) {
      const from = g < 0 ? 0 : Math.min(width, Math.round(g * cell + half));
      const to = g + 1 >= gw ? width : Math.min(width, Math.round((g + 1) * cell + half));
      const left = rowGain[Math.max(0, g)]!;
      const right = rowGain[Math.min(gw - 1, g + 1)]!;
      const step = g < 0 || g + 1 >= gw ? 0 : (right - left) / (to - from);
      let k = g < 0 ? right : left;
      for (x = from; x < to; x++, k += step) {
        const v = data[row + x]! * k;
        const level = v >= 255 ? 255 : v | 0;
        out[row + x] = level;
        levels[level]!++;
      }
    }
  }
  return { data: out, width, height, histogram: levels };
}

/**
 * Share of an RGB page's pixels, margins excluded, that are seal or blue ink: what the OCR copy
 * no longer holds, and what makes a page with no text still a page (a seal alone, a signature).
 */
export function sealCoverage(rgb: Uint8Array, width: number, height: number, channels: number, margin = 0.05): number {
  const mx = Math.round(width * margin);
  const my = Math.round(height * margin);
  let seal = 0;
  for (let y = my; y < height - my; y++) {
    for (let x = mx, p = (y * width + mx) * channels; x < width - mx; x++, p += channels) {
      if (isSealInk(rgb[p]!, rgb[p + 1]!, rgb[p + 2]!)) seal++;
    }
  }
  const total = Math.max(0, height - 2 * my) * Math.max(0, width - 2 * mx);
  return total ? seal / total : 0;
}

/** Share of the page's pixels that are ink (darker than half the paper), margins excluded. */
export function inkCoverage(raster: GreyRaster, margin = 0.05): number {
  const { data, width, height } = raster;
  const mx = Math.round(width * margin);
  const my = Math.round(height * margin);
  let ink = 0;
  // (v − 128) >>> 31 is 1 for ink, 0 for paper: a sum, not a branch per pixel.
  for (let y = my; y < height - my; y++)
    for (let i = y * width + mx, end = y * width + width - mx; i < end; i++) ink += (data[i]! - 128) >>> 31;
  const total = Math.max(0, height - 2 * my) * Math.max(0, width - 2 * mx);
  return total ? ink / total : 0;
}

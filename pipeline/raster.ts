/** Grey pixel rasters, shared by page analysis (cleanup) and the OCR engine's second readings: plain data, no I/O. */

export interface GreyRaster {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A rectangle of a raster in pixels (as sharp's `extract` takes it). */
export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The part of a raster inside a region (clamped to the raster). */
export function cropRaster(raster: GreyRaster, box: Region): GreyRaster {
  const left = Math.max(0, Math.min(raster.width - 1, box.left));
  const top = Math.max(0, Math.min(raster.height - 1, box.top));
  const width = Math.max(1, Math.min(box.width, raster.width - left));
  const height = Math.max(1, Math.min(box.height, raster.height - top));
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(raster.data.subarray((top + y) * raster.width + left, (top + y) * raster.width + left + width), y * width);
  return { data, width, height };
}

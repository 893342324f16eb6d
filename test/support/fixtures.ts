/** Scanned-page fixtures made on the fly: no binary test files in the repository. */

import { PDFDocument } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import type { GreyRaster } from '../../pipeline/raster.js';

/** A page of "text": dark bars on paper, enough for format, colour and size checks. */
export async function pageImage(
  options: { width?: number; height?: number; dpi?: number; colour?: boolean; format?: 'png' | 'jpeg' } = {},
): Promise<Buffer> {
  const { width = 850, height = 1100, dpi = 100, colour = false, format = 'png' } = options;
  const bars = Array.from(
    { length: 12 },
    (_, i) => `<rect x="80" y="${100 + i * 70}" width="${500 + ((i * 37) % 180)}" height="22" fill="#222"/>`,
  ).join('');
  const seal = colour ? '<circle cx="650" cy="900" r="90" fill="none" stroke="#d01010" stroke-width="12"/>' : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f4f1ea"/>${bars}${seal}</svg>`;
  const image = sharp(Buffer.from(svg)).withMetadata({ density: dpi });
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 85 }).toBuffer();
}

export async function multiPageTiff(pages: Buffer[]): Promise<Buffer> {
  return sharp(pages, { join: { animated: true } })
    .tiff()
    .toBuffer();
}

/** An image-only PDF, one JPEG per page at the given resolution. */
export async function imageOnlyPdf(pages: Buffer[], dpi: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (const jpeg of pages) {
    const image = await doc.embedJpg(jpeg);
    const page = doc.addPage([(image.width / dpi) * 72, (image.height / dpi) * 72]);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  return Buffer.from(await doc.save());
}

/** A grey copy of an image, scaled so its width is at most `maxWidth` (analysis needs no more). */
export async function greyRaster(image: Buffer | Sharp, maxWidth?: number): Promise<GreyRaster> {
  let pipeline = (Buffer.isBuffer(image) ? sharp(image) : image.clone()).greyscale();
  if (maxWidth) pipeline = pipeline.resize({ width: maxWidth, withoutEnlargement: true, kernel: 'linear' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Rotates a raster by a quarter turn clockwise, `turns` times. */
export function rotateQuarter(raster: GreyRaster, turns: number): GreyRaster {
  const t = ((turns % 4) + 4) % 4;
  if (t === 0) return raster;
  const { data, width, height } = raster;
  const w = t === 2 ? width : height;
  const h = t === 2 ? height : width;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = data[y * width + x]!;
      if (t === 1) out[x * w + (height - 1 - y)] = v;
      else if (t === 2) out[(height - 1 - y) * w + (width - 1 - x)] = v;
      else out[(width - 1 - x) * w + y] = v;
    }
  }
  return { data: out, width: w, height: h };
}

/**
 * A page the ink-based orientation detector cannot judge: 300 dpi Vietnamese text, every line
 * underlined by a heavy rule just under it, scanned upside down. The rule outweighs the tone marks
 * and ascenders the detector counts on; only a reading tells which way is up.
 */
export async function underlinedPageUpsideDown(lines: string[]): Promise<Buffer> {
  const xmlText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const text = lines
    .map((line, i) => {
      const y = 300 + i * 110;
      return `<text x="250" y="${y}" font-family="DejaVu Sans" font-size="42">${xmlText(line)}</text><rect x="250" y="${y + 2}" width="1900" height="12" fill="#000"/>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="3508"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  const upright = await sharp(Buffer.from(svg)).png().toBuffer();
  return sharp(upright).rotate(180).withMetadata({ density: 300 }).png().toBuffer();
}

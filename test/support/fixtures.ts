/** Scanned-page fixtures made on the fly: no binary test files in the repository. */

import { deflateSync } from 'node:zlib';
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState } from 'pdf-lib';
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

/**
 * A multi-page 1-bit TIFF of blank `width` × `height` pages at 300 dpi, every page's directory
 * pointing at one shared deflated strip: hundreds of megapixels of pages in a few KB.
 */
export function longBilevelTiff(pages: number, width: number, height: number): Buffer {
  const strip = deflateSync(Buffer.alloc(Math.ceil(width / 8) * height));
  const dpi = 8 + strip.length; // one RATIONAL 300/1 after the strip
  const entries: [tag: number, type: 3 | 4 | 5, value: number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 1],
    [259, 3, 8], // Adobe deflate
    [262, 3, 0], // white is zero
    [273, 4, 8],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, strip.length],
    [282, 5, dpi],
    [283, 5, dpi],
    [296, 3, 2], // inch
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const first = dpi + 8;
  const out = Buffer.alloc(first + pages * ifdSize);
  out.write('II*\0', 0, 'latin1');
  out.writeUInt32LE(first, 4);
  strip.copy(out, 8);
  out.writeUInt32LE(300, dpi);
  out.writeUInt32LE(1, dpi + 4);
  for (let p = 0; p < pages; p++) {
    let at = first + p * ifdSize;
    out.writeUInt16LE(entries.length, at);
    at += 2;
    for (const [tag, type, value] of entries) {
      out.writeUInt16LE(tag, at);
      out.writeUInt16LE(type, at + 2);
      out.writeUInt32LE(1, at + 4);
      if (type === 3) out.writeUInt16LE(value, at + 8);
      else out.writeUInt32LE(value, at + 8);
      at += 12;
    }
    out.writeUInt32LE(p + 1 < pages ? at + 4 : 0, at);
  }
  return out;
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

/**
 * A one-page PDF painted with one image XObject of `width` × `height` declared pixels, its data
 * already deflated: as short as it likes (a declared bomb) or every pixel there (an inflating one).
 */
async function pdfWithImage(
  image: { width: number; height: number; colourSpace: 'DeviceGray' | 'DeviceRGB'; deflated: Buffer },
  page: [number, number],
): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const pdfPage = doc.addPage(page);
  const stream = doc.context.stream(image.deflated, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: image.width,
    Height: image.height,
    ColorSpace: image.colourSpace,
    BitsPerComponent: 8,
    Filter: 'FlateDecode',
  });
  const name = pdfPage.node.newXObject('Im', doc.context.register(stream));
  pdfPage.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(page[0], 0, 0, page[1], 0, 0),
    drawObject(name),
    popGraphicsState(),
  );
  return Buffer.from(await doc.save());
}

/** A PDF page painted with one grey image of `width` × `height` declared pixels, its data as short as it likes. */
export function pdfWithGreyImage(width: number, height: number, page: [number, number]): Promise<Buffer> {
  const deflated = deflateSync(Buffer.alloc(Math.min(width * height, 4096), 128));
  return pdfWithImage({ width, height, colourSpace: 'DeviceGray', deflated }, page);
}

/** An A4 page whose one image is `side` × `side` pixels, every one of them there, deflated to almost nothing. */
export function inflatingPdf(side: number, colourSpace: 'DeviceGray' | 'DeviceRGB'): Promise<Buffer> {
  const bytes = side * side * (colourSpace === 'DeviceRGB' ? 3 : 1);
  return pdfWithImage(
    { width: side, height: side, colourSpace, deflated: deflateSync(Buffer.alloc(bytes, 0xf0), { level: 9 }) },
    [595, 842],
  );
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

export const xmlText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * A small page of typed Vietnamese lines at 300 dpi (DejaVu Sans): read quickly and with
 * confidence, for tests where the queues and machines, not the OCR, are under test.
 */
export function textPage(lines: string[], width = 1000): Promise<Buffer> {
  const text = lines
    .map((line, i) => `<text x="60" y="${90 + i * 70}" font-family="DejaVu Sans" font-size="36">${xmlText(line)}</text>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${120 + lines.length * 70}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`;
  return sharp(Buffer.from(svg)).withMetadata({ density: 300 }).png().toBuffer();
}

/**
 * A page the ink-based orientation detector cannot judge: 300 dpi Vietnamese text, every line
 * underlined by a heavy rule just under it, scanned upside down. The rule outweighs the tone marks
 * and ascenders the detector counts on; only a reading tells which way is up.
 */
export async function underlinedPageUpsideDown(lines: string[]): Promise<Buffer> {
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

/**
 * Finding a cover sheet on a scanned page: ZXing-C++ (zxing-wasm) reads the QR code, turned,
 * skewed, 1-bit or grey. Pure: an encoded page image in, the sheet it carries (if any) out.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import sharp from 'sharp';
import { prepareZXingModule, type ReaderOptions, readBarcodes } from 'zxing-wasm/reader';
import { type CoverSheet, parseCoverSheetPayload } from './payload.js';

const require = createRequire(import.meta.url);

let prepared = false;

/** The decoder's WebAssembly comes from the installed package: its default would fetch it from a CDN. */
function prepareDecoder(): void {
  if (prepared) return;
  const wasmBinary = fs.readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({
    overrides: { wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) },
  });
  prepared = true;
}

/**
 * The page is read at most this many pixels on its long side: a sheet's QR (70 mm, 33 modules)
 * then has 6–7 pixels a module on A4, plenty for ZXing, and a 600 dpi page costs no more than a
 * 150 dpi one.
 */
const READ_LONG_SIDE = 1400;

const READER: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: true,
  tryDownscale: true,
  maxNumberOfSymbols: 4,
};

/** The cover sheet on a page, or undefined when the page carries none of Sohoa's QR codes. */
export async function findCoverSheet(image: Buffer): Promise<CoverSheet | undefined> {
  prepareDecoder();
  // No EXIF turn: ZXing finds the code at any angle, and metadata() gives the stored size, which
  // an EXIF-turned copy would swap, squashing the code.
  const page = sharp(image, { failOn: 'error' });
  const { width = 0, height = 0 } = await page.metadata();
  const scale = Math.min(1, READ_LONG_SIDE / Math.max(width, height, 1));
  const grey = await page
    .flatten({ background: '#ffffff' })
    .resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), { kernel: 'lanczos3' })
    .greyscale()
    .png({ compressionLevel: 0 })
    .toBuffer();
  const found = await readBarcodes(new Uint8Array(grey), READER);
  for (const result of found) {
    const sheet = result.isValid ? parseCoverSheetPayload(result.text) : undefined;
    if (sheet) return sheet;
  }
  return undefined;
}

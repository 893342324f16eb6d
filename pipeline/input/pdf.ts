/**
 * Image-only PDF input: the scan of each page is the largest image painted on it, decoded by
 * pdf.js (which knows every PDF image filter: DCT, Flate, CCITT, JBIG2, JPX).
 */

import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import sharp from 'sharp';
import { InputFileError } from '../errors.js';
import { ASSUMED_DPI, believedDpi, type SourcePage } from './source-page.js';

interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfJs: Promise<PdfJs> | undefined;

/**
 * pdf.js is loaded with the first PDF: with its source map it holds tens of MB of heap, which
 * every garbage collection of a worker cleaning image scans would otherwise walk.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfJs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfJs;
}

/** An A3 sheet at 600 dpi is 70 Mpx: a scan's page image is never larger than this. */
const MAX_PAGE_PIXELS = 100_000_000;

async function openPdf(file: string, bytes: Buffer): Promise<PDFDocumentProxy> {
  const { getDocument } = await loadPdfJs();
  try {
    return await getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      disableFontFace: true,
      // A page image over this is not decoded at all: a few KB of PDF may declare gigapixels.
      maxImageSize: MAX_PAGE_PIXELS,
      verbosity: 0,
    }).promise;
  } catch (err) {
    throw new InputFileError(file, `unreadable PDF: ${(err as Error).message}`);
  }
}

/** A signature dictionary always has a /ByteRange; its presence is what makes rewriting unsafe. */
function hasDigitalSignature(bytes: Buffer): boolean {
  return /\/ByteRange\s*\[/.test(bytes.toString('latin1'));
}

export async function inspectPdf(file: string, bytes: Buffer): Promise<{ pageCount: number; signed: boolean }> {
  const doc = await openPdf(file, bytes);
  try {
    return { pageCount: doc.numPages, signed: hasDigitalSignature(bytes) };
  } finally {
    await doc.destroy();
  }
}

export async function extractPdfPageImage(where: string, bytes: Buffer, index: number): Promise<SourcePage> {
  const doc = await openPdf(where, bytes);
  try {
    const page = await doc.getPage(index + 1);
    const pdfjs = await loadPdfJs();
    const image = await largestImage(where, page, pdfjs);
    const pageWidthInches = page.view[2]! / 72 - page.view[0]! / 72;
    const believed = believedDpi(image.width / pageWidthInches);
    const { dpi, dpiSource } = believed
      ? { dpi: believed.dpi, dpiSource: 'pdf' as const }
      : { dpi: ASSUMED_DPI, dpiSource: 'assumed' as const };
    const { raw, channels } = toRaw(image, pdfjs.ImageKind);
    const png = await sharp(raw, { raw: { width: image.width, height: image.height, channels } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    return { image: png, width: image.width, height: image.height, dpi, dpiSource, bilevel: channels === 1 };
  } catch (err) {
    if (err instanceof InputFileError) throw err;
    throw new InputFileError(where, `cannot decode the page image: ${(err as Error).message}`);
  } finally {
    await doc.destroy();
  }
}

async function largestImage(where: string, page: PDFPageProxy, { OPS }: PdfJs): Promise<DecodedImage> {
  const ops = await page.getOperatorList();
  let best: DecodedImage | undefined;
  for (let i = 0; i < ops.fnArray.length; i++) {
    if (ops.fnArray[i] !== OPS.paintImageXObject && ops.fnArray[i] !== OPS.paintImageXObjectRepeat) continue;
    const name = (ops.argsArray[i] as [string])[0];
    const store = name.startsWith('g_') ? page.commonObjs : page.objs;
    const img = (await new Promise((resolve) => store.get(name, resolve))) as DecodedImage | null;
    if (img?.data && (!best || img.width * img.height > best.width * best.height)) best = img;
  }
  if (!best) {
    throw new InputFileError(
      where,
      `no scanned image on this page (born-digital PDF pages are not scans; an image over ${MAX_PAGE_PIXELS / 1e6} Mpx is not decoded)`,
    );
  }
  return best;
}

/** pdf.js hands back 1-bit packed rows, RGB or RGBA; sharp wants whole-byte channels. */
function toRaw(img: DecodedImage, ImageKind: PdfJs['ImageKind']): { raw: Buffer; channels: 1 | 3 | 4 } {
  if (img.kind === ImageKind.RGB_24BPP) return { raw: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), channels: 3 };
  if (img.kind === ImageKind.RGBA_32BPP)
    return { raw: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), channels: 4 };
  const rowBytes = (img.width + 7) >> 3;
  const out = Buffer.alloc(img.width * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const bit = (img.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
      out[y * img.width + x] = bit ? 255 : 0;
    }
  }
  return { raw: out, channels: 1 };
}

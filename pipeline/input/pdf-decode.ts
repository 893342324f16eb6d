/**
 * What pdf.js does with a PDF, run in a worker thread (pdf.ts, ../threads.ts): a page that takes seconds
 * or hundreds of MB to decode stalls that thread, never the process's event loop (which renews
 * every BullMQ job lock it holds). Results are plain data; a file that is no scan is a `refused`
 * reason, not a thrown error, because only plain data crosses threads intact.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { Piscina } from 'piscina';
import sharp from 'sharp';
import { MAX_PAGE_PIXELS } from './source-page.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfJs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  pdfJs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfJs;
}

export type PdfTask = { op: 'inspect'; bytes: Uint8Array } | { op: 'extract'; bytes: Uint8Array; index: number };

export type PdfInspection = { pageCount: number };

/** The page's scan as a lossless PNG, and the page's width (for its resolution). */
export interface PdfPageImage {
  png: Uint8Array;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  pageWidthInches: number;
}

export type PdfOutcome<T> = { ok: T } | { refused: string };

interface DecodedImage {
  width: number;
  height: number;
  kind: number;
  data: Uint8Array | Uint8ClampedArray;
}

export default async function runPdfTask(task: PdfTask): Promise<PdfOutcome<PdfInspection | PdfPageImage>> {
  const { getDocument } = await loadPdfJs();
  let doc: PDFDocumentProxy;
  try {
    doc = await getDocument({
      data: task.bytes,
      isEvalSupported: false,
      isOffscreenCanvasSupported: false,
      isImageDecoderSupported: false,
      disableFontFace: true,
      // A page image over this is not decoded at all: a few KB of PDF may declare gigapixels.
      maxImageSize: MAX_PAGE_PIXELS,
      verbosity: 0,
    }).promise;
  } catch (err) {
    // An archive cannot keep what only a password opens: the station sends it unlocked.
    if ((err as Error).name === 'PasswordException') return { refused: 'the PDF is locked with a password: send it unlocked' };
    return { refused: `unreadable PDF: ${(err as Error).message}` };
  }
  try {
    if (task.op === 'inspect') return { ok: { pageCount: doc.numPages } };
    const page = await doc.getPage(task.index + 1);
    const image = await largestImage(page, await loadPdfJs());
    if (!image) {
      return {
        refused: `no scanned image on this page (born-digital PDF pages are not scans; an image over ${MAX_PAGE_PIXELS / 1e6} Mpx is not decoded)`,
      };
    }
    const { width, height } = image;
    const { raw, channels } = toRaw(image, (await loadPdfJs()).ImageKind);
    // Encoded here: hundreds of MB of pixels never cross to the main thread, a few MB of PNG do.
    const png = await sharp(raw, { raw: { width, height, channels } }).png({ compressionLevel: 1 }).toBuffer();
    return moved({ ok: { png, width, height, channels, pageWidthInches: (page.view[2]! - page.view[0]!) / 72 } }, png.buffer);
  } catch (err) {
    return { refused: `cannot decode the page image: ${(err as Error).message}` };
  } finally {
    await doc.destroy();
  }
}

/** The outcome handed to the main thread with `buffer` moved, not copied (Piscina's transferable protocol). */
function moved<T>(outcome: T, buffer: ArrayBufferLike): T {
  return Piscina.move({
    get [Piscina.transferableSymbol]() {
      return [buffer];
    },
    get [Piscina.valueSymbol]() {
      return outcome;
    },
  } as never) as T;
}

async function largestImage(page: PDFPageProxy, { OPS }: PdfJs): Promise<DecodedImage | undefined> {
  const ops = await page.getOperatorList();
  let best: DecodedImage | undefined;
  for (let i = 0; i < ops.fnArray.length; i++) {
    if (ops.fnArray[i] !== OPS.paintImageXObject && ops.fnArray[i] !== OPS.paintImageXObjectRepeat) continue;
    const name = (ops.argsArray[i] as [string])[0];
    const store = name.startsWith('g_') ? page.commonObjs : page.objs;
    const img = (await new Promise((resolve) => store.get(name, resolve))) as DecodedImage | null;
    if (img?.data && (!best || img.width * img.height > best.width * best.height)) best = img;
  }
  return best;
}

/** pdf.js hands back 1-bit packed rows, RGB or RGBA; sharp wants whole-byte channels. */
function toRaw(img: DecodedImage, ImageKind: PdfJs['ImageKind']): { raw: Uint8Array; channels: 1 | 3 | 4 } {
  const bytes = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  if (img.kind === ImageKind.RGB_24BPP) return { raw: bytes, channels: 3 };
  if (img.kind === ImageKind.RGBA_32BPP) return { raw: bytes, channels: 4 };
  const rowBytes = (img.width + 7) >> 3;
  const out = new Uint8Array(img.width * img.height);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const bit = (img.data[y * rowBytes + (x >> 3)]! >> (7 - (x & 7))) & 1;
      out[y * img.width + x] = bit ? 255 : 0;
    }
  }
  return { raw: out, channels: 1 };
}

/**
 * A page through the stages in this process: input → cleanup → OCR, the one place that order is
 * written. The workers run the same two steps as queued jobs (`cleanPage` in the cleanup queue,
 * `readPage` in the OCR queue, see workers/flow.ts); eval, the bench and the corpus tests run them
 * here. The PDF/A (pdfa/) and signing (sign/) stages take whole documents.
 */
import { type CleanedPage, cleanupInThread, type PageGeometry } from './cleanup/index.js';
import { mapLimit } from './concurrency.js';
import { extractPage, inspectInput, type SourcePage } from './input/index.js';
import type { OcrEngine, OcrPageResult } from './ocr/index.js';
import type { PdfPageInput } from './pdfa/index.js';
import { readPage } from './read-page.js';

export { type FirstCleaning, type PageReading, readPage } from './read-page.js';

export interface PageFile {
  name: string;
  bytes: Buffer;
}

export interface DigitizedPage {
  cleaned: CleanedPage;
  ocr: OcrPageResult;
}

/**
 * Cleanup of page `index` (0-based) of a file as often as asked — as its detector finds, or in the
 * geometry given — loading and extracting the page once, cleaning it in a worker thread; a bad page
 * throws InputFileError naming it.
 */
export function pageCleaner(file: string, load: () => Promise<Buffer>, index: number): (geometry?: PageGeometry) => Promise<CleanedPage> {
  let source: Promise<SourcePage> | undefined;
  return async (geometry) => {
    source ??= load().then((bytes) => extractPage(file, bytes, index));
    return cleanupInThread(`${file} page ${index + 1}`, await source, geometry);
  };
}

/** Input and cleanup of page `index` of a file. */
export function cleanPage(file: string, bytes: Buffer, index: number): Promise<CleanedPage> {
  return pageCleaner(file, async () => bytes, index)();
}

/** Input, cleanup and OCR of page `index` of a file. */
export async function digitizePage(engine: OcrEngine, file: string, bytes: Buffer, index: number): Promise<DigitizedPage> {
  const clean = pageCleaner(file, async () => bytes, index);
  const first = await clean();
  const reading = await readPage(engine, first, clean);
  return { cleaned: { ...(reading.cleaned ?? first), analysis: reading.analysis }, ocr: reading.ocr };
}

/** What the PDF/A stage takes of a digitized page: its archival image at its true resolution, and its OCR. */
function pdfPage({ cleaned, ocr }: DigitizedPage): PdfPageInput {
  return { ...cleaned.archival, dpi: cleaned.dpi, ocr };
}

/** Every page of every file, in order; at most `concurrency` pages are decoded at once (each holds a full raster). */
export async function digitizeFiles(files: PageFile[], engine: OcrEngine, concurrency = 3): Promise<PdfPageInput[][]> {
  const jobs: { file: number; index: number }[] = [];
  for (const [file, { name, bytes }] of files.entries()) {
    const { pageCount } = await inspectInput(name, bytes);
    for (let index = 0; index < pageCount; index++) jobs.push({ file, index });
  }
  const pages: PdfPageInput[][] = files.map(() => []);
  await mapLimit(jobs, concurrency, async ({ file, index }) => {
    const { name, bytes } = files[file]!;
    pages[file]![index] = pdfPage(await digitizePage(engine, name, bytes, index));
  });
  return pages;
}

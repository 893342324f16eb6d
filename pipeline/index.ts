/**
 * A page through the stages in this process: input → cleanup → OCR, the one place that order is
 * written. The workers run the same two steps as queued jobs (`cleanPage` in the cleanup queue,
 * the engine's `recognize` in the OCR queue, see workers/flow.ts); eval, the bench and the corpus
 * tests run them here. The PDF/A (pdfa/) and signing (sign/) stages take whole documents.
 */
import { type CleanedPage, cleanupPage } from './cleanup/index.js';
import { mapLimit } from './concurrency.js';
import { extractPage, inspectInput } from './input/index.js';
import type { OcrEngine, OcrPageResult } from './ocr/index.js';
import type { PdfPageInput } from './pdfa/index.js';

export interface PageFile {
  name: string;
  bytes: Buffer;
}

export interface DigitizedPage {
  cleaned: CleanedPage;
  ocr: OcrPageResult;
}

/** Input and cleanup of page `index` (0-based) of a file; a bad page throws InputFileError naming it. */
export async function cleanPage(file: string, bytes: Buffer, index: number): Promise<CleanedPage> {
  return cleanupPage(`${file} page ${index + 1}`, await extractPage(file, bytes, index));
}

/** Input, cleanup and OCR of page `index` of a file. */
export async function digitizePage(engine: OcrEngine, file: string, bytes: Buffer, index: number): Promise<DigitizedPage> {
  const cleaned = await cleanPage(file, bytes, index);
  return { cleaned, ocr: await engine.recognize(cleaned.ocr.image) };
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

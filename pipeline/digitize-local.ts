/**
 * The pure stages run in this process, for the corpus tests and the size benchmark: every page of
 * every file extracted, cleaned and read, ready for the PDF/A writer. The workers run the same
 * stages as queued jobs, one page per job.
 */
import { extractPage, inspectInput } from './input.js';
import { cleanupPage } from './cleanup.js';
import { mapLimit } from './concurrency.js';
import type { OcrEngine } from './ocr.js';
import type { PdfPageInput } from './pdfa.js';

export interface LocalFile {
  name: string;
  bytes: Buffer;
}

/** Pages of each file, in order; at most `concurrency` pages are decoded at once (each holds a full raster). */
export async function digitizeLocally(files: LocalFile[], engine: OcrEngine, concurrency = 3): Promise<PdfPageInput[][]> {
  const jobs: { file: number; index: number }[] = [];
  for (const [file, { name, bytes }] of files.entries()) {
    const { pageCount } = await inspectInput(name, bytes);
    for (let index = 0; index < pageCount; index++) jobs.push({ file, index });
  }
  const pages: PdfPageInput[][] = files.map(() => []);
  await mapLimit(jobs, concurrency, async ({ file, index }) => {
    const { name, bytes } = files[file]!;
    const cleaned = await cleanupPage(`${name} page ${index + 1}`, await extractPage(name, bytes, index));
    const ocr = await engine.recognize(cleaned.ocr.image);
    pages[file]![index] = { ...cleaned.archival, dpi: cleaned.dpi, ocr };
  });
  return pages;
}

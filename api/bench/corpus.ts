/** Corpus helpers shared by eval and bench: pages with ground truth, and one page through cleanup + OCR. */
import fs from 'node:fs';
import path from 'node:path';
import { extractPage } from '../../pipeline/input.js';
import { cleanupPage, type CleanedPage } from '../../pipeline/cleanup.js';
import type { OcrEngine, OcrPageResult } from '../../pipeline/ocr.js';

const IMAGE = /\.(png|jpe?g|tiff?)$/i;

export interface CorpusPage {
  name: string;
  image: string;
  truth: string;
}

/** Every image of `dir` that has a NAME.gt.txt beside it. */
export function groundTruthPages(dir: string): CorpusPage[] {
  return fs
    .readdirSync(dir)
    .filter((f) => IMAGE.test(f))
    .map((f) => ({ name: f.replace(IMAGE, ''), image: path.join(dir, f), truth: path.join(dir, f.replace(IMAGE, '.gt.txt')) }))
    .filter((p) => fs.existsSync(p.truth))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface OcrOutcome {
  cleaned: CleanedPage;
  ocr: OcrPageResult;
  cleanupMs: number;
  ocrMs: number;
}

/** The first page of a file through input and cleanup, as the cleanup worker runs them. */
export async function cleanForOcr(file: string): Promise<{ cleaned: CleanedPage; cleanupMs: number }> {
  const t0 = performance.now();
  const source = await extractPage(path.basename(file), fs.readFileSync(file), 0);
  const cleaned = await cleanupPage(path.basename(file), source);
  return { cleaned, cleanupMs: performance.now() - t0 };
}

/** The first page of a file through the same stages the workers run. */
export async function digitizeForOcr(engine: OcrEngine, file: string): Promise<OcrOutcome> {
  const { cleaned, cleanupMs } = await cleanForOcr(file);
  const t1 = performance.now();
  const ocr = await engine.recognize(cleaned.ocr.image);
  return { cleaned, ocr, cleanupMs, ocrMs: performance.now() - t1 };
}

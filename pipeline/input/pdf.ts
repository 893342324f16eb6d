/**
 * Image-only PDF input: the scan of each page is the largest image painted on it, decoded by
 * pdf.js (which knows every PDF image filter: DCT, Flate, CCITT, JBIG2, JPX) in a worker thread.
 */
import os from 'node:os';
import type { Piscina } from 'piscina';
import { InputFileError } from '../errors.js';
import { asBuffer, moduleThreads } from '../threads.js';
import type { PdfInspection, PdfOutcome, PdfPageImage, PdfTask } from './pdf-decode.js';
import { ASSUMED_DPI, believedDpi, type SourcePage } from './source-page.js';

/**
 * Threads are started with the first PDF and stopped when idle. A thread's heap is capped: a PDF
 * built to exhaust memory ends that thread, which is replaced, and fails its own page.
 */
let threads: Piscina | undefined;

function pdfThreads(): Piscina {
  threads ??= moduleThreads(new URL('./pdf-decode.ts', import.meta.url), {
    minThreads: 0,
    maxThreads: Math.min(2, os.availableParallelism()),
    idleTimeout: 30_000,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  return threads;
}

async function runTask<T extends PdfInspection | PdfPageImage>(where: string, task: PdfTask): Promise<T> {
  let outcome: PdfOutcome<T>;
  try {
    outcome = await pdfThreads().run(task);
  } catch (err) {
    throw new InputFileError(where, `the PDF could not be decoded: ${(err as Error).message}`);
  }
  if ('refused' in outcome) throw new InputFileError(where, outcome.refused);
  return outcome.ok;
}

/** A signature dictionary always has a /ByteRange; its presence is what makes rewriting unsafe. */
function hasDigitalSignature(bytes: Buffer): boolean {
  return /\/ByteRange\s*\[/.test(bytes.toString('latin1'));
}

export async function inspectPdf(file: string, bytes: Buffer): Promise<{ pageCount: number; signed: boolean }> {
  const { pageCount } = await runTask<PdfInspection>(file, { op: 'inspect', bytes });
  return { pageCount, signed: hasDigitalSignature(bytes) };
}

export async function extractPdfPageImage(where: string, bytes: Buffer, index: number): Promise<SourcePage> {
  const image = await runTask<PdfPageImage>(where, { op: 'extract', bytes, index });
  const believed = believedDpi(image.width / image.pageWidthInches);
  const { dpi, dpiSource } = believed
    ? { dpi: believed.dpi, dpiSource: 'pdf' as const }
    : { dpi: ASSUMED_DPI, dpiSource: 'assumed' as const };
  const { png, width, height, channels } = image;
  return { image: asBuffer(png), width, height, dpi, dpiSource, bilevel: channels === 1 };
}

/**
 * A document read as the package job reads it, for the Decree 30 tests and `npm run eval`: its
 * first page and its last three (where the signature is looked for) through cleanup and OCR, the
 * pages between left out (the reader does not look at them).
 */
import path from 'node:path';
import { digitizePage } from '../../pipeline/index.js';
import { inspectInput } from '../../pipeline/input/index.js';
import { type Decree30Reading, readDecree30, SIGNER_PAGES } from '../../pipeline/metadata/decree30/index.js';
import type { OcrEngine, OcrPageResult } from '../../pipeline/ocr/index.js';

export async function readDocument(
  engine: OcrEngine,
  name: string,
  bytes: Buffer,
): Promise<{ reading: Decree30Reading; first?: OcrPageResult }> {
  const { pageCount } = await inspectInput(path.basename(name), bytes);
  const wanted = new Set([0, ...Array.from({ length: SIGNER_PAGES }, (_, i) => pageCount - 1 - i).filter((i) => i >= 0)]);
  const pages: (OcrPageResult | undefined)[] = Array.from({ length: pageCount }, () => undefined);
  await Promise.all([...wanted].map(async (i) => (pages[i] = (await digitizePage(engine, path.basename(name), bytes, i)).ocr)));
  return { reading: readDecree30(pages), first: pages[0] };
}

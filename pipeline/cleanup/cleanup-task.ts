/**
 * One page's cleanup in a worker thread (threads.ts), and what crosses the thread boundary. A
 * structured clone keeps no error class, so a bad page comes back as its reason, to be thrown again
 * as the InputFileError it was; anything else (memory running out, a thread lost) rejects the task.
 */
import { InputFileError } from '../errors.js';
import type { SourcePage } from '../input/index.js';
import { asBuffer } from '../threads.js';
import { type CleanedPage, cleanupPage, type PageGeometry } from './cleanup-page.js';

export interface CleanupTask {
  where: string;
  page: SourcePage;
  geometry?: PageGeometry;
}

export type CleanupOutcome = { ok: CleanedPage } | { refused: string };

export default async function cleanupTask({ where, page, geometry }: CleanupTask): Promise<CleanupOutcome> {
  try {
    return { ok: await cleanupPage(where, { ...page, image: asBuffer(page.image) }, undefined, geometry) };
  } catch (err) {
    if (err instanceof InputFileError) return { refused: err.reason };
    throw err;
  }
}

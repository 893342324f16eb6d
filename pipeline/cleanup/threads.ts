/**
 * Cleanup off the main thread. Its image analysis is JavaScript: on the main thread a page held
 * the event loop for about half a second (the API's requests and the queues' lock renewals waited)
 * and two pages could not be cleaned at once, so the OCR workers stood idle while a batch's first
 * pages were cleaned (issue 16).
 */
import os from 'node:os';
import type { Piscina } from 'piscina';
import { InputFileError } from '../errors.js';
import type { SourcePage } from '../input/index.js';
import { asBuffer, moduleThreads } from '../threads.js';
import type { CleanedPage, PageGeometry } from './cleanup-page.js';
import type { CleanupOutcome, CleanupTask } from './cleanup-task.js';

/**
 * A thread per two cores: cleanup is about a fifth of a page's time, OCR the rest, and each thread
 * holds its own heap (about 50 MB) and its page's rasters. On two cores, `sohoa start` on the four
 * real-vn pages (glibc's default arenas): one thread 6.4 s and 989 MiB at most, two 6.7 s and
 * 1,085 MiB, none (the main thread) 7.3 s and 972 MiB. The first starts with the first page and
 * stays; others start when pages wait and stop when idle, as starting one (tsx, sharp, the modules)
 * takes a few hundred ms.
 */
let threads: Piscina | undefined;

function cleanupThreads(): Piscina {
  threads ??= moduleThreads(new URL('./cleanup-task.ts', import.meta.url), {
    minThreads: 1,
    maxThreads: Math.max(1, Math.floor(os.availableParallelism() / 2)),
    idleTimeout: 300_000,
  });
  return threads;
}

/** Starts the first thread now, so that the first page does not wait for it. */
export function startCleanupThreads(): void {
  cleanupThreads();
}

/** `cleanupPage` with the default options, in a worker thread; a bad page throws InputFileError naming it. */
export async function cleanupInThread(where: string, page: SourcePage, geometry?: PageGeometry): Promise<CleanedPage> {
  const task: CleanupTask = { where, page, ...(geometry ? { geometry } : {}) };
  const outcome: CleanupOutcome = await cleanupThreads().run(task);
  if ('refused' in outcome) throw new InputFileError(where, outcome.refused);
  const { archival, ocr } = outcome.ok;
  return { ...outcome.ok, archival: { ...archival, image: asBuffer(archival.image) }, ocr: { ...ocr, image: asBuffer(ocr.image) } };
}

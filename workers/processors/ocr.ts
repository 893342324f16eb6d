/**
 * The OCR queue: a page's OCR image in, its text and word boxes (ocr.json) out. A page whose
 * reading is in doubt is cleaned again from its original in other geometries and read again
 * (pipeline/read-page.ts); when another is kept, its archival image replaces cleanup's. ocr.png is
 * never rewritten, so a retried job reads the same first image and decides the same.
 */
import { type Job, UnrecoverableError } from 'bullmq';
import { pageCleaner, readPage } from '../../pipeline/index.js';
import type { OcrEngine } from '../../pipeline/ocr/index.js';
import { pageKeys, putJson } from '../../storage/objects/index.js';
import type { PipelineContext } from '../context.js';
import type { CleanupJobResult, OcrJobData, OcrJobResult } from '../jobs.js';
import { ocrSeconds } from '../metrics.js';
import { withinTimeLimit } from '../time-limit.js';
import { storeArchival } from './archival.js';
import { failFastOnBadInput, originalSubject } from './bad-input.js';

export function ocrProcessor(ctx: PipelineContext, engine: OcrEngine) {
  return (job: Job<OcrJobData>): Promise<OcrJobResult> =>
    failFastOnBadInput(async () => {
      const cleanup = Object.values(await job.getChildrenValues<CleanupJobResult>())[0];
      if (!cleanup) {
        // The cleanup child failed for good; carry its reason up to the package job.
        const reason = Object.values(await job.getIgnoredChildrenFailures())[0] ?? 'cleanup did not complete';
        throw new UnrecoverableError(reason);
      }
      const { source } = job.data;
      const keys = pageKeys(job.data.dossierCode, job.data.documentNumber, job.data.page);
      const image = await ctx.store.get(cleanup.ocrImage.key);
      const stopTimer = ocrSeconds.startTimer();
      // The original is fetched only for a doubtful page, and once however many geometries it is read in.
      const reclean = pageCleaner(originalSubject(source), () => ctx.store.get(source.key), source.index);
      // A page over its limit fails with that reason, which a retry would only repeat. Its reading
      // is not cancelled: the engine's pool is shared with the other pages in progress.
      const limitMs = ctx.options.pageTimeoutMs;
      const reading = await withinTimeLimit(
        readPage(engine, { analysis: cleanup.analysis, ocr: { image } }, reclean),
        limitMs,
        () => new UnrecoverableError(`OCR took longer than ${limitMs / 1000} s (SOHOA_PAGE_TIMEOUT_SECONDS)`),
      );
      stopTimer();
      const archival = reading.cleaned ? await storeArchival(ctx, keys, reading.cleaned) : cleanup.archival;
      const ocrResult = await putJson(ctx.store, keys.ocrResult, reading.ocr);
      return { ...cleanup, archival, analysis: reading.analysis, ocrResult, confidence: reading.ocr.confidence };
    });
}

/** The OCR queue: a page's OCR image in, its text and word boxes (ocr.json) out. */
import { type Job, UnrecoverableError } from 'bullmq';
import type { OcrEngine } from '../../pipeline/ocr/index.js';
import { pageKeys, putJson } from '../../storage/objects/index.js';
import type { PipelineContext } from '../context.js';
import type { CleanupJobResult, OcrJobData, OcrJobResult } from '../jobs.js';
import { ocrSeconds } from '../metrics.js';

export function ocrProcessor(ctx: PipelineContext, engine: OcrEngine) {
  return async (job: Job<OcrJobData>): Promise<OcrJobResult> => {
    const cleanup = Object.values(await job.getChildrenValues<CleanupJobResult>())[0];
    if (!cleanup) {
      // The cleanup child failed for good; carry its reason up to the package job.
      const reason = Object.values(await job.getIgnoredChildrenFailures())[0] ?? 'cleanup did not complete';
      throw new UnrecoverableError(reason);
    }
    const image = await ctx.store.get(cleanup.ocrImage.key);
    const stopTimer = ocrSeconds.startTimer();
    const result = await engine.recognize(image);
    stopTimer();
    const keys = pageKeys(job.data.dossierCode, job.data.documentNumber, job.data.page);
    const ocrResult = await putJson(ctx.store, keys.ocrResult, result);
    return { ...cleanup, ocrResult, confidence: result.confidence };
  };
}

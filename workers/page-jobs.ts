/** Per-page jobs: wire the cleanup and OCR stages to their queues. */
import { UnrecoverableError, type Job } from 'bullmq';
import { extractPage } from '../pipeline/input.js';
import { cleanupPage } from '../pipeline/cleanup.js';
import type { OcrEngine } from '../pipeline/ocr.js';
import { InputFileError } from '../pipeline/errors.js';
import { pageKeys } from '../storage/layout.js';
import type { CleanupJobData, CleanupJobResult, OcrJobData, OcrJobResult } from './jobs.js';
import type { PipelineContext } from './context.js';
import { putJson, putObject } from './store-io.js';

/** Bad input will not get better on a retry: fail the page at once, with its reason. */
export async function failFastOnBadInput<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof InputFileError) throw new UnrecoverableError(err.message);
    throw err;
  }
}

export function cleanupProcessor(ctx: PipelineContext) {
  return (job: Job<CleanupJobData>): Promise<CleanupJobResult> =>
    failFastOnBadInput(async () => {
      const { dossierCode, documentNumber, page, source } = job.data;
      const bytes = await ctx.store.get(source.key);
      const extracted = await extractPage(source.fileName, bytes, source.index);
      const cleaned = await cleanupPage(`${source.fileName} page ${source.index + 1}`, extracted);
      const keys = pageKeys(dossierCode, documentNumber, page);
      const { archival } = cleaned;
      const ext = archival.format === 'jpeg' ? 'jpg' : 'png';
      const [archivalObject, ocrImage] = await Promise.all([
        putObject(ctx.store, keys.archival(ext), archival.image, `image/${archival.format}`),
        putObject(ctx.store, keys.ocrImage, cleaned.ocr.image, 'image/png'),
      ]);
      return {
        archival: { ...archivalObject, width: archival.width, height: archival.height, format: archival.format },
        ocrImage,
        dpi: cleaned.dpi,
        colour: cleaned.colour,
        analysis: cleaned.analysis,
      };
    });
}

export function ocrProcessor(ctx: PipelineContext, engine: OcrEngine) {
  return async (job: Job<OcrJobData>): Promise<OcrJobResult> => {
    const cleanup = Object.values(await job.getChildrenValues<CleanupJobResult>())[0];
    if (!cleanup) {
      // The cleanup child failed for good; carry its reason up to the package job.
      const reason = Object.values(await job.getIgnoredChildrenFailures())[0] ?? 'cleanup did not complete';
      throw new UnrecoverableError(reason);
    }
    const image = await ctx.store.get(cleanup.ocrImage.key);
    const result = await engine.recognize(image);
    const keys = pageKeys(job.data.dossierCode, job.data.documentNumber, job.data.page);
    const ocrResult = await putJson(ctx.store, keys.ocrResult, result);
    return { ...cleanup, ocrResult, confidence: result.confidence };
  };
}

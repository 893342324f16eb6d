/** The cleanup queue: a page's original in, its archival and OCR images out (pipeline/index.ts `cleanPage`). */
import type { Job } from 'bullmq';
import { cleanPage } from '../../pipeline/index.js';
import { pageKeys, putObject } from '../../storage/objects/index.js';
import type { PipelineContext } from '../context.js';
import type { CleanupJobData, CleanupJobResult } from '../jobs.js';
import { storeArchival } from './archival.js';
import { failFastOnBadInput, originalSubject } from './bad-input.js';

export function cleanupProcessor(ctx: PipelineContext) {
  return (job: Job<CleanupJobData>): Promise<CleanupJobResult> =>
    failFastOnBadInput(async () => {
      const { dossierCode, documentNumber, page, source } = job.data;
      const cleaned = await cleanPage(originalSubject(source), await ctx.store.get(source.key), source.index);
      const keys = pageKeys(dossierCode, documentNumber, page);
      const [archival, ocrImage] = await Promise.all([
        storeArchival(ctx, keys, cleaned),
        putObject(ctx.store, keys.ocrImage, cleaned.ocr.image, 'image/png'),
      ]);
      return { archival, ocrImage, dpi: cleaned.dpi, colour: cleaned.colour, analysis: cleaned.analysis };
    });
}

/** Where a cleaned page's archival image is kept: written by cleanup, replaced by OCR when another geometry reads better. */
import type { CleanedPage } from '../../pipeline/cleanup/index.js';
import { type PageKeys, putObject } from '../../storage/objects/index.js';
import type { PipelineContext } from '../context.js';
import type { CleanupJobResult } from '../jobs.js';

/** A cleaned page's archival image, at its page's fixed key. */
export async function storeArchival(ctx: PipelineContext, keys: PageKeys, cleaned: CleanedPage): Promise<CleanupJobResult['archival']> {
  const { archival } = cleaned;
  const ext = archival.format === 'jpeg' ? 'jpg' : 'png';
  const stored = await putObject(ctx.store, keys.archival(ext), archival.image, `image/${archival.format}`);
  return { ...stored, width: archival.width, height: archival.height, format: archival.format };
}

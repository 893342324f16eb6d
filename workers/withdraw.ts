/**
 * Withdrawing a document sent under the wrong dossier code or kind: it leaves the dossier's PDF/A
 * and, once the index job has run, the catalog (search and coverage), and stays in the manifest
 * with who withdrew it, when and why. Its objects are kept: nothing is deleted from the record.
 */
import { ConflictError, NotFoundError, UsageError } from '../pipeline/errors.js';
import { readManifest, type Withdrawal } from '../storage/objects/index.js';
import { dossierLockKey, type PipelineContext } from './context.js';
import { type InstallationJob, jobId, QUEUE } from './flow.js';
import type { IndexJobData } from './jobs.js';
import { DOSSIER_LOCK, withLock } from './lock.js';
import { JOB_OPTIONS } from './policy.js';
import { repackaging, writeDossier } from './processors/package.js';

export async function withdrawDocument(
  ctx: PipelineContext,
  dossierCode: string,
  documentNumber: number,
  by: { user: string; reason: string },
): Promise<Withdrawal> {
  const reason = by.reason.trim();
  if (!reason) throw new UsageError('say why the document is withdrawn (a wrong dossier code, the wrong kind…)');
  const withdrawal: Withdrawal = { by: by.user, at: new Date().toISOString(), reason };
  await withLock(ctx.client, dossierLockKey(ctx, dossierCode), DOSSIER_LOCK, async (lease) => {
    const manifest = await readManifest(ctx.store, dossierCode);
    const document = manifest?.documents.find((d) => d.number === documentNumber);
    if (!manifest || !document) throw new NotFoundError(`document ${documentNumber} of dossier ${dossierCode} is not in the object store`);
    if (document.withdrawn) throw new ConflictError(`${document.fileCode} was withdrawn already, by ${document.withdrawn.by}`);
    const documents = manifest.documents.map((d) => (d === document ? { ...d, withdrawn: withdrawal } : d));
    await writeDossier(ctx, lease, repackaging(ctx, manifest), manifest, documents, manifest.objects);
  });
  await queueReindex(ctx, dossierCode, `${jobId(QUEUE.index, dossierCode, documentNumber)}.withdrawn`);
  ctx.log.info({ dossier: dossierCode, document: documentNumber }, 'document withdrawn');
  return withdrawal;
}

/**
 * Queues the dossier's catalog indexing after a change made outside a flow (a withdrawal, a
 * metadata correction), under its own job id: the document's flow has an index job of its own,
 * which may still be in Redis.
 */
export async function queueReindex(ctx: PipelineContext, dossierCode: string, id: string): Promise<void> {
  const data: IndexJobData & InstallationJob = { dossierCode, installation: ctx.installation };
  await ctx.queue(QUEUE.index).add(QUEUE.index, data, { ...JOB_OPTIONS, jobId: id });
}

/**
 * Withdrawing a document sent under the wrong dossier code or kind: it leaves the dossier's PDF/A
 * and, once the index job has run, the catalog (search and coverage), and stays in the manifest
 * with who withdrew it, when and why. Its objects are kept: nothing is deleted from the record.
 */
import { ConflictError, NotFoundError, UsageError } from '../pipeline/errors.js';
import { readManifest, type Withdrawal } from '../storage/objects/index.js';
import { dossierLockKey, type PipelineContext } from './context.js';
import { DOSSIER_LOCK, withLock } from './lock.js';
import { queueReindex } from './processors/indexing.js';
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
  await queueReindex(ctx, dossierCode, documentNumber, 'withdrawn');
  ctx.log.info({ dossier: dossierCode, document: documentNumber }, 'document withdrawn');
  return withdrawal;
}

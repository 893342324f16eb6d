/**
 * `redo`: the failed pages of a document through the stages again — a worker that crashed past its
 * retries, an object store that was away. The done pages are kept as they are; the package job
 * carries them over from the manifest and rebuilds the document's and the dossier's PDF/A.
 */
import { ConflictError, NotFoundError } from '../pipeline/errors.js';
import { readManifest } from '../storage/objects/index.js';
import type { PipelineContext } from './context.js';
import { jobId, QUEUE } from './flow.js';
import type { PackageJobData, PageRef, SubmissionRecord } from './jobs.js';
import { addDocumentFlow, defaultTitle, type Submission } from './submit.js';

/** A package job in one of these states is still working on the document. */
const IN_FLIGHT = new Set(['active', 'waiting', 'waiting-children', 'delayed', 'prioritized']);

export async function redoDocument(ctx: PipelineContext, dossierCode: string, documentNumber: number, by: string): Promise<Submission> {
  const manifest = await readManifest(ctx.store, dossierCode);
  const document = manifest?.documents.find((d) => d.number === documentNumber);
  if (!manifest || !document) throw new NotFoundError(`document ${documentNumber} of dossier ${dossierCode} is not in the object store`);
  if (document.withdrawn) throw new ConflictError(`${document.fileCode} was withdrawn: submit its pages again under the right dossier`);
  const pkg = await ctx.queue(QUEUE.package).getJob(jobId(QUEUE.package, dossierCode, documentNumber));
  if (pkg && IN_FLIGHT.has(await pkg.getState())) throw new ConflictError(`${document.fileCode} is still being processed`);
  const pages: PageRef[] = document.pages.map((p) => ({
    dossierCode,
    documentNumber,
    page: p.number,
    source: { key: p.source.key, index: p.source.index },
  }));
  const failed = new Set(document.pages.filter((p) => p.status === 'failed').map((p) => p.number));
  if (failed.size === 0) throw new ConflictError(`${document.fileCode} has no failed page to redo`);

  const objects = new Map(manifest.objects.map((o) => [o.key, o]));
  const record: SubmissionRecord = {
    title: defaultTitle(dossierCode, document.kind, document.fileCode),
    ...(document.component ? { component: document.component } : {}),
    originals: document.originals.map((o) => ({
      ...o,
      size: objects.get(o.key)?.size ?? 0,
      mediaType: objects.get(o.key)?.mediaType ?? 'application/octet-stream',
    })),
    rejected: [],
    ...(document.coverSheet ? { coverSheet: document.coverSheet } : {}),
  };
  const data: PackageJobData = {
    dossierCode,
    agencyCode: manifest.agencyCode,
    procedureCode: manifest.procedureCode,
    documentNumber,
    kind: document.kind,
    submissionHash: document.submissionHash,
    submittedAt: document.submittedAt,
    submittedBy: document.submittedBy,
    pages,
    rejectedPages: [],
    redo: { by, at: new Date().toISOString() },
    pdfaPart: ctx.options.pdfaPart,
    sign: document.pdfKey ? objects.get(document.pdfKey)?.signature !== undefined : false,
    // Pages of a document already packaged as it was asked: its dossier keeps what it had.
    resign: true,
  };
  const queued = pages.filter((p) => failed.has(p.page));
  await addDocumentFlow(ctx, data, record, queued);
  ctx.log.info({ dossier: dossierCode, document: documentNumber, pages: queued.length }, 'failed pages queued again');
  return {
    dossierCode,
    documentNumber,
    fileCode: document.fileCode,
    kind: document.kind,
    pages: queued,
    rejected: [],
    alreadyDigitized: false,
  };
}

/**
 * Submitting a document: originals into the object store byte-for-byte, then one BullMQ flow
 * (flow.ts) that takes its pages through the stages.
 */
import { InputFileError, UsageError } from '../pipeline/errors.js';
import { type InputInspection, inspectInput } from '../pipeline/input/index.js';
import type { PdfaPart } from '../pipeline/pdfa/index.js';
import {
  assertAgencyCode,
  assertProcedureCode,
  type DocumentKind,
  documentFileCode,
  documentOfKey,
  dossierPrefix,
  originalKey,
  parseDossierCode,
  putObject,
  readManifest,
  sha256,
} from '../storage/objects/index.js';
import { dossierLockKey, type PipelineContext, submissionsKey } from './context.js';
import { documentFlow, jobId, QUEUE } from './flow.js';
import type { PackageJobData, PageRef, RejectedInput } from './jobs.js';
import { withLock } from './lock.js';

export interface SubmittedFile {
  name: string;
  bytes: Buffer;
}

export interface SubmitRequest {
  dossierCode: string;
  agencyCode?: string;
  procedureCode?: string;
  kind: DocumentKind;
  title?: string;
  submittedBy: string;
  files: SubmittedFile[];
  /** Overrides SOHOA_PDFA for this document. */
  pdfaPart?: PdfaPart;
  /** Sign the PDF/A with the agency certificate (SOHOA_SIGN_P12). */
  sign?: boolean;
}

export interface Submission {
  dossierCode: string;
  documentNumber: number;
  fileCode: string;
  pages: PageRef[];
  rejected: RejectedInput[];
  /** The same files were digitized before: nothing was queued. */
  alreadyDigitized: boolean;
}

export async function submitDocument(ctx: PipelineContext, request: SubmitRequest): Promise<Submission> {
  const { code: dossierCode, agencyCode: receivingAgency } = parseDossierCode(request.dossierCode);
  const agencyCode = request.agencyCode ? assertAgencyCode(request.agencyCode) : receivingAgency;
  const procedureCode = request.procedureCode ? assertProcedureCode(request.procedureCode) : undefined;
  if (request.files.length === 0) throw new UsageError('no files to digitize');
  if (request.sign && !ctx.options.sign)
    throw new UsageError('signing was asked for, but no agency certificate is configured (SOHOA_SIGN_P12)');

  const fileHashes = request.files.map((f) => sha256(f.bytes));
  const submissionHash = sha256(`${request.kind}\n${fileHashes.join('\n')}`);
  const manifest = await readManifest(ctx.store, dossierCode);
  const known = manifest?.documents.find((d) => d.submissionHash === submissionHash);
  if (known) {
    return { dossierCode, documentNumber: known.number, fileCode: known.fileCode, pages: [], rejected: [], alreadyDigitized: true };
  }
  const documentNumber = await allocateDocumentNumber(ctx, dossierCode, submissionHash, manifest?.documents.map((d) => d.number) ?? []);

  const pages: PageRef[] = [];
  const rejected: RejectedInput[] = [];
  const originals: PackageJobData['originals'] = [];
  for (const [i, file] of request.files.entries()) {
    const key = originalKey(dossierCode, documentNumber, i, file.name);
    let inspection: InputInspection | undefined;
    try {
      inspection = await inspectInput(file.name, file.bytes);
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      inspection = undefined;
      rejected.push({ page: pages.length + rejected.length + 1, fileName: file.name, key, reason: err.message });
      pages.push({ dossierCode, documentNumber, page: pages.length + 1, source: { key, fileName: file.name, index: 0 } });
    }
    const stored = await putObject(ctx.store, key, file.bytes, inspection?.mediaType ?? 'application/octet-stream');
    originals.push({
      key,
      fileName: file.name,
      sha256: stored.sha256,
      size: stored.size,
      mediaType: stored.mediaType,
      pageCount: inspection?.pageCount ?? 0,
      signed: inspection?.signed ?? false,
    });
    for (let index = 0; index < (inspection?.pageCount ?? 0); index++) {
      pages.push({ dossierCode, documentNumber, page: pages.length + 1, source: { key, fileName: file.name, index } });
    }
  }

  const fileCode = documentFileCode(dossierCode, documentNumber);
  const packageData: PackageJobData = {
    dossierCode,
    agencyCode,
    procedureCode,
    documentNumber,
    kind: request.kind,
    title: request.title ?? `Hồ sơ ${dossierCode} — ${request.kind === 'result' ? 'kết quả' : 'thành phần'} ${fileCode}`,
    submissionHash,
    submittedAt: new Date().toISOString(),
    submittedBy: request.submittedBy,
    originals,
    pages,
    rejected,
    pdfaPart: request.pdfaPart ?? ctx.options.pdfaPart,
    sign: request.sign ?? false,
  };
  await addDocumentFlow(ctx, packageData);
  ctx.log.info({ dossier: dossierCode, document: documentNumber, pages: pages.length, rejected: rejected.length }, 'document submitted');
  return { dossierCode, documentNumber, fileCode, pages, rejected, alreadyDigitized: false };
}

/**
 * The next document number is one past every number in use: those the object store holds (the
 * truth, even after Redis lost its data) and those reserved by submissions still in the queues.
 * The same submission keeps its number; the package job releases the reservation.
 */
async function allocateDocumentNumber(
  ctx: PipelineContext,
  dossierCode: string,
  submissionHash: string,
  manifestNumbers: number[],
): Promise<number> {
  return withLock(ctx.client, dossierLockKey(ctx, dossierCode), 120_000, async () => {
    const stored = await storedDocumentNumbers(ctx, dossierCode);
    const live = await liveReservations(ctx, dossierCode, stored);
    const reserved = live.get(submissionHash);
    if (reserved !== undefined) return reserved;
    const used = new Set([...manifestNumbers, ...live.values(), ...stored]);
    const next = Math.max(0, ...used) + 1;
    await ctx.client.hset(submissionsKey(ctx, dossierCode), submissionHash, `${next}@${Date.now()}`);
    return next;
  });
}

async function addDocumentFlow(ctx: PipelineContext, data: PackageJobData): Promise<void> {
  await removeFinishedFlow(ctx, data.dossierCode, data.documentNumber);
  const rejectedPages = new Set(data.rejected.map((r) => r.page));
  const pages = data.pages.filter((p) => !rejectedPages.has(p.page));
  await ctx.flowProducer().add(documentFlow(data, pages, ctx.options.queuePrefix));
}

/** A reservation is `<number>@<epoch ms>`: a submission uploading its originals has no flow yet. */
const UPLOAD_GRACE_MS = 3600_000;

/** Numbers of the documents the object store holds any object of. */
async function storedDocumentNumbers(ctx: PipelineContext, dossierCode: string): Promise<Set<number>> {
  const numbers = new Set<number>();
  for await (const { key } of ctx.store.list(`${dossierPrefix(dossierCode)}documents/`)) {
    const number = documentOfKey(key);
    if (number !== undefined) numbers.add(number);
  }
  return numbers;
}

/**
 * Reservations whose flow is queued or running, still being uploaded, or failed with objects of
 * its document in the store (`stored`): submitted again, those files take their number back
 * instead of leaving the first copy behind under it. The others outlived their flow — it
 * completed, or Redis kept them while the object store was wiped — and are dropped.
 */
async function liveReservations(ctx: PipelineContext, dossierCode: string, stored: Set<number>): Promise<Map<string, number>> {
  const key = submissionsKey(ctx, dossierCode);
  const live = new Map<string, number>();
  for (const [hash, value] of Object.entries(await ctx.client.hgetall(key))) {
    const [number, since] = value.split('@').map(Number) as [number, number | undefined];
    const job = await ctx.queue(QUEUE.package).getJob(jobId(QUEUE.package, dossierCode, number));
    const state = job ? await job.getState() : Date.now() - (since ?? 0) < UPLOAD_GRACE_MS ? 'uploading' : 'gone';
    const over = state === 'completed' || state === 'gone' || (state === 'failed' && !stored.has(number));
    if (over) await ctx.client.hdel(key, hash);
    else live.set(hash, number);
  }
  return live;
}

/**
 * A flow still in Redis for a document the manifest does not hold is over and done with once its
 * package job ended: it failed (a store outage, say), or it completed into a store that has since
 * been wiped. Its job ids would make BullMQ ignore the new flow, so the whole flow goes.
 */
async function removeFinishedFlow(ctx: PipelineContext, dossierCode: string, documentNumber: number): Promise<void> {
  const pkg = await ctx.queue(QUEUE.package).getJob(jobId(QUEUE.package, dossierCode, documentNumber));
  const state = pkg && (await pkg.getState());
  if (state !== 'completed' && state !== 'failed') return;
  const root = await ctx.queue(QUEUE.index).getJob(jobId(QUEUE.index, dossierCode, documentNumber));
  await (root ?? pkg!).remove({ removeChildren: true });
}

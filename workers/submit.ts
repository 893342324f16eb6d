/**
 * Submitting a document: originals into the object store byte-for-byte, then one BullMQ flow
 * (flow.ts) that takes its pages through the stages. A batch of several documents (batch.ts) and
 * a redo (redo.ts) queue theirs through the same `queueDocument` and `addDocumentFlow`.
 */
import { AccessDeniedError, ConflictError, InputFileError, UsageError } from '../pipeline/errors.js';
import { type InputInspection, inspectInput } from '../pipeline/input/index.js';
import type { ArchivalMetadata } from '../pipeline/metadata/index.js';
import type { PdfaPart } from '../pipeline/pdfa/index.js';
import {
  assertAgencyCode,
  assertComponentCode,
  assertProcedureCode,
  type DocumentKind,
  type DossierManifest,
  documentFileCode,
  documentOfKey,
  dossierPrefix,
  getJson,
  type ManifestDocument,
  originalKey,
  parseDossierCode,
  putFile,
  putJson,
  putObject,
  readManifest,
  type SourceRef,
  sha256,
  submissionRecordKey,
} from '../storage/objects/index.js';
import { documentNumberLockKey, type PipelineContext, reservation, submissionsKey } from './context.js';
import { documentFlow, jobId, QUEUE } from './flow.js';
import type { PackageJobData, PageRef, RejectedInput, SubmissionRecord } from './jobs.js';
import { type LockTiming, withLock } from './lock.js';
import type { SubmittedFile } from './submitted-file.js';

/** Where a document goes and how it is packaged: what a single upload and a cover sheet both say. */
export interface DocumentTarget {
  dossierCode: string;
  agencyCode?: string;
  procedureCode?: string;
  kind: DocumentKind;
  /** Which of the procedure's components a component document is (its code in the procedure's list). */
  component?: string;
  title?: string;
  /** Circular 05/2025 fields the station gave, checked (pipeline/metadata parseArchivalMetadata). */
  metadata?: ArchivalMetadata;
  /** Overrides SOHOA_PDFA for this document. */
  pdfaPart?: PdfaPart;
  /** Sign the PDF/A with the agency certificate (SOHOA_SIGN_P12). */
  sign?: boolean;
  /** The submitter is one an admin allows to have files signed (the CLI's operator always is). */
  maySign?: boolean;
}

export interface SubmitRequest extends DocumentTarget {
  submittedBy: string;
  files: SubmittedFile[];
  /** A retried upload with the same key never makes a second document, whatever its bytes. */
  idempotencyKey?: string;
}

export interface Submission {
  dossierCode: string;
  documentNumber: number;
  fileCode: string;
  kind: DocumentKind;
  pages: PageRef[];
  rejected: RejectedInput[];
  /** The same files (or the same idempotency key) were submitted before: nothing was queued. */
  alreadyDigitized: boolean;
}

/** An original in the store, with what inspecting it found: its pages, or why it is no scanned page. */
export interface StoredOriginal extends Omit<SubmissionRecord['originals'][number], 'pages'> {
  error?: string;
}

/** One document to queue: where it goes, how it is known again, and which pages of which originals it holds. */
export interface DocumentPlan {
  target: ResolvedTarget;
  submittedBy: string;
  submissionHash: string;
  /** Stores (or names) the originals once the document has its number. */
  originals(documentNumber: number): Promise<{ original: StoredOriginal; pages?: number[] }[]>;
  coverSheet?: SourceRef;
}

export type ResolvedTarget = DocumentTarget & { agencyCode: string };

/** Checks a target's codes and options; the agency defaults to the one that received the dossier. */
export function resolveTarget(ctx: PipelineContext, target: DocumentTarget): ResolvedTarget {
  const { code: dossierCode, agencyCode: receivingAgency } = parseDossierCode(target.dossierCode);
  if (target.sign && !target.maySign)
    throw new AccessDeniedError('signing was asked for, but an admin has not allowed this submitter to have files signed');
  if (target.sign && !ctx.options.sign)
    throw new UsageError('signing was asked for, but no agency certificate is configured (SOHOA_SIGN_P12)');
  if (target.title !== undefined) assertTitle(target.title);
  if (target.component !== undefined) {
    assertComponentCode(target.component);
    if (target.kind !== 'component') throw new UsageError('a component code is given for component documents, not results');
  }
  return {
    ...target,
    dossierCode,
    agencyCode: target.agencyCode ? assertAgencyCode(target.agencyCode) : receivingAgency,
    procedureCode: target.procedureCode ? assertProcedureCode(target.procedureCode) : undefined,
  };
}

/** The title a document gets when its submission gave none (a redo gets it again). */
export function defaultTitle(dossierCode: string, kind: DocumentKind, fileCode: string): string {
  return `Hồ sơ ${dossierCode} — ${kind === 'result' ? 'kết quả' : 'thành phần'} ${fileCode}`;
}

/** Longest title a document may carry (the PDF/A's dc:title, the catalog). */
const MAX_TITLE = 300;

/** A title goes into the PDF/A's XMP, where a control character breaks the file's validity. */
function assertTitle(title: string): void {
  if (title.length > MAX_TITLE) throw new UsageError(`a title may hold at most ${MAX_TITLE} characters (this one has ${title.length})`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(title)) throw new UsageError('a title may not hold control characters (tabs, line breaks…)');
}

/** The submission hash of an idempotency key: the key is the submission, whatever bytes come with it. */
export function idempotencyHash(key: string): string {
  return sha256(`idempotency-key\n${key}`);
}

export async function submitDocument(ctx: PipelineContext, request: SubmitRequest): Promise<Submission> {
  const target = resolveTarget(ctx, request);
  if (request.files.length === 0) throw new UsageError('no files to digitize');
  const fileHashes = request.files.map((f) => f.sha256);
  const submissionHash = request.idempotencyKey
    ? idempotencyHash(request.idempotencyKey)
    : sha256(`${request.kind}\n${fileHashes.join('\n')}`);
  return queueDocument(ctx, {
    target,
    submittedBy: request.submittedBy,
    submissionHash,
    originals: async (number) =>
      (
        await storeOriginals(
          ctx,
          request.files,
          (i, name) => originalKey(target.dossierCode, number, i, name),
          await inspectFiles(request.files, ctx.options.maxPages),
        )
      ).map((original) => ({
        original,
      })),
  });
}

/** What each file is (its format and pages), or why it is no scanned page. */
export type FileInspection = InputInspection | InputFileError;

/**
 * Inspects the files one at a time (each is read whole to count its pages). A file whose pages
 * would take the submission over `maxPages` is refused like a file that is no scan: it is named,
 * and the files before it go on.
 */
export async function inspectFiles(files: SubmittedFile[], maxPages: number): Promise<FileInspection[]> {
  const inspections: FileInspection[] = [];
  let pages = 0;
  for (const file of files) {
    const inspection = await inspectInput(file.name, await file.read()).catch((err: unknown) => {
      if (err instanceof InputFileError) return err;
      throw err;
    });
    if (!(inspection instanceof InputFileError) && pages + inspection.pageCount > maxPages) {
      const over = `${inspection.pageCount} pages would take the submission over ${maxPages} pages (SOHOA_MAX_PAGES)`;
      inspections.push(new InputFileError(file.name, `${over}: send them as several documents`));
    } else {
      pages += inspection instanceof InputFileError ? 0 : inspection.pageCount;
      inspections.push(inspection);
    }
  }
  return inspections;
}

/** Stores each file byte-for-byte under `keyOf`, with its inspection: a file that is no scanned page is stored all the same, with why. */
export async function storeOriginals(
  ctx: PipelineContext,
  files: SubmittedFile[],
  keyOf: (index: number, fileName: string) => string,
  inspections: FileInspection[],
): Promise<StoredOriginal[]> {
  const stored: StoredOriginal[] = [];
  for (const [i, file] of files.entries()) {
    const key = keyOf(i, file.name);
    const inspection = inspections[i]!;
    const ok = !(inspection instanceof InputFileError);
    const mediaType = ok ? inspection.mediaType : 'application/octet-stream';
    const object =
      file.path === undefined
        ? await putObject(ctx.store, key, await file.read(), mediaType)
        : await putFile(ctx.store, key, { ...file, path: file.path }, mediaType);
    stored.push({
      key,
      fileName: file.name,
      sha256: object.sha256,
      size: object.size,
      mediaType: object.mediaType,
      pageCount: ok ? inspection.pageCount : 0,
      signed: ok ? inspection.signed : false,
      ...(ok ? {} : { error: inspection.message }),
    });
  }
  return stored;
}

/**
 * Queues one document: known again by its submission hash (nothing is queued twice), numbered,
 * its originals stored, one page per page of its originals (a cover sheet left out, a file that
 * is no scanned page a failed page naming it), then its flow.
 */
export async function queueDocument(ctx: PipelineContext, plan: DocumentPlan): Promise<Submission> {
  const { target, submissionHash } = plan;
  const { dossierCode, kind } = target;
  const manifest = await readManifest(ctx.store, dossierCode);
  const known = manifest?.documents.find((d) => d.submissionHash === submissionHash && !d.withdrawn);
  if (known) {
    const fileCode = known.fileCode;
    assertPackagedAsAsked(known, target, manifest!);
    return { dossierCode, documentNumber: known.number, fileCode, kind: known.kind, pages: [], rejected: [], alreadyDigitized: true };
  }
  const documentNumber = await allocateDocumentNumber(ctx, dossierCode, submissionHash, manifest?.documents.map((d) => d.number) ?? []);

  const pages: PageRef[] = [];
  const rejected: RejectedInput[] = [];
  const originals: SubmissionRecord['originals'] = [];
  for (const { original, pages: taken } of await plan.originals(documentNumber)) {
    const { error, ...kept } = original;
    originals.push(taken ? { ...kept, pages: taken } : kept);
    const source = (index: number) => ({ key: original.key, index });
    if (error !== undefined) {
      rejected.push({ page: pages.length + 1, fileName: original.fileName, key: original.key, reason: error });
      pages.push({ dossierCode, documentNumber, page: pages.length + 1, source: source(0) });
      continue;
    }
    const isSheet = (index: number) => plan.coverSheet?.key === original.key && plan.coverSheet.index === index;
    for (const index of taken ?? Array.from({ length: original.pageCount }, (_, i) => i)) {
      if (!isSheet(index)) pages.push({ dossierCode, documentNumber, page: pages.length + 1, source: source(index) });
    }
  }

  const fileCode = documentFileCode(dossierCode, documentNumber);
  const record: SubmissionRecord = {
    title: target.title ?? defaultTitle(dossierCode, kind, fileCode),
    ...(target.component ? { component: target.component } : {}),
    ...(target.metadata ? { metadata: target.metadata } : {}),
    originals,
    rejected,
    ...(plan.coverSheet ? { coverSheet: plan.coverSheet } : {}),
  };
  const packageData: PackageJobData = {
    dossierCode,
    agencyCode: target.agencyCode,
    procedureCode: target.procedureCode,
    documentNumber,
    kind,
    submissionHash,
    submittedAt: new Date().toISOString(),
    submittedBy: plan.submittedBy,
    pages,
    rejectedPages: rejected.map((r) => r.page),
    pdfaPart: target.pdfaPart ?? ctx.options.pdfaPart,
    sign: target.sign ?? false,
    resign: target.maySign ?? false,
  };
  await addDocumentFlow(ctx, packageData, record);
  ctx.log.info({ dossier: dossierCode, document: documentNumber, pages: pages.length, rejected: rejected.length }, 'document submitted');
  return { dossierCode, documentNumber, fileCode, kind, pages, rejected, alreadyDigitized: false };
}

/**
 * Files digitized before are not digitized again: when they were packaged otherwise than this
 * request asks (PDF/A-1b asked of a 2b file, a signature asked of an unsigned one), saying
 * "already digitized" would hand back a file that is not what was asked for.
 */
function assertPackagedAsAsked(known: ManifestDocument, target: ResolvedTarget, manifest: DossierManifest): void {
  if (target.pdfaPart && known.pdfaPart && target.pdfaPart !== known.pdfaPart) {
    throw new ConflictError(
      `these files were digitized as ${known.fileCode} in PDF/A-${known.pdfaPart}, not ${target.pdfaPart}: ask for ${known.pdfaPart}, or withdraw it and send them again`,
    );
  }
  const signed = manifest.objects.some((o) => o.key === known.pdfKey && o.signature);
  if (target.sign && !signed) {
    throw new ConflictError(
      `these files were digitized as ${known.fileCode} without the agency's signature: withdraw it and send them again to have it signed`,
    );
  }
}

/**
 * The next document number is one past every number in use: those the object store holds (the
 * truth, even after Redis lost its data) and those reserved by submissions still in the queues.
 * The same submission keeps its number; the package job releases the reservation.
 */
/** Choosing a number is a listing and a few Redis calls: a station waits seconds at most. */
const NUMBER_LOCK: LockTiming = { leaseMs: 10_000, waitMs: 30_000 };

async function allocateDocumentNumber(
  ctx: PipelineContext,
  dossierCode: string,
  submissionHash: string,
  manifestNumbers: number[],
): Promise<number> {
  return withLock(ctx.client, documentNumberLockKey(ctx, dossierCode), NUMBER_LOCK, async () => {
    const stored = await storedDocumentNumbers(ctx, dossierCode);
    const live = await liveReservations(ctx, dossierCode, stored);
    const reserved = live.get(submissionHash);
    if (reserved !== undefined) return reserved;
    const used = new Set([...manifestNumbers, ...live.values(), ...stored]);
    const next = Math.max(0, ...used) + 1;
    await ctx.client.hset(submissionsKey(ctx, dossierCode), submissionHash, reservation.format(next, Date.now()));
    return next;
  });
}

/** A document's submission record, with its files' names by object key and its refused pages' reasons by page. */
export async function readSubmissionRecord(
  ctx: PipelineContext,
  dossierCode: string,
  documentNumber: number,
): Promise<SubmissionRecord & { names: Map<string, string>; refusals: Map<number, string> }> {
  const record = await getJson<SubmissionRecord>(ctx.store, submissionRecordKey(dossierCode, documentNumber));
  return {
    ...record,
    names: new Map(record.originals.map((o) => [o.key, o.fileName])),
    refusals: new Map(record.rejected.map((r) => [r.page, r.reason])),
  };
}

/**
 * Stores the submission record, then queues the document's flow over `pages` (by default every
 * page not rejected at submission).
 */
export async function addDocumentFlow(
  ctx: PipelineContext,
  data: PackageJobData,
  record: SubmissionRecord,
  pages?: PageRef[],
): Promise<void> {
  await putJson(ctx.store, submissionRecordKey(data.dossierCode, data.documentNumber), record);
  await removeFinishedFlow(ctx, data.dossierCode, data.documentNumber);
  const rejectedPages = new Set(data.rejectedPages);
  const queued = pages ?? data.pages.filter((p) => !rejectedPages.has(p.page));
  await ctx.flowProducer().add(documentFlow(data, queued, { prefix: ctx.options.queuePrefix, installation: ctx.installation }));
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
    const { number, since } = reservation.parse(value);
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

/**
 * Submitting a document: originals into the object store byte-for-byte, then one BullMQ flow —
 * index ← package ← OCR per page ← cleanup per page.
 */
import type { FlowJob } from 'bullmq';
import type { PdfaPart } from '../pipeline/pdfa.js';
import { inspectInput } from '../pipeline/input.js';
import { assertAgencyCode, assertProcedureCode, documentFileCode, parseDossierCode } from '../pipeline/codes.js';
import { InputFileError, UsageError } from '../pipeline/errors.js';
import { sha256, type DocumentKind } from '../storage/manifest.js';
import { originalKey } from '../storage/layout.js';
import { dossierPrefix } from '../storage/manifest.js';
import { jobId, QUEUE, type PackageJobData, type PageRef, type RejectedInput } from './jobs.js';
import { dossierLockKey, submissionsKey, type PipelineContext } from './context.js';
import { withLock } from './lock.js';
import { readManifest } from './package-job.js';
import { JOB_OPTIONS } from './policy.js';
import { putObject } from './store-io.js';

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
  if (request.sign && !ctx.config.sign) throw new UsageError('signing was asked for, but no agency certificate is configured (SOHOA_SIGN_P12)');

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
    let inspection;
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
    pdfaPart: request.pdfaPart ?? ctx.config.pdfaPart,
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
  const reservations = submissionsKey(ctx, dossierCode);
  return withLock(ctx.client, dossierLockKey(ctx, dossierCode), 120_000, async () => {
    const reserved = await ctx.client.hget(reservations, submissionHash);
    if (reserved) return Number(reserved);
    const used = new Set([...manifestNumbers, ...(await ctx.client.hvals(reservations)).map(Number)]);
    for await (const { key } of ctx.store.list(`${dossierPrefix(dossierCode)}documents/`)) {
      const m = /documents\/(\d+)\//.exec(key);
      if (m) used.add(Number(m[1]));
    }
    const next = Math.max(0, ...used) + 1;
    await ctx.client.hset(reservations, submissionHash, String(next));
    return next;
  });
}

function pageJob(ctx: PipelineContext, ref: PageRef): FlowJob {
  const common = { prefix: ctx.config.queuePrefix };
  return {
    name: 'ocr',
    queueName: QUEUE.ocr,
    data: ref,
    ...common,
    opts: { ...JOB_OPTIONS, jobId: jobId(QUEUE.ocr, ref.dossierCode, ref.documentNumber, ref.page), ignoreDependencyOnFailure: true },
    children: [
      {
        name: 'cleanup',
        queueName: QUEUE.cleanup,
        data: ref,
        ...common,
        opts: { ...JOB_OPTIONS, jobId: jobId(QUEUE.cleanup, ref.dossierCode, ref.documentNumber, ref.page), ignoreDependencyOnFailure: true },
      },
    ],
  };
}

async function addDocumentFlow(ctx: PipelineContext, data: PackageJobData): Promise<void> {
  const { dossierCode, documentNumber } = data;
  const indexId = jobId(QUEUE.index, dossierCode, documentNumber);
  await removeFailedFlow(ctx, indexId);
  const rejectedPages = new Set(data.rejected.map((r) => r.page));
  await ctx.flowProducer().add({
      name: 'index',
      queueName: QUEUE.index,
      data: { dossierCode },
      prefix: ctx.config.queuePrefix,
      opts: { ...JOB_OPTIONS, jobId: indexId },
      children: [
        {
          name: 'package',
          queueName: QUEUE.package,
          data,
          prefix: ctx.config.queuePrefix,
          opts: { ...JOB_OPTIONS, jobId: jobId(QUEUE.package, dossierCode, documentNumber), failParentOnFailure: true },
          children: data.pages.filter((p) => !rejectedPages.has(p.page)).map((p) => pageJob(ctx, p)),
        },
      ],
    });
}

/** A document whose flow failed earlier (a store outage, say) is submitted again from scratch. */
async function removeFailedFlow(ctx: PipelineContext, indexId: string): Promise<void> {
  const job = await ctx.queue(QUEUE.index).getJob(indexId);
  if (job && (await job.getState()) === 'failed') await job.remove({ removeChildren: true });
}


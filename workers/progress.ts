/** Following a submitted document through the queues until its PDF/A is stored. */

import { ServiceUnavailableError } from '../pipeline/errors.js';
import { belowMinimumDpi, documentFileCode, type ManifestDocument, type ManifestPage, readManifest } from '../storage/objects/index.js';
import type { PipelineContext } from './context.js';
import { jobId, QUEUE } from './flow.js';
import { type CleanupJobResult, type PackageJobData, type PackageJobResult, type PageFailure, packageResult } from './jobs.js';
import { readSubmissionRecord, type Submission } from './submit.js';

export interface Progress {
  pagesFinished: number;
  pagesTotal: number;
  stage: 'pages' | 'package' | 'index' | 'done';
}

const FINISHED = new Set(['completed', 'failed']);

export interface WaitOptions {
  /** Also wait for the catalog indexer (only when one runs somewhere). */
  waitForIndex: boolean;
  onProgress?: (p: Progress) => void;
  pollMs?: number;
  /** How long a job the queues do not know (Redis lost it) is waited for before giving up; 60 s. */
  forgottenAfterMs?: number;
}

export async function waitForDocument(ctx: PipelineContext, submission: Submission, options: WaitOptions): Promise<PackageJobResult> {
  const [ocr, pkg, index] = [ctx.queue(QUEUE.ocr), ctx.queue(QUEUE.package), ctx.queue(QUEUE.index)];
  const { dossierCode, documentNumber } = submission;
  const rejected = new Set(submission.rejected.map((r) => r.page));
  const pageIds = submission.pages.filter((p) => !rejected.has(p.page)).map((p) => jobId(QUEUE.ocr, dossierCode, documentNumber, p.page));
  const total = submission.pages.length;
  const sleep = () => new Promise((r) => setTimeout(r, options.pollMs ?? 300));
  let last = '';
  const report = (p: Progress) => {
    const key = JSON.stringify(p);
    if (key !== last) options.onProgress?.(p);
    last = key;
  };
  const forgotten = forgottenWatch(submission, options.forgottenAfterMs ?? 60_000);
  let result: PackageJobResult | undefined;
  for (;;) {
    const pkgJob = await pkg.getJob(jobId(QUEUE.package, dossierCode, documentNumber));
    const state = pkgJob ? await pkgJob.getState() : 'unknown';
    // A job fetched just before it completed carries no return value yet: the next poll has it.
    result = state === 'completed' ? (pkgJob!.returnvalue as PackageJobResult | undefined) : undefined;
    // Its job gone from Redis, the document may still be in the manifest: that is the truth.
    if (state === 'unknown') result = await resultFromManifest(ctx, submission);
    if (result) break;
    forgotten(state);
    if (state === 'failed') throw new Error(`packaging ${submission.fileCode} failed: ${pkgJob?.failedReason}`);
    const states = await Promise.all(pageIds.map(async (id) => (await ocr.getJob(id))?.getState()));
    const finished = rejected.size + states.filter((s) => s === undefined || FINISHED.has(s)).length;
    report({ pagesFinished: finished, pagesTotal: total, stage: finished === total ? 'package' : 'pages' });
    await sleep();
  }
  if (options.waitForIndex) {
    report({ pagesFinished: total, pagesTotal: total, stage: 'index' });
    for (;;) {
      const job = await index.getJob(jobId(QUEUE.index, dossierCode, documentNumber));
      const state = job ? await job.getState() : 'unknown';
      if (state === 'completed') break;
      forgotten(state);
      if (state === 'failed') throw new Error(`indexing ${submission.fileCode} failed: ${job?.failedReason}`);
      await sleep();
    }
  }
  report({ pagesFinished: total, pagesTotal: total, stage: 'done' });
  return result;
}

/** Throws once a job has been unknown to the queues for `afterMs` in a row, rather than wait for ever. */
function forgottenWatch(submission: Submission, afterMs: number): (state: string) => void {
  let since: number | undefined;
  return (state) => {
    if (state !== 'unknown') {
      since = undefined;
      return;
    }
    since ??= Date.now();
    if (Date.now() - since >= afterMs) {
      throw new ServiceUnavailableError(
        `the queues no longer know ${submission.fileCode} (Redis restarted without its data?): send its files again; what was stored is kept`,
      );
    }
  };
}

async function resultFromManifest(ctx: PipelineContext, submission: Submission): Promise<PackageJobResult | undefined> {
  const manifest = await readManifest(ctx.store, submission.dossierCode);
  const document = manifest?.documents.find((d) => d.number === submission.documentNumber);
  return manifest && document ? packageResult(manifest, document) : undefined;
}

export interface DocumentState {
  state: string;
  result?: PackageJobResult;
}

/** Where a document's package job stands, for the progress endpoint. */
export async function documentState(ctx: PipelineContext, dossierCode: string, documentNumber: number): Promise<DocumentState> {
  const job = await ctx.queue(QUEUE.package).getJob(jobId(QUEUE.package, dossierCode, documentNumber));
  if (!job) return { state: 'unknown' };
  const state = await job.getState();
  return { state, result: state === 'completed' ? (job.returnvalue as PackageJobResult) : undefined };
}

/** Where one page of a document stands, as a station watches it. */
export type PageState = 'queued' | 'cleanup' | 'ocr' | 'read' | 'packaged' | 'failed';

export interface PageProgress {
  /** 1-based page number within the document. */
  page: number;
  file: string;
  /** 1-based page within its file. */
  filePage: number;
  state: PageState;
  /** Why it failed (names the file). */
  reason?: string;
  /** Cleanup found almost no ink: a separator sheet or an empty back, kept with the originals, not in the PDF/A. */
  blank?: boolean;
  /** Effective resolution, once cleanup has measured it. */
  dpi?: number;
  /** Under the regulation's 200 dpi: the station should rescan the page. */
  lowResolution?: boolean;
}

export interface DocumentProgress {
  fileCode: string;
  state: 'processing' | 'completed' | 'failed';
  pages: PageProgress[];
}

/**
 * Each page's state, read from the document's jobs while they are in Redis, else from the
 * manifest (jobs are removed a day after they end). Undefined when neither knows the document.
 */
export async function documentProgress(
  ctx: PipelineContext,
  dossierCode: string,
  documentNumber: number,
): Promise<DocumentProgress | undefined> {
  const pkg = await ctx.queue(QUEUE.package).getJob(jobId(QUEUE.package, dossierCode, documentNumber));
  const pkgState = await pkg?.getState();
  // Packaged: the manifest says what became of each page (its page jobs may be gone already).
  if (!pkg || pkgState === 'completed') return manifestProgress(ctx, dossierCode, documentNumber);
  const data = pkg.data as PackageJobData;
  const { names, refusals } = await readSubmissionRecord(ctx, dossierCode, documentNumber);
  const pages = await Promise.all(
    data.pages.map(async (ref): Promise<PageProgress> => {
      const base = { page: ref.page, file: names.get(ref.source.key) ?? '', filePage: ref.source.index + 1 };
      const reason = refusals.get(ref.page);
      if (reason !== undefined) return { ...base, state: 'failed', reason };
      const [cleanup, ocr] = await Promise.all([
        ctx.queue(QUEUE.cleanup).getJob(jobId(QUEUE.cleanup, dossierCode, documentNumber, ref.page)),
        ctx.queue(QUEUE.ocr).getJob(jobId(QUEUE.ocr, dossierCode, documentNumber, ref.page)),
      ]);
      const [cleanupState, ocrState] = await Promise.all([cleanup?.getState(), ocr?.getState()]);
      const cleaned = cleanup?.returnvalue as CleanupJobResult | undefined;
      const flags = cleaned ? pageFlags({ status: 'done', ...cleaned.analysis }) : {};
      if (ocrState === 'failed' || cleanupState === 'failed') {
        return { ...base, state: 'failed', reason: ocr?.failedReason || cleanup?.failedReason || 'failed' };
      }
      if (ocrState === 'completed' || (data.redo && !cleanup && !ocr)) return { ...base, ...flags, state: 'read' };
      if (cleanupState === 'completed') return { ...base, ...flags, state: 'ocr' };
      return { ...base, state: cleanupState === 'active' ? 'cleanup' : 'queued' };
    }),
  );
  const state = pkgState === 'failed' ? 'failed' : 'processing';
  return { fileCode: documentFileCode(dossierCode, documentNumber), state, pages };
}

/** A document's failed pages as its manifest records them: file, page in the file, reason. */
export function failuresOf(document: ManifestDocument): PageFailure[] {
  return document.pages
    .filter((p) => p.status === 'failed')
    .map((p) => ({ file: p.source.fileName, page: p.source.index + 1, reason: p.error ?? '' }));
}

/** The failed pages of a document in the store's manifest (none when it is not there). */
export async function documentFailures(ctx: PipelineContext, dossierCode: string, documentNumber: number): Promise<PageFailure[]> {
  const document = (await readManifest(ctx.store, dossierCode))?.documents.find((d) => d.number === documentNumber);
  return document ? failuresOf(document) : [];
}

/** What the station is shown of a page beside its state: blank, its resolution, under 200 dpi. */
function pageFlags(
  page: Pick<ManifestPage, 'status' | 'blank' | 'resolution' | 'dpi'>,
): Pick<PageProgress, 'blank' | 'dpi' | 'lowResolution'> {
  const dpi = page.resolution?.dpi ?? page.dpi;
  return {
    ...(page.blank ? { blank: true } : {}),
    ...(dpi !== undefined ? { dpi: Math.round(dpi) } : {}),
    ...(belowMinimumDpi(page) ? { lowResolution: true } : {}),
  };
}

async function manifestProgress(ctx: PipelineContext, dossierCode: string, documentNumber: number): Promise<DocumentProgress | undefined> {
  const document = (await readManifest(ctx.store, dossierCode))?.documents.find((d) => d.number === documentNumber);
  if (!document) return undefined;
  const pages = document.pages.map(
    (p): PageProgress => ({
      page: p.number,
      file: p.source.fileName,
      filePage: p.source.index + 1,
      state: p.status === 'done' ? 'packaged' : 'failed',
      ...(p.error ? { reason: p.error } : {}),
      ...pageFlags(p),
    }),
  );
  return { fileCode: document.fileCode, state: 'completed', pages };
}

/** Following a submitted document through the queues until its PDF/A is stored. */
import type { PipelineContext } from './context.js';
import { jobId, QUEUE } from './flow.js';
import type { PackageJobResult } from './jobs.js';
import type { Submission } from './submit.js';

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
  let result: PackageJobResult | undefined;
  for (;;) {
    const pkgJob = await pkg.getJob(jobId(QUEUE.package, dossierCode, documentNumber));
    const state = pkgJob ? await pkgJob.getState() : 'unknown';
    // A job fetched just before it completed carries no return value yet: the next poll has it.
    result = state === 'completed' ? (pkgJob!.returnvalue as PackageJobResult | undefined) : undefined;
    if (result) break;
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
      if (state === 'failed') throw new Error(`indexing ${submission.fileCode} failed: ${job?.failedReason}`);
      await sleep();
    }
  }
  report({ pagesFinished: total, pagesTotal: total, stage: 'done' });
  return result;
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

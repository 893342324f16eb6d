/** Starting and stopping the queue workers of one process: one processor per queue (processors/). */
import { DelayedError, type Processor, Worker } from 'bullmq';
import { startCleanupThreads } from '../pipeline/cleanup/index.js';
import { createTesseractEngine, type OcrEngine } from '../pipeline/ocr/index.js';
import type { PipelineContext } from './context.js';
import { type InstallationJob, QUEUE, type QueueName } from './flow.js';
import { workerOptions } from './policy.js';
import { cleanupProcessor } from './processors/cleanup.js';
import { indexProcessor } from './processors/indexing.js';
import { ocrProcessor } from './processors/ocr.js';
import { packageProcessor } from './processors/package.js';

export interface WorkerGroup {
  close(): Promise<void>;
}

/** How long a job of another installation is set aside before a worker looks at it again. */
const FOREIGN_JOB_DELAY_MS = 10_000;

/**
 * A job whose store is not this worker's (two installations given one SOHOA_QUEUE_PREFIX) is not
 * worked on here, where its objects are not: it goes back to the queue, for its own workers.
 */
function ownJobsOnly<D, R>(ctx: PipelineContext, queue: QueueName, processor: Processor<D, R>): Processor<D, R> {
  return async (job, token) => {
    const { installation } = job.data as Partial<InstallationJob>;
    // A job queued by a version before installations had ids carries none: it is taken as before.
    if (installation === undefined || installation === ctx.installation) return processor(job, token);
    ctx.log.warn({ queue, job: job.id }, 'a job of another installation (its store is not ours): left for its own workers');
    await job.moveToDelayed(Date.now() + FOREIGN_JOB_DELAY_MS, token);
    throw new DelayedError();
  };
}

function startWorker<D, R>(ctx: PipelineContext, queue: QueueName, processor: Processor<D, R>, concurrency: number): Worker<D, R> {
  const worker = new Worker<D, R>(queue, ownJobsOnly(ctx, queue, processor), {
    connection: ctx.redis.connection,
    prefix: ctx.options.queuePrefix,
    concurrency,
    ...workerOptions(ctx.options.jobLockMs),
  });
  worker.on('failed', (job, err) => {
    ctx.log.warn({ queue, job: job?.id, attempt: job?.attemptsMade, code: (err as { code?: string }).code }, 'job failed');
  });
  worker.on('error', (err) => ctx.log.error({ queue, err: err.message }, 'worker error'));
  return worker;
}

/** Cleanup, OCR and packaging: needs only Redis and the object store. */
export function startPipelineWorkers(ctx: PipelineContext, engine?: OcrEngine): WorkerGroup {
  const { concurrency, ocrModel } = ctx.options;
  const ocr = engine ?? createTesseractEngine({ workers: concurrency, model: ocrModel });
  // Models and threads load while the first pages arrive, not after their cleanup: a second or
  // more of `sohoa digitize`'s run.
  if (!engine) ocr.start().catch((err: Error) => ctx.log.error({ err: err.message }, 'the OCR models did not load'));
  startCleanupThreads();
  const workers = [
    startWorker(ctx, QUEUE.cleanup, cleanupProcessor(ctx), concurrency),
    startWorker(ctx, QUEUE.ocr, ocrProcessor(ctx, ocr), concurrency),
    startWorker(ctx, QUEUE.package, packageProcessor(ctx), 1),
  ];
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      if (!engine) await ocr.close();
    },
  };
}

/** The catalog indexer: the only writer of the catalog, run where the catalog is open. */
export function startIndexWorker(ctx: PipelineContext, index: (dossierCode: string) => Promise<void>): WorkerGroup {
  const worker = startWorker(ctx, QUEUE.index, indexProcessor(index), 1);
  return { close: () => worker.close() };
}

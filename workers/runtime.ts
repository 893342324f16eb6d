/** Starting and stopping the queue workers of one process: one processor per queue (processors/). */
import { type Processor, Worker } from 'bullmq';
import { createTesseractEngine, type OcrEngine } from '../pipeline/ocr/index.js';
import type { PipelineContext } from './context.js';
import { QUEUE, type QueueName } from './flow.js';
import { workerOptions } from './policy.js';
import { cleanupProcessor } from './processors/cleanup.js';
import { indexProcessor } from './processors/indexing.js';
import { ocrProcessor } from './processors/ocr.js';
import { packageProcessor } from './processors/package.js';

export interface WorkerGroup {
  close(): Promise<void>;
}

function startWorker<D, R>(ctx: PipelineContext, queue: QueueName, processor: Processor<D, R>, concurrency: number): Worker<D, R> {
  const worker = new Worker<D, R>(queue, processor, {
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

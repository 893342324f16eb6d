/**
 * The workers floor: BullMQ queues wired to the pipeline's stages. flow.ts shows the stage order,
 * the job ids and what each stage reads from and writes to the object store; processors/ holds one
 * processor per queue; policy.ts the retries. Workers keep no state of their own (Redis and the
 * object store only), so any number can run on any machine.
 */

export { type BatchRequest, type BatchSubmission, type FoundSheet, submitBatch } from './batch.js';
export { openPipelineContext, type PipelineContext, type PipelineOptions, PRODUCER, type SigningOptions } from './context.js';
export { jobId, QUEUE } from './flow.js';
export type { PackageJobResult, PageFailure } from './jobs.js';
export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './log.js';
export { type CorrectionResult, correctMetadata, type MetadataCorrection } from './metadata-correction.js';
export { registry as metricsRegistry, watchQueues } from './metrics.js';
export { deleteOrphans, findOrphans, type Orphan } from './orphans.js';
export {
  type DocumentProgress,
  type DocumentState,
  documentFailures,
  documentProgress,
  documentState,
  failuresOf,
  type PageProgress,
  type PageState,
  type Progress,
  type WaitOptions,
  waitForDocument,
} from './progress.js';
export { type RedisHandle, resolveRedis, startEmbeddedRedis } from './redis.js';
export { redoDocument } from './redo.js';
export { startIndexWorker, startPipelineWorkers, type WorkerGroup } from './runtime.js';
export { type DocumentTarget, type Submission, type SubmitRequest, submitDocument } from './submit.js';
export { fileInMemory, fileOnDisk, type SubmittedFile } from './submitted-file.js';
export { withinTimeLimit } from './time-limit.js';
export { withdrawDocument } from './withdraw.js';

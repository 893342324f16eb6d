/** Retry, backoff and retention policy of every queue. */
import { type DefaultJobOptions, MetricsTime, type WorkerOptions } from 'bullmq';

/**
 * Three attempts with exponential backoff ride out a restarting Redis or object store; bad input
 * fails at once (UnrecoverableError). Completed jobs stay a day so a waiter can read their result.
 */
export const JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * A worker that dies mid-page leaves its job's lock to expire; the job is then taken again by
 * another worker. Stage outputs go to deterministic keys, so a rerun overwrites, never duplicates.
 */
export function workerOptions(jobLockMs: number): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval' | 'maxStalledCount' | 'metrics'> {
  return {
    lockDuration: jobLockMs,
    stalledInterval: Math.max(500, Math.round(jobLockMs / 2)),
    maxStalledCount: 2,
    // Finished jobs per minute for a week, kept in Redis: /metrics reads pages per minute from them.
    metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
  };
}

/** Retry, backoff and retention policy of every queue. */
import { type DefaultJobOptions, MetricsTime, type WorkerOptions } from 'bullmq';

/**
 * Eight attempts, 2 s apart and doubling, each delay drawn between half and all of its nominal
 * value (jitter, so that the workers of many machines do not come back at once): at least 127 s
 * and at most 254 s of retrying, which rides out a Redis, object store or database restart of a
 * minute or more. Bad input fails at once (UnrecoverableError). Completed jobs stay a day so a
 * waiter can read their result.
 */
export const JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
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

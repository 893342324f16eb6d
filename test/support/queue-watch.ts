/** Watching a running installation from outside, as its operators do: the API's /metrics and a document's progress. */
import { until } from './until.js';

/** Jobs per queue and state, from the `sohoa_queue_jobs` gauge. */
export type QueueJobs = Record<string, Record<string, number>>;

export function parseQueueJobs(metrics: string): QueueJobs {
  const jobs: QueueJobs = {};
  for (const [, queue, state, value] of metrics.matchAll(/^sohoa_queue_jobs\{queue="([^"]+)",state="([^"]+)"\} (\d+)$/gm)) {
    jobs[queue!] = { ...jobs[queue!], [state!]: Number(value) };
  }
  return jobs;
}

/** The queues as the API's /metrics shows them now; none while it does not answer. */
export function queueJobs(apiUrl: string): Promise<QueueJobs> {
  return fetch(`${apiUrl}/metrics`).then(
    async (r) => parseQueueJobs(await r.text()),
    () => ({}),
  );
}

/** A document's progress state (its package job's) once it will change no more. */
export const finished = (state: string) => state === 'completed' || state === 'failed';

/** Waits (up to a minute) for a starting API to say it is ready; its last /readyz status. */
export function apiReady(apiUrl: string): Promise<number> {
  return until(
    () =>
      fetch(`${apiUrl}/readyz`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    60_000,
  );
}

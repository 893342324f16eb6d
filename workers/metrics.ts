/**
 * Prometheus metrics of a Sohoa process (prom-client), one registry per process: queue depths and
 * throughput read from Redis when scraped (so any process shows the whole installation's queues),
 * and the OCR time of the pages this process read. The API serves them at /metrics; a worker
 * process on SOHOA_METRICS_PORT.
 */
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PipelineContext } from './context.js';
import { QUEUE, type QueueName } from './flow.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'sohoa_' });

/** Seconds the OCR engine took per page, in this process. */
export const ocrSeconds = new Histogram({
  name: 'sohoa_ocr_seconds',
  help: 'OCR time per page read by this process',
  buckets: [0.5, 1, 2, 4, 8, 16, 32, 64],
  registers: [registry],
});

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/** The installation whose queues the gauges below read at each scrape. */
let watched: PipelineContext | undefined;

/** Has the queue gauges read the queues of `ctx` (the process's own pipeline context). */
export function watchQueues(ctx: PipelineContext): void {
  watched = ctx;
}

new Gauge({
  name: 'sohoa_queue_jobs',
  help: 'Jobs in each queue by state',
  labelNames: ['queue', 'state'],
  registers: [registry],
  async collect() {
    this.reset();
    for (const queue of Object.values(QUEUE) as QueueName[]) {
      const counts = (await watched?.queue(queue).getJobCounts(...JOB_STATES)) ?? {};
      for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
    }
  },
});

new Gauge({
  name: 'sohoa_pages_per_minute',
  help: 'Pages read by OCR in the last full minute, by every worker',
  registers: [registry],
  async collect() {
    const metrics = await watched?.queue(QUEUE.ocr).getMetrics('completed', 0, 1);
    this.set(metrics?.data[0] ?? 0);
  },
});

new Gauge({
  name: 'sohoa_pages_failed_total',
  // A page whose cleanup failed fails its OCR job too: the OCR queue counts each failed page once.
  help: 'Pages that failed for good, by every worker, since metrics began',
  registers: [registry],
  async collect() {
    const metrics = await watched?.queue(QUEUE.ocr).getMetrics('failed', 0, 0);
    this.set(metrics?.meta.count ?? 0);
  },
});

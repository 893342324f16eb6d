/**
 * What every worker and producer shares: Redis (queues, locks), the object store and the options
 * the workers run with. Workers hold nothing else, so any number can run on any machine.
 */
import { createRequire } from 'node:module';
import { FlowProducer, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ModelVariant } from '../pipeline/ocr/index.js';
import type { PdfaPart } from '../pipeline/pdfa/index.js';
import { installationId, type ObjectStore, type ObjectStoreOptions, openObjectStore } from '../storage/objects/index.js';
import type { QueueName } from './flow.js';
import { createLogger, type Logger, type LogLevel } from './log.js';
import { type RedisHandle, resolveRedis } from './redis.js';

const require = createRequire(import.meta.url);
export const PRODUCER = `Sohoa ${(require('../package.json') as { version: string }).version}`;

/** The agency's signing certificate, for PDF/A files a submission asks to have signed. */
export interface SigningOptions {
  p12Path: string;
  password: string;
  agencyName: string;
}

/** What the workers and producers run with, parsed from the configuration by the api floor. */
export interface PipelineOptions extends ObjectStoreOptions {
  /** Explicit Redis; when absent, 127.0.0.1:6379 if it answers, else an embedded redis-server under `dataDir`. */
  redisUrl?: string;
  /**
   * Prefix of every BullMQ and Redis key, so several installations (or test runs) share one Redis;
   * absent: `sohoa-<the first 8 characters of the installation id>`, from the object store.
   */
  queuePrefix?: string;
  /** Pages processed at once per worker process (also the OCR pool size). */
  concurrency: number;
  /** How long a job's lock lasts without renewal: a crashed worker's job is retried after this. */
  jobLockMs: number;
  /** A page's OCR taking longer than this fails the page. */
  pageTimeoutMs: number;
  ocrModel: ModelVariant;
  /** Pages one submission may hold: a file that would take it over is refused, named. */
  maxPages: number;
  /** PDF/A conformance of documents that do not ask for one. */
  pdfaPart: PdfaPart;
  /** Absent when this installation does not sign. */
  sign?: SigningOptions;
  logLevel: LogLevel;
  /** Log lines appended to this file instead of standard error. */
  logFile?: string;
}

export interface PipelineContext {
  /** The options, with the queue prefix settled. */
  options: PipelineOptions & { queuePrefix: string };
  /** The id of the installation the object store belongs to; every job carries it. */
  installation: string;
  redis: RedisHandle;
  /** Shared command connection for locks and counters (BullMQ opens its own). */
  client: Redis;
  store: ObjectStore;
  log: Logger;
  /** A producer-side handle on a queue, opened once per process and shared by every request. */
  queue(name: QueueName): Queue;
  flowProducer(): FlowProducer;
  close(): Promise<void>;
}

export async function openPipelineContext(
  options: PipelineOptions,
  log: Logger = createLogger(options.logLevel, options.logFile),
): Promise<PipelineContext> {
  const redis = await resolveRedis(options.redisUrl, options.dataDir);
  const client = new Redis({ ...redis.connection, maxRetriesPerRequest: null });
  const store = await openObjectStore(options);
  const installation = await installationId(store);
  const settled = { ...options, queuePrefix: options.queuePrefix ?? `sohoa-${installation.slice(0, 8)}` };
  const connection = { connection: client, prefix: settled.queuePrefix };
  const queues = new Map<QueueName, Queue>();
  let producer: FlowProducer | undefined;
  return {
    options: settled,
    installation,
    redis,
    client,
    store,
    log,
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, connection);
        queues.set(name, queue);
      }
      return queue;
    },
    flowProducer() {
      producer ??= new FlowProducer(connection);
      return producer;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await producer?.close();
      client.disconnect();
      await store.close();
      await redis.stop();
    },
  };
}

export function redisKey(ctx: Pick<PipelineContext, 'options'>, ...parts: string[]): string {
  return [ctx.options.queuePrefix, ...parts].join(':');
}

/** Document numbers reserved by submissions not yet in the manifest: submission hash → `<number>@<epoch ms>`. */
export function submissionsKey(ctx: Pick<PipelineContext, 'options'>, dossierCode: string): string {
  return redisKey(ctx, 'dossier', dossierCode, 'submissions');
}

/** A reservation's value in submissionsKey: the number it holds and since when. */
export const reservation = {
  format: (number: number, since: number) => `${number}@${since}`,
  parse(value: string): { number: number; since?: number } {
    const [number, since] = value.split('@').map(Number) as [number, number | undefined];
    return { number, since };
  },
};

/** Held while a dossier's manifest is read, changed and written (package, withdraw). */
export function dossierLockKey(ctx: Pick<PipelineContext, 'options'>, dossierCode: string): string {
  return redisKey(ctx, 'lock', 'dossier', dossierCode);
}

/**
 * Held while a document number is chosen: its own lock, so a station's upload does not wait for a
 * large dossier's packaging (the numbers come from the store's keys and the reservations, which
 * packaging only ever shrinks after the manifest holds the number).
 */
export function documentNumberLockKey(ctx: Pick<PipelineContext, 'options'>, dossierCode: string): string {
  return redisKey(ctx, 'lock', 'numbers', dossierCode);
}

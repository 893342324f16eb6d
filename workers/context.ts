/**
 * What every worker and producer shares: Redis (queues, locks), the object store and the settings.
 * Workers hold nothing else, so any number can run on any machine.
 */
import { createRequire } from 'node:module';
import { Redis } from 'ioredis';
import { FlowProducer, Queue } from 'bullmq';
import type { QueueName } from './jobs.js';
import type { Config } from '../api/config.js';
import type { ObjectStore } from '../storage/object-store.js';
import { openObjectStore } from '../storage/open-store.js';
import { resolveRedis, type RedisHandle } from './redis.js';
import { createLogger, type Logger } from './log.js';

const require = createRequire(import.meta.url);
export const PRODUCER = `Sohoa ${(require('../package.json') as { version: string }).version}`;

export interface PipelineContext {
  config: Config;
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

export async function openPipelineContext(config: Config, log: Logger = createLogger(config.logLevel)): Promise<PipelineContext> {
  const redis = await resolveRedis(config.redisUrl, config.dataDir);
  const client = new Redis({ ...redis.connection, maxRetriesPerRequest: null });
  const store = await openObjectStore(config);
  const options = { connection: client, prefix: config.queuePrefix };
  const queues = new Map<QueueName, Queue>();
  let producer: FlowProducer | undefined;
  return {
    config,
    redis,
    client,
    store,
    log,
    queue(name) {
      let queue = queues.get(name);
      if (!queue) queues.set(name, (queue = new Queue(name, options)));
      return queue;
    },
    flowProducer() {
      producer ??= new FlowProducer(options);
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

export function redisKey(ctx: Pick<PipelineContext, 'config'>, ...parts: string[]): string {
  return [ctx.config.queuePrefix, ...parts].join(':');
}

/** Document numbers reserved by submissions not yet in the manifest: submission hash → `<number>@<epoch ms>`. */
export function submissionsKey(ctx: Pick<PipelineContext, 'config'>, dossierCode: string): string {
  return redisKey(ctx, 'dossier', dossierCode, 'submissions');
}

export function dossierLockKey(ctx: Pick<PipelineContext, 'config'>, dossierCode: string): string {
  return redisKey(ctx, 'lock', 'dossier', dossierCode);
}

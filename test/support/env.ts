/**
 * Test environment: real Redis (own key prefix, removed afterwards), a fresh data directory, the
 * catalog on PGlite or — when DATABASE_URL is set — PostgreSQL, and the object store on a
 * directory or — when SOHOA_TEST_STORE=s3 — an s3rver the tests start themselves.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import S3rver from 's3rver';
import './s3rver-store.js';
import { type Config, loadConfig } from '../../api/config.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_DIR = path.join(REPO, 'samples', '000.00.15.H17-231114-0001');
export const SAMPLE_GT_DIR = path.join(REPO, 'samples', 'ground-truth');
export const CORPUS = path.resolve(REPO, '..', 'shared', 'corpus');

/**
 * Corpus-based checks need ../shared/corpus: outside CI they are skipped with a message; in CI
 * (CI=true) its absence is a failure.
 */
export function corpusAvailable(suite: string): boolean {
  if (fs.existsSync(CORPUS)) return true;
  if (process.env.CI) throw new Error(`${suite}: ${CORPUS} is missing, and CI must run the corpus checks`);
  console.warn(`${suite}: skipped — ${CORPUS} is absent (these checks run where ../shared is present)`);
  return false;
}

/**
 * Suites that test neither the catalog nor the object store driver (or test them enough in the
 * first run) run once: CI's second run, on PostgreSQL and S3 (DATABASE_URL set), skips them.
 */
export function firstRunOnly(suite: string, why: string): boolean {
  if (!process.env.DATABASE_URL) return true;
  console.warn(`${suite}: skipped in the PostgreSQL/S3 run — ${why}, and the first CI run covers it`);
  return false;
}

export function tempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sohoa-${label}-`));
}

export interface TestEnvironment {
  config: Config;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A configuration of its own for one test file; `cleanup` removes its Redis keys, files and s3rver. */
export async function testEnvironment(label: string, overrides: Record<string, string> = {}): Promise<TestEnvironment> {
  const dataDir = tempDir(label);
  const prefix = `sohoa-test-${label}-${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    SOHOA_DATA_DIR: dataDir,
    SOHOA_QUEUE_PREFIX: prefix,
    SOHOA_CONCURRENCY: '2',
    LOG_LEVEL: 'info',
    ...overrides,
  };
  let s3: S3rver | undefined;
  if (process.env.SOHOA_TEST_STORE === 's3') {
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(dataDir, 's3rver') });
    const { port } = await s3.run();
    Object.assign(env, {
      MINIO_ENDPOINT: `http://127.0.0.1:${port}`,
      MINIO_ACCESS_KEY: 'S3RVER',
      MINIO_SECRET_KEY: 'S3RVER',
      MINIO_BUCKET: 'sohoa-test',
    });
  }
  const fullEnv = { ...process.env, ...env } as Record<string, string>;
  const config = loadConfig(fullEnv);
  return {
    config,
    env: fullEnv,
    async cleanup() {
      await deleteRedisKeys(config, prefix);
      await s3?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function deleteRedisKeys(config: Config, prefix: string): Promise<void> {
  const redis = new Redis(config.redisUrl ?? 'redis://127.0.0.1:6379');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export const SHARED_TOOLS = path.resolve(REPO, '..', 'shared', 'tools');

/** A validator from ../shared/tools, with the same skip-outside-CI rule as the corpus. */
export function sharedTool(suite: string, name: string): string | undefined {
  const tool = path.join(SHARED_TOOLS, name);
  if (fs.existsSync(tool)) return tool;
  if (process.env.CI) throw new Error(`${suite}: ${tool} is missing, and CI must run this check`);
  console.warn(`${suite}: skipped — ${tool} is absent`);
  return undefined;
}

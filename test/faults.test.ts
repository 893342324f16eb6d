/**
 * Outages on the real services, each an instance of the test's own on a port of its own: the
 * object store (s3rver), Redis (redis-server with its append-only file) and the database (a
 * PostgreSQL cluster made with initdb) each go away for 30 s while documents are in the queues,
 * and come back; the workers' retries (policy.ts) carry every document through, every page once,
 * and the catalog catches up by itself. A full disk under the directory store fails the write
 * with a clear error and leaves no partial object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { ServiceUnavailableError } from '../pipeline/errors.js';
import { DirectoryStore, readManifest, verifyFixity } from '../storage/objects/index.js';
import { fileInMemory, QUEUE, type Submission, submitDocument, waitForDocument } from '../workers/index.js';
import { firstRunOnly, SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { type OwnService, ownPostgres, ownRedis } from './support/own-services.js';
import { until } from './support/until.js';

const OUTAGE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const samplePage = () => fileInMemory('p1.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg')));

/** `count` documents of two pages each, submitted to one dossier. */
async function submitDocuments(services: Services, dossierCode: string, count: number): Promise<Submission[]> {
  const submissions: Submission[] = [];
  for (let i = 0; i < count; i++) {
    const files = [samplePage(), fileInMemory(`p2-${i}.png`, await pageImage({ dpi: 200, width: 850 + i }))];
    submissions.push(await submitDocument(services.ctx, { dossierCode, kind: 'component', submittedBy: 'test', files }));
  }
  return submissions;
}

/** Every document done, each page once: the manifest lists each document and each page object once. */
async function expectEveryPageOnce(services: Services, dossierCode: string, submissions: Submission[]): Promise<void> {
  const results = await Promise.all(submissions.map((s) => waitForDocument(services.ctx, s, { waitForIndex: false, pollMs: 200 })));
  expect(results.map((r) => [r.pagesDone, r.pagesFailed])).toEqual(submissions.map((s) => [s.pages.length, 0]));
  const manifest = (await readManifest(services.ctx.store, dossierCode))!;
  expect(manifest.documents.map((d) => d.number)).toEqual(submissions.map((s) => s.documentNumber));
  const keys = manifest.objects.map((o) => o.key);
  expect(new Set(keys).size).toBe(keys.length);
  const pages = submissions.reduce((n, s) => n + s.pages.length, 0);
  expect(keys.filter((k) => k.includes('/pages/'))).toHaveLength(3 * pages);
  expect((await verifyFixity(services.ctx.store, dossierCode)).problems).toEqual([]);
}

/**
 * A service of the test's own (`start` makes it in a folder of its own), a test environment
 * pointing at it, and Sohoa's services on that environment, with pipeline workers; undone in the
 * order they depend on one another.
 */
function onOwnService(
  label: string,
  start: (dir: string) => Promise<OwnService>,
  overrides: (service: OwnService) => Record<string, string>,
  catalog: 'none' | 'required',
): { service: OwnService; services: Services } {
  const own = {} as { service: OwnService; services: Services };
  let dir: string;
  let env: TestEnvironment | undefined;
  beforeAll(async () => {
    dir = tempDir(label);
    own.service = await start(dir);
    env = await testEnvironment(label, overrides(own.service));
    own.services = await openServices(env.config, { catalog, pipelineWorkers: true });
  }, 60_000);
  afterAll(async () => {
    await own.services?.close();
    await env?.cleanup();
    await own.service?.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return own;
}

describe.runIf(firstRunOnly('object store outage', 'it starts an s3rver of its own'))('an object store outage', () => {
  let directory: string;
  let s3: S3rver;
  let port: number;
  let env: TestEnvironment;
  let services: Services;

  const startS3 = async (at: number) => {
    s3 = new S3rver({ port: at, address: '127.0.0.1', silent: true, directory });
    return (await s3.run()).port;
  };

  beforeAll(async () => {
    directory = tempDir('faults-s3');
    port = await startS3(0);
    env = await testEnvironment('faults', {
      MINIO_ENDPOINT: `http://127.0.0.1:${port}`,
      MINIO_ACCESS_KEY: 'S3RVER',
      MINIO_SECRET_KEY: 'S3RVER',
      MINIO_BUCKET: 'sohoa-faults',
    });
    services = await openServices(env.config, { catalog: 'none', pipelineWorkers: true });
  });
  afterAll(async () => {
    await services?.close();
    await s3?.close();
    await env?.cleanup();
    fs.rmSync(directory, { recursive: true, force: true });
  });

  it('of 30 s is ridden out: the documents complete once the store is back, every page once', async () => {
    const dossierCode = '000.00.15.H17-240305-0061';
    const submissions = await submitDocuments(services, dossierCode, 2);
    // Gone before the first page is read; back on the same address with the same data.
    await s3.close();
    await sleep(OUTAGE_MS);
    await startS3(port);
    await expectEveryPageOnce(services, dossierCode, submissions);
  }, 300_000);
});

describe.runIf(firstRunOnly('Redis outage', 'it starts a redis-server of its own'))('a Redis outage', () => {
  const own = onOwnService('faults-redis', ownRedis, (redis) => ({ REDIS_URL: redis.url, SOHOA_JOB_LOCK_SECONDS: '5' }), 'none');

  it('of 30 s mid-batch is ridden out: every document completes, every page once', async () => {
    const dossierCode = '000.00.15.H17-240305-0062';
    const submissions = await submitDocuments(own.services, dossierCode, 3);
    await until(
      () => own.services.ctx.queue(QUEUE.cleanup).getCompletedCount(),
      (n) => n > 0,
      60_000,
    );
    await own.service.stop();
    await sleep(OUTAGE_MS);
    await own.service.start();
    await expectEveryPageOnce(own.services, dossierCode, submissions);
  }, 300_000);
});

describe.runIf(firstRunOnly('database outage', 'it starts a PostgreSQL cluster of its own'))('a database outage', () => {
  const own = onOwnService('faults-pg', ownPostgres, (postgres) => ({ DATABASE_URL: postgres.url }), 'required');

  it('of 30 s leaves the catalog behind only until it is back: it catches up by itself', async () => {
    const dossierCode = '000.00.15.H17-240305-0063';
    await own.service.stop();
    const [submission] = await submitDocuments(own.services, dossierCode, 1);
    // The pipeline needs no database: the document is stored while the catalog is away.
    expect((await waitForDocument(own.services.ctx, submission!, { waitForIndex: false, pollMs: 200 })).pagesDone).toBe(2);
    await sleep(OUTAGE_MS);
    await own.service.start();
    await waitForDocument(own.services.ctx, submission!, { waitForIndex: true, pollMs: 500 });
    const dossier = await own.services.catalog!.getDossier(dossierCode);
    expect(dossier?.documents.map((d) => d.fileCode)).toEqual([`${dossierCode}.01`]);
  }, 300_000);
});

describe('a full disk under the directory store', () => {
  let mount: string;
  let mounted = false;
  beforeAll(() => {
    mount = tempDir('faults-disk');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount], { stdio: 'ignore' });
      mounted = true;
    } catch {
      if (process.env.CI) throw new Error(`a full disk: cannot mount a 1 MiB tmpfs on ${mount}, and CI must run this check (run as root)`);
      console.warn('a full disk: skipped — mounting a 1 MiB tmpfs needs root');
    }
  });
  afterAll(() => {
    if (mounted) execFileSync('umount', [mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  });

  it('fails the write with a clear error, and leaves no partial object', async () => {
    if (!mounted) return;
    const store = new DirectoryStore(mount);
    await store.put('dossiers/a/small.bin', Buffer.alloc(1000, 1));
    const key = 'dossiers/a/too-large.bin';
    const writing = store.put(key, Buffer.alloc(2 * 2 ** 20, 2));
    await expect(writing).rejects.toThrow(ServiceUnavailableError);
    await expect(writing).rejects.toThrow(`cannot store object ${key}: ${mount} is full (ENOSPC)`);
    expect(await store.stat(key)).toBeNull();
    expect(fs.readdirSync(path.join(mount, '.tmp'))).toEqual([]);
    expect((await store.get('dossiers/a/small.bin')).length).toBe(1000);
  });
});

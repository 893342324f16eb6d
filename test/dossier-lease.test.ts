/**
 * The dossier's manifest is written by one worker at a time, last, and only while its lease holds:
 * two workers packaging documents of one dossier at once both land in it; a holder that lost its
 * lease writes nothing; the next document joins the PDF/A files already made instead of reading
 * every page of the dossier again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { DossierBusyError } from '../pipeline/errors.js';
import { dossierPrefix, manifestKey, readManifest, verifyFixity } from '../storage/objects/index.js';
import { dossierLockKey } from '../workers/context.js';
import { fileInMemory, jobId, QUEUE, type Submission, submitDocument, waitForDocument } from '../workers/index.js';
import { DOSSIER_LOCK, withLock } from '../workers/lock.js';
import { writeDossier } from '../workers/processors/package.js';
import { SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { until } from './support/until.js';

const DOSSIER = '000.00.15.H17-240305-0081';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the dossier lease', () => {
  let redis: Redis;
  let prefix: string;
  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    prefix = `sohoa-test-lease-${process.pid}-${Date.now()}`;
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('is renewed while held: a holder working five leases long keeps the others out', async () => {
    const key = `${prefix}:renewed`;
    const timing = { leaseMs: 300, waitMs: 10_000 };
    const events: string[] = [];
    const holder = withLock(redis, key, timing, async (lease) => {
      events.push('holder in');
      await sleep(1500);
      await lease.confirm();
      events.push('holder out');
    });
    await sleep(50);
    await withLock(redis, key, timing, async () => void events.push('other in'));
    await holder;
    expect(events).toEqual(['holder in', 'holder out', 'other in']);
    expect(await redis.exists(key)).toBe(0);
  });

  it('gives up waiting with DossierBusyError, and is free within one lease of a holder that died', async () => {
    const key = `${prefix}:dead`;
    // A holder that crashed: its lease is never renewed nor released.
    await redis.set(key, 'crashed-worker', 'PX', 400);
    await expect(withLock(redis, key, { leaseMs: 400, waitMs: 100 }, async () => 'in')).rejects.toThrow(DossierBusyError);
    const started = Date.now();
    expect(await withLock(redis, key, { leaseMs: 400, waitMs: 5_000 }, async () => 'in')).toBe('in');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('tells a holder that lost it, before it writes', async () => {
    const key = `${prefix}:lost`;
    await withLock(redis, key, { leaseMs: 5_000, waitMs: 1_000 }, async (lease) => {
      await lease.confirm();
      await redis.set(key, 'another-worker');
      await expect(lease.confirm()).rejects.toThrow(/lease ran out/);
    });
    // Its release leaves the other holder's lease alone.
    expect(await redis.get(key)).toBe('another-worker');
  });
});

describe('documents of one dossier packaged at once', () => {
  let env: TestEnvironment;
  const workers: Services[] = [];
  const submissions: Submission[] = [];

  const pages = async (count: number, seed: number) =>
    Promise.all(
      Array.from({ length: count }, async (_, i) =>
        fileInMemory(`p${seed}-${i + 1}.png`, await pageImage({ dpi: 200, width: 850 + seed * 10 + i })),
      ),
    );

  beforeAll(async () => {
    env = await testEnvironment('lease');
    // Two workers on one store and one Redis: each takes what the queues give it.
    for (let i = 0; i < 2; i++) workers.push(await openServices(env.config, { catalog: 'none', pipelineWorkers: true }));
  });
  afterAll(async () => {
    for (const w of workers) await w.close();
    await env?.cleanup();
  });

  it('land both in the manifest, and in one dossier PDF/A', async () => {
    const [ctxA, ctxB] = [workers[0]!.ctx, workers[1]!.ctx];
    const request = async (files: Awaited<ReturnType<typeof pages>>) => ({
      dossierCode: DOSSIER,
      kind: 'component' as const,
      submittedBy: 'test',
      files,
    });
    // The test holds the dossier until both package jobs are running and waiting for it, then lets
    // them race for it: without the lease both would write the manifest from the same empty start.
    const packageJobs = [1, 2].map((n) => jobId(QUEUE.package, DOSSIER, n));
    const held = withLock(ctxA.client, dossierLockKey(ctxA, DOSSIER), DOSSIER_LOCK, async () => {
      const states = async () => Promise.all(packageJobs.map(async (id) => (await ctxA.queue(QUEUE.package).getJob(id))?.getState()));
      await until(states, (s) => s.every((state) => state === 'active'), 240_000);
      await sleep(500);
      return ctxA.store.stat(manifestKey(DOSSIER));
    });
    submissions.push(
      ...(await Promise.all([
        submitDocument(ctxA, await request(await pages(4, 1))),
        submitDocument(ctxB, await request(await pages(4, 2))),
      ])),
    );
    expect(await held).toBeNull();
    const results = await Promise.all(submissions.map((s, i) => waitForDocument(workers[i]!.ctx, s, { waitForIndex: false, pollMs: 200 })));
    expect(results.map((r) => r.pagesDone)).toEqual([4, 4]);

    const manifest = (await readManifest(ctxA.store, DOSSIER))!;
    expect(manifest.documents.map((d) => d.number)).toEqual([1, 2]);
    const dossierPdf = await PDFDocument.load(await ctxA.store.get(manifest.pdfKey!));
    expect(dossierPdf.getPageCount()).toBe(8);
    // Only the PDFs the manifest names are left: each superseded version was deleted after it.
    const pdfs: string[] = [];
    for await (const { key } of ctxA.store.list(dossierPrefix(DOSSIER))) if (key.endsWith('.pdf')) pdfs.push(key);
    const named = manifest.objects.filter((o) => o.role === 'document-pdf' || o.role === 'dossier-pdf').map((o) => o.key);
    expect(pdfs.sort()).toEqual(named.sort());
    expect(named).toHaveLength(3);
    expect((await verifyFixity(ctxA.store, DOSSIER)).problems).toEqual([]);
  }, 300_000);

  it('add a third document by joining the files made, not by reading the earlier pages again', async () => {
    const ctx = workers[0]!.ctx;
    const reads = workers.map((w) => vi.spyOn(w.ctx.store, 'get'));
    const submission = await submitDocument(ctx, {
      dossierCode: DOSSIER,
      kind: 'result',
      submittedBy: 'test',
      files: [fileInMemory('kq.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg')))],
    });
    expect((await waitForDocument(ctx, submission, { waitForIndex: false, pollMs: 200 })).pagesDone).toBe(1);
    const keys = reads.flatMap((spy) => spy.mock.calls.map(([key]) => key));
    for (const spy of reads) spy.mockRestore();
    const earlier = keys.filter((k) => /documents\/0[12]\/pages\//.test(k));
    expect(earlier).toEqual([]);
    const manifest = (await readManifest(ctx.store, DOSSIER))!;
    expect(keys).toEqual(expect.arrayContaining(manifest.documents.slice(0, 2).map((d) => d.pdfKey)));
    expect((await PDFDocument.load(await ctx.store.get(manifest.pdfKey!))).getPageCount()).toBe(9);
  }, 120_000);

  it('leaves the manifest and every file it names as they were when the lease is lost before the write', async () => {
    const ctx = workers[0]!.ctx;
    const before = await ctx.store.get(manifestKey(DOSSIER));
    const manifest = (await readManifest(ctx.store, DOSSIER))!;
    const key = dossierLockKey(ctx, DOSSIER);
    const packaging = { ...manifest, pdfaPart: '2b' as const, sign: false, resign: false };
    const withdrawn = manifest.documents.map((d) => (d.number === 1 ? { ...d, withdrawn: { by: 'test', at: 'now', reason: 'test' } } : d));
    await withLock(ctx.client, key, { leaseMs: 5_000, waitMs: 5_000 }, async (lease) => {
      await ctx.client.set(key, 'another-worker');
      await expect(writeDossier(ctx, lease, packaging, manifest, withdrawn, manifest.objects)).rejects.toThrow(DossierBusyError);
    });
    await ctx.client.del(key);
    expect((await ctx.store.get(manifestKey(DOSSIER))).equals(before)).toBe(true);
    expect((await verifyFixity(ctx.store, DOSSIER)).problems).toEqual([]);
  }, 60_000);
});

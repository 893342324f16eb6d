/**
 * One installation, one namespace: the queue prefix comes from the object store's own id, so two
 * installations on one Redis never meet; given one prefix by hand, a worker still leaves a job of
 * another installation's store to that installation's workers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { readManifest } from '../storage/objects/index.js';
import { fileInMemory, jobId, openPipelineContext, QUEUE, submitDocument, waitForDocument } from '../workers/index.js';
import { firstRunOnly, SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';

const DOSSIER = '000.00.15.H17-240305-0071';

describe.runIf(firstRunOnly('installations', 'it tests queue names, not the store or the catalog'))('installations on one Redis', () => {
  const envs: TestEnvironment[] = [];
  const services: Services[] = [];
  afterAll(async () => {
    for (const s of services) await s.close();
    for (const e of envs) await e.cleanup();
  });

  it('get a queue prefix of their own from their object store, the same every time it is opened', async () => {
    const a = await testEnvironment('install-a', { SOHOA_QUEUE_PREFIX: '' });
    const b = await testEnvironment('install-b', { SOHOA_QUEUE_PREFIX: '' });
    envs.push(a, b);
    const prefixOf = async (env: TestEnvironment) => {
      const ctx = await openPipelineContext(env.config);
      await ctx.close();
      return [ctx.options.queuePrefix, ctx.installation];
    };
    const [first, again, other] = [await prefixOf(a), await prefixOf(a), await prefixOf(b)];
    expect(first![0]).toMatch(/^sohoa-[0-9a-f]{8}$/);
    expect(again).toEqual(first);
    expect(other![0]).not.toBe(first![0]);
    expect(fs.existsSync(path.join(a.config.dataDir, 'objects', 'installation.json'))).toBe(true);
  });

  it('leave a job of another store to its own workers when they share a prefix', async () => {
    const a = await testEnvironment('install-c');
    const b = await testEnvironment('install-d', { SOHOA_QUEUE_PREFIX: a.config.queuePrefix! });
    envs.push(a, b);
    const workersOfA = await openServices(a.config, { catalog: 'none', pipelineWorkers: true });
    const producerB = await openServices(b.config, { catalog: 'none', pipelineWorkers: false });
    services.push(workersOfA, producerB);
    const file = fileInMemory('p1.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg')));
    const submission = await submitDocument(producerB.ctx, { dossierCode: DOSSIER, kind: 'component', submittedBy: 'test', files: [file] });
    // A's workers see B's cleanup job and set it aside: its original is in B's store, not A's.
    const cleanup = jobId(QUEUE.cleanup, DOSSIER, submission.documentNumber, 1);
    for (let i = 0; i < 100 && (await (await producerB.ctx.queue(QUEUE.cleanup).getJob(cleanup))?.getState()) !== 'delayed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await (await producerB.ctx.queue(QUEUE.cleanup).getJob(cleanup))!.getState()).toBe('delayed');
    // B's own workers take it. (A's are closed first: while both fetch from one queue, which of
    // them gets the job when its delay ends is chance, and A would only set it aside again.)
    await workersOfA.close();
    services.splice(services.indexOf(workersOfA), 1);
    const workersOfB = await openServices(b.config, { catalog: 'none', pipelineWorkers: true });
    services.push(workersOfB);
    const result = await waitForDocument(workersOfB.ctx, submission, { waitForIndex: false, pollMs: 200 });
    expect(result).toMatchObject({ pagesDone: 1, pagesFailed: 0 });
    expect((await readManifest(workersOfB.ctx.store, DOSSIER))!.documents).toHaveLength(1);
    expect(fs.existsSync(path.join(a.config.dataDir, 'objects', 'dossiers', DOSSIER))).toBe(false);
  }, 120_000);
});

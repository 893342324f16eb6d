/**
 * Redis outlives the object store (a wiped data directory, a restored bucket): the queues still
 * remember a finished flow and a reserved number, but the store is the truth.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { readManifest } from '../storage/objects/index.js';
import { fileInMemory, QUEUE, submitDocument, waitForDocument } from '../workers/index.js';
import { SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';

const DOSSIER = '000.00.15.H17-231114-0005';

describe('a store wiped under a Redis that kept its data', () => {
  let env: TestEnvironment;
  let services: Services;
  beforeAll(async () => {
    env = await testEnvironment('stale');
    services = await openServices(env.config, { catalog: 'none', pipelineWorkers: true });
  });
  afterAll(async () => {
    await services?.close();
    await env?.cleanup();
  });

  it('digitizes the same files again as document 01, PDF/A and all', async () => {
    const files = [fileInMemory('p1.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg')))];
    const request = { dossierCode: DOSSIER, kind: 'component' as const, submittedBy: 'test', files };
    await waitForDocument(services.ctx, await submitDocument(services.ctx, request), { waitForIndex: false, pollMs: 100 });
    const keys: string[] = [];
    for await (const { key } of services.ctx.store.list(`dossiers/${DOSSIER}/`)) keys.push(key);
    for (const key of keys) await services.ctx.store.delete(key);
    expect(await readManifest(services.ctx.store, DOSSIER)).toBeUndefined();

    const again = await submitDocument(services.ctx, request);
    expect(again).toMatchObject({ documentNumber: 1, alreadyDigitized: false });
    const result = await waitForDocument(services.ctx, again, { waitForIndex: false, pollMs: 100 });
    expect(result.pagesDone).toBe(1);
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents.map((d) => d.fileCode)).toEqual([`${DOSSIER}.01`]);
    expect((await services.ctx.store.stat(manifest.pdfKey!))!.size).toBeGreaterThan(1000);
  });

  it('reads a finished document from the manifest when Redis lost its job, and gives up on one it never finished', async () => {
    const [done] = (await readManifest(services.ctx.store, DOSSIER))!.documents;
    const finished = { dossierCode: DOSSIER, documentNumber: done!.number, fileCode: done!.fileCode, pages: [], rejected: [] };
    const jobs = await services.ctx.queue(QUEUE.package).getJobs(['completed']);
    for (const job of jobs) await job.remove();
    const submission = { ...finished, kind: 'component' as const, alreadyDigitized: false };
    expect(await waitForDocument(services.ctx, submission, { waitForIndex: false, pollMs: 50 })).toMatchObject({
      pagesDone: 1,
      pagesFailed: 0,
    });

    const lost = { ...submission, documentNumber: 7, fileCode: `${DOSSIER}.07` };
    const started = Date.now();
    await expect(waitForDocument(services.ctx, lost, { waitForIndex: false, pollMs: 50, forgottenAfterMs: 500 })).rejects.toThrow(
      new RegExp(`the queues no longer know ${DOSSIER}\\.07`),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

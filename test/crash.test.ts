/**
 * A worker process killed in the middle of a page: its job is taken over by another worker once
 * the lock expires, and the dossier comes out whole, with no page or object twice.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { readManifest } from '../storage/objects/index.js';
import { fileInMemory, QUEUE, startPipelineWorkers, submitDocument, waitForDocument } from '../workers/index.js';
import { REPO, SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';

const DOSSIER = '000.00.15.H17-231114-0003';

describe('a worker that crashes mid-page', () => {
  let env: TestEnvironment;
  let services: Services;
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    env = await testEnvironment('crash', { SOHOA_JOB_LOCK_SECONDS: '2' });
    services = await openServices(env.config, { catalog: 'none', pipelineWorkers: false });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await services?.close();
    await env?.cleanup();
  });

  it('has its job retried by another worker, never duplicated', async () => {
    const files = fs.readdirSync(SAMPLE_DIR).map((name) => fileInMemory(name, fs.readFileSync(path.join(SAMPLE_DIR, name))));
    const submission = await submitDocument(services.ctx, { dossierCode: DOSSIER, kind: 'component', submittedBy: 'test', files });

    child = spawn(process.execPath, [path.join(REPO, 'bin', 'sohoa.js'), 'worker'], { env: env.env, stdio: 'ignore' });
    const queues = [QUEUE.cleanup, QUEUE.ocr].map(
      (name) => new Queue(name, { connection: services.ctx.redis.connection, prefix: env.config.queuePrefix }),
    );
    let activeId: string | undefined;
    let activeQueue: Queue | undefined;
    for (let i = 0; i < 600 && !activeId; i++) {
      for (const q of queues) {
        const [job] = await q.getActive();
        if (job && !activeId) [activeId, activeQueue] = [job.id, q];
      }
      if (!activeId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(activeId, 'the worker process never took a job').toBeDefined();
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    const workers = startPipelineWorkers(services.ctx);
    try {
      const result = await waitForDocument(services.ctx, submission, { waitForIndex: false, pollMs: 200 });
      expect(result.pagesFailed).toBe(0);
      expect(result.pagesDone).toBe(2);
      const retried = await activeQueue!.getJob(activeId!);
      expect(await retried!.getState()).toBe('completed');
      expect(retried!.attemptsStarted).toBeGreaterThanOrEqual(2);
    } finally {
      await workers.close();
      await Promise.all(queues.map((q) => q.close()));
    }
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents).toHaveLength(1);
    expect(manifest.documents[0]!.pages.map((p) => [p.number, p.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
    ]);
    const keys = manifest.objects.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(manifest.objects.filter((o) => o.role === 'archival-image')).toHaveLength(2);
    const stored: string[] = [];
    for await (const o of services.ctx.store.list(`dossiers/${DOSSIER}/documents/01/pages/`)) stored.push(o.key);
    expect(stored).toHaveLength(6);
  });
});

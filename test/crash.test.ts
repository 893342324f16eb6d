/**
 * Worker processes killed with SIGKILL, ten times in the middle of a page's OCR and ten times in
 * the middle of packaging, each time a job no earlier kill interrupted (a job killed three times
 * is taken for one that kills its worker, and fails: policy.ts). Each interrupted job is taken
 * over once its lock expires; every document comes out once, each page once, and what a kill left
 * half-written is only ever an orphan PDF that `sohoa store orphans` finds.
 */

import type { ChildProcess } from 'node:child_process';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { readManifest, verifyFixity } from '../storage/objects/index.js';
import {
  deleteOrphans,
  fileInMemory,
  findOrphans,
  QUEUE,
  type Submission,
  startPipelineWorkers,
  submitDocument,
  waitForDocument,
} from '../workers/index.js';
import { firstRunOnly, type TestEnvironment, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { startSohoa } from './support/run-cli.js';

const DOSSIERS = Array.from({ length: 7 }, (_, i) => `000.00.15.H17-231114-01${String(i).padStart(2, '0')}`);
const KILLS = 10;
const STAGES = [QUEUE.cleanup, QUEUE.ocr, QUEUE.package] as const;

describe.runIf(firstRunOnly('worker crashes', 'it kills worker processes, whatever the drivers'))('workers killed mid-job', () => {
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

  /**
   * Starts a worker process, waits until it runs a job of `queue` that no earlier kill interrupted
   * while no job it runs was interrupted twice already (crashes at independent moments, not a crash
   * loop on one page), and kills it.
   */
  const killMidJob = async (queue: typeof QUEUE.ocr | typeof QUEUE.package, interrupted: Map<string, number>) => {
    // One job per stage at a time: each kill interrupts few jobs, and fresh ones last.
    const workerEnv = { ...env.env, SOHOA_CONCURRENCY: '1' };
    child = startSohoa(['worker'], { env: workerEnv, stdio: 'ignore' });
    const exited = new Promise((r) => child!.once('exit', r));
    const running = async () => {
      const active = await Promise.all(STAGES.map(async (q) => (await services.ctx.queue(q).getActive()).map((j) => `${q}:${j.id}`)));
      return active.flat();
    };
    const ready = (jobs: string[]) =>
      jobs.some((j) => j.startsWith(`${queue}:`) && !interrupted.has(j)) && jobs.every((j) => (interrupted.get(j) ?? 0) < 2);
    // Told by Redis the moment a job starts or ends (a package job lasts a fraction of a second:
    // polling would miss most of them).
    const events = new QueueEvents(queue, { connection: services.ctx.redis.connection, prefix: services.ctx.options.queuePrefix });
    try {
      await events.waitUntilReady();
      const jobs = await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no fresh ${queue} job ran within 2 min`)), 120_000);
        const check = async () => {
          const jobs = await running();
          if (!ready(jobs)) return;
          child!.kill('SIGKILL');
          clearTimeout(timer);
          resolve(jobs);
        };
        for (const event of ['active', 'completed'] as const) events.on(event, () => void check().catch(reject));
        void check().catch(reject);
      });
      await exited;
      for (const j of jobs) interrupted.set(j, (interrupted.get(j) ?? 0) + 1);
      return jobs.filter((j) => j.startsWith(`${queue}:`)).map((j) => j.slice(queue.length + 1));
    } finally {
      await events.close();
    }
  };

  it(`${KILLS} times mid-OCR and ${KILLS} times mid-packaging: every document completes once, each page once`, async () => {
    // Small pages, quick to read: the kills, not the OCR, should take the time. Each phase gets
    // documents of its own (two per dossier), so that packaging still has fresh jobs to kill.
    const submissions: Submission[] = [];
    const submitPhase = async (phase: number) => {
      for (const [i, dossierCode] of [...DOSSIERS, ...DOSSIERS].entries()) {
        const page = async (p: number) => fileInMemory(`p${p}.png`, await pageImage({ dpi: 200, width: 850 + 100 * phase + 3 * i + p }));
        const files = [await page(1), await page(2)];
        submissions.push(await submitDocument(services.ctx, { dossierCode, kind: 'component', submittedBy: 'test', files }));
      }
    };
    const interrupted = new Map<string, number>();
    const killed = { [QUEUE.ocr]: new Set<string>(), [QUEUE.package]: new Set<string>() };
    for (const [phase, queue] of [QUEUE.ocr, QUEUE.package].entries()) {
      await submitPhase(phase);
      for (let i = 0; i < KILLS; i++) for (const id of await killMidJob(queue, interrupted)) killed[queue].add(id);
    }

    const workers = startPipelineWorkers(services.ctx);
    try {
      const results = await Promise.all(submissions.map((s) => waitForDocument(services.ctx, s, { waitForIndex: false, pollMs: 250 })));
      expect(results.map((r) => [r.pagesDone, r.pagesFailed])).toEqual(submissions.map(() => [2, 0]));
      for (const queue of [QUEUE.ocr, QUEUE.package] as const) {
        expect(killed[queue].size).toBeGreaterThanOrEqual(KILLS);
        for (const id of killed[queue]) {
          const job = (await services.ctx.queue(queue).getJob(id))!;
          expect([id, await job.getState()]).toEqual([id, 'completed']);
          expect(job.attemptsStarted).toBeGreaterThanOrEqual(2);
        }
      }
    } finally {
      await workers.close();
    }
    for (const dossierCode of DOSSIERS) {
      const manifest = (await readManifest(services.ctx.store, dossierCode))!;
      expect(manifest.documents.map((d) => [d.number, d.pages.map((p) => p.status)])).toEqual(
        [1, 2, 3, 4].map((n) => [n, ['done', 'done']]),
      );
      const keys = manifest.objects.map((o) => o.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(manifest.objects.filter((o) => o.role === 'archival-image')).toHaveLength(8);
      expect((await verifyFixity(services.ctx.store, dossierCode)).problems).toEqual([]);
    }
    // A kill between a PDF's write and its manifest's leaves that PDF behind, and nothing else.
    const orphans = await findOrphans(services.ctx);
    expect(orphans.filter((o) => !o.key.endsWith('.pdf'))).toEqual([]);
    await deleteOrphans(services.ctx, orphans);
    expect(await findOrphans(services.ctx)).toEqual([]);
    expect((await verifyFixity(services.ctx.store)).problems).toEqual([]);
  }, 900_000);
});

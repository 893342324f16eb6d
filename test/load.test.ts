/**
 * Load: ten stations each send twenty 5-page dossiers at once through the API (200 uploads in
 * flight together), served by a `sohoa api` process and read by one `sohoa worker` process with an
 * OCR worker per core. Every one of the 1,000 pages comes out once; the queue depths are read off
 * the API's /metrics while the batch runs; no process's peak resident set (VmHWM) reaches 1 GiB; the
 * worker's memory per OCR worker is printed beside the figures.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../storage/catalog/index.js';
import { type ObjectStore, openObjectStore, readManifest, verifyFixity } from '../storage/objects/index.js';
import { bearer, type RoleToken, roleTokens } from './support/accounts.js';
import { firstRunOnly, type TestEnvironment, testEnvironment } from './support/env.js';
import { textPage } from './support/fixtures.js';
import { multipart } from './support/multipart.js';
import { freePort } from './support/own-services.js';
import { apiReady, finished, type QueueJobs, queueJobs } from './support/queue-watch.js';
import { startSohoa } from './support/run-cli.js';
import { until } from './support/until.js';

const STATIONS = 10;
const DOSSIERS_PER_STATION = 20;
const PAGES = 5;
const GiB = 2 ** 30;
const MiB = 2 ** 20;

const dossierCode = (station: number, d: number) =>
  `000.00.15.H17-241202-${String(station * DOSSIERS_PER_STATION + d + 1).padStart(4, '0')}`;

/** Peak resident set of a running process, from the kernel (Linux). */
function peakRss(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
  if (!line) throw new Error(`no VmHWM for process ${pid}`);
  return Number(line[1]) * 1024;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

describe.runIf(firstRunOnly('load', 'it runs its own API and worker processes on the directory store'))(
  'ten stations sending at once',
  () => {
    let env: TestEnvironment;
    let api: ChildProcess;
    let worker: ChildProcess;
    let apiUrl: string;
    let station: RoleToken;
    let archivist: RoleToken;
    let store: ObjectStore;
    const ocrWorkers = os.availableParallelism();

    beforeAll(async () => {
      env = await testEnvironment('load', { SOHOA_CONCURRENCY: String(ocrWorkers), LOG_LEVEL: 'warn' });
      const catalog = await Catalog.open(env.config);
      ({ station, archivist } = await roleTokens(catalog));
      await catalog.close();
      const port = await freePort();
      apiUrl = `http://127.0.0.1:${port}`;
      api = startSohoa(['api'], { env: { ...env.env, HOST: '127.0.0.1', PORT: String(port) }, stdio: 'ignore' });
      expect(await apiReady(apiUrl)).toBe(200);
      worker = startSohoa(['worker'], { env: env.env, stdio: 'ignore' });
      store = await openObjectStore(env.config);
    }, 120_000);

    afterAll(async () => {
      for (const p of [api, worker]) p?.kill('SIGKILL');
      await store?.close();
      await env?.cleanup();
    });

    it('stores 1,000 of 1,000 pages, each once, with the queues in view and every process under 1 GiB', async () => {
      // Each station scans its own pages: a page of one station's dossier differs from every other station's.
      const pages = await Promise.all(
        Array.from({ length: STATIONS }, (_, s) =>
          Promise.all(
            Array.from({ length: PAGES }, (_, p) =>
              textPage([`Bộ phận một cửa số ${s + 1}`, `Trang ${p + 1} của hồ sơ thủ tục hành chính`, 'Ủy ban nhân dân phường Hải Châu']),
            ),
          ),
        ),
      );

      const depths: QueueJobs[] = [];
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          depths.push(await queueJobs(apiUrl));
          await new Promise((r) => setTimeout(r, 1000));
        }
      })();

      const started = Date.now();
      const latencies: number[] = [];
      const uploads = await Promise.all(
        Array.from({ length: STATIONS }, (_, s) =>
          Promise.all(
            Array.from({ length: DOSSIERS_PER_STATION }, async (_, d) => {
              const code = dossierCode(s, d);
              const files = pages[s]!.map((bytes, p) => ({ name: `trang-${p + 1}.png`, bytes }));
              const { payload, headers } = multipart({ kind: 'component' }, files);
              const t0 = Date.now();
              const res = await fetch(`${apiUrl}/api/dossiers/${code}/documents`, {
                method: 'POST',
                body: payload,
                headers: { ...headers, ...bearer(station) },
              });
              latencies.push(Date.now() - t0);
              expect(res.status, await res.clone().text()).toBe(202);
              return { code, progressUrl: (await res.json()).progressUrl as string };
            }),
          ),
        ),
      ).then((all) => all.flat());
      const uploaded = Date.now();

      const progress = (url: string) => fetch(`${apiUrl}${url}`, { headers: bearer(station) }).then((r) => r.json());
      // Asked of the documents still in the queues only, every 2 s: the stations' own polling, not a flood.
      const states = new Map<string, { state: string }>();
      for (const deadline = Date.now() + 900_000; states.size < uploads.length && Date.now() < deadline; ) {
        for (const { progressUrl } of uploads.filter((u) => !states.has(u.progressUrl))) {
          const state = await progress(progressUrl);
          if (finished(state.state)) states.set(progressUrl, state);
        }
        await new Promise((r) => setTimeout(r, 2000));
      }
      const done = Date.now();
      sampling = false;
      await sampler;
      expect(uploads.map((u) => states.get(u.progressUrl)?.state ?? 'unfinished').filter((state) => state !== 'completed')).toEqual([]);

      let stored = 0;
      for (const { code } of uploads) {
        const manifest = (await readManifest(store, code))!;
        expect(manifest.documents.map((d) => d.pages.map((p) => p.status))).toEqual([Array(PAGES).fill('done')]);
        const keys = manifest.objects.map((o) => o.key);
        expect(new Set(keys).size).toBe(keys.length);
        // Each page: its original's page image, its cleaned image and its OCR text.
        expect(keys.filter((k) => k.includes('/pages/'))).toHaveLength(3 * PAGES);
        expect((await verifyFixity(store, code)).problems).toEqual([]);
        stored += manifest.documents[0]!.pages.length;
      }
      expect(stored).toBe(STATIONS * DOSSIERS_PER_STATION * PAGES);

      const listed = await until(
        () => fetch(`${apiUrl}/api/dossiers?limit=1`, { headers: bearer(archivist) }).then((r) => r.json()),
        (body) => body.total === uploads.length,
        120_000,
      );
      expect(listed.total).toBe(uploads.length);

      // The queues were in view while the batch ran, and are empty now, with nothing failed.
      const QUEUED = ['waiting', 'prioritized', 'delayed', 'waiting-children'];
      const queued = (jobs: QueueJobs, queue: string) => QUEUED.reduce((n, state) => n + (jobs[queue]?.[state] ?? 0), 0);
      const peak = (queue: string) => Math.max(0, ...depths.map((d) => queued(d, queue)));
      const queues = Object.keys(depths.find((d) => Object.keys(d).length) ?? {});
      expect(queues.length).toBeGreaterThan(0);
      expect(Math.max(...queues.map(peak))).toBeGreaterThan(0);
      const last = await queueJobs(apiUrl);
      for (const queue of queues) {
        expect([queue, queued(last, queue), last[queue]?.active, last[queue]?.failed]).toEqual([queue, 0, 0, 0]);
      }

      const apiRss = peakRss(api.pid!);
      const workerRss = peakRss(worker.pid!);
      console.info(
        [
          `load: ${STATIONS} stations × ${DOSSIERS_PER_STATION} dossiers × ${PAGES} pages = ${stored} pages stored`,
          `uploads: ${uploads.length} answered 202 in ${((uploaded - started) / 1000).toFixed(1)} s (latency p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms)`,
          `all done ${((done - started) / 1000).toFixed(1)} s after the first upload: ${((stored / (done - started)) * 60_000).toFixed(0)} pages/min`,
          `peak jobs queued (waiting, delayed or waiting for their pages; sampled every 1 s, ${depths.length} samples): ${queues.map((q) => `${q} ${peak(q)}`).join(', ')}`,
          `peak RSS: api ${(apiRss / MiB).toFixed(0)} MiB; worker ${(workerRss / MiB).toFixed(0)} MiB with ${ocrWorkers} OCR workers = ${(workerRss / ocrWorkers / MiB).toFixed(0)} MiB per OCR worker`,
        ].join('\n'),
      );
      expect(apiRss).toBeLessThan(GiB);
      expect(workerRss).toBeLessThan(GiB);
    }, 1_200_000);
  },
);

/**
 * Many machines: the API and three workers, each a process of its own in a working directory and
 * data directory of its own, sharing only Redis, PostgreSQL and the S3 store (each the test's own
 * instance). Stations upload through the API; one worker is killed with SIGKILL midway; every page
 * comes out once, and the API's indexer puts every document in the catalog.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.js';
import { Catalog } from '../storage/catalog/index.js';
import { type ObjectStore, openObjectStore, readManifest, verifyFixity } from '../storage/objects/index.js';
import { bearer, type RoleToken, roleTokens } from './support/accounts.js';
import { firstRunOnly, tempDir } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { multipart } from './support/multipart.js';
import { freePort, type OwnService, ownPostgres, ownRedis } from './support/own-services.js';
import { apiReady, finished, queueJobs } from './support/queue-watch.js';
import { startSohoa } from './support/run-cli.js';
import { until } from './support/until.js';

const DOSSIERS = ['000.00.15.H17-240305-0101', '000.00.15.H17-240305-0102'];

describe.runIf(firstRunOnly('many machines', 'it runs its own Redis, PostgreSQL and s3rver'))(
  'an API and three workers on machines of their own',
  () => {
    let dir: string;
    let pgDir: string;
    let redis: OwnService;
    let postgres: OwnService;
    let s3: S3rver;
    let shared: Record<string, string>;
    let api: ChildProcess;
    let apiUrl: string;
    const workers: ChildProcess[] = [];
    let store: ObjectStore;
    let tokens: Record<string, RoleToken>;

    /** A `sohoa` process in a directory of its own, as on a machine of its own. */
    const machine = (name: string, command: string, env: Record<string, string> = {}) => {
      const home = path.join(dir, name);
      fs.mkdirSync(home, { recursive: true });
      return startSohoa([command], {
        cwd: home,
        env: { PATH: process.env.PATH!, ...shared, SOHOA_DATA_DIR: path.join(home, 'data'), ...env },
        stdio: 'ignore',
      });
    };

    beforeAll(async () => {
      dir = tempDir('machines');
      for (const d of ['redis', 's3']) fs.mkdirSync(path.join(dir, d));
      // Its own folder: the cluster belongs to the postgres user, who cannot enter the test's.
      pgDir = tempDir('machines-pg');
      redis = await ownRedis(path.join(dir, 'redis'));
      postgres = await ownPostgres(pgDir);
      s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(dir, 's3') });
      const { port } = await s3.run();
      shared = {
        REDIS_URL: redis.url,
        MINIO_ENDPOINT: `http://127.0.0.1:${port}`,
        MINIO_ACCESS_KEY: 'S3RVER',
        MINIO_SECRET_KEY: 'S3RVER',
        MINIO_BUCKET: 'sohoa-machines',
        SOHOA_JOB_LOCK_SECONDS: '3',
        LOG_LEVEL: 'warn',
      };
      const apiPort = await freePort();
      apiUrl = `http://127.0.0.1:${apiPort}`;
      api = machine('api', 'api', { DATABASE_URL: postgres.url, HOST: '127.0.0.1', PORT: String(apiPort) });
      await apiReady(apiUrl);
      for (let i = 1; i <= 3; i++) workers.push(machine(`worker-${i}`, 'worker', { SOHOA_CONCURRENCY: '1' }));
      const config = loadConfig({ ...shared, DATABASE_URL: postgres.url, SOHOA_DATA_DIR: path.join(dir, 'test') });
      const catalog = await Catalog.open(config);
      tokens = await roleTokens(catalog);
      await catalog.close();
      store = await openObjectStore(config);
    }, 120_000);

    afterAll(async () => {
      for (const p of [api, ...workers]) p?.kill('SIGKILL');
      await store?.close();
      await s3?.close();
      await redis?.stop();
      await postgres?.stop().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('get every page once when one worker is killed midway', async () => {
      const progressUrls: string[] = [];
      for (const [i, code] of [...DOSSIERS, ...DOSSIERS].entries()) {
        // Small pages, quick to read: the machines, not the OCR, are under test.
        const files: { name: string; bytes: Buffer }[] = [];
        for (let p = 0; p < 3; p++) files.push({ name: `p${p + 1}.png`, bytes: await pageImage({ dpi: 200, width: 850 + i * 3 + p }) });
        const { payload, headers } = multipart({ kind: 'component' }, files);
        const res = await fetch(`${apiUrl}/api/dossiers/${code}/documents`, {
          method: 'POST',
          body: payload,
          headers: { ...headers, ...bearer(tokens.station!) },
        });
        expect(res.status, await res.clone().text()).toBe(202);
        progressUrls.push((await res.json()).progressUrl);
      }
      const progress = async (url: string) => (await fetch(`${apiUrl}${url}`, { headers: bearer(tokens.station!) })).json();
      // Midway: once some page has been read and before every document is packaged, the first
      // worker goes down with whatever it holds.
      const atKill = await until(
        () => queueJobs(apiUrl),
        (jobs) => (jobs.ocr?.completed ?? 0) > 0,
        120_000,
      );
      workers[0]!.kill('SIGKILL');
      expect(atKill.ocr?.completed).toBeGreaterThan(0);
      expect(atKill.package?.completed ?? 0).toBeLessThan(progressUrls.length);
      const done = await until(
        () => Promise.all(progressUrls.map(progress)),
        (all) => all.every((p) => finished(p.state)),
        300_000,
      );
      expect(done.map((p) => p.state)).toEqual(progressUrls.map(() => 'completed'));

      for (const code of DOSSIERS) {
        const manifest = (await readManifest(store, code))!;
        expect(manifest.documents.map((d) => [d.number, d.pages.map((p) => p.status)])).toEqual([
          [1, ['done', 'done', 'done']],
          [2, ['done', 'done', 'done']],
        ]);
        const keys = manifest.objects.map((o) => o.key);
        expect(new Set(keys).size).toBe(keys.length);
        expect(keys.filter((k) => k.includes('/pages/'))).toHaveLength(3 * 6);
        expect((await verifyFixity(store, code)).problems).toEqual([]);
        const dossier = await until(
          async () => (await fetch(`${apiUrl}/api/dossiers/${code}`, { headers: bearer(tokens.archivist!) })).json(),
          (d) => d.documents?.length === 2,
          120_000,
        );
        expect(dossier.documents.map((d: { fileCode: string }) => d.fileCode)).toEqual([`${code}.01`, `${code}.02`]);
      }
    }, 600_000);
  },
);

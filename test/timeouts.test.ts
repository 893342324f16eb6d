/**
 * Every client has a time limit: a service that takes the connection and never answers fails the
 * call (which the queues retry) instead of holding a worker for ever.
 */

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../api/services.js';
import { ServiceUnavailableError } from '../pipeline/errors.js';
import { openSqlClient } from '../storage/catalog/sql.js';
import { readManifest } from '../storage/objects/index.js';
import { S3Store } from '../storage/objects/s3-store.js';
import { fileInMemory, submitDocument, waitForDocument } from '../workers/index.js';
import { SAMPLE_DIR, testEnvironment } from './support/env.js';

describe('a service that never answers', () => {
  let silent: net.Server;
  let port: number;
  const sockets: net.Socket[] = [];
  beforeAll(async () => {
    silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('fails an object store request once the connection has been silent for its time limit', async () => {
    const started = Date.now();
    const opening = S3Store.open({
      endPoint: '127.0.0.1',
      port,
      useSSL: false,
      accessKey: 'k',
      secretKey: 's',
      bucket: 'silent',
      region: 'us-east-1',
      idleTimeoutMs: 500,
    });
    await expect(opening).rejects.toThrow(ServiceUnavailableError);
    await expect(opening).rejects.toThrow(/no answer in 0\.5 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives a PostgreSQL that does not answer 10 s to connect, and a statement 2 min', async () => {
    const started = Date.now();
    await expect(openSqlClient({ databaseUrl: `postgres://sohoa@127.0.0.1:${port}/sohoa`, dataDir: '' })).rejects.toThrow(
      ServiceUnavailableError,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(9_000);
    expect(Date.now() - started).toBeLessThan(20_000);
    if (!process.env.DATABASE_URL) return;
    const sql = await openSqlClient({ databaseUrl: process.env.DATABASE_URL, dataDir: '' });
    try {
      expect(await sql.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '2min' }]);
    } finally {
      await sql.close();
    }
  }, 30_000);
});

describe('a page that outlasts its time limit', () => {
  it('fails with that reason, and its document goes on', async () => {
    const env = await testEnvironment('page-timeout', { SOHOA_PAGE_TIMEOUT_SECONDS: '1' });
    const services = await openServices(env.config, { catalog: 'none', pipelineWorkers: true });
    try {
      const dossierCode = '000.00.15.H17-240305-0091';
      const file = fileInMemory('to-trinh.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg')));
      const submission = await submitDocument(services.ctx, { dossierCode, kind: 'component', submittedBy: 'test', files: [file] });
      const started = Date.now();
      expect(await waitForDocument(services.ctx, submission, { waitForIndex: false, pollMs: 100 })).toMatchObject({
        pagesDone: 0,
        pagesFailed: 1,
      });
      // Failed at once, not after eight attempts.
      expect(Date.now() - started).toBeLessThan(30_000);
      const [page] = (await readManifest(services.ctx.store, dossierCode))!.documents[0]!.pages;
      expect(page!.error).toBe('to-trinh.jpg page 1: OCR took longer than 1 s (SOHOA_PAGE_TIMEOUT_SECONDS)');
    } finally {
      await services.close();
      await env.cleanup();
    }
  }, 60_000);
});

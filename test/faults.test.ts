/**
 * Outages on the real services: the object store (an s3rver of the test's own, on its own port)
 * goes away while a document is in the queues and comes back 20 s later; the workers' retries
 * (policy.ts) carry the document through, every page once.
 */
import fs from 'node:fs';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { readManifest } from '../storage/objects/index.js';
import { fileInMemory, submitDocument, waitForDocument } from '../workers/index.js';
import { firstRunOnly, SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';

const DOSSIER = '000.00.15.H17-240305-0061';
const OUTAGE_MS = 20_000;

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

  it('is ridden out: the document completes once the store is back, every page once', async () => {
    const files = [
      fileInMemory('p1.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'))),
      fileInMemory('p2.png', await pageImage({ dpi: 200 })),
      fileInMemory('p3.png', await pageImage({ dpi: 300, colour: true })),
    ];
    const submission = await submitDocument(services.ctx, { dossierCode: DOSSIER, kind: 'component', submittedBy: 'test', files });
    // Gone before the first page is read; back on the same address with the same data.
    await s3.close();
    const back = new Promise<void>((resolve) => setTimeout(() => void startS3(port).then(() => resolve()), OUTAGE_MS));
    const result = await waitForDocument(services.ctx, submission, { waitForIndex: false, pollMs: 200 });
    await back;
    expect(result).toMatchObject({ pagesDone: 3, pagesFailed: 0 });
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents).toHaveLength(1);
    expect(manifest.documents[0]!.pages.map((p) => p.status)).toEqual(['done', 'done', 'done']);
    const keys = manifest.objects.map((o) => o.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.includes('/pages/'))).toHaveLength(9);
  }, 240_000);
});

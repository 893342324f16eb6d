/**
 * The orientation check in the queues: a page the detector turns the wrong way is read, found in
 * doubt, cleaned again from its original half-turned by the OCR job and read again; the manifest
 * records the check, and the archival image kept (and its SHA-256) is the upright one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { cleanupPage } from '../pipeline/cleanup/index.js';
import { extractPage } from '../pipeline/input/index.js';
import { characterErrorRate } from '../pipeline/ocr/index.js';
import { readManifest, sha256, verifyFixity } from '../storage/objects/index.js';
import { fileInMemory, submitDocument, waitForDocument } from '../workers/index.js';
import { firstRunOnly, SAMPLE_GT_DIR, type TestEnvironment, testEnvironment } from './support/env.js';
import { underlinedPageUpsideDown } from './support/fixtures.js';

/** Pipeline stages only: the PostgreSQL/S3 run has nothing more to find here. */
const RUN = firstRunOnly('orientation check', 'it tests pipeline stages, which neither the catalog nor the object store driver touches');

const DOSSIER = '000.00.15.H17-231114-0002';
const LINES = fs
  .readFileSync(path.join(SAMPLE_GT_DIR, 'to-trinh-dat-dai-p1.gt.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .slice(0, 22);

describe.runIf(RUN)('a page turned the wrong way, in the queues', () => {
  let env: TestEnvironment;
  let services: Services;
  let page: Buffer;

  beforeAll(async () => {
    env = await testEnvironment('orientation');
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    page = await underlinedPageUpsideDown(LINES);
  });
  afterAll(async () => {
    await services?.close();
    await env?.cleanup();
  });

  it('is read again half-turned, and the upright reading and image are kept', async () => {
    const submission = await submitDocument(services.ctx, {
      dossierCode: DOSSIER,
      procedureCode: '1.004227',
      kind: 'component',
      submittedBy: 'test',
      files: [fileInMemory('gach-chan.png', page)],
    });
    const result = await waitForDocument(services.ctx, submission, { waitForIndex: true, pollMs: 100 });
    expect(result.pagesDone).toBe(1);
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    const done = manifest.documents[0]!.pages[0]!;
    expect(done.rotation).toBe(180);
    const check = done.orientationCheck!;
    expect(check.reason).toMatch(/^(confidence|upright margin)/);
    expect(check.tried[0]!.rotation).toBe(0);
    expect(check.tried[0]!.confidence).toBeLessThan(70);
    expect(check.tried[check.kept]).toMatchObject({ rotation: 180 });
    expect(done.ocrConfidence).toBeGreaterThanOrEqual(85);

    // The stored archival image is the upright cleaning, listed with its own hash.
    const upright = await cleanupPage('gach-chan.png page 1', await extractPage('gach-chan.png', page, 0), undefined, {
      rotation: 180,
      skew: 0,
    });
    const archival = await services.ctx.store.get(done.archivalKey!);
    expect(archival.equals(upright.archival.image)).toBe(true);
    expect(manifest.objects.find((o) => o.key === done.archivalKey)?.sha256).toBe(sha256(archival));
    expect((await verifyFixity(services.ctx.store, DOSSIER)).problems).toEqual([]);

    const ocr = JSON.parse((await services.ctx.store.get(done.ocrResultKey!)).toString('utf8')) as { text: string };
    expect(characterErrorRate(LINES.join('\n'), ocr.text)).toBeLessThan(0.05);
  }, 180_000);
});

/**
 * Putting documents right on real services: a failed page run again (`redo`) while the done ones
 * are kept; a document withdrawn from the dossier's PDF/A, search and coverage but kept in the
 * manifest's history; an upload's idempotency key, which never makes a second document.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { ConflictError, UsageError } from '../pipeline/errors.js';
import { searchPages } from '../storage/catalog/index.js';
import { readManifest } from '../storage/objects/index.js';
import {
  documentFailures,
  fileInMemory,
  jobId,
  QUEUE,
  redoDocument,
  submitDocument,
  waitForDocument,
  withdrawDocument,
} from '../workers/index.js';
import { SAMPLE_DIR, type TestEnvironment, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { readPdf } from './support/pdf-text.js';
import { until } from './support/until.js';

const DOSSIER = '000.00.15.H17-240305-0031';
const sample = (name: string) => fileInMemory(name, fs.readFileSync(path.join(SAMPLE_DIR, name)));

describe('redo, withdraw and idempotency keys', () => {
  let env: TestEnvironment;
  let intake: Services;
  let services: Services;
  beforeAll(async () => {
    env = await testEnvironment('corrections');
    // Submitted before any worker runs, so a page's original can be damaged before cleanup reads it.
    intake = await openServices(env.config, { catalog: 'none', pipelineWorkers: false });
  });
  afterAll(async () => {
    await services?.close();
    await intake?.close();
    await env?.cleanup();
  });

  it('runs the failed page again and keeps the page that was done', async () => {
    const good = await pageImage({ width: 1700, height: 2200, dpi: 200 });
    const submission = await submitDocument(intake.ctx, {
      dossierCode: DOSSIER,
      kind: 'component',
      submittedBy: 'station-1',
      files: [sample('don-cap-ban-sao-p1.jpg'), fileInMemory('p2.png', good)],
    });
    const secondKey = submission.pages[1]!.source.key;
    // The store holds a damaged copy of the second original when the workers read it.
    await intake.ctx.store.put(secondKey, good.subarray(0, 200));
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
    const first = await waitForDocument(services.ctx, submission, { waitForIndex: true, pollMs: 100 });
    expect(first.pagesDone).toBe(1);
    expect(await documentFailures(services.ctx, DOSSIER, 1)).toEqual([expect.objectContaining({ file: 'p2.png', page: 1 })]);
    const before = (await readManifest(services.ctx.store, DOSSIER))!;
    const keptPage = before.documents[0]!.pages[0]!;

    // Mended (the original put back, as its manifest hash says it was), the page is run again.
    await services.ctx.store.put(secondKey, good);
    const redo = await redoDocument(services.ctx, DOSSIER, 1, 'station-1');
    expect(redo.pages.map((p) => p.page)).toEqual([2]);
    const second = await waitForDocument(services.ctx, redo, { waitForIndex: true, pollMs: 100 });
    expect(second).toMatchObject({ pagesDone: 2, pagesFailed: 0 });
    const after = (await readManifest(services.ctx.store, DOSSIER))!;
    const document = after.documents[0]!;
    expect(document.pages.map((p) => p.status)).toEqual(['done', 'done']);
    expect(document.pages[0]).toEqual(keptPage);
    expect(document.redone).toEqual([{ by: 'station-1', at: expect.any(String) }]);
    // The kept page's objects are still listed once, with the hashes they had.
    const pageOne = (m: typeof after) => m.objects.filter((o) => o.page === 1 && o.key.includes('/documents/01/'));
    expect(pageOne(after)).toEqual(pageOne(before));
    expect((await readPdf(await services.ctx.store.get(after.pdfKey!))).pages).toHaveLength(2);
    await expect(redoDocument(services.ctx, DOSSIER, 1, 'station-1')).rejects.toThrow(ConflictError);
  }, 180_000);

  it('withdraws a document: out of the dossier PDF/A, search and coverage, kept in the manifest with who and why', async () => {
    const wrong = await submitDocument(services.ctx, {
      dossierCode: DOSSIER,
      kind: 'result',
      submittedBy: 'station-1',
      files: [sample('to-trinh-dat-dai-p1.jpg')],
    });
    await waitForDocument(services.ctx, wrong, { waitForIndex: true, pollMs: 100 });
    const catalog = services.catalog!;
    const digitized = () =>
      catalog.sql.query<{ result_digitized: boolean }>('SELECT result_digitized FROM dossiers WHERE code = $1', [DOSSIER]);
    expect(await digitized()).toEqual([{ result_digitized: true }]);
    expect((await searchPages(catalog.sql, { query: '"43/2014/NĐ-CP"', dossier: DOSSIER })).total).toBeGreaterThan(0);

    await expect(withdrawDocument(services.ctx, DOSSIER, 2, { user: 'admin', reason: '  ' })).rejects.toThrow(UsageError);
    const withdrawal = await withdrawDocument(services.ctx, DOSSIER, 2, { user: 'admin', reason: 'sai mã hồ sơ' });
    expect(withdrawal).toMatchObject({ by: 'admin', reason: 'sai mã hồ sơ' });
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents.map((d) => [d.number, d.withdrawn?.reason])).toEqual([
      [1, undefined],
      [2, 'sai mã hồ sơ'],
    ]);
    expect((await readPdf(await services.ctx.store.get(manifest.pdfKey!))).pages).toHaveLength(2);
    // The catalog follows once the index job has run.
    const detail = await until(
      () => catalog.getDossier(DOSSIER),
      (d) => d?.documents.length === 1,
    );
    expect(detail!.documents.map((d) => d.number)).toEqual([1]);
    expect(await digitized()).toEqual([{ result_digitized: false }]);
    expect((await searchPages(catalog.sql, { query: '"43/2014/NĐ-CP"', dossier: DOSSIER })).total).toBe(0);
    await expect(withdrawDocument(services.ctx, DOSSIER, 2, { user: 'admin', reason: 'again' })).rejects.toThrow(ConflictError);
    // Its package job run again, as when a worker dies before marking it done: the withdrawal stays.
    const packaging = services.ctx.queue(QUEUE.package);
    const id = jobId(QUEUE.package, DOSSIER, 2);
    await (await packaging.getJob(id))!.retry('completed');
    const rerun = await until(
      async () => {
        const job = (await packaging.getJob(id))!;
        return { state: await job.getState(), result: job.returnvalue, attempts: job.attemptsStarted };
      },
      (r) => r.state === 'completed' && r.attempts > 1,
    );
    expect(rerun).toMatchObject({ state: 'completed', result: { pagesDone: 1, pagesFailed: 0 } });
    const after = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(after.documents.map((d) => [d.number, d.withdrawn?.reason])).toEqual([
      [1, undefined],
      [2, 'sai mã hồ sơ'],
    ]);
    expect(after.pdfKey).toBe(manifest.pdfKey);
    await expect(redoDocument(services.ctx, DOSSIER, 2, 'station-1')).rejects.toThrow(ConflictError);

    // The same files sent again are a new document: the withdrawn one does not answer "already digitized".
    const again = await submitDocument(services.ctx, {
      dossierCode: DOSSIER,
      kind: 'result',
      submittedBy: 'station-1',
      files: [sample('to-trinh-dat-dai-p1.jpg')],
    });
    expect(again).toMatchObject({ documentNumber: 3, alreadyDigitized: false });
    await waitForDocument(services.ctx, again, { waitForIndex: true, pollMs: 100 });
  }, 180_000);

  it('never makes a second document for the same idempotency key, whatever bytes come with it', async () => {
    const key = 'upload-7f3a9c21-0d4e';
    const request = { dossierCode: DOSSIER, kind: 'component' as const, submittedBy: 'station-1', idempotencyKey: key };
    const first = await submitDocument(services.ctx, { ...request, files: [fileInMemory('a.png', await pageImage({ dpi: 200 }))] });
    // Retried while the first is still in the queues, with bytes re-encoded on the way.
    const retried = await submitDocument(services.ctx, {
      ...request,
      files: [fileInMemory('a.jpg', await pageImage({ dpi: 200, format: 'jpeg' }))],
    });
    expect(retried.documentNumber).toBe(first.documentNumber);
    await waitForDocument(services.ctx, first, { waitForIndex: true, pollMs: 100 });
    const later = await submitDocument(services.ctx, { ...request, files: [fileInMemory('b.png', await pageImage({ dpi: 300 }))] });
    expect(later).toMatchObject({ documentNumber: first.documentNumber, alreadyDigitized: true });
    // Asked for PDF/A-1b, "already digitized" would hand back the 2b file: refused, saying why.
    await expect(
      submitDocument(services.ctx, { ...request, pdfaPart: '1b', files: [fileInMemory('b.png', await pageImage({ dpi: 300 }))] }),
    ).rejects.toThrow(/digitized as .*\.04 in PDF\/A-2b, not 1b/);
    expect((await readManifest(services.ctx.store, DOSSIER))!.documents.map((d) => d.number)).toEqual([1, 2, 3, 4]);
  }, 120_000);
});

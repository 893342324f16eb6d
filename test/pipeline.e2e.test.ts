/**
 * One dossier the whole way on real services: upload → BullMQ flow → cleanup → OCR → PDF/A →
 * object store (manifest) → catalog. Runs on PGlite + directory store, or PostgreSQL + S3.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { characterErrorRate } from '../pipeline/ocr/index.js';
import { type DossierManifest, manifestKey, readManifest, sha256, verifyFixity } from '../storage/objects/index.js';
import { documentFailures, fileInMemory, submitDocument, waitForDocument } from '../workers/index.js';
import { SAMPLE_DIR, SAMPLE_GT_DIR, type TestEnvironment, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { readPdf } from './support/pdf-text.js';

const DOSSIER = '000.00.15.H17-231114-0001';
const PAGES = ['don-cap-ban-sao-p1', 'to-trinh-dat-dai-p1'];

describe('a dossier through the pipeline', () => {
  let env: TestEnvironment;
  let services: Services;
  let manifest: DossierManifest;
  const files = PAGES.map((name) => fileInMemory(`${name}.jpg`, fs.readFileSync(path.join(SAMPLE_DIR, `${name}.jpg`))));

  beforeAll(async () => {
    env = await testEnvironment('e2e');
    services = await openServices(env.config, { catalog: 'required', pipelineWorkers: true });
  });
  afterAll(async () => {
    await services?.close();
    await env?.cleanup();
  });

  it('digitizes two pages and a non-image into a PDF/A, naming the bad file', async () => {
    const bad = fileInMemory('ghi-chu.jpg', Buffer.from('this is a note, not a scan'));
    const submission = await submitDocument(services.ctx, {
      dossierCode: DOSSIER,
      procedureCode: '1.004227',
      kind: 'component',
      submittedBy: 'test',
      files: [files[0]!, bad, files[1]!],
    });
    expect(submission.documentNumber).toBe(1);
    expect(submission.pages).toHaveLength(3);
    expect(submission.rejected).toEqual([expect.objectContaining({ page: 2, fileName: 'ghi-chu.jpg' })]);
    const result = await waitForDocument(services.ctx, submission, { waitForIndex: true, pollMs: 100 });
    expect(result.pagesDone).toBe(2);
    expect(await documentFailures(services.ctx, DOSSIER, 1)).toEqual([
      { file: 'ghi-chu.jpg', page: 1, reason: 'ghi-chu.jpg: not a scanned page: expected JPEG, PNG, TIFF or PDF' },
    ]);
    manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents).toHaveLength(1);
    expect(manifest.documents[0]!.pages.map((p) => p.status)).toEqual(['done', 'failed', 'done']);
  });

  it('keeps every original byte-for-byte and lists every object with its SHA-256', async () => {
    const originals = manifest.objects.filter((o) => o.role === 'original');
    expect(originals).toHaveLength(3);
    for (const [i, file] of [files[0]!, fileInMemory('ghi-chu.jpg', Buffer.from('this is a note, not a scan')), files[1]!].entries()) {
      const bytes = await file.read();
      expect(originals[i]!.sha256).toBe(sha256(bytes));
      expect((await services.ctx.store.get(originals[i]!.key)).equals(bytes)).toBe(true);
    }
    const roles = manifest.objects.map((o) => o.role).sort();
    expect(roles.filter((r) => r === 'archival-image')).toHaveLength(2);
    expect(roles.filter((r) => r === 'ocr-result')).toHaveLength(2);
    expect(roles).toContain('document-pdf');
    expect(roles).toContain('dossier-pdf');
    const report = await verifyFixity(services.ctx.store, DOSSIER);
    expect(report.problems).toEqual([]);
    expect(report.objects).toBe(manifest.objects.length);
  });

  it('writes a PDF/A whose text layer reads back like the page (CER ≤ 2%)', async () => {
    const pdf = await services.ctx.store.get(manifest.pdfKey!);
    const { pages } = await readPdf(pdf);
    expect(pages).toHaveLength(2);
    for (const [i, name] of PAGES.entries()) {
      const truth = fs.readFileSync(path.join(SAMPLE_GT_DIR, `${name}.gt.txt`), 'utf8');
      expect(characterErrorRate(truth, pages[i]!.text)).toBeLessThanOrEqual(0.02);
    }
    expect(pdf.toString('latin1')).toContain('<pdfaid:part>2</pdfaid:part>');
  });

  it('indexes the dossier in the catalog', async () => {
    const dossier = await services.catalog!.getDossier(DOSSIER);
    expect(dossier).toMatchObject({ code: DOSSIER, agencyCode: '000.00.15.H17', procedureCode: '1.004227' });
    expect(dossier!.documents).toHaveLength(1);
    expect(dossier!.documents[0]!.pages.map((p) => p.status)).toEqual(['done', 'failed', 'done']);
    const text = await services.catalog!.pageText(DOSSIER, 1, 3);
    expect(text).toMatch(/TỜ TRÌNH/);
  });

  it('does not duplicate a resubmitted batch', async () => {
    const again = await submitDocument(services.ctx, {
      dossierCode: DOSSIER,
      kind: 'component',
      submittedBy: 'test',
      files: [files[0]!, fileInMemory('ghi-chu.jpg', Buffer.from('this is a note, not a scan')), files[1]!],
    });
    expect(again).toMatchObject({ alreadyDigitized: true, documentNumber: 1 });
    expect((await readManifest(services.ctx.store, DOSSIER))!.documents).toHaveLength(1);
  });

  it('adds a result document to the dossier and rebuilds the whole-dossier PDF/A', async () => {
    const result = await submitDocument(services.ctx, {
      dossierCode: DOSSIER,
      kind: 'result',
      submittedBy: 'test',
      files: [fileInMemory('ket-qua.png', await pageImage({ dpi: 200 }))],
    });
    expect(result.documentNumber).toBe(2);
    await waitForDocument(services.ctx, result, { waitForIndex: true, pollMs: 100 });
    const updated = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(updated.documents.map((d) => [d.fileCode, d.kind])).toEqual([
      [`${DOSSIER}.01`, 'component'],
      [`${DOSSIER}.02`, 'result'],
    ]);
    expect((await readPdf(await services.ctx.store.get(updated.pdfKey!))).pages).toHaveLength(3);
    expect((await services.catalog!.getDossier(DOSSIER))!.documents).toHaveLength(2);
    expect((await services.ctx.store.stat(manifestKey(DOSSIER)))!.size).toBeGreaterThan(0);
  });
});

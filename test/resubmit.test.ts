/**
 * A document whose packaging failed for good (here: the agency certificate became unreadable) is
 * submitted again once the fault is mended: it keeps its number, and its first originals are not
 * left behind under it.
 */

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices, type Services } from '../api/services.js';
import { readManifest } from '../storage/objects/index.js';
import { fileInMemory, submitBatch, submitDocument, waitForDocument } from '../workers/index.js';
import { makeTestCertificate } from './support/certificate.js';
import { scannedCoverSheet } from './support/coversheet.js';
import { SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';

const DOSSIER = '000.00.15.H17-231114-0006';
const BATCH_DOSSIER = '000.00.15.H17-231114-0007';

describe('a document submitted again after its packaging failed', () => {
  const certificate = makeTestCertificate();
  const p12 = path.join(tempDir('resubmit-cert'), 'agency.p12');
  let env: TestEnvironment;
  let services: Services;
  beforeAll(async () => {
    fs.writeFileSync(p12, certificate.p12);
    env = await testEnvironment('resubmit', {
      SOHOA_SIGN_P12: p12,
      SOHOA_SIGN_PASSWORD: certificate.password,
      SOHOA_AGENCY_NAME: 'UBND phường Hải Châu',
    });
    services = await openServices(env.config, { catalog: 'none', pipelineWorkers: true });
  });
  afterAll(async () => {
    await services?.close();
    await env?.cleanup();
    fs.rmSync(path.dirname(p12), { recursive: true, force: true });
  });

  it('keeps its document number, and the store holds one copy of its originals', async () => {
    const files = [fileInMemory('p1.jpg', fs.readFileSync(path.join(SAMPLE_DIR, 'don-cap-ban-sao-p1.jpg')))];
    const request = { dossierCode: DOSSIER, kind: 'component' as const, submittedBy: 'test', files, sign: true, maySign: true };
    const first = await submitDocument(services.ctx, request);
    // The page takes seconds to clean and read: the certificate is unreadable before packaging starts.
    fs.writeFileSync(p12, 'not a PKCS#12 file');
    await expect(waitForDocument(services.ctx, first, { waitForIndex: false, pollMs: 100 })).rejects.toThrow(/packaging .*\.01 failed/);

    fs.writeFileSync(p12, certificate.p12);
    const again = await submitDocument(services.ctx, request);
    expect(again).toMatchObject({ documentNumber: first.documentNumber, alreadyDigitized: false });
    expect((await waitForDocument(services.ctx, again, { waitForIndex: false, pollMs: 100 })).pagesDone).toBe(1);
    const manifest = (await readManifest(services.ctx.store, DOSSIER))!;
    expect(manifest.documents.map((d) => d.fileCode)).toEqual([`${DOSSIER}.01`]);
    const originals: string[] = [];
    for await (const { key } of services.ctx.store.list(`dossiers/${DOSSIER}/documents/`))
      if (key.includes('/originals/')) originals.push(key);
    expect(originals).toEqual([`dossiers/${DOSSIER}/documents/01/originals/001.jpg`]);
  }, 120_000);

  it('takes the same stack again when its documents failed, under the same numbers, and answers from its record once they are in', async () => {
    const sheet = (dossierCode: string) => scannedCoverSheet({ dossierCode, kind: 'component' }, { dpi: 200 });
    const files = [
      fileInMemory('a.png', await sheet(BATCH_DOSSIER)),
      fileInMemory('p.png', await pageImage({ dpi: 200 })),
      fileInMemory('b.png', await sheet(DOSSIER)),
      fileInMemory('q.png', await pageImage({ dpi: 200, colour: true })),
    ];
    fs.writeFileSync(p12, 'not a PKCS#12 file');
    const first = await submitBatch(services.ctx, { files, submittedBy: 'test', sign: true, maySign: true });
    expect(first.documents.map((d) => d.fileCode)).toEqual([`${BATCH_DOSSIER}.01`, `${DOSSIER}.02`]);
    for (const d of first.documents)
      await expect(waitForDocument(services.ctx, d, { waitForIndex: false, pollMs: 100 })).rejects.toThrow(/packaging .* failed/);

    fs.writeFileSync(p12, certificate.p12);
    const again = await submitBatch(services.ctx, { files, submittedBy: 'test', sign: true, maySign: true });
    expect(again).toMatchObject({ batchId: first.batchId, alreadySubmitted: false });
    expect(again.documents.map((d) => [d.fileCode, d.alreadyDigitized])).toEqual([
      [`${BATCH_DOSSIER}.01`, false],
      [`${DOSSIER}.02`, false],
    ]);
    for (const d of again.documents)
      expect((await waitForDocument(services.ctx, d, { waitForIndex: false, pollMs: 100 })).pagesDone).toBe(1);
    expect((await readManifest(services.ctx.store, DOSSIER))!.documents.map((d) => d.number)).toEqual([1, 2]);
    const third = await submitBatch(services.ctx, { files, submittedBy: 'test' });
    expect(third).toMatchObject({ alreadySubmitted: true, documents: [{ alreadyDigitized: true }, { alreadyDigitized: true }] });
  }, 180_000);
});

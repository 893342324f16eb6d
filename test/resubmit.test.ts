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
import { submitDocument, waitForDocument } from '../workers/index.js';
import { makeTestCertificate } from './support/certificate.js';
import { SAMPLE_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';

const DOSSIER = '000.00.15.H17-231114-0006';

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
    const files = [{ name: 'p1.jpg', bytes: fs.readFileSync(path.join(SAMPLE_DIR, 'don-cap-ban-sao-p1.jpg')) }];
    const request = { dossierCode: DOSSIER, kind: 'component' as const, submittedBy: 'test', files, sign: true };
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
    expect(originals).toEqual([`dossiers/${DOSSIER}/documents/01/originals/001-p1.jpg`]);
  }, 120_000);
});

/** The agency signature: PAdES over a finished PDF/A, visible on page 1 top right, still PDF/A. */

import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.js';
import { openServices } from '../api/services.js';
import { type ConfigError, SigningError } from '../pipeline/errors.js';
import { buildPdfA, mergePdfA } from '../pipeline/pdfa/index.js';
import { type AgencyCertificate, type SignedPdf, signPdfA } from '../pipeline/sign/index.js';
import { openObjectStore, readManifest } from '../storage/objects/index.js';
import { fileInMemory, submitDocument, waitForDocument } from '../workers/index.js';
import { makeTestCertificate, type TestCertificate } from './support/certificate.js';
import { checkPdfSignature } from './support/cms.js';
import { SAMPLE_DIR, sharedTool, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { runSohoa } from './support/run-cli.js';

const AGENCY = 'Ủy ban nhân dân phường Hải Châu';
const SIGNED_AT = new Date('2026-11-28T00:31:26Z');
const SIGNED_AT_VN = '2026-11-28T07:31:26+07:00';

const meta = {
  title: 'Tờ trình',
  identifier: '000.00.15.H17-231114-0001.01',
  dossierCode: '000.00.15.H17-231114-0001',
  agencyCode: '000.00.15.H17',
  created: new Date('2026-11-27T09:00:00Z'),
  producer: 'Sohoa test',
};

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words of one page with their boxes, top-left origin, as `pdftotext -bbox` reports them. */
function wordsOnPage(file: string, page: number): { width: number; height: number; words: Word[] } {
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], {
    encoding: 'utf8',
  });
  const size = /<page width="([\d.]+)" height="([\d.]+)"/.exec(html)!;
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5]!,
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
  }));
  return { width: Number(size[1]), height: Number(size[2]), words };
}

describe('agency signature', () => {
  let cert: TestCertificate;
  let agency: AgencyCertificate;
  let dir: string;
  const unsigned: Record<'1b' | '2b', Buffer> = { '1b': Buffer.alloc(0), '2b': Buffer.alloc(0) };
  const signed = {} as Record<'1b' | '2b', SignedPdf>;

  beforeAll(async () => {
    cert = makeTestCertificate();
    agency = { p12: cert.p12, password: cert.password, agencyName: AGENCY };
    dir = tempDir('sign');
    const jpeg = await pageImage({ format: 'jpeg', dpi: 100, colour: true });
    const page = { image: jpeg, format: 'jpeg' as const, width: 850, height: 1100, dpi: 100 };
    for (const part of ['1b', '2b'] as const) {
      unsigned[part] = await buildPdfA([page, page], meta, part);
      signed[part] = await signPdfA(unsigned[part], agency, SIGNED_AT);
      fs.writeFileSync(path.join(dir, `${part}.pdf`), signed[part].pdf);
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('signs PAdES baseline B-B with the PKCS#12 certificate: the CMS digest covers the whole file and verifies', async () => {
    const result = signed['2b'];
    expect(result).toMatchObject({ signer: cert.commonName, agencyName: AGENCY, signedAt: SIGNED_AT_VN });
    const certificateDer = new X509Certificate(cert.certificatePem).raw;
    expect(checkPdfSignature(result.pdf)).toEqual({
      byteRangeCoversFile: true,
      digestMatches: true,
      signatureVerifies: true,
      signerCommonName: cert.commonName,
      subFilter: 'ETSI.CAdES.detached',
      digestAlgorithm: 'sha256',
      // CAdES B-B: no signingTime in the CMS (PAdES keeps the time in the dictionary's /M).
      signedAttributes: ['contentType', 'messageDigest', 'signingCertificateV2'],
      signingCertificateV2: { hashAlgorithm: 'sha256', certHash: createHash('sha256').update(certificateDer).digest('hex') },
      signerCertificate: certificateDer.toString('hex'),
    });
    expect(result.pdf.toString('latin1')).toMatch(/\/M\s*\(D:20261128003126Z/);
    // The same check catches one changed byte in the signed range.
    const tampered = Buffer.from(result.pdf);
    tampered[200] = tampered[200]! ^ 0x01;
    expect(checkPdfSignature(tampered).digestMatches).toBe(false);
    // And poppler (NSS) agrees, without knowing this code.
    const file = path.join(dir, 'poppler.pdf');
    fs.writeFileSync(file, result.pdf);
    const report = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(report).toMatch(/Signature Type: ETSI\.CAdES\.detached/);
    expect(report).toMatch(/Signing Hash Algorithm: SHA-256/);
    expect(report).toMatch(/Signature Validation: Signature is Valid\./);
  });

  it('shows the agency name and the signing time, Vietnam time, on page 1 top right, and nowhere else', () => {
    const file = path.join(dir, '2b.pdf');
    const { width, height, words } = wordsOnPage(file, 1);
    const shown = words.filter((w) => w.text === SIGNED_AT_VN || AGENCY.split(' ').includes(w.text));
    expect(shown.map((w) => w.text)).toEqual([...AGENCY.split(' '), SIGNED_AT_VN]);
    for (const w of shown) {
      expect(w.xMin).toBeGreaterThan(width / 2);
      expect(w.yMax).toBeLessThan(height * 0.15);
    }
    expect(wordsOnPage(file, 2).words).toEqual([]);
  });

  it('adds no image: the appearance is text only', () => {
    const images = (pdf: Buffer) => {
      const file = path.join(dir, 'images.pdf');
      fs.writeFileSync(file, pdf);
      return execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).trim().split('\n').length;
    };
    expect(images(signed['2b'].pdf)).toBe(images(unsigned['2b']));
  });

  it('stays PDF/A: Preflight accepts the signed PDF/A-1b, the PDF/A-2b checks pass', () => {
    const preflight = sharedTool('signed PDF/A', 'preflight');
    const check = sharedTool('signed PDF/A', 'pdfa_check.py');
    if (!preflight || !check) return;
    expect(execFileSync(preflight, [path.join(dir, '1b.pdf')], { encoding: 'utf8' })).toContain('is a valid PDF/A-1b file');
    expect(execFileSync('/usr/bin/python3', [check, path.join(dir, '1b.pdf'), path.join(dir, '2b.pdf')], { encoding: 'utf8' })).toMatch(
      /1b\.pdf: OK .*'pdfa': '1b'[\s\S]*2b\.pdf: OK .*'pdfa': '2b'/,
    );
  });

  it('joins signed and unsigned PDF/A files into one that stays PDF/A and signs again', async () => {
    const merged = await mergePdfA(
      [
        { pdf: signed['1b'].pdf, name: 'signed.pdf' },
        { pdf: unsigned['2b'], name: 'unsigned.pdf' },
      ],
      { ...meta, title: 'Hồ sơ', identifier: meta.dossierCode },
      '1b',
    );
    const doc = await PDFDocument.load(merged);
    expect(doc.getPageCount()).toBe(4);
    // The first file's signature stays behind: no widget, no form, no signature text on page 1.
    expect(doc.getPages().map((p) => p.node.has(PDFName.of('Annots')))).toEqual([false, false, false, false]);
    expect(doc.catalog.has(PDFName.of('AcroForm'))).toBe(false);
    const file = path.join(dir, 'merged.pdf');
    fs.writeFileSync(file, merged);
    expect(wordsOnPage(file, 1).words.map((w) => w.text)).not.toContain(SIGNED_AT_VN);
    const resigned = path.join(dir, 'merged-signed.pdf');
    fs.writeFileSync(resigned, (await signPdfA(merged, agency, SIGNED_AT)).pdf);
    expect(wordsOnPage(resigned, 1).words.filter((w) => w.text === SIGNED_AT_VN)).toHaveLength(1);
    await expect(mergePdfA([{ pdf: Buffer.from('not a pdf'), name: 'broken.pdf' }], meta)).rejects.toThrow(
      /^broken\.pdf: cannot be read as a PDF/,
    );

    const preflight = sharedTool('merged PDF/A', 'preflight');
    if (!preflight) return;
    for (const f of [file, resigned]) expect(execFileSync(preflight, [f], { encoding: 'utf8' })).toContain('is a valid PDF/A-1b file');
  });

  it('refuses a wrong password with a SigningError that says so', async () => {
    const attempt = signPdfA(unsigned['2b'], { ...agency, password: 'wrong' });
    await expect(attempt).rejects.toBeInstanceOf(SigningError);
    await expect(attempt).rejects.toThrow(/wrong password/);
  });

  it('configuration: SOHOA_SIGN_P12 must be a file, and the agency name comes with it', () => {
    const p12 = path.join(dir, 'agency.p12');
    fs.writeFileSync(p12, cert.p12);
    expect(loadConfig({ SOHOA_SIGN_P12: p12, SOHOA_SIGN_PASSWORD: 'x', SOHOA_AGENCY_NAME: AGENCY }).sign).toEqual({
      p12Path: p12,
      password: 'x',
      agencyName: AGENCY,
    });
    expect(loadConfig({}).sign).toBeUndefined();
    let error: ConfigError | undefined;
    try {
      loadConfig({ SOHOA_SIGN_P12: path.join(dir, 'missing.p12') });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems).toEqual([
      expect.stringMatching(/SOHOA_SIGN_P12=".*missing\.p12" is not a readable file/),
      expect.stringMatching(/SOHOA_AGENCY_NAME is required/),
    ]);
  });
});

describe('sohoa digitize --sign --pdfa 1b', () => {
  const DOSSIER = '000.00.15.H17-231114-0003';
  let env: TestEnvironment;
  let certDir: string;
  let cert: TestCertificate;
  beforeAll(async () => {
    cert = makeTestCertificate();
    certDir = tempDir('sign-cert');
    const p12 = path.join(certDir, 'agency.p12');
    fs.writeFileSync(p12, cert.p12);
    env = await testEnvironment('sign', { SOHOA_SIGN_P12: p12, SOHOA_SIGN_PASSWORD: cert.password, SOHOA_AGENCY_NAME: AGENCY });
  });
  afterAll(async () => {
    fs.rmSync(certDir, { recursive: true, force: true });
    await env?.cleanup();
  });

  it('writes a signed PDF/A-1b and records the signature in the manifest', async () => {
    const out = path.join(env.config.dataDir, 'out');
    const page = path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg');
    const run = await runSohoa(env.env, 'digitize', page, '--dossier', DOSSIER, '--out', out, '--sign', '--pdfa', '1b');
    expect(run.status, run.stderr).toBe(0);
    const pdf = fs.readFileSync(path.join(out, `${DOSSIER}.pdf`));
    expect(pdf.toString('latin1')).toContain('<pdfaid:part>1</pdfaid:part>');
    expect(checkPdfSignature(pdf)).toMatchObject({
      digestMatches: true,
      signatureVerifies: true,
      signerCommonName: cert.commonName,
      subFilter: 'ETSI.CAdES.detached',
    });

    const store = await openObjectStore(env.config);
    const manifest = (await readManifest(store, DOSSIER))!;
    await store.close();
    const pdfObjects = manifest.objects.filter((o) => o.role === 'document-pdf' || o.role === 'dossier-pdf');
    expect(pdfObjects).toHaveLength(2);
    for (const o of pdfObjects) {
      expect(o.signature).toMatchObject({ signer: cert.commonName, agencyName: AGENCY });
      expect(o.signature!.signedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    }
    expect((await runSohoa(env.env, 'verify', '--dossier', DOSSIER)).status).toBe(0);
  });

  it('re-signs the dossier PDF/A for a later document only when its submitter may have files signed', async () => {
    const services = await openServices(env.config, { catalog: 'none', pipelineWorkers: true });
    try {
      const later = async (maySign: boolean, dpi: number) => {
        const file = fileInMemory(`p${dpi}.png`, await pageImage({ dpi }));
        const submission = await submitDocument(services.ctx, {
          dossierCode: DOSSIER,
          kind: 'component',
          submittedBy: 'station',
          files: [file],
          maySign,
        });
        await waitForDocument(services.ctx, submission, { waitForIndex: false, pollMs: 100 });
        return (await readManifest(services.ctx.store, DOSSIER))!;
      };
      const unallowed = await later(false, 210);
      const signed = (m: typeof unallowed, role: string) => m.objects.filter((o) => o.role === role).map((o) => o.signature !== undefined);
      // Someone not allowed to sign added pages: the dossier's file is rebuilt unsigned, document 1 keeps its signature.
      expect(signed(unallowed, 'dossier-pdf')).toEqual([false]);
      expect(signed(unallowed, 'document-pdf')).toEqual([true, false]);
      const allowed = await later(true, 220);
      expect(signed(allowed, 'dossier-pdf')).toEqual([true]);
    } finally {
      await services.close();
    }
  });

  it('refuses --sign where no certificate is configured, before queueing anything', async () => {
    const bare = await testEnvironment('nosign');
    try {
      const run = await runSohoa(
        bare.env,
        'digitize',
        path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'),
        '--dossier',
        DOSSIER,
        '--out',
        path.join(bare.config.dataDir, 'out'),
        '--sign',
      );
      expect(run.status).toBe(64);
      expect(run.stderr).toMatch(/no agency certificate is configured \(SOHOA_SIGN_P12\)/);
    } finally {
      await bare.cleanup();
    }
  });
});

/** The `sohoa` command as a user runs it: a separate process on the real services. */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterErrorRate } from '../pipeline/ocr/index.js';
import { Catalog } from '../storage/catalog/index.js';
import { openObjectStore, readManifest } from '../storage/objects/index.js';
import { STATION_METADATA } from './support/archival-metadata.js';
import { checkEarkPackage } from './support/eark.js';
import { SAMPLE_DIR, SAMPLE_GT_DIR, type TestEnvironment, tempDir, testEnvironment } from './support/env.js';
import { readPdf } from './support/pdf-text.js';
import { runSohoa } from './support/run-cli.js';

const DOSSIER = '000.00.15.H17-231114-0002';

describe('sohoa CLI', () => {
  let env: TestEnvironment;
  let folder: string;
  let out: string;
  let metadataFile: string;
  beforeAll(async () => {
    env = await testEnvironment('cli');
    folder = tempDir('cli-input');
    out = path.join(env.config.dataDir, 'out');
    fs.copyFileSync(path.join(SAMPLE_DIR, 'to-trinh-dat-dai-p1.jpg'), path.join(folder, 'a-to-trinh.jpg'));
    fs.writeFileSync(path.join(folder, 'b-bien-ban.docx'), 'PK\u0003\u0004 not really a scan');
    metadataFile = path.join(tempDir('cli-metadata'), 'metadata.json');
    fs.writeFileSync(metadataFile, JSON.stringify(STATION_METADATA));
    // Cut off mid-way: it passes inspection and fails in a cleanup job.
    fs.writeFileSync(
      path.join(folder, 'c-cat-ngang.jpg'),
      fs.readFileSync(path.join(SAMPLE_DIR, 'don-cap-ban-sao-p1.jpg')).subarray(0, 20_000),
    );
  });
  afterAll(async () => {
    fs.rmSync(folder, { recursive: true, force: true });
    await env?.cleanup();
  });

  it('digitizes a folder, stores the good page and names the bad file with its reason', async () => {
    // As a user runs it: no LOG_LEVEL of the tests' own.
    const { LOG_LEVEL: _level, SOHOA_LOG_FILE: _file, ...userEnv } = env.env;
    const run = await runSohoa(userEnv, 'digitize', folder, '--dossier', DOSSIER, '--out', out, '--metadata', metadataFile);
    expect(run.status, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^FAILED b-bien-ban\.docx page 1: not a scanned page: expected JPEG, PNG, TIFF or PDF$/m);
    expect(run.stderr).toMatch(/^FAILED c-cat-ngang\.jpg page 1: cleanup failed: .*premature end/m);
    // The workers' own log lines ("job failed") do not interleave with what the command says.
    expect(run.stderr).not.toMatch(/"level":/);
    const pdfPath = path.join(out, `${DOSSIER}.pdf`);
    expect(run.stdout.trim().split('\n')).toEqual([`${DOSSIER}.01 component: 1 page(s) in the PDF/A, 2 failed`, pdfPath]);
    expect(fs.existsSync(pdfPath)).toBe(true);
    // The copy out of the store is a read of the dossier: in the audit log, under the operator.
    const catalog = await Catalog.open(env.config);
    try {
      const [entry] = await catalog.audit({ limit: 1, action: 'export-pdf' });
      expect([entry!.actor.startsWith('cli:'), entry!.target, entry!.detail]).toEqual([true, DOSSIER, { to: pdfPath }]);
    } finally {
      await catalog.close();
    }
  });

  it('keeps the Circular 05/2025 metadata in the manifest, the XMP of both PDF/A files and the catalog', async () => {
    const store = await openObjectStore(env.config);
    const manifest = (await readManifest(store, DOSSIER))!;
    const document = manifest.documents[0]!;
    const pdf = await store.get(document.pdfKey!);
    await store.close();
    expect(document.metadata!.values).toMatchObject({ ...STATION_METADATA.document, maintenance: 'Vĩnh viễn', language: ['vi'] });
    // One page of three went into the PDF/A; the scan's text is Vietnamese.
    expect(document.metadata!.derived).toEqual(['confidenceLevel', 'docCode', 'docId', 'fileCode', 'format', 'language', 'numberOfPage']);
    const page = document.pages.find((p) => p.status === 'done')!;
    expect(document.metadata!.values).toMatchObject({
      numberOfPage: 1,
      docCode: `${DOSSIER}.0000001`,
      confidenceLevel: '02',
      // What the scan shows: its colour mode and resolution (the fixture is no paper size).
      format: expect.stringMatching(
        new RegExp(`, ${{ colour: 'màu', grey: 'xám', bilevel: 'đen trắng' }[page.colour!]}, ${page.dpi} dpi$`),
      ),
    });
    expect(manifest.metadata!.values).toMatchObject({
      title: STATION_METADATA.dossier.title,
      totalDoc: 1,
      numberOfPage: 1,
      fileCode: DOSSIER,
    });
    const documentPdf = path.join(folder, '..', `${DOSSIER}.01.pdf`);
    fs.writeFileSync(documentPdf, pdf);
    const documentXmp = execFileSync('pdfinfo', ['-meta', documentPdf], { encoding: 'utf8' });
    for (const name of ['codeNumber', 'codeNotation', 'issuedDate', 'organName', 'typeName'] as const)
      expect(documentXmp).toContain(`<tt05vb:${name}>${STATION_METADATA.document[name]}</tt05vb:${name}>`);
    const dossierXmp = execFileSync('pdfinfo', ['-meta', path.join(out, `${DOSSIER}.pdf`)], { encoding: 'utf8' });
    expect(dossierXmp).toContain(`<tt05hs:title>${STATION_METADATA.dossier.title}</tt05hs:title>`);
    expect(dossierXmp).toContain(`<tt05hs:totalDoc>1</tt05hs:totalDoc>`);
    expect(dossierXmp).toContain(`<rdf:li xml:lang="x-default">${STATION_METADATA.dossier.title}</rdf:li>`);
    // Archivists filter by notation, issuing agency (diacritics optional) and issue date.
    const search = async (...filters: string[]) =>
      JSON.parse((await runSohoa(env.env, 'search', 'giấy', '--json', '--dossier', DOSSIER, ...filters)).stdout).total;
    expect(
      await search('--notation', 'ubnd-ktth', '--organ', 'uy ban nhan dan tinh quang ngai', '--issued-from', '2025-02-04'),
    ).toBeGreaterThan(0);
    expect(await search('--notation', 'UBND-VX')).toBe(0);
    expect(await search('--issued-to', '2025-02-03')).toBe(0);
  });

  it('corrects metadata without scanning again: a new manifest says who changed what, the PDF/A carries it', async () => {
    const dir = tempDir('cli-fix');
    const documentFix = path.join(dir, 'document.json');
    fs.writeFileSync(documentFix, JSON.stringify({ subject: 'V/v sửa trích yếu', autograph: null }));
    const store = await openObjectStore(env.config);
    try {
      const oldPdf = (await readManifest(store, DOSSIER))!.documents[0]!.pdfKey!;
      const run = await runSohoa(env.env, 'metadata', `${DOSSIER}.01`, documentFix);
      expect([run.status, run.stdout.trim()], run.stderr).toEqual([0, `${DOSSIER}.01: autograph, subject changed`]);
      const manifest = (await readManifest(store, DOSSIER))!;
      const document = manifest.documents[0]!;
      expect(document.metadata!.values.subject).toBe('V/v sửa trích yếu');
      expect(document.metadata!.values.autograph).toBeUndefined();
      expect(document.metadata!.changes).toEqual([
        {
          by: expect.stringMatching(/^cli:/),
          at: expect.any(String),
          fields: {
            autograph: { from: STATION_METADATA.document.autograph, to: null },
            subject: { from: STATION_METADATA.document.subject, to: 'V/v sửa trích yếu' },
          },
        },
      ]);
      // A new file under a new key; the old one is gone once the manifest names the new one.
      expect(document.pdfKey).not.toBe(oldPdf);
      expect(await store.stat(oldPdf)).toBeNull();
      const fixed = path.join(dir, 'fixed.pdf');
      fs.writeFileSync(fixed, await store.get(document.pdfKey!));
      expect(execFileSync('pdfinfo', ['-meta', fixed], { encoding: 'utf8' })).toContain(
        '<tt05vb:subject>V/v sửa trích yếu</tt05vb:subject>',
      );

      const dossierFix = path.join(dir, 'dossier.json');
      fs.writeFileSync(dossierFix, JSON.stringify({ title: 'Hồ sơ đã sửa tiêu đề' }));
      expect((await runSohoa(env.env, 'metadata', DOSSIER, dossierFix)).stdout.trim()).toBe(`${DOSSIER}: title changed`);
      const dossier = (await readManifest(store, DOSSIER))!.metadata!;
      expect(dossier.values.title).toBe('Hồ sơ đã sửa tiêu đề');
      expect(dossier.changes!.at(-1)!.fields).toEqual({ title: { from: STATION_METADATA.dossier.title, to: 'Hồ sơ đã sửa tiêu đề' } });
      fs.writeFileSync(dossierFix, JSON.stringify({ mode: '07' }));
      const refused = await runSohoa(env.env, 'metadata', DOSSIER, dossierFix);
      expect([refused.status, refused.stderr.trim()]).toEqual([
        64,
        expect.stringMatching(/^sohoa: metadata\.dossier\.mode must be one of 01/),
      ]);
    } finally {
      await store.close();
    }
    expect((await runSohoa(env.env, 'verify', '--dossier', DOSSIER)).status).toBe(0);
  });

  it('exports the dossier as an E-ARK package whose METS and PREMIS vouch for every file', async () => {
    const dir = tempDir('cli-eark');
    const run = await runSohoa(env.env, 'export', DOSSIER, '--format', 'eark', '--out', dir);
    expect(run.status, run.stderr).toBe(0);
    const root = path.join(dir, DOSSIER);
    expect(run.stdout.trim()).toMatch(new RegExp(`^${root.replace(/[.]/g, '\\.')}: \\d+ files, \\d+ bytes$`));
    const checked = checkEarkPackage(root);
    expect(checked.tree).toEqual([
      'METS.xml',
      'metadata/descriptive/dc.xml',
      'metadata/descriptive/tt05.xml',
      'metadata/preservation/premis.xml',
      `representations/ocr-text/data/${DOSSIER}.01-p0001.txt`,
      'representations/originals/data/01/originals/001.jpg',
      'representations/originals/data/01/originals/002.docx',
      'representations/originals/data/01/originals/003.jpg',
      `representations/pdfa/data/${DOSSIER}.01.pdf`,
      `representations/pdfa/data/${DOSSIER}.pdf`,
    ]);
    expect(checked.premisEvents).toEqual(
      expect.arrayContaining(['digitization', 'text recognition (OCR)', 'metadata modification', 'information package creation']),
    );
    const tt05 = fs.readFileSync(path.join(root, 'metadata/descriptive/tt05.xml'), 'utf8');
    expect(tt05).toContain('<subject>V/v sửa trích yếu</subject>');
    expect(tt05).toContain('<numberOfPage derived="true">1</numberOfPage>');
    // The original as the station named it, in PREMIS.
    expect(fs.readFileSync(path.join(root, 'metadata/preservation/premis.xml'), 'utf8')).toContain(
      '<premis:originalName>a-to-trinh.jpg</premis:originalName>',
    );
    // A second export into the same folder would overwrite the first: refused.
    expect((await runSohoa(env.env, 'export', DOSSIER, '--format', 'eark', '--out', dir)).status).toBe(65);
  });

  it('wrote a PDF/A whose text matches the page (CER ≤ 2%)', async () => {
    const { pages } = await readPdf(fs.readFileSync(path.join(out, `${DOSSIER}.pdf`)));
    expect(pages).toHaveLength(1);
    const truth = fs.readFileSync(path.join(SAMPLE_GT_DIR, 'to-trinh-dat-dai-p1.gt.txt'), 'utf8');
    expect(characterErrorRate(truth, pages[0]!.text)).toBeLessThanOrEqual(0.02);
  });

  it('verify passes, then names an object whose bytes changed', async () => {
    expect((await runSohoa(env.env, 'verify', '--dossier', DOSSIER)).status).toBe(0);
    const key = `dossiers/${DOSSIER}/documents/01/pages/0001/ocr.json`;
    const store = await openObjectStore(env.config);
    const bytes = await store.get(key);
    bytes[10] = bytes[10]! ^ 0x01;
    await store.put(key, bytes);
    await store.close();
    const run = await runSohoa(env.env, 'verify', '--dossier', DOSSIER);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`MISMATCH ${key}`);
  });

  it('rejects a malformed dossier code before touching any service', async () => {
    const run = await runSohoa(env.env, 'digitize', folder, '--dossier', 'HS-2023-1', '--out', out);
    expect(run.status).toBe(65);
    expect(run.stderr).toMatch(/dossier code "HS-2023-1" is not <agency code>-<YYMMDD>-<NNNN>/);
    const verify = await runSohoa(env.env, 'verify', '--dossier', '../../etc');
    expect(verify.status).toBe(65);
    expect(verify.stderr).toMatch(/dossier code "\.\.\/\.\.\/etc" is not/);
  });
});

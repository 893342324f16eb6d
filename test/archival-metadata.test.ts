/**
 * Circular 05/2025/TT-BNV metadata: a station's fields checked against the circular's value lists,
 * what Sohoa derives from the files, and the fields in the PDF/A's XMP under a declared extension
 * schema — the file still passes Preflight (1b) and the structural PDF/A-2b checks.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../pipeline/errors.js';
import {
  changedFields,
  confidenceLevel,
  deriveDocumentMetadata,
  deriveDossierMetadata,
  languagesOfText,
  mergeMetadata,
  parseArchivalMetadata,
  scanFormat,
} from '../pipeline/metadata/index.js';
import { buildPdfA, type PdfMetadata } from '../pipeline/pdfa/index.js';
import { STATION_METADATA } from './support/archival-metadata.js';
import { sharedTool, tempDir } from './support/env.js';
import { pageImage } from './support/fixtures.js';

function refusal(raw: unknown): string {
  try {
    parseArchivalMetadata(raw, 'm.json');
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('Circular 05/2025 fields a station gives', () => {
  it('takes the circular names and value lists, normalising what it can', () => {
    const parsed = parseArchivalMetadata(STATION_METADATA);
    expect(parsed.dossier).toMatchObject({ maintenance: '20 năm', mode: '02', language: ['vi'], riskRecovery: '1', numberOfPaper: 3 });
    expect(parsed.document).toMatchObject({ mode: '01', maintenance: 'Vĩnh viễn', codeNotation: 'UBND-KTTH', issuedDate: '2025-02-04' });
    expect(parseArchivalMetadata({ document: { mode: 3, language: 'vi, en' } }).document).toEqual({ mode: '03', language: ['vi', 'en'] });
    expect(parseArchivalMetadata({})).toEqual({ dossier: {}, document: {} });
  });

  it('refuses what the circular does not allow, naming the field', () => {
    expect(refusal({ document: { soKyHieu: 'x' } })).toMatch(
      /^m\.json\.document\.soKyHieu is not a Circular 05\/2025 field \(expected typeName, /,
    );
    expect(refusal({ document: { numberOfPage: 3 } })).toBe(
      'm.json.document.numberOfPage is derived by Sohoa from the files; leave it out',
    );
    expect(refusal({ dossier: { mode: '04' } })).toBe(
      'm.json.dossier.mode must be one of 01 (Công khai), 02 (Sử dụng có điều kiện), 03 (Mật), not "04"',
    );
    expect(refusal({ document: { issuedDate: '2025-02-30' } })).toBe(
      'm.json.document.issuedDate must be a day YYYY-MM-DD, not "2025-02-30"',
    );
    expect(refusal({ document: { codeNotation: 'UBND - KTTH' } })).toMatch(/^m\.json\.document\.codeNotation "UBND - KTTH" is not a valid/);
    expect(refusal({ dossier: { startDate: '2025-03-01', endDate: '2025-02-01' } })).toBe(
      'm.json.dossier.startDate 2025-03-01 is after endDate 2025-02-01',
    );
    expect(refusal({ dossier: { maintenance: 'mãi mãi' } })).toMatch(/maintenance must be "Vĩnh viễn" or a number of years/);
    expect(refusal({ dossier: { language: ['vietnamese'] } })).toMatch(/"vietnamese" is not an ISO 639 language code/);
    expect(refusal({ document: { subject: 'a\u0007b' } })).toBe('m.json.document.subject holds a control character');
    expect(refusal({ dossier: {}, extra: {} })).toBe('m.json has extra; expected only dossier and document');
    expect(refusal([])).toBe('m.json must be an object with dossier and document members');
  });
});

describe('Circular 05/2025 fields Sohoa derives', () => {
  it('tells Vietnamese from English text, and says nothing of a few words', () => {
    expect(languagesOfText('Ủy ban nhân dân tỉnh Quảng Ngãi đề nghị các sở, ngành triển khai thực hiện')).toEqual(['vi']);
    expect(languagesOfText('The provincial committee asks all departments to carry out the digitization plan')).toEqual(['en']);
    expect(languagesOfText('575 UBND')).toEqual([]);
  });

  it('derives confidenceLevel from the originals: scans, signed PDFs, or both', () => {
    expect([confidenceLevel([false, false]), confidenceLevel([true]), confidenceLevel([true, false]), confidenceLevel([])]).toEqual([
      '02',
      '01',
      '03',
      '02',
    ]);
  });

  it("derives a document's identity and counts; the station's values win", () => {
    const derived = deriveDocumentMetadata({
      dossierCode: '000.00.15.H17-250204-0001',
      documentNumber: 3,
      pages: 2,
      signedOriginals: [false],
      text: 'Ủy ban nhân dân tỉnh Quảng Ngãi đề nghị các sở, ngành',
      // An A4 sheet at 300 dpi, a little cropped; and one at 200 dpi in grey.
      scans: [
        { width: 2440, height: 3460, dpi: 300, colour: 'colour' },
        { width: 1630, height: 2310, dpi: 200, colour: 'grey' },
      ],
    });
    expect(derived).toEqual({
      docId: 3,
      fileCode: '000.00.15.H17-250204-0001',
      docCode: '000.00.15.H17-250204-0001.0000003',
      numberOfPage: 2,
      confidenceLevel: '02',
      language: ['vi'],
      format: 'A4, màu, 300 dpi (1 trang); A4, xám, 200 dpi (1 trang)',
    });
    const merged = mergeMetadata({ language: ['vi', 'en'], subject: 'V/v' }, derived);
    expect(merged.values.language).toEqual(['vi', 'en']);
    expect(merged.derived).toEqual(['confidenceLevel', 'docCode', 'docId', 'fileCode', 'format', 'numberOfPage']);
    const bilevelA3 = { width: 3508, height: 4961, dpi: 300, colour: 'bilevel' as const };
    const dossier = deriveDossierMetadata(
      '000.00.15.H17-250204-0001',
      [derived, { ...derived, numberOfPage: 5, confidenceLevel: '01', language: ['en'] }],
      [bilevelA3, bilevelA3, { width: 1000, height: 1000, dpi: 300, colour: 'grey' }],
    );
    expect(dossier).toEqual({
      fileCode: '000.00.15.H17-250204-0001',
      totalDoc: 2,
      numberOfPage: 7,
      confidenceLevel: '03',
      language: ['en', 'vi'],
      format: 'A3, đen trắng, 300 dpi (2 trang); 85×85 mm, xám, 300 dpi (1 trang)',
    });
    expect(scanFormat([bilevelA3])).toBe('A3, đen trắng, 300 dpi');
    expect(scanFormat([])).toBeUndefined();
    const many = [100, 150, 200, 250].map((dpi) => ({ width: 8.27 * dpi, height: 11.69 * dpi, dpi, colour: 'grey' as const }));
    expect(scanFormat([...many, many[0]!])).toBe('A4, xám, 100 dpi (2 trang); A4, xám, 150 dpi (1 trang); khác (2 trang)');
    expect(changedFields({ title: 'A', mode: '01' }, { title: 'B', mode: '01', keyword: ['x'] })).toEqual({
      keyword: { from: null, to: ['x'] },
      title: { from: 'A', to: 'B' },
    });
  });
});

describe('Circular 05/2025 fields in the PDF/A', () => {
  let dir: string;
  let meta: (level: 'dossier' | 'document') => PdfMetadata;
  let page: Parameters<typeof buildPdfA>[0][number];
  beforeAll(async () => {
    dir = tempDir('archival-metadata');
    const parsed = parseArchivalMetadata(STATION_METADATA);
    const document = mergeMetadata(
      parsed.document,
      deriveDocumentMetadata({
        dossierCode: '000.00.15.H17-250204-0001',
        documentNumber: 1,
        pages: 1,
        signedOriginals: [false],
        text: '',
        scans: [],
      }),
    );
    const dossier = mergeMetadata(parsed.dossier, deriveDossierMetadata('000.00.15.H17-250204-0001', [document.values], []));
    meta = (level) => ({
      title: 'Công văn 575/UBND-KTTH',
      identifier: '000.00.15.H17-250204-0001.01',
      dossierCode: '000.00.15.H17-250204-0001',
      agencyCode: '000.00.15.H17',
      created: new Date('2026-12-01T01:00:00Z'),
      producer: 'Sohoa test',
      archival: { level, values: (level === 'dossier' ? dossier : document).values },
      languages: ['vi'],
    });
    page = { image: await pageImage({ format: 'jpeg', dpi: 100 }), format: 'jpeg', width: 850, height: 1100, dpi: 100 };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['dossier', 'document'] as const)('writes every %s field into the XMP, and the file stays PDF/A', async (level) => {
    const a1 = path.join(dir, `${level}-1b.pdf`);
    const a2 = path.join(dir, `${level}-2b.pdf`);
    fs.writeFileSync(a1, await buildPdfA([page], meta(level), '1b'));
    fs.writeFileSync(a2, await buildPdfA([page], meta(level), '2b'));
    const xmp = execFileSync('pdfinfo', ['-meta', a2], { encoding: 'utf8' });
    const prefix = level === 'dossier' ? 'tt05hs' : 'tt05vb';
    const given = STATION_METADATA[level] as Record<string, unknown>;
    const values = meta(level).archival!.values;
    expect(Object.keys(values).length).toBeGreaterThan(Object.keys(given).length);
    for (const [name, value] of Object.entries(values)) {
      const text = Array.isArray(value) ? value.join('; ') : String(value);
      const escaped = text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
      expect(xmp, name).toContain(`<${prefix}:${name}>${escaped}</${prefix}:${name}>`);
    }
    const preflight = sharedTool('PDF/A validation', 'preflight');
    const check = sharedTool('PDF/A validation', 'pdfa_check.py');
    if (!preflight || !check) return;
    expect(execFileSync(preflight, [a1], { encoding: 'utf8' })).toContain('is a valid PDF/A-1b file');
    expect(execFileSync('/usr/bin/python3', [check, a2], { encoding: 'utf8' })).toMatch(/OK .*'pdfa': '2b'/);
  });
});

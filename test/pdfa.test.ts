import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildPdfA, type PdfPageInput } from '../pipeline/pdfa.js';
import type { OcrPageResult } from '../pipeline/ocr.js';
import { pageImage } from './support/fixtures.js';
import { readPdf } from './support/pdf-text.js';
import { sharedTool, tempDir } from './support/env.js';

const WORDS = ['Ủy', 'ban', 'nhân', 'dân', 'phường', 'Hải', 'Châu', 'đất', 'đai'];

/** An OCR result whose words sit on known boxes of an image of `width`×`height` pixels. */
function ocrResult(width: number, height: number): OcrPageResult {
  const lines = [0, 1, 2].map((row) => {
    const y0 = 100 + row * 60;
    const words = WORDS.slice(row * 3, row * 3 + 3).map((text, i) => ({
      text,
      box: { x0: 80 + i * 160, y0, x1: 80 + i * 160 + 120, y1: y0 + 30 },
      confidence: 95,
    }));
    return { box: { x0: 80, y0, x1: 80 + 2 * 160 + 120, y1: y0 + 30 }, words };
  });
  return { text: WORDS.join(' '), confidence: 95, width, height, lines, engine: 'test', languages: ['vie'] };
}

const meta = {
  title: 'Tờ trình cấp giấy chứng nhận',
  identifier: '000.00.15.H17-231114-0001.01',
  dossierCode: '000.00.15.H17-231114-0001',
  agencyCode: '000.00.15.H17',
  procedureCode: '1.004227',
  documentKind: 'component',
  created: new Date('2026-11-28T00:31:26Z'),
  producer: 'Sohoa test',
};

describe('PDF/A stage', () => {
  let page: PdfPageInput;
  let dir: string;
  beforeAll(async () => {
    page = { image: await pageImage({ format: 'jpeg', dpi: 100 }), format: 'jpeg', width: 850, height: 1100, dpi: 100, ocr: ocrResult(850, 1100) };
    dir = tempDir('pdfa');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sizes each page from the image and its true dpi', async () => {
    const pdf = await buildPdfA([page, { ...page, dpi: 200, ocr: ocrResult(850, 1100) }], meta);
    const { pages } = await readPdf(pdf);
    expect(pages.map((p) => [Math.round(p.width), Math.round(p.height)])).toEqual([[612, 792], [306, 396]]);
  });

  it('places each invisible word on its OCR box, in NFC Vietnamese', async () => {
    const { pages } = await readPdf(await buildPdfA([page], meta));
    const items = pages[0]!.items;
    expect(items.map((i) => i.str.trim())).toEqual(WORDS);
    const scale = 72 / 100;
    for (const [n, item] of items.entries()) {
      const box = ocrResult(850, 1100).lines[Math.floor(n / 3)]!.words[n % 3]!.box;
      expect(item.x).toBeCloseTo(box.x0 * scale, 1);
      expect(item.width).toBeCloseTo((box.x1 - box.x0) * scale, 0);
      expect(item.y).toBeGreaterThan(792 - box.y1 * scale);
      expect(item.y).toBeLessThan(792 - box.y0 * scale);
      expect(item.str.normalize('NFC')).toBe(item.str);
    }
  });

  it('carries the archival metadata: XMP with pdfaid, the dossier codes, an sRGB output intent and a trailer ID', async () => {
    const text = (await buildPdfA([page], meta, '2b')).toString('latin1');
    expect(text).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(text).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(text).toContain('<sohoa:dossierCode>000.00.15.H17-231114-0001</sohoa:dossierCode>');
    expect(text).toContain('<sohoa:procedureCode>1.004227</sohoa:procedureCode>');
    expect(text).toContain('<xmp:CreateDate>2026-11-28T07:31:26+07:00</xmp:CreateDate>');
    expect(text).toContain("/CreationDate (D:20261128073126+07'00')");
    expect(text).toMatch(/\/S \/GTS_PDFA1/);
    expect(text).toMatch(/\/ID \[ <[0-9a-f]{32}> <[0-9a-f]{32}> \]/);
  });

  it('passes PDFBox Preflight as PDF/A-1b and the structural PDF/A-2b checks', async () => {
    const preflight = sharedTool('PDF/A validation', 'preflight');
    const check = sharedTool('PDF/A validation', 'pdfa_check.py');
    if (!preflight || !check) return;
    const a1 = path.join(dir, 'a1.pdf');
    const a2 = path.join(dir, 'a2.pdf');
    fs.writeFileSync(a1, await buildPdfA([page], meta, '1b'));
    fs.writeFileSync(a2, await buildPdfA([page], meta, '2b'));
    expect(execFileSync(preflight, [a1], { encoding: 'utf8' })).toContain('is a valid PDF/A-1b file');
    expect(execFileSync('/usr/bin/python3', [check, a2], { encoding: 'utf8' })).toMatch(/OK .*'pdfa': '2b'/);
  });
});

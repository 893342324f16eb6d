import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFDict, PDFDocument, PDFName, type PDFRawStream, PDFStream } from 'pdf-lib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPdfPageImage } from '../pipeline/input/pdf.js';
import type { OcrPageResult } from '../pipeline/ocr/index.js';
import { buildPdfA, type PdfPageInput } from '../pipeline/pdfa/index.js';
import { sharedTool, tempDir } from './support/env.js';
import { pageImage } from './support/fixtures.js';
import { readPdf } from './support/pdf-text.js';

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

/** The image XObjects of every page, as stored: their dictionaries and encoded bytes. */
async function pageImages(pdf: Buffer): Promise<{ dict: PDFDict; bytes: Uint8Array }[]> {
  const doc = await PDFDocument.load(pdf);
  return doc.getPages().flatMap((page) => {
    const xobjects = page.node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
    return xobjects.keys().map((name) => {
      const stream = xobjects.lookup(name, PDFStream) as PDFRawStream;
      return { dict: stream.dict, bytes: stream.contents };
    });
  });
}

/** A 1-bit scan as cleanup writes it: a two-colour palette PNG. */
async function bilevelPng(width: number, height: number): Promise<Buffer> {
  const grey = await pageImage({ width, height, format: 'png' });
  return sharp(grey).greyscale().threshold(128).png({ palette: true, colours: 2, compressionLevel: 9 }).toBuffer();
}

describe('PDF/A stage', () => {
  let page: PdfPageInput;
  let dir: string;
  beforeAll(async () => {
    page = {
      image: await pageImage({ format: 'jpeg', dpi: 100 }),
      format: 'jpeg',
      width: 850,
      height: 1100,
      dpi: 100,
      ocr: ocrResult(850, 1100),
    };
    dir = tempDir('pdfa');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sizes each page from the image and its true dpi', async () => {
    const pdf = await buildPdfA([page, { ...page, dpi: 200, ocr: ocrResult(850, 1100) }], meta);
    const { pages } = await readPdf(pdf);
    expect(pages.map((p) => [Math.round(p.width), Math.round(p.height)])).toEqual([
      [612, 792],
      [306, 396],
    ]);
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

  it('follows a skewed line word by word, and a seal run into the line does not inflate its words', async () => {
    // Five words climbing 12 px each (a 2.5° skew at 100 dpi), then a seal 300 px tall.
    const words = ['Sở', 'Tài', 'nguyên', 'và', 'Môi'].map((text, i) => ({
      text,
      box: { x0: 80 + i * 120, y0: 300 - i * 12, x1: 180 + i * 120, y1: 330 - i * 12 },
      confidence: 95,
    }));
    const seal = { text: 'ĐÓNG', box: { x0: 700, y0: 100, x1: 800, y1: 400 }, confidence: 20 };
    const line = {
      box: { x0: 80, y0: 100, x1: 800, y1: 400 },
      baseline: { x0: 80, y0: 326, x1: 800, y1: 326 - (720 * 12) / 120 },
      words: [...words, seal],
    };
    const ocr = { ...ocrResult(850, 1100), text: [...words, seal].map((w) => w.text).join(' '), lines: [line] };
    const file = path.join(dir, 'skewed.pdf');
    fs.writeFileSync(file, await buildPdfA([{ ...page, ocr }], meta));
    const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    const reported = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)];
    const pt = 72 / 100;
    for (const word of words) {
      const m = reported.find((r) => r[5] === word.text)!;
      const [x0, y0, x1, y1] = [1, 2, 3, 4].map((k) => Number(m[k]) / pt);
      expect((x0! + x1!) / 2).toBeGreaterThan(word.box.x0);
      expect((x0! + x1!) / 2).toBeLessThan(word.box.x1);
      expect((y0! + y1!) / 2).toBeGreaterThan(word.box.y0);
      expect((y0! + y1!) / 2).toBeLessThan(word.box.y1);
      // the text box is about the word's height, not the seal-swollen line's 300 px
      expect(y1! - y0!).toBeLessThan(1.6 * (word.box.y1 - word.box.y0));
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

  it('stores a 1-bit page losslessly as a CCITT G4 DeviceGray image, far smaller than 8-bit RGB', async () => {
    const png = await bilevelPng(1700, 2200);
    expect((await sharp(png).metadata()).bitsPerSample).toBe(1);
    const pdf = await buildPdfA([{ image: png, format: 'png', width: 1700, height: 2200, dpi: 200 }], meta);
    const [image] = await pageImages(pdf);
    expect(image!.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('CCITTFaxDecode'));
    expect(image!.dict.get(PDFName.of('ColorSpace'))).toBe(PDFName.of('DeviceGray'));
    expect(image!.dict.get(PDFName.of('BitsPerComponent'))?.toString()).toBe('1');
    // Decoded back by pdf.js, every pixel is the one that went in.
    const decoded = await extractPdfPageImage('a.pdf page 1', pdf, 0);
    const [back, original] = await Promise.all([decoded.image, png].map((i) => sharp(i).toColourspace('b-w').raw().toBuffer()));
    expect(back!.equals(original!)).toBe(true);
    expect(pdf.length).toBeLessThan(png.length + 30_000);
  });

  it('keeps a grey JPEG as it is: DCT, DeviceGray, the same bytes', async () => {
    // toColourspace('b-w'): sharp's greyscale() alone still writes three channels.
    const jpeg = await sharp(await pageImage({ format: 'png' }))
      .toColourspace('b-w')
      .jpeg({ quality: 80 })
      .toBuffer();
    const [image] = await pageImages(await buildPdfA([{ ...page, image: jpeg }], meta));
    expect(image!.dict.get(PDFName.of('Filter'))).toBe(PDFName.of('DCTDecode'));
    expect(image!.dict.get(PDFName.of('ColorSpace'))).toBe(PDFName.of('DeviceGray'));
    expect(Buffer.from(image!.bytes).equals(jpeg)).toBe(true);
  });

  it('embeds a small JPEG or PNG held in a slice of a pooled Buffer (as an S3 body is) as its own bytes', async () => {
    const tiny = sharp({ create: { width: 200, height: 200, channels: 3, background: '#808080' } });
    for (const [format, bytes] of [
      ['jpeg', await tiny.clone().jpeg().toBuffer()],
      ['png', await tiny.clone().png().toBuffer()],
    ] as const) {
      expect(bytes.length).toBeLessThan(2048);
      // Buffer.concat of small chunks hands back a view into Node's shared pool, at an offset.
      const pooled = Buffer.concat([bytes.subarray(0, 100), bytes.subarray(100)]);
      expect(pooled.byteOffset > 0 || pooled.buffer.byteLength > pooled.length).toBe(true);
      const pdf = await buildPdfA([{ ...page, image: pooled, format, width: 200, height: 200 }], meta);
      expect((await pageImages(pdf)).length, format).toBe(1);
    }
  });

  it('gives the subset font the CIDSet PDF/A-1 requires, naming every glyph it embeds', async () => {
    const doc = await PDFDocument.load(await buildPdfA([page], meta, '1b'));
    const cidFonts = doc.context
      .enumerateIndirectObjects()
      .map(([, o]) => o)
      .filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Subtype')) === PDFName.of('CIDFontType2'));
    expect(cidFonts).toHaveLength(1);
    const cidSet = cidFonts[0]!.lookup(PDFName.of('FontDescriptor'), PDFDict).lookup(PDFName.of('CIDSet'), PDFStream) as PDFRawStream;
    const bits = [...inflateSync(cidSet.contents)].flatMap((byte) => [7, 6, 5, 4, 3, 2, 1, 0].map((k) => (byte >> k) & 1));
    // .notdef plus one glyph per distinct character drawn (the words and the space between them)
    const glyphs = new Set(WORDS.join(' ')).size + 1;
    expect(bits.slice(0, glyphs).every((b) => b === 1)).toBe(true);
    expect(bits.slice(glyphs).every((b) => b === 0)).toBe(true);
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

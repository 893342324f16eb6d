/**
 * Every page of the shared corpus (synthetic, real-vn, and the multi-page PDFs of real-nogt)
 * through the pure stages — input, cleanup, one OCR engine, PDF/A writer — into PDF/A-1b and
 * PDF/A-2b: Preflight and the PDF/A-2b checks must pass, pdftotext must give back the stored OCR
 * text, and the word boxes it reports must sit on the OCR boxes.
 *
 * Runs only when DATABASE_URL is unset: it touches neither catalog nor object store, so CI's
 * second run (PostgreSQL + S3) would only repeat it. Each page is read once, with the fast model
 * (the text layer is checked against what OCR stored, not against ground truth).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digitizeFiles } from '../pipeline/index.js';
import { createTesseractEngine, textErrors } from '../pipeline/ocr/index.js';
import { buildPdfA, type PdfaPart, type PdfPageInput } from '../pipeline/pdfa/index.js';
import { pdfaCorpusFiles } from './support/corpus.js';
import { CORPUS, corpusAvailable, firstRunOnly, sharedTool, tempDir } from './support/env.js';

const SUITE = 'PDF/A corpus';
const PARTS: PdfaPart[] = ['1b', '2b'];

function enabled(): boolean {
  return firstRunOnly(SUITE, 'it uses neither catalog nor store') && corpusAvailable(SUITE);
}

interface Digitized {
  name: string;
  pages: PdfPageInput[];
  pdf: Record<PdfaPart, string>;
}

/** Words of each page with their boxes in points, top-left origin, as `pdftotext -bbox` reports them. */
function pdftotextWords(file: string): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[][] {
  const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const unescapeXml = (t: string) =>
    t
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return html
    .split('<page ')
    .slice(1)
    .map((page) =>
      [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
        text: unescapeXml(m[5]!),
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
      })),
    );
}

describe.runIf(enabled())(SUITE, () => {
  let dir: string;
  const docs: Digitized[] = [];

  beforeAll(async () => {
    dir = tempDir('pdfa-corpus');
    const files = pdfaCorpusFiles(CORPUS).map((file) => ({ name: path.basename(file), bytes: fs.readFileSync(file) }));
    const engine = createTesseractEngine({ workers: 2, model: 'fast' });
    let pages: PdfPageInput[][];
    try {
      pages = await digitizeFiles(files, engine);
    } finally {
      await engine.close();
    }
    for (const [i, { name }] of files.entries()) {
      const pdf = {} as Record<PdfaPart, string>;
      for (const part of PARTS) {
        pdf[part] = path.join(dir, `${name}.${part}.pdf`);
        const meta = {
          title: `Corpus ${name}`,
          identifier: `000.00.15.H17-231114-0001.${String(i + 1).padStart(2, '0')}`,
          dossierCode: '000.00.15.H17-231114-0001',
          agencyCode: '000.00.15.H17',
          created: new Date('2026-11-28T00:00:00Z'),
          producer: 'Sohoa corpus test',
        };
        fs.writeFileSync(pdf[part], await buildPdfA(pages[i]!, meta, part));
      }
      docs.push({ name, pages: pages[i]!, pdf });
    }
    console.log(`${SUITE}: ${docs.length} files, ${docs.reduce((n, d) => n + d.pages.length, 0)} pages`);
  }, 480_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('every PDF/A-1b passes PDFBox Preflight (one run over all files)', () => {
    const preflight = sharedTool(SUITE, 'preflight');
    if (!preflight) return;
    const run = spawnSync(
      preflight,
      docs.map((d) => d.pdf['1b']),
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout.match(/is a valid PDF\/A-1b file/g)).toHaveLength(docs.length);
  });

  it('every PDF/A-2b passes the structural PDF/A-2b checks', () => {
    const check = sharedTool(SUITE, 'pdfa_check.py');
    if (!check) return;
    const run = spawnSync('/usr/bin/python3', [check, ...docs.map((d) => d.pdf['2b'])], { encoding: 'utf8' });
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout.match(/: OK \{'pdfa': '2b'/g)).toHaveLength(docs.length);
  });

  it('pdftotext gives back the stored OCR text of every PDF/A (CER ≤ 0.5%)', () => {
    const rates: string[] = [];
    for (const doc of docs) {
      for (const part of PARTS) {
        // -raw: content-stream order, the order OCR stored (layout mode re-sorts skewed lines).
        const pages = execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', doc.pdf[part], '-'], { encoding: 'utf8' }).split('\f');
        let errors = 0;
        let chars = 0;
        for (const [n, page] of doc.pages.entries()) {
          const e = textErrors(page.ocr!.text, pages[n] ?? '');
          errors += e.charErrors;
          chars += e.chars;
        }
        const cer = chars ? errors / chars : 0;
        rates.push(`${doc.name} ${part} ${(cer * 100).toFixed(2)}%`);
        expect(cer, `${doc.name} (${part})`).toBeLessThanOrEqual(0.005);
      }
    }
    console.log(`${SUITE}: CER of pdftotext -raw vs stored OCR text:\n  ${rates.join('\n  ')}`);
  });

  it('the centre of each word box pdftotext reports lies inside that word’s OCR box', () => {
    let inside = 0;
    let total = 0;
    const lines: string[] = [];
    for (const doc of docs) {
      const reported = pdftotextWords(doc.pdf['2b']);
      let docInside = 0;
      let docTotal = 0;
      for (const [n, page] of doc.pages.entries()) {
        const ocrWords = page.ocr!.lines.flatMap((l) => l.words);
        const count = new Map<string, number>();
        for (const w of ocrWords) count.set(w.text, (count.get(w.text) ?? 0) + 1);
        // Sampled: every word that is unambiguous on its page — read with confidence, 3 letters
        // or more, and its text found once, so the reported word is matched to its OCR box.
        const sample = new Map(
          ocrWords.filter((w) => count.get(w.text) === 1 && [...w.text].length >= 3 && w.confidence >= 85).map((w) => [w.text, w]),
        );
        const pointsPerPixel = (72 / page.dpi) * (page.width / page.ocr!.width);
        for (const word of reported[n] ?? []) {
          const ocr = sample.get(word.text);
          if (!ocr) continue;
          const cx = (word.xMin + word.xMax) / 2 / pointsPerPixel;
          const cy = (word.yMin + word.yMax) / 2 / pointsPerPixel;
          docTotal++;
          if (cx >= ocr.box.x0 && cx <= ocr.box.x1 && cy >= ocr.box.y0 && cy <= ocr.box.y1) docInside++;
        }
      }
      lines.push(`${doc.name}: ${docInside}/${docTotal}`);
      inside += docInside;
      total += docTotal;
      // Vietnamese administrative scans: the text the archive searches.
      if (!doc.name.startsWith('ocrmypdf_')) expect(docInside / docTotal, doc.name).toBeGreaterThanOrEqual(0.95);
    }
    console.log(`${SUITE}: word centres inside their OCR box: ${inside}/${total}\n  ${lines.join('\n  ')}`);
    expect(total).toBeGreaterThan(1000);
    expect(inside / total).toBeGreaterThanOrEqual(0.98);
  });
});

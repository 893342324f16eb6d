/**
 * `npm run bench:pdfa [-- <corpus dir>]`: bytes per page of Sohoa's PDF/A-2b against
 * `ocrmypdf --output-type pdfa` (PDF/A-2b too) on the same input files — the corpus pages the
 * PDF/A checks use. Needs OCRmyPDF (Debian: apt-get install ocrmypdf tesseract-ocr-vie).
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { digitizeFiles } from '../../pipeline/index.js';
import { createTesseractEngine } from '../../pipeline/ocr/index.js';
import { buildPdfA } from '../../pipeline/pdfa/index.js';
import { pdfaCorpusFiles } from '../../test/support/corpus.js';
import { ocrmypdfVersion } from './ocrmypdf.js';

const DEFAULT_CORPUS = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));

interface Row {
  file: string;
  pages: number;
  kind: string;
  sohoa: number;
  ocrmypdf: number;
}

/** OCRmyPDF's PDF/A of one input file; images get the resolution Sohoa used, as OCRmyPDF needs one. */
function ocrmypdfBytes(input: string, dpi: number, out: string): number {
  const args = ['-q', '-l', 'vie+eng', '--output-type', 'pdfa', '-j', String(os.availableParallelism())];
  if (!input.endsWith('.pdf')) args.push('--image-dpi', String(dpi));
  const run = spawnSync('ocrmypdf', [...args, input, out], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ocrmypdf failed on ${input}: ${run.stderr}`);
  return fs.statSync(out).size;
}

async function main(): Promise<void> {
  const version = ocrmypdfVersion();
  if (!version) {
    console.error('ocrmypdf is not installed: apt-get install ocrmypdf tesseract-ocr-vie');
    process.exit(2);
  }
  const files = pdfaCorpusFiles(path.resolve(process.argv[2] ?? DEFAULT_CORPUS));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-pdfa-'));
  const engine = createTesseractEngine({ workers: os.availableParallelism() });
  const rows: Row[] = [];
  try {
    const inputs = files.map((file) => ({ name: path.basename(file), bytes: fs.readFileSync(file) }));
    const digitized = await digitizeFiles(inputs, engine);
    for (const [i, file] of files.entries()) {
      const pages = digitized[i]!;
      const pdf = await buildPdfA(pages, {
        title: path.basename(file),
        identifier: '000.00.15.H17-231114-0001.01',
        dossierCode: '000.00.15.H17-231114-0001',
        agencyCode: '000.00.15.H17',
        created: new Date(),
        producer: 'Sohoa bench',
      });
      const kind = [...new Set(pages.map((p) => (p.format === 'png' ? '1-bit' : 'jpeg')))].join('+');
      const theirs = ocrmypdfBytes(file, pages[0]!.dpi, path.join(work, `${i}.pdf`));
      rows.push({ file: path.basename(file), pages: pages.length, kind, sohoa: pdf.length, ocrmypdf: theirs });
      console.log(
        `${path.basename(file).padEnd(46)} ${String(pages.length).padStart(2)} p  ${kind.padEnd(10)} ` +
          `Sohoa ${kib(pdf.length / pages.length)}/p  OCRmyPDF ${kib(theirs / pages.length)}/p  ratio ${(pdf.length / theirs).toFixed(2)}`,
      );
    }
  } finally {
    await engine.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const total = (select: (r: Row) => boolean, label: string) => {
    const chosen = rows.filter(select);
    const pages = chosen.reduce((n, r) => n + r.pages, 0);
    const ours = chosen.reduce((n, r) => n + r.sohoa, 0);
    const theirs = chosen.reduce((n, r) => n + r.ocrmypdf, 0);
    if (pages)
      console.log(
        `${label.padEnd(22)} ${String(pages).padStart(3)} pages  ` +
          `Sohoa ${kib(ours / pages)}/page  OCRmyPDF ${kib(theirs / pages)}/page  ratio ${(ours / theirs).toFixed(2)}`,
      );
  };
  console.log(`\nPDF/A-2b bytes per page, Sohoa vs ${version}:`);
  total((r) => r.kind === 'jpeg', 'colour/grey (JPEG)');
  total((r) => r.kind === '1-bit', '1-bit');
  total(() => true, 'all');
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0).padStart(5)} KiB`;
}

await main();

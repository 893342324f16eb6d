/**
 * `npm run eval -- <corpus dir>... [--model best|fast] [--out <dir>] [--bare]`: OCR accuracy of Sohoa's
 * cleanup + OCR against NAME.gt.txt, with ../shared/tools/cer.py's normalisation. Prints one line
 * per page, a mean line like cer.py's (sums over pages, not a mean of ratios), the worst page and
 * how many pages are above 5% CER. `--bare` also reads every page with bare tesseract.js and names
 * the pages where Sohoa's word error is worse than bare's.
 *
 * `npm run eval -- --fields [<corpus dir>] [--generated N] [--seed S] [--dpi D]`: the Decree 30 fields read
 * from the page (fields-eval.ts) instead: per-field precision and recall.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PageAnalysis } from '../../pipeline/cleanup/index.js';
import { mapLimit } from '../../pipeline/concurrency.js';
import { digitizePage } from '../../pipeline/index.js';
import { createTesseractEngine, type TextErrors, textErrors } from '../../pipeline/ocr/index.js';
import { openBareTesseract } from '../../test/support/bare-tesseract.js';
import { type CorpusPage, groundTruthPages } from '../../test/support/corpus.js';
import { evaluateFields } from './fields-eval.js';

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(2)}%`;
const cer = (e: TextErrors) => e.charErrors / Math.max(1, e.chars);
const wer = (e: TextErrors) => e.wordErrors / Math.max(1, e.words);

/** A page read this badly is a failure, whatever the mean says. */
const FAILED_CER = 0.05;

export function formatErrors(label: string, e: TextErrors): string {
  return `${label}\tCER ${pct(e.charErrors, e.chars)}\tWER ${pct(e.wordErrors, e.words)}\tBOW ${pct(e.missingWords, e.words)}`;
}

interface PageResult {
  page: CorpusPage;
  /** The corpus folder the page is from. */
  corpus: string;
  errors: TextErrors;
  confidence: number;
  analysis: PageAnalysis;
  bare?: TextErrors;
}

function sum(all: TextErrors[]): TextErrors {
  const total: TextErrors = { charErrors: 0, chars: 0, wordErrors: 0, words: 0, missingWords: 0 };
  for (const e of all) for (const k of Object.keys(total) as (keyof TextErrors)[]) total[k] += e[k];
  return total;
}

/** What cleanup and the reading made of a page: confidence, OCR enlargement, and any orientation check. */
function pageNotes({ confidence, analysis, bare }: PageResult): string {
  const check = analysis.orientationCheck;
  const tried = check?.tried.map((t, i) => `${i === check.kept ? '*' : ''}${t.rotation}°/${t.skew}°:${t.confidence}`);
  return [
    `conf ${confidence}`,
    `dpi ${analysis.resolution.dpi} (${analysis.resolution.source}) ×${analysis.ocrScale}`,
    ...(tried ? [`read ${tried.join(' ')}`] : []),
    ...(bare ? [`bare WER ${pct(bare.wordErrors, bare.words)}`] : []),
  ].join('\t');
}

function report(results: PageResult[], engineName: string): void {
  for (const r of results) console.log(`${formatErrors(r.page.name, r.errors)}\t${pageNotes(r)}`);
  const corpora = [...new Set(results.map((r) => r.corpus))];
  if (corpora.length > 1) {
    for (const corpus of corpora) {
      const errors = sum(results.filter((r) => r.corpus === corpus).map((r) => r.errors));
      console.log(`${formatErrors(`mean ${corpus}`, errors).replace(/\t/g, ' ')}`);
    }
  }
  console.log(`${formatErrors('mean', sum(results.map((r) => r.errors))).replace(/\t/g, ' ')} pages ${results.length} (${engineName})`);
  const worst = results.reduce((a, b) => (cer(b.errors) > cer(a.errors) ? b : a), results[0]!);
  console.log(`worst ${worst.page.name} CER ${pct(worst.errors.charErrors, worst.errors.chars)}`);
  const failed = results.filter((r) => cer(r.errors) > FAILED_CER);
  console.log(
    `pages above ${FAILED_CER * 100}% CER: ${failed.length}${failed.length ? ` (${failed.map((r) => r.page.name).join(', ')})` : ''}`,
  );
  const checked = results.filter((r) => r.analysis.orientationCheck);
  const extraReads = checked.reduce((n, r) => n + r.analysis.orientationCheck!.tried.length - 1, 0);
  const turned = checked.filter((r) => r.analysis.orientationCheck!.kept > 0).length;
  console.log(
    `orientation checked by reading: ${checked.length} of ${results.length} pages, ${extraReads} extra reads, another geometry kept on ${turned}`,
  );
  const compared = results.filter((r) => r.bare);
  if (compared.length === 0) return;
  console.log(`bare tesseract.js: ${formatErrors('mean', sum(compared.map((r) => r.bare!))).replace(/\t/g, ' ')}`);
  const worse = compared.map((r) => ({ name: r.page.name, by: wer(r.errors) - wer(r.bare!) })).sort((a, b) => b.by - a.by);
  const list = worse.filter((w) => w.by > 0).map((w) => `${w.name} +${(100 * w.by).toFixed(2)}`);
  console.log(`pages where Sohoa's WER is above bare's: ${list.length}${list.length ? ` (${list.join(', ')} points)` : ''}`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'best' },
      out: { type: 'string' },
      bare: { type: 'boolean', default: false },
      fields: { type: 'boolean', default: false },
      generated: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      dpi: { type: 'string', default: '300' },
    },
  });
  if (values.fields) {
    const engine = createTesseractEngine({ workers: os.availableParallelism(), model: values.model === 'fast' ? 'fast' : 'best' });
    try {
      await evaluateFields(engine, {
        corpus: positionals[0],
        generated: Number(values.generated),
        seed: Number(values.seed),
        dpi: Number(values.dpi),
      });
    } finally {
      await engine.close();
    }
    return;
  }
  if (positionals.length === 0) throw new Error('usage: npm run eval -- <corpus dir>... [--model best|fast] [--out <dir>] [--bare]');
  const model = values.model === 'fast' ? 'fast' : 'best';
  const workers = os.availableParallelism();
  // Several corpora may name their pages alike: their folder tells them apart.
  const label = (dir: string, page: CorpusPage) =>
    positionals.length > 1 ? { ...page, name: `${path.basename(dir)}/${page.name}` } : page;
  const pages = positionals.flatMap((dir) => groundTruthPages(dir).map((page) => ({ page: label(dir, page), corpus: path.basename(dir) })));
  // A folder of folders holds no page itself: name each corpus folder.
  if (pages.length === 0) throw new Error(`no page with a NAME.gt.txt in ${positionals.join(', ')} (name each corpus folder)`);
  const engine = createTesseractEngine({ workers, model });
  let results: PageResult[];
  try {
    // Two pages per OCR worker: one in cleanup while the other is read.
    results = await mapLimit(pages, 2 * workers, async ({ page, corpus }) => {
      const { ocr, cleaned } = await digitizePage(engine, path.basename(page.image), fs.readFileSync(page.image), 0);
      if (values.out) {
        fs.mkdirSync(values.out, { recursive: true });
        fs.writeFileSync(path.join(values.out, `${page.name.replace(/\//g, '_')}.txt`), ocr.text);
      }
      const errors = textErrors(fs.readFileSync(page.truth, 'utf8'), ocr.text);
      return { page, corpus, errors, confidence: ocr.confidence, analysis: cleaned.analysis };
    });
  } finally {
    await engine.close();
  }
  // One engine at a time: on a small machine the two would only slow each other.
  if (values.bare) {
    const bare = await openBareTesseract(workers, model);
    try {
      await mapLimit(results, workers, async (r) => {
        r.bare = textErrors(fs.readFileSync(r.page.truth, 'utf8'), await bare.recognize(fs.readFileSync(r.page.image)));
      });
    } finally {
      await bare.close();
    }
  }
  report(results, engine.name);
}

await main();

/**
 * `npm run eval -- --fields [corpus dir] [--generated N] [--seed S] [--dpi D]`: how well Sohoa reads the
 * Decree 30 fields. The real documents of ../shared/corpus (real-vn pages, real-nogt PDFs) against
 * the fields written by hand in test/support/decree30-truth.ts, each shown beside the page's own
 * header; and N generated pages from seed S on (test/support/decree30-pages.ts), with the OCR
 * slips they carry, at 300 dpi or scaled down to D as a JPEG. Prints per-field precision and recall (a field counts as read when Sohoa would
 * fill it), every wrong value, and the worst document.
 */
import fs from 'node:fs';
import path from 'node:path';
import { mapLimit } from '../../pipeline/concurrency.js';
import { digitizePage } from '../../pipeline/index.js';
import { type Decree30Reading, FILL_CONFIDENCE, isFilled, READ_FIELDS, readDecree30 } from '../../pipeline/metadata/decree30/index.js';
import type { OcrEngine } from '../../pipeline/ocr/index.js';
import { type Decree30Truth, decree30Page } from '../../test/support/decree30-pages.js';
import { readDocument } from '../../test/support/decree30-read.js';
import { fieldScores, type Outcome, outcome } from '../../test/support/decree30-score.js';
import { REAL_DOCUMENTS } from '../../test/support/decree30-truth.js';

interface Scored {
  name: string;
  corpus: 'real' | 'generated';
  truth: Decree30Truth;
  reading: Decree30Reading;
  /** The page's header as printed (its ground truth) or else as OCR read it, for the side-by-side. */
  header: string[];
  slips?: string[];
}

const MARK: Record<Outcome, string> = { right: '✓', wrong: '✗', missed: '·', none: ' ' };
const pct = (v: number | null) => (v === null ? '   —  ' : `${(100 * v).toFixed(1).padStart(5)}%`);

function shown(reading: Decree30Reading, field: (typeof READ_FIELDS)[number]): string {
  const read = reading[field];
  if (!read) return '(nothing)';
  const value = Array.isArray(read.value) ? read.value.join(' | ') : read.value;
  return `${value}  [${read.confidence.toFixed(2)}${isFilled(field, read) ? ', filled' : ', to confirm'}]`;
}

const HEADER_LINES = 10;

/** The printed header: the ground truth's lines up to the title or "Kính gửi" (at most ten). */
function headerLines(file: string): string[] {
  const truth = file.replace(/\.(png|jpe?g)$/i, '.gt.txt');
  if (truth === file || !fs.existsSync(truth)) return [];
  const lines = fs.readFileSync(truth, 'utf8').split('\n');
  const end = lines.findIndex((l, i) => i > 3 && /^(Kính gửi|[A-ZÀ-Ỹ ]{4,}$)/u.test(l) && !/CỘNG HÒA/.test(l));
  // A continuation page has no title: its first lines stand for its header.
  return lines.slice(0, end > 0 ? Math.min(end, HEADER_LINES) : HEADER_LINES);
}

async function realDocuments(engine: OcrEngine, corpus: string): Promise<Scored[]> {
  const entries = Object.entries(REAL_DOCUMENTS).filter(([file]) => fs.existsSync(path.join(corpus, file)));
  return mapLimit(entries, 2, async ([file, truth]) => {
    const { reading, first } = await readDocument(engine, file, fs.readFileSync(path.join(corpus, file)));
    const printed = headerLines(path.join(corpus, file));
    const read = (first?.text ?? '').split('\n').slice(0, HEADER_LINES);
    return { name: file, corpus: 'real', truth, reading, header: printed.length ? printed : read };
  });
}

async function generatedPages(engine: OcrEngine, count: number, seed: number, dpi: number): Promise<Scored[]> {
  const seeds = Array.from({ length: count }, (_, i) => seed + i);
  return mapLimit(seeds, 4, async (s) => {
    const page = await decree30Page(s, dpi);
    const { ocr } = await digitizePage(engine, page.fileName, page.image, 0);
    return { name: page.name, corpus: 'generated', truth: page.truth, reading: readDecree30([ocr]), header: [], slips: page.slips };
  });
}

function report(results: Scored[]): void {
  for (const r of results.filter((x) => x.corpus === 'real')) {
    console.log(`\n== ${r.name}`);
    console.log(`   the page's header:\n${r.header.map((l) => `     | ${l}`).join('\n')}`);
    console.log('   read:');
    for (const f of READ_FIELDS) {
      if (!r.reading[f] && r.truth[f] === undefined) continue;
      console.log(`   ${MARK[outcome(f, r.truth, r.reading)]} ${f.padEnd(15)} ${shown(r.reading, f)}`);
    }
  }
  console.log(`\nper document (✓ filled right, ✗ filled wrong, · shown but not filled; fill threshold ${FILL_CONFIDENCE}):`);
  console.log(`   ${READ_FIELDS.map((f) => f.slice(0, 4)).join(' ')}`);
  for (const r of results) {
    const marks = READ_FIELDS.map((f) => MARK[outcome(f, r.truth, r.reading)].padEnd(4)).join(' ');
    console.log(`   ${marks}  ${r.name}${r.slips?.length ? ` (${r.slips.join(', ')})` : ''}`);
  }
  for (const corpus of ['real', 'generated', 'all'] as const) {
    const set = results.filter((r) => corpus === 'all' || r.corpus === corpus);
    if (!set.length) continue;
    console.log(`\n${corpus} (${set.length} documents): field, pages showing it, filled, right, precision, recall`);
    for (const s of fieldScores(set)) {
      console.log(
        `   ${s.field.padEnd(15)} ${String(s.shown).padStart(3)} ${String(s.filled).padStart(4)} ${String(s.right).padStart(4)}  P ${pct(s.precision)}  R ${pct(s.recall)}`,
      );
    }
  }
  const wrong = results.flatMap((r) =>
    READ_FIELDS.filter((f) => outcome(f, r.truth, r.reading) === 'wrong').map(
      (f) => `${r.name} ${f}: ${shown(r.reading, f)} (is ${JSON.stringify(r.truth[f] ?? null)})`,
    ),
  );
  console.log(`\nwrong values filled: ${wrong.length}${wrong.map((w) => `\n   ${w}`).join('')}`);
  const cost = (r: Scored) =>
    READ_FIELDS.reduce((n, f) => n + ({ wrong: 10, missed: 1, right: 0, none: 0 } as const)[outcome(f, r.truth, r.reading)], 0);
  const worst = results.reduce((a, b) => (cost(b) > cost(a) ? b : a), results[0]!);
  const missed = READ_FIELDS.filter((f) => outcome(f, worst.truth, worst.reading) === 'missed');
  console.log(`worst document: ${worst.name} (${missed.length} fields not filled: ${missed.join(', ') || 'none'})`);
}

export async function evaluateFields(
  engine: OcrEngine,
  options: { corpus?: string; generated: number; seed: number; dpi: number },
): Promise<void> {
  const results: Scored[] = [];
  if (options.corpus) {
    const found = Object.keys(REAL_DOCUMENTS).filter((f) => fs.existsSync(path.join(options.corpus!, f)));
    if (!found.length)
      throw new Error(`${options.corpus} holds none of the real documents (real-vn/…, real-nogt/…): name the corpus folder itself`);
    results.push(...(await realDocuments(engine, options.corpus)));
  }
  if (options.generated > 0) results.push(...(await generatedPages(engine, options.generated, options.seed, options.dpi)));
  if (!results.length) throw new Error('nothing to read: name the corpus folder or ask for --generated pages');
  report(results);
}

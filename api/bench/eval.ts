/**
 * `npm run eval -- <corpus dir> [--model best|fast] [--out <dir>]`: OCR accuracy of Sohoa's
 * cleanup + OCR against NAME.gt.txt, with ../shared/tools/cer.py's normalisation. Prints one line
 * per page and a mean line like cer.py's (sums over pages, not a mean of ratios).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { digitizePage } from '../../pipeline/index.js';
import { createTesseractEngine, type TextErrors, textErrors } from '../../pipeline/ocr/index.js';
import { groundTruthPages } from '../../test/support/corpus.js';

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(2)}%`;

export function formatErrors(label: string, e: TextErrors): string {
  return `${label}\tCER ${pct(e.charErrors, e.chars)}\tWER ${pct(e.wordErrors, e.words)}\tBOW ${pct(e.missingWords, e.words)}`;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { model: { type: 'string', default: 'best' }, out: { type: 'string' } },
  });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npm run eval -- <corpus dir> [--model best|fast] [--out <dir>]');
  const model = values.model === 'fast' ? 'fast' : 'best';
  const engine = createTesseractEngine({ workers: os.availableParallelism(), model });
  const total: TextErrors = { charErrors: 0, chars: 0, wordErrors: 0, words: 0, missingWords: 0 };
  try {
    const pages = groundTruthPages(dir);
    const read = async (image: string) => (await digitizePage(engine, path.basename(image), fs.readFileSync(image), 0)).ocr.text;
    const results = await Promise.all(pages.map(async (p) => ({ page: p, text: await read(p.image) })));
    for (const { page, text } of results) {
      if (values.out) {
        fs.mkdirSync(values.out, { recursive: true });
        fs.writeFileSync(path.join(values.out, `${page.name}.txt`), text);
      }
      const e = textErrors(fs.readFileSync(page.truth, 'utf8'), text);
      for (const k of Object.keys(total) as (keyof TextErrors)[]) total[k] += e[k];
      console.log(formatErrors(page.name, e));
    }
    console.log(`${formatErrors('mean', total).replace(/\t/g, ' ')} pages ${pages.length} (${engine.name})`);
  } finally {
    await engine.close();
  }
}

await main();

/**
 * Listings of ../shared/corpus that the corpus tests and the benchmarks share (api/bench imports
 * this; tests never import a bench): pages with ground truth, and the pages the PDF/A checks use.
 */
import fs from 'node:fs';
import path from 'node:path';

const IMAGE = /\.(png|jpe?g|tiff?)$/i;

export interface CorpusPage {
  name: string;
  image: string;
  truth: string;
}

/** Every image of `dir` that has a NAME.gt.txt beside it. */
export function groundTruthPages(dir: string): CorpusPage[] {
  return fs
    .readdirSync(dir)
    .filter((f) => IMAGE.test(f))
    .map((f) => ({ name: f.replace(IMAGE, ''), image: path.join(dir, f), truth: path.join(dir, f.replace(IMAGE, '.gt.txt')) }))
    .filter((p) => fs.existsSync(p.truth))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The pages the PDF/A checks and the size benchmark share: synthetic, real-vn and the multi-page PDFs of real-nogt. */
export function pdfaCorpusFiles(corpus: string): string[] {
  const pick = (dir: string, pattern: RegExp) =>
    fs
      .readdirSync(path.join(corpus, dir))
      .filter((f) => pattern.test(f))
      .sort()
      .map((f) => path.join(corpus, dir, f));
  return [...pick('synthetic', /\.(png|jpg|tif)$/), ...pick('real-vn', /\.(png|jpg)$/), ...pick('real-nogt', /^(qngai|ocrmypdf)_.*\.pdf$/)];
}

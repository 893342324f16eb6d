/** The pages the PDF/A checks and the size benchmark share: synthetic, real-vn and the multi-page PDFs of real-nogt. */
import fs from 'node:fs';
import path from 'node:path';

export function pdfaCorpusFiles(corpus: string): string[] {
  const pick = (dir: string, pattern: RegExp) =>
    fs
      .readdirSync(path.join(corpus, dir))
      .filter((f) => pattern.test(f))
      .sort()
      .map((f) => path.join(corpus, dir, f));
  return [
    ...pick('synthetic', /\.(png|jpg|tif)$/),
    ...pick('real-vn', /\.(png|jpg)$/),
    ...pick('real-nogt', /^(qngai|ocrmypdf)_.*\.pdf$/),
  ];
}

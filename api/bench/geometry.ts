/**
 * `npm run bench:geometry -- <dir>...`: cleanup's quarter turn and skew against what
 * ../shared/tools/gen_scans.py did to each page (its MANIFEST.tsv: `name dpi=… skew=… rot=…`),
 * image analysis only, no OCR: a few minutes for a whole stress corpus. Names every page turned
 * wrongly or levelled more than 0.3° off, and the worst skew error of the rest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cleanupPage } from '../../pipeline/cleanup/index.js';
import { extractPage } from '../../pipeline/input/index.js';

/** Past this, a page's lines slope enough to cost Tesseract words. */
const WRONG_SKEW = 0.3;

interface Expected {
  name: string;
  skew: number;
  rotation: number;
}

function manifest(dir: string): Expected[] {
  const file = path.join(dir, 'MANIFEST.tsv');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [name, ...fields] = line.split('\t');
      const value = (key: string) => Number(fields.find((f) => f.startsWith(`${key}=`))?.split('=')[1] ?? 0);
      return { name: name!, skew: value('skew'), rotation: value('rot') };
    });
}

async function main(): Promise<void> {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) throw new Error('usage: npm run bench:geometry -- <dir with MANIFEST.tsv>...');
  let pages = 0;
  let wrong = 0;
  let worst = 0;
  let ms = 0;
  for (const dir of dirs) {
    for (const page of manifest(dir)) {
      const start = performance.now();
      const bytes = fs.readFileSync(path.join(dir, page.name));
      const { analysis } = await cleanupPage(page.name, await extractPage(page.name, bytes, 0));
      ms += performance.now() - start;
      pages++;
      const error = Math.abs(analysis.skew - page.skew);
      if (analysis.rotation === page.rotation && error <= WRONG_SKEW) {
        worst = Math.max(worst, error);
        continue;
      }
      wrong++;
      console.log(
        `WRONG ${path.basename(dir)}/${page.name}: turned ${analysis.rotation}° (made ${page.rotation}°), skew ${analysis.skew}° (made ${page.skew}°), ` +
          `${analysis.text.lines} lines, skew confidence ${analysis.detector.skewConfidence}`,
      );
    }
  }
  if (pages === 0) throw new Error(`no MANIFEST.tsv in ${dirs.join(', ')}: point at folders gen_scans.py wrote`);
  console.log(
    `${pages} pages: ${wrong} turned or levelled wrongly; worst skew error of the rest ${worst.toFixed(2)}°; cleanup ${(ms / pages).toFixed(0)} ms per page`,
  );
}

await main();

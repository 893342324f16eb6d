/**
 * The OCR engine's languages and second readings, through tesseract.js: a Vietnamese page is read
 * in Vietnamese alone, a page that is not Vietnamese again with every language, and on a real scan
 * the stacked tone marks Tesseract's layout dropped come back.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { digitizePage } from '../pipeline/index.js';
import { characterErrorRate, createTesseractEngine, DEFAULT_LANGUAGES, languageData } from '../pipeline/ocr/index.js';
import { vietnameseWordShare } from '../pipeline/vietnamese.js';
import { CORPUS, corpusAvailable, firstRunOnly } from './support/env.js';

/** Pipeline stages only: the PostgreSQL/S3 run has nothing more to find here. */
const RUN = firstRunOnly('OCR engine', 'it tests pipeline stages, which neither the catalog nor the object store driver touches');

/** Lines of text rendered at 300 dpi, 12 pt DejaVu Serif. */
function renderPage(lines: string[]): Promise<Buffer> {
  const text = lines.map((l, i) => `<text x="250" y="${300 + i * 90}">${l}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="${500 + lines.length * 90}"><rect width="100%" height="100%" fill="#fff"/>
    <g font-family="DejaVu Serif" font-size="50" fill="#111">${text}</g></svg>`;
  return sharp(Buffer.from(svg)).greyscale().png().toBuffer();
}

describe.runIf(RUN)('the share of Vietnamese words', () => {
  it('tells Vietnamese text from English', () => {
    expect(vietnameseWordShare('Ủy ban nhân dân tỉnh đề nghị các sở, ngành 2025'.split(' '))).toBeGreaterThan(0.8);
    expect(vietnameseWordShare('The committee asks every department to report by 2025'.split(' '))).toBe(0);
    expect(vietnameseWordShare(['1743/QĐ', '2025', '-'])).toBeGreaterThan(0.9); // "QĐ" is Vietnamese; figures do not count
    expect(vietnameseWordShare([])).toBe(0);
  });
});

describe.runIf(RUN)('languages of a page', () => {
  const engine = createTesseractEngine({ workers: 1 });
  afterAll(() => engine.close());

  it('reads a Vietnamese page in Vietnamese alone', async () => {
    const lines = ['Ủy ban nhân dân tỉnh đề nghị các sở, ngành rà soát', 'thủ tục hành chính trên địa bàn tỉnh.'];
    const result = await engine.recognize(await renderPage(lines));
    expect(result.languages).toEqual(['vie']);
    expect(characterErrorRate(lines.join('\n'), result.text)).toBeLessThan(0.02);
  }, 60_000);

  it('reads a page that is not Vietnamese again with every language', async () => {
    const lines = ['The committee asks every department to review', 'the administrative procedures of the province.'];
    const result = await engine.recognize(await renderPage(lines));
    expect(result.languages).toEqual(['vie', 'eng']);
    expect(characterErrorRate(lines.join('\n'), result.text)).toBeLessThan(0.02);
  }, 60_000);
});

describe.runIf(RUN)('closing the engine', () => {
  it('lets the page being read end, then reads no more', async () => {
    const engine = createTesseractEngine({ workers: 1 });
    const lines = ['Ủy ban nhân dân tỉnh đề nghị các sở, ngành rà soát', 'thủ tục hành chính trên địa bàn tỉnh.'];
    const page = await renderPage(lines);
    const reading = engine.recognize(page);
    // Closed as the page starts: without the wait, its job went to a terminated worker ("reading 'postMessage'").
    await new Promise((r) => setTimeout(r, 50));
    await engine.close();
    expect(characterErrorRate(lines.join('\n'), (await reading).text)).toBeLessThan(0.02);
    await expect(engine.recognize(page)).rejects.toThrow('the OCR engine is closed');
  }, 60_000);
});

/**
 * The fast model's tessdata_fast files come from the system's Tesseract packages (.ci/run installs
 * Debian's): outside CI their absence skips these checks with the reason, in CI it fails them.
 */
function fastModelsInstalled(): boolean {
  try {
    languageData(DEFAULT_LANGUAGES, 'fast');
    return true;
  } catch (err) {
    if (process.env.CI) throw err;
    console.warn(`the fast model: skipped — ${(err as Error).message}`);
    return false;
  }
}

describe.runIf(RUN && fastModelsInstalled())('the fast model', () => {
  const engine = createTesseractEngine({ workers: 1, model: 'fast' });
  afterAll(() => engine.close());

  it('is another network than best_int, and reads a Vietnamese page', async () => {
    const model = (variant: 'best' | 'fast') => {
      const { langPath, gzip } = languageData(['vie'], variant);
      const bytes = fs.readFileSync(path.join(langPath, gzip ? 'vie.traineddata.gz' : 'vie.traineddata'));
      return gzip ? zlib.gunzipSync(bytes) : bytes;
    };
    const [fast, best] = [model('fast'), model('best')];
    // tessdata_fast's networks are a fraction of best_int's size.
    expect(fast.length).toBeLessThan(best.length / 2);
    const lines = ['Ủy ban nhân dân tỉnh đề nghị các sở, ngành rà soát', 'thủ tục hành chính trên địa bàn tỉnh.'];
    const result = await engine.recognize(await renderPage(lines));
    expect(result.engine).toContain('(fast)');
    expect(characterErrorRate(lines.join('\n'), result.text)).toBeLessThan(0.03);
  }, 60_000);
});

describe.runIf(RUN && corpusAvailable('stacked tone marks on a real scan'))('stacked tone marks on a real scan', () => {
  const engine = createTesseractEngine({ workers: 2 });
  afterAll(() => engine.close());

  it('keeps the upper marks of qngai_23 that page layout drops, and no word goes to English', async () => {
    // Read page by page in tesseract.js 7, this page gives "chuyên", "Công", "Trân Hoàng Tuân"
    // (the signature's marks as a line of their own) and, with vie+eng, "dia ban tinh".
    const page = path.join(CORPUS, 'real-vn', 'qngai_23-BC-UBND_2025_p2.jpg');
    const { ocr } = await digitizePage(engine, path.basename(page), fs.readFileSync(page), 0);
    const words = ocr.text.split(/\s+/);
    for (const word of ['chuyển', 'Cổng', 'Trần', 'Tuấn']) expect(words).toContain(word);
    expect(ocr.text).toContain('địa bàn');
    expect(ocr.text).not.toMatch(/\bdia ban\b/);
    expect(ocr.languages).toEqual(['vie']);
    const truth = fs.readFileSync(path.join(CORPUS, 'real-vn', 'qngai_23-BC-UBND_2025_p2.gt.txt'), 'utf8');
    expect(characterErrorRate(truth, ocr.text)).toBeLessThan(0.02);
  }, 120_000);
});

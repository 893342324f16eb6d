/**
 * Reading order of two-column letterheads and signature blocks: as boxes (the XY-cut itself) and
 * as a rendered page through tesseract.js (the gutter split and the piece-by-piece re-read).
 */

import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { createTesseractEngine, type OcrLine } from '../pipeline/ocr/index.js';
import { readingOrder, splitAtGutters, wordHeight } from '../pipeline/ocr/reading-order.js';

/** A line of words 40 px high at `y`, each word at [x, x + width). */
function line(y: number, ...words: [string, number, number][]): OcrLine {
  const ws = words.map(([text, x, width]) => ({ text, box: { x0: x, y0: y, x1: x + width, y1: y + 40 }, confidence: 90 }));
  return { box: { x0: ws[0]!.box.x0, y0: y, x1: ws.at(-1)!.box.x1, y1: y + 40 }, words: ws };
}
const text = (lines: OcrLine[]) => lines.map((l) => l.words.map((w) => w.text).join(' '));

describe('reading order', () => {
  it('splits a line at a column gutter and not at its spaces', () => {
    const joined = line(100, ['ỦY', 0, 60], ['BAN', 80, 90], ['CỘNG', 600, 120], ['HÒA', 740, 90]);
    expect(text(splitAtGutters(joined, 40))).toEqual(['ỦY BAN', 'CỘNG HÒA']);
    expect(splitAtGutters(line(100, ['Theo', 0, 100], ['đề', 150, 50], ['nghị', 250, 90]), 40)).toHaveLength(1);
  });

  it("measures gutters in the page's word height, not in a line's own", () => {
    // Tesseract joined a dash and stray tone marks of the next column to "Như trên;": the line's
    // median word is a few pixels high, and ordinary spaces would pass for gutters.
    const merged = line(100, ['-', 0, 10], ['Như', 30, 80], ['trên;', 130, 90], ['`', 700, 10], ['ˆ', 760, 10], ['x', 820, 10]);
    for (const w of merged.words.filter((w) => w.text.length === 1)) w.box.y0 = w.box.y1 - 6;
    expect(wordHeight([merged])).toBe(6);
    expect(text(splitAtGutters(merged, 40))).toEqual(['- Như trên;', '` ˆ x']);
  });

  it('reads a letterhead column by column, then the body, then recipients before the signature', () => {
    const tesseract = [
      line(100, ['ỦY', 0, 60], ['BAN', 80, 90], ['CỘNG', 600, 120], ['HÒA', 740, 90]),
      line(150, ['TỈNH', 20, 90], ['Độc', 640, 80], ['lập', 740, 70]),
      line(200, ['V/v', 10, 80], ['góp', 110, 80], ['ý', 210, 20]),
      line(300, ['Kính', 450, 90], ['gửi:', 560, 80]),
      line(400, ['Theo', 0, 100], ['đề', 150, 50], ['nghị', 250, 900]),
      line(450, ['tỉnh', 0, 90], ['theo', 110, 90]),
      line(550, ['Nơi', 0, 70], ['nhận:', 90, 100], ['TL.', 700, 60], ['CHỦ', 780, 90], ['TỊCH', 890, 100]),
      line(600, ['-', 0, 10], ['Như', 30, 80], ['trên;', 130, 90]),
      line(700, ['Hà', 720, 60], ['Thị', 800, 70]),
    ];
    expect(
      text(
        readingOrder(
          tesseract.map((l) => splitAtGutters(l, wordHeight(tesseract))),
          wordHeight(tesseract),
        ),
      ),
    ).toEqual([
      'ỦY BAN',
      'TỈNH',
      'V/v góp ý',
      'CỘNG HÒA',
      'Độc lập',
      'Kính gửi:',
      'Theo đề nghị',
      'tỉnh theo',
      'Nơi nhận:',
      '- Như trên;',
      'TL. CHỦ TỊCH',
      'Hà Thị',
    ]);
  });

  it("keeps Tesseract's order on a page it split into no gutters", () => {
    // Two columns Tesseract read as separate blocks: the left one first, although the right
    // column's first line lies higher.
    const tesseract = [
      line(120, ['left', 0, 300]),
      line(170, ['column', 0, 300]),
      line(100, ['right', 600, 300]),
      line(150, ['column', 600, 300]),
    ];
    expect(
      text(
        readingOrder(
          tesseract.map((l) => splitAtGutters(l, wordHeight(tesseract))),
          wordHeight(tesseract),
        ),
      ),
    ).toEqual(['left', 'column', 'right', 'column']);
  });
});

describe('a rendered letterhead through tesseract.js', () => {
  const engine = createTesseractEngine({ workers: 1 });
  afterAll(() => engine.close());

  it('reads the agency column, then the motto column, with their tone marks', async () => {
    const row = (y: number, left: string, right: string) =>
      `<text x="420" y="${y}" text-anchor="middle">${left}</text><text x="1650" y="${y}" text-anchor="middle">${right}</text>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="900"><rect width="100%" height="100%" fill="#fff"/>
      <g font-family="DejaVu Serif" font-size="46" fill="#111">
      ${row(150, 'ỦY BAN NHÂN DÂN', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')}
      ${row(220, 'TỈNH QUẢNG NGÃI', 'Độc lập - Tự do - Hạnh phúc')}
      ${row(330, 'Số: 575/UBND-KTTH', 'Quảng Ngãi, ngày 04 tháng 02 năm 2025')}
      <text x="200" y="560">Theo đề nghị của Bộ Tài chính tại nội dung các Công văn số 1060.</text></g></svg>`;
    const page = await sharp(Buffer.from(svg)).greyscale().png().toBuffer();
    const result = await engine.recognize(page);
    expect(result.text.split('\n')).toEqual([
      'ỦY BAN NHÂN DÂN',
      'TỈNH QUẢNG NGÃI',
      'Số: 575/UBND-KTTH',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Quảng Ngãi, ngày 04 tháng 02 năm 2025',
      'Theo đề nghị của Bộ Tài chính tại nội dung các Công văn số 1060.',
    ]);
  }, 60_000);
});

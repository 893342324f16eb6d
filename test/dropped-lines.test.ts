/** Finding the text lines Tesseract's layout dropped: bands of ink no line read covers. */
import { describe, expect, it } from 'vitest';
import { insertByTop, uncoveredBands } from '../pipeline/ocr/dropped-lines.js';
import type { OcrLine } from '../pipeline/ocr/index.js';
import type { GreyRaster } from '../pipeline/raster.js';

const WIDTH = 1000;
const HEIGHT = 600;

/** A white page with "words" (dark blocks) drawn in the given boxes. */
function page(blocks: { x0: number; y0: number; x1: number; y1: number }[]): GreyRaster {
  const data = new Uint8Array(WIDTH * HEIGHT).fill(255);
  for (const b of blocks) for (let y = b.y0; y < b.y1; y++) data.fill(20, y * WIDTH + b.x0, y * WIDTH + b.x1);
  return { data, width: WIDTH, height: HEIGHT };
}

/** A line of words 30 pixels high from x = 100 to 900, starting at `top`. */
const words = (top: number) => Array.from({ length: 8 }, (_, i) => ({ x0: 100 + i * 100, y0: top, x1: 180 + i * 100, y1: top + 30 }));
const line = (top: number): OcrLine => ({ box: { x0: 100, y0: top, x1: 880, y1: top + 30 }, words: [] });

describe('dropped lines', () => {
  it('finds the band of a line no reading covers, and nothing where the lines were read', () => {
    const raster = page([...words(100), ...words(200), ...words(300)]);
    expect(uncoveredBands(raster, [line(100), line(300)], 30)).toEqual([{ x0: 100, y0: 200, x1: 880, y1: 230 }]);
    expect(uncoveredBands(raster, [line(100), line(200), line(300)], 30)).toEqual([]);
  });

  it('leaves out what is no text line: a seal taller than two lines, a short mark, ink outside the text columns', () => {
    const seal = { x0: 300, y0: 400, x1: 700, y1: 560 };
    const mark = { x0: 400, y0: 200, x1: 460, y1: 215 };
    const margin = { x0: 0, y0: 250, x1: 60, y1: 280 };
    const raster = page([...words(100), ...words(300), seal, mark, margin]);
    expect(uncoveredBands(raster, [line(100), line(300)], 30)).toEqual([]);
  });

  it('puts a found line among the lines read, before the first that starts below it', () => {
    const [a, b, c] = [line(100), line(200), line(300)];
    expect(insertByTop([a, c], [b])).toEqual([a, b, c]);
    expect(insertByTop([a, b], [c])).toEqual([a, b, c]);
  });
});

/**
 * Stacked tone marks (ế, ầ, ổ…): which words are read again, the image they are read from, and
 * which second reading is believed.
 */
import { describe, expect, it } from 'vitest';
import {
  bareStackBaseHeight,
  mayHaveLostStackedMark,
  tallStackBases,
  withStackedMarks,
  wordWithMarksAbove,
} from '../pipeline/ocr/stacked-marks.js';
import type { GreyRaster } from '../pipeline/raster.js';

describe('second readings of stacked marks', () => {
  it('suspects words read with a bare circumflex or breve only', () => {
    expect(['chuyên', 'Tuân', 'năm', 'TRÊN'].map(mayHaveLostStackedMark)).toEqual([true, true, true, true]);
    expect(['chuyển', 'Tuấn', 'tỉnh', 'đất', 'Hà'].map(mayHaveLostStackedMark)).toEqual([false, false, false, false, false]);
  });

  it('takes a second reading that adds a tone mark on a bare stack base, keeping the first punctuation', () => {
    expect(withStackedMarks('chuyên', 'chuyển')).toBe('chuyển');
    expect(withStackedMarks('Công', 'Cổng.')).toBe('Cổng');
    expect(withStackedMarks('(đây', 'đầy')).toBe('(đầy');
    expect(withStackedMarks('TUÂN;', 'TUẤN')).toBe('TUẤN;');
    expect(withStackedMarks('bô', 'bố')).toBe('bố');
  });

  it('refuses any other change', () => {
    expect(withStackedMarks('tỉnh', 'tính')).toBeUndefined(); // no stack base
    expect(withStackedMarks('công', 'công')).toBeUndefined(); // nothing added
    expect(withStackedMarks('bô', 'bó')).toBeUndefined(); // circumflex lost, not a mark added
    expect(withStackedMarks('công', 'cộng')).toBeUndefined(); // a dot below is not a stacked mark
    expect(withStackedMarks('trên', 'trển')).toBe('trển');
    expect(withStackedMarks('trên', 'tiền')).toBeUndefined(); // another letter changed
    expect(withStackedMarks('năm', 'nắmm')).toBeUndefined();
    expect(withStackedMarks('văn', 'vấn')).toBeUndefined(); // breve turned circumflex
    expect(withStackedMarks('văn', 'vắn')).toBe('vắn');
  });

  it('finds the tallest bare stack base of a word', () => {
    expect(
      bareStackBaseHeight([
        { text: 'c', height: 29 },
        { text: 'ô', height: 54 },
        { text: 'n', height: 29 },
      ]),
    ).toBe(54);
    expect(
      bareStackBaseHeight([
        { text: 'c', height: 29 },
        { text: 'ố', height: 54 },
      ]),
    ).toBeUndefined();
  });

  it("judges a stack base tall against the line's other stack bases, else its plain tall letters", () => {
    const word = (text: string, ...heights: number[]) => ({
      word: text,
      letters: [...text].map((ch, i) => ({ text: ch, height: heights[i] ?? 29 })),
    });
    // Three bare stack bases: the one a quarter taller than the others holds a mark.
    expect(tallStackBases([word('công', 29, 42), word('Công', 42, 54), word('tên', 40, 29, 41)])).toEqual(['Công']);
    // Of a pair, the shorter one is the reference.
    expect(tallStackBases([word('Công', 42, 54), word('tên', 40, 29, 41)])).toEqual(['Công']);
    // The line's only stack base, against its b, d, h, k, l…: as tall is bare, a quarter taller is not.
    expect(tallStackBases([word('chuyên', 29, 44, 29, 29, 56), word('để', 44, 29)])).toEqual(['chuyên']);
    expect(tallStackBases([word('thông', 36, 44, 29, 42), word('để', 44, 29)])).toEqual([]);
    // Nothing to compare with: it may.
    expect(tallStackBases([word('năm', 29, 41, 29)])).toEqual(['năm']);
  });
});

describe('the word image with the marks above it', () => {
  /** A white 200 × 120 page with ink rectangles [x0, y0, x1, y1). */
  function page(...inks: [number, number, number, number][]): GreyRaster {
    const raster = { data: new Uint8Array(200 * 120).fill(255), width: 200, height: 120 };
    for (const [x0, y0, x1, y1] of inks) for (let y = y0; y < y1; y++) raster.data.fill(20, y * 200 + x0, y * 200 + x1);
    return raster;
  }
  const at = (crop: ReturnType<typeof wordWithMarksAbove>, x: number, y: number) =>
    crop.image.data[(y - crop.top) * crop.image.width + (x - crop.left)];
  const box = { x0: 50, y0: 60, x1: 150, y1: 100 };

  it('keeps the box and a mark floating above it, not a stroke reaching down from the line above', () => {
    const crop = wordWithMarksAbove(page([60, 65, 140, 95], [95, 45, 103, 51], [120, 0, 124, 50], [10, 45, 20, 50]), box);
    expect(crop.marksAbove).toBe(1);
    expect(at(crop, 99, 48)).toBe(20); // the mark
    expect(at(crop, 100, 80)).toBe(20); // the word
    expect(at(crop, 121, 45)).toBe(255); // the descender of the line above stays out
    // 12 px of paper around the word (0.3 of its height); 8 px above the mark (0.2).
    expect({ left: crop.left, top: crop.top, width: crop.image.width, height: crop.image.height }).toEqual({
      left: 38,
      top: 37,
      width: 124,
      height: 75,
    });
  });

  it('adds nothing when no ink floats above the word', () => {
    const crop = wordWithMarksAbove(page([60, 65, 140, 95], [120, 0, 124, 50]), box);
    expect(crop.marksAbove).toBe(0);
    expect(crop.top).toBe(52);
    expect(crop.image.data.filter((v) => v < 128).length).toBe(80 * 30);
  });

  it('leaves out ink that reaches into the lower half of the word', () => {
    // A stroke from above the box down to its middle belongs to no mark.
    const crop = wordWithMarksAbove(page([60, 65, 140, 95], [70, 50, 74, 85]), box);
    expect(crop.marksAbove).toBe(0);
    expect(at(crop, 72, 55)).toBe(255);
  });
});

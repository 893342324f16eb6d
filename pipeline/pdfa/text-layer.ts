/**
 * The invisible text layer (render mode 3) of a scanned page: every OCR word drawn on its box so
 * search highlights and selections fall on the printed word and copying gives the OCR text.
 */
import {
  beginText,
  endText,
  type PDFFont,
  type PDFPage,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
} from 'pdf-lib';
import type { OcrLine, OcrPageResult } from '../ocr/index.js';
import { median } from '../statistics.js';

/** Gap kept between drawn words, in font sizes: pdftotext -raw runs words closer than about 0.2 together. */
const MIN_WORD_GAP = 0.3;

/**
 * Each word is drawn invisibly on its box, so a viewer's search highlight and text selection fall
 * on the printed word: the font size makes the font's ascent-to-descent span the line's text
 * height, the word sits on the line's baseline where it stands (scans are often a little skewed),
 * and horizontal scaling (Tz) makes it exactly as wide as its box. A space, scaled to the gap,
 * follows every word but the line's last, so text extraction splits words where OCR did.
 */
export function addTextLayer(page: PDFPage, font: PDFFont, ocr: OcrPageResult, scale: number): void {
  const fontKey = page.node.newFontDictionary(font.name, font.ref);
  const unitHeight = font.heightAtSize(1, { descender: true });
  const descent = unitHeight - font.heightAtSize(1, { descender: false });
  const space = font.encodeText(' ');
  const spaceWidth = font.widthOfTextAtSize(' ', 1);
  const pageHeight = page.getHeight();
  const shaped = shapedWords(font);
  const ops = [beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
  for (const line of ocr.lines) {
    const { textHeight, baselineAt } = lineGeometry(line, descent / unitHeight);
    if (textHeight <= 0) continue;
    const size = round((textHeight * scale) / unitHeight);
    ops.push(setFontAndSize(fontKey, size));
    for (const [i, word] of line.words.entries()) {
      const { unitWidth, encoded } = shaped(word.text);
      const natural = unitWidth * size;
      const next = line.words[i + 1];
      const x = word.box.x0 * scale;
      // Extractors (pdftotext) join words that nearly touch whatever characters lie between,
      // so a word crowding the next one is drawn a little narrower.
      const room = next ? next.box.x0 * scale - MIN_WORD_GAP * size - x : Infinity;
      const boxWidth = (word.box.x1 - word.box.x0) * scale;
      const width = Math.max(Math.min(boxWidth, room), boxWidth / 2);
      if (natural <= 0 || width <= 0) continue;
      const baseline = pageHeight - baselineAt((word.box.x0 + word.box.x1) / 2) * scale;
      ops.push(
        setCharacterSqueeze(round((width / natural) * 100)),
        setTextMatrix(1, 0, 0, 1, round(x), round(baseline)),
        showText(encoded),
      );
      if (!next) continue;
      const gap = Math.max(next.box.x0 * scale - x - width, 0.01 * size);
      ops.push(setCharacterSqueeze(round((gap / (spaceWidth * size)) * 100)), showText(space));
    }
  }
  ops.push(endText());
  page.pushOperators(...ops);
}

/**
 * Each distinct word shaped once (fontkit's layout was most of the text layer's time): a page's
 * syllables repeat (của, và, tỉnh…).
 */
interface ShapedWord {
  /** Width at a font size of 1. */
  unitWidth: number;
  encoded: ReturnType<PDFFont['encodeText']>;
}

function shapedWords(font: PDFFont): (text: string) => ShapedWord {
  const cache = new Map<string, ShapedWord>();
  return (text) => {
    let word = cache.get(text);
    if (!word) {
      word = { unitWidth: font.widthOfTextAtSize(text, 1), encoded: font.encodeText(text) };
      cache.set(text, word);
    }
    return word;
  };
}

/** Hundredths of a point (or percent) are far finer than a scan's pixels, and keep the stream small. */
function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * A line's text height and baseline in image pixels. A skewed line's box is taller than its text
 * by the rise of the baseline across it, and a line the engine ran into a seal or a signature is
 * far taller than its words: the height is capped at 1.5 times the median word's. Without a
 * baseline from the engine the line is taken as level, its box bottom at the font's descent.
 */
function lineGeometry(line: OcrLine, descentShare: number): { textHeight: number; baselineAt: (x: number) => number } {
  const { box, baseline } = line;
  const boxHeight = box.y1 - box.y0;
  const cap = 1.5 * (line.words.length ? median(line.words.map((w) => w.box.y1 - w.box.y0)) : boxHeight);
  if (!baseline || baseline.x1 === baseline.x0) {
    const textHeight = Math.min(boxHeight, cap);
    return { textHeight, baselineAt: () => box.y1 - descentShare * textHeight };
  }
  const slope = (baseline.y1 - baseline.y0) / (baseline.x1 - baseline.x0);
  // The rise never takes more than half the box: a wild baseline must not shrink the words to nothing.
  const deskewed = Math.max(boxHeight - Math.abs(slope) * (box.x1 - box.x0), boxHeight / 2);
  return { textHeight: Math.min(deskewed, cap), baselineAt: (x) => baseline.y0 + slope * (x - baseline.x0) };
}

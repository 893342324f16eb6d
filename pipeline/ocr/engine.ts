/**
 * What an OCR engine does: a page image in, its text with word boxes out. Engines (tesseract.js
 * today, in engines/) sit behind OcrEngine so another can be swapped in, as OCRmyPDF's
 * builtin_plugins do.
 */

/** Pixel box, origin top-left, x1/y1 exclusive. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  box: Box;
  /** 0–100. */
  confidence: number;
}

export interface OcrLine {
  box: Box;
  /** Baseline as y = y0 + slope·(x − x0) offset, in pixels; absent when the engine gives none. */
  baseline?: { x0: number; y0: number; x1: number; y1: number };
  words: OcrWord[];
}

/** What the OCR stage stores per page (`ocr.json`). */
export interface OcrPageResult {
  /** NFC text in reading order, one line per \n (a line split at a column gutter gives one per column). */
  text: string;
  /** Mean word confidence, 0–100. */
  confidence: number;
  /** Size of the image the boxes refer to. */
  width: number;
  height: number;
  lines: OcrLine[];
  engine: string;
  languages: string[];
}

export interface OcrOptions {
  languages: string[];
}

export interface OcrEngine {
  readonly name: string;
  /** Loads the models now, so that the first page does not wait for them (they load with it otherwise). */
  start(): Promise<void>;
  recognize(image: Buffer, options?: Partial<OcrOptions>): Promise<OcrPageResult>;
  close(): Promise<void>;
}

export const DEFAULT_LANGUAGES = ['vie', 'eng'];

/** Pages whose mean confidence is below this are flagged for review. */
export const LOW_CONFIDENCE = 70;

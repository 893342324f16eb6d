/**
 * OCR stage: a page image in, its text with word boxes out (engine.ts), read by tesseract.js
 * (engines/tesseract.ts) with second readings: lines the layout dropped (dropped-lines.ts), lines
 * split at column gutters (reading-order.ts) and lost stacked tone marks (stacked-marks.ts).
 * accuracy.ts measures a reading against ground truth.
 */

export { characterErrorRate, type TextErrors, textErrors } from './accuracy.js';
export {
  type Box,
  DEFAULT_LANGUAGES,
  LOW_CONFIDENCE,
  type OcrEngine,
  type OcrLine,
  type OcrOptions,
  type OcrPageResult,
  type OcrWord,
} from './engine.js';
export { createTesseractEngine, languageData, MODEL_VARIANTS, type ModelVariant } from './engines/tesseract.js';

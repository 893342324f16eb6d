/**
 * OCR stage: a page image in, its text with word boxes out (engine.ts), read by tesseract.js
 * (engines/tesseract.ts) with Vietnamese-specific second readings: lines split at column gutters
 * (reading-order.ts) and lost stacked tone marks (stacked-marks.ts). accuracy.ts measures a
 * reading against ground truth.
 */
export { DEFAULT_LANGUAGES, LOW_CONFIDENCE, type Box, type OcrEngine, type OcrLine, type OcrOptions, type OcrPageResult, type OcrWord } from './engine.js';
export { createTesseractEngine, languageData, type ModelVariant } from './engines/tesseract.js';
export { characterErrorRate, textErrors, type TextErrors } from './accuracy.js';

/**
 * Cleanup stage: one source page in, its archival image (what the PDF/A shows) and its OCR image
 * (what Tesseract reads) out, with what was found and done: border, quarter turn, skew, ink.
 */
export {
  type CleanedPage,
  type CleanupOptions,
  type ColourMode,
  cleanupPage,
  type OrientationCheck,
  type PageAnalysis,
  type PageGeometry,
} from './cleanup-page.js';
export type { QuarterTurn } from './orientation.js';
export type { Resolution } from './resolution.js';
export { cleanupInThread, startCleanupThreads } from './threads.js';

/**
 * PDF/A stage: archival page images plus their invisible OCR text layer in one PDF/A-2b or -1b
 * file (build.ts), with the embedded font (font.ts), page images (image.ts, ccitt-g4.ts), text
 * layer (text-layer.ts) and XMP metadata (xmp.ts) it needs; merge.ts joins such files into one.
 */
export { buildPdfA, type PdfaPart, type PdfMetadata, type PdfPageInput, savePdfA } from './build.js';
export { embedDejaVuSans } from './font.js';
export { mergePdfA, type PdfSource } from './merge.js';
export { escapeXml, vietnamTime } from './xmp.js';

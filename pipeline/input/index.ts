/** Input stage: a scanner's file (JPEG, PNG, TIFF, image-only PDF) in, its pages as images out. */
export { detectFormat, extractPage, type InputFormat, type InputInspection, inspectInput } from './extract.js';
/** pdf.js's work on one PDF as its worker thread runs it; the abuse bench runs it in the event loop's thread, to compare. */
export { default as runPdfTask } from './pdf-decode.js';
export type { SourcePage } from './source-page.js';

/** Input stage: a scanner's file (JPEG, PNG, TIFF, image-only PDF) in, its pages as images out. */
export { detectFormat, extractPage, type InputFormat, type InputInspection, inspectInput } from './extract.js';
export type { SourcePage } from './source-page.js';

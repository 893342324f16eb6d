/**
 * Metadata read from the page itself: the layout of Decree 30/2020/NĐ-CP gives the issuing agency,
 * number and notation, place and date, type, subject and recipients on the first page, and the
 * signer at the end. Read from the OCR's word boxes by position, not from the flattened text.
 */
import type { OcrPageResult } from '../../ocr/index.js';
import { readBody } from './body.js';
import type { Decree30Reading } from './fields.js';
import { readHeader } from './header.js';
import { type PageLayout, pageLayout } from './layout.js';
import { notationAgreeing, notationOfAgency } from './notation.js';
import { readSigner } from './signer.js';

export { type Decree30Reading, FILL_CONFIDENCE, isFilled, READ_FIELDS, type ReadField, type ReadFieldName } from './fields.js';
export {
  CIRCULAR_FIELDS,
  type CircularField,
  type MetadataFromPage,
  metadataFromPage,
  type PageRead,
  type ReadFieldState,
  type ReadFieldStatus,
  readFieldStates,
} from './metadata.js';

/** Pages from the end searched for the signature: a last page may be an annex or left blank. */
export const SIGNER_PAGES = 3;

/** `pages`: the document's OCR results in page order (a failed page as undefined). */
export function readDecree30(pages: (OcrPageResult | undefined)[]): Decree30Reading {
  const reading: Decree30Reading = {};
  // A one-page document's first page is also its last: laid out once.
  const layouts = new Map<number, PageLayout>();
  const layoutOf = (i: number): PageLayout | undefined => {
    const page = pages[i];
    if (page && !layouts.has(i)) layouts.set(i, pageLayout(page));
    return layouts.get(i);
  };
  const layout = layoutOf(0);
  if (layout) {
    const header = readHeader(layout, 1);
    if (header) {
      const { motto: _motto, bottom: _bottom, letterSubject: _subject, ...fields } = header;
      Object.assign(reading, fields, readBody(layout, header, 1));
      if (reading.codeNotation && reading.typeName) reading.codeNotation = notationAgreeing(reading.codeNotation, reading.typeName);
      if (reading.codeNotation && reading.organName)
        reading.codeNotation = notationOfAgency(reading.codeNotation, reading.organName, reading.typeName);
    }
  }
  for (let i = pages.length - 1; i >= Math.max(0, pages.length - SIGNER_PAGES); i--) {
    const last = layoutOf(i);
    if (!last) continue;
    const signer = readSigner(last, i + 1);
    if (signer.signerName || signer.signerPosition) {
      Object.assign(reading, signer);
      break;
    }
  }
  return reading;
}

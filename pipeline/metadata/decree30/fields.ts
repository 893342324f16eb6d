/** What the Decree 30 reader gives: each field with how sure it is and where on which page it was read. */
import type { Box } from '../../ocr/index.js';

export interface ReadField<T extends string | string[] = string> {
  value: T;
  /** The least sure OCR word it was read from, 0–1. */
  confidence: number;
  /** Page of the document, 1-based, and the pixel box on its OCR image. */
  page: number;
  box: Box;
}

export interface Decree30Reading {
  /** The issuing agency in full ("Ủy ban nhân dân tỉnh Quảng Ngãi"), and its parent body when printed above it. */
  organName?: ReadField;
  parentOrgan?: ReadField;
  codeNumber?: ReadField;
  /** "UBND-KTTH", "2024/NĐ-CP": what follows the number's slash, spaces taken out. */
  codeNotation?: ReadField;
  /** ISO 8601: a day, or `YYYY-MM` / `YYYY` when a part of the date could not be read. */
  issuedDate?: ReadField;
  place?: ReadField;
  /** "Chỉ thị", "Quyết định"…; "Công văn" for a letter whose subject is given as "V/v". */
  typeName?: ReadField;
  subject?: ReadField;
  recipients?: ReadField<string[]>;
  signerPosition?: ReadField;
  signerName?: ReadField;
}

export type ReadFieldName = keyof Decree30Reading;

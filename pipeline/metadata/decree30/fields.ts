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

/** Every field the reader gives, in the order a page shows them. */
export const READ_FIELDS = [
  'organName',
  'parentOrgan',
  'codeNumber',
  'codeNotation',
  'issuedDate',
  'place',
  'typeName',
  'subject',
  'recipients',
  'signerPosition',
  'signerName',
] as const satisfies readonly ReadFieldName[];

/**
 * A field read at least this sure fills the document's metadata; below it, it is shown to the
 * station to confirm, with the crop of the page it was read from.
 */
export const FILL_CONFIDENCE = 0.75;

/** Sure enough, and whole: a date with its day or month unread is for the station to complete. */
export function isFilled(name: ReadFieldName, field: ReadField<string | string[]>, threshold = FILL_CONFIDENCE): boolean {
  if (field.confidence < threshold) return false;
  return name !== 'issuedDate' || /^\d{4}-\d{2}-\d{2}$/.test(field.value as string);
}

/**
 * The confidence of a word of a closed list (ỦY BAN NHÂN DÂN, a province, a position), 0–1: what
 * it says is known whatever the OCR's doubt about its marks.
 */
export const KNOWN_WORD = 0.9;

/** What a field is held down to when the page contradicts it: shown to the station, never filled. */
export const HELD_BACK = 0.5;

export const heldBack = <T extends ReadField<string | string[]>>(read: T): T => ({
  ...read,
  confidence: Math.min(read.confidence, HELD_BACK),
});

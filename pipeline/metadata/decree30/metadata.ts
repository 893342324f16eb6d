/**
 * What a reading gives the document's Circular 05/2025 record: the fields read sure enough (and
 * valid as the circular has them) fill it; every field read, sure or not, is kept with where it was
 * read — the page and its box as fractions of the page, so the station can be shown the crop.
 */

import { UsageError } from '../../errors.js';
import type { Box, OcrPageResult } from '../../ocr/index.js';
import { type MetadataRecord, type MetadataValue, parseArchivalMetadata } from '../circular05.js';
import type { DerivedRecord } from '../derive.js';
import { type Decree30Reading, isFilled, type ReadFieldName } from './fields.js';

/** The reading's fields the circular has a place for; the rest (place, recipients, signer) are kept as read. */
export const CIRCULAR_FIELDS = ['organName', 'codeNumber', 'codeNotation', 'issuedDate', 'typeName', 'subject'] as const;
export type CircularField = (typeof CIRCULAR_FIELDS)[number];

export interface PageRead {
  value: string | string[];
  /** 0–1. */
  confidence: number;
  /** The document's page number. */
  page: number;
  /** Fractions of the page's width and height, origin top-left. */
  box: Box;
}

export interface MetadataFromPage {
  /** Circular fields read sure enough to fill the record. */
  filled: MetadataRecord;
  read: Record<string, PageRead>;
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/**
 * `pages`: the OCR results the reading was made from, in its page order; `numbers`: each one's page
 * number in the document (failed and blank pages are not in the PDF/A, nor in the reading).
 */
export function metadataFromPage(reading: Decree30Reading, pages: (OcrPageResult | undefined)[], numbers: number[]): MetadataFromPage {
  const read: Record<string, PageRead> = {};
  const filled: MetadataRecord = {};
  for (const [name, field] of Object.entries(reading) as [ReadFieldName, NonNullable<Decree30Reading[ReadFieldName]>][]) {
    const ocr = pages[field.page - 1];
    if (!ocr) continue;
    const { x0, y0, x1, y1 } = field.box;
    read[name] = {
      value: field.value,
      confidence: field.confidence,
      page: numbers[field.page - 1] ?? field.page,
      box: { x0: round(x0 / ocr.width), y0: round(y0 / ocr.height), x1: round(x1 / ocr.width), y1: round(y1 / ocr.height) },
    };
    if (!(CIRCULAR_FIELDS as readonly string[]).includes(name) || !isFilled(name, field)) continue;
    try {
      // As the circular checks a station's value: a subject too long, a notation with a space stays for the station.
      Object.assign(filled, parseArchivalMetadata({ document: { [name]: field.value } }, 'read').document);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  }
  return { filled, read };
}

/**
 * A read field as the station sees it: `filled` (its value is in the record), `to-confirm` (read
 * unsure, or a date with a part unread: the station says what the page says), `given` (the
 * station's value is in the record: the same as read — confirmed — or another), `read` (kept as
 * read: the circular has no field for a place, the recipients or the signer).
 */
export type ReadFieldStatus = 'filled' | 'to-confirm' | 'given' | 'read';

export interface ReadFieldState extends PageRead {
  name: string;
  status: ReadFieldStatus;
  /** The station's value, when it gave one. */
  given?: MetadataValue;
}

export function readFieldStates(record: DerivedRecord & { read?: Record<string, PageRead> }): ReadFieldState[] {
  const extracted = new Set(record.extracted ?? []);
  return Object.entries(record.read ?? {}).map(([name, read]) => {
    if (!(CIRCULAR_FIELDS as readonly string[]).includes(name)) return { name, ...read, status: 'read' };
    if (extracted.has(name)) return { name, ...read, status: 'filled' };
    const given = record.values[name];
    return given === undefined ? { name, ...read, status: 'to-confirm' } : { name, ...read, status: 'given', given };
  });
}

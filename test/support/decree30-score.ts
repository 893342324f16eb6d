/**
 * Scores what the Decree 30 reader made of a page against the fields it shows: per field, whether
 * Sohoa filled it (confident enough, and whole: a date with a part unread is never filled) and
 * whether the value is right. Codes, dates, type, place and the signer's name must match exactly;
 * the agency, subject, recipients and position may differ by OCR slips up to 5% of their characters
 * (a "bảo đầm" for "bảo đảm" is a slip of the OCR, not of the layout).
 */

import { editDistance } from '../../pipeline/edit-distance.js';
import { type Decree30Reading, FILL_CONFIDENCE, isFilled, READ_FIELDS } from '../../pipeline/metadata/decree30/index.js';
import type { Decree30Truth } from './decree30-pages.js';

const LOOSE = new Set<string>(['organName', 'parentOrgan', 'subject', 'recipients', 'signerPosition']);
const SLIPS = 0.05;

/** filled right, filled wrong (or filled where the page shows nothing legible), left out though shown, rightly left out. */
export type Outcome = 'right' | 'wrong' | 'missed' | 'none';

function same(field: string, expected: string, read: string): boolean {
  const [a, b] = [expected.normalize('NFC').replace(/\s+/g, ' ').trim(), read.normalize('NFC').replace(/\s+/g, ' ').trim()];
  if (!LOOSE.has(field)) return a === b;
  return editDistance(a, b) <= SLIPS * Math.max(a.length, b.length);
}

export function outcome(
  field: (typeof READ_FIELDS)[number],
  truth: Decree30Truth,
  reading: Decree30Reading,
  threshold = FILL_CONFIDENCE,
): Outcome {
  const expected = truth[field];
  const read = reading[field];
  const filled = read !== undefined && isFilled(field, read, threshold);
  if (!filled) return expected === undefined ? 'none' : 'missed';
  if (expected === undefined) return 'wrong';
  const [e, r] = [expected, read.value].map((v) => (Array.isArray(v) ? v.join(' | ') : v)) as [string, string];
  return same(field, e, r) ? 'right' : 'wrong';
}

export interface FieldScore {
  field: string;
  /** Pages that show the field. */
  shown: number;
  filled: number;
  right: number;
  precision: number | null;
  recall: number | null;
}

export function fieldScores(results: { truth: Decree30Truth; reading: Decree30Reading }[], threshold = FILL_CONFIDENCE): FieldScore[] {
  return READ_FIELDS.map((field) => {
    const outcomes = results.map((r) => ({ o: outcome(field, r.truth, r.reading, threshold), shown: r.truth[field] !== undefined }));
    const right = outcomes.filter((x) => x.o === 'right').length;
    const filled = right + outcomes.filter((x) => x.o === 'wrong').length;
    const shown = outcomes.filter((x) => x.shown).length;
    return { field, shown, filled, right, precision: filled ? right / filled : null, recall: shown ? right / shown : null };
  });
}

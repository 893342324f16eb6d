/**
 * A notation checked against the rest of the page: it starts with its type's abbreviation
 * ("QĐ-UBND" under QUYẾT ĐỊNH) and names its agency by its initials ("STC", Sở Tài chính; an
 * official letter's starts with them: "UBND-KTTH"). A slip of a letter is put right or held back.
 */

import { editDistance } from '../../edit-distance.js';
import { foldVietnamese } from '../../vietnamese.js';
import { heldBack, type ReadField } from './fields.js';
import { TYPE_ABBREVIATION } from './types.js';
import { splitPlace } from './words.js';

/**
 * The notation starts with the type's abbreviation: "TT-UBND" under the title TỜ TRÌNH is "TTr-UBND"
 * read with a slip (put right), and a notation that agrees with no reading of the title is shown
 * to the station rather than filled.
 */
export function notationAgreeing(notation: ReadField, type: ReadField): ReadField {
  const abbreviation = TYPE_ABBREVIATION.get(type.value);
  const m = /^((?:\d{4}\/)?)([^-]+)(-.*)$/u.exec(notation.value);
  if (!abbreviation || !m) return notation;
  const [, year, prefix, rest] = m as unknown as [string, string, string, string];
  if (prefix === abbreviation) return notation;
  if (editDistance(prefix.toLocaleUpperCase('vi'), abbreviation.toLocaleUpperCase('vi')) <= 2)
    return { ...notation, value: `${year}${abbreviation}${rest}`, confidence: Math.min(notation.confidence, type.confidence) };
  return heldBack(notation);
}

/** The initials an agency writes its notations with, with and without the word that heads it: "SKHĐT", "TNMT". */
function agencyInitials(organ: string): string[] {
  const words = splitPlace(organ)
    .body.split(/[\s,-]+/)
    .filter((w) => w && foldVietnamese(w) !== 'va');
  const initials = words.map((w) => foldVietnamese(w).charAt(0)).join('');
  return [initials, initials.slice(1)];
}

/**
 * A notation that names its agency one letter off the agency's initials ("KH-STGC" of Sở Tài
 * chính) was misread: held back. Further off, it follows another convention: left alone.
 */
export function notationOfAgency(notation: ReadField, organ: ReadField, type: ReadField | undefined): ReadField {
  const parts = notation.value.replace(/^\d{4}\//, '').split('-');
  const named = TYPE_ABBREVIATION.get(type?.value ?? '') ? parts[1] : parts[0];
  if (!named || named.length < 3) return notation;
  const distance = Math.min(...agencyInitials(organ.value).map((initials) => editDistance(foldVietnamese(named), initials)));
  return distance === 1 ? heldBack(notation) : notation;
}

/**
 * The header of a Decree 30 first page: the national motto top right anchors it; under the agency
 * top left come "Số: 575/UBND-KTTH" and, for an official letter, "V/v …"; under the motto, place
 * and date. Read by position, so the two columns may come in either order.
 */

import type { OcrWord } from '../../ocr/index.js';
import { foldVietnamese } from '../../vietnamese.js';
import { readAgency } from './agency.js';
import { heldBack, KNOWN_WORD, type ReadField } from './fields.js';
import { field, inLeftHalf, inRightHalf, type PageLayout, rowOf, type Segment } from './layout.js';
import { likeness, province } from './words.js';

const MOTTO = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const MOTTO_SECOND = 'Độc lập - Tự do - Hạnh phúc';

export interface Header {
  /** The motto's lines: everything of the header is beside or under them. */
  motto: Segment;
  /** Lowest edge of the header's blocks: the title comes after. */
  bottom: number;
  organName?: ReadField;
  parentOrgan?: ReadField;
  codeNumber?: ReadField;
  codeNotation?: ReadField;
  /** "V/v …": the subject of an official letter. */
  letterSubject?: ReadField;
  issuedDate?: ReadField;
  place?: ReadField;
}

/** The motto, read well enough to be sure of it, in the top third of the page. */
function findMotto(p: PageLayout): Segment | undefined {
  const scored = p.segments
    .filter((s) => s.box.y0 < p.height / 3 && inRightHalf(p, s))
    .map((s) => ({ s, motto: likeness(s.text, MOTTO), second: likeness(s.text, MOTTO_SECOND) }));
  const best = [...scored].sort((a, b) => Math.max(b.motto, b.second) - Math.max(a.motto, a.second))[0];
  if (!best || Math.max(best.motto, best.second) < 0.7) return undefined;
  // Either line found: the first is the anchor.
  return (scored.find((c) => c.motto >= 0.6 && c.s.box.y0 <= best.s.box.y0) ?? best).s;
}

/** "Số", as OCR reads it: "Số:", "Sô:", "S6:", "5 ố:", "Số" with no colon. */
const NUMBER_LABEL = /^\s*[Ss5$]\s*(?:[\p{L}6]\s*[:;.]?|[:;.])\s*/u;
/** The notation after the slash: type and agency abbreviations joined by dashes, a year before them for legal texts. */
const NOTATION = /\/\s*((?:\d{4}\s*\/\s*)?[\p{Lu}Đ][\p{L}\d.]*(?:\s*-\s*[\p{Lu}Đ][\p{L}\d.]*)+)\s*[.;,]?\s*$/u;

/** Which words of a segment the characters from `start` to `end` of its text come from. */
function wordsAt(s: Segment, start: number, end: number): OcrWord[] {
  const out: OcrWord[] = [];
  let at = 0;
  for (const w of s.words) {
    const from = at;
    at += w.text.length + 1;
    if (from < end && at - 1 > start) out.push(w);
  }
  return out;
}

function numberAndNotation(s: Segment, page: number): Pick<Header, 'codeNumber' | 'codeNotation'> {
  const notation = NOTATION.exec(s.text);
  if (!notation) return {};
  const out: Pick<Header, 'codeNumber' | 'codeNotation'> = {};
  // OCR gives the Icelandic eth (Ð, U+00D0) for Đ now and then.
  const value = notation[1]!.replace(/\s+/g, '').replace(/Ð/g, 'Đ').replace(/ð/g, 'đ').replace(/\.$/, '');
  // A slash or dash set apart is read unsure of itself; the letters tell.
  const lettered = wordsAt(s, notation.index + 1, s.text.length).filter((w) => /[\p{L}\d]/u.test(w.text));
  out.codeNotation = field(value, lettered, page);
  const before = s.text.slice(0, notation.index);
  const label = NUMBER_LABEL.exec(before);
  const number = before.slice(label?.[0].length ?? 0).replace(/\s+/g, '');
  // A number written in by hand is often unreadable: nothing rather than a guess.
  if (/^\d{1,5}$/.test(number)) {
    const rest = before.slice(label?.[0].length ?? 0);
    const start = before.length - rest.trimStart().length;
    out.codeNumber = field(number, wordsAt(s, start, notation.index), page);
  }
  return out;
}

function letterSubject(p: PageLayout, numberLine: Segment | undefined, motto: Segment, page: number): ReadField | undefined {
  const start = p.segments.find(
    (s) => inLeftHalf(p, s) && s.box.y0 > (numberLine?.box.y0 ?? motto.box.y0) && /^\W*v\s*[/l1|i]\s*[vy]\b/.test(foldVietnamese(s.text)),
  );
  if (!start) return undefined;
  const lines = [start];
  for (const s of p.segments) {
    const last = lines.at(-1)!;
    if (s.box.y0 <= last.box.y0 || !inLeftHalf(p, s)) continue;
    if (s.box.y0 - last.box.y1 > 0.9 * p.lineHeight) break;
    lines.push(s);
  }
  const text = lines
    .map((s) => s.text)
    .join(' ')
    .replace(/^\W*[Vv]\s*[/l1|i]\s*[vVyY]\b\.?\s*/u, 'V/v ')
    .replace(/\s+/g, ' ')
    .trim();
  return field(text, lines, page);
}

// One slipped vowel in each word is still the word: "thúng" for "tháng".
const DATE_LINE = /ng[a-z]y\s*(.*?)\s*t?h[a-z]ng\s*(.*?)\s*n[a-z]m\s*(\S+)/;

/**
 * "Quảng Ngãi, ngày 04 tháng 02 năm 2025" → 2025-02-04 and the place. A part that is not plainly
 * a number (a day written by hand and read as "0#t") stays unknown: `2025-02`, or `2025`.
 */
function placeAndDate(p: PageLayout, motto: Segment, page: number): Pick<Header, 'issuedDate' | 'place'> {
  const right = (s: Segment) => inRightHalf(p, s) && s.box.y0 > motto.box.y0 && s.box.y0 < motto.box.y1 + 6 * p.lineHeight;
  // A day or month written in by hand cuts the printed line in two: the row is read whole.
  const line = p.segments
    .filter((s) => right(s) && /ng[a-z]y|th[a-z]ng|n[a-z]m\s*\d/.test(foldVietnamese(s.text)))
    .map((s) => rowOf(p, s, right))
    .find((row) => DATE_LINE.test(foldVietnamese(row.text)));
  if (!line) return {};
  const folded = foldVietnamese(line.text);
  const m = DATE_LINE.exec(folded)!;
  const out: Pick<Header, 'issuedDate' | 'place'> = {};
  const placeEnd = line.text.indexOf(',') >= 0 && line.text.indexOf(',') < m.index ? line.text.indexOf(',') : m.index;
  const place = line.text
    .slice(0, placeEnd)
    .replace(/[,\s]+$/, '')
    .trim();
  if (/\p{L}{2}/u.test(place)) {
    // A province's name is a closed list: spelled as it is spelled, sure once found in it.
    const known = province(place, 0);
    const read = field(known ?? place, wordsAt(line, 0, placeEnd), page);
    // No place name holds a digit: "1ư Nghĩa" is "Tư Nghĩa" in italics, misread.
    const slipped = /\d/.test(place) ? heldBack(read) : read;
    out.place = known ? { ...read, confidence: Math.max(read.confidence, KNOWN_WORD) } : slipped;
  }
  const number = (text: string, min: number, max: number) => (/^\d{1,4}$/.test(text) && +text >= min && +text <= max ? +text : undefined);
  const year = number(m[3]!.replace(/[.,]$/, ''), 1945, 2100);
  if (year === undefined) return out;
  const month = number(m[2]!, 1, 12);
  const day = month === undefined ? undefined : number(m[1]!, 1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  const two = (n: number) => String(n).padStart(2, '0');
  const value = month === undefined ? String(year) : day === undefined ? `${year}-${two(month)}` : `${year}-${two(month)}-${two(day)}`;
  // Folding keeps positions, so the match's span names the words read.
  out.issuedDate = field(value, wordsAt(line, m.index, m.index + m[0].length), page);
  return out;
}

export function readHeader(p: PageLayout, page: number): Header | undefined {
  const motto = findMotto(p);
  if (!motto) return undefined;
  const numberLine = p.segments.find(
    (s) =>
      inLeftHalf(p, s) && s.box.y0 > motto.box.y0 - p.lineHeight && s.box.y0 < motto.box.y1 + 8 * p.lineHeight && NOTATION.test(s.text),
  );
  const subject = letterSubject(p, numberLine, motto, page);
  const dated = placeAndDate(p, motto, page);
  const blocks = [motto.box.y1, numberLine?.box.y1 ?? 0, subject?.box.y1 ?? 0, dated.issuedDate?.box.y1 ?? 0];
  return {
    motto,
    bottom: Math.max(...blocks),
    ...readAgency(p, motto, numberLine, page),
    ...(numberLine ? numberAndNotation(numberLine, page) : {}),
    ...(subject ? { letterSubject: subject } : {}),
    ...dated,
  };
}

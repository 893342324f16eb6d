/**
 * Under the header: the document type in capitals, centred ("CHỈ THỊ"), with its subject on the
 * centred lines below it ("Về việc …"); then "Kính gửi:" and the recipients, one per "- " line or
 * after the colon.
 */
import { foldVietnamese } from '../../vietnamese.js';
import type { ReadField } from './fields.js';
import type { Header } from './header.js';
import { capitalShare, centreX, field, heightOf, isCentred, type PageLayout, type Segment } from './layout.js';
import { DOCUMENT_TYPES } from './types.js';
import { likeness } from './words.js';

/** How alike a title must be to a type's name: one slip in a short name ("CHÍ THỊ"). */
const TYPE_LIKENESS = 0.8;

export interface Body {
  typeName?: ReadField;
  subject?: ReadField;
  recipients?: ReadField<string[]>;
}

function title(p: PageLayout, header: Header): { line: Segment; type: string; score: number } | undefined {
  const below = p.segments.filter((s) => s.box.y0 >= header.bottom - 0.3 * p.lineHeight && s.box.y0 < header.bottom + 8 * p.lineHeight);
  for (const s of below) {
    if (Math.abs(centreX(s.box) - p.middle) > 0.1 * p.width || capitalShare(s.text) < 0.7) continue;
    const text = s.text.replace(/[^\p{L}\s]/gu, ' ').trim();
    const best = DOCUMENT_TYPES.map(([type]) => ({ type, score: likeness(text, type) })).sort((a, b) => b.score - a.score)[0]!;
    if (best.score >= TYPE_LIKENESS) return { line: s, ...best };
  }
  return undefined;
}

const STARTS_BODY = /^(kinh gui|can cu|thuc hien|xet )/;

/** A subject line: about centred and indented from the left margin (its right end may reach the margin). */
const subjectLike = (p: PageLayout, s: Segment) =>
  Math.abs(centreX(s.box) - p.middle) < 0.07 * p.width && s.box.x0 > p.left + 0.03 * p.width && capitalShare(s.text) <= 0.7;

/**
 * The centred lines under the title, set tight as one paragraph; the body starts after a wider
 * gap, at the margin, or with "Kính gửi", "Căn cứ"; an all-capitals line is the issuer of a decision.
 */
function subjectLines(p: PageLayout, from: Segment): Segment[] {
  const lines: Segment[] = [];
  let last = from;
  for (const s of p.segments) {
    if (s.box.y0 <= last.box.y0 + 0.5 * p.lineHeight) continue;
    // Ink between the lines (a seal's edge, a rule) is neither subject nor body.
    if (heightOf(s.box) < 0.6 * p.lineHeight || s.confidence < 0.3) continue;
    const gap = s.box.y0 - last.box.y1;
    const first = lines.length === 0;
    if (gap > (first ? 1.2 : 0.6) * p.lineHeight) break;
    if (!subjectLike(p, s) || STARTS_BODY.test(foldVietnamese(s.text)) || (first && !isCentred(p, s))) break;
    lines.push(s);
    last = s;
  }
  return lines;
}

const clean = (text: string) =>
  text
    .replace(/^[^\p{L}\p{N}]+/u, '')
    .replace(/[;,.\s]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim();

function recipients(p: PageLayout, header: Header, page: number): ReadField<string[]> | undefined {
  const start = p.segments.find((s) => s.box.y0 > header.bottom && likeness(foldVietnamese(s.text).slice(0, 8), 'kinh gui') >= 0.75);
  if (!start) return undefined;
  const colon = start.text.indexOf(':');
  const inline = colon >= 0 ? clean(start.text.slice(colon + 1)) : '';
  if (inline) return { ...field(inline, start.words.slice(-inline.split(' ').length), page), value: inline.split(/\s*;\s*/) };
  // A list: "- " lines at one indent, continuation lines at the same indent, until the body.
  const items: { text: string; lines: Segment[] }[] = [];
  let indent: number | undefined;
  let last = start;
  for (const s of p.segments) {
    if (s.box.y0 <= last.box.y0 + 0.5 * p.lineHeight) continue;
    if (s.box.y0 - last.box.y1 > 1.2 * p.lineHeight) break;
    indent ??= s.box.x0;
    if (s.box.x0 < indent - 0.03 * p.width) break;
    if (/^\s*[-–•]/.test(s.text) || !items.length) items.push({ text: clean(s.text), lines: [s] });
    else {
      const item = items.at(-1)!;
      item.text = `${item.text} ${clean(s.text)}`;
      item.lines.push(s);
    }
    last = s;
  }
  if (!items.length) return undefined;
  const lines = items.flatMap((i) => i.lines);
  return { ...field('', lines, page), value: items.map((i) => i.text) };
}

export function readBody(p: PageLayout, header: Header, page: number): Body {
  const found = title(p, header);
  const out: Body = {};
  if (found) {
    // A closed list: a title one slip from a type's name is that type, however unsure the OCR was of its letters.
    out.typeName = { ...field(found.type, [found.line], page), confidence: Math.round(found.score * 100) / 100 };
    const lines = subjectLines(p, found.line);
    if (lines.length) out.subject = field(clean(lines.map((l) => l.text).join(' ')), lines, page);
  } else if (header.letterSubject) {
    // An official letter has no title: its subject line says "V/v".
    out.typeName = { ...header.letterSubject, value: 'Công văn' };
    out.subject = header.letterSubject;
  }
  const to = recipients(p, header, page);
  if (to) out.recipients = to;
  return out;
}

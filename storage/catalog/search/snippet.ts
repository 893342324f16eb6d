/**
 * The snippet of a search hit: about 200 characters of the page around the first match, on one
 * line, every match inside it between « and » (chosen over <mark> so the snippet stays plain text
 * for the terminal and needs no HTML escaping; « and » already in the text become ‹ and ›).
 */
import { foldWithOffsets } from './text.js';

export const MARK_OPEN = '«';
export const MARK_CLOSE = '»';
const WIDTH = 200;
/** Share of the window shown before the first match. */
const LEAD = 0.3;

type Span = [start: number, end: number];

/** Spans of `text` (UTF-16 offsets) matched by the patterns on its folded form, sorted. */
export function matchSpans(text: string, patterns: RegExp[]): Span[] {
  const { folded, offsets } = foldWithOffsets(text);
  const spans: Span[] = [];
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (const m of folded.matchAll(pattern)) {
      if (m[0].length === 0) continue;
      spans.push([offsets[m.index]!, offsets[m.index + m[0].length]!]);
    }
  }
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  // Overlapping matches, and matches only spaces apart ("Nguyễn Văn An"), become one.
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && (span[0] <= last[1] || /^[ \t]+$/.test(text.slice(last[1], span[0])))) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/** Moves `i` back (dir -1) or forward (+1) to a whitespace, at most 20 characters. */
function toWhitespace(text: string, i: number, dir: -1 | 1): number {
  for (let k = 0; k < 20; k++) {
    const j = i + dir * k;
    if (j <= 0 || j >= text.length) return Math.max(0, Math.min(text.length, j));
    if (/\s/.test(text[j]!)) return dir === -1 ? j + 1 : j;
  }
  return i;
}

export function buildSnippet(text: string, patterns: RegExp[]): string {
  const spans = matchSpans(text, patterns);
  const first = spans[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.round(WIDTH * LEAD));
  let end = Math.min(text.length, start + WIDTH);
  start = Math.max(0, Math.min(start, end - WIDTH));
  if (start > 0) start = toWhitespace(text, start, -1);
  if (end < text.length) end = toWhitespace(text, end, 1);

  const clean = (s: string) => s.replace(/«/g, '‹').replace(/»/g, '›');
  let out = '';
  let at = start;
  for (const [s, e] of spans) {
    if (e <= start || s >= end) continue;
    const from = Math.max(s, start);
    const to = Math.min(e, end);
    out += clean(text.slice(at, from)) + MARK_OPEN + clean(text.slice(from, to)) + MARK_CLOSE;
    at = to;
  }
  out += clean(text.slice(at, end));
  return `${start > 0 ? '…' : ''}${out.replace(/\s+/g, ' ').trim()}${end < text.length ? '…' : ''}`;
}

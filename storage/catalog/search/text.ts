/**
 * Text rules shared by the search query parser and the snippet builder, kept identical to the SQL
 * side (migration 002): what separates words, how Vietnamese letters fold to ASCII, and which
 * letters a plain ASCII letter stands for when a query is typed without diacritics.
 */
import { foldVietnamese, VIETNAMESE_LETTERS } from '../../../pipeline/vietnamese.js';

/**
 * Characters that separate words: ASCII punctuation, spaces and controls, Latin-1 symbols,
 * general punctuation (“ ” – …), arrows, shapes and other symbols. The same class as in
 * sohoa_tsv() (002_register_search.sql); everything else — letters with diacritics included —
 * belongs to a word, whatever the database locale.
 */
export const BOUNDARY_CLASS =
  '[\\u0001-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u00bf\\u00d7\\u00f7\\u2000-\\u206f\\u2190-\\u2bff\\u3000]';

const BOUNDARY_RUN = new RegExp(`${BOUNDARY_CLASS}+`, 'u');

/** The words of a text, in order (empty strings dropped). */
export function splitWords(text: string): string[] {
  return text.split(BOUNDARY_RUN).filter((w) => w.length > 0);
}

/** Text folded as sohoa_fold folds it (diacritics off, đ → d, lower case); for query words when the database is not at hand. */
export { foldVietnamese as foldText };

/** True when the word carries a diacritic (or đ): typed that way, it asks for that exact spelling. */
export function hasDiacritics(word: string): boolean {
  return foldVietnamese(word) !== word.toLowerCase();
}

/** Base letter → every letter folding to it, both cases ("a" → "aàá…ẬA"). */
const VARIANTS: Map<string, string> = (() => {
  const map = new Map<string, string>();
  // Each Vietnamese letter folds to its base letter (đ → d).
  for (const ch of VIETNAMESE_LETTERS) {
    const base = foldVietnamese(ch);
    map.set(base, (map.get(base) ?? base) + ch);
  }
  for (const [base, letters] of map) map.set(base, letters + letters.toUpperCase());
  return map;
})();

function escapeClassChar(ch: string): string {
  return /[\\\][^-]/.test(ch) ? `\\${ch}` : ch;
}

function escapeRegex(ch: string): string {
  return /[.*+?^${}()|[\]\\]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * A regular expression (PostgreSQL ARE and JavaScript alike) matching the word as typed, case
 * aside: a letter with a diacritic matches only itself, a plain letter matches all its Vietnamese
 * variants ("Nguyen Văn" finds "Nguyễn Văn" but not "Nguyễn Vân").
 */
export function exactWordPattern(word: string): string {
  let out = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const variants = VARIANTS.get(lower);
    if (variants) out += `[${[...variants].map(escapeClassChar).join('')}]`;
    else if (lower !== ch.toUpperCase()) out += `[${escapeClassChar(lower)}${escapeClassChar(ch.toUpperCase())}]`;
    else out += escapeRegex(ch);
  }
  return out;
}

/** Regular-expression source for a folded word (ASCII letters and digits, mostly). */
export function foldedWordPattern(word: string): string {
  return [...word].map(escapeRegex).join('');
}

/**
 * A phrase as a regular expression: the words in order separated by non-word characters, each
 * word whole unless `prefix` leaves the last one open. `alternatives[i]` lists the patterns
 * the i-th word may take.
 */
export function phrasePattern(alternatives: string[][], prefix: boolean): string {
  const words = alternatives.map((alts) => (alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`));
  return `(?:^|${BOUNDARY_CLASS})${words.join(`${BOUNDARY_CLASS}+`)}${prefix ? '' : `(?:$|${BOUNDARY_CLASS})`}`;
}

/** A character that is not a word separator. */
const WORD_CHAR = `[^${BOUNDARY_CLASS.slice(1, -1)}]`;

/**
 * JavaScript regular expression (flags gu) finding a phrase in folded text without consuming the
 * separators around it, for highlighting: same alternatives as phrasePattern.
 */
export function highlightRegExp(alternatives: string[][], prefix: boolean): RegExp {
  const words = alternatives.map((alts) => (alts.length === 1 ? alts[0]! : `(?:${alts.join('|')})`));
  return new RegExp(`(?<!${WORD_CHAR})${words.join(`${BOUNDARY_CLASS}+`)}${prefix ? `${WORD_CHAR}*` : `(?!${WORD_CHAR})`}`, 'gu');
}

/** The text folded character by character, with the offset in `text` of each folded character. */
export function foldWithOffsets(text: string): { folded: string; offsets: number[] } {
  let folded = '';
  const offsets: number[] = [];
  let index = 0;
  for (const ch of text) {
    const f = foldVietnamese(ch);
    for (let k = 0; k < f.length; k++) offsets.push(index);
    folded += f;
    index += ch.length;
  }
  offsets.push(index);
  return { folded, offsets };
}

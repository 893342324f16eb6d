/**
 * The archivists' query language: words (all must match), "quoted phrases", prefix*, and OR
 * between two terms (or every term with mode 'any'). Diacritics are optional: a word typed
 * without them matches every spelling, a word typed with them ranks its exact spelling first.
 */
import { UsageError } from '../../../pipeline/errors.js';
import { splitWords } from './text.js';

/** One alternative: a word, a phrase (several words in a row), or a prefix of either. */
export interface Term {
  /** The words as typed, NFC. */
  words: string[];
  /** The last word is a prefix ("quyết*"). */
  prefix: boolean;
}

/** Terms joined by OR: a page satisfies the clause when it matches one of them. */
export interface Clause {
  terms: Term[];
}

export type SearchMode = 'all' | 'any';

export interface ParsedQuery {
  clauses: Clause[];
  mode: SearchMode;
}

const MAX_QUERY_LENGTH = 500;
const MAX_WORDS = 24;
const MAX_WORD_LENGTH = 64;

/** Opening quote → closing quote. */
const QUOTES: Record<string, string> = { '"': '"', '“': '”', '„': '“', '«': '»' };

interface Token {
  text: string;
  quoted: boolean;
}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i]!;
    if (/\s/u.test(ch)) {
      i++;
      continue;
    }
    const close = QUOTES[ch];
    if (close) {
      const end = query.indexOf(close, i + 1);
      const stop = end === -1 ? query.length : end;
      tokens.push({ text: query.slice(i + 1, stop), quoted: true });
      i = stop + 1;
      // "phrase"* makes the phrase's last word a prefix.
      if (query[i] === '*') {
        tokens[tokens.length - 1]!.text += '*';
        i++;
      }
      continue;
    }
    let end = i;
    while (end < query.length && !/\s/u.test(query[end]!) && !QUOTES[query[end]!]) end++;
    tokens.push({ text: query.slice(i, end), quoted: false });
    i = end;
  }
  return tokens;
}

function toTerm(token: Token): Term | null {
  const prefix = token.text.trimEnd().endsWith('*');
  const words = splitWords(token.text.normalize('NFC'));
  return words.length ? { words, prefix } : null;
}

export function parseSearchQuery(query: string, mode: SearchMode = 'all'): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) throw new UsageError(`the query is longer than ${MAX_QUERY_LENGTH} characters`);
  const clauses: Clause[] = [];
  let joinNext = false;
  for (const token of tokenize(query)) {
    if (!token.quoted && token.text === 'OR') {
      joinNext = clauses.length > 0;
      continue;
    }
    const term = toTerm(token);
    if (!term) continue;
    if (joinNext) clauses[clauses.length - 1]!.terms.push(term);
    else clauses.push({ terms: [term] });
    joinNext = false;
  }
  const words = clauses.flatMap((c) => c.terms.flatMap((t) => t.words));
  if (words.length === 0) throw new UsageError('the query has no word to search for');
  if (words.length > MAX_WORDS) throw new UsageError(`the query has more than ${MAX_WORDS} words`);
  const long = words.find((w) => w.length > MAX_WORD_LENGTH);
  if (long) throw new UsageError(`"${long.slice(0, 20)}…" is longer than ${MAX_WORD_LENGTH} characters`);
  return { clauses, mode };
}

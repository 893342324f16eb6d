/**
 * A parsed query as SQL over `pages p`: a tsquery for the GIN index on p.words (every word, and
 * every word pair of a phrase, present), plus residual conditions that the index cannot decide —
 * a phrase's exact sequence, checked by regular expression on the folded text — and the "typed
 * exactly" condition that ranks pages.
 *
 * Regular expressions run with COLLATE "C": code-point semantics whatever the database locale,
 * and the planner does not try the trigram index on text_search, whose lossy candidates would only
 * be rechecked here.
 */

import type { Params } from '../sql-params.js';
import type { SearchMode } from './query.js';
import { exactWordPattern, foldedWordPattern, hasDiacritics, phrasePattern } from './text.js';

/** A term with its words folded (by sohoa_fold, through the database). */
export interface ResolvedTerm {
  /** As typed, lower case. */
  exact: string[];
  /** Folded: ASCII for Vietnamese. */
  folded: string[];
  prefix: boolean;
}

export interface ResolvedQuery {
  clauses: ResolvedTerm[][];
  mode: SearchMode;
}

/** Folded word → further spellings to accept (OCR misspellings found in the lexicon). */
export type Expansions = ReadonlyMap<string, readonly string[]>;

const NO_EXPANSIONS: Expansions = new Map();

function lexeme(word: string, prefix: boolean): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefix ? ':*' : ''}`;
}

function join(parts: string[], op: '&' | '|'): string {
  return parts.length === 1 ? parts[0]! : `(${parts.join(` ${op} `)})`;
}

function clauseOp(mode: SearchMode): '&' | '|' {
  return mode === 'all' ? '&' : '|';
}

function alternatives(word: string, expansions: Expansions): string[] {
  return [word, ...(expansions.get(word) ?? [])];
}

/**
 * Lexemes of a phrase's consecutive word pairs ("so 1"), which p.words holds for folded text —
 * pairs with a widened word are left to the words alone — and the positions of the words they
 * cover.
 */
function pairs(words: string[], prefix: boolean, expansions: Expansions): { lexemes: string[]; covered: Set<number> } {
  const lexemes: string[] = [];
  const covered = new Set<number>();
  for (let i = 0; i + 1 < words.length; i++) {
    if (expansions.has(words[i]!) || expansions.has(words[i + 1]!)) continue;
    lexemes.push(lexeme(`${words[i]} ${words[i + 1]}`, prefix && i + 2 === words.length));
    covered.add(i).add(i + 1);
  }
  return { lexemes, covered };
}

function termTsquery(term: ResolvedTerm, expansions: Expansions): string {
  const last = term.folded.length - 1;
  const { lexemes, covered } = pairs(term.folded, term.prefix, expansions);
  const words = term.folded.flatMap((w, i) => {
    if (covered.has(i)) return [];
    const prefix = term.prefix && i === last;
    return [
      join(
        alternatives(w, prefix ? NO_EXPANSIONS : expansions).map((a) => lexeme(a, prefix)),
        '|',
      ),
    ];
  });
  return join([...lexemes, ...words], '&');
}

/** The tsquery every matching page satisfies (phrases as their words, in any order). */
export function foldedTsquery(query: ResolvedQuery, expansions: Expansions = NO_EXPANSIONS): string {
  return join(
    query.clauses.map((terms) =>
      join(
        terms.map((t) => termTsquery(t, expansions)),
        '|',
      ),
    ),
    clauseOp(query.mode),
  );
}

/**
 * With mode 'any', how many clauses a page matches (by their words, phrases unchecked): pages
 * matching more of the query rank first. Null when every match matches every clause.
 */
export function clauseCountSql(query: ResolvedQuery, params: Params, expansions: Expansions = NO_EXPANSIONS): string | null {
  if (query.mode === 'all' || query.clauses.length < 2) return null;
  const per = query.clauses.map(
    (terms) =>
      `(p.words @@ ${params.add(
        join(
          terms.map((t) => termTsquery(t, expansions)),
          '|',
        ),
      )}::tsquery)::int`,
  );
  return `(${per.join(' + ')})`;
}

function isPhrase(term: ResolvedTerm): boolean {
  return term.folded.length > 1;
}

function termPrecise(term: ResolvedTerm, params: Params, expansions: Expansions): string {
  if (!isPhrase(term)) return `p.words @@ ${params.add(termTsquery(term, expansions))}::tsquery`;
  const last = term.folded.length - 1;
  const pattern = phrasePattern(
    term.folded.map((w, i) => alternatives(w, term.prefix && i === last ? NO_EXPANSIONS : expansions).map(foldedWordPattern)),
    term.prefix,
  );
  return `(p.text_search COLLATE "C") ~ ${params.add(pattern)}`;
}

function any(conditions: string[]): string {
  return conditions.length === 1 ? conditions[0]! : `(${conditions.join(' OR ')})`;
}

function all(conditions: string[], mode: SearchMode): string {
  return conditions.length === 1 ? conditions[0]! : `(${conditions.join(mode === 'all' ? ' AND ' : ' OR ')})`;
}

/** What the tsquery cannot check (phrase adjacency), or null when it says it all. */
export function foldedResidual(query: ResolvedQuery, params: Params, expansions: Expansions = NO_EXPANSIONS): string | null {
  const hasPhrase = (terms: ResolvedTerm[]) => terms.some(isPhrase);
  if (!query.clauses.some(hasPhrase)) return null;
  // With AND, a clause without phrases is decided by the tsquery alone; with OR every clause counts.
  const clauses = query.mode === 'all' ? query.clauses.filter(hasPhrase) : query.clauses;
  return all(
    clauses.map((terms) => any(terms.map((t) => termPrecise(t, params, expansions)))),
    query.mode,
  );
}

/**
 * The folded match as one SQL condition: the index tsquery and the residual. `lookup` replaces the
 * index tsquery when a narrower one implies it (the written forms of the exact tier).
 */
export function foldedCondition(
  query: ResolvedQuery,
  params: Params,
  options: { expansions?: Expansions; lookup?: string | null } = {},
): string {
  const tsquery = `p.words @@ ${params.add(options.lookup ?? foldedTsquery(query, options.expansions))}::tsquery`;
  const residual = foldedResidual(query, params, options.expansions);
  return residual ? `${tsquery} AND ${residual}` : tsquery;
}

export function queryHasDiacritics(query: ResolvedQuery): boolean {
  return query.clauses.some((terms) => terms.some((t) => t.exact.some(hasDiacritics)));
}

/** Pages whose text matches every word as typed (a plain letter still matching its variants). */
export function exactCondition(query: ResolvedQuery, params: Params): string {
  return all(
    query.clauses.map((terms) =>
      any(
        terms.map(
          (t) =>
            `(p.text COLLATE "C") ~ ${params.add(
              phrasePattern(
                t.exact.map((w) => [exactWordPattern(w)]),
                t.prefix,
              ),
            )}`,
        ),
      ),
    ),
    query.mode,
  );
}

/**
 * What the index can look up for the exact condition: the written form of each word typed with
 * diacritics, the folded form of the others, the folded pairs of phrases (all lexemes of p.words).
 * A superset of the exact matches, which are themselves folded matches (every letter of an exact
 * pattern folds to the query's folded letter): the conditions decide.
 */
export function exactTsquery(query: ResolvedQuery): string {
  const term = (t: ResolvedTerm) => {
    const last = t.exact.length - 1;
    const written = t.exact.flatMap((w, i) => (hasDiacritics(w) ? [lexeme(w, t.prefix && i === last)] : []));
    const { lexemes, covered } = pairs(t.folded, t.prefix, NO_EXPANSIONS);
    const plain =
      t.folded.length === t.exact.length
        ? t.exact.flatMap((w, i) => (hasDiacritics(w) || covered.has(i) ? [] : [lexeme(t.folded[i]!, t.prefix && i === last)]))
        : [];
    const parts = [...lexemes, ...written, ...plain];
    return parts.length ? join(parts, '&') : termTsquery(t, NO_EXPANSIONS);
  };
  return join(
    query.clauses.map((terms) => join(terms.map(term), '|')),
    clauseOp(query.mode),
  );
}

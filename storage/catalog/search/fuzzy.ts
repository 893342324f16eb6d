/**
 * Tolerance for OCR misspellings: a query word is widened to the words of the lexicon
 * (search_words, every folded word the OCR produced) at most one edit away (two for words of 8
 * letters or more), transpositions included. Candidates come from trigram similarity (pg_trgm's %
 * on the lexicon's index) and, since a swap in a short word shares almost no trigram with it, from
 * looking up every one-edit variant of the word. Folding already absorbs the commonest Vietnamese
 * OCR errors (a wrong tone mark); this catches wrong letters — "Nguyen" read as "Nguven",
 * "chứng nhận" as "chứng nbận" — and typing slips ("Pahm").
 */
import type { SqlClient } from '../sql.js';

/** Words shorter than this are not widened: one edit away from a 3-letter word is another word. */
const MIN_LENGTH = 4;
const MAX_PER_WORD = 12;
/** Trigram similarity that preselects candidates, loose enough to keep transpositions. */
const SIMILARITY = 0.2;

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

function allowedEdits(word: string): number {
  return word.length >= 8 ? 2 : 1;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Letters OCR confuses on Vietnamese scans (after folding): such a substitution ranks first. */
const CONFUSED = new Set(
  ['b:h', 'c:e', 'c:o', 'a:o', 'i:l', 'n:u', 'u:v', 'v:y', 'n:r', 'e:o', 'h:n'].flatMap((p) => [p, p.split(':').reverse().join(':')]),
);

function ocrConfusion(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [`${ch}:${b[i]}`]));
  return diff.length === 1 && CONFUSED.has(diff[0]!);
}

/** pg_trgm's similarity: shared trigrams of the padded words over all their trigrams. */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (w: string) => {
    const padded = `  ${w} `;
    return new Set(Array.from({ length: padded.length - 2 }, (_, i) => padded.slice(i, i + 3)));
  };
  const [x, y] = [grams(a), grams(b)];
  const shared = [...x].filter((g) => y.has(g)).length;
  return shared / (x.size + y.size - shared);
}

/** Every string one deletion, transposition, substitution or insertion away from the word. */
export function oneEditVariants(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const c of LETTERS) {
      if (tail) out.add(head + c + tail.slice(1));
      out.add(head + c + tail);
    }
  }
  out.delete(word);
  return [...out];
}

const trigramReady = new WeakMap<SqlClient, Promise<boolean>>();

/** The lexicon's trigram index exists (pg_trgm was installed when the catalog was created). */
function hasTrigramIndex(sql: SqlClient): Promise<boolean> {
  let ready = trigramReady.get(sql);
  if (!ready) {
    ready = sql.query<{ ok: boolean }>(`SELECT to_regclass('search_words_trgm') IS NOT NULL AS ok`).then(([row]) => row?.ok === true);
    trigramReady.set(sql, ready);
  }
  return ready;
}

/**
 * Folded query words → lexicon words within reach: fewest edits first, then known OCR confusions,
 * then the most trigram-similar. Runs inside the caller's transaction.
 */
export async function fuzzyExpansions(tx: SqlClient, words: string[]): Promise<Map<string, string[]>> {
  const candidates = [...new Set(words.filter((w) => w.length >= MIN_LENGTH && /^[a-z]+$/.test(w)))];
  const expansions = new Map<string, string[]>();
  if (candidates.length === 0) return expansions;
  const variants = candidates.flatMap((word) => oneEditVariants(word).map((variant) => [word, variant] as const));
  const rows = await tx.query<{ query: string; word: string }>(
    `SELECT v.query, s.word FROM unnest($1::text[], $2::text[]) AS v(query, variant) JOIN search_words s ON s.word = v.variant`,
    [variants.map(([w]) => w), variants.map(([, v]) => v)],
  );
  // One-edit variants find every word one edit away; two edits (long words) need the trigram index.
  const long = candidates.filter((w) => allowedEdits(w) > 1);
  if (long.length && (await hasTrigramIndex(tx))) {
    await tx.exec(`SET LOCAL pg_trgm.similarity_threshold = ${SIMILARITY}`);
    rows.push(
      ...(await tx.query<{ query: string; word: string }>(
        `SELECT q.word AS query, w.word
         FROM unnest($1::text[]) AS q(word),
           LATERAL (SELECT s.word FROM search_words s
                    WHERE s.word % q.word AND s.word <> q.word AND abs(length(s.word) - length(q.word)) <= 2
                    ORDER BY similarity(s.word, q.word) DESC, s.word LIMIT 40) AS w`,
        [long],
      )),
    );
  }
  for (const word of candidates) {
    const near = [...new Set(rows.filter((r) => r.query === word).map((r) => r.word))]
      .map((w) => ({ word: w, distance: editDistance(word, w), confused: ocrConfusion(word, w), similarity: trigramSimilarity(word, w) }))
      .filter((c) => c.distance <= allowedEdits(word))
      .sort(
        (a, b) =>
          a.distance - b.distance || Number(b.confused) - Number(a.confused) || b.similarity - a.similarity || a.word.localeCompare(b.word),
      )
      .slice(0, MAX_PER_WORD)
      .map((c) => c.word);
    if (near.length) expansions.set(word, near);
  }
  return expansions;
}

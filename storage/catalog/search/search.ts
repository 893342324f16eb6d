/**
 * Full-text search over the OCR pages of the catalog, for archivists.
 *
 * Ranking, in three tiers: pages matching every word as typed (diacritics included) first, then
 * pages matching the folded words ("ho so" = "hồ sơ"), then pages found only through OCR
 * misspellings of a word (fuzzy.ts). Within a tier, pages matching more terms come first
 * (mode 'any'), then pages follow dossier code, document and page number. Each tier is read as at
 * most RESULT_CAP + 1 page keys in index order, without a sort, so a query matching half the
 * catalog costs no more than one matching a hundred pages (and when the exact tier alone fills
 * RESULT_CAP, the others are not read); beyond RESULT_CAP the total is a lower bound and the
 * archivist narrows the query.
 */
import { UsageError } from '../../../pipeline/errors.js';
import type { DocumentKind } from '../../objects/index.js';
import { assertDay } from '../days.js';
import type { SqlClient } from '../sql.js';
import { Params } from '../sql-params.js';
import { fuzzyExpansions } from './fuzzy.js';
import { parseSearchQuery, type SearchMode } from './query.js';
import { buildSnippet } from './snippet.js';
import {
  clauseCountSql,
  type Expansions,
  exactCondition,
  exactTsquery,
  foldedCondition,
  queryHasDiacritics,
  type ResolvedQuery,
  type ResolvedTerm,
} from './sql.js';
import { foldedWordPattern, highlightRegExp, splitWords } from './text.js';

/** Results an archivist can page through; the total is exact up to this. */
const RESULT_CAP = 1000;
const MAX_LIMIT = 100;
/**
 * OCR misspellings are looked for when the strict tiers find fewer pages than this: a query that
 * already finds many gains little from them but noise, and widening common words is costly.
 */
const FUZZY_BELOW = 100;

export interface SearchFilters {
  /** Procedure code (the register's when it knows the dossier, else the manifest's). */
  procedure?: string;
  agency?: string;
  /** Received on or after, `YYYY-MM-DD`. */
  from?: string;
  /** Received on or before, `YYYY-MM-DD`. */
  to?: string;
  /** A dossier code, or a prefix of codes ending with `*` (`000.00.15.H17-2311*`). */
  dossier?: string;
  /** Only pages of the dossiers' components, or of their results. */
  kind?: DocumentKind;
  /** Documents whose title, subject or issuing agency holds these words (diacritics optional). */
  title?: string;
  subject?: string;
  organName?: string;
  /** Documents of this notation (`UBND-KTTH`), in any case. */
  codeNotation?: string;
  /** Documents issued on or after / on or before, `YYYY-MM-DD`. */
  issuedFrom?: string;
  issuedTo?: string;
}

export interface SearchRequest extends SearchFilters {
  query: string;
  /** all (default): every term must match; any: one is enough. */
  mode?: SearchMode;
  limit?: number;
  offset?: number;
}

export type MatchKind = 'exact' | 'folded' | 'fuzzy';

export interface SearchHit {
  dossierCode: string;
  documentNumber: number;
  fileCode: string;
  kind: DocumentKind;
  /** Page number within the document as submitted. */
  pageNumber: number;
  /** Page of the document's PDF/A (failed pages are not in it). */
  pdfPage: number;
  match: MatchKind;
  /** Text around the first match, matches between « and ». */
  snippet: string;
  /** Opens the document's PDF/A at the page. */
  link: string;
  agencyCode: string;
  procedureCode: string | null;
  receivedOn: string;
}

export interface SearchResult {
  query: string;
  mode: SearchMode;
  /** Matching pages; a lower bound when totalIsLowerBound. */
  total: number;
  totalIsLowerBound: boolean;
  offset: number;
  limit: number;
  hits: SearchHit[];
  /** Folded query word → OCR spellings also searched (the fuzzy tier). */
  fuzzy: Record<string, string[]>;
}

interface Key {
  dossier_code: string;
  document_number: number;
  page_number: number;
  /** Clauses matched (mode 'any'). */
  score?: number;
}

function checkRequest(request: SearchRequest): { limit: number; offset: number } {
  const limit = request.limit ?? 10;
  const offset = request.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  if (!Number.isInteger(offset) || offset < 0 || offset + limit > RESULT_CAP) {
    throw new UsageError(`offset must be an integer from 0 to ${RESULT_CAP} − limit: narrow the query to see further`);
  }
  assertDay('from', request.from);
  assertDay('to', request.to);
  assertDay('issuedFrom', request.issuedFrom);
  assertDay('issuedTo', request.issuedTo);
  return { limit, offset };
}

/** Restricts `pages p` to the filtered dossiers; empty when there is no filter. */
function filterSql(filters: SearchFilters, params: Params): string {
  const where: string[] = [];
  if (filters.procedure) where.push(`coalesce(r.procedure_code, d.procedure_code) = ${params.add(filters.procedure)}`);
  if (filters.agency) where.push(`coalesce(r.agency_code, d.agency_code) = ${params.add(filters.agency)}`);
  if (filters.from) where.push(`coalesce(r.received_on, d.received_on) >= ${params.add(filters.from)}::date`);
  if (filters.to) where.push(`coalesce(r.received_on, d.received_on) <= ${params.add(filters.to)}::date`);
  if (filters.dossier?.endsWith('*')) where.push(`starts_with(d.code, ${params.add(filters.dossier.slice(0, -1))})`);
  else if (filters.dossier) where.push(`d.code = ${params.add(filters.dossier)}`);
  const documents = documentFilterSql(filters, params);
  if (where.length === 0) return documents;
  return ` AND p.dossier_code IN (SELECT d.code FROM dossiers d LEFT JOIN register_dossiers r ON r.code = d.code WHERE ${where.join(' AND ')})${documents}`;
}

/** Restricts `pages p` to the documents of a kind or with the metadata asked for; empty when nothing is. */
function documentFilterSql(filters: SearchFilters, params: Params): string {
  const where: string[] = [];
  if (filters.kind) where.push(`x.kind = ${params.add(filters.kind)}`);
  for (const [field, column] of [
    ['title', 'x.title'],
    ['subject', 'x.subject'],
    ['organName', 'x.organ_name'],
  ] as const) {
    const words = filters[field];
    if (words) where.push(`strpos(sohoa_fold(${column}), sohoa_fold(${params.add(words.trim())})) > 0`);
  }
  if (filters.codeNotation) where.push(`upper(x.code_notation) = upper(${params.add(filters.codeNotation.replace(/\s+/g, ''))})`);
  if (filters.issuedFrom) where.push(`x.issued_date >= ${params.add(filters.issuedFrom)}::date`);
  if (filters.issuedTo) where.push(`x.issued_date <= ${params.add(filters.issuedTo)}::date`);
  if (where.length === 0) return '';
  return ` AND (p.dossier_code, p.document_number) IN (SELECT x.dossier_code, x.number FROM documents x WHERE ${where.join(' AND ')})`;
}

/** Folds every word of the query with the catalog's own sohoa_fold, so both sides agree. */
async function resolve(tx: SqlClient, query: string, mode: SearchMode): Promise<ResolvedQuery> {
  const parsed = parseSearchQuery(query, mode);
  const words = parsed.clauses.flatMap((c) => c.terms.flatMap((t) => t.words));
  const [row] = await tx.query<{ folded: string[] }>(
    'SELECT array_agg(sohoa_fold(w) ORDER BY i) AS folded FROM unnest($1::text[]) WITH ORDINALITY AS u(w, i)',
    [words],
  );
  let next = 0;
  const foldedOf = () => splitWords(row!.folded[next++] ?? '');
  const clauses = parsed.clauses
    .map((c) =>
      c.terms.map(
        (t): ResolvedTerm => ({ exact: t.words.map((w) => w.toLowerCase()), folded: t.words.flatMap(foldedOf), prefix: t.prefix }),
      ),
    )
    // A "word" of combining marks alone folds to nothing.
    .map((terms) => terms.filter((t) => t.folded.length > 0))
    .filter((terms) => terms.length > 0);
  if (clauses.length === 0) throw new UsageError('the query has no word to search for');
  return { mode, clauses };
}

function scoreColumn(query: ResolvedQuery, params: Params, expansions?: Expansions): string {
  const count = clauseCountSql(query, params, expansions);
  return count ? `, ${count} AS score` : '';
}

async function keys(tx: SqlClient, condition: string, params: Params, filters: SearchFilters, extra = ''): Promise<Key[]> {
  const filter = filterSql(filters, params);
  return tx.query<Key>(
    `SELECT p.dossier_code, p.document_number, p.page_number${extra} FROM pages p WHERE ${condition}${filter} LIMIT ${RESULT_CAP + 1}`,
    params.values,
  );
}

const keyOf = (k: Key) => `${k.dossier_code}\u0000${k.document_number}\u0000${k.page_number}`;
const byRank = (a: Key, b: Key) =>
  (b.score ?? 0) - (a.score ?? 0) ||
  (a.dossier_code < b.dossier_code ? -1 : a.dossier_code > b.dossier_code ? 1 : 0) ||
  a.document_number - b.document_number ||
  a.page_number - b.page_number;

interface Tiers {
  exact: Key[];
  folded: Key[];
  fuzzy: Key[];
  lowerBound: boolean;
  expansions: Expansions;
}

async function findTiers(tx: SqlClient, query: ResolvedQuery, filters: SearchFilters): Promise<Tiers> {
  let exact: Key[] = [];
  let rest: Key[] = [];
  let lowerBound: boolean;
  if (queryHasDiacritics(query)) {
    // Written forms first, through the index: when they alone fill the cap, the folded matches
    // could only rank after them, so they are not read at all (common words typed properly).
    const p = new Params();
    const written = `${foldedCondition(query, p, { lookup: exactTsquery(query) })} AND ${exactCondition(query, p)}`;
    exact = await keys(tx, written, p, filters, scoreColumn(query, p));
    lowerBound = exact.length > RESULT_CAP;
  } else lowerBound = false;
  if (!lowerBound) {
    const p = new Params();
    const strict = await keys(tx, foldedCondition(query, p), p, filters, scoreColumn(query, p));
    const seen = new Set(exact.map(keyOf));
    rest = strict.filter((k) => !seen.has(keyOf(k)));
    lowerBound = strict.length > RESULT_CAP;
  }
  let fuzzy: Key[] = [];
  let expansions: Expansions = new Map();
  if (exact.length + rest.length < FUZZY_BELOW) {
    const words = query.clauses.flatMap((terms) => terms.flatMap((t) => (t.prefix ? t.folded.slice(0, -1) : t.folded)));
    expansions = await fuzzyExpansions(tx, words);
    if (expansions.size > 0) {
      const p = new Params();
      const widened = foldedCondition(query, p, { expansions });
      const strictAgain = foldedCondition(query, p);
      fuzzy = await keys(tx, `${widened} AND NOT coalesce(${strictAgain}, false)`, p, filters, scoreColumn(query, p, expansions));
    }
  }
  const total = exact.length + rest.length + fuzzy.length;
  lowerBound ||= total > RESULT_CAP;
  return { exact: exact.sort(byRank), folded: rest.sort(byRank), fuzzy: fuzzy.sort(byRank), lowerBound, expansions };
}

interface HitRow {
  dossier_code: string;
  document_number: number;
  page_number: number;
  text: string;
  kind: DocumentKind;
  file_code: string;
  pdf_page: number;
  agency_code: string;
  procedure_code: string | null;
  received_on: string;
}

async function hitRows(tx: SqlClient, page: Key[]): Promise<Map<string, HitRow>> {
  const rows = await tx.query<HitRow>(
    `SELECT p.dossier_code, p.document_number, p.page_number, p.text, x.kind, x.file_code,
       (SELECT count(*)::int FROM pages q WHERE q.dossier_code = p.dossier_code AND q.document_number = p.document_number
          AND q.status = 'done' AND q.page_number <= p.page_number) AS pdf_page,
       coalesce(r.agency_code, d.agency_code) AS agency_code, coalesce(r.procedure_code, d.procedure_code) AS procedure_code,
       to_char(coalesce(r.received_on, d.received_on), 'YYYY-MM-DD') AS received_on
     FROM unnest($1::text[], $2::int[], $3::int[]) AS k(code, doc, page)
     JOIN pages p ON p.dossier_code = k.code AND p.document_number = k.doc AND p.page_number = k.page
     JOIN documents x ON x.dossier_code = p.dossier_code AND x.number = p.document_number
     JOIN dossiers d ON d.code = p.dossier_code
     LEFT JOIN register_dossiers r ON r.code = p.dossier_code`,
    [page.map((k) => k.dossier_code), page.map((k) => k.document_number), page.map((k) => k.page_number)],
  );
  return new Map(rows.map((r) => [keyOf(r), r]));
}

/** Highlighting patterns: every term, folded, with its OCR spellings. */
function highlighters(query: ResolvedQuery, expansions: Expansions): RegExp[] {
  return query.clauses.flatMap((terms) =>
    terms.map((t) =>
      highlightRegExp(
        t.folded.map((w) => [w, ...(expansions.get(w) ?? [])].map(foldedWordPattern)),
        t.prefix,
      ),
    ),
  );
}

function pdfLink(dossierCode: string, documentNumber: number, pdfPage: number): string {
  return `/api/dossiers/${encodeURIComponent(dossierCode)}/documents/${documentNumber}/pdf#page=${pdfPage}`;
}

export async function searchPages(sql: SqlClient, request: SearchRequest): Promise<SearchResult> {
  const { limit, offset } = checkRequest(request);
  const mode = request.mode ?? 'all';
  return sql.transaction(async (tx) => {
    // A big bitmap stays exact (no recheck); plans never split rows across workers or start a
    // scan mid-table, so the same query reads the same keys page after page.
    await tx.exec(`SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off`);
    const query = await resolve(tx, request.query, mode);
    const tiers = await findTiers(tx, query, request);
    const ranked: [Key, MatchKind][] = [
      ...tiers.exact.map((k): [Key, MatchKind] => [k, 'exact']),
      ...tiers.folded.map((k): [Key, MatchKind] => [k, 'folded']),
      ...tiers.fuzzy.map((k): [Key, MatchKind] => [k, 'fuzzy']),
    ];
    const page = ranked.slice(offset, offset + limit);
    const rows = await hitRows(
      tx,
      page.map(([k]) => k),
    );
    const patterns = highlighters(query, tiers.expansions);
    const hits = page.flatMap(([k, match]): SearchHit[] => {
      const r = rows.get(keyOf(k));
      if (!r) return [];
      return [
        {
          dossierCode: r.dossier_code,
          documentNumber: r.document_number,
          fileCode: r.file_code,
          kind: r.kind,
          pageNumber: r.page_number,
          pdfPage: r.pdf_page,
          match,
          snippet: buildSnippet(r.text, patterns),
          link: pdfLink(r.dossier_code, r.document_number, r.pdf_page),
          agencyCode: r.agency_code,
          procedureCode: r.procedure_code,
          receivedOn: r.received_on,
        },
      ];
    });
    return {
      query: request.query,
      mode,
      total: Math.min(ranked.length, RESULT_CAP),
      totalIsLowerBound: tiers.lowerBound,
      offset,
      limit,
      hits,
      fuzzy: Object.fromEntries([...tiers.expansions].map(([word, spellings]) => [word, [...spellings]])),
    };
  });
}

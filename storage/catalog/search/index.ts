/**
 * Full-text search of the OCR pages (search.ts): the query language (query.ts), the SQL it becomes
 * (sql.ts), OCR-misspelling expansion (fuzzy.ts), snippets (snippet.ts), and the folding of
 * Vietnamese text with or without diacritics that search and the register share (text.ts).
 */

export type { SearchMode } from './query.js';
export { type MatchKind, type SearchFilters, type SearchHit, type SearchRequest, type SearchResult, searchPages } from './search.js';
export { foldText } from './text.js';

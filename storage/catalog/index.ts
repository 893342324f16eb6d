/**
 * The catalog: dossiers, documents and pages with their OCR text in SQL — the same migrations on
 * PGlite (embedded default) and PostgreSQL — for listing, search, the one-stop-shop register and
 * coverage reports. It is derived from the object store (indexer.ts) and can be rebuilt from it;
 * only the audit log and the accounts (users, tokens, sessions, settings) are its own.
 */
export { Accounts, ROLES, type Role, type TokenRow, type UserRow } from './accounts.js';
export {
  type AuditQuery,
  type AuditRow,
  Catalog,
  type CatalogConfig,
  type CatalogCounts,
  type DocumentDetail,
  type DocumentRow,
  type DossierDetail,
  type DossierList,
  type DossierListItem,
  type DossierRow,
  type IndexResult,
  type OcrReader,
  type PageStatusRow,
  type RecentDocument,
} from './catalog.js';
export {
  type CoverageCounts,
  type CoverageDimension,
  type CoverageFilters,
  type CoveragePeriod,
  type CoverageQuery,
  type CoverageReport,
  type CoverageRow,
  type CoverageStatus,
  coverageReport,
  DIMENSIONS,
  PERIODS,
  type Thresholds,
  type UndigitizedDossier,
  undigitizedDossiers,
} from './coverage.js';
export { indexDossierFromStore, type RebuildResult, rebuildCatalog } from './indexer.js';
export {
  type ImportRequest,
  importRegister,
  REGISTER_TABLES,
  type RegisterImportResult,
  type RegisterTable,
  type ReplayResult,
  replayRegister,
} from './register.js';
export { LEVEL_NAMES, type Level, type RegisterRow, type RowError } from './register-parse.js';
export { foldText, type SearchHit, type SearchMode, type SearchRequest, type SearchResult, searchPages } from './search/index.js';
export { isCatalogLocked, type SqlClient } from './sql.js';

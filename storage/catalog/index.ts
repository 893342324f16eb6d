/**
 * The catalog: dossiers, documents and pages with their OCR text in SQL — the same migrations on
 * PGlite (embedded default) and PostgreSQL — for listing, search, the one-stop-shop register and
 * coverage reports. It is derived from the object store (indexer.ts) and can be rebuilt from it;
 * only the audit log is its own.
 */
export {
  Catalog,
  type AuditRow,
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
} from './catalog.js';
export {
  coverageReport,
  DEFAULT_THRESHOLDS,
  DIMENSIONS,
  PERIODS,
  undigitizedDossiers,
  type CoverageCounts,
  type CoverageDimension,
  type CoverageFilters,
  type CoveragePeriod,
  type CoverageQuery,
  type CoverageReport,
  type CoverageRow,
  type CoverageStatus,
  type Thresholds,
  type UndigitizedDossier,
} from './coverage.js';
export { indexDossierFromStore, rebuildCatalog, type RebuildResult } from './indexer.js';
export { importRegister, replayRegister, type ImportRequest, type RegisterImportResult, type ReplayResult } from './register.js';
export type { Level, RegisterRow, RowError } from './register-parse.js';
export { searchPages, foldText, type SearchRequest, type SearchResult, type SearchHit, type SearchMode } from './search/index.js';
export { isCatalogLocked, type SqlClient } from './sql.js';

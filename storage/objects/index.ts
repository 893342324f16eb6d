/**
 * The object store, Sohoa's system of record: originals, page images, OCR results, PDF/A files
 * and, written last, each dossier's manifest. One interface (store.ts) with two drivers — a local
 * directory (embedded default) and S3/MinIO (production) — plus where each object lives
 * (layout.ts), the manifest (manifest.ts), dossier codes (codes.ts) and fixity checks (fixity.ts).
 */
export {
  assertAgencyCode,
  assertComponentCode,
  assertProcedureCode,
  DOSSIER_CODE_PATTERN,
  type DossierCode,
  documentFileCode,
  parseDossierCode,
} from './codes.js';
export { DirectoryStore } from './directory-store.js';
export { type EarkPackage, earkPackage, earkZip, type PackageFile, writeEarkFolder } from './eark/index.js';
export { type FixityProblem, type FixityReport, verifyFixity } from './fixity.js';
export { installationId } from './installation.js';
export { getJson, putFile, putJson, putObject, type StoredObject, sha256 } from './io.js';
export {
  batchOriginalKey,
  batchPrefix,
  batchRecordKey,
  documentOfKey,
  documentPdfKey,
  documentPrefix,
  dossierPdfKey,
  dossierPrefix,
  isDocumentPdfKey,
  isDossierPdfKey,
  manifestKey,
  originalKey,
  type PageKeys,
  pageKeys,
  submissionRecordKey,
} from './layout.js';
export {
  belowMinimumDpi,
  type DocumentKind,
  type DossierManifest,
  inPdf,
  MANIFEST_VERSION,
  type ManifestDocument,
  type ManifestMetadata,
  type ManifestObject,
  type ManifestOriginal,
  type ManifestPage,
  MIN_DPI,
  type ObjectRole,
  type ObjectSignature,
  type PageStatus,
  readManifest,
  readStoredManifest,
  type SourceRef,
  type StoredManifest,
  storedDossierCodes,
  type Withdrawal,
  writeManifest,
} from './manifest.js';
export { type ObjectStoreOptions, openObjectStore } from './open.js';
export { type S3Config, S3Store } from './s3-store.js';
export { assertValidKey, type ObjectInfo, type ObjectStore } from './store.js';

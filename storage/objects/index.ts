/**
 * The object store, Sohoa's system of record: originals, page images, OCR results, PDF/A files
 * and, written last, each dossier's manifest. One interface (store.ts) with two drivers — a local
 * directory (embedded default) and S3/MinIO (production) — plus where each object lives
 * (layout.ts), the manifest (manifest.ts), dossier codes (codes.ts) and fixity checks (fixity.ts).
 */
export { assertAgencyCode, assertProcedureCode, documentFileCode, parseDossierCode, type DossierCode } from './codes.js';
export { DirectoryStore } from './directory-store.js';
export { verifyFixity, type FixityProblem, type FixityReport } from './fixity.js';
export { getJson, parseJson, putJson, putObject, sha256, type StoredObject } from './io.js';
export { documentOfKey, documentPdfKey, documentPrefix, dossierPdfKey, dossierPrefix, manifestKey, originalKey, pageKeys } from './layout.js';
export {
  MANIFEST_VERSION,
  readManifest,
  readStoredManifest,
  storedDossierCodes,
  writeManifest,
  type DocumentKind,
  type DossierManifest,
  type ManifestDocument,
  type ManifestObject,
  type ManifestOriginal,
  type ManifestPage,
  type ObjectRole,
  type ObjectSignature,
  type PageStatus,
  type StoredManifest,
} from './manifest.js';
export { openObjectStore, type ObjectStoreOptions } from './open.js';
export { S3Store, type S3Config } from './s3-store.js';
export { assertValidKey, type ObjectInfo, type ObjectStore } from './store.js';

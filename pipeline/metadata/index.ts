/** Archival metadata (Circular 05/2025/TT-BNV): the fields, their checks, and what the files tell. */
export {
  type ArchivalMetadata,
  CONFIDENCE_LEVELS,
  DOCUMENT_FIELDS,
  DOSSIER_FIELDS,
  type MetadataRecord,
  type MetadataValue,
  MODES,
  metadataText,
  parseArchivalMetadata,
} from './circular05.js';
export {
  changedFields,
  confidenceLevel,
  type DerivedRecord,
  type DocumentFacts,
  deriveDocumentMetadata,
  deriveDossierMetadata,
  givenValues,
  languagesOfText,
  mergeMetadata,
  type ScanFacts,
  scanFormat,
} from './derive.js';

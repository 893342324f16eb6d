/** Archival metadata (Circular 05/2025/TT-BNV): the fields, their checks, what the files tell and what the page says (decree30/). */
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
  CIRCULAR_FIELDS,
  type CircularField,
  type Decree30Reading,
  FILL_CONFIDENCE,
  isFilled,
  metadataFromPage,
  type PageRead,
  READ_FIELDS,
  type ReadFieldState,
  readDecree30,
  readFieldStates,
} from './decree30/index.js';
export {
  changedFields,
  confidenceLevel,
  type DerivedRecord,
  type DocumentFacts,
  deriveDocumentMetadata,
  deriveDossierMetadata,
  filledValues,
  givenValues,
  languagesOfText,
  mergeMetadata,
  type ScanFacts,
  scanFormat,
} from './derive.js';

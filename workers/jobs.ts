/**
 * Typed boundaries of the queues: job data and results, declared once and used by the
 * producer (submit), the processors and the waiter. flow.ts shows how the jobs link up.
 * Redis keeps jobs for days: they hold codes, numbers and object keys, never a file's name, a
 * title or OCR text (those are in the store: the submission record, the manifest).
 */
import type { PageAnalysis } from '../pipeline/cleanup/index.js';
import type { ArchivalMetadata } from '../pipeline/metadata/index.js';
import type { PdfaPart } from '../pipeline/pdfa/index.js';
import type {
  DocumentKind,
  DossierManifest,
  ManifestDocument,
  ManifestOriginal,
  SourceRef,
  StoredObject,
} from '../storage/objects/index.js';

/** Where a page comes from, as the queues know it: its original's key (which holds no name) and the page in it. */
export type PageSource = Omit<SourceRef, 'fileName'>;

export interface PageRef {
  dossierCode: string;
  documentNumber: number;
  /** 1-based page number within the document. */
  page: number;
  source: PageSource;
}

export type CleanupJobData = PageRef;

export interface CleanupJobResult {
  archival: StoredObject & { width: number; height: number; format: 'jpeg' | 'png' };
  ocrImage: StoredObject;
  dpi: number;
  colour: 'colour' | 'grey' | 'bilevel';
  analysis: PageAnalysis;
}

export type OcrJobData = PageRef;

export interface OcrJobResult extends CleanupJobResult {
  ocrResult: StoredObject;
  confidence: number;
}

/** A file or page refused before it reached a queue (not an image, unreadable container). */
export interface RejectedInput {
  /** Page number the file would have had in the document. */
  page: number;
  fileName: string;
  key: string;
  reason: string;
}

/** The submission record (storage/objects `submissionRecordKey`): what the package job needs that Redis must not hold. */
export interface SubmissionRecord {
  title: string;
  /** The procedure's component the document is (ManifestDocument.component). */
  component?: string;
  /** Circular 05/2025 fields the station gave (checked at submission). */
  metadata?: ArchivalMetadata;
  originals: (ManifestOriginal & { size: number; mediaType: string })[];
  rejected: RejectedInput[];
  /** The cover sheet this document was split from its batch by. */
  coverSheet?: SourceRef;
}

export interface PackageJobData {
  dossierCode: string;
  agencyCode: string;
  procedureCode?: string;
  documentNumber: number;
  kind: DocumentKind;
  submissionHash: string;
  submittedAt: string;
  submittedBy: string;
  pages: PageRef[];
  /** Pages refused at submission (the record says why): failed without being queued. */
  rejectedPages: number[];
  /**
   * A redo (redo.ts): only the failed pages were queued; the done ones are carried over from the
   * manifest, with their objects.
   */
  redo?: { by: string; at: string };
  pdfaPart: PdfaPart;
  /** Sign the document's (and the dossier's) PDF/A with the agency certificate. */
  sign: boolean;
  /**
   * The submitter may have files signed: a dossier PDF/A the agency signed before is signed again
   * when this document rebuilds it; otherwise it is rebuilt unsigned (each signed document keeps
   * its own signed PDF/A).
   */
  resign: boolean;
}

export interface PageFailure {
  file: string;
  page: number;
  reason: string;
}

export interface PackageJobResult {
  documentPdfKey?: string;
  dossierPdfKey?: string;
  pagesDone: number;
  /** Which, and why, the manifest says (progress.ts `documentFailures`). */
  pagesFailed: number;
}

/** A package job's result, read off the manifest it wrote: the waiter reads it there too when Redis lost the job. */
export function packageResult(manifest: DossierManifest, document: ManifestDocument): PackageJobResult {
  return {
    documentPdfKey: document.pdfKey,
    dossierPdfKey: manifest.pdfKey,
    pagesDone: document.pages.filter((p) => p.status === 'done').length,
    pagesFailed: document.pages.filter((p) => p.status === 'failed').length,
  };
}

export interface IndexJobData {
  dossierCode: string;
}

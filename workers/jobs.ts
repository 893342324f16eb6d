/**
 * Typed boundaries of the queues: job data and results, declared once and used by the
 * producer (submit), the processors and the waiter. flow.ts shows how the jobs link up.
 */
import type { PageAnalysis } from '../pipeline/cleanup/index.js';
import type { PdfaPart } from '../pipeline/pdfa/index.js';
import type { DocumentKind, ManifestOriginal, SourceRef, StoredObject } from '../storage/objects/index.js';

export interface PageRef {
  dossierCode: string;
  documentNumber: number;
  /** 1-based page number within the document. */
  page: number;
  source: SourceRef;
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

export interface PackageJobData {
  dossierCode: string;
  agencyCode: string;
  procedureCode?: string;
  documentNumber: number;
  kind: DocumentKind;
  title: string;
  submissionHash: string;
  submittedAt: string;
  submittedBy: string;
  originals: (ManifestOriginal & { size: number; mediaType: string })[];
  pages: PageRef[];
  rejected: RejectedInput[];
  /** The cover sheet this document was split from its batch by. */
  coverSheet?: SourceRef;
  /**
   * A redo (redo.ts): only the failed pages were queued; the done ones are carried over from the
   * manifest, with their objects.
   */
  redo?: { by: string; at: string };
  pdfaPart: PdfaPart;
  /** Sign the document's (and the dossier's) PDF/A with the agency certificate. */
  sign: boolean;
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
  failures: PageFailure[];
}

export interface IndexJobData {
  dossierCode: string;
}

/**
 * Typed boundaries of the queues: job data and results, declared once and used by the
 * producer (submit), the processors and the waiter.
 */
import type { DocumentKind, ManifestOriginal } from '../storage/manifest.js';
import type { PdfaPart } from '../pipeline/pdfa.js';
import type { PageAnalysis } from '../pipeline/cleanup.js';

export const QUEUE = {
  cleanup: 'cleanup',
  ocr: 'ocr',
  package: 'package',
  index: 'index',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
  mediaType: string;
}

export interface PageRef {
  dossierCode: string;
  documentNumber: number;
  /** 1-based page number within the document. */
  page: number;
  source: { key: string; fileName: string; index: number };
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

/**
 * Job ids are derived from what the job is, so adding the same page twice — a retried upload,
 * a resubmitted batch — never creates a second job.
 */
export function jobId(queue: QueueName, dossierCode: string, documentNumber: number, page?: number): string {
  const doc = String(documentNumber).padStart(2, '0');
  return page === undefined ? `${queue}.${dossierCode}.${doc}` : `${queue}.${dossierCode}.${doc}.p${page}`;
}

export function pageOfJobKey(key: string): number | undefined {
  const m = /\.p(\d+)$/.exec(key);
  return m ? Number(m[1]) : undefined;
}

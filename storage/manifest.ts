/**
 * The dossier manifest (`dossiers/<code>/manifest.json`): every object of the dossier with its
 * SHA-256, and what each document and page became. It is the system of record; the catalog is
 * derived from manifests and can be rebuilt from them.
 */
import { createHash } from 'node:crypto';

export const MANIFEST_VERSION = 1;

export type DocumentKind = 'component' | 'result';

export type ObjectRole = 'original' | 'archival-image' | 'ocr-image' | 'ocr-result' | 'document-pdf' | 'dossier-pdf';

export interface ManifestObject {
  key: string;
  role: ObjectRole;
  sha256: string;
  size: number;
  mediaType: string;
  /** Page number within the document (1-based) for per-page objects. */
  page?: number;
  /** The agency signed this PDF/A (PAdES): who, for which agency, when (ISO 8601, Vietnam time). */
  signature?: ObjectSignature;
}

export interface ObjectSignature {
  /** Common name of the signing certificate. */
  signer: string;
  agencyName: string;
  signedAt: string;
}

export interface ManifestOriginal {
  key: string;
  /** File name as the scanning station sent it. */
  fileName: string;
  sha256: string;
  pageCount: number;
  /** The original PDF carried a digital signature and is kept byte-for-byte beside the PDF/A. */
  signed: boolean;
}

export type PageStatus = 'done' | 'failed';

export interface ManifestPage {
  /** 1-based page number within the document (order of submission). */
  number: number;
  /** Original file key and 0-based page index inside it. */
  source: { key: string; fileName: string; index: number };
  status: PageStatus;
  /** Why the page failed (names the file); absent for done pages. */
  error?: string;
  dpi?: number;
  width?: number;
  height?: number;
  ocrConfidence?: number;
  colour?: 'colour' | 'grey' | 'bilevel';
  /** What cleanup did: clockwise quarter turn, skew corrected (degrees), border crop, ink share. */
  rotation?: 0 | 90 | 180 | 270;
  skew?: number;
  crop?: { left: number; top: number; width: number; height: number };
  inkCoverage?: number;
  /** Almost no ink: a separator sheet or an empty back, kept and flagged for a person to judge. */
  blank?: boolean;
  /** The page's archival image and OCR result (absent for failed pages). */
  archivalKey?: string;
  ocrResultKey?: string;
}

export interface ManifestDocument {
  /** Document number within the dossier (`<dossier code>.<nn>`). */
  number: number;
  fileCode: string;
  kind: DocumentKind;
  /** SHA-256 over the originals' hashes: the same submission twice is the same document. */
  submissionHash: string;
  submittedAt: string;
  submittedBy: string;
  completedAt: string;
  originals: ManifestOriginal[];
  pages: ManifestPage[];
  /** Key of the document's PDF/A; absent when every page failed. */
  pdfKey?: string;
}

export interface DossierManifest {
  version: typeof MANIFEST_VERSION;
  dossierCode: string;
  agencyCode: string;
  procedureCode?: string;
  updatedAt: string;
  documents: ManifestDocument[];
  /** Key of the whole-dossier PDF/A (`<dossier code>.pdf`). */
  pdfKey?: string;
  objects: ManifestObject[];
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function dossierPrefix(dossierCode: string): string {
  return `dossiers/${dossierCode}/`;
}

export function manifestKey(dossierCode: string): string {
  return `${dossierPrefix(dossierCode)}manifest.json`;
}

/**
 * The dossier manifest (`dossiers/<code>/manifest.json`): every object of the dossier with its
 * SHA-256, and what each document and page became. It is the system of record; the catalog is
 * derived from manifests and can be rebuilt from them. This module is the one place manifests are
 * read, checked and written.
 */
import type { PageAnalysis } from '../../pipeline/cleanup/index.js';
import { CorruptObjectError, NotFoundError } from '../../pipeline/errors.js';
import type { DerivedRecord, MetadataValue, PageRead } from '../../pipeline/metadata/index.js';
import { parseJson, putJson, sha256 } from './io.js';
import { dossierOfManifestKey, manifestKey } from './layout.js';
import type { ObjectStore } from './store.js';

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
  /**
   * 0-based pages of the file that belong to this document (its cover sheet included), when the
   * file is a scanned stack shared with other documents; absent when the whole file is the document's.
   */
  pages?: number[];
}

/** A page of an original file: where a document's cover sheet was. */
export interface SourceRef {
  key: string;
  fileName: string;
  index: number;
}

/** An admin took the document back (sent under the wrong dossier code or kind): who, when, why. */
export interface Withdrawal {
  by: string;
  at: string;
  reason: string;
}

export type PageStatus = 'done' | 'failed';

/** A page: what cleanup found and did (PageAnalysis, on done pages), and where its results are. */
export interface ManifestPage extends Partial<PageAnalysis> {
  /** 1-based page number within the document (order of submission). */
  number: number;
  /** Original file key and 0-based page index inside it. */
  source: SourceRef;
  status: PageStatus;
  /** Why the page failed (names the file); absent for done pages. */
  error?: string;
  dpi?: number;
  width?: number;
  height?: number;
  ocrConfidence?: number;
  colour?: 'colour' | 'grey' | 'bilevel';
  /** The page's archival image and OCR result (absent for failed pages). */
  archivalKey?: string;
  ocrResultKey?: string;
}

/** Circular 05/2025 fields (pipeline/metadata): every value, and which Sohoa derived rather than a station gave. */
export interface ManifestMetadata extends DerivedRecord {
  /** A document's fields as read from its pages (Decree 30 layout), sure or not, with where each was read. */
  read?: Record<string, PageRead>;
  /** Later submissions that changed given values: who, when, each field's value before and after. */
  changes?: { by: string; at: string; fields: Record<string, { from: MetadataValue | null; to: MetadataValue | null }> }[];
}

export interface ManifestDocument {
  /** Document number within the dossier (`<dossier code>.<nn>`). */
  number: number;
  fileCode: string;
  kind: DocumentKind;
  /** The title the station gave (or Sohoa's default), as the PDF/A's dc:title has it. */
  title?: string;
  /** Circular 05/2025 document-level fields. */
  metadata?: ManifestMetadata;
  /** Which of its procedure's required components the document is (a component's code), when the station said. */
  component?: string;
  /** SHA-256 over the originals' hashes: the same submission twice is the same document. */
  submissionHash: string;
  submittedAt: string;
  submittedBy: string;
  completedAt: string;
  originals: ManifestOriginal[];
  pages: ManifestPage[];
  /** Key of the document's PDF/A; absent when every page failed. */
  pdfKey?: string;
  /** Its conformance (absent in manifests written before it was recorded). */
  pdfaPart?: '2b' | '1b';
  /** The cover sheet the document was split from its batch by (kept with the originals, not in the PDF/A). */
  coverSheet?: SourceRef;
  /** Failed pages were run again (`sohoa redo`): when, and by whom. */
  redone?: { by: string; at: string }[];
  /** Set when an admin withdrew the document: it is in neither the dossier's PDF/A nor the catalog. */
  withdrawn?: Withdrawal;
}

/** Circular 05/2025/TT-BNV: paper is digitized at 200 dpi at least. */
export const MIN_DPI = 200;

/** A page the PDF/A shows: done, and not blank (separator sheets and empty backs are left out). */
export function inPdf(page: Pick<ManifestPage, 'status' | 'blank'>): boolean {
  return page.status === 'done' && !page.blank;
}

/** A done page whose effective resolution is under the regulation's: the station should rescan it. */
export function belowMinimumDpi(page: Pick<ManifestPage, 'status' | 'resolution' | 'dpi'>): boolean {
  return page.status === 'done' && (page.resolution?.dpi ?? page.dpi ?? MIN_DPI) < MIN_DPI;
}

export interface DossierManifest {
  version: typeof MANIFEST_VERSION;
  dossierCode: string;
  agencyCode: string;
  procedureCode?: string;
  updatedAt: string;
  /** Circular 05/2025 dossier-level fields. */
  metadata?: ManifestMetadata;
  documents: ManifestDocument[];
  /** Key of the whole-dossier PDF/A (`<dossier code>.pdf`). */
  pdfKey?: string;
  objects: ManifestObject[];
}

/** A manifest as read from the store, with the SHA-256 of its bytes. */
export interface StoredManifest {
  manifest: DossierManifest;
  sha256: string;
}

/** Parses a stored manifest and checks that it is one, for this dossier; CorruptObjectError otherwise. */
function parseManifest(bytes: Buffer, dossierCode: string): DossierManifest {
  const key = manifestKey(dossierCode);
  const manifest = parseJson(bytes, key) as Partial<DossierManifest> | null;
  if (!manifest || typeof manifest !== 'object') throw new CorruptObjectError(key, 'not a dossier manifest');
  if (manifest.version !== MANIFEST_VERSION) {
    throw new CorruptObjectError(key, `manifest version ${String(manifest.version)}, expected ${MANIFEST_VERSION}`);
  }
  if (manifest.dossierCode !== dossierCode) throw new CorruptObjectError(key, `describes dossier "${String(manifest.dossierCode)}"`);
  if (!Array.isArray(manifest.documents)) throw new CorruptObjectError(key, 'no documents list');
  return manifest as DossierManifest;
}

/** The dossier's manifest and its hash; undefined when the store holds none. */
export async function readStoredManifest(store: ObjectStore, dossierCode: string): Promise<StoredManifest | undefined> {
  let bytes: Buffer;
  try {
    bytes = await store.get(manifestKey(dossierCode));
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  return { manifest: parseManifest(bytes, dossierCode), sha256: sha256(bytes) };
}

/** The dossier's manifest; undefined when the store holds none. */
export async function readManifest(store: ObjectStore, dossierCode: string): Promise<DossierManifest | undefined> {
  return (await readStoredManifest(store, dossierCode))?.manifest;
}

/** Writes the manifest whole: the last object a document's packaging writes. */
export async function writeManifest(store: ObjectStore, manifest: DossierManifest): Promise<void> {
  await putJson(store, manifestKey(manifest.dossierCode), manifest);
}

/** Codes of the dossiers whose manifest is in the store, sorted. */
export async function storedDossierCodes(store: ObjectStore): Promise<string[]> {
  const codes: string[] = [];
  for await (const { key } of store.list('dossiers/')) {
    const code = dossierOfManifestKey(key);
    if (code) codes.push(code);
  }
  return codes.sort();
}

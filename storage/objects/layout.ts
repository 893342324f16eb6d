/**
 * Where each object of a dossier lives in the store. One place, so the stages, the manifest,
 * `verify` and `catalog rebuild` agree.
 */
import { documentFileCode } from './codes.js';

export function dossierPrefix(dossierCode: string): string {
  return `dossiers/${dossierCode}/`;
}

export function manifestKey(dossierCode: string): string {
  return `${dossierPrefix(dossierCode)}manifest.json`;
}

/** `dossiers/<code>/manifest.json` → code. */
const MANIFEST_KEY = /^dossiers\/([^/]+)\/manifest\.json$/;

/** The dossier whose manifest a key is, or undefined for any other object. */
export function dossierOfManifestKey(key: string): string | undefined {
  return MANIFEST_KEY.exec(key)?.[1];
}

export function documentPrefix(dossierCode: string, documentNumber: number): string {
  return `${dossierPrefix(dossierCode)}documents/${String(documentNumber).padStart(2, '0')}/`;
}

/** The document number of a key under `dossiers/<code>/documents/`, if it is one. */
export function documentOfKey(key: string): number | undefined {
  const m = /documents\/(\d+)\//.exec(key);
  return m ? Number(m[1]) : undefined;
}

/**
 * `<NNN>.<ext>`: the file's place in its upload and the extension of its name when that is a
 * plain one. Keys travel through queues and logs; the name a station gave a file (often a
 * citizen's) stays in the manifest only.
 */
function originalName(index: number, fileName: string): string {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1]?.toLowerCase() ?? 'bin';
  return `${String(index + 1).padStart(3, '0')}.${ext}`;
}

export function originalKey(dossierCode: string, documentNumber: number, index: number, fileName: string): string {
  return `${documentPrefix(dossierCode, documentNumber)}originals/${originalName(index, fileName)}`;
}

/**
 * A scanned stack may hold pages of several dossiers in one file: it is kept once, as scanned,
 * under its batch, and each document's manifest names the pages it took from it.
 */
export function batchPrefix(batchId: string): string {
  return `batches/${batchId}/`;
}

export function batchOriginalKey(batchId: string, index: number, fileName: string): string {
  return `${batchPrefix(batchId)}originals/${originalName(index, fileName)}`;
}

/**
 * What a document's submission says that the queues must not carry: the files' names, the title,
 * the reasons its refused files were refused. Written before its flow is queued; the package job
 * reads it.
 */
export function submissionRecordKey(dossierCode: string, documentNumber: number): string {
  return `${documentPrefix(dossierCode, documentNumber)}submission.json`;
}

/** What the batch was split into: its sheets and the documents made (workers/batch.ts). */
export function batchRecordKey(batchId: string): string {
  return `${batchPrefix(batchId)}batch.json`;
}

function pagePrefix(dossierCode: string, documentNumber: number, page: number): string {
  return `${documentPrefix(dossierCode, documentNumber)}pages/${String(page).padStart(4, '0')}/`;
}

export const pageKeys = (dossierCode: string, documentNumber: number, page: number) => {
  const prefix = pagePrefix(dossierCode, documentNumber, page);
  return {
    /** Archival image: colour kept, what the PDF/A shows. */
    archival: (ext: 'jpg' | 'png') => `${prefix}archival.${ext}`,
    /** Image prepared for OCR (grey, normalised). */
    ocrImage: `${prefix}ocr.png`,
    /** OcrPageResult as JSON. */
    ocrResult: `${prefix}ocr.json`,
  };
};

export type PageKeys = ReturnType<typeof pageKeys>;

/**
 * PDFs are rewritten (a redo, the next document of the dossier): each version goes under a key of
 * its own, named by its SHA-256, and the manifest switches to it last, so a crash at any point
 * leaves the previous manifest and every file it names intact. Files written before keys carried
 * the hash (`<file code>.pdf`) are still read.
 */
function pdfKey(dossierCode: string, fileCode: string, sha256: string): string {
  return `${dossierPrefix(dossierCode)}${fileCode}.${sha256.slice(0, 16)}.pdf`;
}

function isPdfKeyOf(key: string, dossierCode: string, fileCode: string): boolean {
  const name = key.startsWith(dossierPrefix(dossierCode)) ? key.slice(dossierPrefix(dossierCode).length) : '';
  return name.startsWith(`${fileCode}.`) && /^(?:[0-9a-f]{16}\.)?pdf$/.test(name.slice(fileCode.length + 1));
}

export function documentPdfKey(dossierCode: string, documentNumber: number, sha256: string): string {
  return pdfKey(dossierCode, documentFileCode(dossierCode, documentNumber), sha256);
}

export function isDocumentPdfKey(key: string, dossierCode: string, documentNumber: number): boolean {
  return isPdfKeyOf(key, dossierCode, documentFileCode(dossierCode, documentNumber));
}

export function dossierPdfKey(dossierCode: string, sha256: string): string {
  return pdfKey(dossierCode, dossierCode, sha256);
}

export function isDossierPdfKey(key: string, dossierCode: string): boolean {
  return isPdfKeyOf(key, dossierCode, dossierCode);
}

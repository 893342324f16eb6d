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
 * A file name's longest part in a key, in UTF-8 bytes: a file system takes 255 bytes a name, S3
 * 1024 a key, and a Vietnamese letter is 2–4 bytes. The name as sent stays whole in the manifest.
 */
const MAX_NAME_BYTES = 120;

/** `<NNN>-<file name>`: the file's place in its upload, and its name made safe for any store. */
function originalName(index: number, fileName: string): string {
  const safe =
    fileName
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^[._]+/, '') || 'file';
  return `${String(index + 1).padStart(3, '0')}-${capBytes(safe, MAX_NAME_BYTES)}`;
}

/** The name cut to `max` UTF-8 bytes, whole characters only, keeping a short extension. */
function capBytes(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  const ext = /\.[\p{L}\p{N}]{1,8}$/u.exec(name)?.[0] ?? '';
  let stem = '';
  for (const char of name.slice(0, name.length - ext.length)) {
    if (Buffer.byteLength(stem + char + ext) > max) break;
    stem += char;
  }
  return stem + ext;
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

export function documentPdfKey(dossierCode: string, documentNumber: number): string {
  return `${dossierPrefix(dossierCode)}${documentFileCode(dossierCode, documentNumber)}.pdf`;
}

export function dossierPdfKey(dossierCode: string): string {
  return `${dossierPrefix(dossierCode)}${dossierCode}.pdf`;
}

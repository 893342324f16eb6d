/**
 * Where each object of a dossier lives in the store. One place, so the pipeline, the manifest,
 * `verify` and `catalog rebuild` agree.
 */
import { documentFileCode } from '../pipeline/codes.js';
import { dossierPrefix } from './manifest.js';

export function documentPrefix(dossierCode: string, documentNumber: number): string {
  return `${dossierPrefix(dossierCode)}documents/${String(documentNumber).padStart(2, '0')}/`;
}

export function originalKey(dossierCode: string, documentNumber: number, index: number, fileName: string): string {
  const safe = fileName.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[._]+/, '') || 'file';
  return `${documentPrefix(dossierCode, documentNumber)}originals/${String(index + 1).padStart(3, '0')}-${safe}`;
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

export function documentPdfKey(dossierCode: string, documentNumber: number): string {
  return `${dossierPrefix(dossierCode)}${documentFileCode(dossierCode, documentNumber)}.pdf`;
}

export function dossierPdfKey(dossierCode: string): string {
  return `${dossierPrefix(dossierCode)}${dossierCode}.pdf`;
}

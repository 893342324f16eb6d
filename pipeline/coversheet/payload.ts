/**
 * What a cover sheet's QR code says: the dossier, the kind of document that follows and, when the
 * station knows it, the procedure. A URL-like text, so that a phone reading the sheet shows what it
 * is, and versioned, so that sheets printed today are still read after the format grows.
 */

export type CoverSheetKind = 'component' | 'result';

export interface CoverSheet {
  dossierCode: string;
  kind: CoverSheetKind;
  procedureCode?: string;
}

const SCHEME = 'sohoa:cover?';
const VERSION = '1';

export function coverSheetPayload(sheet: CoverSheet): string {
  const query = new URLSearchParams({ v: VERSION, dossier: sheet.dossierCode, kind: sheet.kind });
  if (sheet.procedureCode) query.set('procedure', sheet.procedureCode);
  return `${SCHEME}${query}`;
}

/**
 * The sheet a QR text describes; undefined for any other QR (a citizen's ID card, a payment
 * code on a receipt): only Sohoa's own sheets separate documents. The codes are checked where
 * the documents are made.
 */
export function parseCoverSheetPayload(text: string): CoverSheet | undefined {
  if (!text.startsWith(SCHEME)) return undefined;
  const query = new URLSearchParams(text.slice(SCHEME.length));
  const dossierCode = query.get('dossier');
  const kind = query.get('kind');
  if (query.get('v') !== VERSION || !dossierCode || (kind !== 'component' && kind !== 'result')) return undefined;
  const procedureCode = query.get('procedure') ?? undefined;
  return { dossierCode, kind, ...(procedureCode ? { procedureCode } : {}) };
}

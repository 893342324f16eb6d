/**
 * What goes into a dossier's E-ARK package, read off its manifest: three representations — the
 * PDF/A files (`pdfa`), the originals as the station sent them (`originals`) and the OCR text of
 * every page (`ocr-text`) — each file with its size and SHA-256. A stored file is checked against
 * its manifest hash as it is read: a package never carries a file its manifest does not vouch for.
 */
import { CorruptObjectError } from '../../../pipeline/errors.js';
import type { OcrPageResult } from '../../../pipeline/ocr/index.js';
import { sha256 } from '../io.js';
import { dossierPrefix } from '../layout.js';
import { type DossierManifest, inPdf, type ManifestDocument, type ManifestObject } from '../manifest.js';
import type { ObjectStore } from '../store.js';

export const REPRESENTATIONS = ['pdfa', 'originals', 'ocr-text'] as const;
export type Representation = (typeof REPRESENTATIONS)[number];

export interface PackageFile {
  /** Path inside the package, `/`-separated, from its root folder. */
  path: string;
  mediaType: string;
  size: number;
  sha256: string;
  /** When the content was made (ISO 8601). */
  created: string;
  bytes(): Promise<Buffer>;
  /** Absent for the package's own metadata files. */
  representation?: Representation;
  /** The document it belongs to (`<dossier code>.<nn>`); absent for the dossier's PDF/A. */
  fileCode?: string;
  /** The original's name as the station sent it. */
  originalName?: string;
}

/** A stored object as a package file, its bytes checked against the manifest's hash when read. */
function storedFile(
  store: ObjectStore,
  object: ManifestObject,
  path: string,
  representation: Representation,
  created: string,
  extra: Pick<PackageFile, 'fileCode' | 'originalName'> = {},
): PackageFile {
  return {
    path,
    mediaType: object.mediaType,
    size: object.size,
    sha256: object.sha256,
    created,
    representation,
    ...extra,
    bytes: async () => {
      const body = await store.get(object.key);
      if (sha256(body) !== object.sha256)
        throw new CorruptObjectError(object.key, 'its SHA-256 differs from the manifest: run sohoa verify');
      return body;
    },
  };
}

/** A file made for the package (the OCR text, the metadata), held in memory. */
export function madeFile(path: string, mediaType: string, body: Buffer, created: string, extra: Partial<PackageFile> = {}): PackageFile {
  return { path, mediaType, size: body.length, sha256: sha256(body), created, ...extra, bytes: async () => body };
}

/** `dossiers/<code>/documents/01/originals/001.jpg` → `01/originals/001.jpg`; a stack's file keeps its own key. */
function originalPath(manifest: DossierManifest, key: string): string {
  const prefix = `${dossierPrefix(manifest.dossierCode)}documents/`;
  return key.startsWith(prefix) ? key.slice(prefix.length) : key;
}

/** The documents a package holds: every one not withdrawn (a withdrawn one stays in its PREMIS history). */
export function packagedDocuments(manifest: DossierManifest): ManifestDocument[] {
  return manifest.documents.filter((d) => !d.withdrawn).sort((a, b) => a.number - b.number);
}

export async function representationFiles(store: ObjectStore, manifest: DossierManifest): Promise<PackageFile[]> {
  const objects = new Map(manifest.objects.map((o) => [o.key, o]));
  const object = (key: string) => {
    const found = objects.get(key);
    if (!found) throw new CorruptObjectError(key, 'the manifest names it but does not list it');
    return found;
  };
  const files: PackageFile[] = [];
  if (manifest.pdfKey) {
    files.push(
      storedFile(store, object(manifest.pdfKey), `representations/pdfa/data/${manifest.dossierCode}.pdf`, 'pdfa', manifest.updatedAt),
    );
  }
  const originals = new Set<string>();
  for (const doc of packagedDocuments(manifest)) {
    const extra = { fileCode: doc.fileCode };
    if (doc.pdfKey)
      files.push(storedFile(store, object(doc.pdfKey), `representations/pdfa/data/${doc.fileCode}.pdf`, 'pdfa', doc.completedAt, extra));
    for (const original of doc.originals) {
      if (originals.has(original.key)) continue; // a stack file two documents share goes in once
      originals.add(original.key);
      const path = `representations/originals/data/${originalPath(manifest, original.key)}`;
      files.push(
        storedFile(store, object(original.key), path, 'originals', doc.submittedAt, { ...extra, originalName: original.fileName }),
      );
    }
    for (const page of doc.pages.filter(inPdf)) {
      const key = page.ocrResultKey ?? '';
      const result = JSON.parse((await storedFile(store, object(key), '', 'ocr-text', '').bytes()).toString('utf8')) as OcrPageResult;
      const path = `representations/ocr-text/data/${doc.fileCode}-p${String(page.number).padStart(4, '0')}.txt`;
      files.push(
        madeFile(path, 'text/plain', Buffer.from(`${result.text.normalize('NFC')}\n`, 'utf8'), doc.completedAt, {
          ...extra,
          representation: 'ocr-text',
        }),
      );
    }
  }
  return files;
}

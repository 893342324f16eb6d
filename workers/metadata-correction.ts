/**
 * Correcting the archival metadata (Circular 05/2025) of a dossier or of one of its documents
 * without scanning anything again: the station's fields are replaced (null takes one away), the
 * affected PDF/A files get the new XMP (a document's file made again from its own pages, signed
 * again if it was signed), and a new manifest says who changed what, from which value to which.
 */
import { NotFoundError, UsageError } from '../pipeline/errors.js';
import {
  changedFields,
  DOCUMENT_FIELDS,
  DOSSIER_FIELDS,
  filledValues,
  givenValues,
  type MetadataRecord,
  mergeMetadata,
  parseArchivalMetadata,
} from '../pipeline/metadata/index.js';
import { mergePdfA } from '../pipeline/pdfa/index.js';
import { type DossierManifest, type ManifestDocument, type ManifestMetadata, readManifest } from '../storage/objects/index.js';
import { dossierLockKey, type PipelineContext } from './context.js';
import { DOSSIER_LOCK, withLock } from './lock.js';
import { queueReindex } from './processors/indexing.js';
import { documentPdfKeyOf, documentPdfMetadata, repackaging, storePdfA, writeDossier } from './processors/package.js';

/** What to change: the dossier's fields, or a document's; a field set to null is taken away. */
export interface MetadataCorrection {
  /** The document whose fields change; the dossier's when absent. */
  documentNumber?: number;
  fields: Record<string, unknown>;
}

/** The given values after a correction, and the fields it takes away (null); the rest is checked as at upload. */
function corrected(
  before: MetadataRecord,
  fields: Record<string, unknown>,
  level: 'dossier' | 'document',
): { given: MetadataRecord; removed: string[] } {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) throw new UsageError('send an object of Circular 05/2025 fields');
  const removed = Object.keys(fields).filter((name) => fields[name] === null);
  const known = new Set((level === 'dossier' ? DOSSIER_FIELDS : DOCUMENT_FIELDS).map((f) => f.name));
  const unknown = removed.find((name) => !known.has(name));
  if (unknown) throw new UsageError(`${level}.${unknown} is not a Circular 05/2025 field`);
  const set = parseArchivalMetadata({ [level]: fields })[level];
  const kept = Object.fromEntries(Object.entries(before).filter(([name]) => !removed.includes(name)));
  return { given: { ...kept, ...set }, removed };
}

/**
 * The record with new given values over what Sohoa filled, and the change appended. A field the
 * station now gives (a value read from the page, confirmed or put right) becomes the station's; a
 * field read from the page that the station takes away (null) is gone, and the change says so.
 */
function withGiven(
  record: ManifestMetadata | undefined,
  given: MetadataRecord,
  by: string,
  removed: string[],
): { metadata: ManifestMetadata; changed: string[] } {
  const before = record ? givenValues(record) : {};
  const { derived, extracted } = record ? filledValues(record) : { derived: {}, extracted: {} };
  const dropped = removed.filter((name) => extracted[name] !== undefined);
  const fields = {
    ...changedFields(before, given),
    ...Object.fromEntries(dropped.map((name) => [name, { from: extracted[name]!, to: null }])),
  };
  for (const name of dropped) delete extracted[name];
  const changes = [...(record?.changes ?? [])];
  if (Object.keys(fields).length) changes.push({ by, at: new Date().toISOString(), fields });
  const metadata = {
    ...mergeMetadata(given, derived, extracted),
    ...(record?.read ? { read: record.read } : {}),
    ...(changes.length ? { changes } : {}),
  };
  return { metadata, changed: Object.keys(fields) };
}

export interface CorrectionResult {
  metadata: ManifestMetadata;
  /** The fields this correction changed (none: the manifest was written again as it was). */
  changed: string[];
}

export async function correctMetadata(
  ctx: PipelineContext,
  dossierCode: string,
  correction: MetadataCorrection,
  by: string,
): Promise<CorrectionResult> {
  const result = await withLock(ctx.client, dossierLockKey(ctx, dossierCode), DOSSIER_LOCK, async (lease) => {
    const manifest = await readManifest(ctx.store, dossierCode);
    if (!manifest) throw new NotFoundError(`dossier ${dossierCode} is not in the object store`);
    // The files keep the signature they had: a correction re-signs what was signed.
    const packaging = repackaging(ctx, manifest);
    if (correction.documentNumber === undefined) {
      const before = manifest.metadata ? givenValues(manifest.metadata) : {};
      const { given } = corrected(before, correction.fields, 'dossier');
      const update = { given, by, replace: true };
      const written = await writeDossier(ctx, lease, packaging, manifest, manifest.documents, manifest.objects, update);
      return { metadata: written.metadata!, changed: Object.keys(changedFields(before, given)) };
    }
    const document = manifest.documents.find((d) => d.number === correction.documentNumber);
    if (!document) throw new NotFoundError(`document ${correction.documentNumber} of dossier ${dossierCode} is not in the object store`);
    const before = document.metadata ? givenValues(document.metadata) : {};
    const { given, removed } = corrected(before, correction.fields, 'document');
    const update = withGiven(document.metadata, given, by, removed);
    const changed: ManifestDocument = { ...document, metadata: update.metadata };
    const { documents, objects } = await rewriteDocumentPdf(ctx, manifest, document, changed, packaging);
    await writeDossier(ctx, lease, packaging, manifest, documents, objects);
    return update;
  });
  await queueReindex(ctx, dossierCode, correction.documentNumber ?? 0, `metadata-${Date.now()}`);
  ctx.log.info({ dossier: dossierCode, document: correction.documentNumber ?? null }, 'metadata corrected');
  return result;
}

/** The document's PDF/A made again from its own pages with the new XMP (and signed again if it was). */
async function rewriteDocumentPdf(
  ctx: PipelineContext,
  manifest: DossierManifest,
  document: ManifestDocument,
  changed: ManifestDocument,
  packaging: Parameters<typeof documentPdfMetadata>[0],
): Promise<{ documents: ManifestDocument[]; objects: DossierManifest['objects'] }> {
  let documentObject = manifest.objects.find((o) => o.key === document.pdfKey);
  if (document.pdfKey && documentObject) {
    const pdf = await mergePdfA(
      [{ pdf: await ctx.store.get(document.pdfKey), name: document.pdfKey }],
      documentPdfMetadata(packaging, changed),
      document.pdfaPart ?? ctx.options.pdfaPart,
    );
    documentObject = await storePdfA(ctx, pdf, {
      keyOf: documentPdfKeyOf(manifest.dossierCode, document.number),
      role: 'document-pdf',
      sign: documentObject.signature !== undefined,
    });
    changed.pdfKey = documentObject.key;
  }
  return {
    documents: manifest.documents.map((d) => (d === document ? changed : d)),
    objects: [...manifest.objects.filter((o) => o.key !== document.pdfKey), ...(documentObject && changed.pdfKey ? [documentObject] : [])],
  };
}

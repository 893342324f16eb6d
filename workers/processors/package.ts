/**
 * The package job: when every page of a document is done or failed, build the document's PDF/A (signed
 * by the agency when asked), then — holding the dossier's lease — join the documents' PDF/A files into
 * the whole-dossier PDF/A and write the manifest last. New files go under new keys; the files the
 * manifest stopped naming are deleted only after it is written.
 */
import fs from 'node:fs/promises';
import { type Job, UnrecoverableError } from 'bullmq';
import { SigningError } from '../../pipeline/errors.js';
import {
  changedFields,
  deriveDocumentMetadata,
  deriveDossierMetadata,
  givenValues,
  type MetadataRecord,
  mergeMetadata,
  metadataFromPage,
  readDecree30,
  type ScanFacts,
} from '../../pipeline/metadata/index.js';
import type { OcrPageResult } from '../../pipeline/ocr/index.js';
import { buildPdfA, mergePdfA, type PdfMetadata, type PdfPageInput } from '../../pipeline/pdfa/index.js';
import { signPdfA } from '../../pipeline/sign/index.js';
import {
  type DossierManifest,
  documentFileCode,
  documentPdfKey,
  documentPrefix,
  dossierPdfKey,
  getJson,
  inPdf,
  MANIFEST_VERSION,
  type ManifestDocument,
  type ManifestMetadata,
  type ManifestObject,
  type ManifestPage,
  type ObjectRole,
  type ObjectStore,
  putObject,
  readManifest,
  writeManifest,
} from '../../storage/objects/index.js';
import { dossierLockKey, type PipelineContext, PRODUCER, submissionsKey } from '../context.js';
import { pageOfJobKey } from '../flow.js';
import { type OcrJobResult, type PackageJobData, type PackageJobResult, packageResult } from '../jobs.js';
import { DOSSIER_LOCK, type Lease, withLock } from '../lock.js';
import { defaultTitle, readSubmissionRecord } from '../submit.js';

export function packageProcessor(ctx: PipelineContext) {
  return async (job: Job<PackageJobData>): Promise<PackageJobResult> => {
    const data = job.data;
    const done = await alreadyPackaged(ctx, data);
    if (done) return done;
    const record = await readSubmissionRecord(ctx, data.dossierCode, data.documentNumber);
    const results = byPage(await job.getChildrenValues<OcrJobResult>());
    const failures = byPage(await job.getIgnoredChildrenFailures());
    const carried = data.redo ? await carriedPages(ctx, data) : { pages: new Map<number, ManifestPage>(), objects: [] };
    const pages: ManifestPage[] = data.pages.map((ref) => {
      const done = results.get(ref.page);
      const source = { ...ref.source, fileName: record.names.get(ref.source.key) ?? ref.source.key };
      const base = { number: ref.page, source };
      if (!done) {
        const kept = carried.pages.get(ref.page);
        if (kept) return kept;
        // The stages' reasons name no file (they go to Redis): the manifest's do.
        const failure = failures.get(ref.page);
        const reason =
          record.refusals.get(ref.page) ??
          (failure === undefined ? 'page was not processed' : `${source.fileName} page ${source.index + 1}: ${failure}`);
        return { ...base, status: 'failed', error: reason };
      }
      return {
        ...base,
        status: 'done',
        dpi: done.dpi,
        width: done.archival.width,
        height: done.archival.height,
        colour: done.colour,
        ...done.analysis,
        ocrConfidence: done.confidence,
        archivalKey: done.archival.key,
        ocrResultKey: done.ocrResult.key,
      };
    });

    const objects: ManifestObject[] = record.originals.map((o) => ({
      key: o.key,
      role: 'original',
      sha256: o.sha256,
      size: o.size,
      mediaType: o.mediaType,
    }));
    objects.push(...carried.objects);
    for (const [page, r] of [...results].sort(([a], [b]) => a - b)) {
      objects.push(
        { ...r.archival, role: 'archival-image', page },
        { ...r.ocrImage, role: 'ocr-image', page },
        { ...r.ocrResult, role: 'ocr-result', page },
      );
    }
    const pdfPages = pages.filter(inPdf);
    const inputs = await loadPdfPages(ctx.store, pdfPages);
    const ocr = inputs.map((input) => input.ocr);
    const fromPage = metadataFromPage(
      readDecree30(ocr),
      ocr,
      pdfPages.map((p) => p.number),
    );
    const merged = mergeMetadata(
      record.metadata?.document ?? {},
      deriveDocumentMetadata({
        dossierCode: data.dossierCode,
        documentNumber: data.documentNumber,
        pages: pdfPages.length,
        signedOriginals: record.originals.map((o) => o.signed),
        text: ocr.map((page) => page?.text ?? '').join('\n'),
        scans: scansOf(pdfPages, new Set(record.originals.filter((o) => o.signed).map((o) => o.key))),
      }),
      fromPage.filled,
    );
    const metadata: ManifestMetadata = { ...merged, ...(Object.keys(fromPage.read).length ? { read: fromPage.read } : {}) };
    let pdfKey: string | undefined;
    if (pdfPages.length) {
      const described = documentPdfMetadata(data, {
        number: data.documentNumber,
        kind: data.kind,
        title: record.title,
        submittedAt: data.submittedAt,
        metadata,
      });
      const pdf = await buildPdfA(inputs, described, data.pdfaPart);
      const stored = await storePdfA(ctx, pdf, {
        keyOf: documentPdfKeyOf(data.dossierCode, data.documentNumber),
        role: 'document-pdf',
        sign: data.sign,
      });
      objects.push(stored);
      pdfKey = stored.key;
    }
    const document: ManifestDocument = {
      number: data.documentNumber,
      fileCode: documentFileCode(data.dossierCode, data.documentNumber),
      kind: data.kind,
      title: record.title,
      metadata,
      ...(record.component ? { component: record.component } : {}),
      submissionHash: data.submissionHash,
      submittedAt: data.submittedAt,
      submittedBy: data.submittedBy,
      completedAt: new Date().toISOString(),
      originals: record.originals.map(({ size: _size, mediaType: _mediaType, ...original }) => original),
      pages,
      pdfKey,
      pdfaPart: data.pdfaPart,
      ...(record.coverSheet ? { coverSheet: record.coverSheet } : {}),
      ...(carried.redone ? { redone: carried.redone } : {}),
    };
    const manifest = await withLock(ctx.client, dossierLockKey(ctx, data.dossierCode), DOSSIER_LOCK, async (lease) => {
      const update = { given: record.metadata?.dossier ?? {}, by: data.submittedBy };
      const written = await recordDocument(ctx, lease, data, document, objects, update);
      // The manifest now holds this number: its reservation is no longer needed.
      await ctx.client.hdel(submissionsKey(ctx, data.dossierCode), data.submissionHash);
      return written;
    });
    return packageResult(manifest, document);
  };
}

/**
 * A package job run again after it wrote its manifest (its worker died before the job was marked
 * done, or its lock lapsed) finds its document there: packaging it again would undo what came
 * after — a metadata correction, a withdrawal — so it answers from the manifest instead.
 */
async function alreadyPackaged(ctx: PipelineContext, data: PackageJobData): Promise<PackageJobResult | undefined> {
  const manifest = await readManifest(ctx.store, data.dossierCode);
  const document = manifest?.documents.find((d) => d.number === data.documentNumber && d.submissionHash === data.submissionHash);
  if (!manifest || !document) return undefined;
  if (data.redo && !document.redone?.some((r) => r.at === data.redo!.at)) return undefined;
  await ctx.client.hdel(submissionsKey(ctx, data.dossierCode), data.submissionHash);
  ctx.log.info(
    { dossier: data.dossierCode, document: data.documentNumber },
    'package job ran again: its document is in the manifest already',
  );
  return packageResult(manifest, document);
}

/** A redo's done pages, as the manifest has them, with their objects and the document's redo history. */
async function carriedPages(
  ctx: PipelineContext,
  data: PackageJobData,
): Promise<{ pages: Map<number, ManifestPage>; objects: ManifestObject[]; redone?: ManifestDocument['redone'] }> {
  const manifest = await readManifest(ctx.store, data.dossierCode);
  const previous = manifest?.documents.find((d) => d.number === data.documentNumber);
  const done = (previous?.pages ?? []).filter((p) => p.status === 'done');
  const pageObjects = new Set<ObjectRole>(['archival-image', 'ocr-image', 'ocr-result']);
  const prefix = documentPrefix(data.dossierCode, data.documentNumber);
  const numbers = new Set(done.map((p) => p.number));
  return {
    pages: new Map(done.map((p) => [p.number, p])),
    objects: (manifest?.objects ?? []).filter(
      (o) => pageObjects.has(o.role) && o.key.startsWith(prefix) && o.page !== undefined && numbers.has(o.page),
    ),
    redone: [...(previous?.redone ?? []), data.redo!],
  };
}

function byPage<T>(values: Record<string, T>): Map<number, T> {
  const map = new Map<number, T>();
  for (const [key, value] of Object.entries(values)) {
    const page = pageOfJobKey(key);
    if (page !== undefined) map.set(page, value);
  }
  return map;
}

async function loadPdfPages(store: ObjectStore, pages: ManifestPage[]): Promise<PdfPageInput[]> {
  return Promise.all(
    pages.map(async (p) => {
      const [image, ocr] = await Promise.all([store.get(p.archivalKey!), getJson<OcrPageResult>(store, p.ocrResultKey!)]);
      return {
        image,
        format: p.archivalKey!.endsWith('.jpg') ? 'jpeg' : 'png',
        width: p.width!,
        height: p.height!,
        dpi: p.dpi!,
        ocr,
      } satisfies PdfPageInput;
    }),
  );
}

/** Adds or replaces the document in the manifest, rebuilds the whole-dossier PDF/A, writes the manifest last. */
async function recordDocument(
  ctx: PipelineContext,
  lease: Lease,
  data: PackageJobData,
  document: ManifestDocument,
  documentObjects: ManifestObject[],
  metadata: DossierMetadataUpdate,
): Promise<DossierManifest> {
  const previous = await readManifest(ctx.store, data.dossierCode);
  const documents = [...(previous?.documents ?? []).filter((d) => d.number !== document.number), document];
  const ownPrefix = documentPrefix(data.dossierCode, data.documentNumber);
  const previousPdf = previous?.documents.find((d) => d.number === document.number)?.pdfKey;
  const objects = (previous?.objects ?? []).filter((o) => !o.key.startsWith(ownPrefix) && o.key !== previousPdf);
  const manifest = await writeDossier(ctx, lease, data, previous, documents, [...objects, ...documentObjects], metadata);
  ctx.log.info({ dossier: data.dossierCode, document: data.documentNumber, pages: document.pages.length }, 'manifest written');
  return manifest;
}

/** How the dossier's own PDF/A is made: the latest document's packaging choices. */
export type DossierPackaging = Pick<PackageJobData, 'dossierCode' | 'agencyCode' | 'procedureCode' | 'pdfaPart' | 'sign' | 'resign'>;

/**
 * Joins the PDF/A files of the dossier's documents that are not withdrawn into the whole-dossier
 * PDF/A (their pages copied, not built again: the work grows with the documents' bytes, not with
 * their pages' pixels), writes the manifest — last, if the lease still holds — and then deletes
 * the PDFs it no longer names. Call holding the dossier's lease. `objects` are every object the
 * manifest lists but the dossier PDF/A; a stack file two documents share is listed once.
 */
export async function writeDossier(
  ctx: PipelineContext,
  lease: Lease,
  packaging: DossierPackaging,
  previous: DossierManifest | undefined,
  documents: ManifestDocument[],
  objects: ManifestObject[],
  update?: DossierMetadataUpdate,
): Promise<DossierManifest> {
  const listed = new Map(objects.filter((o) => o.role !== 'dossier-pdf').map((o) => [o.key, o]));
  const sorted = [...documents].sort((a, b) => a.number - b.number);
  const shown = sorted.filter((d) => !d.withdrawn && d.pdfKey);
  const procedureCode = packaging.procedureCode ?? previous?.procedureCode;
  const described = dossierMetadata(packaging.dossierCode, previous, shown, update);
  let pdfKey: string | undefined;
  if (shown.length) {
    const title = typeof described.values.title === 'string' ? described.values.title : `Hồ sơ ${packaging.dossierCode}`;
    const metadata = {
      title,
      identifier: packaging.dossierCode,
      procedureCode,
      created: new Date(),
      archival: { level: 'dossier' as const, values: described.values },
    };
    const sources = await Promise.all(shown.map(async (d) => ({ pdf: await ctx.store.get(d.pdfKey!), name: d.pdfKey! })));
    const pdf = await mergePdfA(sources, pdfMetadata(packaging, metadata), packaging.pdfaPart);
    // Once the agency has signed a file of the dossier, a later document keeps the dossier's file
    // signed — when its submitter is one an admin allows to have files signed; no one else's pages
    // get the signature.
    const signedBefore = previous?.objects.some((o) => (o.role === 'dossier-pdf' || o.role === 'document-pdf') && o.signature) ?? false;
    const keyOf = (hash: string) => dossierPdfKey(packaging.dossierCode, hash);
    const stored = await storePdfA(ctx, pdf, { keyOf, role: 'dossier-pdf', sign: packaging.sign || (signedBefore && packaging.resign) });
    listed.set(stored.key, stored);
    pdfKey = stored.key;
  }
  const manifest: DossierManifest = {
    version: MANIFEST_VERSION,
    dossierCode: packaging.dossierCode,
    agencyCode: packaging.agencyCode,
    procedureCode,
    updatedAt: new Date().toISOString(),
    metadata: described,
    documents: sorted,
    pdfKey,
    objects: [...listed.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
  await lease.confirm();
  await writeManifest(ctx.store, manifest);
  await deleteSupersededPdfs(ctx, previous, manifest);
  return manifest;
}

/**
 * How a dossier is packaged again when nothing new is scanned (a withdrawal, a metadata
 * correction): as the installation packages, and the dossier's signature, if it had one, kept.
 */
export function repackaging(ctx: PipelineContext, manifest: DossierManifest): DossierPackaging {
  return {
    dossierCode: manifest.dossierCode,
    agencyCode: manifest.agencyCode,
    procedureCode: manifest.procedureCode,
    pdfaPart: ctx.options.pdfaPart,
    sign: false,
    resign: true,
  };
}

/** Dossier-level fields a submission gives, and who gave them. */
export interface DossierMetadataUpdate {
  given: MetadataRecord;
  by: string;
  /** The given values replace the dossier's (a correction); otherwise they are laid over them (an upload). */
  replace?: boolean;
}

/**
 * The dossier's Circular 05/2025 fields: what stations gave (a later submission's value replaces an
 * earlier one, and the change is recorded), over what the documents in its PDF/A tell.
 */
function dossierMetadata(
  dossierCode: string,
  previous: DossierManifest | undefined,
  documents: ManifestDocument[],
  update: DossierMetadataUpdate | undefined,
): ManifestMetadata {
  const before = previous?.metadata ? givenValues(previous.metadata) : {};
  const given = update?.replace ? update.given : { ...before, ...(update?.given ?? {}) };
  const fields = changedFields(before, given);
  const changes = [...(previous?.metadata?.changes ?? [])];
  if (previous && update && Object.keys(fields).length) changes.push({ by: update.by, at: new Date().toISOString(), fields });
  const signed = new Set(documents.flatMap((d) => d.originals.filter((o) => o.signed).map((o) => o.key)));
  const derived = deriveDossierMetadata(
    dossierCode,
    documents.map((d) => d.metadata?.values ?? {}),
    scansOf(
      documents.flatMap((d) => d.pages.filter(inPdf)),
      signed,
    ),
  );
  return { ...mergeMetadata(given, derived), ...(changes.length ? { changes } : {}) };
}

/** The pages that are scans of paper: done, and not from a signed (born-digital) PDF. */
function scansOf(pages: ManifestPage[], signedOriginals: Set<string>): ScanFacts[] {
  return pages.flatMap((p) =>
    p.status === 'done' && p.width && p.height && p.dpi && p.colour && !signedOriginals.has(p.source.key)
      ? [{ width: p.width, height: p.height, dpi: p.dpi, colour: p.colour }]
      : [],
  );
}

/** PDFs the previous manifest named and this one does not: a crash before this leaves them to `sohoa store orphans`. */
async function deleteSupersededPdfs(ctx: PipelineContext, previous: DossierManifest | undefined, manifest: DossierManifest): Promise<void> {
  const kept = new Set(manifest.objects.map((o) => o.key));
  for (const o of previous?.objects ?? []) {
    if ((o.role === 'document-pdf' || o.role === 'dossier-pdf') && !kept.has(o.key)) await ctx.store.delete(o.key);
  }
}

/** The XMP of a document's PDF/A: its title, file code, codes, submission time and Circular 05 fields. */
export function documentPdfMetadata(
  packaging: Pick<DossierPackaging, 'dossierCode' | 'agencyCode' | 'procedureCode'>,
  document: Pick<ManifestDocument, 'number' | 'kind' | 'title' | 'submittedAt' | 'metadata'>,
): PdfMetadata {
  return pdfMetadata(packaging, {
    title: document.title ?? defaultTitle(packaging.dossierCode, document.kind, documentFileCode(packaging.dossierCode, document.number)),
    identifier: documentFileCode(packaging.dossierCode, document.number),
    procedureCode: packaging.procedureCode,
    documentKind: document.kind,
    created: new Date(document.submittedAt),
    ...(document.metadata ? { archival: { level: 'document' as const, values: document.metadata.values } } : {}),
  });
}

/** Content-addressed keys of a document's PDF/A. */
export function documentPdfKeyOf(dossierCode: string, documentNumber: number): (sha256: string) => string {
  return (hash) => documentPdfKey(dossierCode, documentNumber, hash);
}

function pdfMetadata(
  packaging: Pick<DossierPackaging, 'dossierCode' | 'agencyCode'>,
  metadata: Pick<PdfMetadata, 'title' | 'identifier' | 'procedureCode' | 'documentKind' | 'created' | 'archival'>,
): PdfMetadata {
  const language = metadata.archival?.values.language;
  return {
    ...metadata,
    dossierCode: packaging.dossierCode,
    agencyCode: packaging.agencyCode,
    producer: PRODUCER,
    ...(Array.isArray(language) ? { languages: language } : {}),
  };
}

/**
 * Stores a finished PDF/A under the key its content names, signed first with the agency
 * certificate when the submission asked for it (PDF/A before signature, as Circular 05/2025/TT-BNV
 * requires); its manifest entry records who signed and when.
 */
export async function storePdfA(
  ctx: PipelineContext,
  pdf: Buffer,
  target: { keyOf: (sha256: string) => string; role: ObjectRole; sign: boolean },
): Promise<ManifestObject> {
  const put = async (bytes: Buffer) => putObject(ctx.store, target.keyOf, bytes, 'application/pdf');
  if (!target.sign) return { ...(await put(pdf)), role: target.role };
  const { pdf: signed, signer, agencyName, signedAt } = await signWithAgencyCertificate(ctx, pdf);
  return { ...(await put(signed)), role: target.role, signature: { signer, agencyName, signedAt } };
}

/** A certificate problem will not mend on a retry: the job fails at once with the reason. */
async function signWithAgencyCertificate(ctx: PipelineContext, pdf: Buffer): ReturnType<typeof signPdfA> {
  const certificate = ctx.options.sign;
  try {
    if (!certificate) throw new SigningError('signing was asked for, but this worker has no agency certificate (SOHOA_SIGN_P12)');
    const p12 = await fs.readFile(certificate.p12Path);
    return await signPdfA(pdf, { p12, password: certificate.password, agencyName: certificate.agencyName });
  } catch (err) {
    if (err instanceof SigningError) throw new UnrecoverableError(err.message);
    throw err;
  }
}

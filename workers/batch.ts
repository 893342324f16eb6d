/**
 * A scanned stack of several documents: every page whose QR code is one of Sohoa's cover sheets
 * starts a document of the dossier it names, and the pages up to the next sheet belong to it. The
 * stack's files are kept once, byte-for-byte, under the batch (`batches/<id>/originals/`); each
 * document's manifest names the pages it took, its sheet among them. Sheets never reach the PDF/A.
 */

import { mapLimit } from '../pipeline/concurrency.js';
import { findCoverSheet } from '../pipeline/coversheet/index.js';
import { InputFileError, NotFoundError, UsageError } from '../pipeline/errors.js';
import { extractPage } from '../pipeline/input/index.js';
import {
  batchOriginalKey,
  batchRecordKey,
  type DocumentKind,
  getJson,
  putJson,
  readManifest,
  type SourceRef,
  sha256,
} from '../storage/objects/index.js';
import type { PipelineContext } from './context.js';
import { documentState } from './progress.js';
import {
  type DocumentTarget,
  type FileInspection,
  idempotencyHash,
  inspectFiles,
  queueDocument,
  type ResolvedTarget,
  resolveTarget,
  type Submission,
  storeOriginals,
} from './submit.js';
import type { SubmittedFile } from './submitted-file.js';

export interface BatchRequest {
  files: SubmittedFile[];
  submittedBy: string;
  /** Where the pages before the first cover sheet go; without it, a stack must start with one. */
  fallback?: DocumentTarget;
  /** Packaging every document of the batch gets. */
  pdfaPart?: DocumentTarget['pdfaPart'];
  sign?: boolean;
  /** The submitter is one an admin allows to have files signed. */
  maySign?: boolean;
  /** A retried upload with the same key never makes a second batch, whatever its bytes. */
  idempotencyKey?: string;
  /** Throws when the submitter may not file under a dossier a sheet names (a station of another agency). */
  mayFile?: (dossierCode: string) => void;
}

/** Where a cover sheet was found, and what it says. */
export interface FoundSheet {
  file: string;
  /** 1-based page within the file. */
  page: number;
  dossierCode: string;
  kind: DocumentKind;
  procedureCode?: string;
  /** No page followed the sheet before the next one (or the end): it made no document. */
  empty: boolean;
}

export interface BatchSubmission {
  batchId: string;
  documents: Submission[];
  sheets: FoundSheet[];
  /** The same stack (or idempotency key) was submitted before: nothing was queued. */
  alreadySubmitted: boolean;
}

/** A page of the stack: file and 0-based page, and the sheet on it, if any. */
interface StackPage {
  file: number;
  index: number;
  /** Why its file is no scan. */
  refused?: InputFileError;
  sheet?: { dossierCode: string; kind: DocumentKind; procedureCode?: string };
}

/** The pages of one document, and the sheet that started it (none for pages before the first sheet). */
interface Group {
  target: ResolvedTarget;
  sheet?: StackPage;
  pages: StackPage[];
}

/** Pages read for cover sheets at once: each holds a decoded page. */
const SHEET_READERS = 2;

export async function submitBatch(ctx: PipelineContext, request: BatchRequest): Promise<BatchSubmission> {
  if (request.files.length === 0) throw new UsageError('no files to digitize');
  const hashes = request.files.map((f) => f.sha256);
  const batchId = (request.idempotencyKey ? idempotencyHash(request.idempotencyKey) : sha256(`batch\n${hashes.join('\n')}`)).slice(0, 32);
  const recorded = await readBatchRecord(ctx, batchId);
  // The same stack again after one of its documents failed for good goes through again: the
  // documents in their manifests answer "already digitized", the failed one takes its number back.
  // Other bytes under the same idempotency key never replace the stored ones.
  const again = recorded && sameFiles(recorded, hashes) && (await unfinishedDocuments(ctx, recorded)) > 0;
  if (recorded && !again) {
    const { batchId: id, sheets, documents } = recorded;
    return { batchId: id, sheets, alreadySubmitted: true, documents: documents.map((d) => ({ ...d, alreadyDigitized: true })) };
  }

  const inspections = await inspectFiles(request.files, ctx.options.maxPages);
  // Nothing in it is a scan: refused before anything is stored, with the first file's reason.
  const refused = inspections.filter((i) => i instanceof InputFileError);
  if (refused.length === inspections.length) throw refused[0];
  const stack = await readStack(request.files, inspections);
  const groups = splitStack(ctx, request, stack);
  const originals = await storeOriginals(ctx, request.files, (i, name) => batchOriginalKey(batchId, i, name), inspections);
  const ref = (p: StackPage): SourceRef => ({ key: originals[p.file]!.key, fileName: originals[p.file]!.fileName, index: p.index });
  const documents: Submission[] = [];
  for (const [n, group] of groups.entries()) {
    if (group.pages.length === 0) continue;
    const taken = [...(group.sheet ? [group.sheet] : []), ...group.pages];
    const files = [...new Set(taken.map((p) => p.file))];
    documents.push(
      await queueDocument(ctx, {
        target: group.target,
        submittedBy: request.submittedBy,
        submissionHash: sha256(`${batchId}\n${n}`),
        ...(group.sheet ? { coverSheet: ref(group.sheet) } : {}),
        originals: async () =>
          files.map((file) => {
            const original = originals[file]!;
            // A file that is no scanned page has no pages to name: it is one failed page of the document.
            if (original.error !== undefined) return { original };
            const pages = taken.filter((p) => p.file === file).map((p) => p.index);
            return pages.length === original.pageCount ? { original } : { original, pages };
          }),
      }),
    );
  }
  const sheets = groups.flatMap((g) => (g.sheet ? [foundSheet(request.files, g.sheet, g.pages.length === 0)] : []));
  const submission = { batchId, documents, sheets, alreadySubmitted: false };
  await putJson(ctx.store, batchRecordKey(batchId), {
    batchId,
    submittedBy: request.submittedBy,
    submittedAt: new Date().toISOString(),
    files: originals.map(({ key, fileName, sha256, size, pageCount }) => ({ key, fileName, sha256, size, pageCount })),
    sheets,
    documents: documents.map(({ pages: _pages, rejected: _rejected, alreadyDigitized: _again, ...d }) => d),
  });
  ctx.log.info({ batch: batchId, documents: documents.length, sheets: sheets.length }, 'batch submitted');
  return submission;
}

/** Every page of every file, with the cover sheet on it. A file or page that cannot be read is a page like any other: it fails in its document. */
async function readStack(files: SubmittedFile[], inspections: FileInspection[]): Promise<StackPage[]> {
  const pages: StackPage[] = [];
  // File by file: one file's bytes in memory at a time.
  for (const [file, inspection] of inspections.entries()) {
    if (inspection instanceof InputFileError) {
      pages.push({ file, index: 0, refused: inspection });
      continue;
    }
    const own: StackPage[] = Array.from({ length: inspection.pageCount }, (_, index) => ({ file, index }));
    pages.push(...own);
    const { name } = files[file]!;
    const bytes = await files[file]!.read();
    await mapLimit(own, SHEET_READERS, async (page) => {
      try {
        const sheet = await findCoverSheet((await extractPage(name, bytes, page.index)).image);
        if (sheet) page.sheet = sheet;
      } catch (err) {
        if (!(err instanceof InputFileError)) throw err;
      }
    });
  }
  return pages;
}

/** The stack's documents, each sheet's codes checked before anything is stored or queued. */
function splitStack(ctx: PipelineContext, request: BatchRequest, stack: StackPage[]): Group[] {
  const packaging = {
    ...(request.pdfaPart ? { pdfaPart: request.pdfaPart } : {}),
    ...(request.sign !== undefined ? { sign: request.sign } : {}),
    ...(request.maySign !== undefined ? { maySign: request.maySign } : {}),
  };
  const groups: Group[] = [];
  const where = (p: StackPage) => `${request.files[p.file]!.name} page ${p.index + 1}`;
  for (const page of stack) {
    if (page.sheet) {
      let target: ResolvedTarget;
      try {
        target = resolveTarget(ctx, { ...page.sheet, ...packaging });
      } catch (err) {
        throw new InputFileError(where(page), `cover sheet: ${(err as Error).message}`);
      }
      request.mayFile?.(target.dossierCode);
      groups.push({ target, sheet: page, pages: [] });
      continue;
    }
    if (groups.length === 0) {
      if (!request.fallback) {
        // A file that is no scan says so, rather than that it is no cover sheet.
        if (page.refused) throw page.refused;
        throw new InputFileError(
          where(page),
          'the stack does not start with a cover sheet: put one before this page, or name the dossier the pages belong to',
        );
      }
      const target = resolveTarget(ctx, { ...request.fallback, ...packaging });
      request.mayFile?.(target.dossierCode);
      groups.push({ target, pages: [] });
    }
    groups.at(-1)!.pages.push(page);
  }
  return groups;
}

function foundSheet(files: SubmittedFile[], page: StackPage, empty: boolean): FoundSheet {
  const { dossierCode, kind, procedureCode } = page.sheet!;
  return { file: files[page.file]!.name, page: page.index + 1, dossierCode, kind, ...(procedureCode ? { procedureCode } : {}), empty };
}

interface BatchRecord extends Omit<BatchSubmission, 'alreadySubmitted'> {
  files: { sha256: string }[];
}

async function readBatchRecord(ctx: PipelineContext, batchId: string): Promise<BatchRecord | undefined> {
  try {
    const record = await getJson<BatchRecord>(ctx.store, batchRecordKey(batchId));
    return { ...record, documents: record.documents.map((d) => ({ ...d, pages: [], rejected: [] })) };
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}

function sameFiles(record: BatchRecord, hashes: string[]): boolean {
  return record.files.length === hashes.length && record.files.every((f, i) => f.sha256 === hashes[i]);
}

/** Documents of the batch that are not in their dossier's manifest and that no flow is working on any more. */
async function unfinishedDocuments(ctx: PipelineContext, record: BatchRecord): Promise<number> {
  let unfinished = 0;
  for (const d of record.documents) {
    const stored = (await readManifest(ctx.store, d.dossierCode))?.documents.some((m) => m.number === d.documentNumber);
    const { state } = await documentState(ctx, d.dossierCode, d.documentNumber);
    if (!stored && (state === 'failed' || state === 'unknown' || state === 'completed')) unfinished++;
  }
  return unfinished;
}

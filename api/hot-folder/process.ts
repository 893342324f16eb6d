/**
 * One file of the hot folder through the pipeline: submitted as a stack (`submitBatch`), then
 * followed until every document it made is in its dossier's manifest. Submission is idempotent by
 * content: a file submitted before a crash, found again, makes no second document — it is only
 * waited for. What becomes of the file (done, or failed and why) is read from the manifests.
 */
import path from 'node:path';
import {
  AccessDeniedError,
  ConflictError,
  InputFileError,
  InvalidCodeError,
  SohoaError,
  TooLargeError,
  UsageError,
} from '../../pipeline/errors.js';
import { type ManifestDocument, parseDossierCode, readManifest } from '../../storage/objects/index.js';
import {
  type BatchSubmission,
  documentState,
  fileInMemory,
  type PipelineContext,
  type Submission,
  submitBatch,
  waitForDocument,
} from '../../workers/index.js';
import { abortable, sleep } from './abort.js';
import type { HotFile } from './scan.js';

/** The file itself is the trouble (not a scan, no cover sheet, a bad folder name…): it goes to failed/ with `reason`. */
export class FileRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface FailedPage {
  fileCode: string;
  /** 1-based page within the file. */
  page: number;
  reason: string;
}

export type Outcome = { status: 'done'; fileCodes: string[]; failedPages: FailedPage[] } | { status: 'failed'; reason: string };

/** Errors that say the file (or its cover sheets) cannot be taken, as opposed to a service being away. */
const REFUSALS = [InputFileError, UsageError, InvalidCodeError, TooLargeError, AccessDeniedError, ConflictError];

function refusal(err: unknown): FileRefused | undefined {
  if (err instanceof FileRefused) return err;
  if (err instanceof SohoaError && REFUSALS.some((kind) => err instanceof kind)) return new FileRefused(err.message);
  return undefined;
}

/** The dossier a file in `folder` goes to; FileRefused when the folder's name is no dossier code. */
export function folderDossier(folder: string): string {
  try {
    return parseDossierCode(folder).code;
  } catch (err) {
    throw new FileRefused(`the folder "${folder}" is not named by a dossier code: ${(err as Error).message}`);
  }
}

/**
 * Submits the file's bytes: a file directly in the hot folder is a stack that must start with a
 * cover sheet; one in a dossier's subfolder goes to that dossier (cover sheets inside still split
 * it). FileRefused when the file cannot be taken.
 */
export async function submitHotFile(ctx: PipelineContext, dir: string, file: HotFile, bytes: Buffer): Promise<BatchSubmission> {
  try {
    const dossierCode = file.folder === undefined ? undefined : folderDossier(file.folder);
    return await submitBatch(ctx, {
      files: [fileInMemory(file.name, bytes)],
      submittedBy: `watch:${path.basename(dir)}`,
      // The hot folder is the operator's own; it asks for no signature, and keeps a dossier's.
      maySign: true,
      ...(dossierCode ? { fallback: { dossierCode, kind: 'component' as const } } : {}),
    });
  } catch (err) {
    throw refusal(err) ?? err;
  }
}

/** Waits until every document of the submission is stored, and says what became of the file. */
export async function awaitOutcome(ctx: PipelineContext, submission: BatchSubmission, signal?: AbortSignal): Promise<Outcome> {
  if (submission.documents.length === 0)
    return { status: 'failed', reason: 'the stack holds cover sheets only, with no page after any of them: nothing to digitize' };
  const documents: ManifestDocument[] = [];
  try {
    for (const document of submission.documents) documents.push(await storedDocument(ctx, document, signal));
  } catch (err) {
    const refused = refusal(err);
    if (refused && !signal?.aborted) return { status: 'failed', reason: refused.reason };
    throw err;
  }
  const failedPages = documents.flatMap((d) =>
    d.pages
      .filter((p) => p.status === 'failed')
      .map((p) => ({ fileCode: d.fileCode, page: p.source.index + 1, reason: withoutFileName(p.error ?? 'failed', p.source.fileName) })),
  );
  const pageCount = documents.reduce((n, d) => n + d.pages.length, 0);
  if (failedPages.length === pageCount) {
    const lines = failedPages.map((f) => `page ${f.page}: ${f.reason}`);
    return { status: 'failed', reason: `no page could be digitized:\n${lines.join('\n')}` };
  }
  return { status: 'done', fileCodes: documents.map((d) => d.fileCode), failedPages };
}

/** Page reasons name the file; the note sits beside it. */
function withoutFileName(reason: string, fileName: string): string {
  return reason.startsWith(`${fileName}:`) ? reason.slice(fileName.length + 1).trim() : reason;
}

/**
 * The document as its manifest holds it, once packaged. A document whose packaging failed, or
 * that is neither queued nor stored (its queue lost), is refused with the reason.
 */
async function storedDocument(ctx: PipelineContext, document: Submission, signal?: AbortSignal): Promise<ManifestDocument> {
  const { dossierCode, documentNumber, fileCode } = document;
  for (let unknown = 0; ; ) {
    const stored = (await readManifest(ctx.store, dossierCode))?.documents.find((d) => d.number === documentNumber);
    if (stored) return stored;
    const { state } = await documentState(ctx, dossierCode, documentNumber);
    if (state === 'unknown') {
      // Asked twice, a moment apart: the package job may just have been replaced.
      if (++unknown >= 2) throw new FileRefused(`${fileCode} was submitted but is neither being processed nor stored`);
      await sleep(1000, signal);
      signal?.throwIfAborted();
      continue;
    }
    try {
      await abortable(waitForDocument(ctx, document, { waitForIndex: false }), signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      if ((await documentState(ctx, dossierCode, documentNumber)).state === 'failed') throw new FileRefused((err as Error).message);
      throw err;
    }
  }
}

/**
 * Reading an upload: the multipart files and fields of a station's request, counted as they
 * arrive, and the answer that tells it what became of each document.
 */
import path from 'node:path';
import type { FastifyRequest } from 'fastify';
import { AccessDeniedError, TooLargeError, UsageError } from '../../pipeline/errors.js';
import type { PdfaPart } from '../../pipeline/pdfa/index.js';
import type { DocumentKind } from '../../storage/objects/index.js';
import type { Submission, SubmittedFile } from '../../workers/index.js';
import type { SubmissionBody } from './schemas.js';

/** The most one upload request may carry, all its files together. */
const UPLOAD_LIMIT = 1 << 30;

export interface Upload {
  files: SubmittedFile[];
  fields: Record<string, string>;
}

export async function readUpload(request: FastifyRequest): Promise<Upload> {
  const files: SubmittedFile[] = [];
  const fields: Record<string, string> = {};
  let total = 0;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      total += bytes.length;
      // Counted as the parts arrive: a batch too big is refused before the rest is read.
      if (total > UPLOAD_LIMIT)
        throw new TooLargeError(`an upload may hold at most ${UPLOAD_LIMIT >> 20} MiB; send the dossier in several documents`);
      files.push({ name: path.basename(part.filename || `file-${files.length + 1}`), bytes });
    } else fields[part.fieldname] = String(part.value);
  }
  return { files, fields };
}

/** The packaging fields an upload may carry, checked. */
export function uploadOptions(fields: Record<string, string>): { kind: DocumentKind; pdfaPart?: PdfaPart; sign: boolean } {
  const kind = fields.kind ?? 'component';
  if (kind !== 'component' && kind !== 'result') throw new UsageError('kind must be component or result');
  const pdfa = fields.pdfa;
  if (pdfa !== undefined && pdfa !== '2b' && pdfa !== '1b') throw new UsageError('pdfa must be 2b or 1b');
  if (fields.sign !== undefined && fields.sign !== 'true' && fields.sign !== 'false') throw new UsageError('sign must be true or false');
  return { kind, pdfaPart: pdfa, sign: fields.sign === 'true' };
}

/** A station files under its own agency only. */
export function assertStationAgency(principal: { role: string; agency?: string | null }, agency: string | undefined): void {
  if (principal.role === 'station' && agency !== undefined && agency !== principal.agency) {
    throw new AccessDeniedError(`station of ${principal.agency} may not file a document under agency ${agency}`);
  }
}

/** The `Idempotency-Key` header: a retried upload carrying it never makes a second document. */
export function idempotencyKey(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key.length < 8 || key.length > 200) throw new UsageError('Idempotency-Key must be 8 to 200 characters');
  return key;
}

export function submissionBody(submission: Submission): SubmissionBody {
  const { dossierCode, documentNumber } = submission;
  return {
    dossierCode,
    documentNumber,
    fileCode: submission.fileCode,
    kind: submission.kind,
    pages: submission.pages.length,
    rejected: submission.rejected.map((r) => ({ file: r.fileName, page: r.page, reason: r.reason })),
    alreadyDigitized: submission.alreadyDigitized,
    progressUrl: `/api/dossiers/${dossierCode}/documents/${documentNumber}/progress`,
  };
}

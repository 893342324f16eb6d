/**
 * Reading an upload: the multipart files and fields of a station's request, checked and counted as
 * they arrive, and the answer that tells it what became of each document.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AccessDeniedError, TooLargeError, UsageError } from '../../pipeline/errors.js';
import { type ArchivalMetadata, parseArchivalMetadata } from '../../pipeline/metadata/index.js';
import type { PdfaPart } from '../../pipeline/pdfa/index.js';
import type { DocumentKind } from '../../storage/objects/index.js';
import type { Submission, SubmittedFile } from '../../workers/index.js';
import type { Config, UploadLimits } from '../config.js';
import type { SubmissionBody } from './schemas.js';

export interface Upload {
  files: SubmittedFile[];
  fields: Record<string, string>;
}

const MiB = 2 ** 20;

/**
 * Reads a request's parts as they arrive: each field is checked when it comes (a bad kind is
 * refused before any file is read), each file is spooled to a temporary folder, hashed and counted
 * on the way, and a file or request over its limit is refused at the byte that crosses it. `use`
 * gets the spooled files, which are removed when it ends: the upload never sits in memory whole.
 * The spool is under the data directory, not /tmp (often a RAM disk). The per-file and
 * file-count limits are busboy's, set where multipart is registered (server.ts).
 */
export async function withUpload<T>(
  request: FastifyRequest,
  config: Pick<Config, 'uploadLimits' | 'dataDir'>,
  use: (upload: Upload) => Promise<T>,
): Promise<T> {
  const spool = path.join(config.dataDir, 'spool');
  await fs.mkdir(spool, { recursive: true });
  const dir = await fs.mkdtemp(path.join(spool, 'upload-'));
  const limits = config.uploadLimits;
  try {
    return await use(await spoolUpload(request, limits, dir));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function spoolUpload(request: FastifyRequest, limits: UploadLimits, dir: string): Promise<Upload> {
  const files: SubmittedFile[] = [];
  const fields: Record<string, string> = {};
  let total = 0;
  let current = '';
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') {
        fields[part.fieldname] = checkField(part.fieldname, String(part.value));
        continue;
      }
      const name = path.basename(part.filename || `file-${files.length + 1}`);
      const spooled = path.join(dir, String(files.length));
      const hash = createHash('sha256');
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          size += chunk.length;
          total += chunk.length;
          if (total > limits.totalBytes) {
            return done(
              new TooLargeError(`${name}: the upload is over ${limits.totalBytes / MiB} MiB (SOHOA_MAX_UPLOAD_MB); send it as several`),
            );
          }
          hash.update(chunk);
          done(null, chunk);
        },
      });
      current = name;
      await pipeline(part.file, count, createWriteStream(spooled));
      files.push({ name, size, sha256: hash.digest('hex'), read: () => fs.readFile(spooled), path: spooled });
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new TooLargeError(`${current}: a file may hold at most ${limits.fileBytes / MiB} MiB (SOHOA_MAX_FILE_MB)`);
    if (code === 'FST_FILES_LIMIT')
      throw new TooLargeError(`an upload may hold at most ${limits.files} files (SOHOA_MAX_FILES); send it as several`);
    throw err;
  }
  return { files, fields };
}

/** Fields an upload may carry; their values are checked by uploadOptions and the submission. */
const FIELDS = new Set(['kind', 'pdfa', 'sign', 'agency', 'procedure', 'component', 'title', 'metadata', 'dossier']);

/** A field is checked as it arrives, before the files after it are read. */
function checkField(name: string, value: string): string {
  if (!FIELDS.has(name)) throw new UsageError(`unknown field "${name.slice(0, 40)}" (expected ${[...FIELDS].join(', ')})`);
  if (name === 'metadata') metadataField(value);
  else uploadOptions({ [name]: value });
  return value;
}

/** The `metadata` field: a JSON object `{ "dossier": {…}, "document": {…} }` of Circular 05/2025 fields, checked. */
export function metadataField(value: string): ArchivalMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new UsageError(`metadata is not valid JSON: ${(err as Error).message}`);
  }
  return parseArchivalMetadata(parsed, 'metadata');
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

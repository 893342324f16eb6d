/**
 * The error catalogue. Each class carries a stable code (API responses, logs), the process exit
 * code the CLI ends with and the HTTP status the API answers with, in the manner of OCRmyPDF's
 * exceptions.py: the CLI and the HTTP error handler read them from the class, never from a table.
 * Exit codes follow sysexits.h where one fits.
 */
export abstract class SohoaError extends Error {
  abstract readonly code: string;
  readonly exitCode: number = 1;
  readonly httpStatus: number = 500;
  override get name(): string {
    return this.constructor.name;
  }
}

/** A configuration value is missing or malformed. */
export class ConfigError extends SohoaError {
  readonly code = 'CONFIG_INVALID';
  override readonly exitCode = 78; // EX_CONFIG
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The user called a command or endpoint with wrong arguments. */
export class UsageError extends SohoaError {
  readonly code = 'USAGE';
  override readonly exitCode = 64; // EX_USAGE
  override readonly httpStatus = 400;
}

/** An error about one named thing — a file, an object key — with the reason on its own. */
abstract class NamedThingError extends SohoaError {
  constructor(
    readonly subject: string,
    readonly reason: string,
  ) {
    super(`${subject}: ${reason}`);
  }
}

/** An input file cannot be read as a scanned page or a register; names the file and the reason. */
export class InputFileError extends NamedThingError {
  readonly code = 'INPUT_INVALID';
  override readonly exitCode = 65; // EX_DATAERR
  override readonly httpStatus = 422;
}

/** A request carries more than Sohoa takes at once (files, bytes, pages). */
export class TooLargeError extends SohoaError {
  readonly code = 'TOO_LARGE';
  override readonly exitCode = 65; // EX_DATAERR
  override readonly httpStatus = 413;
}

/** The request is at odds with what the dossier holds now (a document withdrawn already, still being processed). */
export class ConflictError extends SohoaError {
  readonly code = 'CONFLICT';
  override readonly exitCode = 65; // EX_DATAERR
  override readonly httpStatus = 409;
}

/** A dossier code or procedure code does not follow the national format. */
export class InvalidCodeError extends SohoaError {
  readonly code = 'CODE_INVALID';
  override readonly exitCode = 65; // EX_DATAERR
  override readonly httpStatus = 400;
}

/** A dossier, document or object that was asked for does not exist. */
export class NotFoundError extends SohoaError {
  readonly code = 'NOT_FOUND';
  override readonly exitCode = 66; // EX_NOINPUT
  override readonly httpStatus = 404;
}

/** A required service (Redis, database, object store) cannot be reached or started. */
export class ServiceUnavailableError extends SohoaError {
  readonly code = 'SERVICE_UNAVAILABLE';
  override readonly exitCode = 69; // EX_UNAVAILABLE
  override readonly httpStatus = 503;
}

/**
 * Another worker holds the dossier (packaging a document of it) for longer than one waits, or this
 * worker lost its hold on it: try again later. Queue jobs are retried; API callers get 503.
 */
export class DossierBusyError extends SohoaError {
  readonly code = 'DOSSIER_BUSY';
  override readonly exitCode = 75; // EX_TEMPFAIL
  override readonly httpStatus = 503;
}

/** Some pages of a submission failed; the others were stored. */
export class PagesFailedError extends SohoaError {
  readonly code = 'PAGES_FAILED';
  override readonly exitCode = 2;
  override readonly httpStatus = 422;
  constructor(
    readonly failures: { file: string; page: number; reason: string }[],
    message = failures.length === 1 ? '1 page failed' : `${failures.length} pages failed`,
  ) {
    super(message);
  }
}

/** Some rows of a register import were rejected; the valid ones were stored. */
export class RowsRejectedError extends SohoaError {
  readonly code = 'ROWS_REJECTED';
  override readonly exitCode = 2;
  override readonly httpStatus = 422;
  constructor(
    readonly source: string,
    readonly rejected: number,
  ) {
    super(`${source}: ${rejected} row(s) rejected`);
  }
}

/** Stored objects no longer match the SHA-256 their manifest records, or are missing. */
export class FixityError extends SohoaError {
  readonly code = 'FIXITY_MISMATCH';
  override readonly exitCode = 3;
}

/** An object in the store cannot be read as what it should be (a manifest that is not JSON, say); names its key. */
export class CorruptObjectError extends NamedThingError {
  readonly code = 'OBJECT_CORRUPT';
  override readonly exitCode = 74; // EX_IOERR
}

/** The caller is not authenticated (401) or lacks the role for an action (403). */
export class AccessDeniedError extends SohoaError {
  readonly code = 'ACCESS_DENIED';
  override readonly exitCode = 77; // EX_NOPERM
  constructor(
    message: string,
    override readonly httpStatus: 401 | 403 = 403,
  ) {
    super(message);
  }
}

/** A PDF/A cannot be written from the given pages (an image no PDF/A coding can hold). */
export class PdfaError extends SohoaError {
  readonly code = 'PDFA_BUILD';
  override readonly exitCode = 70; // EX_SOFTWARE
}

/** The agency signature cannot be applied: no certificate configured, or it cannot be opened. */
export class SigningError extends SohoaError {
  readonly code = 'SIGNING_FAILED';
  override readonly exitCode = 78; // EX_CONFIG: a certificate or password problem is a configuration problem
}

/**
 * Error classes carry a stable code (for API responses and logs) and a process exit code
 * (for the CLI), in the manner of OCRmyPDF's exceptions.py.
 */
export abstract class SohoaError extends Error {
  abstract readonly code: string;
  readonly exitCode: number = 1;
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
}

/** An input file cannot be read as a scanned page; names the file and the reason. */
export class InputFileError extends SohoaError {
  readonly code = 'INPUT_INVALID';
  override readonly exitCode = 65; // EX_DATAERR
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** A dossier, document or object that was asked for does not exist. */
export class NotFoundError extends SohoaError {
  readonly code = 'NOT_FOUND';
  override readonly exitCode = 66; // EX_NOINPUT
}

/** A dossier code or procedure code does not follow the national format. */
export class InvalidCodeError extends SohoaError {
  readonly code = 'CODE_INVALID';
  override readonly exitCode = 65;
}

/** A required service (Redis, database, object store) cannot be reached or started. */
export class ServiceUnavailableError extends SohoaError {
  readonly code = 'SERVICE_UNAVAILABLE';
  override readonly exitCode = 69; // EX_UNAVAILABLE
}

/** Some pages of a submission failed; the others were stored. */
export class PagesFailedError extends SohoaError {
  readonly code = 'PAGES_FAILED';
  override readonly exitCode = 2;
  constructor(readonly failures: { file: string; page: number; reason: string }[]) {
    super(`${failures.length} page(s) failed`);
  }
}

/** A stored object no longer matches the SHA-256 its manifest records. */
export class FixityError extends SohoaError {
  readonly code = 'FIXITY_MISMATCH';
  override readonly exitCode = 3;
}

/** The caller is not authenticated or lacks the role for an action. */
export class AccessDeniedError extends SohoaError {
  readonly code = 'ACCESS_DENIED';
  override readonly exitCode = 77; // EX_NOPERM
  constructor(
    message: string,
    readonly status: 401 | 403 = 403,
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

/**
 * The object store is the system of record: originals, page images, OCR results, PDF/A files and
 * each dossier's manifest live here. Two drivers implement this one interface: a local directory
 * (embedded default) and S3/MinIO (production).
 */
export interface ObjectInfo {
  key: string;
  size: number;
}

export interface ObjectStore {
  /** Writes the whole object or nothing: a reader never sees a partial object. */
  put(key: string, body: Buffer, contentType?: string): Promise<void>;
  /** Writes the local file `file` (its path as bytes when its name is no UTF-8) as the object, streamed, whole or nothing. */
  putFile(key: string, file: string | Buffer, contentType?: string): Promise<void>;
  /** Throws NotFoundError when the key does not exist. */
  get(key: string): Promise<Buffer>;
  /** Size of the object, or null when it does not exist. */
  stat(key: string): Promise<ObjectInfo | null>;
  /** Every object whose key starts with `prefix`, in lexicographic key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Human-readable location, for logs and the README's "where are my files". */
  describe(): string;
  close(): Promise<void>;
}

const KEY_SEGMENT = /^[\p{L}\p{N}._-][\p{L}\p{N} ._+-]*$/u;

/** Keys are `/`-separated; no empty, `.` or `..` segment may escape the store's root. */
export function assertValidKey(key: string): string {
  const segments = key.split('/');
  if (key.length === 0 || key.length > 1024 || segments.some((s) => !KEY_SEGMENT.test(s) || s === '.' || s === '..')) {
    throw new TypeError(`invalid object key "${key}"`);
  }
  return key;
}

/** The `code` of a driver's error (an errno, an S3 error code), if it has one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/** S3 lists keys in UTF-8 byte order; every driver sorts the same way. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

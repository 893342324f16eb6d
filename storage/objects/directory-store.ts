/**
 * Object store driver backed by a local directory (the embedded default). Each key is a file
 * under the root; `put` writes a temporary file under `<root>/.tmp/`, fsyncs it and renames it
 * into place, so a reader sees either the previous object, nothing, or the complete new one.
 */
import { randomUUID } from 'node:crypto';
import { type Dirent, constants as fsConstants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, ServiceUnavailableError } from '../../pipeline/errors.js';
import { assertValidKey, compareKeys, errorCode, type ObjectInfo, type ObjectStore } from './store.js';

/** Temporary files live here; the name is reserved and never appears in `list`. */
const TMP_DIR = '.tmp';

/** Error codes meaning "there is no object (file) at this path". */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

export class DirectoryStore implements ObjectStore {
  readonly root: string;
  private readonly tmpDir: string;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
    this.tmpDir = path.join(this.root, TMP_DIR);
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    if (key === TMP_DIR || key.startsWith(`${TMP_DIR}/`)) {
      throw new TypeError(`invalid object key "${key}": "${TMP_DIR}" is reserved by the directory store`);
    }
    return path.join(this.root, ...key.split('/'));
  }

  put(key: string, body: Buffer, _contentType?: string): Promise<void> {
    return this.install(key, async (tmp) => {
      const handle = await fs.open(tmp, 'wx', 0o644);
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  putFile(key: string, file: string | Buffer, _contentType?: string): Promise<void> {
    return this.install(key, async (tmp) => {
      // The kernel copies (or clones) the file: no byte of it passes through this process.
      await fs.copyFile(file, tmp, fsConstants.COPYFILE_EXCL);
      const handle = await fs.open(tmp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    });
  }

  /** Writes the object under a temporary name with `write`, then renames it into place: readers never see a partial object. */
  private async install(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    await fs.mkdir(this.tmpDir, { recursive: true });
    const tmp = path.join(this.tmpDir, `${randomUUID()}.part`);
    let renamed = false;
    try {
      await write(tmp);
      // A concurrent delete may remove the (then empty) parent directory between mkdir and
      // rename; retry a few times in that case.
      for (let attempt = 0; ; attempt++) {
        await fs.mkdir(path.dirname(target), { recursive: true });
        try {
          await fs.rename(tmp, target);
          renamed = true;
          break;
        } catch (err) {
          if (errorCode(err) !== 'ENOENT' || attempt >= 5) throw err;
        }
      }
      await this.syncDirectory(path.dirname(target));
    } catch (err) {
      const code = errorCode(err);
      // Whoever frees space mends it: the queues retry the job, the API answers 503.
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new ServiceUnavailableError(`cannot store object ${key}: ${this.root} is full (${code})`, { cause: err });
      }
      if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTEMPTY') {
        throw new Error(`cannot store object ${key} in ${this.root}: a key is both an object and a prefix of other keys`, {
          cause: err,
        });
      }
      throw err;
    } finally {
      if (!renamed) await fs.rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Makes the rename durable; not every platform can fsync a directory, so failures are ignored. */
  private async syncDirectory(dir: string): Promise<void> {
    let handle: FileHandle | undefined;
    try {
      handle = await fs.open(dir, 'r');
      await handle.sync();
    } catch {
      // best effort
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  async get(key: string): Promise<Buffer> {
    const file = this.pathOf(key);
    try {
      return await fs.readFile(file);
    } catch (err) {
      const code = errorCode(err);
      if ((code && MISSING.has(code)) || code === 'EISDIR') {
        throw new NotFoundError(`object ${key} not found in ${this.root}`);
      }
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    const file = this.pathOf(key);
    try {
      const info = await fs.stat(file);
      return info.isFile() ? { key, size: info.size } : null;
    } catch (err) {
      const code = errorCode(err);
      if (code && MISSING.has(code)) return null;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // The complete segments of the prefix name the directory to walk; the rest filters names.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash === -1 ? '' : prefix.slice(0, slash);
    if (dirKey !== '') assertValidKey(dirKey);
    if (dirKey === TMP_DIR || dirKey.startsWith(`${TMP_DIR}/`)) return;
    const start = dirKey === '' ? this.root : path.join(this.root, ...dirKey.split('/'));
    yield* this.walk(start, dirKey === '' ? '' : `${dirKey}/`, prefix);
  }

  /**
   * Depth-first walk yielding keys in byte order: siblings are sorted by name, with a directory
   * sorting as `name/` (so `a-c` comes before `a/b`, as in S3).
   */
  private async *walk(dir: string, keyPrefix: string, filter: string): AsyncGenerator<ObjectInfo> {
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = errorCode(err);
      if (code && MISSING.has(code)) return; // no such prefix, or removed while walking
      throw err;
    }
    const children = entries
      .filter((e) => (e.isFile() || e.isDirectory()) && !(keyPrefix === '' && e.name === TMP_DIR))
      .map((e) => ({ entry: e, sortKey: keyPrefix + e.name + (e.isDirectory() ? '/' : '') }))
      .filter(({ sortKey }) => sortKey.startsWith(filter) || filter.startsWith(sortKey))
      .sort((a, b) => compareKeys(a.sortKey, b.sortKey));
    for (const { entry, sortKey } of children) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        yield* this.walk(full, sortKey, filter);
      } else if (sortKey.startsWith(filter)) {
        try {
          const info = await fs.stat(full);
          if (info.isFile()) yield { key: sortKey, size: info.size };
        } catch (err) {
          const code = errorCode(err);
          if (!(code && MISSING.has(code))) throw err; // deleted while listing: skip
        }
      }
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.pathOf(key);
    try {
      await fs.unlink(file);
    } catch (err) {
      const code = errorCode(err);
      if (code && MISSING.has(code)) return; // no such object
      // unlink of a directory fails with EISDIR (Linux) or EPERM (macOS): there is no such object
      if ((code === 'EISDIR' || code === 'EPERM') && (await fs.stat(file).catch(() => null))?.isDirectory()) return;
      throw err;
    }
    // Remove parent directories left empty, up to (not including) the root.
    for (let dir = path.dirname(file); dir !== this.root && dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        await fs.rmdir(dir);
      } catch {
        break; // not empty (or already gone, or recreated by a concurrent put)
      }
    }
  }

  describe(): string {
    return `directory ${this.root}`;
  }

  async close(): Promise<void> {}
}

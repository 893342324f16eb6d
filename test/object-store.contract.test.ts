/**
 * One contract for every ObjectStore driver, run against the directory driver (fresh temp dir)
 * and the S3 driver (an s3rver instance started here on a random port), plus tests of the
 * directory driver's atomic writes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../pipeline/errors.js';
import {
  assertValidKey,
  DirectoryStore,
  type ObjectInfo,
  type ObjectStore,
  openObjectStore,
  originalKey,
  S3Store,
} from '../storage/objects/index.js';
import { tempDir } from './support/env.js';

interface OpenedStore {
  store: ObjectStore;
  dispose: () => Promise<void>;
}

interface Driver {
  name: string;
  open: () => Promise<OpenedStore>;
  /** What describe() must look like. */
  describes: RegExp;
  /** Strings that describe() must never print (credentials). */
  secrets: string[];
  /** Reasons to skip a contract case on this driver, when the backend (not the driver) cannot do it. */
  skip?: { nonAsciiKeys?: string };
}

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const keysOf = async (store: ObjectStore, prefix: string) => (await collect(store.list(prefix))).map((o) => o.key);

/** Every byte value once, then reversed: catches any text decoding of bodies. */
const ALL_BYTES = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i)),
]);

const VIETNAMESE_KEY = 'dossiers/000.00.15.H17-231114-0001/tờ trình.pdf'.normalize('NFC');

const INVALID_KEYS = ['../x', 'a//b', '', 'a/../b', '/a', 'a/', './a'];

function objectStoreContract(driver: Driver): void {
  let store: ObjectStore;
  let dispose: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ store, dispose } = await driver.open());
  }, 30_000);

  afterAll(async () => {
    await store?.close();
    await dispose?.();
  }, 30_000);

  it('round-trips a text object', async () => {
    const body = Buffer.from('xin chào, hồ sơ số hoá\n', 'utf8');
    await store.put('roundtrip/text.txt', body, 'text/plain; charset=utf-8');
    expect((await store.get('roundtrip/text.txt')).equals(body)).toBe(true);
  });

  it('round-trips all 256 byte values byte for byte', async () => {
    await store.put('roundtrip/bytes.bin', ALL_BYTES, 'application/octet-stream');
    const back = await store.get('roundtrip/bytes.bin');
    expect(back.length).toBe(ALL_BYTES.length);
    expect(back.equals(ALL_BYTES)).toBe(true);
  });

  it('round-trips a ~5 MB object', async () => {
    const big = randomBytes(5 * 1024 * 1024 + 123);
    await store.put('roundtrip/big.bin', big);
    const back = await store.get('roundtrip/big.bin');
    expect(back.length).toBe(big.length);
    expect(back.equals(big)).toBe(true);
    expect(await store.stat('roundtrip/big.bin')).toEqual({ key: 'roundtrip/big.bin', size: big.length });
  });

  it('round-trips an empty object', async () => {
    await store.put('roundtrip/empty', Buffer.alloc(0));
    expect((await store.get('roundtrip/empty')).length).toBe(0);
    expect(await store.stat('roundtrip/empty')).toEqual({ key: 'roundtrip/empty', size: 0 });
  });

  it.skipIf(driver.skip?.nonAsciiKeys !== undefined)('stores keys with Vietnamese segments', async () => {
    expect(assertValidKey(VIETNAMESE_KEY)).toBe(VIETNAMESE_KEY);
    const body = Buffer.from('%PDF-1.7 tờ trình');
    await store.put(VIETNAMESE_KEY, body, 'application/pdf');
    expect((await store.get(VIETNAMESE_KEY)).equals(body)).toBe(true);
    expect(await store.stat(VIETNAMESE_KEY)).toEqual({ key: VIETNAMESE_KEY, size: body.length });
    expect(await keysOf(store, 'dossiers/000.00.15.H17-231114-0001/tờ')).toEqual([VIETNAMESE_KEY]);
    await store.delete(VIETNAMESE_KEY);
    expect(await store.stat(VIETNAMESE_KEY)).toBeNull();
  });

  it('overwriting a key replaces the whole object', async () => {
    await store.put('overwrite/k', Buffer.from('a much longer first version'));
    await store.put('overwrite/k', Buffer.from('short'));
    expect((await store.get('overwrite/k')).toString()).toBe('short');
    expect(await store.stat('overwrite/k')).toEqual({ key: 'overwrite/k', size: 5 });
    expect(await keysOf(store, 'overwrite/')).toEqual(['overwrite/k']);
  });

  it('stat gives the size, or null for a missing key', async () => {
    await store.put('stat/seven', Buffer.from('1234567'));
    expect(await store.stat('stat/seven')).toEqual({ key: 'stat/seven', size: 7 });
    expect(await store.stat('stat/missing')).toBeNull();
    expect(await store.stat('stat')).toBeNull(); // a prefix is not an object
    expect(await store.stat('stat/seven/deeper')).toBeNull();
  });

  it('get of a missing key throws NotFoundError naming the key', async () => {
    await expect(store.get('missing/nothing-here.pdf')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('missing/nothing-here.pdf')).rejects.toThrow(/missing\/nothing-here\.pdf/);
  });

  it('lists by prefix in lexicographic order, recursively, and only under the prefix', async () => {
    const objects: Record<string, string> = {
      'list/dossiers/B/1': 'b',
      'list/dossiers/AB/y/z.json': '{}',
      'list/dossiers/A/1.pdf': 'pdf',
      'list/dossiers/AB/x.pdf': 'xx',
      'list/dossiers/A-2/k': 'k2',
      'list/dossiers.txt': 'outside',
      'list/other/AB': 'outside',
    };
    for (const [key, body] of Object.entries(objects)) await store.put(key, Buffer.from(body));

    // '-' (0x2D) < '/' (0x2F) < 'B' (0x42): 'A-2/k' sorts before 'A/1.pdf'.
    const underA = await collect(store.list('list/dossiers/A'));
    expect(underA).toEqual([
      { key: 'list/dossiers/A-2/k', size: 2 },
      { key: 'list/dossiers/A/1.pdf', size: 3 },
      { key: 'list/dossiers/AB/x.pdf', size: 2 },
      { key: 'list/dossiers/AB/y/z.json', size: 2 },
    ]);
    expect(await keysOf(store, 'list/dossiers/')).toEqual([
      'list/dossiers/A-2/k',
      'list/dossiers/A/1.pdf',
      'list/dossiers/AB/x.pdf',
      'list/dossiers/AB/y/z.json',
      'list/dossiers/B/1',
    ]);
    expect(await keysOf(store, 'list/dossiers/AB/')).toEqual(['list/dossiers/AB/x.pdf', 'list/dossiers/AB/y/z.json']);
    expect(await keysOf(store, 'list/dossiers/AB/x.pdf')).toEqual(['list/dossiers/AB/x.pdf']);
    expect(await keysOf(store, 'list/dossiers')).toEqual([
      'list/dossiers.txt',
      'list/dossiers/A-2/k',
      'list/dossiers/A/1.pdf',
      'list/dossiers/AB/x.pdf',
      'list/dossiers/AB/y/z.json',
      'list/dossiers/B/1',
    ]);
    const all = await keysOf(store, 'list/');
    expect(all).toHaveLength(Object.keys(objects).length);
    expect(all).toEqual([...all].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(await keysOf(store, 'list/nowhere/')).toEqual([]);
    expect(await keysOf(store, 'list/dossiers/C')).toEqual([]);
    // The whole store (empty prefix) includes them too, and nothing that is not an object.
    const everything = await keysOf(store, '');
    expect(everything).toEqual(expect.arrayContaining(Object.keys(objects)));
    for (const key of everything) expect(() => assertValidKey(key)).not.toThrow();
  });

  it('delete removes the object; stat then gives null and get throws', async () => {
    await store.put('delete/a/b/c.txt', Buffer.from('c'));
    await store.put('delete/keep.txt', Buffer.from('k'));
    await store.delete('delete/a/b/c.txt');
    expect(await store.stat('delete/a/b/c.txt')).toBeNull();
    await expect(store.get('delete/a/b/c.txt')).rejects.toBeInstanceOf(NotFoundError);
    expect(await keysOf(store, 'delete/')).toEqual(['delete/keep.txt']);
    // The key can be written again after its (now empty) parents were cleaned up.
    await store.put('delete/a/b/c.txt', Buffer.from('again'));
    expect((await store.get('delete/a/b/c.txt')).toString()).toBe('again');
  });

  it('deleting a missing key is not an error', async () => {
    await expect(store.delete('delete/never-existed')).resolves.toBeUndefined();
    await expect(store.delete('never/existed/at/all')).resolves.toBeUndefined();
  });

  it.each(INVALID_KEYS)('rejects the invalid key %j', async (key) => {
    await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(TypeError);
    await expect(store.get(key)).rejects.toThrow(TypeError);
    await expect(store.stat(key)).rejects.toThrow(TypeError);
    await expect(store.delete(key)).rejects.toThrow(TypeError);
  });

  it('stores an original under a 200-character Vietnamese name, or one that climbs out, by a key that holds no name', async () => {
    const long = `${'Đơn đề nghị cấp bản sao giấy chứng nhận quyền sử dụng đất của bà Nguyễn Thị Hồng '.repeat(3).slice(0, 196)}.jpg`;
    for (const name of [long, '../../etc/passwd', 'a\uFFFDb\u0000.tif']) {
      const key = originalKey('000.00.15.H17-231114-0001', 1, 0, name);
      const last = key.split('/').at(-1)!;
      expect(last).toMatch(/^001\.(jpg|bin|tif)$/);
      await store.put(key, Buffer.from(name));
      expect((await store.get(key)).toString()).toBe(name);
    }
    expect(originalKey('000.00.15.H17-231114-0001', 1, 0, long).endsWith('.jpg')).toBe(true);
  });

  it('streams a local file in as an object, byte for byte, even one whose name is no UTF-8; a missing file stores nothing', async () => {
    const dir = tempDir('put-file');
    const file = Buffer.concat([Buffer.from(`${dir}/scan-`), Buffer.from([0xe5, 0xff]), Buffer.from('.tif')]);
    const body = randomBytes(3 * 2 ** 20 + 17);
    await fs.writeFile(file, body);
    const key = 'dossiers/000.00.15.H17-231114-0001/documents/01/originals/001.tif';
    await store.putFile(key, file, 'image/tiff');
    expect((await store.get(key)).equals(body)).toBe(true);
    expect(await store.stat(key)).toEqual({ key, size: body.length });
    const missing = 'dossiers/000.00.15.H17-231114-0001/documents/01/originals/002.tif';
    await expect(store.putFile(missing, path.join(dir, 'gone.tif'))).rejects.toThrow(/ENOENT|no such file/);
    expect(await store.stat(missing)).toBeNull();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('rejects a prefix that climbs out of the store', async () => {
    await expect(collect(store.list('../'))).rejects.toThrow(TypeError);
    await expect(collect(store.list('a/../../x'))).rejects.toThrow(TypeError);
  });

  it('describes its location without credentials', () => {
    const text = store.describe();
    expect(text).toMatch(driver.describes);
    for (const secret of driver.secrets) expect(text).not.toContain(secret);
  });
}

const cleanups: string[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

const S3_KEY = 'S3RVER';

const drivers: Driver[] = [
  {
    name: 'DirectoryStore',
    describes: /^directory \//,
    secrets: [],
    open: async () => {
      const dir = tempDir('fs-store');
      cleanups.push(dir);
      return { store: new DirectoryStore(dir), dispose: () => fs.rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'S3Store (s3rver)',
    describes: /^s3:\/\/sohoa-test at http:\/\/127\.0\.0\.1:\d+$/,
    secrets: [S3_KEY],
    open: async () => {
      const dir = tempDir('s3rver');
      cleanups.push(dir);
      // s3rver checks V4 signatures against its fixed credentials S3RVER/S3RVER.
      const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, resetOnClose: true });
      const { port } = await server.run();
      // Through openObjectStore, which must pick S3 and create the missing bucket.
      const store = await openObjectStore({
        dataDir: dir,
        s3: { endPoint: '127.0.0.1', port, useSSL: false, accessKey: S3_KEY, secretKey: S3_KEY, bucket: 'sohoa-test', region: 'us-east-1' },
      });
      expect(store).toBeInstanceOf(S3Store);
      return {
        store,
        dispose: async () => {
          await server.close();
          await fs.rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(drivers)('ObjectStore contract: $name', (driver) => {
  objectStoreContract(driver);
});

describe('DirectoryStore atomic writes', () => {
  let root: string;
  let store: DirectoryStore;

  beforeAll(async () => {
    root = tempDir('fs-atomic');
    cleanups.push(root);
    store = new DirectoryStore(root);
  });

  afterAll(async () => {
    await store.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  const tmpFiles = async () => await fs.readdir(path.join(root, '.tmp')).catch(() => [] as string[]);

  it('concurrent puts of one key leave exactly one complete version, never a mix', async () => {
    const size = 1024 * 1024;
    const versions = Array.from({ length: 16 }, (_, i) => Buffer.alloc(size, i + 1));
    const seen: Buffer[] = [];
    const readers = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 10; i++) {
        try {
          seen.push(await store.get('concurrent/k.bin'));
        } catch (err) {
          expect(err).toBeInstanceOf(NotFoundError);
        }
      }
    });
    await Promise.all([...versions.map((body) => store.put('concurrent/k.bin', body)), ...readers]);

    const final = await store.get('concurrent/k.bin');
    for (const body of [...seen, final]) {
      expect(body.length).toBe(size);
      const first = body[0]!;
      expect(first).toBeGreaterThanOrEqual(1);
      expect(first).toBeLessThanOrEqual(16);
      expect(body.equals(Buffer.alloc(size, first))).toBe(true);
    }
    expect(await keysOf(store, '')).toEqual(['concurrent/k.bin']);
    expect(await tmpFiles()).toEqual([]);
  });

  it('while a large put is in progress, readers see not-found or the full content', async () => {
    const big = randomBytes(32 * 1024 * 1024);
    const key = 'inflight/big.bin';
    let done = false;
    const writing = store.put(key, big).then(() => {
      done = true;
    });
    let notFound = 0;
    while (!done) {
      const info = await store.stat(key);
      if (info) expect(info.size).toBe(big.length);
      try {
        const body = await store.get(key);
        expect(body.length).toBe(big.length);
        expect(body.equals(big)).toBe(true);
      } catch (err) {
        expect(err).toBeInstanceOf(NotFoundError);
        notFound++;
      }
      const listed = await collect(store.list(''));
      for (const item of listed) {
        expect(item.key.startsWith('.tmp')).toBe(false);
        if (item.key === key) expect(item.size).toBe(big.length);
      }
    }
    await writing;
    expect(notFound).toBeGreaterThan(0); // the first reads ran before the rename
    expect((await store.get(key)).equals(big)).toBe(true);

    // Overwriting: readers see the old or the new version, complete.
    const next = randomBytes(24 * 1024 * 1024);
    done = false;
    const rewriting = store.put(key, next).then(() => {
      done = true;
    });
    while (!done) {
      const body = await store.get(key);
      expect(body.equals(big) || body.equals(next)).toBe(true);
    }
    await rewriting;
    expect((await store.get(key)).equals(next)).toBe(true);
    expect(await tmpFiles()).toEqual([]);
    await store.delete(key);
  }, 60_000);

  it('reserves the .tmp folder: such keys are rejected', async () => {
    await expect(store.put('.tmp/x', Buffer.from('x'))).rejects.toThrow(TypeError);
    await expect(store.get('.tmp')).rejects.toThrow(TypeError);
    expect(await keysOf(store, '.tmp')).toEqual([]);
  });

  it('delete removes parent directories left empty, up to the root', async () => {
    await store.put('prune/a/b/c.txt', Buffer.from('c'));
    await store.put('prune/keep.txt', Buffer.from('k'));
    await store.delete('prune/a/b/c.txt');
    await expect(fs.stat(path.join(root, 'prune', 'a'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.stat(path.join(root, 'prune', 'keep.txt'))).resolves.toBeTruthy();
    await store.delete('prune/keep.txt');
    await expect(fs.stat(path.join(root, 'prune'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.stat(root)).resolves.toBeTruthy();
  });

  it('openObjectStore without S3 opens a directory under <dataDir>/objects', async () => {
    const opened = await openObjectStore({ dataDir: root });
    expect(opened).toBeInstanceOf(DirectoryStore);
    expect(opened.describe()).toBe(`directory ${path.join(root, 'objects')}`);
    await opened.close();
  });
});

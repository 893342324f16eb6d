/** Objects in and out of the store with the fixity (SHA-256) the manifest records of them. */
import { createHash } from 'node:crypto';
import { CorruptObjectError } from '../../pipeline/errors.js';
import type { ObjectStore } from './store.js';

/** An object as written, with what its manifest entry records. */
export interface StoredObject {
  key: string;
  sha256: string;
  size: number;
  mediaType: string;
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `key` may be named by the body's SHA-256 (a function of it): the body is hashed once either way. */
export async function putObject(
  store: ObjectStore,
  key: string | ((sha256: string) => string),
  body: Buffer,
  mediaType: string,
): Promise<StoredObject> {
  const hash = sha256(body);
  const stored = { key: typeof key === 'string' ? key : key(hash), sha256: hash, size: body.length, mediaType };
  await store.put(stored.key, body, mediaType);
  return stored;
}

/** A local file streamed into the store; its SHA-256 and size as measured when it was written or read (workers/submitted-file.ts). */
export async function putFile(
  store: ObjectStore,
  key: string,
  file: { path: string | Buffer; sha256: string; size: number },
  mediaType: string,
): Promise<StoredObject> {
  await store.putFile(key, file.path, mediaType);
  return { key, sha256: file.sha256, size: file.size, mediaType };
}

export function putJson(store: ObjectStore, key: string, value: unknown): Promise<StoredObject> {
  return putObject(store, key, Buffer.from(JSON.stringify(value, null, 1)), 'application/json');
}

/** The JSON an object holds; CorruptObjectError naming the key when it holds none. */
export function parseJson(bytes: Buffer, key: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new CorruptObjectError(key, `not valid JSON: ${(err as Error).message}`);
  }
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T> {
  return parseJson(await store.get(key), key) as T;
}

/** Writing stage outputs to the object store with the fixity the manifest will record. */
import type { ObjectStore } from '../storage/object-store.js';
import { sha256 } from '../storage/manifest.js';
import type { StoredObject } from './jobs.js';

export async function putObject(store: ObjectStore, key: string, body: Buffer, mediaType: string): Promise<StoredObject> {
  await store.put(key, body, mediaType);
  return { key, sha256: sha256(body), size: body.length, mediaType };
}

export async function getJson<T>(store: ObjectStore, key: string): Promise<T> {
  return JSON.parse((await store.get(key)).toString('utf8')) as T;
}

export function putJson(store: ObjectStore, key: string, value: unknown): Promise<StoredObject> {
  return putObject(store, key, Buffer.from(JSON.stringify(value, null, 1)), 'application/json');
}

/** Picks the object store driver: S3/MinIO when configured, else a directory under the data directory. */
import path from 'node:path';
import { DirectoryStore } from './directory-store.js';
import { type S3Config, S3Store } from './s3-store.js';
import type { ObjectStore } from './store.js';

export interface ObjectStoreOptions {
  /** The directory store lives in `<dataDir>/objects`. */
  dataDir: string;
  s3?: S3Config;
}

export async function openObjectStore(options: ObjectStoreOptions): Promise<ObjectStore> {
  if (options.s3) return S3Store.open(options.s3);
  return new DirectoryStore(path.join(options.dataDir, 'objects'));
}

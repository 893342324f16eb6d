/** Picks the object store driver from the configuration: S3/MinIO when configured, else a directory. */
import path from 'node:path';
import type { S3Config } from '../api/config.js';
import { DirectoryStore } from './fs-store.js';
import type { ObjectStore } from './object-store.js';
import { S3Store } from './s3-store.js';

export async function openObjectStore(config: { dataDir: string; s3?: S3Config }): Promise<ObjectStore> {
  if (config.s3) return S3Store.open(config.s3);
  return new DirectoryStore(path.join(config.dataDir, 'objects'));
}

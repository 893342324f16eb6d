/**
 * Object store driver for S3 and MinIO (production). A single S3 PUT is atomic: readers see the
 * previous object or the new one, never a partial one.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import * as Minio from 'minio';
import { NotFoundError, ServiceUnavailableError } from '../../pipeline/errors.js';
import { assertValidKey, compareKeys, errorCode, type ObjectInfo, type ObjectStore } from './store.js';

/** Where the S3 driver finds its bucket (MinIO in production). */
export interface S3Config {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** A request whose connection stays silent this long fails (and its job is retried); 30 s. */
  idleTimeoutMs?: number;
}

/**
 * The client's requests with a time limit: the minio client sets none, and a store that accepts
 * connections but never answers would hold a worker for ever.
 */
function transportWithTimeout(useSSL: boolean, idleMs: number): Pick<typeof http, 'request'> {
  const base = useSSL ? https : http;
  return {
    request: ((options: http.RequestOptions, callback?: (res: http.IncomingMessage) => void) => {
      const request = base.request(options, callback);
      request.setTimeout(idleMs, () => request.destroy(new Error(`no answer in ${idleMs / 1000} s`)));
      return request;
    }) as typeof http.request,
  };
}

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound']);

export class S3Store implements ObjectStore {
  private constructor(
    private readonly client: Minio.Client,
    readonly bucket: string,
    private readonly location: string,
  ) {}

  /** Connects and creates the bucket when it does not exist yet. */
  static async open(config: S3Config): Promise<S3Store> {
    const client = new Minio.Client({
      endPoint: config.endPoint,
      port: config.port,
      useSSL: config.useSSL,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      region: config.region,
      transport: transportWithTimeout(config.useSSL, config.idleTimeoutMs ?? 30_000),
    });
    const endpoint = `${config.useSSL ? 'https' : 'http'}://${config.endPoint}:${config.port}`;
    const store = new S3Store(client, config.bucket, `s3://${config.bucket} at ${endpoint}`);
    try {
      if (!(await client.bucketExists(config.bucket))) {
        try {
          await client.makeBucket(config.bucket, config.region);
        } catch (err) {
          // Another process may have created it in the meantime.
          const code = errorCode(err);
          if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
        }
      }
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ServiceUnavailableError(`object store ${store.describe()} is unavailable: ${reason}`, { cause: err });
    }
    return store;
  }

  async put(key: string, body: Buffer, contentType?: string): Promise<void> {
    assertValidKey(key);
    await this.client.putObject(this.bucket, key, body, body.length, contentType ? { 'Content-Type': contentType } : {});
  }

  async putFile(key: string, file: string | Buffer, contentType?: string): Promise<void> {
    assertValidKey(key);
    const { size } = await fs.stat(file);
    // Streamed: a large original goes up in parts (multipart upload), never whole in memory.
    await this.client.putObject(this.bucket, key, createReadStream(file), size, contentType ? { 'Content-Type': contentType } : {});
  }

  async get(key: string): Promise<Buffer> {
    assertValidKey(key);
    try {
      const stream = await this.client.getObject(this.bucket, key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks);
    } catch (err) {
      if (NOT_FOUND_CODES.has(errorCode(err) ?? '')) throw new NotFoundError(`object ${key} not found in ${this.location}`);
      throw err;
    }
  }

  async stat(key: string): Promise<ObjectInfo | null> {
    assertValidKey(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      return { key, size: info.size };
    } catch (err) {
      if (NOT_FOUND_CODES.has(errorCode(err) ?? '')) return null;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    // Same rule as the directory driver: the complete segments of a prefix must be valid.
    const slash = prefix.lastIndexOf('/');
    if (slash !== -1) assertValidKey(prefix.slice(0, slash));
    const items: ObjectInfo[] = [];
    const stream = this.client.listObjectsV2(this.bucket, prefix, true);
    for await (const item of stream as AsyncIterable<Minio.BucketItem>) {
      if (item.name !== undefined) items.push({ key: item.name, size: item.size });
    }
    items.sort((a, b) => compareKeys(a.key, b.key));
    yield* items;
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    try {
      await this.client.removeObject(this.bucket, key);
    } catch (err) {
      if (!NOT_FOUND_CODES.has(errorCode(err) ?? '')) throw err;
    }
  }

  describe(): string {
    return this.location;
  }

  async close(): Promise<void> {}
}

/** Minimal declarations for s3rver 3.x (it ships no types), covering what the tests use. */
declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    serviceEndpoint?: string;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
    configureBuckets(): Promise<void>;
    reset(): void;
  }
}

/** The part of s3rver's filesystem store that test/support/s3rver-store.ts replaces. */
declare module 's3rver/lib/stores/filesystem.js' {
  interface StoredObject {
    bucket: string;
    key: string;
    content: Buffer | AsyncIterable<Uint8Array>;
    metadata: Record<string, string>;
  }

  export default class FilesystemStore {
    getResourcePath(bucket: string, key: string, resource: string): string;
    putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
    putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  }
}

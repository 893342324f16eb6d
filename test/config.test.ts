import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.js';
import { ConfigError } from '../pipeline/errors.js';

describe('configuration', () => {
  it('defaults to the embedded services', () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.port).toBe(8080);
    expect(config.redisUrl).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.s3).toBeUndefined();
    expect(config.pdfaPart).toBe('2b');
  });

  it('reads MinIO settings from the endpoint URL', () => {
    const config = loadConfig({ MINIO_ENDPOINT: 'https://minio.internal:9443', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b' });
    expect(config.s3).toMatchObject({ endPoint: 'minio.internal', port: 9443, useSSL: true, bucket: 'sohoa' });
  });

  it('reports every bad value, one line each, without printing passwords', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        REDIS_URL: 'http://x',
        DATABASE_URL: 'mysql://u:secret@h/db',
        SOHOA_PDFA: '3u',
        MINIO_ENDPOINT: 'http://m:9000',
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(6);
    expect(error!.message).toMatch(/PORT="eighty" must be an integer/);
    expect(error!.message).toMatch(/REDIS_URL/);
    expect(error!.message).toMatch(/SOHOA_PDFA="3u" must be one of: 2b, 1b/);
    expect(error!.message).toMatch(/MINIO_ACCESS_KEY is required/);
    expect(error!.message).not.toMatch(/secret/);
    expect(error!.exitCode).toBe(78);
  });
});

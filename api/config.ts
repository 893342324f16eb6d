/**
 * Configuration comes from environment variables only, validated once at start; every bad value
 * is reported in one ConfigError with one line each.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../pipeline/errors.js';
import { MODEL_VARIANTS } from '../pipeline/ocr/index.js';
import type { CatalogConfig, Thresholds } from '../storage/catalog/index.js';
import type { S3Config } from '../storage/objects/index.js';
import { redact } from '../storage/redact.js';
import { LOG_LEVELS, type PipelineOptions, type SigningOptions } from '../workers/index.js';

/**
 * The whole configuration: what the workers (with the object store) and the catalog each declare
 * they take, plus the API's own settings.
 */
export interface Config extends PipelineOptions, CatalogConfig {
  /** Embedded services' data: object store directory, PGlite catalog, redis-server's AOF. */
  dataDir: string;
  host: string;
  port: number;
  /** Where `sohoa worker` serves /metrics; absent: it serves none (the API serves its own). */
  metricsPort?: number;
  /** Proxies in front of the API whose X-Forwarded-For to believe (0: none): the sign-in limit counts per client address. */
  trustProxy: number;
  /** People reach the app over HTTPS: the session cookie is marked Secure. */
  https: boolean;
  /** Overall digitization rates (%) under `warn` need action; from `target` they meet the target. */
  coverage: Thresholds;
  /** What one upload request may carry, checked as its bytes arrive. */
  uploadLimits: UploadLimits;
  /** Hot folder `sohoa start` watches for scans, as `sohoa watch` does (SOHOA_WATCH_DIR); absent: none. */
  watchDir?: string;
}

export interface UploadLimits {
  /** Bytes of one file. */
  fileBytes: number;
  /** Bytes of all the files of one request together. */
  totalBytes: number;
  files: number;
}

type Env = Record<string, string | undefined>;

export const CONFIG_VARIABLES: { name: string; default: string; meaning: string }[] = [
  { name: 'SOHOA_DATA_DIR', default: './data', meaning: 'data of the embedded services (object store, PGlite, redis-server AOF)' },
  { name: 'PORT', default: '8080', meaning: 'HTTP port of the API' },
  {
    name: 'SOHOA_HTTPS',
    default: 'false',
    meaning: 'true when people reach the app over HTTPS (a TLS proxy in front): the session cookie is then Secure',
  },
  {
    name: 'SOHOA_TRUST_PROXY',
    default: '0',
    meaning: 'reverse proxies in front of the API (their X-Forwarded-For gives the client address)',
  },
  {
    name: 'SOHOA_METRICS_PORT',
    default: '(none)',
    meaning: 'port on which `sohoa worker` serves Prometheus /metrics (the API serves its own)',
  },
  { name: 'HOST', default: '127.0.0.1', meaning: 'address the API listens on (0.0.0.0 in containers)' },
  { name: 'REDIS_URL', default: '(auto)', meaning: 'Redis for BullMQ; else 127.0.0.1:6379 if it answers, else an embedded redis-server' },
  { name: 'DATABASE_URL', default: '(PGlite)', meaning: 'PostgreSQL catalog, e.g. postgres://user@host:5432/sohoa' },
  { name: 'MINIO_ENDPOINT', default: '(directory)', meaning: 'MinIO/S3 endpoint URL, e.g. http://minio:9000; selects the S3 driver' },
  { name: 'MINIO_ACCESS_KEY', default: '', meaning: 'access key (required with MINIO_ENDPOINT)' },
  { name: 'MINIO_SECRET_KEY', default: '', meaning: 'secret key (required with MINIO_ENDPOINT)' },
  { name: 'MINIO_BUCKET', default: 'sohoa', meaning: 'bucket holding the dossiers (created if missing)' },
  { name: 'MINIO_REGION', default: 'us-east-1', meaning: 'S3 region' },
  {
    name: 'SOHOA_QUEUE_PREFIX',
    default: '(from the store)',
    meaning: 'prefix of the BullMQ and Redis keys; by default sohoa-<8 characters of the installation id in the object store>',
  },
  { name: 'SOHOA_CONCURRENCY', default: '(cores)', meaning: 'pages processed at once per worker process' },
  { name: 'SOHOA_JOB_LOCK_SECONDS', default: '60', meaning: "a crashed worker's job is taken over after this many seconds" },
  {
    name: 'SOHOA_PAGE_TIMEOUT_SECONDS',
    default: '600',
    meaning: 'a page whose OCR takes longer fails with that reason (its document goes on; `sohoa redo` tries it again)',
  },
  {
    name: 'SOHOA_OCR_MODEL',
    default: 'best',
    meaning:
      'best (npm 4.0.0_best_int data) or fast (tessdata_fast: apt-get install tesseract-ocr-vie tesseract-ocr-eng, or TESSDATA_PREFIX)',
  },
  { name: 'SOHOA_MAX_PAGES', default: '500', meaning: 'pages one submission may hold (a file taking it over is refused, named)' },
  { name: 'SOHOA_MAX_FILE_MB', default: '512', meaning: 'MiB one uploaded file may hold' },
  { name: 'SOHOA_MAX_UPLOAD_MB', default: '1024', meaning: 'MiB one upload request may hold, all its files together' },
  { name: 'SOHOA_MAX_FILES', default: '1000', meaning: 'files one upload request may hold' },
  { name: 'SOHOA_PDFA', default: '2b', meaning: 'PDF/A conformance of the output: 2b or 1b' },
  { name: 'SOHOA_SIGN_P12', default: '(no signing)', meaning: 'PKCS#12 file of the agency certificate that signs PDF/A files on request' },
  { name: 'SOHOA_SIGN_PASSWORD', default: '', meaning: 'password of SOHOA_SIGN_P12' },
  { name: 'SOHOA_AGENCY_NAME', default: '', meaning: 'agency name shown on the signature (required with SOHOA_SIGN_P12)' },
  { name: 'SOHOA_COVERAGE_WARN', default: '50', meaning: 'digitization rate (%) under which a coverage row needs action' },
  { name: 'SOHOA_COVERAGE_TARGET', default: '80', meaning: 'digitization rate (%) from which a coverage row meets the target' },
  {
    name: 'SOHOA_WATCH_DIR',
    default: '(none)',
    meaning: 'hot folder that `sohoa start` watches for scans, as `sohoa watch <dir>` does (done/ and failed/ inside it)',
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'SOHOA_LOG_FILE', default: '(standard error)', meaning: 'file the log lines are appended to instead' },
];

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name}="${value}" must be one of: ${allowed.join(', ')}`);
    return fallback;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}="${value}" must be an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const percent = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      problems.push(`${name}="${value}" must be a percentage from 0 to 100`);
      return fallback;
    }
    return n;
  };
  const url = (name: string, protocols: string[]): URL | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error();
      return parsed;
    } catch {
      problems.push(`${name}="${redact(value)}" must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      return undefined;
    }
  };

  const redis = url('REDIS_URL', ['redis:', 'rediss:']);
  const database = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const minio = url('MINIO_ENDPOINT', ['http:', 'https:']);
  let s3: S3Config | undefined;
  if (minio) {
    const accessKey = env.MINIO_ACCESS_KEY ?? '';
    const secretKey = env.MINIO_SECRET_KEY ?? '';
    if (!accessKey) problems.push('MINIO_ACCESS_KEY is required when MINIO_ENDPOINT is set');
    if (!secretKey) problems.push('MINIO_SECRET_KEY is required when MINIO_ENDPOINT is set');
    const bucket = env.MINIO_BUCKET || 'sohoa';
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push(`MINIO_BUCKET="${bucket}" is not a valid bucket name`);
    const useSSL = minio.protocol === 'https:';
    s3 = {
      endPoint: minio.hostname,
      port: minio.port ? Number(minio.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey,
      secretKey,
      bucket,
      region: env.MINIO_REGION || 'us-east-1',
    };
  }
  let sign: SigningOptions | undefined;
  if (env.SOHOA_SIGN_P12) {
    const p12Path = path.resolve(env.SOHOA_SIGN_P12);
    if (!fs.statSync(p12Path, { throwIfNoEntry: false })?.isFile())
      problems.push(`SOHOA_SIGN_P12="${env.SOHOA_SIGN_P12}" is not a readable file`);
    const agencyName = env.SOHOA_AGENCY_NAME?.trim() ?? '';
    if (!agencyName) problems.push('SOHOA_AGENCY_NAME is required when SOHOA_SIGN_P12 is set (it is shown on the signature)');
    sign = { p12Path, password: env.SOHOA_SIGN_PASSWORD ?? '', agencyName };
  }
  const coverage = { warn: percent('SOHOA_COVERAGE_WARN', 50), target: percent('SOHOA_COVERAGE_TARGET', 80) };
  if (coverage.warn > coverage.target)
    problems.push(`SOHOA_COVERAGE_WARN (${coverage.warn}) must not exceed SOHOA_COVERAGE_TARGET (${coverage.target})`);
  let watchDir: string | undefined;
  if (env.SOHOA_WATCH_DIR) {
    watchDir = path.resolve(env.SOHOA_WATCH_DIR);
    if (!fs.statSync(watchDir, { throwIfNoEntry: false })?.isDirectory())
      problems.push(`SOHOA_WATCH_DIR="${env.SOHOA_WATCH_DIR}" is not a folder`);
  }
  const queuePrefix = env.SOHOA_QUEUE_PREFIX || undefined;
  if (queuePrefix !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(queuePrefix))
    problems.push(`SOHOA_QUEUE_PREFIX="${queuePrefix}" may hold only letters, digits, _ and -`);

  const config: Config = {
    dataDir: path.resolve(env.SOHOA_DATA_DIR || './data'),
    host: env.HOST || '127.0.0.1',
    port: integer('PORT', 8080, 0, 65535),
    metricsPort: env.SOHOA_METRICS_PORT ? integer('SOHOA_METRICS_PORT', 0, 1, 65535) : undefined,
    trustProxy: integer('SOHOA_TRUST_PROXY', 0, 0, 10),
    https: oneOf('SOHOA_HTTPS', ['true', 'false'] as const, 'false') === 'true',
    redisUrl: redis?.toString(),
    databaseUrl: database?.toString(),
    s3,
    ...(queuePrefix ? { queuePrefix } : {}),
    concurrency: integer('SOHOA_CONCURRENCY', os.availableParallelism(), 1, 256),
    jobLockMs: integer('SOHOA_JOB_LOCK_SECONDS', 60, 1, 3600) * 1000,
    pageTimeoutMs: integer('SOHOA_PAGE_TIMEOUT_SECONDS', 600, 1, 86_400) * 1000,
    maxPages: integer('SOHOA_MAX_PAGES', 500, 1, 100_000),
    uploadLimits: {
      fileBytes: integer('SOHOA_MAX_FILE_MB', 512, 1, 1 << 20) * 2 ** 20,
      totalBytes: integer('SOHOA_MAX_UPLOAD_MB', 1024, 1, 1 << 20) * 2 ** 20,
      files: integer('SOHOA_MAX_FILES', 1000, 1, 100_000),
    },
    ocrModel: oneOf('SOHOA_OCR_MODEL', MODEL_VARIANTS, 'best'),
    pdfaPart: oneOf('SOHOA_PDFA', ['2b', '1b'] as const, '2b'),
    sign,
    coverage,
    ...(watchDir ? { watchDir } : {}),
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    ...(env.SOHOA_LOG_FILE ? { logFile: path.resolve(env.SOHOA_LOG_FILE) } : {}),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

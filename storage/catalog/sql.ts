/**
 * A tiny SQL driver interface with two implementations, so the catalog runs the same SQL on an
 * embedded PGlite (default, under the data directory) and on PostgreSQL (DATABASE_URL).
 *
 * PGlite is single-process: a lock file `<dataDir>/catalog.lock` holding the owner's pid keeps a
 * second process from opening the same data directory (a lock whose pid is gone is taken over).
 */

import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';
import { ServiceUnavailableError, UsageError } from '../../pipeline/errors.js';
import { redact } from '../redact.js';

export interface SqlClient {
  /** One statement, `$1`-style parameters; returns the rows. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several `;`-separated statements, no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs fn inside BEGIN/COMMIT (ROLLBACK when it throws). Nested calls join the outer transaction. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'pglite' | 'postgres';
}

/** A timestamp as either driver returns it (PGlite a Date, pg a Date or a string), as ISO 8601. */
export function isoTime(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export interface SqlOptions {
  /** Data directory; PGlite lives in `<dataDir>/catalog`. */
  dataDir: string;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /** Schema holding the catalog's tables (created if missing); `public` stays on the search path. */
  schema?: string;
}

/** Key of the advisory lock that serialises migrations (and schema creation) on PostgreSQL. */
const MIGRATION_LOCK = 'sohoa.catalog.migrate';

/** Waits for the database-wide migration lock, released at the end of the transaction (PostgreSQL only). */
export async function lockMigrations(tx: SqlClient): Promise<void> {
  if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
}

export async function openSqlClient(options: SqlOptions): Promise<SqlClient> {
  const schema = options.schema === undefined ? undefined : assertSchemaName(options.schema);
  return options.databaseUrl ? openPostgres(options.databaseUrl, schema) : openPglite(options.dataDir, schema);
}

function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new UsageError(`schema "${schema}" must be lower-case letters, digits and _ (at most 63)`);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------
// PGlite

export function catalogDir(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'catalog');
}

function lockFile(dataDir: string): string {
  return `${catalogDir(dataDir)}.lock`;
}

/** A lock file younger than this without a readable pid is being written, not abandoned. */
const FRESH_LOCK_MS = 10_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockState {
  content: string;
  /** Holder's pid, or null when the file holds none (being written, or garbage). */
  pid: number | null;
  ageMs: number;
}

function readLock(file: string): LockState | null {
  try {
    const content = readFileSync(file, 'utf8');
    const ageMs = Date.now() - statSync(file).mtimeMs;
    const pid = /^\d+$/.test(content.trim()) ? Number(content.trim()) : null;
    return { content, pid: pid && pid > 0 ? pid : null, ageMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Lock files this process holds, to tell them from a stale lock left by an earlier process with our
 * pid (common in containers, where the server is pid 1 at every start). */
const heldLocks = new Set<string>();

function lockHeld(file: string, lock: LockState): boolean {
  if (lock.pid === null) return lock.ageMs < FRESH_LOCK_MS;
  if (lock.pid === process.pid) return heldLocks.has(file);
  return pidAlive(lock.pid);
}

/**
 * Pid of the process holding the PGlite catalog of this data directory, or null when it is free
 * (no lock file, or its process is gone). Also null during the instant a new lock file is still empty.
 */
export function isCatalogLocked(dataDir: string): number | null {
  const file = lockFile(dataDir);
  const lock = readLock(file);
  return lock && lockHeld(file, lock) ? lock.pid : null;
}

function inUse(dataDir: string, pid: number | null): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `the catalog in ${catalogDir(dataDir)} is in use by ${pid === null ? 'another process' : `process ${pid}`} ` +
      `(lock file ${lockFile(dataDir)}); stop that process first, or set DATABASE_URL so several processes share a PostgreSQL catalog`,
  );
}

async function acquireLock(dataDir: string): Promise<() => Promise<void>> {
  const file = lockFile(dataDir);
  const mine = `${process.pid}\n`;
  if (heldLocks.has(file)) throw inUse(dataDir, process.pid);
  heldLocks.add(file); // before the file exists, so a concurrent open in this process sees it taken
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fs.writeFile(file, mine, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const lock = readLock(file);
        if (!lock) continue; // released meanwhile
        // Our own pid in a file this process does not hold: left by an earlier process.
        if (lock.pid !== process.pid && lockHeld(file, lock)) throw inUse(dataDir, lock.pid);
        // Stale: its process is gone. Take it over unless someone else did in the meantime.
        const again = readLock(file);
        if (again && again.content === lock.content) await fs.rm(file, { force: true });
        continue;
      }
      const releaseSync = () => {
        heldLocks.delete(file);
        try {
          if (readFileSync(file, 'utf8') === mine) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
      process.once('exit', releaseSync);
      return async () => {
        process.removeListener('exit', releaseSync);
        releaseSync();
      };
    }
    throw new ServiceUnavailableError(`cannot take the catalog lock ${file}: it keeps changing hands`);
  } catch (err) {
    heldLocks.delete(file);
    throw err;
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers sit in the server's own memory under PGlite, beside
 * the OCR workers: 32 MB leave about 100 MB for them, and the catalog bench (100,000 pages) measured
 * search p95 53 → 55 ms, coverage the same; the operating system's page cache holds the rest.
 */
const PGLITE_START = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * Creating a catalog leaves initdb's WebAssembly instance behind as garbage, a few hundred MB that
 * V8 was in no hurry to collect: `sohoa digitize` of 18 A4 pages on a new data directory peaked at
 * 1,274 MiB, 837 MiB where the catalog existed. It is collected at once.
 */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

async function openPglite(dataDir: string, schema: string | undefined): Promise<SqlClient> {
  const dir = catalogDir(dataDir);
  const release = await acquireLock(dataDir);
  let db: PGlite;
  try {
    const created = !existsSync(path.join(dir, 'PG_VERSION'));
    db = await PGlite.create(dir, { extensions: { pg_trgm, unaccent }, startParams: PGLITE_START });
    if (created) collectGarbage();
  } catch (err) {
    await release();
    throw new ServiceUnavailableError(`cannot open the catalog in ${dir}: ${describeError(err)}`);
  }
  const client = new PgliteClient(db, release);
  if (schema) {
    try {
      await db.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema}, public;`);
    } catch (err) {
      await client.close();
      throw err;
    }
  }
  return client;
}

type PgliteTx = Parameters<Parameters<PGlite['transaction']>[0]>[0];

class PgliteTransaction implements SqlClient {
  readonly kind = 'pglite' as const;
  constructor(private readonly tx: PgliteTx) {}
  async query<T>(text: string, params?: unknown[]): Promise<T[]> {
    return (await this.tx.query<T>(text, params)).rows;
  }
  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {
    throw new Error('close() inside a transaction');
  }
}

class PgliteClient implements SqlClient {
  readonly kind = 'pglite' as const;
  private closed = false;
  constructor(
    private readonly db: PGlite,
    private readonly release: () => Promise<void>,
  ) {}
  async query<T>(text: string, params?: unknown[]): Promise<T[]> {
    return (await this.db.query<T>(text, params)).rows;
  }
  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new PgliteTransaction(tx)));
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.db.close();
    } finally {
      await this.release();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return err.errors.map(describeError).join('; ');
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The server is unreachable or went away (as opposed to an error in the statement). */
function isConnectionError(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isConnectionError);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (CONNECTION_ERRNOS.has(code)) return true;
    if (/^(08|28|3D|57P0[1-3])/.test(code)) return true; // connection, auth, no database, shutdown
  }
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|timeout expired|Query read timeout|connect ECONNREFUSED/i.test(message);
}

/** Statements on a pool or on one of its connections; `wrap` turns a lost connection into ServiceUnavailableError. */
abstract class PgStatements {
  readonly kind = 'postgres' as const;
  constructor(
    protected readonly runner: pg.Pool | pg.PoolClient,
    protected readonly wrap: (err: unknown) => unknown,
  ) {}
  async query<T>(text: string, params?: unknown[]): Promise<T[]> {
    try {
      return (await this.runner.query(text, params)).rows as T[];
    } catch (err) {
      throw this.wrap(err);
    }
  }
  async exec(sql: string): Promise<void> {
    try {
      await this.runner.query(sql);
    } catch (err) {
      throw this.wrap(err);
    }
  }
}

class PgTransaction extends PgStatements implements SqlClient {
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {
    throw new Error('close() inside a transaction');
  }
}

class PgClient extends PgStatements implements SqlClient {
  private closed = false;
  constructor(
    private readonly pool: pg.Pool,
    target: string,
  ) {
    // Connection failures become ServiceUnavailableError (redacted URL); statement errors pass through.
    super(pool, (err) =>
      isConnectionError(err) ? new ServiceUnavailableError(`PostgreSQL at ${target} is unavailable: ${describeError(err)}`) : err,
    );
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw this.wrap(err);
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PgTransaction(client, this.wrap));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr as Error; // drop this connection instead of reusing it
      }
      throw this.wrap(err);
    } finally {
      client.release(broken);
    }
  }
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * No statement of the catalog runs for minutes (a rebuild is one dossier per statement): the server
 * cancels one at 2 min, and the client gives up 30 s later on a server that stopped answering.
 */
const STATEMENT_TIMEOUT_MS = 120_000;

async function openPostgres(databaseUrl: string, schema: string | undefined): Promise<SqlClient> {
  const target = redact(databaseUrl);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: 10_000,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: STATEMENT_TIMEOUT_MS + 30_000,
    idle_in_transaction_session_timeout: STATEMENT_TIMEOUT_MS,
    application_name: 'sohoa',
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const client = new PgClient(pool, target);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw new ServiceUnavailableError(`cannot reach PostgreSQL at ${target}: ${describeError(err)}`);
  }
  if (schema) {
    try {
      await client.transaction(async (tx) => {
        await lockMigrations(tx); // CREATE SCHEMA IF NOT EXISTS races with itself
        await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      });
    } catch (err) {
      await client.close();
      throw err;
    }
  }
  return client;
}

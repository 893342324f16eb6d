/**
 * Schema migrations: `migrations/NNN_name.sql`, applied in version order in one transaction and
 * recorded in `schema_migrations`. Running again applies nothing; two processes migrating at once
 * on PostgreSQL wait for each other on an advisory lock.
 *
 * The .sql files are read at run time from the directory next to this module, so the build must
 * copy `storage/catalog/migrations/*.sql` to `dist/storage/catalog/migrations/`.
 */
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ServiceUnavailableError } from '../../pipeline/errors.js';
import { lockMigrations, type SqlClient } from './sql.js';

export const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const where = fileURLToPath(dir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    names = [];
  }
  const migrations: Migration[] = [];
  for (const name of names.sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    migrations.push({ version: Number(m[1]), name, sql: await fs.readFile(new URL(name, dir), 'utf8') });
  }
  if (migrations.length === 0) {
    throw new ServiceUnavailableError(
      `no catalog migrations (NNN_name.sql) in ${where}; the build must copy storage/catalog/migrations/*.sql`,
    );
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`two catalog migrations have version ${migrations[i]!.version}: ${migrations[i - 1]!.name}, ${migrations[i]!.name}`);
    }
  }
  return migrations;
}

/** Applies the pending migrations; returns their versions (empty when the schema is current). */
export async function migrate(sql: SqlClient, dir: URL = MIGRATIONS_DIR): Promise<number[]> {
  const migrations = await loadMigrations(dir);
  return sql.transaction(async (tx) => {
    await lockMigrations(tx);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
    const known = migrations[migrations.length - 1]!.version;
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new ServiceUnavailableError(
        `the catalog schema is at version ${newest} but this program knows only up to ${known}; upgrade Sohoa`,
      );
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      try {
        await tx.exec(migration.sql);
      } catch (err) {
        if (err instanceof Error) err.message = `catalog migration ${migration.name}: ${err.message}`;
        throw err;
      }
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [migration.version]);
      applied.push(migration.version);
    }
    return applied;
  });
}

/**
 * The one-stop-shop register in Sohoa: every import is first stored as an object
 * (`register/<time>-<sha256 prefix>.json`: the validated rows, the source's name and SHA-256, the
 * rejected lines), then applied to the catalog. The catalog's register tables are derived: `catalog
 * rebuild` replays the stored imports in key order and gets the same rows back.
 */
import { NotFoundError, UsageError } from '../../pipeline/errors.js';
import { type ObjectStore, sha256 } from '../objects/index.js';
import type { Catalog } from './catalog.js';
import { parseRegister, type RegisterRow, type RowError } from './register-parse.js';
import type { SqlClient } from './sql.js';

export const REGISTER_PREFIX = 'register/';
const IMPORT_VERSION = 1;

/** What `register/<…>.json` holds. */
export interface RegisterImport {
  version: typeof IMPORT_VERSION;
  importedAt: string;
  importedBy: string;
  source: { name: string; sha256: string; format: 'csv' | 'json' };
  /** SHA-256 of JSON.stringify(rows): the same rows again are the same import. */
  rowsSha256: string;
  rejected: RowError[];
  rows: RegisterRow[];
}

export interface RegisterImportResult {
  /** The stored import; null when no row was valid (nothing stored). */
  key: string | null;
  source: string;
  /** Valid rows, applied to the catalog. */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
}

export interface ApplyCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** `20240131T235959123Z`: sortable, and a valid key segment. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

function stampMs(key: string): number | null {
  const m = /^register\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(key);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) : null;
}

/** Keys of the stored register imports, in replay order. */
export async function storedImportKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of store.list(REGISTER_PREFIX)) if (/^register\/[^/]+\.json$/.test(key)) keys.push(key);
  return keys.sort();
}

export async function readImport(store: ObjectStore, key: string): Promise<RegisterImport> {
  const doc = JSON.parse((await store.get(key)).toString('utf8')) as Partial<RegisterImport>;
  if (doc.version !== IMPORT_VERSION || !Array.isArray(doc.rows) || !doc.source) throw new Error(`${key} is not a register import`);
  return doc as RegisterImport;
}

/**
 * Stores the import unless the latest stored one holds the same rows (then that key is reused), and
 * returns its key. Keys only grow, so replaying in key order replays in import order.
 */
async function storeImport(store: ObjectStore, doc: RegisterImport): Promise<string> {
  const keys = await storedImportKeys(store);
  const latest = keys[keys.length - 1];
  if (latest?.endsWith(`-${doc.rowsSha256.slice(0, 16)}.json`)) return latest;
  const after = latest ? (stampMs(latest) ?? 0) + 1 : 0;
  const key = `${REGISTER_PREFIX}${stamp(Math.max(Date.parse(doc.importedAt), after))}-${doc.rowsSha256.slice(0, 16)}.json`;
  await store.put(key, Buffer.from(JSON.stringify(doc)), 'application/json');
  return key;
}

/** Rows per statement; each chunk is one JSON parameter. */
const CHUNK = 5000;

/** Upserts an import's rows (and the names of procedures and agencies) into the catalog. */
export async function applyImport(sql: SqlClient, key: string, doc: RegisterImport): Promise<ApplyCounts> {
  return sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO register_imports (key, imported_at, imported_by, source, source_sha256, rows, rejected)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
      [key, doc.importedAt, doc.importedBy, doc.source.name, doc.source.sha256, doc.rows.length, doc.rejected.length],
    );
    const counts: ApplyCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < doc.rows.length; start += CHUNK) {
      const chunk = doc.rows.slice(start, start + CHUNK);
      const [row] = await tx.query<{ inserted: number; updated: number }>(
        `WITH incoming AS (
           SELECT * FROM json_to_recordset($1::json) AS r("dossierCode" text, "procedureCode" text, "agencyCode" text, level text,
             "receivedAt" timestamptz, "resolvedAt" timestamptz, "receivedOn" date, "resolvedOn" date)),
         upserted AS (
           INSERT INTO register_dossiers AS t (code, procedure_code, agency_code, level, received_at, resolved_at, received_on, resolved_on, import_key)
           SELECT "dossierCode", "procedureCode", "agencyCode", level, "receivedAt", "resolvedAt", "receivedOn", "resolvedOn", $2 FROM incoming
           ON CONFLICT (code) DO UPDATE SET procedure_code = EXCLUDED.procedure_code, agency_code = EXCLUDED.agency_code,
             level = EXCLUDED.level, received_at = EXCLUDED.received_at, resolved_at = EXCLUDED.resolved_at,
             received_on = EXCLUDED.received_on, resolved_on = EXCLUDED.resolved_on, import_key = EXCLUDED.import_key
           WHERE (t.procedure_code, t.agency_code, t.level, t.received_at, t.resolved_at)
             IS DISTINCT FROM (EXCLUDED.procedure_code, EXCLUDED.agency_code, EXCLUDED.level, EXCLUDED.received_at, EXCLUDED.resolved_at)
           RETURNING (xmax = 0) AS fresh)
         SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM upserted`,
        [JSON.stringify(chunk), key],
      );
      counts.inserted += row!.inserted;
      counts.updated += row!.updated;
      counts.unchanged += chunk.length - row!.inserted - row!.updated;
      await upsertNames(tx, chunk);
    }
    return counts;
  });
}

/** The register names procedures and agencies; the last name seen for a code wins. */
async function upsertNames(tx: SqlClient, rows: RegisterRow[]): Promise<void> {
  const procedures = new Map(rows.filter((r) => r.procedureName).map((r) => [r.procedureCode, r.procedureName!]));
  const agencies = new Map(rows.filter((r) => r.agencyName).map((r) => [r.agencyCode, { name: r.agencyName!, level: r.level }]));
  if (procedures.size) {
    await tx.query(
      `INSERT INTO procedures (code, name) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name WHERE procedures.name IS DISTINCT FROM EXCLUDED.name`,
      [[...procedures.keys()], [...procedures.values()]],
    );
  }
  if (agencies.size) {
    await tx.query(
      `INSERT INTO agencies (code, name, level) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level
       WHERE (agencies.name, agencies.level) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level)`,
      [[...agencies.keys()], [...agencies.values()].map((a) => a.name), [...agencies.values()].map((a) => a.level)],
    );
  }
}

export interface ImportRequest {
  /** File name or API caller, kept with the import. */
  source: string;
  bytes: Buffer;
  format?: 'csv' | 'json';
  importedBy: string;
}

/** Validates, stores and applies a register file; the valid rows are kept even when others are bad. */
export async function importRegister(catalog: Catalog, store: ObjectStore, request: ImportRequest): Promise<RegisterImportResult> {
  if (request.bytes.length === 0) throw new UsageError('the register is empty');
  const parsed = parseRegister(request.bytes, request.source, request.format);
  const result = { source: request.source, rows: parsed.rows.length, errors: parsed.errors };
  if (parsed.rows.length === 0) return { ...result, key: null, inserted: 0, updated: 0, unchanged: 0 };
  const doc: RegisterImport = {
    version: IMPORT_VERSION,
    importedAt: new Date().toISOString(),
    importedBy: request.importedBy,
    source: { name: request.source, sha256: sha256(request.bytes), format: parsed.format },
    rowsSha256: sha256(JSON.stringify(parsed.rows)),
    rejected: parsed.errors,
    rows: parsed.rows,
  };
  const key = await storeImport(store, doc);
  const counts = await applyImport(catalog.sql, key, doc);
  await catalog.recordAudit(request.importedBy, 'register-import', key, {
    source: request.source,
    rows: parsed.rows.length,
    rejected: parsed.errors.length,
  });
  return { ...result, key, ...counts };
}

export interface ReplayResult {
  imports: number;
  /** Register dossiers afterwards. */
  dossiers: number;
  /** Stored imports that could not be read; the others were replayed. */
  failed: { key: string; error: string }[];
}

/** Clears the catalog's register and replays every stored import, oldest first, in one transaction. */
export async function replayRegister(sql: SqlClient, store: ObjectStore): Promise<ReplayResult> {
  const keys = await storedImportKeys(store);
  return sql.transaction(async (tx) => {
    await tx.exec('DELETE FROM register_dossiers; DELETE FROM register_imports;');
    const failed: ReplayResult['failed'] = [];
    let imports = 0;
    for (const key of keys) {
      let doc: RegisterImport;
      try {
        doc = await readImport(store, key);
      } catch (err) {
        if (!(err instanceof NotFoundError)) failed.push({ key, error: (err as Error).message }); // else removed while listing
        continue;
      }
      await applyImport(tx, key, doc);
      imports++;
    }
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM register_dossiers');
    return { imports, dossiers: row!.n, failed };
  });
}

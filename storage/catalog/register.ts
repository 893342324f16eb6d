/**
 * The one-stop-shop register in Sohoa, and the reference tables beside it (unit successions,
 * procedure versions): every import is first stored as an object (`register/<time>-<sha256
 * prefix>.json`, `register/units/…`, `register/procedures/…`: the validated rows, the source's name
 * and SHA-256, the rejected lines), then applied to the catalog. The catalog's register tables are
 * derived: `catalog rebuild` replays the stored imports in key order and gets the same rows back.
 */
import { NotFoundError, UsageError } from '../../pipeline/errors.js';
import { type ObjectStore, sha256 } from '../objects/index.js';
import type { Catalog } from './catalog.js';
import {
  cyclicSuccessions,
  type ProcedureVersion,
  parseProcedureVersions,
  parseUnitSuccessions,
  type UnitSuccession,
} from './reference-parse.js';
import { parseRegister, type RegisterRow } from './register-parse.js';
import type { SqlClient } from './sql.js';
import type { ParsedTable, RowError } from './table-parse.js';

export const REGISTER_PREFIX = 'register/';
const IMPORT_VERSION = 1;

/** The tables an import may fill: register dossiers, unit successions, procedure versions. */
export const REGISTER_TABLES = ['dossiers', 'units', 'procedures'] as const;
export type RegisterTable = (typeof REGISTER_TABLES)[number];

/** What `register/<…>.json` holds. */
export interface RegisterImport<Row = RegisterRow> {
  version: typeof IMPORT_VERSION;
  /** Absent in imports of the register's dossiers stored before there were other tables. */
  table?: RegisterTable;
  importedAt: string;
  importedBy: string;
  source: { name: string; sha256: string; format: 'csv' | 'json' };
  /** SHA-256 of JSON.stringify(rows): the same rows again are the same import. */
  rowsSha256: string;
  rejected: RowError[];
  rows: Row[];
}

export interface RegisterImportResult {
  table: RegisterTable;
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

/** How one table is read, checked against the catalog, and applied. */
interface TableHandling<Row> {
  prefix: string;
  parse(bytes: Buffer, source: string, format?: 'csv' | 'json'): ParsedTable<Row>;
  /** Rows the catalog's current state refuses, with why (checked before anything is stored). */
  refuse?(sql: SqlClient, rows: Row[]): Promise<Map<Row, string>>;
  apply(tx: SqlClient, key: string, rows: Row[]): Promise<ApplyCounts>;
}

/** Rows per statement; each chunk is one JSON parameter. */
const CHUNK = 5000;

/** Runs an upsert whose statement returns `(xmax = 0) AS fresh` per changed row, chunk by chunk. */
async function upsertChunks<Row>(
  tx: SqlClient,
  rows: Row[],
  statement: string,
  key: string,
  after?: (chunk: Row[]) => Promise<void>,
): Promise<ApplyCounts> {
  const counts: ApplyCounts = { inserted: 0, updated: 0, unchanged: 0 };
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const [row] = await tx.query<{ inserted: number; updated: number }>(
      `WITH upserted AS (${statement})
       SELECT count(*) FILTER (WHERE fresh)::int AS inserted, count(*) FILTER (WHERE NOT fresh)::int AS updated FROM upserted`,
      [JSON.stringify(chunk), key],
    );
    counts.inserted += row!.inserted;
    counts.updated += row!.updated;
    counts.unchanged += chunk.length - row!.inserted - row!.updated;
    await after?.(chunk);
  }
  return counts;
}

const DOSSIERS: TableHandling<RegisterRow> = {
  prefix: REGISTER_PREFIX,
  parse: parseRegister,
  apply: (tx, key, rows) =>
    upsertChunks(
      tx,
      rows,
      `INSERT INTO register_dossiers AS t (code, procedure_code, procedure_version, agency_code, agencies, level, received_at,
         resolved_at, due_at, received_on, resolved_on, import_key)
       SELECT "dossierCode", "procedureCode", "procedureVersion", "agencyCode",
         coalesce(ARRAY(SELECT json_array_elements_text(agencies)), '{}'), level, "receivedAt", "resolvedAt", "dueAt",
         "receivedOn", "resolvedOn", $2
       FROM json_to_recordset($1::json) AS r("dossierCode" text, "procedureCode" text, "procedureVersion" text, "agencyCode" text,
         agencies json, level text, "receivedAt" timestamptz, "resolvedAt" timestamptz, "dueAt" timestamptz, "receivedOn" date, "resolvedOn" date)
       ON CONFLICT (code) DO UPDATE SET procedure_code = EXCLUDED.procedure_code, procedure_version = EXCLUDED.procedure_version,
         agency_code = EXCLUDED.agency_code, agencies = EXCLUDED.agencies, level = EXCLUDED.level, received_at = EXCLUDED.received_at,
         resolved_at = EXCLUDED.resolved_at, due_at = EXCLUDED.due_at, received_on = EXCLUDED.received_on,
         resolved_on = EXCLUDED.resolved_on, import_key = EXCLUDED.import_key
       WHERE (t.procedure_code, t.procedure_version, t.agency_code, t.agencies, t.level, t.received_at, t.resolved_at, t.due_at)
         IS DISTINCT FROM (EXCLUDED.procedure_code, EXCLUDED.procedure_version, EXCLUDED.agency_code, EXCLUDED.agencies,
           EXCLUDED.level, EXCLUDED.received_at, EXCLUDED.resolved_at, EXCLUDED.due_at)
       RETURNING (xmax = 0) AS fresh`,
      key,
      async (chunk) => {
        await upsertProcedureNames(tx, chunk);
        await upsertAgencies(
          tx,
          chunk.map((r) => ({ code: r.agencyCode, name: r.agencyName, level: r.level })),
        );
      },
    ),
};

const UNITS: TableHandling<UnitSuccession> = {
  prefix: `${REGISTER_PREFIX}units/`,
  parse: parseUnitSuccessions,
  async refuse(sql, rows) {
    const existing = await sql.query<{ former_code: string; successor_code: string }>(
      'SELECT former_code, successor_code FROM unit_successions',
    );
    const cyclic = cyclicSuccessions(rows, new Map(existing.map((r) => [r.former_code, r.successor_code])));
    return new Map([...cyclic].map((r) => [r, `${r.formerCode} → ${r.successorCode} would make the successions a cycle`]));
  },
  apply: (tx, key, rows) =>
    upsertChunks(
      tx,
      rows,
      `INSERT INTO unit_successions AS t (former_code, successor_code, successor_level, effective_on, import_key)
       SELECT "formerCode", "successorCode", "successorLevel", "effectiveOn", $2
       FROM json_to_recordset($1::json) AS r("formerCode" text, "successorCode" text, "successorLevel" text, "effectiveOn" date)
       ON CONFLICT (former_code) DO UPDATE SET successor_code = EXCLUDED.successor_code, successor_level = EXCLUDED.successor_level,
         effective_on = EXCLUDED.effective_on, import_key = EXCLUDED.import_key
       WHERE (t.successor_code, t.successor_level, t.effective_on) IS DISTINCT FROM (EXCLUDED.successor_code, EXCLUDED.successor_level, EXCLUDED.effective_on)
       RETURNING (xmax = 0) AS fresh`,
      key,
      (chunk) =>
        upsertAgencies(
          tx,
          chunk.flatMap((r) => [
            { code: r.formerCode, name: r.formerName, level: r.formerLevel },
            { code: r.successorCode, name: r.successorName, level: r.successorLevel },
          ]),
        ),
    ),
};

const PROCEDURES: TableHandling<ProcedureVersion> = {
  prefix: `${REGISTER_PREFIX}procedures/`,
  parse: parseProcedureVersions,
  apply: async (tx, key, rows) => {
    const counts = await upsertChunks(
      tx,
      rows,
      `INSERT INTO procedure_versions AS t (procedure_code, version, valid_from, valid_to, component_codes, components, import_key)
       SELECT "procedureCode", version, "validFrom", "validTo", ARRAY(SELECT c->>'code' FROM json_array_elements(components) c), components::jsonb, $2
       FROM json_to_recordset($1::json) AS r("procedureCode" text, version text, "validFrom" date, "validTo" date, components json)
       ON CONFLICT (procedure_code, version) DO UPDATE SET valid_from = EXCLUDED.valid_from, valid_to = EXCLUDED.valid_to,
         component_codes = EXCLUDED.component_codes, components = EXCLUDED.components, import_key = EXCLUDED.import_key
       WHERE (t.valid_from, t.valid_to, t.components) IS DISTINCT FROM (EXCLUDED.valid_from, EXCLUDED.valid_to, EXCLUDED.components)
       RETURNING (xmax = 0) AS fresh`,
      key,
      (chunk) => upsertProcedureNames(tx, chunk),
    );
    // The procedure's version is the one valid most recently.
    await tx.exec(
      `UPDATE procedures p SET version = v.version FROM (SELECT DISTINCT ON (procedure_code) procedure_code, version
         FROM procedure_versions ORDER BY procedure_code, valid_from DESC) v
       WHERE v.procedure_code = p.code AND p.version IS DISTINCT FROM v.version`,
    );
    return counts;
  },
};

const HANDLING: Record<RegisterTable, TableHandling<unknown>> = {
  dossiers: DOSSIERS as TableHandling<unknown>,
  units: UNITS as TableHandling<unknown>,
  procedures: PROCEDURES as TableHandling<unknown>,
};

/** `20240131T235959123Z`: sortable, and a valid key segment. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

function stampMs(key: string): number | null {
  const m = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[^/]*$/.exec(key);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!) : null;
}

/** Keys of the stored imports of one table, in replay order. */
export async function storedImportKeys(store: ObjectStore, table: RegisterTable = 'dossiers'): Promise<string[]> {
  const { prefix } = HANDLING[table];
  const keys: string[] = [];
  for await (const { key } of store.list(prefix))
    if (key.startsWith(prefix) && /^[^/]+\.json$/.test(key.slice(prefix.length))) keys.push(key);
  return keys.sort();
}

export async function readImport(store: ObjectStore, key: string, table: RegisterTable = 'dossiers'): Promise<RegisterImport<unknown>> {
  const doc = JSON.parse((await store.get(key)).toString('utf8')) as Partial<RegisterImport<unknown>>;
  if (doc.version !== IMPORT_VERSION || !Array.isArray(doc.rows) || !doc.source || (doc.table ?? 'dossiers') !== table)
    throw new Error(`${key} is not a register import`);
  return doc as RegisterImport<unknown>;
}

/**
 * Stores the import unless the latest stored one holds the same rows (then that key is reused), and
 * returns its key. Keys only grow, so replaying in key order replays in import order.
 */
async function storeImport(store: ObjectStore, table: RegisterTable, doc: RegisterImport<unknown>): Promise<string> {
  const keys = await storedImportKeys(store, table);
  const latest = keys[keys.length - 1];
  if (latest?.endsWith(`-${doc.rowsSha256.slice(0, 16)}.json`)) return latest;
  const after = latest ? (stampMs(latest) ?? 0) + 1 : 0;
  const key = `${HANDLING[table].prefix}${stamp(Math.max(Date.parse(doc.importedAt), after))}-${doc.rowsSha256.slice(0, 16)}.json`;
  await store.put(key, Buffer.from(JSON.stringify(doc)), 'application/json');
  return key;
}

/** Upserts an import's rows (and the names it gives) into the catalog. */
export async function applyImport(sql: SqlClient, key: string, doc: RegisterImport<unknown>): Promise<ApplyCounts> {
  return sql.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO register_imports (key, imported_at, imported_by, source, source_sha256, rows, rejected)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
      [key, doc.importedAt, doc.importedBy, doc.source.name, doc.source.sha256, doc.rows.length, doc.rejected.length],
    );
    return HANDLING[doc.table ?? 'dossiers'].apply(tx, key, doc.rows);
  });
}

/** Procedures named by the rows; the last name seen for a code wins. */
async function upsertProcedureNames(tx: SqlClient, rows: { procedureCode: string; procedureName: string | null }[]): Promise<void> {
  const procedures = new Map(rows.filter((r) => r.procedureName).map((r) => [r.procedureCode, r.procedureName!]));
  if (procedures.size === 0) return;
  await tx.query(
    `INSERT INTO procedures (code, name) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name WHERE procedures.name IS DISTINCT FROM EXCLUDED.name`,
    [[...procedures.keys()], [...procedures.values()]],
  );
}

/** Agencies the rows name; the last name seen for a code wins, and a level left out keeps the known one. */
async function upsertAgencies(tx: SqlClient, rows: { code: string; name: string | null; level: string | null }[]): Promise<void> {
  const agencies = new Map(rows.filter((r) => r.name).map((r) => [r.code, { name: r.name!, level: r.level }]));
  if (agencies.size === 0) return;
  const list = [...agencies];
  await tx.query(
    `INSERT INTO agencies (code, name, level) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = coalesce(EXCLUDED.level, agencies.level)
     WHERE (agencies.name, agencies.level) IS DISTINCT FROM (EXCLUDED.name, coalesce(EXCLUDED.level, agencies.level))`,
    [list.map(([c]) => c), list.map(([, a]) => a.name), list.map(([, a]) => a.level)],
  );
}

export interface ImportRequest {
  /** File name or API caller, kept with the import. */
  source: string;
  bytes: Buffer;
  format?: 'csv' | 'json';
  importedBy: string;
  /** The register's dossiers unless said. */
  table?: RegisterTable;
}

/** Validates, stores and applies a register file; the valid rows are kept even when others are bad. */
export async function importRegister(catalog: Catalog, store: ObjectStore, request: ImportRequest): Promise<RegisterImportResult> {
  const table = request.table ?? 'dossiers';
  const handling = HANDLING[table];
  if (request.bytes.length === 0) throw new UsageError('the register is empty');
  const parsed = handling.parse(request.bytes, request.source, request.format);
  const refused = (await handling.refuse?.(catalog.sql, parsed.rows)) ?? new Map<unknown, string>();
  const rows = parsed.rows.filter((r) => !refused.has(r));
  const errors = [
    ...parsed.errors,
    ...parsed.rows.flatMap((r, i) => (refused.has(r) ? [{ line: parsed.lines[i]!, reason: refused.get(r)! }] : [])),
  ].sort((a, b) => a.line - b.line);
  const result = { table, source: request.source, rows: rows.length, errors };
  if (rows.length === 0) return { ...result, key: null, inserted: 0, updated: 0, unchanged: 0 };
  const doc: RegisterImport<unknown> = {
    version: IMPORT_VERSION,
    table,
    importedAt: new Date().toISOString(),
    importedBy: request.importedBy,
    source: { name: request.source, sha256: sha256(request.bytes), format: parsed.format },
    rowsSha256: sha256(JSON.stringify(rows)),
    rejected: errors,
    rows,
  };
  const key = await storeImport(store, table, doc);
  const counts = await applyImport(catalog.sql, key, doc);
  await catalog.recordAudit(request.importedBy, 'register-import', key, {
    table,
    source: request.source,
    rows: rows.length,
    rejected: errors.length,
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

/** Clears the catalog's register tables and replays every stored import, table by table, oldest first, in one transaction. */
export async function replayRegister(sql: SqlClient, store: ObjectStore): Promise<ReplayResult> {
  const stored = await Promise.all(REGISTER_TABLES.map(async (table) => ({ table, keys: await storedImportKeys(store, table) })));
  return sql.transaction(async (tx) => {
    await tx.exec(
      'DELETE FROM unit_successions; DELETE FROM procedure_versions; DELETE FROM register_dossiers; DELETE FROM register_imports;',
    );
    const failed: ReplayResult['failed'] = [];
    let imports = 0;
    for (const { table, keys } of stored) {
      for (const key of keys) {
        let doc: RegisterImport<unknown>;
        try {
          doc = await readImport(store, key, table);
        } catch (err) {
          if (!(err instanceof NotFoundError)) failed.push({ key, error: (err as Error).message }); // else removed while listing
          continue;
        }
        await applyImport(tx, key, doc);
        imports++;
      }
    }
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM register_dossiers');
    return { imports, dossiers: row!.n, failed };
  });
}

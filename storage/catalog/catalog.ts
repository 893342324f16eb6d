/**
 * The catalog: dossiers, documents and pages (with OCR text) in SQL, for listing, search and
 * coverage reports. It is derived from the manifests in the object store and can be rebuilt from
 * them (see indexer.ts); only the audit log is its own.
 */
import { mapLimit } from '../../pipeline/concurrency.js';
import { CorruptObjectError, UsageError } from '../../pipeline/errors.js';
import { LOW_CONFIDENCE, type OcrPageResult } from '../../pipeline/ocr/index.js';
import { type DocumentKind, type DossierManifest, type PageStatus, pageKeys, parseDossierCode, sha256 } from '../objects/index.js';
import { redact } from '../redact.js';
import { Accounts } from './accounts.js';
import { assertDay } from './days.js';
import { migrate } from './migrate.js';
import { catalogDir, isoTime, openSqlClient, type SqlClient } from './sql.js';
import { Params } from './sql-params.js';

export interface CatalogConfig {
  /** Data directory; the PGlite catalog lives in `<dataDir>/catalog`. */
  dataDir: string;
  /** PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /** Schema for the catalog's tables (created if missing), e.g. for isolated tests. */
  schema?: string;
}

export interface DossierRow {
  code: string;
  agencyCode: string;
  procedureCode: string | null;
  /** `YYYY-MM-DD`, from the dossier code. */
  receivedOn: string;
  manifestSha256: string;
  /** ISO 8601. */
  indexedAt: string;
  /** The manifest's updatedAt, ISO 8601. */
  updatedAt: string;
}

export interface DocumentRow {
  number: number;
  fileCode: string;
  kind: DocumentKind;
  pdfKey: string | null;
  pageCount: number;
  pagesFailed: number;
  submittedBy: string;
  completedAt: string;
}

/** A page as the catalog lists it: a blank page (not in the PDF/A) has a status of its own. */
export type CatalogPageStatus = PageStatus | 'blank';

export interface PageStatusRow {
  number: number;
  status: CatalogPageStatus;
  error: string | null;
  confidence: number | null;
  lowConfidence: boolean;
  dpi: number | null;
}

export interface DocumentDetail extends DocumentRow {
  pages: PageStatusRow[];
}

export interface DossierDetail extends DossierRow {
  documents: DocumentDetail[];
}

export interface DossierListItem extends DossierRow {
  documentCount: number;
  pageCount: number;
  pagesFailed: number;
}

export interface DossierList {
  total: number;
  items: DossierListItem[];
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
}

export interface RecentDocument extends DocumentRow {
  dossierCode: string;
}

export interface AuditQuery {
  limit?: number;
  offset?: number;
  actor?: string;
  action?: string;
  /** `YYYY-MM-DD`, Vietnam time. */
  from?: string;
  to?: string;
}

export interface CatalogCounts {
  dossiers: number;
  documents: number;
  pages: number;
}

export interface IndexResult {
  dossierCode: string;
  documents: number;
  pages: number;
  pagesFailed: number;
}

/** Reads a page's OCR result by its object key (`…/pages/NNNN/ocr.json`). */
export type OcrReader = (key: string) => Promise<OcrPageResult>;

interface DossierDb {
  code: string;
  agency_code: string;
  procedure_code: string | null;
  received_on: string;
  manifest_sha256: string;
  indexed_at: Date | string;
  updated_at: Date | string;
}

interface DocumentDb {
  number: number;
  file_code: string;
  kind: DocumentKind;
  pdf_key: string | null;
  page_count: number;
  pages_failed: number;
  submitted_by: string;
  completed_at: Date | string;
}

interface PageDb {
  document_number: number;
  page_number: number;
  status: CatalogPageStatus;
  error: string | null;
  confidence: number | null;
  low_confidence: boolean;
  dpi: number | null;
}

const DOSSIER_COLUMNS = `code, agency_code, procedure_code, to_char(received_on, 'YYYY-MM-DD') AS received_on,
  manifest_sha256, indexed_at, updated_at`;

function dossierRow(r: DossierDb): DossierRow {
  return {
    code: r.code,
    agencyCode: r.agency_code,
    procedureCode: r.procedure_code,
    receivedOn: r.received_on,
    manifestSha256: r.manifest_sha256,
    indexedAt: isoTime(r.indexed_at),
    updatedAt: isoTime(r.updated_at),
  };
}

function documentRow(r: DocumentDb): DocumentRow {
  return {
    number: r.number,
    fileCode: r.file_code,
    kind: r.kind,
    pdfKey: r.pdf_key,
    pageCount: r.page_count,
    pagesFailed: r.pages_failed,
    submittedBy: r.submitted_by,
    completedAt: isoTime(r.completed_at),
  };
}

function pageRow(r: PageDb): PageStatusRow {
  return {
    number: r.page_number,
    status: r.status,
    error: r.error,
    confidence: r.confidence,
    lowConfidence: r.low_confidence,
    dpi: r.dpi,
  };
}

/** Multi-row INSERT, in chunks that stay under PostgreSQL's 65535 parameters. */
async function insertRows(tx: SqlClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perChunk = Math.floor(30_000 / columns.length);
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
    await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }
}

function checkPaging(limit: number, offset: number, maxLimit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new UsageError(`limit must be an integer from 1 to ${maxLimit}`);
  if (!Number.isInteger(offset) || offset < 0) throw new UsageError('offset must be a non-negative integer');
}

export class Catalog {
  /** Users, machine tokens, sessions and settings. */
  readonly accounts: Accounts;

  private constructor(
    /** The SQL connection, for queries this class does not offer yet (search, coverage). */
    readonly sql: SqlClient,
    private readonly location: string,
  ) {
    this.accounts = new Accounts(sql);
  }

  /** Opens PostgreSQL (databaseUrl) or the PGlite under dataDir, and brings its schema up to date. */
  static async open(cfg: CatalogConfig): Promise<Catalog> {
    const sql = await openSqlClient(cfg);
    try {
      await migrate(sql);
    } catch (err) {
      await sql.close();
      throw err;
    }
    const schema = cfg.schema ? `, schema ${cfg.schema}` : '';
    const location = cfg.databaseUrl ? `PostgreSQL at ${redact(cfg.databaseUrl)}` : `PGlite in ${catalogDir(cfg.dataDir)}`;
    return new Catalog(sql, location + schema);
  }

  get kind(): SqlClient['kind'] {
    return this.sql.kind;
  }

  /** Human-readable location (password redacted), for logs and the health endpoint. */
  describe(): string {
    return this.location;
  }

  /**
   * Replaces everything the catalog holds for the manifest's dossier, in one transaction. OCR
   * results of done pages are read first (through `ocr`), so a missing one changes nothing.
   */
  async indexDossier(manifest: DossierManifest, ocr: OcrReader, options: { manifestSha256?: string } = {}): Promise<IndexResult> {
    const code = manifest.dossierCode;
    const { receivedOn } = parseDossierCode(code);
    const manifestSha256 = options.manifestSha256 ?? sha256(JSON.stringify(manifest));

    // A withdrawn document is kept in the manifest's history only: it is neither found nor counted.
    const documents = manifest.documents.filter((doc) => !doc.withdrawn);
    const pageRefs = documents.flatMap((doc) => doc.pages.map((page) => ({ doc, page })));
    const pageRows = await mapLimit(pageRefs, 8, async ({ doc, page }) => {
      let text: string | null = null;
      let confidence = page.ocrConfidence ?? null;
      const status: CatalogPageStatus = page.status === 'done' && page.blank ? 'blank' : page.status;
      if (status === 'done') {
        const key = pageKeys(code, doc.number, page.number).ocrResult;
        const result = await ocr(key);
        if (typeof result?.text !== 'string') throw new CorruptObjectError(key, 'not an OCR result (no text)');
        text = result.text.normalize('NFC').replaceAll('\u0000', '');
        if (typeof result.confidence === 'number' && Number.isFinite(result.confidence)) confidence = result.confidence;
      }
      const error = page.status === 'failed' ? (page.error ?? 'failed') : null;
      const low = page.status === 'done' && confidence !== null && confidence < LOW_CONFIDENCE;
      return [code, doc.number, page.number, status, error, text, confidence, low, page.dpi ?? null];
    });
    const documentRows = documents.map((doc) => [
      code,
      doc.number,
      doc.fileCode,
      doc.kind,
      doc.component ?? null,
      doc.title ?? null,
      doc.metadata ? JSON.stringify(doc.metadata) : null,
      ...(['typeName', 'codeNotation', 'organName', 'subject', 'issuedDate'] as const).map((field) => {
        const value = doc.metadata?.values[field];
        return typeof value === 'string' ? value : null;
      }),
      doc.pdfKey ?? null,
      doc.pages.length,
      doc.pages.filter((p) => p.status === 'failed').length,
      doc.submittedBy,
      doc.completedAt,
    ]);

    await this.sql.transaction(async (tx) => {
      // Two indexers may race on one dossier (PostgreSQL); an older manifest never replaces a newer one.
      const current = await tx.query(
        `INSERT INTO dossiers (code, agency_code, procedure_code, received_on, manifest_sha256, indexed_at, updated_at, metadata)
         VALUES ($1, $2, $3, $4, $5, now(), $6, $7)
         ON CONFLICT (code) DO UPDATE SET agency_code = EXCLUDED.agency_code, procedure_code = EXCLUDED.procedure_code,
           received_on = EXCLUDED.received_on, manifest_sha256 = EXCLUDED.manifest_sha256,
           indexed_at = EXCLUDED.indexed_at, updated_at = EXCLUDED.updated_at, metadata = EXCLUDED.metadata
         WHERE dossiers.updated_at <= EXCLUDED.updated_at
         RETURNING code`,
        [
          code,
          manifest.agencyCode,
          manifest.procedureCode ?? null,
          receivedOn,
          manifestSha256,
          manifest.updatedAt,
          manifest.metadata ? JSON.stringify(manifest.metadata) : null,
        ],
      );
      if (current.length === 0) return;
      await tx.query('DELETE FROM documents WHERE dossier_code = $1', [code]); // cascades to pages
      await insertRows(
        tx,
        'documents',
        [
          'dossier_code',
          'number',
          'file_code',
          'kind',
          'component_code',
          'title',
          'metadata',
          'type_name',
          'code_notation',
          'organ_name',
          'subject',
          'issued_date',
          'pdf_key',
          'page_count',
          'pages_failed',
          'submitted_by',
          'completed_at',
        ],
        documentRows,
      );
      await insertRows(
        tx,
        'pages',
        ['dossier_code', 'document_number', 'page_number', 'status', 'error', 'text', 'confidence', 'low_confidence', 'dpi'],
        pageRows,
      );
    });
    return {
      dossierCode: code,
      documents: documentRows.length,
      pages: pageRows.length,
      pagesFailed: pageRefs.filter(({ page }) => page.status === 'failed').length,
    };
  }

  /** Removes a dossier with its documents and pages; false when the catalog did not hold it. */
  async removeDossier(code: string): Promise<boolean> {
    return (await this.sql.query('DELETE FROM dossiers WHERE code = $1 RETURNING code', [code])).length > 0;
  }

  /** Every dossier code in the catalog, sorted. */
  async dossierCodes(): Promise<string[]> {
    return (await this.sql.query<{ code: string }>('SELECT code FROM dossiers ORDER BY code')).map((r) => r.code);
  }

  /** The dossier, its documents and each page's status (no page text); null when not catalogued. */
  async getDossier(code: string): Promise<DossierDetail | null> {
    return this.sql.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ'); // one snapshot for the three reads
      const [dossier] = await tx.query<DossierDb>(`SELECT ${DOSSIER_COLUMNS} FROM dossiers WHERE code = $1`, [code]);
      if (!dossier) return null;
      const documents = await tx.query<DocumentDb>(
        `SELECT number, file_code, kind, pdf_key, page_count, pages_failed, submitted_by, completed_at
         FROM documents WHERE dossier_code = $1 ORDER BY number`,
        [code],
      );
      const pages = await tx.query<PageDb>(
        `SELECT document_number, page_number, status, error, confidence, low_confidence, dpi
         FROM pages WHERE dossier_code = $1 ORDER BY document_number, page_number`,
        [code],
      );
      return {
        ...dossierRow(dossier),
        documents: documents.map((d) => ({
          ...documentRow(d),
          pages: pages.filter((p) => p.document_number === d.number).map(pageRow),
        })),
      };
    });
  }

  /** Dossiers, most recently received first. */
  async listDossiers({ limit = 50, offset = 0 }: { limit?: number; offset?: number } = {}): Promise<DossierList> {
    checkPaging(limit, offset, 1000);
    return this.sql.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const [{ total } = { total: 0 }] = await tx.query<{ total: number }>('SELECT count(*)::int AS total FROM dossiers');
      const rows = await tx.query<DossierDb & { document_count: number; page_count: number; pages_failed: number }>(
        `SELECT ${DOSSIER_COLUMNS},
           (SELECT count(*)::int FROM documents x WHERE x.dossier_code = d.code) AS document_count,
           (SELECT coalesce(sum(x.page_count), 0)::int FROM documents x WHERE x.dossier_code = d.code) AS page_count,
           (SELECT coalesce(sum(x.pages_failed), 0)::int FROM documents x WHERE x.dossier_code = d.code) AS pages_failed
         FROM dossiers d ORDER BY d.received_on DESC, d.code DESC LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      return {
        total,
        items: rows.map((r) => ({
          ...dossierRow(r),
          documentCount: r.document_count,
          pageCount: r.page_count,
          pagesFailed: r.pages_failed,
        })),
      };
    });
  }

  /**
   * Documents most recently digitized, newest first; with `agency`, only those of the dossiers that
   * agency received (their codes begin with it).
   */
  async recentDocuments({ agency, limit = 20 }: { agency?: string | null; limit?: number } = {}): Promise<RecentDocument[]> {
    checkPaging(limit, 0, 200);
    const rows = await this.sql.query<DocumentDb & { dossier_code: string }>(
      `SELECT x.dossier_code, x.number, x.file_code, x.kind, x.pdf_key, x.page_count, x.pages_failed, x.submitted_by, x.completed_at
       FROM documents x
       WHERE $1::text IS NULL OR starts_with(x.dossier_code, $1 || '-')
       ORDER BY x.completed_at DESC, x.dossier_code, x.number LIMIT $2`,
      [agency ?? null, limit],
    );
    return rows.map((r) => ({ dossierCode: r.dossier_code, ...documentRow(r) }));
  }

  /** OCR text of one page; null when the page is not catalogued or failed. */
  async pageText(code: string, documentNumber: number, page: number): Promise<string | null> {
    const [row] = await this.sql.query<{ text: string | null }>(
      'SELECT text FROM pages WHERE dossier_code = $1 AND document_number = $2 AND page_number = $3',
      [code, documentNumber, page],
    );
    return row?.text ?? null;
  }

  /** Appends to the audit log. `detail` must not carry personal data beyond what the audit needs. */
  async recordAudit(actor: string, action: string, target: string, detail?: unknown): Promise<AuditRow> {
    const [row] = await this.sql.query<AuditDb>(
      `INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4::jsonb)
       RETURNING id, at, actor, action, target, detail`,
      [actor, action, target, detail === undefined ? null : JSON.stringify(detail)],
    );
    return auditRow(row!);
  }

  /** Audit entries, newest first; `from`/`to` are days (Vietnam time), both included. */
  async audit({ limit = 100, offset = 0, ...filters }: AuditQuery = {}): Promise<AuditRow[]> {
    checkPaging(limit, offset, 10_000);
    assertDay('from', filters.from);
    assertDay('to', filters.to);
    const p = new Params();
    const where = [
      filters.actor ? `actor = ${p.add(filters.actor)}` : null,
      filters.action ? `action = ${p.add(filters.action)}` : null,
      // A Vietnamese day starts at 17:00 UTC the day before (UTC+7, no daylight saving).
      filters.from ? `at >= ((${p.add(filters.from)}::date - interval '7 hours') AT TIME ZONE 'UTC')` : null,
      filters.to ? `at < ((${p.add(filters.to)}::date + 1 - interval '7 hours') AT TIME ZONE 'UTC')` : null,
    ].filter(Boolean);
    const rows = await this.sql.query<AuditDb>(
      `SELECT id, at, actor, action, target, detail FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ${p.add(limit)} OFFSET ${p.add(offset)}`,
      p.values,
    );
    return rows.map(auditRow);
  }

  /** Answers when the database does; for readiness checks, which must cost nothing. */
  async ping(): Promise<void> {
    await this.sql.query('SELECT 1');
  }

  async counts(): Promise<CatalogCounts> {
    const [row] = await this.sql.query<CatalogCounts>(
      `SELECT (SELECT count(*) FROM dossiers)::int AS dossiers, (SELECT count(*) FROM documents)::int AS documents,
         (SELECT count(*) FROM pages)::int AS pages`,
    );
    return row!;
  }

  async close(): Promise<void> {
    await this.sql.close();
  }
}

interface AuditDb {
  id: number | string | bigint;
  at: Date | string;
  actor: string;
  action: string;
  target: string;
  detail: unknown;
}

function auditRow(r: AuditDb): AuditRow {
  return { id: Number(r.id), at: isoTime(r.at), actor: r.actor, action: r.action, target: r.target, detail: r.detail };
}

/**
 * The catalog on PGlite (fresh temp dir) and, when DATABASE_URL is set, on PostgreSQL (a fresh
 * schema `sohoa_test_<random>` per catalog, dropped at the end).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NotFoundError, ServiceUnavailableError } from '../pipeline/errors.js';
import type { OcrPageResult } from '../pipeline/ocr/index.js';
import { Catalog, indexDossierFromStore, isCatalogLocked, rebuildCatalog } from '../storage/catalog/index.js';
import { loadMigrations, migrate } from '../storage/catalog/migrate.js';
import {
  type DossierManifest,
  type ManifestDocument,
  type ManifestPage,
  manifestKey,
  type ObjectInfo,
  type ObjectStore,
  pageKeys,
  sha256,
} from '../storage/objects/index.js';
import { catalogBackends, cleanupCatalogs, tempDir } from './support/catalog-fixtures.js';

afterAll(cleanupCatalogs);

// ---------------------------------------------------------------------------------------------
// Fixtures: a hand-built manifest and the OCR result of each done page.

const CODE = '000.00.15.H17-231114-0001';
const OTHER = '000.00.15.H17-231115-0002';

function ocrResult(text: string, confidence: number): OcrPageResult {
  return { text, confidence, width: 2480, height: 3508, lines: [], engine: 'test', languages: ['vie'] };
}

function page(number: number, status: 'done' | 'failed' = 'done', extra: Partial<ManifestPage> = {}): ManifestPage {
  return {
    number,
    source: { key: `originals/${number}`, fileName: `scan-${number}.tif`, index: number - 1 },
    status,
    ...(status === 'failed' ? { error: `scan-${number}.tif: image is empty` } : { dpi: 300 }),
    ...extra,
  };
}

function document(code: string, number: number, kind: 'component' | 'result', pages: ManifestPage[]): ManifestDocument {
  const nn = String(number).padStart(2, '0');
  return {
    number,
    fileCode: `${code}.${nn}`,
    kind,
    submissionHash: sha256(`${code}/${number}`),
    submittedAt: '2023-11-14T02:00:00.000Z',
    submittedBy: 'scanner-1',
    completedAt: `2023-11-14T03:0${number}:00.000Z`,
    originals: [],
    pages,
    ...(pages.some((p) => p.status === 'done') ? { pdfKey: `dossiers/${code}/${code}.${nn}.pdf` } : {}),
  };
}

function manifest(code: string, documents: ManifestDocument[], updatedAt = '2023-11-14T03:00:00.000Z'): DossierManifest {
  return {
    version: 1,
    dossierCode: code,
    agencyCode: code.split('-')[0]!,
    procedureCode: '1.004227',
    updatedAt,
    documents,
    objects: [],
  };
}

/** OCR results by object key; the reader records which keys were read. */
class OcrFixture {
  readonly results = new Map<string, OcrPageResult>();
  readonly reads: string[] = [];
  set(code: string, doc: number, pageNumber: number, text: string, confidence = 91): this {
    this.results.set(pageKeys(code, doc, pageNumber).ocrResult, ocrResult(text, confidence));
    return this;
  }
  readonly reader = async (key: string): Promise<OcrPageResult> => {
    this.reads.push(key);
    const result = this.results.get(key);
    if (!result) throw new NotFoundError(`no object ${key}`);
    return result;
  };
}

/** Dossier CODE: document 1 (component) has 3 pages, page 2 failed; document 2 (result) 1 page. */
function baseDossier(): { manifest: DossierManifest; ocr: OcrFixture } {
  const ocr = new OcrFixture()
    .set(CODE, 1, 1, 'ĐƠN ĐỀ NGHỊ\nHồ sơ đất đai', 93.5)
    .set(CODE, 1, 3, 'Giấy chứng nhận quyền sử dụng đất', 64)
    .set(CODE, 2, 1, 'Quyết định cấp giấy chứng nhận', 88);
  const m = manifest(CODE, [document(CODE, 1, 'component', [page(1), page(2, 'failed'), page(3)]), document(CODE, 2, 'result', [page(1)])]);
  return { manifest: m, ocr };
}

/** Every row the catalog holds, except indexed_at (the time of indexing). */
async function snapshot(catalog: Catalog): Promise<unknown> {
  const dossiers = await catalog.sql.query(
    `SELECT code, agency_code, procedure_code, received_on::text AS received_on, manifest_sha256, updated_at
     FROM dossiers ORDER BY code`,
  );
  const documents = await catalog.sql.query('SELECT * FROM documents ORDER BY dossier_code, number');
  const pages = await catalog.sql.query('SELECT * FROM pages ORDER BY dossier_code, document_number, page_number');
  return { dossiers, documents, pages };
}

/** A minimal in-memory ObjectStore for the indexer. */
class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  async put(key: string, body: Buffer): Promise<void> {
    this.objects.set(key, body);
  }
  async putFile(key: string, file: string | Buffer): Promise<void> {
    this.objects.set(key, await fs.readFile(file));
  }
  async get(key: string): Promise<Buffer> {
    const body = this.objects.get(key);
    if (!body) throw new NotFoundError(`no object ${key}`);
    return body;
  }
  async stat(key: string): Promise<ObjectInfo | null> {
    const body = this.objects.get(key);
    return body ? { key, size: body.length } : null;
  }
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    for (const key of [...this.objects.keys()].sort()) if (key.startsWith(prefix)) yield { key, size: this.objects.get(key)!.length };
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
  describe(): string {
    return 'memory';
  }
  async close(): Promise<void> {}
  putDossier(m: DossierManifest, ocr: OcrFixture): void {
    this.objects.set(manifestKey(m.dossierCode), Buffer.from(JSON.stringify(m, null, 2)));
    for (const [key, result] of ocr.results) this.objects.set(key, Buffer.from(JSON.stringify(result)));
  }
}

// ---------------------------------------------------------------------------------------------

describe.each(catalogBackends)('catalog on $name', (backend) => {
  const openFresh = async () => {
    const cfg = await backend.fresh();
    return { cfg, catalog: await Catalog.open(cfg) };
  };

  it('migrates once; opening again applies nothing', async () => {
    const { cfg, catalog } = await openFresh();
    try {
      expect(catalog.kind).toBe(backend.name);
      const versions = await catalog.sql.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      const shipped = (await loadMigrations()).map((m) => ({ version: m.version }));
      expect(shipped.length).toBeGreaterThanOrEqual(3);
      expect(versions).toEqual(shipped);
      expect(await migrate(catalog.sql)).toEqual([]);
      const tables = await catalog.sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual([
        'agencies',
        'api_tokens',
        'audit_log',
        'documents',
        'dossiers',
        'pages',
        'procedure_versions',
        'procedures',
        'register_dossiers',
        'register_imports',
        'schema_migrations',
        'search_words',
        'sessions',
        'settings',
        'unit_successions',
        'users',
      ]);
    } finally {
      await catalog.close();
    }
    const again = await Catalog.open(cfg);
    try {
      expect(await migrate(again.sql)).toEqual([]);
      expect(await again.counts()).toEqual({ dossiers: 0, documents: 0, pages: 0 });
    } finally {
      await again.close();
    }
  });

  if (backend.name === 'postgres') {
    it('two processes migrating the same schema at once both succeed, once', async () => {
      const cfg = await backend.fresh();
      const catalogs = await Promise.all([Catalog.open(cfg), Catalog.open(cfg), Catalog.open(cfg)]);
      try {
        const shipped = (await loadMigrations()).map((m) => ({ version: m.version }));
        expect(await catalogs[0]!.sql.query('SELECT version FROM schema_migrations ORDER BY version')).toEqual(shipped);
        const fold = await catalogs[2]!.sql.query<{ f: string }>(`SELECT sohoa_fold('Đất') AS f`);
        expect(fold).toEqual([{ f: 'dat' }]);
      } finally {
        await Promise.all(catalogs.map((c) => c.close()));
      }
    });
  }

  it('indexes a dossier: dossier, documents, page statuses and text', async () => {
    const { catalog } = await openFresh();
    try {
      const { manifest: m, ocr } = baseDossier();
      const result = await catalog.indexDossier(m, ocr.reader);
      expect(result).toEqual({ dossierCode: CODE, documents: 2, pages: 4, pagesFailed: 1 });
      expect(await catalog.counts()).toEqual({ dossiers: 1, documents: 2, pages: 4 });
      // Only done pages are read.
      expect(ocr.reads.sort()).toEqual([...ocr.results.keys()].sort());

      const dossier = await catalog.getDossier(CODE);
      expect(dossier).not.toBeNull();
      const { indexedAt, ...rest } = dossier!;
      expect(Number.isNaN(Date.parse(indexedAt))).toBe(false);
      expect(rest).toEqual({
        code: CODE,
        agencyCode: '000.00.15.H17',
        procedureCode: '1.004227',
        receivedOn: '2023-11-14',
        manifestSha256: sha256(JSON.stringify(m)),
        updatedAt: '2023-11-14T03:00:00.000Z',
        documents: [
          {
            number: 1,
            fileCode: `${CODE}.01`,
            kind: 'component',
            pdfKey: `dossiers/${CODE}/${CODE}.01.pdf`,
            pageCount: 3,
            pagesFailed: 1,
            submittedBy: 'scanner-1',
            completedAt: '2023-11-14T03:01:00.000Z',
            pages: [
              { number: 1, status: 'done', error: null, confidence: 93.5, lowConfidence: false, dpi: 300 },
              { number: 2, status: 'failed', error: 'scan-2.tif: image is empty', confidence: null, lowConfidence: false, dpi: null },
              { number: 3, status: 'done', error: null, confidence: 64, lowConfidence: true, dpi: 300 },
            ],
          },
          {
            number: 2,
            fileCode: `${CODE}.02`,
            kind: 'result',
            pdfKey: `dossiers/${CODE}/${CODE}.02.pdf`,
            pageCount: 1,
            pagesFailed: 0,
            submittedBy: 'scanner-1',
            completedAt: '2023-11-14T03:02:00.000Z',
            pages: [{ number: 1, status: 'done', error: null, confidence: 88, lowConfidence: false, dpi: 300 }],
          },
        ],
      });
      expect(await catalog.pageText(CODE, 1, 1)).toBe('ĐƠN ĐỀ NGHỊ\nHồ sơ đất đai');
      expect(await catalog.pageText(CODE, 2, 1)).toBe('Quyết định cấp giấy chứng nhận');
      expect(await catalog.pageText(CODE, 9, 1)).toBeNull();
      expect(await catalog.getDossier(OTHER)).toBeNull();
    } finally {
      await catalog.close();
    }
  });

  it('stores failed pages with their error and no text', async () => {
    const { catalog } = await openFresh();
    try {
      const ocr = new OcrFixture().set(CODE, 1, 2, 'Trang hai');
      const m = manifest(CODE, [
        document(CODE, 1, 'component', [page(1, 'failed'), page(2)]),
        document(CODE, 2, 'component', [page(1, 'failed', { error: 'giay.pdf page 1: unreadable' })]),
      ]);
      expect(await catalog.indexDossier(m, ocr.reader)).toEqual({ dossierCode: CODE, documents: 2, pages: 3, pagesFailed: 2 });
      const rows = await catalog.sql.query(
        `SELECT document_number, page_number, status, error, text, text_search FROM pages ORDER BY document_number, page_number`,
      );
      expect(rows).toEqual([
        { document_number: 1, page_number: 1, status: 'failed', error: 'scan-1.tif: image is empty', text: null, text_search: null },
        { document_number: 1, page_number: 2, status: 'done', error: null, text: 'Trang hai', text_search: 'trang hai' },
        { document_number: 2, page_number: 1, status: 'failed', error: 'giay.pdf page 1: unreadable', text: null, text_search: null },
      ]);
      expect(await catalog.pageText(CODE, 1, 1)).toBeNull();
      const detail = await catalog.getDossier(CODE);
      expect(detail!.documents.map((d) => [d.pageCount, d.pagesFailed, d.pdfKey])).toEqual([
        [2, 1, `dossiers/${CODE}/${CODE}.01.pdf`],
        [1, 1, null],
      ]);
    } finally {
      await catalog.close();
    }
  });

  it('re-indexing the same manifest gives the same rows', async () => {
    const { catalog } = await openFresh();
    try {
      const { manifest: m, ocr } = baseDossier();
      await catalog.indexDossier(m, ocr.reader);
      const before = await snapshot(catalog);
      await catalog.indexDossier(m, ocr.reader);
      expect(await snapshot(catalog)).toEqual(before);
      expect(await catalog.counts()).toEqual({ dossiers: 1, documents: 2, pages: 4 });
    } finally {
      await catalog.close();
    }
  });

  it('re-indexing after a document was added, or a page redone, updates the dossier', async () => {
    const { catalog } = await openFresh();
    try {
      const { manifest: m, ocr } = baseDossier();
      await catalog.indexDossier(m, ocr.reader);
      ocr.set(CODE, 3, 1, 'Biên nhận hồ sơ').set(CODE, 3, 2, 'Trang 2').set(CODE, 1, 2, 'Trang quét lại');
      const updated = manifest(
        CODE,
        [document(CODE, 1, 'component', [page(1), page(2), page(3)]), m.documents[1]!, document(CODE, 3, 'component', [page(1), page(2)])],
        '2023-11-20T08:00:00.000Z',
      );
      expect(await catalog.indexDossier(updated, ocr.reader)).toEqual({ dossierCode: CODE, documents: 3, pages: 6, pagesFailed: 0 });
      expect(await catalog.counts()).toEqual({ dossiers: 1, documents: 3, pages: 6 });
      const dossier = await catalog.getDossier(CODE);
      expect(dossier!.updatedAt).toBe('2023-11-20T08:00:00.000Z');
      expect(dossier!.manifestSha256).toBe(sha256(JSON.stringify(updated)));
      expect(dossier!.documents.map((d) => [d.number, d.pageCount, d.pagesFailed])).toEqual([
        [1, 3, 0],
        [2, 1, 0],
        [3, 2, 0],
      ]);
      expect(await catalog.pageText(CODE, 1, 2)).toBe('Trang quét lại');
      expect(await catalog.pageText(CODE, 3, 1)).toBe('Biên nhận hồ sơ');

      // A manifest without document 2 drops it and its pages.
      await catalog.indexDossier(manifest(CODE, [updated.documents[0]!, updated.documents[2]!], '2023-11-21T08:00:00.000Z'), ocr.reader);
      expect(await catalog.counts()).toEqual({ dossiers: 1, documents: 2, pages: 5 });
      expect(await catalog.pageText(CODE, 2, 1)).toBeNull();

      // An indexer that lost a race arrives with an older manifest: the newer rows stay.
      await catalog.indexDossier(updated, ocr.reader);
      expect(await catalog.counts()).toEqual({ dossiers: 1, documents: 2, pages: 5 });
      expect((await catalog.getDossier(CODE))!.updatedAt).toBe('2023-11-21T08:00:00.000Z');
    } finally {
      await catalog.close();
    }
  });

  it('keeps the previous rows when indexing fails part-way', async () => {
    const { catalog } = await openFresh();
    try {
      const { manifest: m, ocr } = baseDossier();
      await catalog.indexDossier(m, ocr.reader);
      const before = await snapshot(catalog);

      // A missing ocr.json: nothing is written.
      const withMissing = manifest(CODE, [...m.documents, document(CODE, 3, 'component', [page(1)])]);
      await expect(catalog.indexDossier(withMissing, ocr.reader)).rejects.toThrow(/pages\/0001\/ocr\.json/);
      // A database error inside the transaction (the same page twice): rolled back.
      ocr.set(CODE, 3, 1, 'x');
      const duplicate = manifest(CODE, [...m.documents, document(CODE, 3, 'component', [page(1), page(1)])]);
      await expect(catalog.indexDossier(duplicate, ocr.reader)).rejects.toThrow();
      expect(await snapshot(catalog)).toEqual(before);
    } finally {
      await catalog.close();
    }
  });

  it('folds text for search: lower case, no diacritics, đ → d', async () => {
    const { catalog } = await openFresh();
    try {
      const [folded] = await catalog.sql.query<{ a: string; b: string; c: string }>(
        'SELECT sohoa_fold($1) AS a, sohoa_fold($2) AS b, sohoa_fold($3) AS c',
        ['Hồ sơ đất đai', 'HỒ SƠ ĐẤT ĐAI'.normalize('NFD'), 'Quyết định ưu tiên Ỷ Ỵ'],
      );
      expect(folded).toEqual({ a: 'ho so dat dai', b: 'ho so dat dai', c: 'quyet dinh uu tien y y' });

      const { manifest: m, ocr } = baseDossier();
      await catalog.indexDossier(m, ocr.reader);
      const [stored] = await catalog.sql.query<{ text_search: string }>(
        'SELECT text_search FROM pages WHERE dossier_code = $1 AND document_number = 1 AND page_number = 1',
        [CODE],
      );
      expect(stored!.text_search).toBe('don de nghi\nho so dat dai');
      // Typed without diacritics, "dat" finds "đất" on both pages that hold it.
      const hits = await catalog.sql.query<{ document_number: number; page_number: number }>(
        `SELECT document_number, page_number FROM pages WHERE text_search LIKE '%' || sohoa_fold($1) || '%'
         ORDER BY document_number, page_number`,
        ['dat'],
      );
      expect(hits).toEqual([
        { document_number: 1, page_number: 1 },
        { document_number: 1, page_number: 3 },
      ]);
      const index = await catalog.sql.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'pages_text_search_trgm'`,
      );
      expect(index).toHaveLength(1);
      expect(index[0]!.indexdef).toMatch(/USING gin \(text_search (public\.)?gin_trgm_ops\)/);
    } finally {
      await catalog.close();
    }
  });

  it('lists dossiers newest first, with totals and paging', async () => {
    const { catalog } = await openFresh();
    try {
      const { manifest: m, ocr } = baseDossier();
      await catalog.indexDossier(m, ocr.reader);
      ocr.set(OTHER, 1, 1, 'Tờ khai');
      await catalog.indexDossier(manifest(OTHER, [document(OTHER, 1, 'component', [page(1)])]), ocr.reader);

      const all = await catalog.listDossiers({ limit: 10, offset: 0 });
      expect(all.total).toBe(2);
      expect(all.items.map((d) => [d.code, d.receivedOn, d.documentCount, d.pageCount, d.pagesFailed])).toEqual([
        [OTHER, '2023-11-15', 1, 1, 0],
        [CODE, '2023-11-14', 2, 4, 1],
      ]);
      const second = await catalog.listDossiers({ limit: 1, offset: 1 });
      expect(second.total).toBe(2);
      expect(second.items.map((d) => d.code)).toEqual([CODE]);
      await expect(catalog.listDossiers({ limit: 0 })).rejects.toThrow(/limit/);
      expect(await catalog.dossierCodes()).toEqual([CODE, OTHER]);
      expect(await catalog.removeDossier(OTHER)).toBe(true);
      expect(await catalog.removeDossier(OTHER)).toBe(false);
      expect(await catalog.counts()).toEqual({ dossiers: 1, documents: 2, pages: 4 });
    } finally {
      await catalog.close();
    }
  });

  it('records audit entries, newest first', async () => {
    const { catalog } = await openFresh();
    try {
      const first = await catalog.recordAudit('archivist-1', 'search', 'dossiers', { q: 'ho so', hits: 2 });
      const second = await catalog.recordAudit('archivist-1', 'open', `${CODE}.01`);
      expect(second.id).toBeGreaterThan(first.id);
      expect(first.detail).toEqual({ q: 'ho so', hits: 2 });
      const entries = await catalog.audit({ limit: 10 });
      expect(entries.map(({ at: _at, id: _id, ...e }) => e)).toEqual([
        { actor: 'archivist-1', action: 'open', target: `${CODE}.01`, detail: null },
        { actor: 'archivist-1', action: 'search', target: 'dossiers', detail: { q: 'ho so', hits: 2 } },
      ]);
      expect(entries.map((e) => e.id)).toEqual([second.id, first.id]);
      expect(Math.abs(Date.parse(entries[0]!.at) - Date.now())).toBeLessThan(10 * 60_000);
      expect((await catalog.audit({ limit: 1 })).map((e) => e.action)).toEqual(['open']);
    } finally {
      await catalog.close();
    }
  });

  it('indexes from the object store and rebuilds, dropping dossiers the store lost', async () => {
    const { catalog } = await openFresh();
    try {
      const store = new MemoryStore();
      const { manifest: m, ocr } = baseDossier();
      store.putDossier(m, ocr);
      const other = manifest(OTHER, [document(OTHER, 1, 'component', [page(1)])]);
      store.putDossier(other, new OcrFixture().set(OTHER, 1, 1, 'Tờ khai'));

      expect(await indexDossierFromStore(catalog, store, CODE)).toEqual({ dossierCode: CODE, documents: 2, pages: 4, pagesFailed: 1 });
      expect((await catalog.getDossier(CODE))!.manifestSha256).toBe(sha256(store.objects.get(manifestKey(CODE))!));
      await expect(indexDossierFromStore(catalog, store, '000.00.15.H17-231116-0009')).rejects.toBeInstanceOf(NotFoundError);

      // The catalog holds a dossier the store no longer has, and the store has a broken manifest.
      const gone = '000.00.15.H17-231101-0005';
      await catalog.indexDossier(manifest(gone, [document(gone, 1, 'component', [page(1, 'failed')])]), async () => {
        throw new Error('unused');
      });
      const broken = '000.00.15.H17-231117-0003';
      store.objects.set(manifestKey(broken), Buffer.from('{"version": 1, "dossierCode": "someone else"}'));
      await catalog.recordAudit('admin', 'rebuild', 'catalog');

      const result = await rebuildCatalog(catalog, store);
      expect(result.indexed).toBe(2);
      expect(result.removed).toBe(1);
      expect(result.failed).toEqual([{ dossierCode: broken, error: expect.stringMatching(/describes dossier "someone else"/) }]);
      expect(result.counts).toEqual({ dossiers: 2, documents: 3, pages: 5 });
      expect(await catalog.dossierCodes()).toEqual([CODE, OTHER]);
      expect(await catalog.pageText(OTHER, 1, 1)).toBe('Tờ khai');
      // The audit log is not derived from the store: a rebuild keeps it.
      expect((await catalog.audit({ limit: 5 })).map((e) => e.action)).toEqual(['rebuild']);
    } finally {
      await catalog.close();
    }
  });
});

describe('PGlite lock', () => {
  it('keeps a second open out with a clear error, and is released on close', async () => {
    const dataDir = await tempDir();
    expect(isCatalogLocked(dataDir)).toBeNull();
    const first = await Catalog.open({ dataDir });
    const lockFile = path.join(dataDir, 'catalog.lock');
    try {
      expect(isCatalogLocked(dataDir)).toBe(process.pid);
      expect((await fs.readFile(lockFile, 'utf8')).trim()).toBe(String(process.pid));
      const second = Catalog.open({ dataDir });
      await expect(second).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(second).rejects.toThrow(
        new RegExp(`in use by process ${process.pid} \\(lock file ${lockFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`),
      );
      // The failed open left the holder's lock alone.
      expect(isCatalogLocked(dataDir)).toBe(process.pid);
    } finally {
      await first.close();
    }
    expect(isCatalogLocked(dataDir)).toBeNull();
    await expect(fs.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const reopened = await Catalog.open({ dataDir });
    try {
      expect(await reopened.counts()).toEqual({ dossiers: 0, documents: 0, pages: 0 });
    } finally {
      await reopened.close();
    }
  });

  it('takes over a stale lock whose process is gone', async () => {
    const dataDir = await tempDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const lockFile = path.join(dataDir, 'catalog.lock');
    await fs.writeFile(lockFile, `${dead}\n`);
    expect(isCatalogLocked(dataDir)).toBeNull();
    const catalog = await Catalog.open({ dataDir });
    try {
      expect(isCatalogLocked(dataDir)).toBe(process.pid);
      expect((await fs.readFile(lockFile, 'utf8')).trim()).toBe(String(process.pid));
    } finally {
      await catalog.close();
    }
    expect(isCatalogLocked(dataDir)).toBeNull();
  });
});

describe('PostgreSQL connection errors', () => {
  it('reports an unreachable server as ServiceUnavailableError without the password', async () => {
    const url = 'postgres://sohoa:s3cret-pw@127.0.0.1:1/sohoa';
    const open = Catalog.open({ dataDir: await tempDir(), databaseUrl: url });
    await expect(open).rejects.toBeInstanceOf(ServiceUnavailableError);
    const err = (await open.catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^cannot reach PostgreSQL at postgres:\/\/sohoa:\*\*\*@127\.0\.0\.1:1\/sohoa: .*ECONNREFUSED/);
    expect(err.message).not.toContain('s3cret-pw');
  });
});

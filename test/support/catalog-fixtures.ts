/**
 * Catalogs for the register, coverage and search tests: PGlite in a temp dir always, PostgreSQL
 * (a fresh schema `sohoa_test_<random>`) too when DATABASE_URL is set; and dossiers written as
 * manifests + ocr.json into a directory store, then indexed the way the pipeline indexes them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { OcrPageResult } from '../../pipeline/ocr/index.js';
import { Catalog, type CatalogConfig, indexDossierFromStore } from '../../storage/catalog/index.js';
import {
  DirectoryStore,
  type DossierManifest,
  type ManifestPage,
  manifestKey,
  type ObjectStore,
  pageKeys,
  sha256,
} from '../../storage/objects/index.js';

export const DATABASE_URL = process.env.DATABASE_URL;

export interface CatalogBackend {
  name: 'pglite' | 'postgres';
  /** Configuration of a new, empty catalog. */
  fresh(): Promise<CatalogConfig>;
}

const tempDirs: string[] = [];
const schemas: string[] = [];

export async function tempDir(label = 'catalog'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `sohoa-${label}-`));
  tempDirs.push(dir);
  return dir;
}

export const catalogBackends: CatalogBackend[] = [
  { name: 'pglite', fresh: async () => ({ dataDir: await tempDir() }) },
  ...(DATABASE_URL
    ? [
        {
          name: 'postgres' as const,
          fresh: async () => {
            const schema = `sohoa_test_${randomBytes(6).toString('hex')}`;
            schemas.push(schema);
            return { dataDir: await tempDir(), databaseUrl: DATABASE_URL, schema };
          },
        },
      ]
    : []),
];

/** Throws the catalog away: its PGlite directory or its PostgreSQL schema. */
export async function dropCatalog(cfg: CatalogConfig): Promise<void> {
  if (cfg.databaseUrl) {
    const client = new pg.Client({ connectionString: cfg.databaseUrl });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${cfg.schema} CASCADE`);
    } finally {
      await client.end();
    }
  } else {
    await fs.rm(path.join(cfg.dataDir, 'catalog'), { recursive: true, force: true });
  }
}

/** For afterAll: drops every schema and directory these helpers created. */
export async function cleanupCatalogs(): Promise<void> {
  if (DATABASE_URL && schemas.length) {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end();
    }
  }
  await Promise.all(tempDirs.splice(0).map((dir) => fs.rm(dir, { recursive: true, force: true })));
}

export async function openCatalog(backend: CatalogBackend): Promise<{ cfg: CatalogConfig; catalog: Catalog; store: DirectoryStore }> {
  const cfg = await backend.fresh();
  return { cfg, catalog: await Catalog.open(cfg), store: new DirectoryStore(path.join(cfg.dataDir, 'objects')) };
}

// ---------------------------------------------------------------------------------------------

export interface DocumentSpec {
  kind: 'component' | 'result';
  /** The procedure's component the document is. */
  component?: string;
  /** OCR text of each page; null for a page that failed. */
  pages: (string | null)[];
}

export interface DossierSpec {
  code: string;
  procedureCode?: string;
  documents: DocumentSpec[];
}

function page(number: number, text: string | null): ManifestPage {
  const source = { key: `originals/${number}`, fileName: `scan-${number}.tif`, index: number - 1 };
  return text === null
    ? { number, source, status: 'failed', error: `scan-${number}.tif: image is empty` }
    : { number, source, status: 'done', dpi: 300 };
}

export function dossierManifest(spec: DossierSpec): DossierManifest {
  return {
    version: 1,
    dossierCode: spec.code,
    agencyCode: spec.code.split('-')[0]!,
    ...(spec.procedureCode ? { procedureCode: spec.procedureCode } : {}),
    updatedAt: '2024-12-31T00:00:00.000Z',
    documents: spec.documents.map((doc, i) => {
      const number = i + 1;
      const fileCode = `${spec.code}.${String(number).padStart(2, '0')}`;
      return {
        number,
        fileCode,
        kind: doc.kind,
        ...(doc.component ? { component: doc.component } : {}),
        submissionHash: sha256(`${spec.code}/${number}`),
        submittedAt: '2024-12-31T00:00:00.000Z',
        submittedBy: 'scanner-1',
        completedAt: '2024-12-31T00:00:00.000Z',
        originals: [],
        pages: doc.pages.map((text, p) => page(p + 1, text)),
        ...(doc.pages.some((t) => t !== null) ? { pdfKey: `dossiers/${spec.code}/${fileCode}.pdf` } : {}),
      };
    }),
    objects: [],
  };
}

function ocrResult(text: string): OcrPageResult {
  return { text, confidence: 90, width: 2480, height: 3508, lines: [], engine: 'test', languages: ['vie'] };
}

/** Writes the dossier's manifest and the ocr.json of its done pages into the store. */
export async function putDossier(store: ObjectStore, spec: DossierSpec): Promise<void> {
  for (const [d, doc] of spec.documents.entries()) {
    for (const [p, text] of doc.pages.entries()) {
      if (text !== null) await store.put(pageKeys(spec.code, d + 1, p + 1).ocrResult, Buffer.from(JSON.stringify(ocrResult(text))));
    }
  }
  await store.put(manifestKey(spec.code), Buffer.from(JSON.stringify(dossierManifest(spec), null, 1)));
}

/** Stores every dossier and indexes it into the catalog. */
export async function storeAndIndex(catalog: Catalog, store: ObjectStore, specs: DossierSpec[]): Promise<void> {
  for (const spec of specs) {
    await putDossier(store, spec);
    await indexDossierFromStore(catalog, store, spec.code);
  }
}

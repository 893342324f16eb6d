/**
 * Fills the catalog from the object store: one dossier after its manifest changed, or all of them
 * (`catalog rebuild`), which also drops dossiers the store no longer holds and replays the stored
 * register imports.
 */
import type { OcrPageResult } from '../pipeline/ocr.js';
import type { Catalog, CatalogCounts, IndexResult } from './catalog.js';
import { MANIFEST_VERSION, manifestKey, sha256, type DossierManifest } from './manifest.js';
import type { ObjectStore } from './object-store.js';
import { replayRegister, type ReplayResult } from './register.js';

function parseJson(bytes: Buffer, key: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${key} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Parses a stored manifest and checks that it is one, for this dossier. */
export function parseManifest(bytes: Buffer, dossierCode: string): DossierManifest {
  const key = manifestKey(dossierCode);
  const manifest = parseJson(bytes, key) as Partial<DossierManifest> | null;
  if (!manifest || typeof manifest !== 'object') throw new Error(`${key} is not a dossier manifest`);
  if (manifest.version !== MANIFEST_VERSION) throw new Error(`${key} has manifest version ${String(manifest.version)}, expected ${MANIFEST_VERSION}`);
  if (manifest.dossierCode !== dossierCode) throw new Error(`${key} describes dossier "${String(manifest.dossierCode)}"`);
  if (!Array.isArray(manifest.documents)) throw new Error(`${key} has no documents list`);
  return manifest as DossierManifest;
}

/** (Re)indexes one dossier from its manifest and the ocr.json of each done page. */
export async function indexDossierFromStore(catalog: Catalog, store: ObjectStore, dossierCode: string): Promise<IndexResult> {
  const bytes = await store.get(manifestKey(dossierCode));
  const manifest = parseManifest(bytes, dossierCode);
  return catalog.indexDossier(manifest, async (key) => parseJson(await store.get(key), key) as OcrPageResult, {
    manifestSha256: sha256(bytes),
  });
}

/** `dossiers/<code>/manifest.json` → code. */
const MANIFEST_KEY = /^dossiers\/([^/]+)\/manifest\.json$/;

/** Codes of the dossiers whose manifest is in the store, sorted. */
export async function storedDossierCodes(store: ObjectStore): Promise<string[]> {
  const codes: string[] = [];
  for await (const { key } of store.list('dossiers/')) {
    const m = MANIFEST_KEY.exec(key);
    if (m) codes.push(m[1]!);
  }
  return codes.sort();
}

export interface RebuildResult {
  /** Dossiers indexed from the store. */
  indexed: number;
  /** Dossiers dropped from the catalog because the store no longer holds them. */
  removed: number;
  /** Dossiers that could not be indexed (bad manifest, missing ocr.json…); the others were. */
  failed: { dossierCode: string; error: string }[];
  /** Register imports replayed (and those that could not be read), and the register's dossiers afterwards. */
  register: ReplayResult;
  /** The catalog afterwards. */
  counts: CatalogCounts;
}

/** Re-derives the whole catalog from the manifests and register imports in the store. The audit log is kept. */
export async function rebuildCatalog(
  catalog: Catalog,
  store: ObjectStore,
  options: { onDossier?: (dossierCode: string, error?: Error) => void } = {},
): Promise<RebuildResult> {
  const stored = await storedDossierCodes(store);
  const present = new Set(stored);
  let removed = 0;
  for (const code of await catalog.dossierCodes()) {
    if (!present.has(code) && (await catalog.removeDossier(code))) removed++;
  }
  let indexed = 0;
  const failed: RebuildResult['failed'] = [];
  for (const code of stored) {
    try {
      await indexDossierFromStore(catalog, store, code);
      indexed++;
      options.onDossier?.(code);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      failed.push({ dossierCode: code, error: error.message });
      options.onDossier?.(code, error);
    }
  }
  const register = await replayRegister(catalog.sql, store);
  return { indexed, removed, failed, register, counts: await catalog.counts() };
}

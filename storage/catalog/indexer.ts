/**
 * Fills the catalog from the object store: one dossier after its manifest changed, or all of them
 * (`catalog rebuild`), which also drops dossiers the store no longer holds and replays the stored
 * register imports.
 */
import { NotFoundError } from '../../pipeline/errors.js';
import type { OcrPageResult } from '../../pipeline/ocr/index.js';
import { getJson, type ObjectStore, readStoredManifest, storedDossierCodes } from '../objects/index.js';
import type { Catalog, CatalogCounts, IndexResult } from './catalog.js';
import { type ReplayResult, replayRegister } from './register.js';

/** (Re)indexes one dossier from its manifest and the ocr.json of each done page. */
export async function indexDossierFromStore(catalog: Catalog, store: ObjectStore, dossierCode: string): Promise<IndexResult> {
  const stored = await readStoredManifest(store, dossierCode);
  if (!stored) throw new NotFoundError(`dossier ${dossierCode} has no manifest in the object store`);
  return catalog.indexDossier(stored.manifest, (key) => getJson<OcrPageResult>(store, key), { manifestSha256: stored.sha256 });
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

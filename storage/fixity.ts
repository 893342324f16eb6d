/**
 * Fixity: every object a manifest lists is read back and re-hashed (SHA-256); a mismatch or a
 * missing object is reported by key.
 */
import { NotFoundError } from '../pipeline/errors.js';
import { manifestKey, sha256, type DossierManifest } from './manifest.js';
import type { ObjectStore } from './object-store.js';

export interface FixityProblem {
  kind: 'mismatch' | 'missing' | 'unreadable-manifest';
  key: string;
  detail: string;
}

export interface FixityReport {
  dossiers: number;
  objects: number;
  problems: FixityProblem[];
}

async function* manifestKeys(store: ObjectStore, dossierCode?: string): AsyncIterable<string> {
  if (dossierCode) {
    yield manifestKey(dossierCode);
    return;
  }
  for await (const { key } of store.list('dossiers/')) {
    if (/^dossiers\/[^/]+\/manifest\.json$/.test(key)) yield key;
  }
}

export async function verifyFixity(store: ObjectStore, dossierCode?: string): Promise<FixityReport> {
  const report: FixityReport = { dossiers: 0, objects: 0, problems: [] };
  for await (const key of manifestKeys(store, dossierCode)) {
    let manifest: DossierManifest;
    try {
      manifest = JSON.parse((await store.get(key)).toString('utf8')) as DossierManifest;
    } catch (err) {
      const detail = err instanceof NotFoundError ? 'no manifest: the dossier is unknown' : `cannot parse: ${(err as Error).message}`;
      report.problems.push({ kind: err instanceof NotFoundError ? 'missing' : 'unreadable-manifest', key, detail });
      continue;
    }
    report.dossiers++;
    for (const object of manifest.objects) {
      report.objects++;
      let body: Buffer;
      try {
        body = await store.get(object.key);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
        report.problems.push({ kind: 'missing', key: object.key, detail: `listed in ${key} but not in the store` });
        continue;
      }
      const actual = sha256(body);
      if (actual !== object.sha256) {
        report.problems.push({ kind: 'mismatch', key: object.key, detail: `SHA-256 ${actual}, manifest says ${object.sha256}` });
      }
    }
  }
  return report;
}

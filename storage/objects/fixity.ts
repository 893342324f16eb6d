/**
 * Fixity: every object a manifest lists is read back and re-hashed (SHA-256); a mismatch, a
 * missing object or an unreadable manifest is reported by key.
 */
import { CorruptObjectError, NotFoundError } from '../../pipeline/errors.js';
import { sha256 } from './io.js';
import { manifestKey } from './layout.js';
import { type DossierManifest, readManifest, storedDossierCodes } from './manifest.js';
import type { ObjectStore } from './store.js';

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

export async function verifyFixity(store: ObjectStore, dossierCode?: string): Promise<FixityReport> {
  const report: FixityReport = { dossiers: 0, objects: 0, problems: [] };
  for (const code of dossierCode ? [dossierCode] : await storedDossierCodes(store)) {
    const key = manifestKey(code);
    let manifest: DossierManifest | undefined;
    try {
      manifest = await readManifest(store, code);
    } catch (err) {
      if (!(err instanceof CorruptObjectError)) throw err;
      report.problems.push({ kind: 'unreadable-manifest', key, detail: err.reason });
      continue;
    }
    if (!manifest) {
      report.problems.push({ kind: 'missing', key, detail: 'no manifest: the dossier is unknown' });
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

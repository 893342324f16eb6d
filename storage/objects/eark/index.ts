/**
 * A dossier as an E-ARK CSIP/SIP package (DOMAIN.md: archival packages follow E-ARK CSIP with
 * PREMIS and SHA-256 fixity): `<dossier code>/METS.xml`, `metadata/descriptive/` (Circular 05/2025
 * fields, Dublin Core), `metadata/preservation/premis.xml`, and the representations `pdfa`,
 * `originals` and `ocr-text` under `representations/<name>/data/`. Written as a folder or a ZIP.
 */
import { once } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';
import { ConflictError } from '../../../pipeline/errors.js';
import type { DossierManifest } from '../manifest.js';
import type { ObjectStore } from '../store.js';
import { circularXml, dublinCoreXml } from './descriptive.js';
import { madeFile, type PackageFile, representationFiles } from './files.js';
import { metsXml } from './mets.js';
import { premisXml } from './premis.js';

export type { PackageFile, Representation } from './files.js';

export interface EarkPackage {
  /** The package's identifier and root folder: the dossier code. */
  id: string;
  /** Every file, METS.xml last. */
  files: PackageFile[];
}

export async function earkPackage(
  store: ObjectStore,
  manifest: DossierManifest,
  options: { producer: string; now?: Date },
): Promise<EarkPackage> {
  const now = (options.now ?? new Date()).toISOString();
  const files = await representationFiles(store, manifest);
  const tt05 = madeFile('metadata/descriptive/tt05.xml', 'text/xml', circularXml(manifest), manifest.updatedAt);
  const dc = madeFile('metadata/descriptive/dc.xml', 'text/xml', dublinCoreXml(manifest), manifest.updatedAt);
  const premis = madeFile('metadata/preservation/premis.xml', 'text/xml', premisXml(manifest, files, options.producer, now), now);
  const title = manifest.metadata?.values.title;
  const mets = metsXml({
    manifest,
    title: typeof title === 'string' ? title : `Hồ sơ ${manifest.dossierCode}`,
    producer: options.producer,
    now,
    descriptive: { tt05, dc },
    premis,
    files,
  });
  return { id: manifest.dossierCode, files: [tt05, dc, premis, ...files, madeFile('METS.xml', 'text/xml', mets, now)] };
}

/** Writes the package as `<dir>/<dossier code>/…`; an existing package folder is not overwritten. */
export async function writeEarkFolder(pkg: EarkPackage, dir: string): Promise<{ root: string; files: number; bytes: number }> {
  const root = path.join(dir, pkg.id);
  try {
    await fs.mkdir(root, { recursive: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new ConflictError(`${root} exists: export into another folder, or remove it`);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await fs.mkdir(root, { recursive: true });
  }
  let bytes = 0;
  for (const file of pkg.files) {
    const target = path.join(root, ...file.path.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    const body = await file.bytes();
    await fs.writeFile(target, body);
    bytes += body.length;
  }
  return { root, files: pkg.files.length, bytes };
}

/** The package as a ZIP stream (stored, not deflated: PDFs and scans do not shrink), one file read at a time. */
export function earkZip(pkg: EarkPackage): Readable {
  const out = new PassThrough();
  const zip = new Zip((err, chunk, final) => {
    if (err) out.destroy(err);
    else {
      out.write(Buffer.from(chunk));
      if (final) out.end();
    }
  });
  void (async () => {
    try {
      for (const file of pkg.files) {
        const entry = new ZipPassThrough(`${pkg.id}/${file.path}`);
        zip.add(entry);
        entry.push(await file.bytes(), true);
        // A slow client holds the next file back rather than the whole package in memory.
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      zip.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

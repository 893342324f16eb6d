/** Turning the paths a user typed into the files of one submission, in a stable order. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../pipeline/errors.js';
import { fileOnDisk, type SubmittedFile } from '../../workers/index.js';

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Files are taken as given; a folder contributes every non-hidden file below it, in natural order.
 * Paths stay bytes: a name written by a station in another encoding is no UTF-8, and its decoded
 * string would name no file.
 */
export async function collectFiles(paths: string[]): Promise<Buffer[]> {
  const files: Buffer[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new UsageError(`${p}: no such file or folder`);
    if (stat.isDirectory()) {
      const found = await filesUnder(Buffer.from(p.replace(/\/+$/, '') || '/'));
      files.push(...found.sort((a, b) => naturalOrder.compare(a.toString('utf8'), b.toString('utf8'))));
    } else {
      files.push(Buffer.from(p));
    }
  }
  if (files.length === 0) throw new UsageError(`no files found in ${paths.join(', ')}`);
  return files;
}

const DOT = 0x2e;

async function filesUnder(dir: Buffer): Promise<Buffer[]> {
  const found: Buffer[] = [];
  for (const entry of await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' })) {
    if (entry.name[0] === DOT) continue;
    const full = Buffer.concat([dir, Buffer.from(path.sep), entry.name]);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

/** The files, hashed one after another; their bytes are read when a stage needs them. */
export async function readFiles(files: Buffer[]): Promise<SubmittedFile[]> {
  const read: SubmittedFile[] = [];
  for (const f of files) read.push(await fileOnDisk(f, path.basename(f.toString('utf8'))));
  return read;
}

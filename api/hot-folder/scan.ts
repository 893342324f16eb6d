/**
 * What the hot folder holds: the files directly in it (each a stack split by its cover sheets)
 * and those one level down, in a subfolder named by a dossier code (each goes to that dossier).
 * Hidden files, files still being written under a temporary name, `done/` and `failed/` are left alone.
 */
import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileLook } from './settle.js';

export const DONE = 'done';
export const FAILED = 'failed';

/** Suffixes scanners and copy tools give a file while they write it. */
const TEMPORARY = ['.part', '.tmp', '.crdownload', '~'];

export interface HotFile extends FileLook {
  /** Path relative to the hot folder, with `/`: `scan.pdf` or `<subfolder>/scan.pdf`. */
  key: string;
  /** Absolute path, as bytes: a station may write names that are no UTF-8, which a decoded string would not find. */
  path: Buffer;
  /** The name, decoded (a byte that is no UTF-8 shows as U+FFFD). */
  name: string;
  /** The subfolder the file is in, if any (a dossier code, if it is well named). */
  folder?: string;
}

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Hidden or temporary: not a file to take. */
export function isIgnoredName(name: string): boolean {
  const lower = name.toLowerCase();
  return name.startsWith('.') || TEMPORARY.some((suffix) => lower.endsWith(suffix));
}

/** The files to consider, in natural order of their path; a file gone between listing and looking is left out. */
export async function scanHotFolder(dir: string): Promise<HotFile[]> {
  const files: HotFile[] = [];
  const root = Buffer.from(dir);
  for (const entry of await entries(root)) {
    const name = entry.name.toString('utf8');
    if (isIgnoredName(name)) continue;
    if (entry.isFile()) {
      const file = await look(within(root, entry.name), name);
      if (file) files.push(file);
    } else if (entry.isDirectory() && name !== DONE && name !== FAILED) {
      const folder = within(root, entry.name);
      for (const e of await entries(folder).catch(() => [])) {
        const inner = e.name.toString('utf8');
        if (!e.isFile() || isIgnoredName(inner)) continue;
        const file = await look(within(folder, e.name), inner, name);
        if (file) files.push(file);
      }
    }
  }
  return files.sort((a, b) => naturalOrder.compare(a.key, b.key));
}

function entries(dir: Buffer): Promise<Dirent<Buffer>[]> {
  return fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
}

function within(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, Buffer.from(path.sep), name]);
}

async function look(file: Buffer, name: string, folder?: string): Promise<HotFile | undefined> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  return {
    key: folder === undefined ? name : `${folder}/${name}`,
    path: file,
    name,
    ...(folder === undefined ? {} : { folder }),
    size: stat.size,
    mtimeMs: stat.mtimeMs,
  };
}

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
  /** Absolute path. */
  path: string;
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
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (isIgnoredName(entry.name)) continue;
    if (entry.isFile()) {
      const file = await look(dir, entry.name);
      if (file) files.push(file);
    } else if (entry.isDirectory() && entry.name !== DONE && entry.name !== FAILED) {
      const inner: Dirent[] = await fs.readdir(path.join(dir, entry.name), { withFileTypes: true }).catch(() => []);
      for (const e of inner) {
        if (!e.isFile() || isIgnoredName(e.name)) continue;
        const file = await look(dir, e.name, entry.name);
        if (file) files.push(file);
      }
    }
  }
  return files.sort((a, b) => naturalOrder.compare(a.key, b.key));
}

async function look(dir: string, name: string, folder?: string): Promise<HotFile | undefined> {
  const file = folder === undefined ? path.join(dir, name) : path.join(dir, folder, name);
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

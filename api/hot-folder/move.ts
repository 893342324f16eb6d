/**
 * Moving a processed file out of the way: into `done/` or `failed/` of the hot folder, keeping its
 * subfolder, by rename (the same file system). A name already taken there gets a numeric suffix
 * (`scan-1.pdf`): nothing is overwritten. A note beside it (`<name>.error.txt` in failed/, the
 * failed pages in done/) is written before the file moves, so a file is never there without its reason.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DONE, FAILED, HotFile } from './scan.js';

export const ERROR_NOTE = '.error.txt';
export const FAILED_PAGES_NOTE = '.failed-pages.txt';

export interface Note {
  /** Appended to the moved file's name. */
  suffix: string;
  text: string;
}

/** Moves `file` into `<dir>/<done|failed>/[<subfolder>/]`; its new path, or undefined when it had gone meanwhile. */
export async function moveOut(dir: string, file: HotFile, to: typeof DONE | typeof FAILED, note?: Note): Promise<string | undefined> {
  const target = path.join(dir, to, ...(file.folder === undefined ? [] : [file.folder]));
  await fs.mkdir(target, { recursive: true });
  const ext = path.extname(file.name);
  const stem = file.name.slice(0, file.name.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = path.join(target, n === 0 ? file.name : `${stem}-${n}${ext}`);
    if (await taken(candidate)) continue;
    if (note) {
      try {
        await fs.writeFile(`${candidate}${note.suffix}`, note.text.endsWith('\n') ? note.text : `${note.text}\n`, { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
    }
    try {
      await fs.rename(file.path, candidate);
    } catch (err) {
      if (note) await fs.rm(`${candidate}${note.suffix}`, { force: true });
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    return candidate;
  }
}

/** The name, or a note that would sit beside it, exists already. */
async function taken(candidate: string): Promise<boolean> {
  for (const p of [candidate, `${candidate}${ERROR_NOTE}`, `${candidate}${FAILED_PAGES_NOTE}`]) {
    if (
      await fs.lstat(p).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

/** Turning the paths a user typed into the files of one submission, in a stable order. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../pipeline/errors.js';
import type { SubmittedFile } from '../../workers/index.js';

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Files are taken as given; a folder contributes every non-hidden file below it, in natural order. */
export async function collectFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) throw new UsageError(`${p}: no such file or folder`);
    if (stat.isDirectory()) {
      const entries = (await fs.readdir(p, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile() && !e.name.startsWith('.'))
        .map((e) => path.join(e.parentPath, e.name))
        .filter(
          (f) =>
            !path
              .relative(p, f)
              .split(path.sep)
              .some((s) => s.startsWith('.')),
        );
      files.push(...entries.sort(naturalOrder.compare));
    } else {
      files.push(p);
    }
  }
  if (files.length === 0) throw new UsageError(`no files found in ${paths.join(', ')}`);
  return files;
}

export async function readFiles(files: string[]): Promise<SubmittedFile[]> {
  return Promise.all(files.map(async (f) => ({ name: path.basename(f), bytes: await fs.readFile(f) })));
}

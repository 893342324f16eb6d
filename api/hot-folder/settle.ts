/**
 * When a file in the hot folder is complete. Scanners write over SMB or NFS, where change events
 * are unreliable and a file may be renamed into place or grow in bursts: a file is complete once
 * its size and mtime have stayed the same over every poll for the settle time, measured on this
 * process's clock (the file server's clock may be off). Just before it is taken, it is looked at
 * once more (`unchanged`): a file seen growing then is not complete, whatever its settle time said.
 */

/** What one look at a file saw. */
export interface FileLook {
  size: number;
  mtimeMs: number;
}

interface Watched extends FileLook {
  /** When (this process's clock, ms) the file was first seen with this size and mtime. */
  since: number;
}

export class SettleClock {
  private readonly files = new Map<string, Watched>();

  constructor(readonly settleMs: number) {}

  /** Records one poll of the folder; files no longer there are forgotten. */
  observe(looks: ReadonlyMap<string, FileLook>, now: number): void {
    for (const key of this.files.keys()) if (!looks.has(key)) this.files.delete(key);
    for (const [key, look] of looks) {
      const known = this.files.get(key);
      if (!known || !unchanged(known, look)) this.restart(key, look, now);
    }
  }

  /** The file has looked the same on every poll for the settle time. Empty files are never complete (a scanner's placeholder). */
  isSettled(key: string, now: number): boolean {
    const known = this.files.get(key);
    return known !== undefined && known.size > 0 && now - known.since >= this.settleMs;
  }

  /** The file changed after it seemed complete: its settle time starts again. */
  restart(key: string, look: FileLook, now: number): void {
    this.files.set(key, { size: look.size, mtimeMs: look.mtimeMs, since: now });
  }
}

export function unchanged(a: FileLook, b: FileLook): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs;
}

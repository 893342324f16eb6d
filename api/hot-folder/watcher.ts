/**
 * The hot folder: scanners drop files into a (network) folder and Sohoa digitizes them. The
 * folder is polled (change events are unreliable over SMB and NFS); a file is taken once it is
 * complete (settle.ts), one at a time in natural name order, submitted and waited for
 * (process.ts), then moved to `done/` or to `failed/` with its reason (move.ts). A file stays in
 * place until then: a watcher restarted after a crash finds it again, and since submission is
 * idempotent by content, it is only waited for and moved. An error on one file never stops the watcher.
 *
 * Logs name batches, dossiers and documents, never file names (they may hold a citizen's name):
 * the reasons go into the `.error.txt` beside the file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { SohoaError, UsageError } from '../../pipeline/errors.js';
import type { PipelineContext } from '../../workers/index.js';
import { abortable, sleep } from './abort.js';
import { ERROR_NOTE, FAILED_PAGES_NOTE, moveOut } from './move.js';
import { awaitOutcome, FileRefused, type Outcome, submitHotFile } from './process.js';
import { DONE, FAILED, type HotFile, scanHotFolder } from './scan.js';
import { type FileLook, SettleClock, unchanged } from './settle.js';

export interface HotFolderOptions {
  /** How often the folder is listed (ms). */
  pollMs?: number;
  /** How long a file must stay the same before it is taken (ms). */
  settleMs?: number;
  /** Larger files are not taken: they go to failed/. */
  maxBytes?: number;
}

export const HOT_FOLDER_DEFAULTS = { pollMs: 2000, settleMs: 5000, maxBytes: 1 << 30 } as const;

/** After a service failure (Redis, the object store), a file is tried again after this, then twice as long each time. */
const RETRY_MS = { first: 30_000, max: 600_000 };

export interface HotFolder {
  /** Absolute path of the folder watched. */
  readonly dir: string;
  /** Stops polling; a file being processed stays where it is, for the next start. */
  stop(): Promise<void>;
}

/** Starts watching `dir`; UsageError when it is no folder. */
export async function startHotFolder(ctx: PipelineContext, dir: string, options: HotFolderOptions = {}): Promise<HotFolder> {
  const root = path.resolve(dir);
  if (!(await fs.stat(root).catch(() => undefined))?.isDirectory()) throw new UsageError(`${dir}: no such folder to watch`);
  const watcher = new Watcher(ctx, root, { ...HOT_FOLDER_DEFAULTS, ...options });
  const running = watcher.run();
  ctx.log.info({ pollMs: watcher.options.pollMs, settleMs: watcher.options.settleMs }, 'hot folder: watching');
  return {
    dir: root,
    async stop() {
      watcher.abort();
      await running;
    },
  };
}

interface Retry extends FileLook {
  at: number;
  delayMs: number;
}

class Watcher {
  private readonly clock: SettleClock;
  private readonly controller = new AbortController();
  private readonly retries = new Map<string, Retry>();

  constructor(
    private readonly ctx: PipelineContext,
    private readonly root: string,
    readonly options: Required<HotFolderOptions>,
  ) {
    this.clock = new SettleClock(options.settleMs);
  }

  abort(): void {
    this.controller.abort(new Error('the hot folder watcher stopped'));
  }

  async run(): Promise<void> {
    const { signal } = this.controller;
    let unreadable = false;
    while (!signal.aborted) {
      try {
        await this.poll();
        if (unreadable) this.ctx.log.info('hot folder: the folder can be listed again');
        unreadable = false;
      } catch (err) {
        // Once, not on every poll, while a network share is away.
        if (!signal.aborted && !unreadable) this.ctx.log.error(errorFields(err), 'hot folder: cannot list the folder');
        unreadable = true;
      }
      await sleep(this.options.pollMs, signal);
    }
  }

  /** One look at the folder, then every complete file, in order. */
  private async poll(): Promise<void> {
    const files = await scanHotFolder(this.root);
    const now = performance.now();
    this.clock.observe(new Map(files.map((f) => [f.key, f])), now);
    for (const file of files) {
      if (this.controller.signal.aborted) return;
      if (!this.clock.isSettled(file.key, now) || this.waiting(file, now)) continue;
      await this.take(file);
    }
  }

  /** The file failed on a service error a moment ago, and has not changed since. */
  private waiting(file: HotFile, now: number): boolean {
    const retry = this.retries.get(file.key);
    if (retry && !unchanged(retry, file)) this.retries.delete(file.key);
    return retry !== undefined && unchanged(retry, file) && now < retry.at;
  }

  private async take(file: HotFile): Promise<void> {
    const { signal } = this.controller;
    try {
      const outcome = await this.process(file);
      if (outcome) await this.finish(file, outcome);
      this.retries.delete(file.key);
    } catch (err) {
      if (signal.aborted) return;
      // A service is away (or something unforeseen): the file stays, and is tried again later.
      const delayMs = Math.min(RETRY_MS.max, (this.retries.get(file.key)?.delayMs ?? RETRY_MS.first / 2) * 2);
      this.retries.set(file.key, { size: file.size, mtimeMs: file.mtimeMs, at: performance.now() + delayMs, delayMs });
      this.ctx.log.error(
        { ...errorFields(err), retryInSeconds: delayMs / 1000 },
        'hot folder: a file could not be processed; it stays in place',
      );
    }
  }

  /** What became of the file; undefined when it turned out to be still changing. */
  private async process(file: HotFile): Promise<Outcome | undefined> {
    const { signal } = this.controller;
    if (file.size > this.options.maxBytes) {
      const mib = (n: number) => `${Math.round(n / (1 << 20))} MiB`;
      return {
        status: 'failed',
        reason: `the file is ${mib(file.size)}, over the ${mib(this.options.maxBytes)} a file may hold: split the stack`,
      };
    }
    // Looked at again once read: a file that changed while it was read is not complete.
    const read = await readThenLook(file.path).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined; // taken away meanwhile
      throw err;
    });
    if (!read) return undefined;
    const { bytes, after } = read;
    if (bytes.length !== file.size || !unchanged(file, after)) {
      this.clock.restart(file.key, after, performance.now());
      return undefined;
    }
    let submission: Awaited<ReturnType<typeof submitHotFile>>;
    try {
      submission = await abortable(submitHotFile(this.ctx, this.root, file, bytes), signal);
    } catch (err) {
      if (err instanceof FileRefused && !signal.aborted) return { status: 'failed', reason: err.reason };
      throw err;
    }
    this.ctx.log.info(
      {
        batch: submission.batchId,
        documents: submission.documents.map((d) => d.fileCode),
        ...(submission.alreadySubmitted ? { alreadySubmitted: true } : {}),
      },
      'hot folder: file submitted',
    );
    return awaitOutcome(this.ctx, submission, signal);
  }

  private async finish(file: HotFile, outcome: Outcome): Promise<void> {
    const dossier = file.folder !== undefined && outcome.status === 'done' ? { dossier: file.folder } : {};
    if (outcome.status === 'failed') {
      const moved = await moveOut(this.root, file, FAILED, { suffix: ERROR_NOTE, text: outcome.reason });
      this.ctx.log.warn({ moved: moved !== undefined }, `hot folder: a file was not digitized; it is in ${FAILED}/ with its reason`);
      return;
    }
    const note = outcome.failedPages.length
      ? {
          suffix: FAILED_PAGES_NOTE,
          text: [
            'These pages could not be digitized (the others are stored); rescan them, or run `sohoa redo <document>` once the cause is mended:',
            ...outcome.failedPages.map((f) => `${f.fileCode} page ${f.page}: ${f.reason}`),
          ].join('\n'),
        }
      : undefined;
    const moved = await moveOut(this.root, file, DONE, note);
    this.ctx.log.info(
      { ...dossier, documents: outcome.fileCodes, failedPages: outcome.failedPages.length, moved: moved !== undefined },
      `hot folder: file digitized and moved to ${DONE}/`,
    );
  }
}

async function readThenLook(file: Buffer): Promise<{ bytes: Buffer; after: FileLook }> {
  const bytes = await fs.readFile(file);
  return { bytes, after: await fs.stat(file) };
}

/** What a log line may say of an error: its code, and its message unless it may name a file. */
function errorFields(err: unknown): Record<string, unknown> {
  const code = (err as { code?: unknown }).code;
  const namesFile = err instanceof SohoaError || (err as { path?: unknown }).path !== undefined;
  return { ...(code !== undefined ? { code } : {}), ...(namesFile ? {} : { err: (err as Error).message }) };
}

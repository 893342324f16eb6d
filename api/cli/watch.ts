/**
 * `sohoa watch [<dir>]`: the hot folder, for scanners that can only write into a (network)
 * folder. Runs the workers and, when no other process holds it, the catalog indexer, like
 * `sohoa digitize`; stopped by SIGINT or SIGTERM. The folder defaults to SOHOA_WATCH_DIR.
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { UsageError } from '../../pipeline/errors.js';
import { HOT_FOLDER_DEFAULTS, startHotFolder } from '../hot-folder/index.js';
import { openServices } from '../services.js';
import type { Command } from './command.js';
import { runUntilStopped } from './serve.js';

/** A duration option in seconds, as milliseconds. */
function seconds(name: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new UsageError(`--${name} must be a number of seconds, more than 0`);
  return Math.round(n * 1000);
}

export const watchCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { poll: { type: 'string' }, settle: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError('watch takes one folder');
  const dir = positionals[0] ?? config.watchDir;
  if (!dir) throw new UsageError('name the folder to watch (or set SOHOA_WATCH_DIR)');
  if (!(await fs.stat(dir).catch(() => undefined))?.isDirectory()) throw new UsageError(`${dir}: no such folder to watch`);
  const options = {
    pollMs: seconds('poll', values.poll, HOT_FOLDER_DEFAULTS.pollMs),
    settleMs: seconds('settle', values.settle, HOT_FOLDER_DEFAULTS.settleMs),
  };
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: true });
  let hotFolder: Awaited<ReturnType<typeof startHotFolder>>;
  try {
    hotFolder = await startHotFolder(services.ctx, dir, options);
  } catch (err) {
    await services.close();
    throw err;
  }
  console.log(`Sohoa watching ${hotFolder.dir}: files are taken once unchanged for ${options.settleMs / 1000} s`);
  console.log(`  redis:   ${services.ctx.redis.location}, objects: ${services.ctx.store.describe()}`);
  console.log('  digitized files go to done/, the others to failed/ with a .error.txt. Press Ctrl-C to stop.');
  return runUntilStopped(async () => {
    await hotFolder.stop();
    await services.close();
  });
};

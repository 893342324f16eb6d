/** Runs the `sohoa` command in its own process, without blocking this one (which may serve an s3rver it talks to). */

import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import path from 'node:path';
import { REPO } from './env.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A long-running `sohoa` process (a worker, the API) the test stops itself. */
export function startSohoa(args: string[], options: SpawnOptions): ChildProcess {
  return spawn(process.execPath, [path.join(REPO, 'bin', 'sohoa.js'), ...args], options);
}

export function runSohoa(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = startSohoa(args, { env, timeout: 240_000 });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

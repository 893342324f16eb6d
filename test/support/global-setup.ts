/**
 * Every process the suite starts — the test files' own services and the CLI runs they spawn —
 * appends its log lines to one file; when the suite ends, a line holding a citizen's name or ID
 * number fails the run (logs promise no personal data, Decree 13/2023/NĐ-CP).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { linesHolding, personalData } from './personal-data.js';

export default function setup(): () => void {
  const file = path.join(os.tmpdir(), `sohoa-suite-${process.pid}.log`);
  fs.rmSync(file, { force: true });
  process.env.SOHOA_LOG_FILE = file;
  return () => {
    const log = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    fs.rmSync(file, { force: true });
    const leaks = linesHolding(log, personalData());
    const lines = log.split('\n').filter(Boolean).length;
    if (leaks.length)
      throw new Error(`personal data in ${leaks.length} of the suite's ${lines} log lines:\n${leaks.slice(0, 20).join('\n')}`);
    console.info(`log check: the suite's ${lines} log lines hold none of ${personalData().length} names and ID numbers`);
  };
}

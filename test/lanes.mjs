#!/usr/bin/env node
/**
 * `npm test`'s suites in two lanes at once, each one file at a time: the suites that start services
 * and processes of their own (vitest.config.ts, project "services") spend much of their time
 * waiting for an outage to pass or a killed worker's lock to lapse, and the rest of the suite uses
 * that time. The services lane's output is printed whole when both lanes are done; the run fails
 * when either does. Arguments go to both vitest runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const vitest = (project, stdio) =>
  spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--passWithNoTests', '--project', project, ...process.argv.slice(2)], {
    stdio,
  });

const ended = (child) => new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));

const log = path.join(os.tmpdir(), `sohoa-services-lane-${process.pid}.log`);
const out = fs.openSync(log, 'w');
const services = vitest('services', ['ignore', out, out]);
const main = vitest('main', 'inherit');
const [mainCode, servicesCode] = await Promise.all([ended(main), ended(services)]);
fs.closeSync(out);
console.log('\n== the services lane (test/faults, crash, machines, load) ==');
process.stdout.write(fs.readFileSync(log));
fs.rmSync(log);
console.log(
  `== lanes: main ${mainCode === 0 ? 'passed' : `failed (${mainCode})`}, services ${servicesCode === 0 ? 'passed' : `failed (${servicesCode})`}`,
);
process.exit(mainCode || servicesCode);

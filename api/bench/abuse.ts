/**
 * `npm run bench:abuse`: what hostile input costs the process, each case in a child process of its
 * own so that its peak RSS is its own:
 * - an unauthenticated 200 MiB POST: bytes the server read before its 401, and its RSS growth;
 * - a PDF whose one page image is 243 MB of pixels in 0.2 MB: decoded by pdf.js in the event loop's
 *   thread (as before) and in the worker thread (as now): event-loop stall and peak RSS;
 * - upsampling bombs: a 20 Mpx page tagged 73 dpi, and a 200 px image on a 200-inch PDF page:
 *   the OCR copy's pixels, the stall and the peak RSS of cleaning them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { cleanupPage } from '../../pipeline/cleanup/index.js';
import { extractPage, runPdfTask } from '../../pipeline/input/index.js';
import { inflatingPdf, pdfWithGreyImage } from '../../test/support/fixtures.js';
import { loadConfig } from '../config.js';
import { buildApp } from '../http/index.js';
import { openServices } from '../services.js';

const MiB = 2 ** 20;
const CASES = ['unauthenticated-post', 'pdf-main-thread', 'pdf-worker-thread', 'upsample-73dpi', 'upsample-1dpi-pdf'] as const;
type Case = (typeof CASES)[number];

interface Measured {
  [figure: string]: number | string;
}

/** Runs `work` with the event loop watched: its longest stall, and the process's peak RSS. */
async function watched(work: () => Promise<Measured>): Promise<Measured> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const figures = await work();
  const ms = performance.now() - started;
  delay.disable();
  return {
    ...figures,
    ms: Math.round(ms),
    'stall ms': Math.round(delay.max / 1e6),
    'peak RSS MiB': Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

async function unauthenticatedPost(): Promise<Measured> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-abuse-'));
  const config = loadConfig({
    ...process.env,
    SOHOA_DATA_DIR: dataDir,
    SOHOA_QUEUE_PREFIX: `bench-abuse-${process.pid}`,
    LOG_LEVEL: 'silent',
  });
  const services = await openServices(config, { catalog: 'required', pipelineWorkers: false });
  const app = await buildApp(services);
  const readAt401: number[] = [];
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) readAt401.push(request.raw.socket.bytesRead);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const rssBefore = process.memoryUsage().rss;
  const figures: Measured = {};
  try {
    for (const [label, url, type] of [
      ['register', '/api/register', 'text/csv'],
      ['upload', '/api/dossiers/000.00.15.H17-240305-0031/documents', 'multipart/form-data; boundary=x'],
    ] as const) {
      const sent = await post200MiB(port, url, type);
      figures[`${label}: status`] = sent.status;
      figures[`${label}: client bytes written`] = sent.written;
      figures[`${label}: server bytes read at 401`] = readAt401.shift() ?? -1;
    }
    figures['RSS growth MiB'] = Math.round((process.memoryUsage().rss - rssBefore) / MiB);
  } finally {
    await app.close();
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}

/** Streams 200 MiB at the server until it answers or hangs up; how much it took, and its status. */
function post200MiB(port: number, url: string, type: string): Promise<{ status: number; written: number }> {
  const total = 200 * MiB;
  const chunk = Buffer.alloc(MiB, 0x41);
  return new Promise((resolve) => {
    let written = 0;
    let status = 0;
    const request = http.request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: url,
      headers: { 'content-type': type, 'content-length': total },
    });
    const done = () => resolve({ status, written });
    request.on('response', (response) => {
      status = response.statusCode ?? 0;
      response.resume();
      response.on('end', () => {
        request.destroy();
        done();
      });
    });
    request.on('error', done);
    const pump = () => {
      while (written < total && status === 0) {
        written += chunk.length;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      if (written >= total) request.end();
    };
    pump();
  });
}

async function runCase(name: Case): Promise<Measured> {
  switch (name) {
    case 'unauthenticated-post':
      return unauthenticatedPost();
    case 'pdf-main-thread': {
      const pdf = await inflatingPdf(9000, 'DeviceRGB');
      return watched(async () => {
        // The task as the worker thread runs it, here in the event loop's own thread.
        await runPdfTask({ op: 'extract', bytes: new Uint8Array(pdf), index: 0 });
        return { 'PDF KiB': Math.round(pdf.length / 1024) };
      });
    }
    case 'pdf-worker-thread': {
      const pdf = await inflatingPdf(9000, 'DeviceRGB');
      return watched(async () => {
        const page = await extractPage('bomb.pdf', pdf, 0);
        return { 'PDF KiB': Math.round(pdf.length / 1024), decoded: `${page.width}×${page.height}` };
      });
    }
    case 'upsample-73dpi': {
      const png = await sharp({ create: { width: 4000, height: 5000, channels: 3, background: '#ffffff' } })
        .withMetadata({ density: 73 })
        .png()
        .toBuffer();
      return watched(async () => ocrCopy('tagged-73.png', png));
    }
    case 'upsample-1dpi-pdf':
      return watched(async () => ocrCopy('huge-page.pdf', await pdfWithGreyImage(200, 200, [14_400, 14_400])));
  }
}

async function ocrCopy(name: string, bytes: Buffer): Promise<Measured> {
  const page = await extractPage(name, bytes, 0);
  const cleaned = await cleanupPage(`${name} page 1`, page);
  return {
    'input KiB': Math.round(bytes.length / 1024),
    'page px': `${page.width}×${page.height} at ${page.dpi} dpi (${page.dpiSource})`,
    'OCR copy Mpx': (cleaned.ocr.width * cleaned.ocr.height) / 1e6,
  };
}

const only = process.argv.indexOf('--case');
if (only > 0) {
  const name = process.argv[only + 1] as Case;
  if (!CASES.includes(name)) throw new Error(`--case must be one of ${CASES.join(', ')}`);
  console.log(JSON.stringify(await runCase(name)));
  process.exit(0);
}
const self = fileURLToPath(import.meta.url);
console.log(`Sohoa abuse bench, ${os.cpus().length} cores, Node ${process.version}; each case in its own process\n`);
for (const name of CASES) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', self, '--case', name], { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) {
    console.log(`${name}: FAILED\n${run.stderr}`);
    process.exitCode = 1;
    continue;
  }
  const figures = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Measured;
  console.log(
    `${name}\n${Object.entries(figures)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}`,
  );
}

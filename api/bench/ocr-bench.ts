/**
 * `npm run bench -- <corpus dir> [--model best|fast] [--rounds N]`: throughput of Sohoa's cleanup + OCR against
 * bare tesseract.js recognition of the same pages (one worker per core), measured one after the
 * other in the same run, each in its own process so each peak RSS is its own.
 */

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mapLimit } from '../../pipeline/concurrency.js';
import { pageCleaner, readPage } from '../../pipeline/index.js';
import { createTesseractEngine, type ModelVariant } from '../../pipeline/ocr/index.js';
import { openBareTesseract } from '../../test/support/bare-tesseract.js';

interface RunResult {
  mode: 'sohoa' | 'bare';
  pages: number;
  seconds: number;
  pagesPerMinute: number;
  peakRssMb: number;
  workers: number;
  stageSeconds: Record<string, number>;
}

const IMAGE = /\.(png|jpe?g|tiff?)$/i;

function pagesOf(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => IMAGE.test(f))
    .sort()
    .map((f) => path.join(dir, f));
}

async function measure(mode: RunResult['mode'], files: string[], model: ModelVariant): Promise<RunResult> {
  const workers = os.availableParallelism();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const stageSeconds: Record<string, number> = {};
  const add = (stage: string, ms: number) => (stageSeconds[stage] = (stageSeconds[stage] ?? 0) + ms / 1000);
  let seconds = 0;
  if (mode === 'sohoa') {
    const engine = createTesseractEngine({ workers, model });
    await engine.recognize(fs.readFileSync(files[0]!)); // models loaded before the clock starts
    const start = performance.now();
    // As in the worker process: cleanup and OCR each run `workers` pages at once, and cleanup runs
    // ahead of OCR, its pages waiting in the OCR queue. A bounded wait keeps memory in check on a
    // long corpus, where the queue's backlog would sit in the object store rather than in memory.
    const backlog = 4 * workers;
    const recognitions: Promise<void>[] = [];
    await mapLimit([...files.entries()], workers, async ([i, file]) => {
      if (i >= backlog) await recognitions[i - backlog];
      const t0 = performance.now();
      const bytes = fs.readFileSync(file);
      const clean = pageCleaner(path.basename(file), async () => bytes, 0);
      const cleaned = await clean();
      add('cleanup (input + cleanup)', performance.now() - t0);
      recognitions[i] = (async () => {
        const t = performance.now();
        // As the OCR job does: a doubtful page is cleaned again and re-read, on the clock.
        await readPage(engine, cleaned, clean);
        add('ocr (with orientation checks)', performance.now() - t);
      })();
    });
    await Promise.all(recognitions);
    seconds = (performance.now() - start) / 1000;
    await engine.close();
  } else {
    const bare = await openBareTesseract(workers, model);
    await bare.recognize(fs.readFileSync(files[0]!));
    const start = performance.now();
    await Promise.all(
      files.map(async (file) => {
        const t = performance.now();
        await bare.recognize(fs.readFileSync(file));
        add('recognize', performance.now() - t);
      }),
    );
    seconds = (performance.now() - start) / 1000;
    await bare.close();
  }
  clearInterval(sampler);
  return {
    mode,
    pages: files.length,
    seconds,
    pagesPerMinute: (files.length / seconds) * 60,
    peakRssMb: peak / 2 ** 20,
    workers,
    stageSeconds,
  };
}

function runChild(mode: RunResult['mode'], dir: string, model: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), dir, '--model', model, '--mode', mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as RunResult) : reject(new Error(`${mode} run exited ${code}`))));
  });
}

const fmt = (r: RunResult) =>
  `${r.mode.padEnd(6)} ${r.pages} pages in ${r.seconds.toFixed(1)} s = ${r.pagesPerMinute.toFixed(1)} pages/min; peak RSS ${r.peakRssMb.toFixed(0)} MB ` +
  `(${(r.peakRssMb / r.workers).toFixed(0)} MB per OCR worker, ${r.workers} workers); stage time ${Object.entries(r.stageSeconds)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(', ')}`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { model: { type: 'string', default: 'best' }, mode: { type: 'string' }, rounds: { type: 'string', default: '1' } },
  });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npm run bench -- <corpus dir> [--model best|fast] [--rounds N]');
  const model: ModelVariant = values.model === 'fast' ? 'fast' : 'best';
  if (values.mode === 'sohoa' || values.mode === 'bare') {
    process.stdout.write(JSON.stringify(await measure(values.mode, pagesOf(dir), model)));
    return;
  }
  // Rounds alternate the two runs, so a noisy neighbour on a shared machine slows both alike.
  const ratios: number[] = [];
  for (let round = 1, rounds = Math.max(1, Number(values.rounds)); round <= rounds; round++) {
    const sohoa = await runChild('sohoa', dir, model);
    const bare = await runChild('bare', dir, model);
    ratios.push(sohoa.pagesPerMinute / bare.pagesPerMinute);
    console.log(`round ${round}/${rounds}`);
    console.log(fmt(sohoa));
    console.log(fmt(bare));
    console.log(`ratio: Sohoa cleanup + OCR runs at ${ratios.at(-1)!.toFixed(2)}× bare tesseract.js recognition (same pages, same run)`);
  }
  if (ratios.length > 1) {
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `median ratio over ${ratios.length} rounds: ${sorted[sorted.length >> 1]!.toFixed(2)}× (${sorted.map((r) => r.toFixed(2)).join(', ')})`,
    );
  }
}

await main();

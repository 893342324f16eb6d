/**
 * `npm run bench:vs-ocrmypdf -- <dir>... [--jobs N] [--model best|fast]`: the same scanned pages through OCRmyPDF
 * (`ocrmypdf -l vie --deskew --rotate-pages --clean --output-type pdfa`, one page per run, N runs at
 * once), through one `sohoa start` serving an upload per page, and through `sohoa digitize` (one
 * document of every page, start-up on the clock), one after another in the same run. For each:
 * pages/min, CER and order-free word error (BOW) against NAME.gt.txt where the folder has one,
 * bytes per page, PDF/A validity (../shared/tools/pdfa_check.py), and Sohoa's ratios to OCRmyPDF.
 * Text is read back from each PDF with `pdftotext -raw`, the same way for all three. `--model fast`
 * runs Sohoa on tessdata_fast, the model Debian's tesseract-ocr-vie gives OCRmyPDF.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { mapLimit } from '../../pipeline/concurrency.js';
import { MODEL_VARIANTS, type TextErrors, textErrors } from '../../pipeline/ocr/index.js';
import { groundTruthPages } from '../../test/support/corpus.js';
import { missingOcrmypdf } from './ocrmypdf.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SOHOA = path.join(REPO, 'bin', 'sohoa.js');
const PDFA_CHECK = path.resolve(REPO, '..', 'shared', 'tools', 'pdfa_check.py');
const IMAGE = /\.(png|jpe?g|tiff?)$/i;
const AGENCY = '000.00.15.H17';
const dossierCode = (n: number) => `${AGENCY}-261202-${String(n).padStart(4, '0')}`;

interface Page {
  /** Staged as `<NNN>-<folder>-<name>`: the CLI reads a folder in this order. */
  file: string;
  truth?: string;
}

interface Run {
  tool: string;
  seconds: number;
  /** One PDF per page, or one PDF holding every page in order. */
  texts: (string | undefined)[];
  pdfs: string[];
  peakRssMb?: number;
}

function stagePages(dirs: string[], stage: string): Page[] {
  const pages: Page[] = [];
  for (const dir of dirs) {
    const truths = new Map(groundTruthPages(dir).map((p) => [path.basename(p.image), p.truth]));
    for (const name of fs
      .readdirSync(dir)
      .filter((f) => IMAGE.test(f))
      .sort()) {
      const file = path.join(stage, `${String(pages.length + 1).padStart(3, '0')}-${path.basename(dir)}-${name}`);
      fs.copyFileSync(path.join(dir, name), file);
      pages.push({ file, truth: truths.get(name) });
    }
  }
  return pages;
}

function pdftotext(pdf: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  const run = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', ...range, pdf, '-'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pdftotext ${pdf}: ${run.stderr.trim()}`);
  return run.stdout;
}

/** Resolves when the process ends with status 0; samples its peak resident set (VmHWM) meanwhile. */
function finished(child: ChildProcess, label: string): Promise<{ peakRssMb: number }> {
  let peak = 0;
  const sample = () => {
    try {
      const kb = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)/m);
      if (kb) peak = Math.max(peak, Number(kb[1]) / 1024);
    } catch {
      // The process has just ended.
    }
  };
  const sampler = setInterval(sample, 100);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(sampler);
      if (status === 0) resolve({ peakRssMb: peak });
      else reject(new Error(`${label} exited ${status}: ${stderr.trim().split('\n').slice(-5).join('\n')}`));
    });
  });
}

/** Sohoa as `npm start` and the Docker image run it (api/malloc-arenas.ts), unless told otherwise. */
const DEPLOYED = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };

const sohoa = (args: string[], env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, [SOHOA, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });

async function ocrmypdf(pages: Page[], out: string, jobs: number): Promise<Run> {
  const pdfs = pages.map((p) => path.join(out, `${path.basename(p.file)}.pdf`));
  const start = performance.now();
  await mapLimit([...pages.entries()], jobs, async ([i, page]) => {
    // `--jobs 1`: OCRmyPDF sizes Tesseract's OpenMP threads as if it had the machine to itself
    // (its --jobs over the page count); N single-page runs at once with the default would ask for
    // N × cores threads, whose spin-waits cost up to 10× the time (4 real-vn pages: 252 s, 24 s).
    const args = ['-q', '--jobs', '1', '-l', 'vie', '--deskew', '--rotate-pages', '--clean', '--output-type', 'pdfa'];
    // OCRmyPDF refuses an image that states no resolution; Sohoa assumes 300 dpi for one.
    if (!(await sharp(page.file).metadata()).density) args.push('--image-dpi', '300');
    await finished(spawn('ocrmypdf', [...args, page.file, pdfs[i]!], { stdio: ['ignore', 'ignore', 'pipe'] }), `ocrmypdf ${page.file}`);
  });
  const seconds = (performance.now() - start) / 1000;
  return { tool: 'OCRmyPDF', seconds, pdfs, texts: pdfs.map((pdf) => pdftotext(pdf)) };
}

async function sohoaCli(pages: Page[], work: string, model: string): Promise<Run> {
  const out = path.join(work, 'out');
  const env = { ...process.env, ...DEPLOYED, SOHOA_DATA_DIR: path.join(work, 'data'), SOHOA_OCR_MODEL: model };
  const start = performance.now();
  const child = sohoa(['digitize', path.dirname(pages[0]!.file), '--dossier', dossierCode(1), '--out', out], env);
  const { peakRssMb } = await finished(child, 'sohoa digitize');
  const seconds = (performance.now() - start) / 1000;
  const pdf = path.join(out, `${dossierCode(1)}.pdf`);
  return {
    tool: `Sohoa CLI (sohoa digitize, ${model} model)`,
    seconds,
    peakRssMb,
    pdfs: [pdf],
    texts: pages.map((_, i) => pdftotext(pdf, i + 1)),
  };
}

/** The address a `sohoa start` on port 0 says it listens on. */
function listening(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = out.match(/listening on (http\S+)/)?.[1];
      if (url) resolve(url);
    });
    server.on('close', (status) => reject(new Error(`sohoa start exited ${status} before listening`)));
  });
}

async function sohoaServer(pages: Page[], work: string, model: string): Promise<Run> {
  const env = {
    ...process.env,
    ...DEPLOYED,
    SOHOA_DATA_DIR: path.join(work, 'data'),
    SOHOA_OCR_MODEL: model,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const issue = spawnSync(process.execPath, [SOHOA, 'token', 'issue', 'bench', '--role', 'station', '--agency', AGENCY], {
    env,
    encoding: 'utf8',
  });
  const token = issue.stdout.match(/Bearer <token>"\): (\S+)/)?.[1];
  if (!token) throw new Error(`sohoa token issue: ${issue.stderr || issue.stdout}`);
  const auth = { authorization: `Bearer ${token}` };
  const server = spawn(process.execPath, [SOHOA, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ended = finished(server, 'sohoa start').catch(() => undefined);
  try {
    const url = await listening(server);
    for (let ready = false; !ready; await new Promise((r) => setTimeout(r, 200))) {
      ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.ok,
        () => false,
      );
    }
    const upload = async (file: string, dossier: string) => {
      const form = new FormData();
      form.append('kind', 'component');
      form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
      const res = await fetch(`${url}/api/dossiers/${dossier}/documents`, { method: 'POST', body: form, headers: auth });
      if (res.status !== 202) throw new Error(`upload of ${file}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { progressUrl: string }).progressUrl;
    };
    const outcome = async (progressUrl: string) => {
      for (;;) {
        const state = (await (await fetch(`${url}${progressUrl}`, { headers: auth })).json()) as { state: string; pdfUrl?: string };
        if (state.state === 'completed' || state.state === 'failed') return state;
        // Each progress read is audited (a catalog write in this very server): a station's pace, not a flood.
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    // A server serves many uploads: the first one, which loads the OCR models, is off the clock.
    await outcome(await upload(pages[0]!.file, dossierCode(9999)));
    const start = performance.now();
    const progress = await Promise.all(pages.map((page, i) => upload(page.file, dossierCode(i + 1))));
    const done = [];
    for (const progressUrl of progress) done.push(await outcome(progressUrl));
    const seconds = (performance.now() - start) / 1000;
    const peakRssMb = Number(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+)/m)![1]) / 1024;
    const pdfs = await Promise.all(
      done.map(async ({ pdfUrl }, i) => {
        const pdf = path.join(work, `${i + 1}.pdf`);
        if (!pdfUrl) return pdf;
        fs.writeFileSync(pdf, Buffer.from(await (await fetch(`${url}${pdfUrl}`, { headers: auth })).arrayBuffer()));
        return pdf;
      }),
    );
    return {
      tool: `Sohoa server (sohoa start, ${model} model, an upload per page, after one upload to warm up)`,
      seconds,
      peakRssMb,
      pdfs,
      texts: pdfs.map((pdf) => (fs.existsSync(pdf) ? pdftotext(pdf) : undefined)),
    };
  } finally {
    server.kill('SIGTERM');
    await ended;
  }
}

function pdfaVerdicts(pdfs: string[]): { valid: number; checked: number } | undefined {
  if (!fs.existsSync(PDFA_CHECK)) return undefined;
  const present = pdfs.filter((pdf) => fs.existsSync(pdf));
  const valid = present.filter((pdf) => spawnSync('/usr/bin/python3', [PDFA_CHECK, pdf]).status === 0).length;
  return { valid, checked: pdfs.length };
}

const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(2)}%`;

function report(run: Run, pages: Page[], baseline?: Run): string {
  const total: TextErrors = { charErrors: 0, chars: 0, wordErrors: 0, words: 0, missingWords: 0 };
  let worst = { page: '', cer: -1 };
  let failed = 0;
  for (const [i, page] of pages.entries()) {
    const text = run.texts[i];
    if (text === undefined) failed++;
    if (!page.truth) continue;
    const e = textErrors(fs.readFileSync(page.truth, 'utf8'), text ?? '');
    for (const k of Object.keys(total) as (keyof TextErrors)[]) total[k] += e[k];
    const cer = e.charErrors / Math.max(1, e.chars);
    if (cer > worst.cer) worst = { page: path.basename(page.file), cer };
  }
  const bytes = run.pdfs.reduce((n, pdf) => n + (fs.existsSync(pdf) ? fs.statSync(pdf).size : 0), 0);
  const pdfa = pdfaVerdicts(run.pdfs);
  const perMinute = (pages.length / run.seconds) * 60;
  const lines = [
    `${run.tool}: ${pages.length} pages in ${run.seconds.toFixed(1)} s = ${perMinute.toFixed(1)} pages/min` +
      (run.peakRssMb ? `, peak RSS ${run.peakRssMb.toFixed(0)} MB` : ''),
    `  CER ${pct(total.charErrors, total.chars)}, order-free word error (BOW) ${pct(total.missingWords, total.words)}, WER ${pct(total.wordErrors, total.words)}` +
      (worst.cer >= 0 ? `; worst page ${worst.page} CER ${pct(worst.cer, 1)}` : ' (no ground truth)') +
      `; pages without output ${failed}`,
    `  ${(bytes / pages.length / 1024).toFixed(0)} KiB per page; PDF/A (pdfa_check.py): ${pdfa ? `${pdfa.valid} of ${pdfa.checked} files pass` : `not checked (${PDFA_CHECK} absent)`}`,
  ];
  if (baseline) lines.push(`  ${(run.seconds ? baseline.seconds / run.seconds : 0).toFixed(2)}× OCRmyPDF's pages/min`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { jobs: { type: 'string', default: String(os.availableParallelism()) }, model: { type: 'string', default: 'best' } },
  });
  if (positionals.length === 0 || !(MODEL_VARIANTS as readonly string[]).includes(values.model))
    throw new Error('usage: npm run bench:vs-ocrmypdf -- <dir>... [--jobs N] [--model best|fast]');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-vs-ocrmypdf-'));
  try {
    const stage = path.join(work, 'pages');
    fs.mkdirSync(stage);
    const pages = stagePages(
      positionals.map((d) => path.resolve(d)),
      stage,
    );
    if (pages.length === 0) throw new Error(`no page image (PNG, JPEG, TIFF) in ${positionals.join(', ')}`);
    console.log(
      `${pages.length} pages (${pages.filter((p) => p.truth).length} with ground truth), one tool at a time; Sohoa with MALLOC_ARENA_MAX=${DEPLOYED.MALLOC_ARENA_MAX}`,
    );
    const missing = missingOcrmypdf();
    let baseline: Run | undefined;
    if (missing) console.log(`OCRmyPDF not run: ${missing}`);
    else {
      const out = path.join(work, 'ocrmypdf');
      fs.mkdirSync(out);
      baseline = await ocrmypdf(pages, out, Number(values.jobs));
      console.log(report(baseline, pages));
    }
    for (const [name, run] of [
      ['server', sohoaServer],
      ['cli', sohoaCli],
    ] as const) {
      const dir = path.join(work, name);
      fs.mkdirSync(dir);
      console.log(report(await run(pages, dir, values.model), pages, baseline));
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();

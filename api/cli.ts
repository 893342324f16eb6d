/**
 * `sohoa` command line: digitize, start, api, worker, verify, catalog rebuild, register import,
 * coverage, search, config.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CONFIG_VARIABLES, loadConfig, redact, type Config } from './config.js';
import { openServices, type Services } from './services.js';
import { collectFiles, readFiles } from './inputs.js';
import { startApiServer } from './server.js';
import { cliUser } from './commands/user.js';
import { coverageCommand, registerCommand, searchCommand } from './commands/catalog-commands.js';
import { SohoaError, UsageError } from '../pipeline/errors.js';
import { parseDossierCode } from '../pipeline/codes.js';
import { submitDocument, type SubmitRequest } from '../workers/submit.js';
import { waitForDocument, type Progress } from '../workers/progress.js';
import type { PackageJobResult } from '../workers/jobs.js';
import { readManifest } from '../workers/package-job.js';
import type { PipelineContext } from '../workers/context.js';
import { rebuildCatalog } from '../storage/indexer.js';
import { verifyFixity } from '../storage/fixity.js';
import type { DocumentKind } from '../storage/manifest.js';

const USAGE = `usage: sohoa <command> [options]

  digitize <files|folders...> --dossier <code> --out <dir>
           [--procedure <code>] [--agency <code>] [--kind component|result] [--title <text>]
           [--pdfa 2b|1b] [--sign]
                       digitize one document of a dossier; writes <out>/<dossier code>.pdf
  start [--sample]     API + workers + embedded services in one process
                       (--sample: digitize the bundled sample dossier first)
  api                  the HTTP API and the catalog indexer
  worker               cleanup, OCR and packaging workers (Redis + object store only)
  verify [--dossier <code>]
                       re-hash every stored object against its manifest
  catalog rebuild      rebuild the catalog from the manifests and register imports in the object store
  register import <file.csv|file.json> [--format csv|json] [--json]
                       import dossiers of the one-stop-shop register (bad rows reported by line)
  coverage [--by procedure|agency|level] [--period month|quarter|year] [--from <day>] [--to <day>]
           [--procedure <code>] [--agency <code>] [--level province|commune] [--undigitized] [--json]
                       digitization rates with raw counts, or the dossiers not yet digitized
  search <query> [--any] [--procedure <code>] [--agency <code>] [--from <day>] [--to <day>]
           [--dossier <code|prefix*>] [--limit <n>] [--offset <n>] [--json]
                       full-text search of the OCR pages ("phrases", prefix*, OR)
  config               show the configuration variables and their values`;

const SAMPLE_DIR = fileURLToPath(new URL('../samples/000.00.15.H17-231114-0001/', import.meta.url));
const SAMPLE_DOSSIER = '000.00.15.H17-231114-0001';

type Command = (args: string[], config: Config) => Promise<number>;

const commands: Record<string, Command> = {
  digitize: digitizeCommand,
  start: (args, config) => serveCommand(args, config, { catalog: 'required', pipelineWorkers: true }),
  api: (args, config) => serveCommand(args, config, { catalog: 'required', pipelineWorkers: false }),
  worker: workerCommand,
  verify: verifyCommand,
  catalog: catalogCommand,
  register: registerCommand,
  coverage: coverageCommand,
  search: searchCommand,
  config: configCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 64;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"\n${USAGE}`);
  // One-shot commands talk to a person: only warnings and errors, unless LOG_LEVEL says otherwise.
  const quiet = !['start', 'api', 'worker'].includes(name) && !process.env.LOG_LEVEL;
  return command(args, loadConfig(quiet ? { ...process.env, LOG_LEVEL: 'warn' } : process.env));
}

function printProgress(p: Progress): void {
  const line = p.stage === 'pages' ? `pages ${p.pagesFinished}/${p.pagesTotal}` : p.stage === 'package' ? 'building PDF/A' : p.stage === 'index' ? 'indexing' : 'done';
  process.stderr.write(process.stderr.isTTY ? `\r\x1b[K${line}` : `${line}\n`);
  if (process.stderr.isTTY && p.stage === 'done') process.stderr.write('\n');
}

/** Submits, waits, and reports each failed page on its own line; returns the package result. */
async function digitizeAndWait(services: Services, request: SubmitRequest): Promise<{ result?: PackageJobResult; fileCode: string }> {
  const submission = await submitDocument(services.ctx, request);
  if (submission.alreadyDigitized) {
    console.error(`these files were already digitized as ${submission.fileCode}`);
    return { fileCode: submission.fileCode };
  }
  console.error(`${submission.fileCode}: ${submission.pages.length} page(s) queued`);
  const result = await waitForDocument(services.ctx, submission, { waitForIndex: services.catalog !== undefined, onProgress: printProgress });
  return { result, fileCode: submission.fileCode };
}

async function writeDossierPdf(ctx: PipelineContext, dossierCode: string, outDir: string): Promise<string | undefined> {
  const manifest = await readManifest(ctx.store, dossierCode);
  if (!manifest?.pdfKey) return undefined;
  await fs.mkdir(outDir, { recursive: true });
  const target = path.join(outDir, `${dossierCode}.pdf`);
  const temp = `${target}.${process.pid}.part`;
  await fs.writeFile(temp, await ctx.store.get(manifest.pdfKey));
  await fs.rename(temp, target);
  return target;
}

async function digitizeCommand(args: string[], config: Config): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dossier: { type: 'string' },
      out: { type: 'string' },
      procedure: { type: 'string' },
      agency: { type: 'string' },
      kind: { type: 'string', default: 'component' },
      title: { type: 'string' },
      pdfa: { type: 'string' },
      sign: { type: 'boolean', default: false },
    },
  });
  if (!values.dossier) throw new UsageError('--dossier <code> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  if (values.kind !== 'component' && values.kind !== 'result') throw new UsageError('--kind must be component or result');
  if (values.pdfa !== undefined && values.pdfa !== '2b' && values.pdfa !== '1b') throw new UsageError('--pdfa must be 2b or 1b');
  if (positionals.length === 0) throw new UsageError('name the files or folders to digitize');
  parseDossierCode(values.dossier);
  const files = await readFiles(await collectFiles(positionals));
  const services = await openServices(config, { catalog: 'if-free', pipelineWorkers: true });
  try {
    const { result } = await digitizeAndWait(services, {
      dossierCode: values.dossier,
      procedureCode: values.procedure,
      agencyCode: values.agency,
      kind: values.kind as DocumentKind,
      pdfaPart: values.pdfa,
      sign: values.sign,
      title: values.title,
      submittedBy: cliUser(),
      files,
    });
    const written = await writeDossierPdf(services.ctx, values.dossier, values.out);
    if (written) console.log(written);
    for (const f of result?.failures ?? []) {
      const reason = f.reason.startsWith(`${f.file}`) ? f.reason.slice(f.reason.indexOf(':') + 1).trim() : f.reason;
      console.error(`FAILED ${f.file} page ${f.page}: ${reason}`);
    }
    if (!written) console.error('no page could be digitized: no PDF/A was written');
    return result && result.failures.length > 0 ? 2 : written ? 0 : 2;
  } finally {
    await services.close();
  }
}

async function serveCommand(args: string[], config: Config, needs: Parameters<typeof openServices>[1]): Promise<number> {
  const { values } = parseArgs({ args, options: { sample: { type: 'boolean', default: false } } });
  const services = await openServices(config, needs);
  const server = await startApiServer(config, services);
  const { ctx, catalog } = services;
  console.log(`Sohoa API listening on ${server.url}`);
  console.log(`  redis:   ${ctx.redis.location} (${ctx.redis.origin})`);
  console.log(`  objects: ${ctx.store.describe()}`);
  console.log(`  catalog: ${catalog?.describe() ?? 'not held by this process'}`);
  if (server.adminToken) console.log(`  admin API token (saved in ${server.tokenFile}): ${server.adminToken}`);
  const stop = async () => {
    await server.close();
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (values.sample) {
    if (!needs.pipelineWorkers) throw new UsageError('--sample needs the workers: use sohoa start');
    const files = await readFiles(await collectFiles([SAMPLE_DIR]));
    const { result } = await digitizeAndWait(services, { dossierCode: SAMPLE_DOSSIER, kind: 'component', submittedBy: 'sample', files });
    const written = await writeDossierPdf(ctx, SAMPLE_DOSSIER, path.join(config.dataDir, 'out'));
    console.log(`sample dossier ${SAMPLE_DOSSIER}: ${result?.pagesDone ?? 'all'} page(s) digitized → ${written ?? 'no PDF/A written'}`);
    console.log(`  try: curl -H "Authorization: Bearer <token>" ${server.url}/api/dossiers/${SAMPLE_DOSSIER}`);
  }
  console.log('press Ctrl-C to stop');
  return new Promise<number>(() => {});
}

async function workerCommand(_args: string[], config: Config): Promise<number> {
  const services = await openServices(config, { catalog: 'none', pipelineWorkers: true });
  console.log(`Sohoa workers: redis ${services.ctx.redis.location}, objects ${services.ctx.store.describe()}, concurrency ${config.concurrency}`);
  const stop = async () => {
    await services.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return new Promise<number>(() => {});
}

async function verifyCommand(args: string[], config: Config): Promise<number> {
  const { values } = parseArgs({ args, options: { dossier: { type: 'string' } } });
  const services = await openServices(config, { catalog: 'none', pipelineWorkers: false });
  try {
    const report = await verifyFixity(services.ctx.store, values.dossier);
    for (const problem of report.problems) console.error(`${problem.kind.toUpperCase()} ${problem.key}: ${problem.detail}`);
    console.log(`${report.dossiers} dossier(s), ${report.objects} object(s) checked, ${report.problems.length} problem(s)`);
    return report.problems.length ? 3 : 0;
  } finally {
    await services.close();
  }
}

async function catalogCommand(args: string[], config: Config): Promise<number> {
  if (args[0] !== 'rebuild') throw new UsageError('usage: sohoa catalog rebuild');
  const services = await openServices(config, { catalog: 'required', pipelineWorkers: false });
  try {
    const counts = await rebuildCatalog(services.catalog!, services.ctx.store);
    console.log(`catalog rebuilt from the object store: ${JSON.stringify(counts)}`);
    return 0;
  } finally {
    await services.close();
  }
}

async function configCommand(_args: string[], config: Config): Promise<number> {
  for (const v of CONFIG_VARIABLES) {
    const value = process.env[v.name];
    const shown = value === undefined ? v.default : /SECRET|PASSWORD/.test(v.name) ? '***' : redact(value);
    console.log(`${v.name.padEnd(20)} ${shown.padEnd(16)} ${v.meaning}`);
  }
  console.log(`\ndata directory: ${config.dataDir}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof SohoaError) {
      console.error(`sohoa: ${err.message}`);
      process.exit(err.exitCode);
    }
    console.error(err);
    process.exit(1);
  },
);

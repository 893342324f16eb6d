/**
 * `npm run bench:catalog [-- --pages N] [--pglite-pages N] [--only postgres|pglite] [--json file]`:
 * generates a catalog of N pages (default 1,000,000, about 100,000 dossiers) on PostgreSQL
 * (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres, in a schema dropped
 * afterwards) and on PGlite (a temporary directory), imports a 100,000-row register with bad lines
 * in it, then times the search queries archivists type and the coverage queries of the reform office.
 */

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  Catalog,
  type CatalogConfig,
  coverageReport,
  importRegister,
  searchPages,
  undigitizedDossiers,
} from '../../../storage/catalog/index.js';
import { DirectoryStore } from '../../../storage/objects/index.js';
import { loadCorpus } from './load.js';
import { benchQueries } from './queries.js';
import { registerFile } from './register-file.js';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REGISTER_ROWS = 100_000;
const REGISTER_BAD_ROWS = 100;
const SEARCH_RUNS = 3;
const COVERAGE_RUNS = 5;
/** Targets of the issue (PostgreSQL). */
const TARGET = { searchP95Ms: 150, coverageYearMs: 300, registerImportMs: 30_000 };

interface Backend {
  name: 'PostgreSQL' | 'PGlite';
  pages: number;
  open(): Promise<{ cfg: CatalogConfig; drop(): Promise<void> }>;
  maintenanceWorkMem: string;
}

interface Timing {
  label: string;
  samples: number[];
  detail?: string;
}

interface BackendReport {
  backend: string;
  corpus: { dossiers: number; documents: number; pages: number };
  loadMs: Record<string, number>;
  register: { ms: number; rows: number; rejected: number; goodRowsKept: boolean };
  search: { queries: number; samples: number; p50: number; p95: number; max: number; slowest: Timing[] };
  coverage: Timing[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

const median = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    0.5,
  );
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, performance.now() - t0];
}

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

async function runBackend(backend: Backend): Promise<BackendReport> {
  const { cfg, drop } = await backend.open();
  const catalog = await Catalog.open(cfg);
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-objects-'));
  try {
    log(`${backend.name}: generating ${backend.pages.toLocaleString('en')} pages`);
    const { size, timings } = await loadCorpus(catalog.sql, {
      pages: backend.pages,
      maintenanceWorkMem: backend.maintenanceWorkMem,
      onProgress: (s) => log(`${backend.name}:   ${s.pages.toLocaleString('en')} pages, ${s.dossiers.toLocaleString('en')} dossiers`),
    });
    log(`${backend.name}: loaded ${JSON.stringify(timings)}`);

    const file = await registerFile(catalog.sql, REGISTER_ROWS, REGISTER_BAD_ROWS);
    const store = new DirectoryStore(storeDir);
    const [imported, importMs] = await time(() =>
      importRegister(catalog, store, { source: 'register-100k.csv', bytes: Buffer.from(file.csv), importedBy: 'bench' }),
    );
    log(`${backend.name}: register import ${ms(importMs)}: ${imported.rows} rows, ${imported.errors.length} rejected`);
    await catalog.sql.exec('ANALYZE');

    const queries = await benchQueries(catalog.sql);
    for (const q of queries) await searchPages(catalog.sql, q.request); // warm the cache once
    const timingsByQuery: Timing[] = [];
    for (const q of queries) {
      const samples: number[] = [];
      let total = '';
      for (let run = 0; run < SEARCH_RUNS; run++) {
        const [result, t] = await time(() => searchPages(catalog.sql, q.request));
        samples.push(t);
        total = `${result.total}${result.totalIsLowerBound ? '+' : ''} hits`;
      }
      timingsByQuery.push({ label: `${q.label}: ${JSON.stringify(q.request)}`, samples, detail: total });
    }
    const all = timingsByQuery.flatMap((t) => t.samples).sort((a, b) => a - b);
    log(`${backend.name}: search p50 ${ms(percentile(all, 0.5))}, p95 ${ms(percentile(all, 0.95))}`);

    const coverage: Timing[] = [];
    const measure = async (label: string, fn: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let run = 0; run < COVERAGE_RUNS; run++) samples.push((await time(fn))[1]);
      coverage.push({ label, samples });
    };
    const year = { from: '2024-01-01', to: '2024-12-31' };
    await measure('coverage by procedure, one year (2024)', () => coverageReport(catalog.sql, { by: 'procedure', ...year }));
    await measure('coverage by procedure, by month, one year', () =>
      coverageReport(catalog.sql, { by: 'procedure', period: 'month', ...year }),
    );
    await measure('coverage by agency, by quarter, all years', () => coverageReport(catalog.sql, { by: 'agency', period: 'quarter' }));
    await measure('coverage by level, by year, all years', () => coverageReport(catalog.sql, { by: 'level', period: 'year' }));
    await measure('undigitized dossiers, one year, first 100', () => undigitizedDossiers(catalog.sql, year, { limit: 100, offset: 0 }));
    const report = await coverageReport(catalog.sql, { by: 'procedure', ...year });
    log(`${backend.name}: coverage 2024: ${JSON.stringify(report.total.rates)}, ${report.unregistered.total.dossiers} unregistered`);

    return {
      backend: backend.name,
      corpus: size,
      loadMs: { ...timings },
      register: {
        ms: importMs,
        rows: imported.rows,
        rejected: imported.errors.length,
        goodRowsKept: imported.rows === file.goodRows && imported.errors.length === file.badRows,
      },
      search: {
        queries: queries.length,
        samples: all.length,
        p50: percentile(all, 0.5),
        p95: percentile(all, 0.95),
        max: all[all.length - 1]!,
        slowest: [...timingsByQuery].sort((a, b) => median(b.samples) - median(a.samples)).slice(0, 5),
      },
      coverage,
    };
  } finally {
    await catalog.close();
    await drop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
}

function postgres(databaseUrl: string, pages: number): Backend {
  return {
    name: 'PostgreSQL',
    pages,
    maintenanceWorkMem: '1GB',
    async open() {
      const schema = `sohoa_bench_${randomBytes(4).toString('hex')}`;
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-pg-'));
      return {
        cfg: { dataDir, databaseUrl, schema },
        async drop() {
          const client = new pg.Client({ connectionString: databaseUrl });
          await client.connect();
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

function pglite(pages: number): Backend {
  return {
    name: 'PGlite',
    pages,
    maintenanceWorkMem: '256MB',
    async open() {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sohoa-bench-pglite-'));
      return { cfg: { dataDir }, drop: async () => fs.rmSync(dataDir, { recursive: true, force: true }) };
    },
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(0);

function print(reports: BackendReport[]): void {
  const out: string[] = [];
  for (const r of reports) {
    out.push(
      `\n== ${r.backend}: ${r.corpus.pages.toLocaleString('en')} pages, ${r.corpus.dossiers.toLocaleString('en')} dossiers, ` +
        `${r.corpus.documents.toLocaleString('en')} documents`,
      `load: generate ${seconds(r.loadMs.generateMs!)} s, indexes ${seconds(r.loadMs.indexMs!)} s, lexicon ${seconds(r.loadMs.lexiconMs!)} s, ` +
        `vacuum+analyze ${seconds(r.loadMs.analyzeMs!)} s`,
      `register import (${REGISTER_ROWS.toLocaleString('en')} good rows + ${REGISTER_BAD_ROWS} bad lines): ${(r.register.ms / 1000).toFixed(1)} s, ` +
        `${r.register.rows.toLocaleString('en')} rows kept, ${r.register.rejected} rejected — every good row kept: ${r.register.goodRowsKept ? 'yes' : 'NO'}`,
      `search: ${r.search.queries} queries × ${SEARCH_RUNS} runs: p50 ${ms(r.search.p50)}, p95 ${ms(r.search.p95)}, max ${ms(r.search.max)}`,
      '  slowest (median of runs):',
      ...r.search.slowest.map((t) => `    ${ms(median(t.samples)).padStart(10)}  ${t.label} (${t.detail})`),
      'coverage (median / max of 5 runs):',
      ...r.coverage.map((t) => `    ${ms(median(t.samples)).padStart(10)} / ${ms(Math.max(...t.samples)).padStart(10)}  ${t.label}`),
    );
  }
  const pgReport = reports.find((r) => r.backend === 'PostgreSQL');
  if (pgReport) {
    const year = median(pgReport.coverage[0]!.samples);
    const check = (ok: boolean) => (ok ? 'met' : 'NOT MET');
    out.push(
      '\n== targets (PostgreSQL)',
      `search p95 ${ms(pgReport.search.p95)} ≤ ${TARGET.searchP95Ms} ms: ${check(pgReport.search.p95 <= TARGET.searchP95Ms)}`,
      `coverage by procedure for one year ${ms(year)} ≤ ${TARGET.coverageYearMs} ms: ${check(year <= TARGET.coverageYearMs)}`,
      `register import ${(pgReport.register.ms / 1000).toFixed(1)} s ≤ 30 s: ${check(pgReport.register.ms <= TARGET.registerImportMs)}; ` +
        `good rows kept: ${check(pgReport.register.goodRowsKept)}`,
    );
  }
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: '1000000' },
      'pglite-pages': { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const pages = Number(values.pages);
  const pglitePages = Number(values['pglite-pages'] ?? pages);
  if (!Number.isInteger(pages) || pages < 1000 || !Number.isInteger(pglitePages) || pglitePages < 1000)
    throw new Error('--pages must be an integer ≥ 1000');
  const all = [postgres(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, pages), pglite(pglitePages)];
  const only = values.only?.toLowerCase();
  // `--only postgres`, as the README spells it, names PostgreSQL: an option that matches nothing is an error, not an empty run.
  const backends = all.filter((b) => !only || b.name.toLowerCase() === only || b.name.toLowerCase() === `${only}ql`);
  if (backends.length === 0) throw new Error(`--only ${values.only} names no backend: use postgres or pglite`);
  const reports: BackendReport[] = [];
  const started = performance.now();
  for (const backend of backends) reports.push(await runBackend(backend));
  print(reports);
  console.log(`\ntotal bench time ${((performance.now() - started) / 60_000).toFixed(1)} min`);
  if (values.json) fs.writeFileSync(values.json, JSON.stringify(reports, null, 2));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

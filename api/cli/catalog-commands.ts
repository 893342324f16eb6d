/**
 * `sohoa register import`, `sohoa coverage` and `sohoa search`: they open the catalog themselves
 * (so, on PGlite, only while no API process holds it).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputFileError, RowsRejectedError, UsageError } from '../../pipeline/errors.js';
import {
  type CoverageDimension,
  type CoverageFilters,
  type CoveragePeriod,
  type CoverageReport,
  coverageReport,
  DIMENSIONS,
  importRegister,
  LEVEL_NAMES,
  PERIODS,
  REGISTER_TABLES,
  type SearchResult,
  searchPages,
  undigitizedDossiers,
} from '../../storage/catalog/index.js';
import { COVERAGE_COLUMNS, coverageCell, coverageLines, formatNumber, type ReportLang } from '../coverage-table.js';
import { coverageThresholds } from '../settings.js';
import { xlsxToCsv } from '../spreadsheets.js';
import type { Command } from './command.js';
import { withCatalog } from './open-catalog.js';
import { cliUser } from './user.js';

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer`);
  return n;
}

// ---------------------------------------------------------------------------------------------

export const registerCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, format: { type: 'string' }, table: { type: 'string', default: 'dossiers' } },
  });
  const [action, file, ...rest] = positionals;
  if (action !== 'import' || !file || rest.length)
    throw new UsageError(
      'usage: sohoa register import <file.csv|file.json|file.xlsx> [--table dossiers|units|procedures] [--format csv|json|xlsx] [--json]',
    );
  const table = oneOf('table', values.table, REGISTER_TABLES)!;
  const format = oneOf('format', values.format, ['csv', 'json', 'xlsx'] as const) ?? (/\.xlsx$/i.test(file) ? 'xlsx' : undefined);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    throw new InputFileError(file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message);
  }
  const source = path.basename(file);
  // A spreadsheet's first sheet, row for row as CSV lines, so errors name its rows.
  if (format === 'xlsx') bytes = await xlsxToCsv(source, bytes);
  const result = await withCatalog(config, (services) =>
    importRegister(services.catalog!, services.ctx.store, {
      source,
      bytes,
      format: format === 'xlsx' ? 'csv' : format,
      importedBy: cliUser(),
      table,
    }),
  );
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else {
    for (const e of result.errors) console.error(`ERROR line ${e.line}: ${e.reason}`);
    console.log(
      result.key
        ? `${result.source}: ${result.rows} row(s) imported (${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged), ` +
            `${result.errors.length} rejected → ${result.key}`
        : `${result.source}: no valid row, ${result.errors.length} rejected; nothing imported`,
    );
  }
  if (result.rows === 0) throw new InputFileError(result.source, `no valid row: ${result.errors.length} rejected`);
  if (result.errors.length) throw new RowsRejectedError(result.source, result.errors.length);
  return 0;
};

// ---------------------------------------------------------------------------------------------

function table(header: string[], rows: string[][], textColumns: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The report's table (the export's columns; names cut to 40 characters), and what it was judged by. */
function printCoverage(report: CoverageReport, lang: ReportLang): void {
  const columns = COVERAGE_COLUMNS;
  const rows = coverageLines(report).map((line) => columns.map((c) => coverageCell(c, line, lang).slice(0, 40)));
  console.log(
    table(
      columns.map((c) => c.header[lang]),
      rows,
      columns.findIndex((c) => c.kind !== 'text'),
    ),
  );
  const u = report.unregistered.total;
  const n = (value: number) => formatNumber(value, lang);
  const t = report.thresholds;
  console.log(
    lang === 'vi'
      ? `\nngưỡng: cần cải thiện dưới ${n(t.warn)}%, đạt từ ${n(t.target)}% (tỷ lệ số hóa chung)` +
          `\nngoài sổ theo dõi: ${n(u.dossiers)} hồ sơ đã số hóa, ${n(u.componentDigitized)} có thành phần, ${n(u.resultDigitized)} có kết quả`
      : `\nthresholds: needs action under ${t.warn}%, meets target from ${t.target}% (overall rate)` +
          `\nnot in the register: ${u.dossiers} catalogued dossier(s), ${u.componentDigitized} with a digitized component, ` +
          `${u.resultDigitized} with a digitized result`,
  );
  if (!report.total.overallExact)
    console.log(
      lang === 'vi'
        ? `tỷ lệ chung tính gần đúng cho ${n(report.total.overallApproximate)} hồ sơ: chưa nhập danh mục thành phần hồ sơ của thủ tục`
        : `overall rate approximate for ${report.total.overallApproximate} dossier(s): their procedure's required components are not imported`,
    );
}

export const coverageCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      by: { type: 'string', default: 'procedure' },
      period: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      procedure: { type: 'string' },
      agency: { type: 'string' },
      level: { type: 'string' },
      'roll-up': { type: 'boolean', default: false },
      lang: { type: 'string', default: 'en' },
      undigitized: { type: 'boolean', default: false },
      limit: { type: 'string' },
      offset: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const filters: CoverageFilters = {
    from: values.from,
    to: values.to,
    procedure: values.procedure,
    agency: values.agency,
    level: oneOf('level', values.level, LEVEL_NAMES),
    rollUp: values['roll-up'] || undefined,
  };
  const lang = oneOf('lang', values.lang, ['vi', 'en'] as const)!;
  return withCatalog(config, async ({ catalog }) => {
    if (values.undigitized) {
      const paging = { limit: integer('limit', values.limit, 100), offset: integer('offset', values.offset, 0) };
      const list = await undigitizedDossiers(catalog!.sql, filters, paging);
      // A list of citizens' dossiers is a read like any other: recorded before it is shown.
      await catalog!.recordAudit(cliUser(), 'list-undigitized', '*', { ...filters, ...paging });
      if (values.json) console.log(JSON.stringify(list, null, 2));
      else {
        for (const d of list.items) {
          const components = d.missingComponents
            ? d.missingComponents.length
              ? `components ${d.missingComponents.join(', ')}`
              : null
            : d.componentDigitized
              ? null
              : 'components';
          const missing = [components, d.resolvedAt && !d.resultDigitized ? 'result' : null].filter(Boolean).join(' and ');
          const resolved = d.resolvedOn ? `  resolved ${d.resolvedOn}` : '';
          console.log(
            `${d.code}  ${d.procedureCode}  ${d.agencyCode}  ${d.level}  received ${d.receivedOn}${resolved}  missing: ${missing}`,
          );
        }
        console.log(`${list.total} dossier(s) not digitized`);
      }
      return 0;
    }
    const report = await coverageReport(
      catalog!.sql,
      {
        ...filters,
        by: oneOf('by', values.by, DIMENSIONS) as CoverageDimension,
        period: oneOf('period', values.period, PERIODS) as CoveragePeriod | undefined,
      },
      await coverageThresholds(catalog!, config),
    );
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else printCoverage(report, lang);
    const given = Object.entries(filters).filter(([, v]) => v !== undefined);
    if (given.length && report.total.received === 0 && report.unregistered.total.dossiers === 0) {
      console.error(`WARNING nothing in the register or the catalog matches ${given.map(([k, v]) => `--${k} ${v}`).join(' ')}`);
    }
    return 0;
  });
};

// ---------------------------------------------------------------------------------------------

function printSearch(result: SearchResult): void {
  const total = `${result.total}${result.totalIsLowerBound ? '+' : ''}`;
  result.hits.forEach((h, i) => {
    console.log(`${result.offset + i + 1}. ${h.fileCode} page ${h.pageNumber} [${h.match}] ${h.link}`);
    console.log(`   ${h.snippet}`);
  });
  const spellings = Object.entries(result.fuzzy).map(([w, s]) => `${w} → ${s.join(', ')}`);
  if (spellings.length) console.log(`also searched OCR spellings: ${spellings.join('; ')}`);
  console.log(
    `${total} page(s) match; showing ${result.hits.length ? `${result.offset + 1}–${result.offset + result.hits.length}` : 'none'}`,
  );
}

export const searchCommand: Command = async (args, config) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      any: { type: 'boolean', default: false },
      procedure: { type: 'string' },
      agency: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      dossier: { type: 'string' },
      title: { type: 'string' },
      subject: { type: 'string' },
      organ: { type: 'string' },
      notation: { type: 'string' },
      'issued-from': { type: 'string' },
      'issued-to': { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const query = positionals.join(' ').trim();
  if (!query)
    throw new UsageError(
      'usage: sohoa search <query> [--any] [--procedure <code>] [--agency <code>] [--from <day>] [--to <day>] [--dossier <code>] ' +
        '[--title <words>] [--subject <words>] [--organ <words>] [--notation <ký hiệu>] [--issued-from <day>] [--issued-to <day>] [--json]',
    );
  const { any, json, limit, offset, organ, notation, 'issued-from': issuedFrom, 'issued-to': issuedTo, ...rest } = values;
  const filters = { ...rest, organName: organ, codeNotation: notation, issuedFrom, issuedTo };
  const result = await withCatalog(config, async ({ catalog }) => {
    const found = await searchPages(catalog!.sql, {
      query,
      mode: any ? 'any' : 'all',
      ...filters,
      limit: integer('limit', limit, 10),
      offset: integer('offset', offset, 0),
    });
    await catalog!.recordAudit(cliUser(), 'search', query, { ...filters, mode: found.mode, total: found.total });
    return found;
  });
  if (json) console.log(JSON.stringify(result, null, 2));
  else printSearch(result);
  return 0;
};

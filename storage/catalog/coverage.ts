/**
 * Digitization coverage for the reform office (DOMAIN.md), from raw counts:
 * - component rate = dossiers received in the period with at least one digitized component (a
 *   component document with a done page) ÷ dossiers received in the period;
 * - result rate = dossiers resolved in the period whose result is digitized ÷ dossiers resolved in
 *   the period;
 * - overall rate = dossiers received in the period that are digitized overall ÷ dossiers received.
 *   The register does not list a procedure's required components, so "all components digitized"
 *   cannot be checked: a dossier counts as digitized overall when it has a digitized component
 *   and, if it has been resolved (at any time), a digitized result.
 * Denominators come from the register; digitized dossiers the register does not know are counted
 * apart (`unregistered`), by the receipt date in their code, never dropped.
 */
import { UsageError } from '../../pipeline/errors.js';
import { assertAgencyCode, assertProcedureCode } from '../objects/index.js';
import { assertDay } from './days.js';
import type { Level } from './register-parse.js';
import { isoTime, type SqlClient } from './sql.js';
import { Params } from './sql-params.js';

export const DIMENSIONS = ['procedure', 'agency', 'level'] as const;
export type CoverageDimension = (typeof DIMENSIONS)[number];
export const PERIODS = ['month', 'quarter', 'year'] as const;
export type CoveragePeriod = (typeof PERIODS)[number];

export interface Thresholds {
  /** Below this overall rate (%), a row needs action. */
  warn: number;
  /** From this overall rate (%), a row meets the target. */
  target: number;
}

const DEFAULT_THRESHOLDS: Thresholds = { warn: 50, target: 80 };

export type CoverageStatus = 'no-data' | 'needs-action' | 'below-target' | 'meets-target';

export interface CoverageFilters {
  /** First day, `YYYY-MM-DD` (Vietnam time), inclusive. */
  from?: string;
  /** Last day, inclusive. */
  to?: string;
  procedure?: string;
  agency?: string;
  level?: Level;
}

export interface CoverageQuery extends CoverageFilters {
  by: CoverageDimension;
  period?: CoveragePeriod;
}

export interface CoverageCounts {
  /** Dossiers received in the period (component and overall denominator). */
  received: number;
  componentDigitized: number;
  overallDigitized: number;
  /** Dossiers resolved in the period (result denominator). */
  resolved: number;
  resultDigitized: number;
}

export interface CoverageRates {
  /** Percentages with two decimals; null when the denominator is 0. */
  component: number | null;
  result: number | null;
  overall: number | null;
}

export interface CoverageRow extends CoverageCounts {
  /** Procedure code, agency code or level; null for the total. */
  key: string | null;
  name: string | null;
  /** `2024-03`, `2024-Q1` or `2024`; null without --period. */
  period: string | null;
  rates: CoverageRates;
  status: CoverageStatus;
}

export interface UnregisteredRow {
  key: string | null;
  name: string | null;
  period: string | null;
  /** Catalogued dossiers absent from the register, received (per their code) in the period. */
  dossiers: number;
  componentDigitized: number;
  resultDigitized: number;
}

export interface CoverageReport {
  by: CoverageDimension;
  period: CoveragePeriod | null;
  from: string | null;
  to: string | null;
  thresholds: Thresholds;
  rows: CoverageRow[];
  total: CoverageRow;
  unregistered: { total: UnregisteredRow; rows: UnregisteredRow[] };
}

export function checkCoverageFilters(filters: CoverageFilters): void {
  assertDay('from', filters.from);
  assertDay('to', filters.to);
  // A mistyped code would match nothing and look like a procedure nobody digitized.
  if (filters.procedure !== undefined) assertProcedureCode(filters.procedure);
  if (filters.agency !== undefined) assertAgencyCode(filters.agency);
  if (filters.level !== undefined && filters.level !== 'province' && filters.level !== 'commune')
    throw new UsageError('level must be province or commune');
}

const PERIOD_FORMAT: Record<CoveragePeriod, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

function periodSql(period: CoveragePeriod | undefined, column: string): string {
  return period ? `to_char(${column}, '${PERIOD_FORMAT[period]}')` : 'NULL::text';
}

function between(column: string, filters: CoverageFilters, add: (v: unknown) => string): string {
  const parts: string[] = [];
  if (filters.from) parts.push(`${column} >= ${add(filters.from)}::date`);
  if (filters.to) parts.push(`${column} <= ${add(filters.to)}::date`);
  return parts.length ? parts.join(' AND ') : 'true';
}

const KEY: Record<CoverageDimension, string> = { procedure: 'r.procedure_code', agency: 'r.agency_code', level: 'r.level' };

function registerFilters(filters: CoverageFilters, add: (v: unknown) => string): string {
  const parts: string[] = [];
  if (filters.procedure) parts.push(`r.procedure_code = ${add(filters.procedure)}`);
  if (filters.agency) parts.push(`r.agency_code = ${add(filters.agency)}`);
  if (filters.level) parts.push(`r.level = ${add(filters.level)}`);
  return parts.map((p) => ` AND ${p}`).join('');
}

interface CountsDb {
  key: string | null;
  period: string | null;
  received: number;
  component_digitized: number;
  overall_digitized: number;
  resolved: number;
  result_digitized: number;
}

/** Registered dossiers: receipts (component, overall) by receipt period, resolutions by resolution period. */
async function registeredCounts(sql: SqlClient, query: CoverageQuery): Promise<CountsDb[]> {
  const p = new Params();
  const received = between('r.received_on', query, p.add);
  const resolved = between('r.resolved_on', query, p.add);
  const filters = registerFilters(query, p.add);
  return sql.query<CountsDb>(
    `WITH reg AS (
       SELECT ${KEY[query.by]} AS key, r.received_on, r.resolved_on,
         ${received} AS in_received, (r.resolved_on IS NOT NULL AND ${resolved}) AS in_resolved,
         coalesce(d.component_digitized, false) AS component, coalesce(d.result_digitized, false) AS result
       FROM register_dossiers r LEFT JOIN dossiers d ON d.code = r.code
       WHERE ((${received}) OR (r.resolved_on IS NOT NULL AND ${resolved}))${filters}),
     events AS (
       SELECT key, ${periodSql(query.period, 'received_on')} AS period, 1 AS received, component::int AS component_digitized,
         (component AND (resolved_on IS NULL OR result))::int AS overall_digitized, 0 AS resolved, 0 AS result_digitized
       FROM reg WHERE in_received
       UNION ALL
       SELECT key, ${periodSql(query.period, 'resolved_on')}, 0, 0, 0, 1, result::int FROM reg WHERE in_resolved)
     SELECT key, period, sum(received)::int AS received, sum(component_digitized)::int AS component_digitized,
       sum(overall_digitized)::int AS overall_digitized, sum(resolved)::int AS resolved, sum(result_digitized)::int AS result_digitized
     FROM events GROUP BY key, period ORDER BY key, period`,
    p.values,
  );
}

interface UnregisteredDb {
  key: string | null;
  period: string | null;
  dossiers: number;
  component_digitized: number;
  result_digitized: number;
}

/** Catalogued dossiers the register does not know, by the receipt date of their code. */
async function unregisteredCounts(sql: SqlClient, query: CoverageQuery): Promise<UnregisteredDb[]> {
  const p = new Params();
  const key: Record<CoverageDimension, string> = { procedure: 'd.procedure_code', agency: 'd.agency_code', level: 'a.level' };
  const filters: string[] = [];
  if (query.procedure) filters.push(`d.procedure_code = ${p.add(query.procedure)}`);
  if (query.agency) filters.push(`d.agency_code = ${p.add(query.agency)}`);
  if (query.level) filters.push(`a.level = ${p.add(query.level)}`);
  return sql.query<UnregisteredDb>(
    `SELECT ${key[query.by]} AS key, ${periodSql(query.period, 'd.received_on')} AS period, count(*)::int AS dossiers,
       count(*) FILTER (WHERE d.component_digitized)::int AS component_digitized,
       count(*) FILTER (WHERE d.result_digitized)::int AS result_digitized
     FROM dossiers d LEFT JOIN agencies a ON a.code = d.agency_code
     WHERE NOT EXISTS (SELECT 1 FROM register_dossiers r WHERE r.code = d.code) AND ${between('d.received_on', query, p.add)}
       ${filters.map((f) => `AND ${f}`).join(' ')}
     GROUP BY 1, 2 ORDER BY 1, 2`,
    p.values,
  );
}

async function names(sql: SqlClient, by: CoverageDimension): Promise<Map<string, string>> {
  if (by === 'level')
    return new Map([
      ['province', 'Cấp tỉnh'],
      ['commune', 'Cấp xã'],
    ]);
  const rows = await sql.query<{ code: string; name: string }>(`SELECT code, name FROM ${by === 'procedure' ? 'procedures' : 'agencies'}`);
  return new Map(rows.map((r) => [r.code, r.name]));
}

function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((10_000 * numerator) / denominator) / 100;
}

export function coverageStatus(overall: number | null, thresholds: Thresholds): CoverageStatus {
  if (overall === null) return 'no-data';
  if (overall < thresholds.warn) return 'needs-action';
  return overall < thresholds.target ? 'below-target' : 'meets-target';
}

function coverageRow(
  key: string | null,
  name: string | null,
  period: string | null,
  c: CoverageCounts,
  thresholds: Thresholds,
): CoverageRow {
  const rates = {
    component: rate(c.componentDigitized, c.received),
    result: rate(c.resultDigitized, c.resolved),
    overall: rate(c.overallDigitized, c.received),
  };
  return { key, name, period, ...c, rates, status: coverageStatus(rates.overall, thresholds) };
}

function sumCounts(rows: CoverageCounts[]): CoverageCounts {
  const total: CoverageCounts = { received: 0, componentDigitized: 0, overallDigitized: 0, resolved: 0, resultDigitized: 0 };
  for (const r of rows) for (const k of Object.keys(total) as (keyof CoverageCounts)[]) total[k] += r[k];
  return total;
}

export async function coverageReport(
  sql: SqlClient,
  query: CoverageQuery,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): Promise<CoverageReport> {
  checkCoverageFilters(query);
  if (!DIMENSIONS.includes(query.by)) throw new UsageError(`by must be one of ${DIMENSIONS.join(', ')}`);
  if (query.period !== undefined && !PERIODS.includes(query.period)) throw new UsageError(`period must be one of ${PERIODS.join(', ')}`);
  return sql.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ'); // one snapshot for every count
    const [registered, unregistered, named] = [
      await registeredCounts(tx, query),
      await unregisteredCounts(tx, query),
      await names(tx, query.by),
    ];
    const counts = registered.map((r) => ({
      key: r.key,
      period: r.period,
      counts: {
        received: r.received,
        componentDigitized: r.component_digitized,
        overallDigitized: r.overall_digitized,
        resolved: r.resolved,
        resultDigitized: r.result_digitized,
      },
    }));
    const name = (key: string | null) => (key === null ? null : (named.get(key) ?? null));
    const unregisteredRows = unregistered.map((u) => ({
      key: u.key,
      name: name(u.key),
      period: u.period,
      dossiers: u.dossiers,
      componentDigitized: u.component_digitized,
      resultDigitized: u.result_digitized,
    }));
    return {
      by: query.by,
      period: query.period ?? null,
      from: query.from ?? null,
      to: query.to ?? null,
      thresholds,
      rows: counts.map((c) => coverageRow(c.key, name(c.key), c.period, c.counts, thresholds)),
      total: coverageRow(null, null, null, sumCounts(counts.map((c) => c.counts)), thresholds),
      unregistered: {
        total: {
          key: null,
          name: null,
          period: null,
          dossiers: sumOf(unregisteredRows, (u) => u.dossiers),
          componentDigitized: sumOf(unregisteredRows, (u) => u.componentDigitized),
          resultDigitized: sumOf(unregisteredRows, (u) => u.resultDigitized),
        },
        rows: unregisteredRows,
      },
    };
  });
}

export interface UndigitizedDossier {
  code: string;
  procedureCode: string;
  agencyCode: string;
  level: Level;
  receivedAt: string;
  resolvedAt: string | null;
  /** Vietnam days of receivedAt and resolvedAt. */
  receivedOn: string;
  resolvedOn: string | null;
  componentDigitized: boolean;
  resultDigitized: boolean;
}

/** Dossiers received in the period that are not digitized overall: the reform office's drill-down. */
export async function undigitizedDossiers(
  sql: SqlClient,
  filters: CoverageFilters,
  paging: { limit: number; offset: number },
): Promise<{ total: number; items: UndigitizedDossier[] }> {
  checkCoverageFilters(filters);
  const p = new Params();
  const missing = `(SELECT r.code, r.procedure_code, r.agency_code, r.level, r.received_at, r.resolved_at,
       to_char(r.received_on, 'YYYY-MM-DD') AS received_on, to_char(r.resolved_on, 'YYYY-MM-DD') AS resolved_on,
       coalesce(d.component_digitized, false) AS component, coalesce(d.result_digitized, false) AS result
     FROM register_dossiers r LEFT JOIN dossiers d ON d.code = r.code WHERE ${between('r.received_on', filters, p.add)}${registerFilters(filters, p.add)}) s
     WHERE NOT (component AND (resolved_at IS NULL OR result))`;
  return sql.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${missing}`, p.values);
    const rows = await tx.query<{
      code: string;
      procedure_code: string;
      agency_code: string;
      level: Level;
      received_at: Date | string;
      resolved_at: Date | string | null;
      received_on: string;
      resolved_on: string | null;
      component: boolean;
      result: boolean;
    }>(`SELECT * FROM ${missing} ORDER BY received_at, code LIMIT ${p.add(paging.limit)} OFFSET ${p.add(paging.offset)}`, p.values);
    return {
      total: count!.n,
      items: rows.map((r) => ({
        code: r.code,
        procedureCode: r.procedure_code,
        agencyCode: r.agency_code,
        level: r.level,
        receivedAt: isoTime(r.received_at),
        resolvedAt: r.resolved_at === null ? null : isoTime(r.resolved_at),
        receivedOn: r.received_on,
        resolvedOn: r.resolved_on,
        componentDigitized: r.component,
        resultDigitized: r.result,
      })),
    };
  });
}

function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((sum, item) => sum + value(item), 0);
}

/**
 * Digitization coverage for the reform office (DOMAIN.md), from raw counts. A document is
 * digitized when every one of its pages is done (none failed).
 * - component rate = dossiers received in the period with a digitized component document ÷
 *   dossiers received in the period;
 * - result rate = dossiers resolved in the period whose result is digitized ÷ dossiers resolved in
 *   the period;
 * - overall rate = dossiers received in the period that are digitized overall ÷ dossiers received:
 *   every required component digitized and, if the dossier has been resolved (at any time), its
 *   result. Required components come from the procedure's version (imported procedure versions:
 *   the register's version, else the one valid on the receipt day); where none is known the rate
 *   is approximate: every component document sent is digitized, and there is one;
 * - combined rate (the city's single figure, "tỷ lệ số hóa hồ sơ, giấy tờ, kết quả giải quyết
 *   TTHC") = (component digitized + result digitized) ÷ (received + resolved);
 * - on-time rate ("tỷ lệ đúng/sớm hẹn") = dossiers resolved in the period by their due time ÷
 *   dossiers resolved in the period that have a due time.
 * Denominators come from the register; digitized dossiers the register does not know are counted
 * apart (`unregistered`), by the receipt date in their code, never dropped. With `rollUp`, former
 * units (districts, merged communes) count as their successors, so history reads in today's units.
 * By agency, a dossier several agencies handled (liên thông) counts for each; the total counts it once.
 */
import { UsageError } from '../../pipeline/errors.js';
import { assertAgencyCode, assertProcedureCode } from '../objects/index.js';
import { assertDay } from './days.js';
import { LEVEL_NAMES, type Level } from './register-parse.js';
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
  /** The receiving agency or any that handled the dossier (a successor, with rollUp). */
  agency?: string;
  level?: Level;
  /** Former units count as their successors (agency and level). */
  rollUp?: boolean;
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
  /** Of the received, those whose procedure's required components are not known (overall approximate). */
  overallApproximate: number;
  /** Dossiers resolved in the period (result denominator). */
  resolved: number;
  resultDigitized: number;
  /** Of the resolved, those with a due time (on-time denominator), and those resolved by it. */
  resolvedWithDue: number;
  onTime: number;
}

export interface CoverageRates {
  /** Percentages with two decimals; null when the denominator is 0. */
  component: number | null;
  result: number | null;
  overall: number | null;
  combined: number | null;
  onTime: number | null;
}

export interface CoverageRow extends CoverageCounts {
  /** Procedure code, agency code or level; null for the total. */
  key: string | null;
  name: string | null;
  /** `2024-03`, `2024-Q1` or `2024`; null without --period. */
  period: string | null;
  rates: CoverageRates;
  /** Every received dossier's overall state was judged against its procedure's component list. */
  overallExact: boolean;
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
  rollUp: boolean;
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
  if (filters.level !== undefined && !LEVEL_NAMES.includes(filters.level))
    throw new UsageError(`level must be one of ${LEVEL_NAMES.join(', ')}`);
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

/** Each former unit's last successor, and that successor's level as the mapping gives it. */
const SUCCESSORS = `chain (code, at, at_level, depth) AS (
    SELECT former_code, successor_code, successor_level, 1 FROM unit_successions
    UNION ALL
    SELECT c.code, s.successor_code, s.successor_level, c.depth + 1 FROM chain c JOIN unit_successions s ON s.former_code = c.at
    WHERE c.depth < 32),
  successor AS (SELECT DISTINCT ON (code) code, at, at_level FROM chain ORDER BY code, depth DESC)`;

/** An agency code as the report counts it: itself, or with rollUp its last successor. */
function unitOf(column: string, rollUp: boolean | undefined): string {
  return rollUp ? `coalesce((SELECT at FROM successor WHERE code = ${column}), ${column})` : column;
}

/** A dossier's level as the report counts it: with rollUp, its agency's successor's level. */
function levelOf(agency: string, level: string, rollUp: boolean | undefined): string {
  return rollUp
    ? `coalesce((SELECT coalesce(a.level, s.at_level) FROM successor s LEFT JOIN agencies a ON a.code = s.at WHERE s.code = ${agency}), ${level})`
    : level;
}

/** A component document of the dossier with every page done (one for the given component code). */
function digitizedComponent(dossier: string, component: string): string {
  return `EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = ${dossier} AND x.kind = 'component'
    AND x.component_code = ${component} AND x.page_count > 0 AND x.pages_failed = 0)`;
}

/** The agencies a dossier counts for: the receiving one first, then the others; rolled up, their successors once each. */
function agencyCodes(rollUp: boolean | undefined): string {
  return rollUp
    ? `ARRAY(SELECT DISTINCT ${unitOf('u', true)} FROM unnest(ARRAY[r.agency_code] || r.agencies) AS u ORDER BY 1)`
    : 'ARRAY[r.agency_code] || r.agencies';
}

/**
 * `reg`: the register's dossiers received or resolved in the period, with their counted agencies
 * and level, whether each is digitized (component, result, overall) and which required components
 * are missing (null where the procedure's list is not known); filtered.
 */
function registeredDossiers(filters: CoverageFilters, add: (v: unknown) => string): string {
  const received = between('r.received_on', filters, add);
  const resolved = between('r.resolved_on', filters, add);
  const where: string[] = [];
  if (filters.procedure) where.push(`procedure_code = ${add(filters.procedure)}`);
  if (filters.agency) where.push(`${add(filters.agency)} = ANY(agency_codes)`);
  if (filters.level) where.push(`level = ${add(filters.level)}`);
  const inPeriod = `(${received}) OR (r.resolved_on IS NOT NULL AND ${resolved})`;
  return `${SUCCESSORS},
  -- The version each dossier is judged by: the register's, else the one valid on its receipt day.
  -- A join, not a lookup per dossier: most procedures have no versions imported.
  applicable AS (
    SELECT DISTINCT ON (r.code) r.code, v.component_codes
    FROM register_dossiers r JOIN procedure_versions v ON v.procedure_code = r.procedure_code
      AND CASE WHEN r.procedure_version IS NOT NULL THEN v.version = r.procedure_version
        ELSE v.valid_from <= r.received_on AND (v.valid_to IS NULL OR v.valid_to >= r.received_on) END
    WHERE ${inPeriod}
    ORDER BY r.code, v.valid_from DESC),
  base AS (
    SELECT r.code, r.procedure_code, ${unitOf('r.agency_code', filters.rollUp)} AS agency_code, r.received_at, r.resolved_at, r.due_at, r.received_on, r.resolved_on,
      ${agencyCodes(filters.rollUp)} AS agency_codes,
      ${levelOf('r.agency_code', 'r.level', filters.rollUp)} AS level,
      ${received} AS in_received, (r.resolved_on IS NOT NULL AND ${resolved}) AS in_resolved,
      coalesce(d.component_digitized, false) AS component, coalesce(d.result_digitized, false) AS result,
      coalesce(d.components_complete, false) AS components_complete,
      CASE WHEN v.component_codes IS NULL THEN NULL
        ELSE ARRAY(SELECT c FROM unnest(v.component_codes) AS c WHERE NOT ${digitizedComponent('r.code', 'c')}) END AS missing_components
    FROM register_dossiers r LEFT JOIN dossiers d ON d.code = r.code LEFT JOIN applicable v ON v.code = r.code
    WHERE ${inPeriod}),
  reg AS (
    SELECT *, missing_components IS NULL AS approximate,
      coalesce(cardinality(missing_components) = 0, components_complete) AND (resolved_on IS NULL OR result) AS overall
    FROM base${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`;
}

interface CountsDb {
  key: string | null;
  period: string | null;
  received: number;
  component_digitized: number;
  overall_digitized: number;
  overall_approximate: number;
  resolved: number;
  result_digitized: number;
  resolved_with_due: number;
  on_time: number;
}

const KEYS: Record<CoverageDimension | 'total', string> = {
  procedure: 'ARRAY[procedure_code]',
  agency: 'agency_codes',
  level: 'ARRAY[level]',
  total: 'ARRAY[NULL::text]',
};

/** Registered dossiers: receipts (component, overall) by receipt period, resolutions by resolution period. */
async function registeredCounts(
  sql: SqlClient,
  query: CoverageFilters,
  by: CoverageDimension | 'total',
  period?: CoveragePeriod,
): Promise<CountsDb[]> {
  const p = new Params();
  return sql.query<CountsDb>(
    `WITH RECURSIVE ${registeredDossiers(query, p.add)},
     events AS (
       SELECT k.key, ${periodSql(period, 'received_on')} AS period, 1 AS received, component::int AS component_digitized,
         overall::int AS overall_digitized, approximate::int AS overall_approximate, 0 AS resolved, 0 AS result_digitized,
         0 AS resolved_with_due, 0 AS on_time
       FROM reg, unnest(${KEYS[by]}) AS k(key) WHERE in_received
       UNION ALL
       SELECT k.key, ${periodSql(period, 'resolved_on')}, 0, 0, 0, 0, 1, result::int, (due_at IS NOT NULL)::int,
         (due_at IS NOT NULL AND resolved_at <= due_at)::int
       FROM reg, unnest(${KEYS[by]}) AS k(key) WHERE in_resolved)
     SELECT key, period, sum(received)::int AS received, sum(component_digitized)::int AS component_digitized,
       sum(overall_digitized)::int AS overall_digitized, sum(overall_approximate)::int AS overall_approximate,
       sum(resolved)::int AS resolved, sum(result_digitized)::int AS result_digitized,
       sum(resolved_with_due)::int AS resolved_with_due, sum(on_time)::int AS on_time
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
  const agency = unitOf('d.agency_code', query.rollUp);
  const level = levelOf('d.agency_code', '(SELECT a.level FROM agencies a WHERE a.code = d.agency_code)', query.rollUp);
  const key: Record<CoverageDimension, string> = { procedure: 'd.procedure_code', agency, level };
  const filters: string[] = [];
  if (query.procedure) filters.push(`d.procedure_code = ${p.add(query.procedure)}`);
  if (query.agency) filters.push(`${agency} = ${p.add(query.agency)}`);
  if (query.level) filters.push(`${level} = ${p.add(query.level)}`);
  return sql.query<UnregisteredDb>(
    `WITH RECURSIVE ${SUCCESSORS}
     SELECT ${key[query.by]} AS key, ${periodSql(query.period, 'd.received_on')} AS period, count(*)::int AS dossiers,
       count(*) FILTER (WHERE d.component_digitized)::int AS component_digitized,
       count(*) FILTER (WHERE d.result_digitized)::int AS result_digitized
     FROM dossiers d
     WHERE NOT EXISTS (SELECT 1 FROM register_dossiers r WHERE r.code = d.code) AND ${between('d.received_on', query, p.add)}
       ${filters.map((f) => `AND ${f}`).join(' ')}
     GROUP BY 1, 2 ORDER BY 1, 2`,
    p.values,
  );
}

const LEVEL_LABELS: Record<Level, string> = { province: 'Cấp tỉnh', district: 'Cấp huyện', commune: 'Cấp xã' };

async function names(sql: SqlClient, by: CoverageDimension): Promise<Map<string, string>> {
  if (by === 'level') return new Map(Object.entries(LEVEL_LABELS));
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

function coverageRow(r: CountsDb, name: string | null, thresholds: Thresholds): CoverageRow {
  const c: CoverageCounts = {
    received: r.received,
    componentDigitized: r.component_digitized,
    overallDigitized: r.overall_digitized,
    overallApproximate: r.overall_approximate,
    resolved: r.resolved,
    resultDigitized: r.result_digitized,
    resolvedWithDue: r.resolved_with_due,
    onTime: r.on_time,
  };
  const rates = {
    component: rate(c.componentDigitized, c.received),
    result: rate(c.resultDigitized, c.resolved),
    overall: rate(c.overallDigitized, c.received),
    combined: rate(c.componentDigitized + c.resultDigitized, c.received + c.resolved),
    onTime: rate(c.onTime, c.resolvedWithDue),
  };
  return {
    key: r.key,
    name,
    period: r.period,
    ...c,
    rates,
    overallExact: c.overallApproximate === 0,
    status: coverageStatus(rates.overall, thresholds),
  };
}

/** The rows' counts added up: the total where each dossier is in one row of each period. */
function sumCounts(rows: CountsDb[]): CountsDb {
  const total = { ...NO_COUNTS };
  for (const row of rows) for (const k of COUNT_COLUMNS) total[k] += row[k];
  return total;
}

const COUNT_COLUMNS = [
  'received',
  'component_digitized',
  'overall_digitized',
  'overall_approximate',
  'resolved',
  'result_digitized',
  'resolved_with_due',
  'on_time',
] as const;

const NO_COUNTS: CountsDb = {
  key: null,
  period: null,
  received: 0,
  component_digitized: 0,
  overall_digitized: 0,
  overall_approximate: 0,
  resolved: 0,
  result_digitized: 0,
  resolved_with_due: 0,
  on_time: 0,
};

/**
 * One snapshot for every count of a report, and no JIT: the per-dossier subqueries make the
 * planner's estimate look big enough to compile, which cost 0.6 s on a query that runs in 70 ms
 * (bench:catalog, 200,000 pages).
 */
function reportTransaction(tx: SqlClient): Promise<void> {
  return tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET LOCAL jit = off');
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
    await reportTransaction(tx);
    const registered = await registeredCounts(tx, query, query.by, query.period);
    // By agency a dossier counts for each agency that handled it: the total counts it once.
    const [total] = query.by === 'agency' ? await registeredCounts(tx, query, 'total') : [sumCounts(registered)];
    const [unregistered, named] = [await unregisteredCounts(tx, query), await names(tx, query.by)];
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
      rollUp: query.rollUp ?? false,
      thresholds,
      rows: registered.map((r) => coverageRow(r, name(r.key), thresholds)),
      total: coverageRow(total ?? NO_COUNTS, null, thresholds),
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
  /** The receiving agency (its successor with rollUp), and every agency that handled the dossier. */
  agencyCode: string;
  agencies: string[];
  level: Level;
  receivedAt: string;
  resolvedAt: string | null;
  dueAt: string | null;
  /** Vietnam days of receivedAt and resolvedAt. */
  receivedOn: string;
  resolvedOn: string | null;
  componentDigitized: boolean;
  resultDigitized: boolean;
  /** Required components with no digitized document; null where the procedure's list is not known. */
  missingComponents: string[] | null;
  /** Why the dossier is listed: received in the period and not digitized overall, resolved in it without a digitized result. */
  reasons: ('not-digitized-overall' | 'result-missing')[];
}

/**
 * The reform office's drill-down: dossiers received in the period that are not digitized overall,
 * and dossiers resolved in the period (whenever received) whose result is not digitized.
 */
export async function undigitizedDossiers(
  sql: SqlClient,
  filters: CoverageFilters,
  paging: { limit: number; offset: number },
): Promise<{ total: number; items: UndigitizedDossier[] }> {
  checkCoverageFilters(filters);
  const p = new Params();
  const listed = `WITH RECURSIVE ${registeredDossiers(filters, p.add)},
    listed AS (SELECT *, to_char(received_on, 'YYYY-MM-DD') AS received_day, to_char(resolved_on, 'YYYY-MM-DD') AS resolved_day,
        in_received AND NOT overall AS not_overall, in_resolved AND NOT result AS result_missing
      FROM reg WHERE (in_received AND NOT overall) OR (in_resolved AND NOT result))`;
  return sql.transaction(async (tx) => {
    await reportTransaction(tx);
    const [count] = await tx.query<{ n: number }>(`${listed} SELECT count(*)::int AS n FROM listed`, p.values);
    const rows = await tx.query<{
      code: string;
      procedure_code: string;
      agency_code: string;
      agency_codes: string[];
      level: Level;
      received_at: Date | string;
      resolved_at: Date | string | null;
      due_at: Date | string | null;
      received_day: string;
      resolved_day: string | null;
      component: boolean;
      result: boolean;
      missing_components: string[] | null;
      not_overall: boolean;
      result_missing: boolean;
    }>(`${listed} SELECT * FROM listed ORDER BY received_at, code LIMIT ${p.add(paging.limit)} OFFSET ${p.add(paging.offset)}`, p.values);
    return {
      total: count!.n,
      items: rows.map((r) => ({
        code: r.code,
        procedureCode: r.procedure_code,
        agencyCode: r.agency_code,
        agencies: r.agency_codes,
        level: r.level,
        receivedAt: isoTime(r.received_at),
        resolvedAt: r.resolved_at === null ? null : isoTime(r.resolved_at),
        dueAt: r.due_at === null ? null : isoTime(r.due_at),
        receivedOn: r.received_day,
        resolvedOn: r.resolved_day,
        componentDigitized: r.component,
        resultDigitized: r.result,
        missingComponents: r.missing_components,
        reasons: [
          ...(r.not_overall ? (['not-digitized-overall'] as const) : []),
          ...(r.result_missing ? (['result-missing'] as const) : []),
        ],
      })),
    };
  });
}

function sumOf<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((sum, item) => sum + value(item), 0);
}

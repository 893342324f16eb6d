/**
 * Coverage against counts worked out by hand for a small register: nine registered dossiers, two
 * procedures, receipts and resolutions spread over months, and three digitized dossiers the register
 * does not know. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.js';
import { ConfigError } from '../pipeline/errors.js';
import { type Catalog, type CoverageCounts, type CoverageRow, coverageReport, undigitizedDossiers } from '../storage/catalog/index.js';
import { importRegister } from '../storage/catalog/register.js';
import { DirectoryStore } from '../storage/objects/index.js';
import { catalogBackends, cleanupCatalogs, type DossierSpec, openCatalog, storeAndIndex, tempDir } from './support/catalog-fixtures.js';

afterAll(cleanupCatalogs);

const LAND = '1.004227';
const BIRTH = '1.001193';
const DEPT = '000.00.15.H17';
const WARD = '000.21.30.H17';

// code, procedure, agency, level, received, resolved — and what the catalog holds for it.
const REGISTER = `code,procedure_code,procedure_name,agency_code,agency_name,level,received_at,resolved_at
${DEPT}-240105-0001,${LAND},Cấp giấy chứng nhận quyền sử dụng đất,${DEPT},Văn phòng Đăng ký đất đai,province,2024-01-05,2024-01-20
${DEPT}-240115-0001,${LAND},Cấp giấy chứng nhận quyền sử dụng đất,${DEPT},Văn phòng Đăng ký đất đai,province,2024-01-15,2024-02-10
${DEPT}-240203-0001,${LAND},Cấp giấy chứng nhận quyền sử dụng đất,${DEPT},Văn phòng Đăng ký đất đai,province,2024-02-03,
${DEPT}-240220-0001,${LAND},Cấp giấy chứng nhận quyền sử dụng đất,${DEPT},Văn phòng Đăng ký đất đai,province,2024-02-20,2024-04-02
${DEPT}-240401-0001,${LAND},Cấp giấy chứng nhận quyền sử dụng đất,${DEPT},Văn phòng Đăng ký đất đai,province,2024-04-01,2024-04-30
${WARD}-240110-0001,${BIRTH},Đăng ký khai sinh,${WARD},UBND phường Hải Châu,commune,2024-01-10,2024-01-11
${WARD}-240125-0001,${BIRTH},Đăng ký khai sinh,${WARD},UBND phường Hải Châu,commune,2024-01-25,2024-01-26
${WARD}-240301-0001,${BIRTH},Đăng ký khai sinh,${WARD},UBND phường Hải Châu,commune,2024-03-01,
${WARD}-231228-0001,${BIRTH},Đăng ký khai sinh,${WARD},UBND phường Hải Châu,commune,2023-12-28,2024-01-03
`;

const component = (...pages: (string | null)[]) => ({ kind: 'component' as const, pages });
const result = (...pages: (string | null)[]) => ({ kind: 'result' as const, pages });

const CATALOG: DossierSpec[] = [
  { code: `${DEPT}-240105-0001`, documents: [component('Đơn đăng ký'), result('Giấy chứng nhận')] }, // all digitized
  { code: `${DEPT}-240115-0001`, documents: [component('Đơn đăng ký')] }, // resolved, result missing
  { code: `${DEPT}-240203-0001`, documents: [component(null, null)] }, // every page failed
  // ${DEPT}-240220-0001: not digitized at all
  { code: `${DEPT}-240401-0001`, documents: [component('Đơn'), result(null)] }, // result page failed
  { code: `${WARD}-240110-0001`, documents: [component('Tờ khai'), result('Giấy khai sinh')] },
  { code: `${WARD}-240125-0001`, documents: [result('Giấy khai sinh')] }, // result only
  { code: `${WARD}-240301-0001`, documents: [component('Tờ khai')] }, // not resolved yet: digitized overall
  { code: `${WARD}-231228-0001`, documents: [component('Tờ khai'), result('Giấy khai sinh')] },
  // Not in the register: counted apart.
  { code: `${DEPT}-240210-0009`, procedureCode: LAND, documents: [component('Đơn')] },
  { code: `${WARD}-240305-0009`, documents: [result('Giấy khai sinh')] },
  { code: `${WARD}-230601-0009`, procedureCode: BIRTH, documents: [component('Tờ khai')] },
];

/** The counts this register can show (it has no due dates and no procedure versions). */
type Counts = Pick<CoverageCounts, 'received' | 'componentDigitized' | 'overallDigitized' | 'resolved' | 'resultDigitized'>;

const counts = (
  received: number,
  componentDigitized: number,
  overallDigitized: number,
  resolved: number,
  resultDigitized: number,
): Counts => ({
  received,
  componentDigitized,
  overallDigitized,
  resolved,
  resultDigitized,
});

/** key, period, counts — the rest of each row (rates, status) is checked separately. */
const shape = (rows: CoverageRow[]) =>
  rows.map((r) => [r.key, r.period, counts(r.received, r.componentDigitized, r.overallDigitized, r.resolved, r.resultDigitized)]);

const YEAR_2024 = { from: '2024-01-01', to: '2024-12-31' };

describe.each(catalogBackends)('coverage on $name', (backend) => {
  let catalog: Catalog;
  beforeAll(async () => {
    const opened = await openCatalog(backend);
    catalog = opened.catalog;
    await storeAndIndex(catalog, opened.store, CATALOG);
    const imported = await importRegister(catalog, opened.store, {
      source: 'so-theo-doi.csv',
      bytes: Buffer.from(REGISTER),
      importedBy: 'admin',
    });
    expect(imported).toMatchObject({ rows: 9, errors: [] });
  });
  afterAll(() => catalog?.close());

  it('counts by procedure for 2024, with rates and statuses', async () => {
    const report = await coverageReport(catalog.sql, { by: 'procedure', ...YEAR_2024 });
    expect(shape(report.rows)).toEqual([
      [BIRTH, null, counts(3, 2, 2, 3, 3)],
      [LAND, null, counts(5, 3, 1, 4, 1)],
    ]);
    expect(report.rows.map((r) => [r.name, r.rates, r.status])).toEqual([
      ['Đăng ký khai sinh', { component: 66.67, result: 100, overall: 66.67, combined: 83.33, onTime: null }, 'below-target'],
      ['Cấp giấy chứng nhận quyền sử dụng đất', { component: 60, result: 25, overall: 20, combined: 44.44, onTime: null }, 'needs-action'],
    ]);
    expect(shape([report.total])).toEqual([[null, null, counts(8, 5, 3, 7, 4)]]);
    expect(report.total.rates).toEqual({ component: 62.5, result: 57.14, overall: 37.5, combined: 60, onTime: null });
    // No procedure's component list is known: every overall figure is approximate, and says so.
    expect(report.total).toMatchObject({ overallApproximate: 8, overallExact: false, resolvedWithDue: 0, onTime: 0 });
    expect(report.unregistered).toEqual({
      total: { key: null, name: null, period: null, dossiers: 2, componentDigitized: 1, resultDigitized: 1 },
      rows: [
        { key: LAND, name: 'Cấp giấy chứng nhận quyền sử dụng đất', period: null, dossiers: 1, componentDigitized: 1, resultDigitized: 0 },
        { key: null, name: null, period: null, dossiers: 1, componentDigitized: 0, resultDigitized: 1 },
      ],
    });
    expect(report).toMatchObject({
      by: 'procedure',
      period: null,
      from: '2024-01-01',
      to: '2024-12-31',
      thresholds: { warn: 50, target: 80 },
    });
  });

  it('counts receipts by receipt month and resolutions by resolution month', async () => {
    const report = await coverageReport(catalog.sql, { by: 'procedure', period: 'month', ...YEAR_2024 });
    expect(shape(report.rows)).toEqual([
      [BIRTH, '2024-01', counts(2, 1, 1, 3, 3)],
      [BIRTH, '2024-03', counts(1, 1, 1, 0, 0)],
      [LAND, '2024-01', counts(2, 2, 1, 1, 1)],
      [LAND, '2024-02', counts(2, 0, 0, 1, 0)],
      [LAND, '2024-04', counts(1, 1, 0, 2, 0)],
    ]);
    expect(report.rows.find((r) => r.key === BIRTH && r.period === '2024-03')!.rates).toEqual({
      component: 100,
      result: null,
      overall: 100,
      combined: 100,
      onTime: null,
    });
    expect(report.unregistered.rows.map((u) => [u.key, u.period, u.dossiers])).toEqual([
      [LAND, '2024-02', 1],
      [null, '2024-03', 1],
    ]);
  });

  it('counts by quarter and year', async () => {
    const quarters = await coverageReport(catalog.sql, { by: 'procedure', period: 'quarter', ...YEAR_2024 });
    expect(shape(quarters.rows)).toEqual([
      [BIRTH, '2024-Q1', counts(3, 2, 2, 3, 3)],
      [LAND, '2024-Q1', counts(4, 2, 1, 2, 1)],
      [LAND, '2024-Q2', counts(1, 1, 0, 2, 0)],
    ]);
    // Without dates, the 2023 receipt and its 2024 resolution fall in their own years.
    const years = await coverageReport(catalog.sql, { by: 'procedure', period: 'year' });
    expect(shape(years.rows)).toEqual([
      [BIRTH, '2023', counts(1, 1, 1, 0, 0)],
      [BIRTH, '2024', counts(3, 2, 2, 3, 3)],
      [LAND, '2024', counts(5, 3, 1, 4, 1)],
    ]);
    expect(years.unregistered.total.dossiers).toBe(3);
  });

  it('counts by agency and by level, and filters', async () => {
    const agencies = await coverageReport(catalog.sql, { by: 'agency', ...YEAR_2024 });
    expect(agencies.rows.map((r) => [r.key, r.name, r.received, r.overallDigitized])).toEqual([
      [DEPT, 'Văn phòng Đăng ký đất đai', 5, 1],
      [WARD, 'UBND phường Hải Châu', 3, 2],
    ]);
    const levels = await coverageReport(catalog.sql, { by: 'level', ...YEAR_2024 });
    expect(shape(levels.rows)).toEqual([
      ['commune', null, counts(3, 2, 2, 3, 3)],
      ['province', null, counts(5, 3, 1, 4, 1)],
    ]);
    expect(levels.rows.map((r) => r.name)).toEqual(['Cấp xã', 'Cấp tỉnh']);
    // Unregistered dossiers take their level from the agency list (the register named both agencies).
    expect(levels.unregistered.rows.map((u) => [u.key, u.dossiers])).toEqual([
      ['commune', 1],
      ['province', 1],
    ]);
    const commune = await coverageReport(catalog.sql, { by: 'procedure', level: 'commune', from: '2024-01-01', to: '2024-01-31' });
    expect(shape(commune.rows)).toEqual([[BIRTH, null, counts(2, 1, 1, 3, 3)]]);
  });

  it('uses the configured thresholds', async () => {
    const report = await coverageReport(catalog.sql, { by: 'procedure', ...YEAR_2024 }, { warn: 20, target: 60 });
    expect(report.rows.map((r) => [r.key, r.status])).toEqual([
      [BIRTH, 'meets-target'],
      [LAND, 'below-target'],
    ]);
    const empty = await coverageReport(catalog.sql, { by: 'procedure', from: '2025-01-01' });
    expect(empty.rows).toEqual([]);
    expect(empty.total).toMatchObject({ received: 0, rates: { component: null, result: null, overall: null }, status: 'no-data' });
  });

  it('lists the dossiers not yet digitized, oldest first', async () => {
    const list = await undigitizedDossiers(catalog.sql, YEAR_2024, { limit: 10, offset: 0 });
    expect(list.total).toBe(5);
    expect(list.items.map((d) => [d.code, d.componentDigitized, d.resultDigitized])).toEqual([
      [`${DEPT}-240115-0001`, true, false],
      [`${WARD}-240125-0001`, false, true],
      [`${DEPT}-240203-0001`, false, false],
      [`${DEPT}-240220-0001`, false, false],
      [`${DEPT}-240401-0001`, true, false],
    ]);
    expect(list.items[0]).toMatchObject({
      procedureCode: LAND,
      agencyCode: DEPT,
      level: 'province',
      receivedAt: '2024-01-14T17:00:00.000Z',
      resolvedAt: '2024-02-09T17:00:00.000Z',
      receivedOn: '2024-01-15',
      resolvedOn: '2024-02-10',
    });
    const births = await undigitizedDossiers(catalog.sql, { ...YEAR_2024, procedure: BIRTH }, { limit: 10, offset: 0 });
    expect(births.items.map((d) => d.code)).toEqual([`${WARD}-240125-0001`]);
    const paged = await undigitizedDossiers(catalog.sql, YEAR_2024, { limit: 2, offset: 4 });
    expect(paged).toMatchObject({ total: 5, items: [{ code: `${DEPT}-240401-0001` }] });
  });

  it('follows the catalog: a result digitized later, a dossier removed', async () => {
    const store = new DirectoryStore(await tempDir('later'));
    await storeAndIndex(catalog, store, [
      { code: `${DEPT}-240115-0001`, documents: [component('Đơn đăng ký'), result('Giấy chứng nhận')] },
    ]);
    await catalog.removeDossier(`${WARD}-240301-0001`);
    const report = await coverageReport(catalog.sql, { by: 'procedure', ...YEAR_2024 });
    expect(shape(report.rows)).toEqual([
      [BIRTH, null, counts(3, 1, 1, 3, 3)],
      [LAND, null, counts(5, 3, 2, 4, 2)],
    ]);
  });
});

describe('coverage thresholds configuration', () => {
  it('reads SOHOA_COVERAGE_WARN and SOHOA_COVERAGE_TARGET', () => {
    expect(loadConfig({}).coverage).toEqual({ warn: 50, target: 80 });
    expect(loadConfig({ SOHOA_COVERAGE_WARN: '40', SOHOA_COVERAGE_TARGET: '75.5' }).coverage).toEqual({ warn: 40, target: 75.5 });
    expect(() => loadConfig({ SOHOA_COVERAGE_WARN: '90', SOHOA_COVERAGE_TARGET: '120' })).toThrow(ConfigError);
    expect(() => loadConfig({ SOHOA_COVERAGE_WARN: '90' })).toThrow('SOHOA_COVERAGE_WARN (90) must not exceed SOHOA_COVERAGE_TARGET (80)');
  });
});

/**
 * Coverage as the city reports it, against figures worked out by hand: a register with 2023
 * district and commune rows, the 2025 merge of a district and two communes into one new commune
 * (unit successions), a dossier two agencies handled, due dates, and procedure versions with their
 * required components. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COVERAGE_COLUMNS, coverageCell, coverageLines, formatNumber } from '../api/coverage-table.js';
import { coverageCsv } from '../api/spreadsheets.js';
import { type Catalog, type CoverageRow, coverageReport, undigitizedDossiers } from '../storage/catalog/index.js';
import { importRegister, replayRegister } from '../storage/catalog/register.js';
import type { ObjectStore } from '../storage/objects/index.js';
import { catalogBackends, cleanupCatalogs, type DossierSpec, openCatalog, storeAndIndex } from './support/catalog-fixtures.js';

afterAll(cleanupCatalogs);

const LAND = '1.004227';
const BIRTH = '1.001193';
const DEPT = '000.00.15.H17'; // province department
const DISTRICT = '000.00.31.H17'; // Quận Hải Châu, abolished on 1 July 2025
const WARD_A = '000.21.31.H17'; // Phường Thạch Thang, merged
const WARD_B = '000.22.31.H17'; // Phường Hải Châu I, merged
const NEW_WARD = '000.30.31.H17'; // Phường Hải Châu, since 1 July 2025

const REGISTER = `code,procedure,procedure_name,agency,agency_name,level,received_at,due_at,resolved_at,agencies
${DISTRICT}-230110-0001,${LAND},Đăng ký đất đai,${DISTRICT},UBND quận Hải Châu,district,2023-01-10,2023-01-25,2023-01-20,
${DISTRICT}-230215-0001,${LAND},Đăng ký đất đai,${DISTRICT},UBND quận Hải Châu,huyện,2023-02-15,2023-03-10,2023-03-20,
${WARD_A}-230301-0001,${BIRTH},Đăng ký khai sinh,${WARD_A},UBND phường Thạch Thang,commune,2023-03-01,2023-03-02,2023-03-02 16:00,
${WARD_B}-230405-0001,${BIRTH},Đăng ký khai sinh,${WARD_B},UBND phường Hải Châu I,commune,2023-04-05,2023-04-10,,
${DEPT}-230510-0001,${LAND},Đăng ký đất đai,${DEPT},Sở Tài nguyên và Môi trường,province,2023-05-10,2023-05-30,2023-06-01,${DISTRICT}
${WARD_A}-231120-0001,${BIRTH},Đăng ký khai sinh,${WARD_A},UBND phường Thạch Thang,commune,2023-11-20,,2024-01-05,
${NEW_WARD}-250801-0001,${BIRTH},Đăng ký khai sinh,${NEW_WARD},UBND phường Hải Châu,commune,2025-08-01,2025-08-03,2025-08-02,
${NEW_WARD}-250901-0001,${LAND},Đăng ký đất đai,${NEW_WARD},UBND phường Hải Châu,commune,2025-09-01,2025-09-20,,
${DISTRICT}-250902-0001,${LAND},Đăng ký đất đai,${DISTRICT},UBND quận Hải Châu,district,2025-09-02,,,
`;

const UNITS = `former_code,former_name,former_level,successor_code,successor_name,successor_level,effective_on
${DISTRICT},UBND quận Hải Châu,district,${NEW_WARD},UBND phường Hải Châu,commune,2025-07-01
${WARD_A},UBND phường Thạch Thang,commune,${NEW_WARD},UBND phường Hải Châu,commune,
${WARD_B},UBND phường Hải Châu I,commune,${NEW_WARD},UBND phường Hải Châu,commune,
`;

const PROCEDURES = JSON.stringify([
  {
    procedureCode: LAND,
    procedureName: 'Đăng ký đất đai',
    version: '2020',
    validFrom: '2020-01-01',
    validTo: '2025-06-30',
    components: [
      { code: 'TP01', name: 'Đơn đăng ký' },
      { code: 'TP02', name: 'Giấy tờ về quyền sử dụng đất' },
    ],
  },
  { procedureCode: LAND, version: '2025', validFrom: '2025-07-01', components: ['TP01: Đơn đăng ký', 'TP03: Sơ đồ thửa đất'] },
]);

const component = (code: string | undefined, ...pages: (string | null)[]) => ({ kind: 'component' as const, component: code, pages });
const result = (...pages: (string | null)[]) => ({ kind: 'result' as const, pages });

const CATALOG: DossierSpec[] = [
  // 1: every required component and the result: digitized overall (exactly).
  { code: `${DISTRICT}-230110-0001`, documents: [component('TP01', 'Đơn'), component('TP02', 'Giấy tờ'), result('Giấy chứng nhận')] },
  // 2: TP02 missing: a digitized component, not digitized overall.
  { code: `${DISTRICT}-230215-0001`, documents: [component('TP01', 'Đơn'), result('Giấy chứng nhận')] },
  // 3: a component page failed: the component is not digitized; the result is.
  { code: `${WARD_A}-230301-0001`, documents: [component(undefined, 'Tờ khai', null), result('Giấy khai sinh')] },
  // 4: not resolved, its one component digitized: overall (approximately: no component list for BIRTH).
  { code: `${WARD_B}-230405-0001`, documents: [component(undefined, 'Tờ khai')] },
  // 5 (province, handled with the district): nothing digitized.
  // 6: resolved in 2024, its result never scanned.
  { code: `${WARD_A}-231120-0001`, documents: [component(undefined, 'Tờ khai')] },
  // 7: after the merge, everything.
  { code: `${NEW_WARD}-250801-0001`, documents: [component(undefined, 'Tờ khai'), result('Giấy khai sinh')] },
  // 8: the 2025 version asks for TP03, not TP02.
  { code: `${NEW_WARD}-250901-0001`, documents: [component('TP01', 'Đơn'), component('TP02', 'Giấy tờ')] },
];

const YEAR_2023 = { from: '2023-01-01', to: '2023-12-31' };
const AFTER_MERGE = { from: '2025-07-01', to: '2026-06-30' };

type Figures = [
  received: number,
  componentDigitized: number,
  overallDigitized: number,
  overallApproximate: number,
  resolved: number,
  resultDigitized: number,
  resolvedWithDue: number,
  onTime: number,
];

const figures = (r: CoverageRow): Figures => [
  r.received,
  r.componentDigitized,
  r.overallDigitized,
  r.overallApproximate,
  r.resolved,
  r.resultDigitized,
  r.resolvedWithDue,
  r.onTime,
];
const table = (rows: CoverageRow[]) => rows.map((r) => [r.key, ...figures(r)]);

describe.each(catalogBackends)('coverage as the city reports it, on $name', (backend) => {
  let catalog: Catalog;
  let store: ObjectStore;
  beforeAll(async () => {
    const opened = await openCatalog(backend);
    catalog = opened.catalog;
    store = opened.store;
    await storeAndIndex(catalog, opened.store, CATALOG);
    const register = await importRegister(catalog, opened.store, {
      source: 'so-theo-doi.csv',
      bytes: Buffer.from(REGISTER),
      importedBy: 'admin',
    });
    // A district row received after the reform is refused, by its line.
    expect(register).toMatchObject({
      rows: 8,
      errors: [{ line: 10, reason: 'level district ended on 30 June 2025; this dossier was received on 2025-09-02' }],
    });
    const units = await importRegister(catalog, opened.store, {
      source: 'sap-xep-don-vi.csv',
      bytes: Buffer.from(UNITS),
      importedBy: 'admin',
      table: 'units',
    });
    expect(units).toMatchObject({ table: 'units', rows: 3, errors: [] });
    const procedures = await importRegister(catalog, opened.store, {
      source: 'thanh-phan-ho-so.json',
      bytes: Buffer.from(PROCEDURES),
      importedBy: 'admin',
      table: 'procedures',
    });
    expect(procedures).toMatchObject({ table: 'procedures', rows: 2, errors: [] });
  });
  afterAll(() => catalog?.close());

  it('counts 2023 by level as recorded: province, district and commune', async () => {
    const report = await coverageReport(catalog.sql, { by: 'level', ...YEAR_2023 });
    expect(table(report.rows)).toEqual([
      // received, component, overall, of which approximate, resolved, result, with due, on time
      ['commune', 3, 2, 1, 3, 1, 1, 1, 1],
      ['district', 2, 2, 1, 0, 2, 2, 2, 1],
      ['province', 1, 0, 0, 0, 1, 0, 1, 0],
    ]);
    expect(report.rows.map((r) => [r.name, r.rates])).toEqual([
      ['Cấp xã', { component: 66.67, result: 100, overall: 33.33, combined: 75, onTime: 100 }],
      ['Cấp huyện', { component: 100, result: 100, overall: 50, combined: 100, onTime: 50 }],
      ['Cấp tỉnh', { component: 0, result: 0, overall: 0, combined: 0, onTime: 0 }],
    ]);
    expect(figures(report.total)).toEqual([6, 4, 2, 3, 4, 3, 4, 2]);
    // The city's one figure: (4 components + 3 results) ÷ (6 received + 4 resolved).
    expect(report.total.rates).toEqual({ component: 66.67, result: 75, overall: 33.33, combined: 70, onTime: 50 });
    expect(report.total.overallExact).toBe(false);
    expect(report.rows.map((r) => r.overallExact)).toEqual([false, true, true]);
  });

  it('rolls 2023 up into the units of today: the district and both wards are the new ward', async () => {
    const report = await coverageReport(catalog.sql, { by: 'level', ...YEAR_2023, rollUp: true });
    expect(report.rollUp).toBe(true);
    expect(table(report.rows)).toEqual([
      ['commune', 5, 4, 2, 3, 3, 3, 3, 2],
      ['province', 1, 0, 0, 0, 1, 0, 1, 0],
    ]);
    expect(figures(report.total)).toEqual([6, 4, 2, 3, 4, 3, 4, 2]);
    const after = await coverageReport(catalog.sql, { by: 'level', ...AFTER_MERGE, rollUp: true });
    expect(table(after.rows)).toEqual([['commune', 2, 2, 1, 1, 1, 1, 1, 1]]);
    // Before and after the merge, side by side in today's units: the new ward's 2023 and 2025-26.
    const ward2023 = await coverageReport(catalog.sql, { by: 'agency', ...YEAR_2023, rollUp: true, agency: NEW_WARD });
    const ward2025 = await coverageReport(catalog.sql, { by: 'agency', ...AFTER_MERGE, rollUp: true, agency: NEW_WARD });
    expect(ward2023.rows.find((r) => r.key === NEW_WARD)!.rates.overall).toBe(33.33); // 2 of 6
    expect(ward2025.rows.find((r) => r.key === NEW_WARD)!.rates.overall).toBe(50); // 1 of 2
  });

  it('counts a dossier for each agency that handled it, and once in the total', async () => {
    const recorded = await coverageReport(catalog.sql, { by: 'agency', ...YEAR_2023 });
    expect(table(recorded.rows)).toEqual([
      [DEPT, 1, 0, 0, 0, 1, 0, 1, 0],
      [DISTRICT, 3, 2, 1, 0, 3, 2, 3, 1],
      [WARD_A, 2, 1, 0, 2, 1, 1, 1, 1],
      [WARD_B, 1, 1, 1, 1, 0, 0, 0, 0],
    ]);
    expect(recorded.rows.map((r) => r.name)).toEqual([
      'Sở Tài nguyên và Môi trường',
      'UBND quận Hải Châu',
      'UBND phường Thạch Thang',
      'UBND phường Hải Châu I',
    ]);
    expect(figures(recorded.total)).toEqual([6, 4, 2, 3, 4, 3, 4, 2]);
    const rolled = await coverageReport(catalog.sql, { by: 'agency', ...YEAR_2023, rollUp: true });
    expect(table(rolled.rows)).toEqual([
      [DEPT, 1, 0, 0, 0, 1, 0, 1, 0],
      [NEW_WARD, 6, 4, 2, 3, 4, 3, 4, 2],
    ]);
  });

  it('judges overall against the procedure version of the receipt day', async () => {
    const report = await coverageReport(catalog.sql, { by: 'procedure', ...AFTER_MERGE });
    // LAND 2025 asks for TP01 and TP03: TP01 + TP02 is not enough.
    expect(table(report.rows)).toEqual([
      [BIRTH, 1, 1, 1, 1, 1, 1, 1, 1],
      [LAND, 1, 1, 0, 0, 0, 0, 0, 0],
    ]);
    const [procedure] = await catalog.sql.query<{ version: string }>('SELECT version FROM procedures WHERE code = $1', [LAND]);
    expect(procedure!.version).toBe('2025');
  });

  it('lists what is not digitized: received and incomplete, or resolved without a result', async () => {
    const list = await undigitizedDossiers(catalog.sql, YEAR_2023, { limit: 10, offset: 0 });
    expect(list.items.map((d) => [d.code, d.missingComponents, d.reasons])).toEqual([
      [`${DISTRICT}-230215-0001`, ['TP02'], ['not-digitized-overall']],
      [`${WARD_A}-230301-0001`, null, ['not-digitized-overall']],
      [`${DEPT}-230510-0001`, ['TP01', 'TP02'], ['not-digitized-overall', 'result-missing']],
      [`${WARD_A}-231120-0001`, null, ['not-digitized-overall']],
    ]);
    expect(list.items[2]).toMatchObject({ agencies: [DEPT, DISTRICT].sort(), dueAt: '2023-05-30T16:59:59.999Z' });
    // Received in 2023, resolved in 2024 without its result: on 2024's list.
    const next = await undigitizedDossiers(catalog.sql, { from: '2024-01-01', to: '2024-12-31' }, { limit: 10, offset: 0 });
    expect(next.items.map((d) => [d.code, d.reasons])).toEqual([[`${WARD_A}-231120-0001`, ['result-missing']]]);
    const district = await undigitizedDossiers(catalog.sql, { ...YEAR_2023, level: 'district' }, { limit: 10, offset: 0 });
    expect(district.total).toBe(1);
  });

  it('writes Vietnamese numbers in Vietnamese output', async () => {
    const report = await coverageReport(catalog.sql, { by: 'level', ...YEAR_2023 });
    const csv = coverageCsv(report, 'vi').toString('utf8');
    const [header, commune] = csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(header).toContain('"Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC (%)"');
    expect(commune).toBe('commune,Cấp xã,,3,2,"66,67",1,1,"100,00",1,"33,33",3,"75,00",1,1,"100,00",cần cải thiện');
    const english = coverageCsv(report, 'en').toString('utf8').split('\r\n')[1];
    expect(english).toBe('commune,Cấp xã,,3,2,66.67,1,1,100.00,1,33.33,3,75.00,1,1,100.00,needs action');
    const total = coverageLines(report).at(-1)!;
    const combined = COVERAGE_COLUMNS.find((c) => c.header.en === 'Combined rate (%)')!;
    expect(coverageCell(combined, total, 'vi')).toBe('70,00');
    expect(formatNumber(26_481, 'vi')).toBe('26.481');
    expect(formatNumber(55.69, 'vi', 2)).toBe('55,69');
  });

  it('comes back the same from the stored imports (catalog rebuild)', async () => {
    const before = await coverageReport(catalog.sql, { by: 'agency', ...YEAR_2023, rollUp: true });
    expect(await replayRegister(catalog.sql, store)).toEqual({ imports: 3, dossiers: 8, failed: [] });
    expect(await coverageReport(catalog.sql, { by: 'agency', ...YEAR_2023, rollUp: true })).toEqual(before);
  });

  it('refuses a succession that would make a cycle, naming its line', async () => {
    const cyclic = `former_code,successor_code\n${NEW_WARD},${WARD_A}\n`;
    const refused = await importRegister(catalog, store, {
      source: 'vong.csv',
      bytes: Buffer.from(cyclic),
      importedBy: 'admin',
      table: 'units',
    });
    expect(refused).toMatchObject({
      key: null,
      rows: 0,
      errors: [{ line: 2, reason: `${NEW_WARD} → ${WARD_A} would make the successions a cycle` }],
    });
  });
});

/**
 * The register, coverage and search routes through Fastify (app.inject): roles, status codes,
 * bodies, and the audit trail. Real Redis, object store and catalog (PGlite, or PostgreSQL too when
 * DATABASE_URL is set).
 */
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog, Role } from '../storage/catalog/index.js';
import type { PipelineContext } from '../workers/index.js';
import { bearer, type RoleToken, roleTokens } from './support/accounts.js';
import { openTestApi, type TestApi } from './support/api-app.js';
import { catalogBackends, cleanupCatalogs, storeAndIndex } from './support/catalog-fixtures.js';
import { D, SEARCH_CORPUS } from './support/search-corpus.js';

afterAll(cleanupCatalogs);

const REGISTER = [
  'ma_ho_so,ma_thu_tuc,ten_thu_tuc,ma_don_vi,ten_don_vi,cap,ngay_tiep_nhan,ngay_tra_ket_qua',
  `${D.birthKhoi},1.001193,Đăng ký khai sinh,000.21.30.H17,UBND phường Hải Châu,commune,2024-01-10,2024-01-12`,
  `${D.birthHan2023},1.001193,Đăng ký khai sinh,000.21.30.H17,UBND phường Hải Châu,commune,2023-03-20,2023-03-21`,
  `${D.marriage},1.000894,Đăng ký kết hôn,000.21.30.H17,UBND phường Hải Châu,commune,2024-04-15,`,
  '000.21.30.H17-240416-0001,1.000894,Đăng ký kết hôn,000.21.30.H17,UBND phường Hải Châu,commune,16/04/2024,',
  '000.21.30.H17-240417-0001,1.000894,Đăng ký kết hôn,000.21.30.H17,UBND phường Hải Châu,commune,2024-04-17,2024-04-01',
].join('\n');

describe.each(catalogBackends)('catalog routes on $name', (backend) => {
  let api: TestApi;
  let ctx: PipelineContext;
  let catalog: Catalog;
  let app: FastifyInstance;
  let tokens: Record<Role, RoleToken>;
  const as = (role: Role) => bearer(tokens[role]);

  beforeAll(async () => {
    api = await openTestApi(`catalog-api-${backend.name}`, backend);
    ({ ctx, catalog, app } = api);
    await storeAndIndex(catalog, ctx.store, SEARCH_CORPUS);
    await ctx.store.put(`dossiers/${D.landLanFailedPage}/${D.landLanFailedPage}.01.pdf`, Buffer.from('%PDF-1.7\n% test\n'));
    tokens = await roleTokens(catalog);
  });
  afterAll(() => api?.close());

  it('imports a register posted as CSV (admin only), naming the bad lines', async () => {
    const post = (headers: Record<string, string>, payload: string, query = '?source=so-ho-tich.csv') =>
      app.inject({ method: 'POST', url: `/api/register${query}`, headers: { 'content-type': 'text/csv', ...headers }, payload });
    expect((await post({}, REGISTER)).statusCode).toBe(401);
    expect((await post(as('station'), REGISTER)).statusCode).toBe(403);

    const ok = await post(as('admin'), REGISTER);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      table: 'dossiers',
      key: expect.stringMatching(/^register\//),
      source: 'so-ho-tich.csv',
      rows: 4,
      inserted: 4,
      updated: 0,
      unchanged: 0,
      errors: [{ line: 6, reason: 'resolvedAt 2024-04-01 is before receivedAt 2024-04-17' }],
    });
    expect((await ctx.store.stat(ok.json().key))?.size).toBeGreaterThan(0);
    const again = await post(as('admin'), REGISTER);
    expect(again.json()).toMatchObject({ key: ok.json().key, inserted: 0, unchanged: 4 });

    const json = await app.inject({
      method: 'POST',
      url: '/api/register',
      headers: { ...as('admin'), 'content-type': 'application/json' },
      payload: JSON.stringify({
        code: D.marriage,
        procedure: '1.000894',
        agency: '000.21.30.H17',
        level: 'commune',
        received: '2024-04-15',
        resolved: '2024-04-20',
      }),
    });
    expect(json.json()).toMatchObject({ source: `api:${tokens.admin.actor}`, rows: 1, updated: 1 });

    const bad = await post(as('admin'), 'code,procedure,agency,level,received\nHS-1,1.000894,000.21.30.H17,commune,2024-04-15\n');
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toEqual({
      error: 'INPUT_INVALID',
      message: 'no valid row: 1 rejected',
      errors: [{ line: 2, reason: expect.stringMatching(/HS-1/) }],
    });
    const unreadable = await post(as('admin'), 'just,a,header\n');
    expect(unreadable.statusCode).toBe(422);
    expect(unreadable.json()).toMatchObject({ error: 'INPUT_INVALID', message: expect.stringMatching(/has no column for dossierCode/) });
  });

  it('reports coverage with raw counts to the reform office', async () => {
    const denied = await app.inject({ method: 'GET', url: '/api/coverage', headers: as('archivist') });
    expect(denied.statusCode).toBe(403);
    const res = await app.inject({ method: 'GET', url: '/api/coverage?by=procedure&from=2024-01-01&to=2024-12-31', headers: as('reform') });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(
      body.rows.map(
        (r: { key: string; received: number; componentDigitized: number; resolved: number; resultDigitized: number; status: string }) => [
          r.key,
          r.received,
          r.componentDigitized,
          r.resolved,
          r.resultDigitized,
          r.status,
        ],
      ),
    ).toEqual([
      ['1.000894', 2, 1, 1, 0, 'needs-action'],
      ['1.001193', 1, 1, 1, 1, 'meets-target'],
    ]);
    // 17 catalogued dossiers, 3 in the register, 1 received in 2023.
    expect(body.unregistered.total.dossiers).toBe(13);
    expect((await app.inject({ method: 'GET', url: '/api/coverage?by=ward', headers: as('reform') })).statusCode).toBe(400);
    // Unit successions go in through the same route; rolled up, the ward counts as its successor.
    const units = await app.inject({
      method: 'POST',
      url: '/api/register?source=sap-xep.csv&table=units',
      headers: { ...as('admin'), 'content-type': 'text/csv' },
      payload: 'former_code,successor_code,successor_name,successor_level\n000.21.30.H17,000.30.30.H17,UBND phường Hải Châu mới,commune\n',
    });
    expect(units.json()).toMatchObject({ table: 'units', rows: 1, inserted: 1, errors: [] });
    const rolled = await app.inject({
      method: 'GET',
      url: '/api/coverage?by=agency&from=2024-01-01&to=2024-12-31&rollUp=true',
      headers: as('reform'),
    });
    expect(rolled.json()).toMatchObject({ rollUp: true, rows: [{ key: '000.30.30.H17', name: 'UBND phường Hải Châu mới', received: 3 }] });
    expect((await app.inject({ method: 'GET', url: '/api/coverage?from=2024-02-30', headers: as('reform') })).statusCode).toBe(400);

    const missing = await app.inject({ method: 'GET', url: '/api/coverage/undigitized?from=2024-01-01', headers: as('reform') });
    expect(missing.json()).toEqual({
      total: 2,
      items: [
        expect.objectContaining({ code: D.marriage, componentDigitized: true, resultDigitized: false }),
        expect.objectContaining({ code: '000.21.30.H17-240416-0001', componentDigitized: false, resultDigitized: false }),
      ],
    });
  });

  it('exports the coverage report as CSV and as an Excel workbook, with the raw counts', async () => {
    const url = '/api/coverage/export?by=procedure&from=2024-01-01&to=2024-12-31';
    const csv = await app.inject({ url: `${url}&format=csv`, headers: as('reform') });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="ty-le-so-hoa-procedure-2024-01-01-2024-12-31.csv"');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'Mã,Tên,Kỳ,Hồ sơ tiếp nhận,Có thành phần số hóa,Tỷ lệ số hóa thành phần hồ sơ (%),Hồ sơ đã giải quyết,Có kết quả số hóa,' +
        'Tỷ lệ số hóa kết quả giải quyết (%),Số hóa đầy đủ,Tỷ lệ số hóa chung (%),Trong đó tính gần đúng,' +
        '"Tỷ lệ số hóa hồ sơ, kết quả giải quyết TTHC (%)",Có ngày hẹn trả,"Đúng hạn, trước hạn",Tỷ lệ đúng/sớm hẹn (%),Đánh giá',
    );
    // Vietnamese numbers (decimal comma) unless lang=en asks otherwise.
    expect(lines.slice(1)).toEqual([
      '1.000894,Đăng ký kết hôn,,2,1,"50,00",1,0,"0,00",0,"0,00",2,"33,33",0,0,—,cần cải thiện',
      '1.001193,Đăng ký khai sinh,,1,1,"100,00",1,1,"100,00",1,"100,00",1,"100,00",0,0,—,đạt',
      'Tổng,,,3,2,"66,67",2,1,"50,00",1,"33,33",3,"60,00",0,0,—,cần cải thiện',
    ]);
    const english = await app.inject({ url: `${url}&format=csv&lang=en`, headers: as('reform') });
    expect(english.body.split('\r\n')[3]).toBe('Total,,,3,2,66.67,2,1,50.00,1,33.33,3,60.00,0,0,—,needs action');
    const xlsx = await app.inject({ url: `${url}&format=xlsx`, headers: as('reform') });
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '1.000894',
      'Đăng ký kết hôn',
      undefined,
      ...[2, 1, 50, 1, 0, 0, 0, 0, 2, 33.33, 0, 0],
      undefined,
      'cần cải thiện',
    ]);
    expect((await app.inject({ url: `${url}&format=csv`, headers: as('archivist') })).statusCode).toBe(403);
  });

  it('imports a register from an Excel workbook, naming a bad row by its sheet row', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sổ theo dõi');
    sheet.addRow(['ma_ho_so', 'ma_thu_tuc', 'ten_thu_tuc', 'ma_don_vi', 'ten_don_vi', 'cap', 'ngay_tiep_nhan', 'ngay_tra_ket_qua']);
    sheet.addRow([
      '000.21.30.H17-240501-0001',
      '1.001193',
      'Đăng ký khai sinh',
      '000.21.30.H17',
      'UBND phường Hải Châu',
      'commune',
      new Date(Date.UTC(2024, 4, 1, 8, 30)),
      null,
    ]);
    sheet.addRow([
      '000.21.30.H17-240502-0001',
      '1.001193',
      'Đăng ký khai sinh',
      '000.21.30.H17',
      'UBND phường Hải Châu',
      'commune',
      'hôm qua',
      null,
    ]);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const res = await app.inject({
      method: 'POST',
      url: '/api/register?source=so-theo-doi.xlsx&format=xlsx',
      headers: { ...as('admin'), 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      payload: bytes,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      source: 'so-theo-doi.xlsx',
      rows: 1,
      errors: [{ line: 3, reason: expect.stringMatching(/hôm qua/) }],
    });
    const garbage = await app.inject({
      method: 'POST',
      url: '/api/register?format=xlsx',
      headers: as('admin'),
      payload: Buffer.from('not a workbook'),
    });
    expect(garbage.statusCode).toBe(422);
    expect(garbage.json().message).toMatch(/not a readable XLSX workbook/);
  });

  it('searches for archivists, audits the query, and links to the PDF page', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/search?q=đất', headers: as('reform') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/search', headers: as('archivist') })).statusCode).toBe(400);
    const res = await app.inject({
      method: 'GET',
      url: `/api/search?q=${encodeURIComponent('"thửa đất số 777"')}&procedure=1.004227`,
      headers: as('archivist'),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ total: 1, hits: [{ dossierCode: D.landLanFailedPage, pageNumber: 3, pdfPage: 2, match: 'exact' }] });
    const [entry] = await catalog.audit({ limit: 1 });
    expect(entry).toMatchObject({
      actor: tokens.archivist.actor,
      action: 'search',
      target: '"thửa đất số 777"',
      detail: { procedure: '1.004227', mode: 'all', total: 1 },
    });

    const pdf = await app.inject({ method: 'GET', url: body.hits[0].link.split('#')[0], headers: as('archivist') });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(body.hits[0].link).toBe(`/api/dossiers/${D.landLanFailedPage}/documents/1/pdf#page=2`);
  });
});

/**
 * The one-stop-shop register: CSV and JSON reading with line-numbered row errors, then imports
 * stored as objects and applied to the catalog (PGlite, and PostgreSQL when DATABASE_URL is set).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { InputFileError } from '../pipeline/errors.js';
import { importRegister, readImport, replayRegister, storedImportKeys } from '../storage/catalog/register.js';
import { parseRegister, parseRegisterTime, type RegisterRow } from '../storage/catalog/register-parse.js';
import { catalogBackends, cleanupCatalogs, openCatalog } from './support/catalog-fixtures.js';

afterAll(cleanupCatalogs);

const CSV = [
  'dossier_code,procedure_code,procedure_name,agency_code,agency_name,level,received_at,resolved_at',
  '000.00.15.H17-240105-0001,1.004227,"Cấp giấy chứng nhận quyền sử dụng đất, lần đầu",000.00.15.H17,Văn phòng Đăng ký đất đai,province,2024-01-05 08:30,2024-01-20',
  '000.21.30.H17-240110-0001,1.001193,Đăng ký khai sinh,000.21.30.H17,"Ủy ban nhân dân phường ""Hải Châu""",commune,10/01/2024 14:00,',
  '000.21.30.H17-240231-0001,1.001193,Đăng ký khai sinh,000.21.30.H17,UBND phường Hải Châu,commune,2024-02-28,',
  '000.21.30.H17-240301-0002,1.001193,"Đăng ký khai sinh',
  '(trích lục)",000.21.30.H17,UBND phường Hải Châu,xã,2024-03-01T09:00:00+07:00,2024-02-01',
  '',
  '000.22.30.H17-240415-0003,1.000894,Đăng ký kết hôn,000.22.30.H17,UBND phường Thạch Thang,ward,2024-04-15,',
  '000.22.30.H17-240416-0001,1.000894,Đăng ký kết hôn,000.22.30.H17,UBND phường Thạch Thang,commune,2024-04-16',
  '000.00.15.H17-240105-0001,1.004227,Cấp GCN,000.00.15.H17,VPĐKĐĐ,province,2024-01-05,',
  '000.22.30.H17-240417-0001,1.000894,Đăng ký kết hôn,000.22.30.H17,UBND phường Thạch Thang,commune,31/02/2024,',
  '000.22.30.H17-240418-0001,,Đăng ký kết hôn,000.22.30.H17,UBND phường Thạch Thang,commune,2024-04-18,',
].join('\r\n');

describe('reading the register', () => {
  it('reads CSV, keeps the good rows and names each bad row by its line', () => {
    const parsed = parseRegister(Buffer.from(`\uFEFF${CSV}\r\n`), 'register.csv');
    expect(parsed.format).toBe('csv');
    expect(parsed.rows.map((r) => r.dossierCode)).toEqual(['000.00.15.H17-240105-0001', '000.21.30.H17-240110-0001']);
    expect(parsed.rows[0]).toEqual({
      dossierCode: '000.00.15.H17-240105-0001',
      procedureCode: '1.004227',
      procedureName: 'Cấp giấy chứng nhận quyền sử dụng đất, lần đầu',
      procedureVersion: null,
      agencyCode: '000.00.15.H17',
      agencyName: 'Văn phòng Đăng ký đất đai',
      agencies: [],
      level: 'province',
      receivedAt: '2024-01-05T01:30:00.000Z',
      resolvedAt: '2024-01-19T17:00:00.000Z',
      dueAt: null,
      receivedOn: '2024-01-05',
      resolvedOn: '2024-01-20',
    });
    expect(parsed.rows[1]).toMatchObject({
      agencyName: 'Ủy ban nhân dân phường "Hải Châu"',
      receivedAt: '2024-01-10T07:00:00.000Z',
      resolvedAt: null,
      resolvedOn: null,
    });
    // The quoted name spanning lines 5-6 is one row starting on line 5; the blank line 7 is skipped.
    expect(parsed.errors).toEqual([
      { line: 4, reason: expect.stringMatching(/dossier code "000\.21\.30\.H17-240231-0001" has an impossible receipt date/) },
      { line: 5, reason: 'resolvedAt 2024-02-01 is before receivedAt 2024-03-01T09:00:00+07:00' },
      { line: 8, reason: 'level "ward" is not province, district or commune' },
      { line: 9, reason: '7 field(s), the header has 8' },
      { line: 10, reason: 'dossier 000.00.15.H17-240105-0001 is already on line 2' },
      { line: 11, reason: expect.stringMatching(/^receivedAt "31\/02\/2024" is not a valid date/) },
      { line: 12, reason: 'missing procedureCode' },
    ]);
  });

  it('reads Vietnamese headers and semicolons', () => {
    const csv =
      'Mã hồ sơ;Mã thủ tục;Tên thủ tục;Mã đơn vị;Tên đơn vị;Cấp;Ngày tiếp nhận;Ngày trả kết quả\n' +
      '000.21.30.H17-240110-0001;1.001193;Đăng ký khai sinh;000.21.30.H17;UBND phường Hải Châu;Xã;2024-01-10;2024-01-11\n';
    const parsed = parseRegister(Buffer.from(csv), 'so-theo-doi.csv');
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual([
      expect.objectContaining({ dossierCode: '000.21.30.H17-240110-0001', level: 'commune', resolvedOn: '2024-01-11' }),
    ]);
  });

  it('refuses a file without the required columns, naming them', () => {
    const err = (() => {
      try {
        parseRegister(Buffer.from('code,level\n000.21.30.H17-240110-0001,commune\n'), 'bad.csv');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InputFileError);
    expect((err as Error).message).toBe(
      'bad.csv: the header (line 1) has no column for procedureCode, agencyCode, receivedAt; found: code, level',
    );
  });

  it('reads JSON arrays, { rows } and single objects, with the line of each row', () => {
    const json = `[
  {"dossierCode": "000.21.30.H17-240110-0001", "procedureCode": "1.001193", "agencyCode": "000.21.30.H17",
   "level": "commune", "receivedAt": "2024-01-10T08:00:00Z", "resolvedAt": null},
  {"dossier_code": "000.21.30.H17-240111-0001", "procedure_code": 1.001193, "agency_code": "000.21.30.H17",
   "level": "commune", "received_at": "2024-01-11"},
  "not a row",
  {"code": "000.21.30.H17-240112-0001", "procedure": "1.001193", "agency": "000.21.30.H17", "cap": "phường", "ngay_tiep_nhan": "2024-01-12"}
]`;
    const parsed = parseRegister(Buffer.from(json), 'register.json');
    expect(parsed.rows.map((r) => [r.dossierCode, r.level, r.receivedOn])).toEqual([
      ['000.21.30.H17-240110-0001', 'commune', '2024-01-10'],
      ['000.21.30.H17-240112-0001', 'commune', '2024-01-12'],
    ]);
    expect(parsed.errors).toEqual([
      { line: 4, reason: 'procedureCode must be text, not number' },
      { line: 6, reason: 'a row must be an object' },
    ]);

    const wrapped = parseRegister(Buffer.from(`{"source": "x", "rows": [\n{"code": "000.21.30.H17-240110-0001"}]}`), 'r.json');
    expect(wrapped.errors).toEqual([{ line: 2, reason: 'missing procedureCode, agencyCode, level, receivedAt' }]);
    const single = parseRegister(
      Buffer.from(
        '{"code": "000.21.30.H17-240110-0001", "procedure": "1.001193", "agency": "000.21.30.H17", "level": "commune", "received": "2024-01-10"}',
      ),
      'api:admin',
    );
    expect(single.format).toBe('json');
    expect(single.rows).toHaveLength(1);
    expect(() => parseRegister(Buffer.from('[\n{"code": 1,\n}'), 'broken.json')).toThrow(/^broken\.json: not valid JSON/);
  });

  it('reads times in Vietnam time unless they carry an offset', () => {
    expect(parseRegisterTime('2024-03-05', 'at')).toEqual({ iso: '2024-03-04T17:00:00.000Z', day: '2024-03-05' });
    expect(parseRegisterTime('2024-03-05T23:30:00Z', 'at')).toEqual({ iso: '2024-03-05T23:30:00.000Z', day: '2024-03-06' });
    expect(parseRegisterTime('05/03/2024 08:15', 'at')).toEqual({ iso: '2024-03-05T01:15:00.000Z', day: '2024-03-05' });
    expect(parseRegisterTime('2024-12-31 23:59:59.5-05:00', 'at')).toEqual({ iso: '2025-01-01T04:59:59.500Z', day: '2025-01-01' });
    expect(() => parseRegisterTime('2024-13-01', 'at')).toThrow(/not a valid date/);
  });
});

describe.each(catalogBackends)('register imports on $name', (backend) => {
  it('stores the valid rows as an object, applies them, and is idempotent', async () => {
    const { catalog, store } = await openCatalog(backend);
    try {
      const first = await importRegister(catalog, store, { source: 'register.csv', bytes: Buffer.from(CSV), importedBy: 'admin' });
      expect(first).toEqual({
        table: 'dossiers',
        key: expect.stringMatching(/^register\/\d{8}T\d{9}Z-[0-9a-f]{16}\.json$/),
        source: 'register.csv',
        rows: 2,
        inserted: 2,
        updated: 0,
        unchanged: 0,
        errors: expect.any(Array),
      });
      expect(first.errors).toHaveLength(7);
      const stored = await readImport(store, first.key!);
      expect(stored.rows.map((r) => (r as RegisterRow).dossierCode)).toEqual(['000.00.15.H17-240105-0001', '000.21.30.H17-240110-0001']);
      expect(stored.rejected).toEqual(first.errors);
      expect(stored.source).toMatchObject({ name: 'register.csv', format: 'csv' });
      expect(
        await catalog.sql.query(`SELECT code, procedure_code, agency_code, level, to_char(received_on, 'YYYY-MM-DD') AS received_on,
          to_char(resolved_on, 'YYYY-MM-DD') AS resolved_on, import_key FROM register_dossiers ORDER BY code`),
      ).toEqual([
        {
          code: '000.00.15.H17-240105-0001',
          procedure_code: '1.004227',
          agency_code: '000.00.15.H17',
          level: 'province',
          received_on: '2024-01-05',
          resolved_on: '2024-01-20',
          import_key: first.key,
        },
        {
          code: '000.21.30.H17-240110-0001',
          procedure_code: '1.001193',
          agency_code: '000.21.30.H17',
          level: 'commune',
          received_on: '2024-01-10',
          resolved_on: null,
          import_key: first.key,
        },
      ]);
      expect(await catalog.sql.query('SELECT code, name FROM procedures ORDER BY code')).toEqual([
        { code: '1.001193', name: 'Đăng ký khai sinh' },
        { code: '1.004227', name: 'Cấp giấy chứng nhận quyền sử dụng đất, lần đầu' },
      ]);
      expect(await catalog.sql.query('SELECT code, level FROM agencies ORDER BY code')).toEqual([
        { code: '000.00.15.H17', level: 'province' },
        { code: '000.21.30.H17', level: 'commune' },
      ]);
      const [audit] = await catalog.audit({ limit: 1 });
      expect(audit).toMatchObject({
        actor: 'admin',
        action: 'register-import',
        target: first.key,
        detail: { source: 'register.csv', rows: 2, rejected: 7 },
      });

      // The same file again: same object, nothing changes.
      const again = await importRegister(catalog, store, { source: 'register.csv', bytes: Buffer.from(CSV), importedBy: 'admin' });
      expect(again).toMatchObject({ key: first.key, rows: 2, inserted: 0, updated: 0, unchanged: 2 });
      expect(await storedImportKeys(store)).toEqual([first.key]);

      // A later JSON export: one dossier resolved since, one new.
      const update = JSON.stringify([
        {
          dossierCode: '000.21.30.H17-240110-0001',
          procedureCode: '1.001193',
          agencyCode: '000.21.30.H17',
          level: 'commune',
          receivedAt: '10/01/2024 14:00',
          resolvedAt: '2024-01-15',
        },
        {
          dossierCode: '000.00.15.H17-240105-0001',
          procedureCode: '1.004227',
          agencyCode: '000.00.15.H17',
          level: 'province',
          receivedAt: '2024-01-05 08:30',
          resolvedAt: '2024-01-20',
        },
        {
          dossierCode: '000.22.30.H17-240416-0001',
          procedureCode: '1.000894',
          procedureName: 'Đăng ký kết hôn',
          agencyCode: '000.22.30.H17',
          level: 'commune',
          receivedAt: '2024-04-16',
        },
      ]);
      const second = await importRegister(catalog, store, { source: 'export.json', bytes: Buffer.from(update), importedBy: 'cli:an' });
      expect(second).toMatchObject({ rows: 3, inserted: 1, updated: 1, unchanged: 1, errors: [] });
      expect(second.key! > first.key!).toBe(true);
      expect(await storedImportKeys(store)).toEqual([first.key, second.key]);
      const [resolved] = await catalog.sql.query<{ resolved_on: string; import_key: string }>(
        `SELECT to_char(resolved_on, 'YYYY-MM-DD') AS resolved_on, import_key FROM register_dossiers WHERE code = '000.21.30.H17-240110-0001'`,
      );
      expect(resolved).toEqual({ resolved_on: '2024-01-15', import_key: second.key });

      // Replaying the stored imports gives the same register.
      const before = await catalog.sql.query('SELECT * FROM register_dossiers ORDER BY code');
      expect(await replayRegister(catalog.sql, store)).toEqual({ imports: 2, dossiers: 3, failed: [] });
      expect(await catalog.sql.query('SELECT * FROM register_dossiers ORDER BY code')).toEqual(before);
      // A stored import that cannot be read is reported; the others are still replayed.
      const broken = 'register/20991231T000000000Z-0000000000000000.json';
      await store.put(broken, Buffer.from('{"not": "an import"}'));
      expect(await replayRegister(catalog.sql, store)).toEqual({
        imports: 2,
        dossiers: 3,
        failed: [{ key: broken, error: `${broken} is not a register import` }],
      });
    } finally {
      await catalog.close();
    }
  });

  it('stores nothing when no row is valid', async () => {
    const { catalog, store } = await openCatalog(backend);
    try {
      const csv = 'code,procedure,agency,level,received\nHS-1,1.001193,000.21.30.H17,commune,2024-01-10\n';
      const result = await importRegister(catalog, store, { source: 'bad.csv', bytes: Buffer.from(csv), importedBy: 'admin' });
      expect(result).toEqual({
        table: 'dossiers',
        key: null,
        source: 'bad.csv',
        rows: 0,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        errors: [{ line: 2, reason: expect.stringMatching(/^dossier code "HS-1" is not/) }],
      });
      expect(await storedImportKeys(store)).toEqual([]);
    } finally {
      await catalog.close();
    }
  });
});

/**
 * `sohoa register import`, `sohoa coverage` and `sohoa search` as a user runs them: separate
 * processes on the embedded PGlite catalog, real Redis and object store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Catalog } from '../storage/catalog/index.js';
import { openObjectStore } from '../storage/objects/index.js';
import { storeAndIndex } from './support/catalog-fixtures.js';
import { type TestEnvironment, testEnvironment } from './support/env.js';
import { runSohoa } from './support/run-cli.js';
import { D, SEARCH_CORPUS } from './support/search-corpus.js';

const REGISTER = [
  'dossier_code;procedure_code;procedure_name;agency_code;agency_name;level;received_at;resolved_at',
  `${D.landAn};1.004227;Cấp giấy chứng nhận quyền sử dụng đất;000.00.15.H17;Văn phòng Đăng ký đất đai;province;2024-01-05;2024-01-20`,
  `${D.landBinhNoAccents};1.004227;Cấp giấy chứng nhận quyền sử dụng đất;000.00.15.H17;Văn phòng Đăng ký đất đai;province;2024-02-12;`,
  '000.00.15.H17-240301-0007;1.004227;Cấp giấy chứng nhận quyền sử dụng đất;000.00.15.H17;Văn phòng Đăng ký đất đai;province;2024-03-01;',
  '000.00.15.H17-240302-0007;1.004227;Cấp giấy chứng nhận quyền sử dụng đất;000.00.15.H17;Văn phòng Đăng ký đất đai;tỉnh;2024-03-02;yesterday',
].join('\n');

describe('catalog commands', () => {
  let env: TestEnvironment;
  let registerFile: string;
  beforeAll(async () => {
    // PGlite in the test's data directory, whatever DATABASE_URL says: these processes share it in turn.
    env = await testEnvironment('catalog-cli', { DATABASE_URL: '' });
    const store = await openObjectStore(env.config);
    const catalog = await Catalog.open(env.config);
    try {
      await storeAndIndex(catalog, store, SEARCH_CORPUS);
    } finally {
      await catalog.close();
      await store.close();
    }
    registerFile = path.join(env.config.dataDir, 'so-theo-doi.csv');
    fs.writeFileSync(registerFile, REGISTER);
  });
  afterAll(async () => {
    await env?.cleanup();
  });

  it('imports the register, keeping the good rows and naming the bad line', async () => {
    const run = await runSohoa(env.env, 'register', 'import', registerFile);
    expect(run.stderr).toContain('ERROR line 5: resolvedAt "yesterday" is not a date');
    expect(run.stdout).toMatch(
      /^so-theo-doi\.csv: 3 row\(s\) imported \(3 new, 0 updated, 0 unchanged\), 1 rejected → register\/\S+\.json$/m,
    );
    expect(run.status).toBe(2);
    const again = await runSohoa(env.env, 'register', 'import', registerFile, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 3, inserted: 0, unchanged: 3 });
  });

  it('reports coverage as a table or JSON, and lists what is not digitized', async () => {
    const json = await runSohoa(env.env, 'coverage', '--by', 'procedure', '--from', '2024-01-01', '--to', '2024-12-31', '--json');
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.rows).toEqual([
      expect.objectContaining({
        key: '1.004227',
        received: 3,
        componentDigitized: 2,
        overallDigitized: 2,
        resolved: 1,
        resultDigitized: 1,
        rates: { component: 66.67, result: 100, overall: 66.67, combined: 75, onTime: null },
        overallExact: false,
        status: 'below-target',
      }),
    ]);
    const table = await runSohoa(env.env, 'coverage', '--by', 'level', '--period', 'quarter');
    expect(table.stdout).toMatch(
      /^province\s+Cấp tỉnh\s+2024-Q1\s+3\s+2\s+66\.67\s+1\s+1\s+100\.00\s+2\s+66\.67\s+3\s+75\.00\s+0\s+0\s+—\s+below target$/m,
    );
    expect(table.stdout).toMatch(/not in the register: 15 catalogued dossier\(s\)/);
    expect(table.stdout).toMatch(/overall rate approximate for 3 dossier\(s\)/);
    const vietnamese = await runSohoa(env.env, 'coverage', '--by', 'level', '--period', 'quarter', '--lang', 'vi');
    expect(vietnamese.stdout).toMatch(/^Mã\s+Tên\s+Kỳ\s+Hồ sơ tiếp nhận/m);
    expect(vietnamese.stdout).toMatch(
      /^province\s+Cấp tỉnh\s+2024-Q1\s+3\s+2\s+66,67\s+1\s+1\s+100,00\s+2\s+66,67\s+3\s+75,00\s+0\s+0\s+—\s+chưa đạt$/m,
    );
    // A filter that matches nothing says so; a mistyped code is refused.
    const none = await runSohoa(env.env, 'coverage', '--agency', '000.99.99.H99', '--procedure', '1.004227');
    expect([none.status, none.stderr.trim()]).toEqual([
      0,
      'WARNING nothing in the register or the catalog matches --procedure 1.004227 --agency 000.99.99.H99',
    ]);
    const typo = await runSohoa(env.env, 'coverage', '--procedure', '1004227');
    expect([typo.status, typo.stderr.trim()]).toEqual([65, 'sohoa: procedure code "1004227" is not of the form 1.004227']);
    const missing = await runSohoa(env.env, 'coverage', '--undigitized');
    expect(missing.stdout).toBe(
      '000.00.15.H17-240301-0007  1.004227  000.00.15.H17  province  received 2024-03-01  missing: components\n1 dossier(s) not digitized\n',
    );
    const catalog = await Catalog.open(env.config);
    try {
      const [entry] = await catalog.audit({ limit: 1 });
      expect([entry!.actor.startsWith('cli:'), entry!.action, entry!.target]).toEqual([true, 'list-undigitized', '*']);
    } finally {
      await catalog.close();
    }
  });

  it('searches, prints snippets and links, and records the search in the audit log', async () => {
    const run = await runSohoa(env.env, 'search', 'Nguyễn', 'Văn', 'An', '--from', '2024-01-01');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`1. ${D.landAn}.01 page 1 [exact] /api/dossiers/${D.landAn}/documents/1/pdf#page=1`);
    expect(run.stdout).toContain('«Nguyễn Văn An», sinh năm 1975');
    expect(run.stdout).toMatch(/^2 page\(s\) match; showing 1–2$/m);
    const json = JSON.parse((await runSohoa(env.env, 'search', '"thửa đất số 777"', '--json')).stdout);
    expect(json.hits).toEqual([expect.objectContaining({ dossierCode: D.landLanFailedPage, pdfPage: 2 })]);
    const catalog = await Catalog.open(env.config);
    try {
      const entries = await catalog.audit({ limit: 2 });
      expect(entries.map((e) => [e.actor.startsWith('cli:'), e.action, e.target])).toEqual([
        [true, 'search', '"thửa đất số 777"'],
        [true, 'search', 'Nguyễn Văn An'],
      ]);
    } finally {
      await catalog.close();
    }
  });
});

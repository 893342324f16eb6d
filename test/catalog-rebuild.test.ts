/**
 * The object store is the system of record: drop the catalog database, rebuild it from the
 * manifests and the stored register imports alone, and coverage and search answer the same.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog, coverageReport, rebuildCatalog, type SqlClient, searchPages, undigitizedDossiers } from '../storage/catalog/index.js';
import { importRegister } from '../storage/catalog/register.js';
import { catalogBackends, cleanupCatalogs, dropCatalog, openCatalog, storeAndIndex } from './support/catalog-fixtures.js';
import { QUALITY_SET, SEARCH_CORPUS } from './support/search-corpus.js';

afterAll(cleanupCatalogs);

/** A register for the corpus: the receipt day is the one in each code; every third dossier resolved 9 days later. */
function registerCsv(codes: string[], extra: string[]): string {
  const rows = [...codes, ...extra].map((code, i) => {
    const [, yy, mm, dd] = /-(\d\d)(\d\d)(\d\d)-/.exec(code)!;
    const agency = code.split('-')[0]!;
    const received = `20${yy}-${mm}-${dd}`;
    const resolved = i % 3 === 0 ? new Date(Date.parse(received) + 9 * 86_400_000).toISOString().slice(0, 10) : '';
    const procedure = SEARCH_CORPUS.find((s) => s.code === code)?.procedureCode ?? '1.004227';
    return [
      code,
      procedure,
      `Thủ tục ${procedure}`,
      agency,
      `Đơn vị ${agency}`,
      agency.startsWith('000.00.') ? 'province' : 'commune',
      received,
      resolved,
    ].join(',');
  });
  return ['code,procedure_code,procedure_name,agency_code,agency_name,level,received_at,resolved_at', ...rows].join('\n');
}

async function answers(sql: SqlClient): Promise<unknown> {
  const coverage = [];
  for (const by of ['procedure', 'agency', 'level'] as const) {
    coverage.push(await coverageReport(sql, { by, period: 'month' }));
    coverage.push(await coverageReport(sql, { by, from: '2024-01-01', to: '2024-12-31' }));
  }
  const undigitized = await undigitizedDossiers(sql, {}, { limit: 100, offset: 0 });
  const searches = [];
  for (const { request } of QUALITY_SET) searches.push(await searchPages(sql, request));
  return { coverage, undigitized, searches };
}

describe.each(catalogBackends)('catalog rebuild on $name', (backend) => {
  it('drops the database, rebuilds from the object store, and answers the same', async () => {
    const { cfg, catalog, store } = await openCatalog(backend);
    let before: unknown;
    try {
      await storeAndIndex(catalog, store, SEARCH_CORPUS);
      const codes = SEARCH_CORPUS.map((s) => s.code);
      // Two imports: the second adds dossiers and resolves some of the first's.
      await importRegister(catalog, store, {
        source: 'january.csv',
        bytes: Buffer.from(registerCsv(codes.slice(0, 8), [])),
        importedBy: 'admin',
      });
      const second = await importRegister(catalog, store, {
        source: 'year.csv',
        bytes: Buffer.from(registerCsv(codes.slice(2), ['000.22.30.H17-240701-0005', '000.21.30.H17-241115-0002'])),
        importedBy: 'admin',
      });
      expect(second).toMatchObject({ errors: [], inserted: 11 });
      before = await answers(catalog.sql);
      const report = (before as { coverage: { total: { received: number } }[] }).coverage[0]!;
      expect(report.total.received).toBe(19);
    } finally {
      await catalog.close();
    }

    await dropCatalog(cfg);
    const rebuilt = await Catalog.open(cfg);
    try {
      expect(await rebuilt.counts()).toEqual({ dossiers: 0, documents: 0, pages: 0 });
      const result = await rebuildCatalog(rebuilt, store);
      expect(result).toMatchObject({
        indexed: SEARCH_CORPUS.length,
        removed: 0,
        failed: [],
        register: { imports: 2, dossiers: 19, failed: [] },
      });
      expect(await answers(rebuilt.sql)).toEqual(before);
    } finally {
      await rebuilt.close();
    }
  });
});

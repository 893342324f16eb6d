/**
 * Search quality and behaviour over a corpus of OCR'd dossiers the test writes into an object store
 * and indexes: every query of the quality set finds all its expected dossiers in its first ten hits
 * (recall@10 = 100%), on PGlite and, when DATABASE_URL is set, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../pipeline/errors.js';
import { type Catalog, searchPages } from '../storage/catalog/index.js';
import { editDistance } from '../storage/catalog/search/fuzzy.js';
import { parseSearchQuery } from '../storage/catalog/search/query.js';
import { buildSnippet } from '../storage/catalog/search/snippet.js';
import { highlightRegExp, splitWords } from '../storage/catalog/search/text.js';
import { catalogBackends, cleanupCatalogs, openCatalog, storeAndIndex } from './support/catalog-fixtures.js';
import { D, QUALITY_SET, SEARCH_CORPUS } from './support/search-corpus.js';

afterAll(cleanupCatalogs);

describe('query language', () => {
  it('parses words, phrases, prefixes and OR', () => {
    expect(parseSearchQuery('Nguyễn "giấy chứng nhận" quyết* OR "thửa đất"* 101/2024/NĐ-CP')).toEqual({
      mode: 'all',
      clauses: [
        { terms: [{ words: ['Nguyễn'], prefix: false }] },
        { terms: [{ words: ['giấy', 'chứng', 'nhận'], prefix: false }] },
        {
          terms: [
            { words: ['quyết'], prefix: true },
            { words: ['thửa', 'đất'], prefix: true },
          ],
        },
        { terms: [{ words: ['101', '2024', 'NĐ', 'CP'], prefix: false }] },
      ],
    });
    expect(() => parseSearchQuery('  "" * - ')).toThrow(UsageError);
    expect(() => parseSearchQuery('x'.repeat(501))).toThrow(/longer than 500/);
  });

  it('measures edit distance with transpositions', () => {
    expect(editDistance('nguyen', 'nguven')).toBe(1);
    expect(editDistance('nguyen', 'ngyuen')).toBe(1);
    expect(editDistance('nhan', 'nhna')).toBe(1);
    expect(editDistance('chung', 'hung')).toBe(1);
    expect(editDistance('giay', 'nhan')).toBe(3);
  });

  it('builds a one-line snippet with every match between « and »', () => {
    const text = `${'Căn cứ Luật Đất đai năm 2024. '.repeat(8)}\nHọ và tên: Nguyễn Văn An, sinh năm 1975\nĐịa chỉ: «số 12» đường Lê Lợi`;
    const snippet = buildSnippet(text, [highlightRegExp([['nguyen'], ['van'], ['an']], false), highlightRegExp([['le']], false)]);
    expect(snippet).toBe(
      '…năm 2024. Căn cứ Luật Đất đai năm 2024. Căn cứ Luật Đất đai năm 2024. Căn cứ Luật Đất đai năm 2024. Căn cứ Luật Đất đai năm 2024. ' +
        'Họ và tên: «Nguyễn Văn An», sinh năm 1975 Địa chỉ: ‹số 12› đường «Lê» Lợi',
    );
  });
});

describe.each(catalogBackends)('search on $name', (backend) => {
  let catalog: Catalog;
  beforeAll(async () => {
    const opened = await openCatalog(backend);
    catalog = opened.catalog;
    await storeAndIndex(catalog, opened.store, SEARCH_CORPUS);
  });
  afterAll(() => catalog?.close());

  it(`finds the expected dossiers in the first ten hits of all ${QUALITY_SET.length} queries (recall@10 = 100%)`, async () => {
    expect(QUALITY_SET.length).toBeGreaterThanOrEqual(30);
    const misses: string[] = [];
    let found = 0;
    let expected = 0;
    for (const { request, expected: wanted } of QUALITY_SET) {
      const result = await searchPages(catalog.sql, { ...request, limit: 10 });
      const dossiers = new Set(result.hits.map((h) => h.dossierCode));
      const missing = wanted.filter((code) => !dossiers.has(code));
      found += wanted.length - missing.length;
      expected += wanted.length;
      if (missing.length) misses.push(`${JSON.stringify(request)} missed ${missing.join(', ')}`);
    }
    expect(misses).toEqual([]);
    expect(found / expected).toBe(1);
  });

  it('splits words in SQL as the query parser does, skipping over-long OCR noise', async () => {
    const text = `Nghị định số 101/2024/NĐ-CP («đất» – ở) m2 ☐x\u00a0y\tz_w ${'q'.repeat(300)} cuối`;
    const [row] = await catalog.sql.query<{ lexemes: string[] }>('SELECT tsvector_to_array(sohoa_tsv(lower($1), false)) AS lexemes', [
      text,
    ]);
    const expected = [...new Set(splitWords(text.toLowerCase()).filter((w) => w.length <= 200))];
    expect([...row!.lexemes].sort()).toEqual([...expected].sort());
    expect(expected).toEqual(['nghị', 'định', 'số', '101', '2024', 'nđ', 'cp', 'đất', 'ở', 'm2', 'x', 'y', 'z', 'w', 'cuối']);
    const [pairs] = await catalog.sql.query<{ lexemes: string[] }>("SELECT tsvector_to_array(sohoa_tsv('so 1, to ban', true)) AS lexemes");
    expect(pairs!.lexemes.sort()).toEqual(['1', '1 to', 'ban', 'so', 'so 1', 'to', 'to ban'].sort());
  });

  it('ranks pages with the diacritics as typed first', async () => {
    const stone = await searchPages(catalog.sql, { query: 'đá' });
    expect(stone.hits[0]).toMatchObject({ dossierCode: D.buildingStone, match: 'exact' });
    expect(stone.hits.slice(1).every((h) => h.match === 'folded')).toBe(true);
    expect(stone.hits.map((h) => h.dossierCode)).toContain(D.buildingAlready); // "đã" folds to "da" too

    const certificate = await searchPages(catalog.sql, { query: 'giấy chứng nhận quyền sử dụng đất' });
    const matchOf = (code: string) => certificate.hits.filter((h) => h.dossierCode === code).map((h) => h.match);
    expect(matchOf(D.landAn)).toEqual(['exact', 'exact']);
    expect(matchOf(D.landBinhNoAccents)).toEqual(['folded']); // OCR lost every diacritic
    expect(matchOf(D.landHoaMisread)).toEqual(['folded']); // "GIÁY"
    const order = certificate.hits.map((h) => h.match);
    expect(order).toEqual([...order].sort((a, b) => ['exact', 'folded', 'fuzzy'].indexOf(a) - ['exact', 'folded', 'fuzzy'].indexOf(b)));

    // Typed without diacritics, nothing is "exact": one tier, in dossier order.
    const plain = await searchPages(catalog.sql, { query: 'nguyen van an' });
    expect(plain.hits.map((h) => [h.dossierCode, h.documentNumber, h.match])).toEqual([
      [D.landAn2023, 1, 'folded'],
      [D.landAn, 1, 'folded'],
      [D.landAn, 2, 'folded'],
    ]);
  });

  it('returns the page, a snippet and a link opening the PDF/A at that page', async () => {
    const result = await searchPages(catalog.sql, { query: '"thửa đất số 777"' });
    expect(result).toMatchObject({ total: 1, totalIsLowerBound: false, offset: 0, limit: 10, mode: 'all' });
    // Page 2 failed and is not in the PDF/A: page 3 of the document is page 2 of the PDF.
    expect(result.hits).toEqual([
      {
        dossierCode: D.landLanFailedPage,
        documentNumber: 1,
        fileCode: `${D.landLanFailedPage}.01`,
        kind: 'component',
        pageNumber: 3,
        pdfPage: 2,
        match: 'exact',
        snippet: 'SƠ ĐỒ THỬA ĐẤT «Thửa đất số 777», tờ bản đồ số 9 Ranh giới thửa đất không có tranh chấp.',
        link: `/api/dossiers/${D.landLanFailedPage}/documents/1/pdf#page=2`,
        agencyCode: '000.00.15.H17',
        procedureCode: '1.004227',
        receivedOn: '2024-11-20',
      },
    ]);
  });

  it('tolerates OCR misspellings, after the exact and folded matches', async () => {
    const hoa = await searchPages(catalog.sql, { query: 'Nguyễn Thị Hoa' });
    expect(hoa.fuzzy.nguyen).toContain('nguven');
    expect(hoa.hits[0]).toMatchObject({ dossierCode: D.landHoaMisread, match: 'fuzzy' });
    expect(hoa.hits[0]!.snippet).toContain('«Nguven Thị Hoa»');

    const broken = await searchPages(catalog.sql, { query: '"giấy chứng nhận" CS 04512' });
    expect(broken.hits).toEqual([expect.objectContaining({ dossierCode: D.copyCertificate, match: 'fuzzy' })]);
    expect(broken.hits[0]!.snippet).toContain('«Giấy chứng nbận»'); // the phrase spans a line break
  });

  it('requires every word, unless OR or mode any says otherwise', async () => {
    expect((await searchPages(catalog.sql, { query: 'Nguyễn Văn An Lý Gia Hân' })).total).toBe(0);
    const either = await searchPages(catalog.sql, { query: '"Nguyễn Văn An" OR "Lý Gia Hân"' });
    expect(new Set(either.hits.map((h) => h.dossierCode))).toEqual(new Set([D.landAn, D.landAn2023, D.birthHan2023]));
    const any = await searchPages(catalog.sql, { query: 'Bùi Thanh Tùng', mode: 'any' });
    expect(any.hits[0]).toMatchObject({ dossierCode: D.buildingStone }); // matches all three words
  });

  it('keeps to components or to results when asked', async () => {
    const all = await searchPages(catalog.sql, { query: 'Phạm Minh Khôi' });
    const results = await searchPages(catalog.sql, { query: 'Phạm Minh Khôi', kind: 'result' });
    const components = await searchPages(catalog.sql, { query: 'Phạm Minh Khôi', kind: 'component' });
    expect(results.total).toBeGreaterThan(0);
    expect(results.hits.every((h) => h.kind === 'result')).toBe(true);
    expect(components.hits.every((h) => h.kind === 'component')).toBe(true);
    expect(results.total + components.total).toBe(all.total);
  });

  it('pages through the results without overlap', async () => {
    const all = await searchPages(catalog.sql, { query: 'đất', limit: 9 });
    expect(all.total).toBeGreaterThanOrEqual(9);
    const pages = [0, 3, 6].map((offset) => searchPages(catalog.sql, { query: 'đất', limit: 3, offset }));
    const paged = (await Promise.all(pages)).flatMap((r) => r.hits.map((h) => `${h.dossierCode}/${h.documentNumber}/${h.pageNumber}`));
    expect(paged).toEqual(all.hits.map((h) => `${h.dossierCode}/${h.documentNumber}/${h.pageNumber}`));
    await expect(searchPages(catalog.sql, { query: 'đất', offset: 995, limit: 10 })).rejects.toThrow(/narrow the query/);
    await expect(searchPages(catalog.sql, { query: 'đất', from: '2024-02-30' })).rejects.toThrow(UsageError);
  });
});

/**
 * The benchmark's search queries: what archivists type — citizens' names (with and without
 * diacritics, misspelt), identity and parcel numbers, addresses, document titles, legal references,
 * phrases, prefixes, OR — alone or with filters. Names and numbers are sampled from the generated
 * corpus so that they exist; a few match nothing.
 */
import { foldText, type SearchRequest, type SqlClient } from '../../../storage/catalog/index.js';
import { AGENCIES, PROCEDURES } from './vocabulary.js';

export interface BenchQuery {
  label: string;
  request: SearchRequest;
}

/** Swaps two letters in the middle of the longest word: a typing slip. */
function typo(text: string): string {
  const words = text.split(' ');
  const i = words.reduce((best, w, k) => (w.length > words[best]!.length ? k : best), 0);
  const w = [...words[i]!];
  const m = Math.floor(w.length / 2);
  [w[m - 1], w[m]] = [w[m]!, w[m - 1]!];
  words[i] = w.join('');
  return words.join(' ');
}

interface Sample {
  dossier_code: string;
  name: string;
  id_number: string;
  address: string;
  parcel: string;
}

/** Citizens of a few dossiers spread over the corpus: name, identity number, street, parcel. */
async function samples(sql: SqlClient, count: number): Promise<Sample[]> {
  return sql.query<Sample>(
    `WITH picked AS (
       SELECT code FROM dossiers ORDER BY hashtext(code) LIMIT ${count})
     SELECT DISTINCT ON (p.dossier_code) p.dossier_code,
       substring(p.text from 'Họ và tên: ([^,\n]+),') AS name,
       substring(p.text from 'Số định danh cá nhân: (\\d+)') AS id_number,
       substring(p.text from 'đường ([^,\n]+),') AS address,
       coalesce(substring(q.text from 'Thửa đất số (\\d+, tờ bản đồ số \\d+)'), '1, tờ bản đồ số 1') AS parcel
     FROM picked JOIN pages p ON p.dossier_code = picked.code AND p.page_number = 1 AND p.text LIKE '%Họ và tên:%'
     LEFT JOIN pages q ON q.dossier_code = p.dossier_code AND q.page_number = 2 AND q.document_number = p.document_number
     ORDER BY p.dossier_code, p.document_number`,
  );
}

export async function benchQueries(sql: SqlClient): Promise<BenchQuery[]> {
  const picked = (await samples(sql, 12)).filter((s) => s.name && s.id_number && s.address);
  const [first] = await sql.query<{ code: string }>('SELECT min(code) AS code FROM dossiers');
  const q = (label: string, query: string, options: Omit<SearchRequest, 'query'> = {}): BenchQuery => ({
    label,
    request: { query, ...options },
  });
  const sampled = picked.flatMap((s, i): BenchQuery[] => [
    q('name', s.name),
    q('name, no diacritics', foldText(s.name)),
    q('name, typo', typo(s.name)),
    q('identity number', s.id_number),
    ...(i % 2 === 0 ? [q('name + street', `${s.name.split(' ').pop()} ${s.address}`), q('"parcel"', `"thửa đất số ${s.parcel}"`)] : []),
  ]);
  const fixed: BenchQuery[] = [
    q('common words', 'hồ sơ'),
    q('common, no diacritics', 'ho so'),
    q('title phrase', '"giấy chứng nhận quyền sử dụng đất"'),
    q('title, no diacritics', 'giay chung nhan quyen su dung dat'),
    q('title words', 'đăng ký kết hôn'),
    q('birth', 'tờ khai đăng ký khai sinh'),
    q('legal reference', '101/2024/NĐ-CP'),
    q('legal reference, words', 'nghị định 123/2015'),
    q('prefix', 'quyết*'),
    q('prefix phrase', '"trợ cấp xã*"'),
    q('OR', '"kết hôn" OR "khai tử"'),
    q('any', 'karaoke thực phẩm', { mode: 'any' }),
    q('rare diacritic', 'đá'),
    q('OCR-misread word', 'chúng nhận'),
    q('OCR-misread name', 'Nguyẽn'),
    q('ward', 'phường Thạch Thang'),
    q('ward, no diacritics', 'phuong hoa khanh'),
    q('street + ward', '"Nguyễn Văn Linh" Hải Châu'),
    q('hospital phrase', '"Bệnh viện Phụ sản Nhi"'),
    q('nothing', 'tàu vũ trụ'),
    q('filter procedure', 'thường trú', { procedure: PROCEDURES[10]!.code }),
    q('filter agency + year', 'giấy phép xây dựng', { agency: AGENCIES[2]!.code, from: '2024-01-01', to: '2024-12-31' }),
    q('filter month', 'đất ở tại đô thị', { from: '2023-06-01', to: '2023-06-30' }),
    q('filter dossier prefix', 'đất', { dossier: `${first!.code.slice(0, 18)}*` }),
    q('filter dossier', 'trang', { dossier: first!.code }),
    q('page 3 of results', 'an toàn thực phẩm', { offset: 20, limit: 10 }),
  ];
  return [...fixed, ...sampled];
}

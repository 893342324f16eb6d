/**
 * Synthetic catalog for the benchmark: dossiers, documents and OCR pages generated inside the
 * database (INSERT … SELECT over generate_series), so a million pages cost no round trips. Every
 * choice comes from hashing the dossier number, so PostgreSQL and PGlite get the same corpus.
 */
import type { SqlClient } from '../../../storage/catalog/index.js';
import { AGENCIES, GIVEN_NAMES, MIDDLE_NAMES, OCR_NOISE, PROCEDURES, SENTENCES, STREETS, SURNAMES, WARDS } from './vocabulary.js';

/** First receipt day of the corpus; dossiers spread over the two following years. */
export const FIRST_DAY = '2023-01-01';
export const DAYS = 730;

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function textArray(values: string[]): string {
  return `ARRAY[${values.map(literal).join(', ')}]::text[]`;
}

/** Vocabulary as one row of arrays, referenced by every generated row. */
function vocabularyCte(): string {
  return `v AS (SELECT
    ${textArray(AGENCIES.map((a) => a.code))} AS agency_codes,
    ${textArray(AGENCIES.map((a) => a.name))} AS agency_names,
    ${textArray(PROCEDURES.map((p) => p.code))} AS procedure_codes,
    ${textArray(PROCEDURES.map((p) => p.components.join('|')))} AS component_titles,
    ${textArray(PROCEDURES.map((p) => p.result))} AS result_titles,
    ${textArray(SURNAMES)} AS surnames, ${textArray(MIDDLE_NAMES)} AS middles, ${textArray(GIVEN_NAMES)} AS givens,
    ${textArray(STREETS)} AS streets, ${textArray(WARDS)} AS wards, ${textArray(SENTENCES)} AS sentences)`;
}

/** A non-negative pseudo-random integer from (dossier number, salt). */
const H = (d: string, salt: number) => `(hashint8((${d})::bigint * 1009 + ${salt}) & 2147483647)`;
/** arr[1 + h mod len(arr)] */
const pick = (arr: string, d: string, salt: number) => `${arr}[1 + ${H(d, salt)} % cardinality(${arr})]`;

/** Helper functions the generator's SQL uses; created in the current schema, dropped with it. */
async function installFunctions(sql: SqlClient): Promise<void> {
  await sql.exec(`
    CREATE OR REPLACE FUNCTION bench_noise(t text, h integer) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
      SELECT CASE WHEN h % 40 = 0 THEN ${OCR_NOISE.reduce((acc, [from, to]) => `replace(${acc}, ${literal(from)}, ${literal(to)})`, 't')}
                  ELSE t END $f$;`);
}

export interface CorpusSize {
  dossiers: number;
  documents: number;
  pages: number;
}

/**
 * Fills dossiers, documents and pages for dossier numbers [from, to). Dossier d belongs to agency
 * d mod |agencies|, was received on FIRST_DAY + (d / |agencies|) mod DAYS, and has 1–3 component
 * documents of 1–8 pages plus, for 56% of dossiers, a result of 1–2 pages; 1 in 25 dossiers has a
 * first component whose pages all failed. Each page is ~500 characters: a header page per
 * document (national motto, title, addressee, citizen's name, identity number, address), then
 * body pages (legal grounds, parcel, sentences); 1 page in 40 carries typical OCR confusions.
 */
export async function generateDossiers(sql: SqlClient, from: number, to: number): Promise<void> {
  await installFunctions(sql);
  const nAgencies = AGENCIES.length;
  const code = `agency_code || '-' || to_char(received_on, 'YYMMDD') || '-' || lpad(seq::text, 4, '0')`;
  const ctes = `${vocabularyCte()},
    ds AS (
      SELECT d, v.*,
        v.agency_codes[1 + d % ${nAgencies}] AS agency_code,
        (DATE '${FIRST_DAY}' + ((d / ${nAgencies}) % ${DAYS})::int) AS received_on,
        (d / (${nAgencies * DAYS}) + 1) AS seq,
        1 + ${H('d', 1)} % cardinality(v.procedure_codes) AS pi
      FROM generate_series(${from}, ${to - 1}) d, v),
    docs AS (
      SELECT ds.*, ${code} AS code, n AS number, n > 1 + ${H('d', 5)} % 3 AS is_result,
        CASE WHEN n > 1 + ${H('d', 5)} % 3 THEN 1 + ${H('d * 10 + n', 7)} % 2 ELSE 1 + ${H('d * 10 + n', 8)} % 8 END AS page_count,
        n = 1 AND ${H('d', 9)} % 25 = 0 AS all_failed
      FROM ds, generate_series(1, 1 + ${H('d', 5)} % 3 + CASE WHEN ${H('d', 6)} % 100 < 56 THEN 1 ELSE 0 END) n)`;
  await sql.exec(`
    WITH ${ctes}
    INSERT INTO dossiers (code, agency_code, procedure_code, received_on, manifest_sha256, updated_at)
    SELECT code, agency_code, procedure_codes[pi], received_on, 'bench', received_on + interval '3 days' FROM docs WHERE number = 1;

    WITH ${ctes}
    INSERT INTO documents (dossier_code, number, file_code, kind, pdf_key, page_count, pages_failed, submitted_by, completed_at)
    SELECT code, number, code || '.' || lpad(number::text, 2, '0'), CASE WHEN is_result THEN 'result' ELSE 'component' END,
      'dossiers/' || code || '/' || code || '.' || lpad(number::text, 2, '0') || '.pdf',
      page_count, CASE WHEN all_failed THEN page_count ELSE 0 END, 'bench', received_on + interval '1 day'
    FROM docs;

    WITH ${ctes}
    INSERT INTO pages (dossier_code, document_number, page_number, status, error, text, confidence, low_confidence, dpi)
    SELECT code, number, p,
      CASE WHEN all_failed THEN 'failed' ELSE 'done' END,
      CASE WHEN all_failed THEN 'scan.tif: image is empty' END,
      CASE WHEN all_failed THEN NULL ELSE bench_noise(CASE WHEN p = 1 THEN ${pageHeader()} ELSE ${pageBody()} END, ${H('d * 1000 + number * 50 + p', 24)}) END,
      CASE WHEN all_failed THEN NULL ELSE 60 + ${H('d * 1000 + p', 25)} % 40 END,
      false, 300
    FROM docs, generate_series(1, page_count) p;`);
}

const citizen = `${pick('surnames', 'd', 2)} || ' ' || ${pick('middles', 'd', 3)} || ' ' || ${pick('givens', 'd', 4)}`;
const sentence = (salt: number) => pick('sentences', 'd * 1000 + number * 50 + p', salt);
const NL = `E'\\n'`;

function pageHeader(): string {
  const title = `CASE WHEN is_result THEN result_titles[pi]
    ELSE split_part(component_titles[pi], '|', 1 + (number - 1) % (1 + length(component_titles[pi]) - length(replace(component_titles[pi], '|', '')))) END`;
  const address = `'số ' || (1 + ${H('d', 11)} % 250) || ' đường ' || ${pick('streets', 'd', 12)} || ', phường ' || ${pick('wards', 'd', 13)} || ', thành phố Đà Nẵng'`;
  return `'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' || ${NL} || 'Độc lập - Tự do - Hạnh phúc' || ${NL} || ${title} || ${NL} ||
    'Kính gửi: ' || agency_names[1 + d % ${AGENCIES.length}] || ${NL} || 'Họ và tên: ' || ${citizen} || ', sinh năm ' || (1950 + ${H('d', 14)} % 55) || ${NL} ||
    'Số định danh cá nhân: 048' || lpad((${H('d', 15)} % 1000000000)::text, 9, '0') || ${NL} || 'Địa chỉ: ' || ${address} || ${NL} ||
    ${sentence(16)} || ' ' || ${sentence(26)} || ${NL} || 'Đà Nẵng, ngày ' || to_char(received_on, 'DD') || ' tháng ' || to_char(received_on, 'MM') || ' năm ' || to_char(received_on, 'YYYY')`;
}

function pageBody(): string {
  return `${sentence(17)} || ' ' || ${sentence(18)} || ${NL} || 'Thửa đất số ' || (1 + ${H('d', 19)} % 900) || ', tờ bản đồ số ' || (1 + ${H('d', 20)} % 60) ||
    ', diện tích ' || (40 + ${H('d', 21)} % 400) || ' m2.' || ${NL} || 'Ông (bà) ' || ${citizen} || ' ' || lower(${sentence(22)}) || ${NL} || ${sentence(23)} || ' ' || ${sentence(27)} || ${NL} || 'Trang ' || p`;
}

export async function corpusSize(sql: SqlClient): Promise<CorpusSize> {
  const [row] = await sql.query<CorpusSize>(
    `SELECT (SELECT count(*) FROM dossiers)::int AS dossiers, (SELECT count(*) FROM documents)::int AS documents,
       (SELECT count(*) FROM pages)::int AS pages`,
  );
  return row!;
}

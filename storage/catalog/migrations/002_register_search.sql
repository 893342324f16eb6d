-- 002: the one-stop-shop register (the denominators of the digitization rate), per-dossier
-- digitization flags, and word search. The register tables are derived from the `register/`
-- objects of the store and rebuilt from them by `catalog rebuild`; the flags, the word index and
-- the lexicon are derived from documents and pages.

CREATE TABLE register_imports (
  -- Object key `register/<time>-<sha256 prefix>.json`: imports are replayed in key order.
  key text PRIMARY KEY,
  imported_at timestamptz NOT NULL,
  imported_by text NOT NULL,
  -- File name (or API caller) the rows came from, and the SHA-256 of its bytes.
  source text NOT NULL,
  source_sha256 text NOT NULL,
  rows integer NOT NULL CHECK (rows >= 0),
  rejected integer NOT NULL CHECK (rejected >= 0)
);

-- One row per dossier of the register; the latest import that changed it wins.
CREATE TABLE register_dossiers (
  code text PRIMARY KEY,
  procedure_code text NOT NULL,
  agency_code text NOT NULL,
  level text NOT NULL CHECK (level IN ('province', 'commune')),
  received_at timestamptz NOT NULL,
  resolved_at timestamptz,
  -- Calendar days in Vietnam time (UTC+7) of received_at and resolved_at: periods and date
  -- ranges are Vietnamese days, computed once at import so no time zone data is needed here.
  received_on date NOT NULL,
  resolved_on date,
  import_key text NOT NULL REFERENCES register_imports (key),
  CHECK (resolved_at IS NULL OR resolved_at >= received_at)
);
CREATE INDEX register_dossiers_received_on ON register_dossiers (received_on);
CREATE INDEX register_dossiers_resolved_on ON register_dossiers (resolved_on);

-- Whether a dossier has a digitized component / result (a document of that kind with a done
-- page), kept by triggers on documents however they are written: coverage reads two flags per
-- dossier instead of probing documents for each of hundreds of thousands of dossiers.
ALTER TABLE dossiers
  ADD COLUMN component_digitized boolean NOT NULL DEFAULT false,
  ADD COLUMN result_digitized boolean NOT NULL DEFAULT false;

CREATE FUNCTION sohoa_dossier_digitized() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $f$
BEGIN
  UPDATE dossiers d SET
    component_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component' AND x.page_count > x.pages_failed),
    result_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'result' AND x.page_count > x.pages_failed)
  WHERE d.code IN (SELECT dossier_code FROM changed_documents);
  RETURN NULL;
END
$f$;

CREATE TRIGGER documents_digitized_insert AFTER INSERT ON documents REFERENCING NEW TABLE AS changed_documents
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_dossier_digitized();
CREATE TRIGGER documents_digitized_delete AFTER DELETE ON documents REFERENCING OLD TABLE AS changed_documents
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_dossier_digitized();

UPDATE dossiers d SET
  component_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component' AND x.page_count > x.pages_failed),
  result_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'result' AND x.page_count > x.pages_failed);

-- sohoa_tsv(t, pairs): the words of t as a tsvector of plain lexemes, without positions. A word is
-- a run of characters between separators — ASCII punctuation and spaces, Latin-1 symbols, general
-- punctuation, arrows and shapes — exactly as storage/catalog/search/text.ts splits queries, whatever the
-- locale ("101/2024/NĐ-CP" gives 101, 2024, nđ, cp). With pairs, each two consecutive words also
-- give one lexeme ("thua dat", "dat so", "so 1"): a phrase is then found through the index by its
-- word pairs, and only confirmed by a regular expression. Words over 200 bytes (OCR noise) are
-- left out: a lexeme has at most 2047. Only pg_catalog inside, so the function works under any
-- search_path (PostgreSQL 17+ restricts it while it builds indexes).
CREATE FUNCTION sohoa_tsv(t text, pairs boolean) RETURNS tsvector LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
$f$ SELECT pg_catalog.array_to_tsvector(CASE WHEN pairs
      THEN w || ARRAY(SELECT a || ' ' || b FROM ROWS FROM (pg_catalog.unnest(w), pg_catalog.unnest(w[2:])) AS u(a, b) WHERE b IS NOT NULL)
      ELSE w END)
    -- OFFSET 0 computes the word array once: inlined, every use of w would split the text again.
    FROM (SELECT ARRAY(SELECT x FROM pg_catalog.unnest(pg_catalog.regexp_split_to_array(t,
            '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u2bff\u3000]+')) AS x
          WHERE x <> '' AND pg_catalog.octet_length(x) <= 200) AS w OFFSET 0) AS s $f$;

-- Every word of the page, folded ("dat") with the folded word pairs, and as written, lower-cased
-- ("đất"): a query typed with diacritics looks the written forms up to rank exact matches first;
-- folded forms are plain ASCII, so the two never collide. Stored, so filtering rows on it costs no
-- re-parsing.
ALTER TABLE pages ADD COLUMN words tsvector
  GENERATED ALWAYS AS (sohoa_tsv(sohoa_fold(text), true) || sohoa_tsv(lower(text), false)) STORED;
CREATE INDEX pages_words ON pages USING gin (words);

-- The folded words seen in OCR text (letters only, 3+), so a query word can be widened to the
-- OCR misspellings of it that the catalog actually holds (see storage/catalog/search/fuzzy.ts).
CREATE TABLE search_words (word text PRIMARY KEY);

DO $$
DECLARE
  ns text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
              WHERE e.extname = 'pg_trgm');
BEGIN
  IF ns IS NOT NULL THEN
    EXECUTE format('CREATE INDEX search_words_trgm ON search_words USING gin (word %I.gin_trgm_ops)', ns);
  END IF;
END
$$;

-- Sorted, so two indexers adding overlapping words lock them in the same order.
CREATE FUNCTION sohoa_learn_words() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $f$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM new_pages, regexp_split_to_table(new_pages.text_search, '[^a-z]+') AS w
  WHERE length(w) BETWEEN 3 AND 40
  ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$f$;

CREATE TRIGGER pages_learn_words AFTER INSERT ON pages REFERENCING NEW TABLE AS new_pages
  FOR EACH STATEMENT EXECUTE FUNCTION sohoa_learn_words();

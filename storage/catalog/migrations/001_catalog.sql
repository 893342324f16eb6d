-- 001: the catalog. Everything here except audit_log is derived from the dossier manifests and is
-- rebuilt from them by `catalog rebuild`.

-- Contrib extensions, installed in schema public so every schema of the database shares them.
-- Without them the catalog still works: folding falls back to a Vietnamese-only translate() and
-- the trigram index is skipped (a WARNING says so).
DO $$
DECLARE
  ext text;
BEGIN
  FOREACH ext IN ARRAY ARRAY['pg_trgm', 'unaccent'] LOOP
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = ext) THEN
      EXECUTE format('CREATE EXTENSION IF NOT EXISTS %I WITH SCHEMA public', ext);
    ELSE
      RAISE WARNING 'PostgreSQL extension % is not installed on the server (Debian: postgresql-contrib); the catalog works without it but full-text search is slower', ext;
    END IF;
  END LOOP;
END
$$;

-- sohoa_fold(text): lower case, diacritics removed, đ → d ("Hồ sơ ĐẤT ĐAI" → "ho so dat dai"), for
-- searches typed with or without diacritics. Search must fold its query with the same function.
-- IMMUTABLE so a generated column and an index can use it (unaccent() itself is only STABLE
-- because its dictionary could change; the catalog is rebuildable if it ever does).
DO $$
DECLARE
  ns text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
              WHERE e.extname = 'unaccent');
BEGIN
  IF ns IS NOT NULL THEN
    EXECUTE format(
      'CREATE FUNCTION sohoa_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
      format('SELECT lower(%I.unaccent(%L::regdictionary, t))', ns, quote_ident(ns) || '.unaccent'));
  ELSE
    -- Combining marks (decomposed input) removed, then every precomposed Vietnamese letter.
    CREATE FUNCTION sohoa_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
      $f$ SELECT lower(translate(regexp_replace(t, '[\u0300-\u036f]', '', 'g'),
        'àÀáÁảẢãÃạẠăĂằẰắẮẳẲẵẴặẶâÂầẦấẤẩẨẫẪậẬèÈéÉẻẺẽẼẹẸêÊềỀếẾểỂễỄệỆìÌíÍỉỈĩĨịỊòÒóÓỏỎõÕọỌôÔồỒốỐổỔỗỖộỘơƠờỜớỚởỞỡỠợỢùÙúÚủỦũŨụỤưƯừỪứỨửỬữỮựỰỳỲýÝỷỶỹỸỵỴđĐ',
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiioooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyydd')) $f$;
  END IF;
END
$$;

-- Reference data, imported separately (national procedures database, agency list). Dossiers do
-- not reference them by foreign key: a dossier may be digitized before its procedure is imported.
CREATE TABLE procedures (
  code text PRIMARY KEY,
  name text NOT NULL,
  version text
);

CREATE TABLE agencies (
  code text PRIMARY KEY,
  name text NOT NULL,
  level text CHECK (level IN ('province', 'commune'))
);

CREATE TABLE dossiers (
  code text PRIMARY KEY,
  agency_code text NOT NULL,
  procedure_code text,
  -- Receipt date encoded in the dossier code (<agency>-<YYMMDD>-<NNNN>).
  received_on date NOT NULL,
  -- SHA-256 of the manifest.json this row was derived from.
  manifest_sha256 text NOT NULL,
  indexed_at timestamptz NOT NULL DEFAULT now(),
  -- The manifest's updatedAt.
  updated_at timestamptz NOT NULL
);
CREATE INDEX dossiers_received_on ON dossiers (received_on);
CREATE INDEX dossiers_agency_received_on ON dossiers (agency_code, received_on);
CREATE INDEX dossiers_procedure_received_on ON dossiers (procedure_code, received_on);

CREATE TABLE documents (
  dossier_code text NOT NULL REFERENCES dossiers (code) ON DELETE CASCADE,
  number integer NOT NULL CHECK (number > 0),
  -- <dossier code>.<nn> (Circular 05/2025/TT-BNV).
  file_code text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('component', 'result')),
  -- PDF/A key; null when every page failed.
  pdf_key text,
  page_count integer NOT NULL CHECK (page_count >= 0),
  pages_failed integer NOT NULL CHECK (pages_failed >= 0 AND pages_failed <= page_count),
  submitted_by text NOT NULL,
  completed_at timestamptz NOT NULL,
  PRIMARY KEY (dossier_code, number)
);

CREATE TABLE pages (
  dossier_code text NOT NULL,
  document_number integer NOT NULL,
  page_number integer NOT NULL CHECK (page_number > 0),
  status text NOT NULL CHECK (status IN ('done', 'failed')),
  -- Why a failed page failed.
  error text,
  -- OCR text (NFC); null for failed pages.
  text text CHECK (status = 'done' OR text IS NULL),
  text_search text GENERATED ALWAYS AS (sohoa_fold(text)) STORED,
  -- Mean OCR word confidence, 0-100.
  confidence double precision,
  low_confidence boolean NOT NULL DEFAULT false,
  dpi integer,
  PRIMARY KEY (dossier_code, document_number, page_number),
  FOREIGN KEY (dossier_code, document_number) REFERENCES documents (dossier_code, number) ON DELETE CASCADE
);

DO $$
DECLARE
  ns text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
              WHERE e.extname = 'pg_trgm');
BEGIN
  IF ns IS NOT NULL THEN
    EXECUTE format('CREATE INDEX pages_text_search_trgm ON pages USING gin (text_search %I.gin_trgm_ops)', ns);
  END IF;
END
$$;

-- Who searched, opened or changed what (Decree 13/2023/NĐ-CP). Not derived from manifests: a
-- catalog rebuild keeps it.
CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  detail jsonb
);

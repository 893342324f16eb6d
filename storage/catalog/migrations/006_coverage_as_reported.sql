-- 006: coverage as the city reports it. Three levels until 30 June 2025 (province, district,
-- commune); former units mapped to their successors so history rolls up; several agencies per
-- dossier (liên thông); the due date beside the resolution; the procedure's version and its
-- required components, so "all required components digitized" can be checked; the component a
-- document is. Derived like the rest of the register: `catalog rebuild` replays the stored imports.

ALTER TABLE agencies DROP CONSTRAINT agencies_level_check;
ALTER TABLE agencies ADD CONSTRAINT agencies_level_check CHECK (level IN ('province', 'district', 'commune'));

ALTER TABLE register_dossiers DROP CONSTRAINT register_dossiers_level_check;
ALTER TABLE register_dossiers ADD CONSTRAINT register_dossiers_level_check
  CHECK (level IN ('province', 'commune') OR (level = 'district' AND received_on < DATE '2025-07-01'));
ALTER TABLE register_dossiers
  ADD COLUMN procedure_version text,
  -- The other agencies that handled the dossier; the receiving one is agency_code.
  ADD COLUMN agencies text[] NOT NULL DEFAULT '{}',
  ADD COLUMN due_at timestamptz CHECK (due_at IS NULL OR due_at >= received_at);

-- A former unit (a district, a commune merged in 2025) and the unit that took over its work.
-- Chains are followed (a commune merged twice); imports refuse a row that would close a cycle.
CREATE TABLE unit_successions (
  former_code text PRIMARY KEY,
  successor_code text NOT NULL CHECK (successor_code <> former_code),
  -- The successor's level as the mapping gives it (the agencies table's, when known, wins).
  successor_level text CHECK (successor_level IN ('province', 'commune')),
  effective_on date NOT NULL,
  import_key text NOT NULL REFERENCES register_imports (key)
);

-- A procedure's version and the components its dossier must hold, valid from/to a day.
CREATE TABLE procedure_versions (
  procedure_code text NOT NULL,
  version text NOT NULL,
  valid_from date NOT NULL,
  valid_to date CHECK (valid_to IS NULL OR valid_to >= valid_from),
  -- Required component codes, and [{code, name}] to name the missing ones.
  component_codes text[] NOT NULL,
  components jsonb NOT NULL,
  import_key text NOT NULL REFERENCES register_imports (key),
  PRIMARY KEY (procedure_code, version)
);

-- Which of its procedure's components a component document is (the station says so at upload).
ALTER TABLE documents ADD COLUMN component_code text;

-- A document counts as digitized only when every one of its pages is done: the flags now say
-- "a digitized component / result" (no failed page), and components_complete says that every
-- component document is, for dossiers whose procedure's component list is not known.
ALTER TABLE dossiers ADD COLUMN components_complete boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION sohoa_dossier_digitized() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $f$
BEGIN
  UPDATE dossiers d SET
    component_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component' AND x.page_count > 0 AND x.pages_failed = 0),
    result_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'result' AND x.page_count > 0 AND x.pages_failed = 0),
    components_complete = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component')
      AND NOT EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component' AND (x.page_count = 0 OR x.pages_failed > 0))
  WHERE d.code IN (SELECT dossier_code FROM changed_documents);
  RETURN NULL;
END
$f$;

UPDATE dossiers d SET
  component_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component' AND x.page_count > 0 AND x.pages_failed = 0),
  result_digitized = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'result' AND x.page_count > 0 AND x.pages_failed = 0),
  components_complete = EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component')
    AND NOT EXISTS (SELECT 1 FROM documents x WHERE x.dossier_code = d.code AND x.kind = 'component' AND (x.page_count = 0 OR x.pages_failed > 0));

-- 007: the Circular 05/2025/TT-BNV metadata of dossiers and documents (the manifest's), whole as
-- jsonb, and the fields archivists filter by as columns: the title the station gave, subject,
-- type, number and notation, issuing agency and issue date.
ALTER TABLE dossiers ADD COLUMN metadata jsonb;
ALTER TABLE documents
  ADD COLUMN title text,
  ADD COLUMN metadata jsonb,
  ADD COLUMN type_name text,
  ADD COLUMN code_notation text,
  ADD COLUMN organ_name text,
  ADD COLUMN subject text,
  ADD COLUMN issued_date date;
CREATE INDEX documents_code_notation ON documents (upper(code_notation));
CREATE INDEX documents_issued_date ON documents (issued_date);

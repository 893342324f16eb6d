-- 005: blank pages (separator sheets, empty backs) are listed with their document but are not in
-- its PDF/A, so they hold no text and do not count towards a hit's page in the PDF.
ALTER TABLE pages DROP CONSTRAINT pages_status_check;
ALTER TABLE pages ADD CONSTRAINT pages_status_check CHECK (status IN ('done', 'failed', 'blank'));

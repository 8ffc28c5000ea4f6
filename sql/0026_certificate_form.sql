-- The Bằng khen as the form has it (issue 19): the emblem an office uploads per template, the lines
-- its blank stock already carries (left out in overlay mode), and the serials of the blank forms a
-- print job used.

-- The emblem printed at the top centre in full mode (the State emblem is the office's own file; a
-- mass organisation uses its logo). PNG or a checked SVG, at most 1 MB; none: a placeholder prints.
CREATE TABLE certificate_emblems (
  template text PRIMARY KEY CHECK (template IN ('bang_khen', 'giay_khen', 'mo_hinh')),
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/svg+xml')),
  content bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 1048576),
  file_name text NOT NULL,
  sha256 text NOT NULL,
  uploaded_by integer REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);

-- Overlay mode: the lines the blank stock already carries, not printed. The default is what overlay
-- mode left out before: the border, the emblem, the national title and motto, "TẶNG", the award's name.
ALTER TABLE print_layouts ADD COLUMN preprinted text[] NOT NULL DEFAULT ARRAY['border', 'emblem', 'nation', 'verb', 'title']::text[];
ALTER TABLE print_layouts ADD CONSTRAINT print_layouts_preprinted_known
  CHECK (preprinted <@ ARRAY['border', 'emblem', 'nation', 'authority', 'verb', 'title']::text[]);

-- The blank forms (phôi) a print job used, first and last serial, both or neither.
ALTER TABLE print_jobs ADD COLUMN blank_serial_from text;
ALTER TABLE print_jobs ADD COLUMN blank_serial_to text;
ALTER TABLE print_jobs ADD CONSTRAINT print_jobs_blank_serials_pair CHECK ((blank_serial_from IS NULL) = (blank_serial_to IS NULL));

-- Certificates: print layouts an administrator calibrates, reissued copies, revocation, print jobs
-- that survive a crash chunk by chunk, and the print log.

-- Paper size and text offsets per template and mode, in millimetres: each office's blank forms
-- (phôi) differ, so these are settings, not constants.
CREATE TABLE print_layouts (
  template text NOT NULL,
  mode text NOT NULL CHECK (mode IN ('full', 'overlay')),
  paper_width_mm numeric(6, 1) NOT NULL CHECK (paper_width_mm BETWEEN 100 AND 600),
  paper_height_mm numeric(6, 1) NOT NULL CHECK (paper_height_mm BETWEEN 100 AND 600),
  offset_x_mm numeric(5, 1) NOT NULL DEFAULT 0 CHECK (offset_x_mm BETWEEN -50 AND 50),
  offset_y_mm numeric(5, 1) NOT NULL DEFAULT 0 CHECK (offset_y_mm BETWEEN -50 AND 50),
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template, mode)
);
INSERT INTO print_layouts (template, mode, paper_width_mm, paper_height_mm) VALUES
  ('bang_khen', 'full', 297, 210),
  ('bang_khen', 'overlay', 297, 210),
  ('giay_khen', 'full', 297, 210),
  ('giay_khen', 'overlay', 297, 210),
  ('mo_hinh', 'full', 297, 210),
  ('mo_hinh', 'overlay', 297, 210);

-- The copy a certificate is at: 0 for the original, 1, 2... for each reissue (same register number).
ALTER TABLE certificates ADD COLUMN copy_number integer NOT NULL DEFAULT 0 CHECK (copy_number >= 0);
ALTER TABLE certificates ADD COLUMN revoked_by integer REFERENCES users (id);

CREATE TABLE certificate_reissues (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  certificate_id integer NOT NULL REFERENCES certificates (id),
  copy_number integer NOT NULL CHECK (copy_number > 0),
  reason text NOT NULL,
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (certificate_id, copy_number)
);

CREATE TABLE print_jobs (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  decision_id integer NOT NULL REFERENCES decisions (id),
  mode text NOT NULL CHECK (mode IN ('full', 'overlay')),
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  total integer NOT NULL CHECK (total >= 0),
  done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
  attempts integer NOT NULL DEFAULT 0,
  error text,
  file bytea,
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  heartbeat_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX print_jobs_waiting_idx ON print_jobs (id) WHERE status IN ('queued', 'running');

-- Each chunk of a job is stored when rendered, keyed by its index: a job restarted after a crash
-- renders only the missing chunks, and a chunk rendered twice replaces itself.
CREATE TABLE print_job_chunks (
  job_id integer NOT NULL REFERENCES print_jobs (id) ON DELETE CASCADE,
  chunk_index integer NOT NULL CHECK (chunk_index >= 0),
  pages integer NOT NULL CHECK (pages > 0),
  pdf bytea NOT NULL,
  PRIMARY KEY (job_id, chunk_index)
);

CREATE TABLE print_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  certificate_id integer NOT NULL REFERENCES certificates (id),
  copy_number integer NOT NULL,
  mode text NOT NULL CHECK (mode IN ('full', 'overlay')),
  channel text NOT NULL CHECK (channel IN ('single', 'decision', 'job')),
  job_id integer REFERENCES print_jobs (id),
  printed_by integer REFERENCES users (id),
  printed_at timestamptz NOT NULL DEFAULT now(),
  -- A job that runs twice logs each certificate once.
  UNIQUE (job_id, certificate_id)
);
CREATE INDEX print_log_certificate_idx ON print_log (certificate_id, printed_at);

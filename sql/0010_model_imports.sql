-- Model imports done, one row per file per importing unit, written in the import's own transaction:
-- the same bytes sent again (a retry, a double click) find this row and import nothing, and the
-- unique key makes two identical uploads at once import once (the second waits, then sees the row).
CREATE TABLE model_imports (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit_id integer NOT NULL REFERENCES units (id),
  file_sha256 bytea NOT NULL CHECK (length(file_sha256) = 32),
  file_name text NOT NULL,
  encoding text NOT NULL,
  imported integer NOT NULL CHECK (imported > 0),
  created_by integer NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, file_sha256)
);

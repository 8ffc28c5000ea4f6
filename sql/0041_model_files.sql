-- Evidence on a model (issue 21): the photos and reports its unit uploads ("tệp minh chứng"), shown
-- beside the scoring form. In the database, as dossier files are, so every process serves them and a
-- backup holds them; the bytes in their own table to keep listings light.
CREATE TABLE model_files (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id integer NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  uploaded_by integer REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_files_model_idx ON model_files (model_id);

CREATE TABLE model_file_contents (
  file_id integer PRIMARY KEY REFERENCES model_files (id) ON DELETE CASCADE,
  content bytea NOT NULL
);

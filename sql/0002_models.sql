-- The model registry: "Dân vận khéo" models and exemplars, their status and progress reports.

-- unaccent() is only STABLE (its dictionary could change); this wrapper pins the dictionary so it
-- can feed a stored generated column and an index.
CREATE FUNCTION f_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- Registration codes are numbered per kind and year from a counter row taken in the same
-- transaction as the insert, so they never repeat.
CREATE TABLE model_code_counters (
  prefix text NOT NULL,
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE models (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code text NOT NULL UNIQUE,
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 300),
  unit_id integer NOT NULL REFERENCES units (id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  field_code text NOT NULL REFERENCES fields (code),
  block_code text NOT NULL REFERENCES blocks (code),
  kind text NOT NULL CHECK (kind IN ('model', 'exemplar')),
  summary text NOT NULL,
  goals text,
  started_on date,
  participants text,
  contact text,
  replicates_model_id integer REFERENCES models (id),
  status text NOT NULL DEFAULT 'registered'
    CHECK (status IN ('registered', 'implementing', 'completed', 'recognized', 'not_recognized', 'discontinued')),
  search_text text GENERATED ALWAYS AS (f_unaccent(lower(code || ' ' || title || ' ' || summary))) STORED,
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (replicates_model_id IS NULL OR replicates_model_id <> id)
);
CREATE INDEX models_unit_year_idx ON models (unit_id, year);
CREATE INDEX models_year_status_idx ON models (year, status);
CREATE INDEX models_field_idx ON models (field_code, year);
CREATE INDEX models_block_idx ON models (block_code, year);
CREATE INDEX models_replicates_idx ON models (replicates_model_id) WHERE replicates_model_id IS NOT NULL;
CREATE INDEX models_search_idx ON models USING gin (search_text gin_trgm_ops);

-- Every status move is a progress report; the history is never rewritten.
CREATE TABLE model_reports (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  model_id integer NOT NULL REFERENCES models (id),
  from_status text NOT NULL,
  to_status text NOT NULL,
  reported_on date NOT NULL,
  note text NOT NULL,
  people_reached integer CHECK (people_reached >= 0),
  funds_vnd bigint CHECK (funds_vnd >= 0),
  workdays integer CHECK (workdays >= 0),
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_reports_model_idx ON model_reports (model_id, id);

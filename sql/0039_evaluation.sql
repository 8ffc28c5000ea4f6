-- Evaluation by criteria (issue 21): a body's set of criteria with a score scale for a year ("Bộ tiêu
-- chí và thang điểm"), which models it applies to, a threshold to be recognised; each committee
-- member's scores of each model (a draft until submitted), and the members who stood aside.

CREATE TABLE criteria_sets (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 300),
  threshold numeric(7, 2) NOT NULL CHECK (threshold >= 0),
  -- Empty: every field, every kind.
  field_codes text[] NOT NULL DEFAULT '{}',
  model_kinds text[] NOT NULL DEFAULT '{}',
  opens_on date,
  closes_on date,
  copied_from_id integer REFERENCES criteria_sets (id),
  created_by integer NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (closes_on IS NULL OR opens_on IS NULL OR closes_on >= opens_on)
);
CREATE INDEX criteria_sets_body_year_idx ON criteria_sets (issuing_unit_id, year);

-- The criteria in the order printed, each in a group (with its subtotal) or none.
CREATE TABLE criteria (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  set_id integer NOT NULL REFERENCES criteria_sets (id),
  position integer NOT NULL CHECK (position >= 1),
  group_name text NOT NULL DEFAULT '' CHECK (length(group_name) <= 300),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9._-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 3 AND 1000),
  max_score numeric(7, 2) NOT NULL CHECK (max_score > 0),
  UNIQUE (set_id, code),
  UNIQUE (set_id, position)
);

-- One member's scores of one model: the total kept beside the rows so results read one row per evaluation.
CREATE TABLE evaluations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  set_id integer NOT NULL REFERENCES criteria_sets (id),
  model_id integer NOT NULL REFERENCES models (id),
  evaluator_id integer NOT NULL REFERENCES users (id),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  total numeric(9, 2) NOT NULL CHECK (total >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_at timestamptz,
  UNIQUE (set_id, model_id, evaluator_id),
  CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
CREATE INDEX evaluations_results_idx ON evaluations (set_id, model_id) WHERE status = 'submitted';

CREATE TABLE evaluation_scores (
  evaluation_id integer NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  criterion_id integer NOT NULL REFERENCES criteria (id),
  score numeric(7, 2) NOT NULL CHECK (score >= 0),
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
  PRIMARY KEY (evaluation_id, criterion_id)
);

-- A member with a conflict of interest stands aside on a model, with the reason; never scores it.
CREATE TABLE evaluation_recusals (
  set_id integer NOT NULL REFERENCES criteria_sets (id),
  model_id integer NOT NULL REFERENCES models (id),
  evaluator_id integer NOT NULL REFERENCES users (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 5 AND 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (set_id, model_id, evaluator_id)
);

-- Awards: rounds, nominations with their dossier and cited models, committee votes, decisions and
-- the certificates they create. Numbers that must never skip or repeat (decision numbers, register
-- numbers) come from counter rows updated in the inserting transaction, never from a sequence.

-- The kind of award decides the certificate template; an administrator can add kinds.
CREATE TABLE award_kinds (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,59}$'),
  name text NOT NULL,
  name_en text NOT NULL,
  template text NOT NULL DEFAULT 'bang_khen',
  sort_order integer NOT NULL DEFAULT 100
);
INSERT INTO award_kinds (code, name, name_en, template, sort_order) VALUES
  ('bang_khen_chu_tich_ubnd_tinh', 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh', 'Certificate of merit of the Chairman of the Provincial People''s Committee', 'bang_khen', 1),
  ('giay_khen', 'Giấy khen', 'Certificate of commendation', 'giay_khen', 2);

CREATE TABLE award_rounds (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 300),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  award_kind text NOT NULL REFERENCES award_kinds (code),
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  closes_on date NOT NULL,
  -- The voting rule: enough members voted (votes * quorum_den >= eligible * quorum_num) and enough
  -- of those votes approve (approvals * approval_den > votes * approval_num, or >= when not strict).
  quorum_num integer NOT NULL DEFAULT 2 CHECK (quorum_num > 0),
  quorum_den integer NOT NULL DEFAULT 3 CHECK (quorum_den >= quorum_num),
  approval_num integer NOT NULL DEFAULT 1 CHECK (approval_num > 0),
  approval_den integer NOT NULL DEFAULT 2 CHECK (approval_den >= approval_num),
  approval_strict boolean NOT NULL DEFAULT true,
  public_comment boolean NOT NULL DEFAULT false,
  decision_suffix text NOT NULL DEFAULT 'QĐ-UBND' CHECK (length(decision_suffix) BETWEEN 1 AND 40),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  published_at timestamptz,
  closed_at timestamptz,
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX award_rounds_year_idx ON award_rounds (year DESC, id DESC);

-- Decisions are created before the nominations that point at them.
CREATE TABLE decisions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id integer NOT NULL REFERENCES award_rounds (id),
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  year integer NOT NULL,
  number integer NOT NULL CHECK (number > 0),
  number_text text NOT NULL,
  signed_on date NOT NULL,
  signer_name text NOT NULL,
  signer_title text NOT NULL,
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuing_unit_id, year, number)
);
CREATE INDEX decisions_round_idx ON decisions (round_id);

CREATE TABLE nominations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id integer NOT NULL REFERENCES award_rounds (id),
  unit_id integer NOT NULL REFERENCES units (id),
  nominee_kind text NOT NULL CHECK (nominee_kind IN ('collective', 'individual')),
  nominee_name text NOT NULL CHECK (length(nominee_name) BETWEEN 2 AND 200),
  -- NFC, case-folded, spaces collapsed: the same nominee cannot be put forward twice in a round.
  nominee_key text NOT NULL,
  position text,
  gender text CHECK (gender IN ('female', 'male')),
  birth_year integer CHECK (birth_year BETWEEN 1900 AND 2100),
  achievement text NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'returned', 'approved', 'rejected')),
  return_reason text,
  submitted_at timestamptz,
  returned_at timestamptz,
  -- The tally kept when the round closed.
  approvals integer,
  rejections integer,
  eligible_voters integer,
  decided_at timestamptz,
  decision_id integer REFERENCES decisions (id),
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (round_id, nominee_kind, nominee_key),
  CHECK (decision_id IS NULL OR status = 'approved')
);
CREATE INDEX nominations_round_idx ON nominations (round_id, status);
CREATE INDEX nominations_unit_idx ON nominations (unit_id);
CREATE INDEX nominations_decision_idx ON nominations (decision_id) WHERE decision_id IS NOT NULL;

CREATE TABLE nomination_models (
  nomination_id integer NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
  model_id integer NOT NULL REFERENCES models (id),
  PRIMARY KEY (nomination_id, model_id)
);

-- Dossier files live in the database, so every app process serves the same files and a backup
-- holds them; the bytes sit in their own table to keep listings light.
CREATE TABLE nomination_files (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  nomination_id integer NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('proposal', 'minutes', 'achievement_report', 'other')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  uploaded_by integer REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX nomination_files_nomination_idx ON nomination_files (nomination_id);

CREATE TABLE nomination_file_contents (
  file_id integer PRIMARY KEY REFERENCES nomination_files (id) ON DELETE CASCADE,
  content bytea NOT NULL
);

CREATE TABLE votes (
  nomination_id integer NOT NULL REFERENCES nominations (id),
  member_id integer NOT NULL REFERENCES users (id),
  vote text NOT NULL CHECK (vote IN ('approve', 'reject')),
  comment text,
  voted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (nomination_id, member_id)
);

CREATE TABLE decision_counters (
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (issuing_unit_id, year)
);

CREATE TABLE register_counters (
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  year integer NOT NULL,
  last_number integer NOT NULL,
  PRIMARY KEY (issuing_unit_id, year)
);

CREATE TABLE certificates (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  decision_id integer NOT NULL REFERENCES decisions (id),
  nomination_id integer NOT NULL UNIQUE REFERENCES nominations (id),
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  year integer NOT NULL,
  register_number integer NOT NULL CHECK (register_number > 0),
  recipient_kind text NOT NULL CHECK (recipient_kind IN ('collective', 'individual')),
  recipient_name text NOT NULL,
  -- At least 128 random bits, unrelated to the register number: the QR code's key.
  verification_code text NOT NULL UNIQUE CHECK (length(verification_code) >= 22),
  status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
  revoked_at timestamptz,
  revoke_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuing_unit_id, year, register_number)
);
CREATE INDEX certificates_decision_idx ON certificates (decision_id, register_number);

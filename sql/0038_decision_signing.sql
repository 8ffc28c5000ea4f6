-- Signing a decision with the government CA's USB token (issue 20): the VGCA signing tool fetches the
-- unsigned PDF from a one-time address and uploads the signed one to another. A session keeps the
-- exact bytes it served, so the upload can be checked to be that document with a signature appended;
-- its two addresses' tokens are kept hashed. The signed file becomes the decision's signed copy.
CREATE TABLE signing_sessions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  decision_id integer NOT NULL REFERENCES decisions (id),
  source_token_hash bytea NOT NULL UNIQUE,
  upload_token_hash bytea NOT NULL UNIQUE,
  source_pdf bytea NOT NULL,
  created_by integer NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  source_fetched_at timestamptz,
  completed_at timestamptz
);
CREATE INDEX signing_sessions_decision_idx ON signing_sessions (decision_id);

-- The decision as its body signed it: the uploaded file, unchanged; a later signing replaces it (the
-- audit log keeps each).
CREATE TABLE decision_signed_copies (
  decision_id integer PRIMARY KEY REFERENCES decisions (id),
  pdf bytea NOT NULL,
  signer_name text,
  session_id integer NOT NULL REFERENCES signing_sessions (id),
  signed_at timestamptz NOT NULL DEFAULT now()
);

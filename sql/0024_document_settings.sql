-- What an issuing body's official documents say that the registry cannot know (issue 19): the place
-- before the date, the header lines, the authority, the legal bases, who executes the decision and who
-- receives it, and the standing organ that writes the proposal (tờ trình). One row per body, written
-- whole by its secretariat; a body without a row gets defaults derived from its unit
-- (server/documents/settings.ts).
CREATE TABLE document_settings (
  issuing_unit_id integer PRIMARY KEY REFERENCES units (id),
  place_name text NOT NULL CHECK (length(place_name) BETWEEN 1 AND 100),
  superior_line text NOT NULL DEFAULT '' CHECK (length(superior_line) <= 200),
  issuer_lines text[] NOT NULL CHECK (cardinality(issuer_lines) BETWEEN 1 AND 3),
  authority_name text NOT NULL CHECK (length(authority_name) BETWEEN 3 AND 200),
  legal_bases text[] NOT NULL CHECK (cardinality(legal_bases) BETWEEN 1 AND 12),
  proposer text NOT NULL CHECK (length(proposer) BETWEEN 3 AND 300),
  reward_clause text NOT NULL CHECK (length(reward_clause) BETWEEN 3 AND 600),
  executors text NOT NULL CHECK (length(executors) BETWEEN 3 AND 600),
  recipients text[] NOT NULL CHECK (cardinality(recipients) BETWEEN 1 AND 15),
  standing_organ text NOT NULL CHECK (length(standing_organ) BETWEEN 3 AND 200),
  proposal_symbol text NOT NULL CHECK (length(proposal_symbol) BETWEEN 1 AND 40),
  proposal_signer_title text NOT NULL CHECK (length(proposal_signer_title) BETWEEN 1 AND 200),
  proposal_signer_name text NOT NULL DEFAULT '' CHECK (length(proposal_signer_name) <= 100),
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

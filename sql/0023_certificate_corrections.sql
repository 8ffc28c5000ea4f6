-- Corrections (đính chính): a certificate printed with a wrong name, position, unit or achievement
-- is replaced by a corrected one with the same register number and a new verification code. The
-- old one stays (status 'replaced') and its code verifies as replaced, naming the new one; the new
-- one names the old in `corrects_id`. A register number and a nomination have one current
-- certificate each (valid or revoked); the replaced ones before it keep theirs.
ALTER TABLE certificates DROP CONSTRAINT certificates_status_check;
ALTER TABLE certificates ADD CONSTRAINT certificates_status_check CHECK (status IN ('valid', 'revoked', 'replaced'));

ALTER TABLE certificates
  ADD COLUMN corrects_id integer UNIQUE REFERENCES certificates (id),
  -- What the certificate prints where it differs from its nomination (null: the nomination's text).
  ADD COLUMN position text CHECK (length(position) <= 200),
  ADD COLUMN unit_name text CHECK (length(unit_name) BETWEEN 1 AND 300),
  ADD COLUMN achievement text CHECK (length(achievement) BETWEEN 1 AND 2000),
  ADD COLUMN correction_reason text CHECK (length(correction_reason) BETWEEN 1 AND 1000),
  ADD COLUMN created_by integer REFERENCES users (id);

ALTER TABLE certificates DROP CONSTRAINT certificates_nomination_id_key;
CREATE UNIQUE INDEX certificates_current_nomination_key ON certificates (nomination_id) WHERE status <> 'replaced';
ALTER TABLE certificates DROP CONSTRAINT certificates_issuing_unit_id_year_register_number_key;
CREATE UNIQUE INDEX certificates_current_register_key ON certificates (issuing_unit_id, year, register_number) WHERE status <> 'replaced';
CREATE INDEX certificates_nomination_idx ON certificates (nomination_id);

-- The print history: a unit's jobs, newest first.
CREATE INDEX print_jobs_decision_idx ON print_jobs (decision_id, id DESC);

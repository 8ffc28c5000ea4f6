-- Dossiers going up: a nomination approved by a lower body's committee is forwarded to an open round
-- of a body above it, as a new nomination there (its "twin") with the same nominee, achievement, cited
-- models and a copy of the dossier files. The twin points back at the lower nomination, whose tally is
-- the lower committee's result, and names the lower body, whose secretariat fixes it when the upper
-- body returns it. A nomination goes up once (unique); a returned twin goes back to the same round.
ALTER TABLE nominations
  ADD COLUMN forwarded_from_id integer UNIQUE REFERENCES nominations (id),
  ADD COLUMN forwarding_unit_id integer REFERENCES units (id),
  ADD COLUMN forwarded_at timestamptz,
  -- A twin names the body that forwarded it and when. The link back may be briefly empty while a
  -- restore writes self-references in a second pass (server/ops/backup.ts), so the check runs one way.
  ADD CONSTRAINT nominations_forwarded_check CHECK ((forwarding_unit_id IS NULL) = (forwarded_at IS NULL) AND (forwarded_from_id IS NULL OR forwarding_unit_id IS NOT NULL));

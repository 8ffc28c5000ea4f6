-- A body's committee (Hội đồng Thi đua - Khen thưởng) is a named list of member accounts, which may
-- belong to other units (a provincial council seats leaders of many departments). Only its members
-- vote in the body's rounds, and closing a round counts them as the eligible voters.
CREATE TABLE committee_members (
  issuing_unit_id integer NOT NULL REFERENCES units (id),
  user_id integer NOT NULL REFERENCES users (id),
  added_by integer REFERENCES users (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuing_unit_id, user_id)
);
CREATE INDEX committee_members_user_idx ON committee_members (user_id);

-- Until now a body's committee was every member account of the body or of a unit under it (units
-- merged into them included). A database that has rounds keeps those committees, written out.
WITH RECURSIVE tree(body_id, unit_id) AS (
  SELECT DISTINCT issuing_unit_id, issuing_unit_id FROM award_rounds
  UNION
  SELECT tree.body_id, units.id FROM units JOIN tree ON units.parent_id = tree.unit_id OR units.successor_id = tree.unit_id
)
INSERT INTO committee_members (issuing_unit_id, user_id)
SELECT DISTINCT tree.body_id, users.id FROM tree JOIN users ON users.unit_id = tree.unit_id WHERE users.role = 'member';

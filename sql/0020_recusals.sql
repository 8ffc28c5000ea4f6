-- Recusal: a committee member declares a conflict of interest on a nomination, with the reason. The
-- member then does not vote on it (a vote already cast is withdrawn) and is not among its eligible
-- voters when the round closes; the secretariat sees who stood aside and why.
CREATE TABLE recusals (
  nomination_id integer NOT NULL REFERENCES nominations (id) ON DELETE CASCADE,
  member_id integer NOT NULL REFERENCES users (id),
  reason text NOT NULL CHECK (length(reason) BETWEEN 3 AND 1000),
  declared_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (nomination_id, member_id)
);
CREATE INDEX recusals_member_id_idx ON recusals (member_id);

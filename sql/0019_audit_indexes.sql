-- The audit viewer (server/audit/repository.ts) reads the trail newest first (ORDER BY id DESC LIMIT 51)
-- under a filter. On a long trail (bench/audit-pglite.ts: 200.000 rows) the filter by person read the
-- whole table (a sequential scan, growing with the log), and the action select's distinct codes, found
-- by a loose index scan, had no index to skip along: 0,7 s. With these, each person's rows come in id
-- order from the first index, and the codes (exact, a prefix range, the distinct list) from the second,
-- built byte-ordered (COLLATE "C") as the queries compare them, so it serves on any database locale.
-- The filter by unit is the same as by person: the unit's accounts, each read through the first index.
CREATE INDEX audit_log_actor_id_idx ON audit_log (actor_user_id, id);
CREATE INDEX audit_log_action_id_idx ON audit_log (action COLLATE "C", id);

-- A round's review list at scale (issue 17; README, Benchmarks, "Forwarding up a level"): a provincial
-- round holding 5.000 twins forwarded from its communes, among 200.000 nominations. The list asks for
-- one tab (status) of a round in id order, 50 at a time after a cursor.
--
-- With id as the third column the index hands over a tab in id order from the cursor on, and the
-- joins (unit, lower and upper twin, decisions) stop after 51 rows. It serves every query the
-- (round_id, status) index did.
CREATE INDEX nominations_round_status_id_idx ON nominations (round_id, status, id);
DROP INDEX nominations_round_idx;

-- The index alone is not enough: PostgreSQL takes round and status as independent, so the 4.500
-- submitted twins of the open round were estimated at about 120 rows (submitted nominations are 2 % of
-- all of them) and it joined all 4.500 before sorting them to keep 51 (48 ms in EXPLAIN ANALYZE, API
-- p95 135 ms). But only an open round holds submitted or returned nominations: the round decides the
-- status. The most common (round, status) pairs give the planner the real count (4.330), and it then
-- walks the index in order (1,7 ms).
CREATE STATISTICS nominations_round_status_stats (mcv) ON round_id, status FROM nominations;

-- A round's review list at scale (issue 17; README, Benchmarks, "Forwarding up a level"): a provincial
-- round holding 5.000 twins forwarded from its communes, among 200.000 nominations. The list asks for
-- a round's nominations (one tab or all), in id order, 50 at a time after a cursor, and their count.
--
-- With (round_id, status) PostgreSQL either read the whole tab (4.500 rows), joined every row to its
-- unit, twins and decisions, then sorted to keep 51 (45 ms in EXPLAIN ANALYZE), or walked the table by
-- its primary key, filtering 190.000 older nominations until the round's newest came up (40-70 ms):
-- API p95 135-185 ms. awards/repository.ts#listNominations now picks a page's ids first, from the
-- nominations and their round alone; this index answers that from the index alone, in id order, with
-- the status and the unit the filter and the viewer's reach need: 51 entries read (0,05 ms), the count
-- of the round's 5.000 in 1-2 ms. It serves every query (round_id, status) did.
CREATE INDEX nominations_round_id_idx ON nominations (round_id, id) INCLUDE (status, unit_id);
DROP INDEX nominations_round_idx;

-- The model list at registry scale (1,000,000 models; README, Benchmarks).

-- The newest models of a year (the default sort is id desc) and the counts of a unit's year by status,
-- read from the index alone. (unit_id, year, status) serves every query (unit_id, year) did.
CREATE INDEX models_year_id_idx ON models (year, id);
CREATE INDEX models_unit_year_status_idx ON models (unit_id, year, status);
DROP INDEX models_unit_year_idx;

-- The model list and search at registry scale (1,000,000 models; README, Benchmarks).

-- The newest models of a year (the default sort is id desc) and the counts of a unit's year by status,
-- read from the index alone. (unit_id, year, status) serves every query (unit_id, year) did.
CREATE INDEX models_year_id_idx ON models (year, id);
CREATE INDEX models_unit_year_status_idx ON models (unit_id, year, status);
DROP INDEX models_unit_year_idx;

-- Words of search_text (already lower case without diacritics), searched by word prefix in front of
-- the LIKE on the phrase: the trigram index re-checks too many rows for rare words. An expression
-- index rather than a stored tsvector column, which would make every row of the table larger.
CREATE INDEX models_words_idx ON models USING gin (to_tsvector('simple', search_text));

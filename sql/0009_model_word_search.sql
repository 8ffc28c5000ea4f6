-- The model search by words (README, Benchmarks): Vietnamese syllables are short, so their trigrams
-- are common and the trigram index re-checked tens of thousands of rows per search at 1M models.
-- Words of code, title and summary go into a tsvector column kept by a trigger (added without a
-- table rewrite, unlike a stored generated column) with a GIN index.

-- The text folded as sql/0002's search_text was (lower case, no diacritics, đ -> d), with ASCII
-- punctuation as spaces: the default parser would read "MH-2024-000123" as "mh", "-2024", "-000123" (signed
-- numbers), so "2024-000123" or "000123" would not find the code.
CREATE FUNCTION f_search_words(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT to_tsvector('simple'::regconfig, translate(f_unaccent(lower($1)), '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32))) $$;

-- A search as a phrase of its words, the last one a prefix (typing "dan van kh" finds "dân vận
-- khéo"): 'dan' <-> 'van' <-> 'kh':*. Built from the lexemes of f_search_words, each quoted, so no
-- text can add tsquery operators; NULL when the text has no word.
CREATE FUNCTION f_search_query(text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT string_agg(
           CASE WHEN previous IS NULL THEN '' ELSE ' <' || (pos - previous) || '> ' END
             || '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''
             || CASE WHEN pos = last THEN ':*' ELSE '' END,
           '' ORDER BY pos)::tsquery
  FROM (SELECT w.lexeme, p.pos, lag(p.pos) OVER (ORDER BY p.pos) AS previous, max(p.pos) OVER () AS last
        FROM unnest(f_search_words($1)) AS w, unnest(w.positions) AS p(pos)) AS words
$$;

-- The stored folded text and its trigram index go first, or the backfill below would recompute the
-- one and update the other for every row. A search without a word folds the columns as it runs.
DROP INDEX models_search_idx;
ALTER TABLE models DROP COLUMN search_text;

-- A constant default is kept in the catalog: no table rewrite either. The trigger fills new rows.
ALTER TABLE models ADD COLUMN search_words tsvector NOT NULL DEFAULT '';

CREATE FUNCTION models_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_words := f_search_words(NEW.code || ' ' || NEW.title || ' ' || NEW.summary);
  RETURN NEW;
END $$;
CREATE TRIGGER models_search_words BEFORE INSERT OR UPDATE OF code, title, summary ON models
FOR EACH ROW EXECUTE FUNCTION models_search_words();

-- Existing rows: one UPDATE (about N s at 1M models, README), holding the table's write lock.
UPDATE models SET search_words = f_search_words(code || ' ' || title || ' ' || summary);

CREATE INDEX models_search_words_idx ON models USING gin (search_words);

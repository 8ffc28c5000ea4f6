-- The model search by words (README, Benchmarks): Vietnamese syllables are short, so their trigrams
-- are common and the trigram index re-checked tens of thousands of rows per search at 1M models.
-- Words of code, title and summary go into a tsvector column kept by a trigger (added without a
-- table rewrite, unlike a stored generated column) with a GIN index.

-- The text folded as sql/0002's search_text was (lower case, no diacritics, đ -> d), with ASCII
-- punctuation as spaces: the default parser would read "MH-2024-000123" as "mh", "-2024", "-000123" (signed
-- numbers), so "2024-000123" or "000123" would not find the code.
CREATE FUNCTION f_search_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT translate(f_unaccent(lower($1)), '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', repeat(' ', 32)) $$;

-- Each two adjacent words of a folded text as one lexeme "_a_b": the words the 'simple' configuration
-- indexes (every token but blanks, tags, protocols and entities), in order. '_' is folded to a space,
-- so no word holds it and no word's prefix matches a pair. Why pairs: Vietnamese words are short and
-- common ("tho" is thơ, thọ, thợ, thổ), so a phrase looked up word by word reads long posting lists,
-- and a prefix (cam:*) collects the rows of every word it starts; a pair (_tho_cam:*) is rare.
CREATE FUNCTION f_search_pairs(folded text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT
AS $$
DECLARE
  previous text;
  word text;
  pairs text[] := '{}';
BEGIN
  FOR word IN SELECT token FROM ts_parse('default', folded) WHERE tokid NOT IN (12, 13, 14, 23) LOOP
    IF octet_length(word) > 1000 THEN
      word := NULL; -- too long for a lexeme with its neighbour: no pair
    ELSIF previous IS NOT NULL THEN
      pairs := pairs || ('_' || previous || '_' || word);
    END IF;
    previous := word;
  END LOOP;
  RETURN pairs;
END $$;

-- What the column holds: the words with their positions (for phrases) and the pairs (for the index).
CREATE FUNCTION f_search_words(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT to_tsvector('simple'::regconfig, folded) || array_to_tsvector(f_search_pairs(folded)) FROM f_search_fold($1) AS folded $$;

-- A search as a phrase of its words, the last one a prefix (typing "dan van kh" finds "dân vận
-- khéo"): 'dan' <-> 'van' <-> 'kh':*. Built from the lexemes, each quoted, so no text can add
-- tsquery operators; NULL when the text has no word.
CREATE FUNCTION f_search_query(text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT string_agg(
           CASE WHEN previous IS NULL THEN '' ELSE ' <' || (pos - previous) || '> ' END
             || '''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''''
             || CASE WHEN pos = last THEN ':*' ELSE '' END,
           '' ORDER BY pos)::tsquery
  FROM (SELECT w.lexeme, p.pos, lag(p.pos) OVER (ORDER BY p.pos) AS previous, max(p.pos) OVER () AS last
        FROM unnest(to_tsvector('simple'::regconfig, f_search_fold($1))) AS w, unnest(w.positions) AS p(pos)) AS words
$$;

-- What the index looks up for a search: every pair of the phrase, the last one a prefix
-- ('_dan_van' & '_van_kh':*), which every model with the phrase holds; the phrase itself
-- (f_search_query) is then checked on those rows. One word is looked up as itself; NULL without a word.
CREATE FUNCTION f_search_index_query(text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT coalesce(
           (SELECT string_agg('''' || replace(replace(pair, '\', '\\'), '''', '''''') || '''' || CASE WHEN n = count THEN ':*' ELSE '' END, ' & ' ORDER BY n)::tsquery
            FROM (SELECT pair, n, count(*) OVER () AS count FROM unnest(f_search_pairs(f_search_fold($1))) WITH ORDINALITY AS pairs(pair, n)) AS pairs),
           f_search_query($1))
$$;

-- The stored folded text and its trigram index go first, or the backfill below would recompute the
-- one and update the other for every row. A search without a word folds the columns as it runs.
DROP INDEX models_search_idx;
ALTER TABLE models DROP COLUMN search_text;

-- A constant default is kept in the catalog: no table rewrite either. The trigger fills new rows.
ALTER TABLE models ADD COLUMN search_words tsvector NOT NULL DEFAULT '';

-- Words and pairs take ~1,5 KB a model: with the default (rows over ~2 KB toasted) most would go to the
-- TOAST table, and every row a search tests would cost a TOAST index lookup and more blocks. Rows stay
-- whole up to a page (a summary is at most 5.000 characters).
ALTER TABLE models SET (toast_tuple_target = 8160);
-- The planner's estimates of a search come from the most common elements of this column; with pairs
-- the default 100 keeps only lexemes in 10 % of models or more, so every rarer pair is guessed at 0,5 %
-- and a rare phrase ("thổ cẩm", 98 models) was listed by scanning the table newest first.
ALTER TABLE models ALTER COLUMN search_words SET STATISTICS 1000;

CREATE FUNCTION models_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_words := f_search_words(NEW.code || ' ' || NEW.title || ' ' || NEW.summary);
  RETURN NEW;
END $$;
CREATE TRIGGER models_search_words BEFORE INSERT OR UPDATE OF code, title, summary ON models
FOR EACH ROW EXECUTE FUNCTION models_search_words();

-- Existing rows: one UPDATE (an estimated 6 minutes at 1M models with the pairs, and ~2 minutes for the
-- index below; README, Benchmarks), holding the table's write lock.
UPDATE models SET search_words = f_search_words(code || ' ' || title || ' ' || summary);

CREATE INDEX models_search_words_idx ON models USING gin (search_words);

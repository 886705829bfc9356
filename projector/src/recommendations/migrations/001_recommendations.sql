-- Outputs only: the engine's inputs are the events themselves (a lease holder warms its
-- in-memory state by replaying them up to the checkpoint), so nothing here is ever read back.

-- Per user, the titles to show, best first, as one JSON array of [titleId, score, [reason
-- codes]] (see lists.ts: the read views fill in the media type and each reason's text). The
-- user id '*' holds the list for people with no history at all: trending and popular titles.
-- Each user keeps the top 50 overall plus the top 20 of each media type, so `type=` filters
-- and paging have enough. One row per user rather than one per title: a rebuild writes
-- 100,000 rows instead of 5,000,000, and a re-score replaces one row.
-- `jsonb` (since version 4; `json` before): the view takes every item's fields out of the
-- binary form, where json had them parsed out of the item's text once per field (PostgreSQL's
-- CPU for a first page 0.29 → 0.20 ms). The price is on writing: a list costs PostgreSQL about
-- a third more CPU than as json when compressed with lz4, 1.8 times as much with pglz (jsonb is
-- ~2.4 times the bytes to compress), hence lz4 where the server has it.
CREATE TABLE recommendations (
  user_id text PRIMARY KEY,
  items jsonb NOT NULL
);
DO $$
BEGIN
  -- EXECUTE: PostgreSQL 13 has no SET COMPRESSION (a syntax error when run, not when parsed).
  EXECUTE 'ALTER TABLE recommendations ALTER COLUMN items SET COMPRESSION lz4';
EXCEPTION WHEN syntax_error OR feature_not_supported THEN
  NULL; -- PostgreSQL 13, or a server built without lz4: pglz
END
$$;

-- Title names, for the reasons' texts ("Because you rated Alien 9/10"): filled in when read,
-- so a list stores a title id, not its name.
CREATE TABLE title_names (
  title_id text PRIMARY KEY,
  name text NOT NULL
);

-- Per title, the most similar titles from the same item-item model (`score` 0..1).
CREATE TABLE similar_titles (
  title_id text NOT NULL,
  rank integer NOT NULL,
  similar_id text NOT NULL,
  score double precision NOT NULL,
  PRIMARY KEY (title_id, rank)
);

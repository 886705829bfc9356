-- Outputs only: the engine's inputs are the events themselves (a lease holder warms its
-- in-memory state by replaying them up to the checkpoint), so nothing here is ever read back.

-- Per user, the titles to show, best first (`rank` from 1). The user id '*' holds the list for
-- people with no history at all: trending and popular titles.
-- Each user keeps the top 50 overall plus the top 20 of each media type, so `type=` filters and
-- paging have enough rows.
CREATE TABLE recommendations (
  user_id text NOT NULL,
  rank integer NOT NULL,
  title_id text NOT NULL,
  media_type text NOT NULL,
  score double precision NOT NULL,
  reasons jsonb NOT NULL,
  PRIMARY KEY (user_id, rank)
);
CREATE INDEX recommendations_media_type ON recommendations (user_id, media_type, rank);

-- Per title, the most similar titles from the same item-item model (`score` 0..1).
CREATE TABLE similar_titles (
  title_id text NOT NULL,
  rank integer NOT NULL,
  similar_id text NOT NULL,
  score double precision NOT NULL,
  PRIMARY KEY (title_id, rank)
);

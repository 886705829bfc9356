-- Erased users keep a tombstone (erased_at, no name) so late events of theirs stay ignored;
-- the read view hides them.
CREATE TABLE users (
  user_id text PRIMARY KEY,
  display_name text,
  registered_at timestamptz,
  erased_at timestamptz,
  position text NOT NULL
);

CREATE TABLE title_stats (
  title_id text PRIMARY KEY,
  rating_count integer NOT NULL CHECK (rating_count >= 0),
  rating_sum integer NOT NULL CHECK (rating_sum >= 0),
  rating_average numeric(4, 2) GENERATED ALWAYS AS (
    CASE WHEN rating_count > 0 THEN round(rating_sum::numeric / rating_count, 2) END
  ) STORED,
  watch_count integer NOT NULL CHECK (watch_count >= 0),
  list_count integer NOT NULL CHECK (list_count >= 0),
  trending_score double precision,
  last_activity_at timestamptz,
  updated_at timestamptz NOT NULL,
  position text NOT NULL
);
-- No sort indexes: every rating would rewrite them, and sorting the catalog's few thousand
-- rows joined with titles is cheap for the query side.

CREATE TABLE ratings (
  user_id text NOT NULL,
  title_id text NOT NULL,
  score integer NOT NULL,
  review text,
  contains_spoilers boolean NOT NULL,
  rated_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  position text NOT NULL,
  PRIMARY KEY (user_id, title_id)
);
CREATE INDEX ratings_user_recent ON ratings (user_id, updated_at DESC, title_id);
CREATE INDEX ratings_title ON ratings (title_id);

CREATE TABLE lists (
  list_id text PRIMARY KEY,
  owner_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL,
  visibility text NOT NULL,
  kind text NOT NULL,
  item_count integer NOT NULL CHECK (item_count >= 0),
  -- Next free ord: items appended at the end without reading the list.
  next_ord integer NOT NULL,
  version integer NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  position text NOT NULL
);
CREATE INDEX lists_owner ON lists (owner_id);

CREATE TABLE list_items (
  list_id text NOT NULL,
  title_id text NOT NULL,
  note text,
  ord integer NOT NULL,
  added_at timestamptz NOT NULL,
  position text NOT NULL,
  PRIMARY KEY (list_id, title_id)
);
CREATE INDEX list_items_order ON list_items (list_id, ord);
CREATE INDEX list_items_title ON list_items (title_id);

CREATE TABLE diary (
  entry_id text PRIMARY KEY,
  user_id text NOT NULL,
  title_id text NOT NULL,
  watched_on date NOT NULL,
  rewatch boolean NOT NULL,
  logged_at timestamptz NOT NULL,
  position text NOT NULL
);
CREATE INDEX diary_user_recent ON diary (user_id, watched_on DESC, logged_at DESC, entry_id);
CREATE INDEX diary_user_title ON diary (user_id, title_id);

CREATE TABLE preferences (
  user_id text PRIMARY KEY,
  liked_genres integer[] NOT NULL,
  disliked_genres integer[] NOT NULL,
  liked_people integer[] NOT NULL,
  languages text[] NOT NULL,
  media_types text[] NOT NULL,
  updated_at timestamptz NOT NULL,
  position text NOT NULL
);

CREATE TABLE feed (
  position text PRIMARY KEY,
  kind text NOT NULL,
  user_id text NOT NULL,
  title_id text,
  list_id text,
  entry_id text,
  data jsonb NOT NULL,
  occurred_at timestamptz NOT NULL
);
-- The removal rules (unrate, item removed, list hidden or deleted, entry removed, user erased).
CREATE INDEX feed_user_title ON feed (user_id, title_id);
CREATE INDEX feed_list_title ON feed (list_id, title_id) WHERE list_id IS NOT NULL;
CREATE INDEX feed_entry ON feed (entry_id) WHERE entry_id IS NOT NULL;

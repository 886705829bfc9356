CREATE TABLE titles (
  title_id text PRIMARY KEY,
  media_type text NOT NULL,
  tmdb_id integer NOT NULL,
  imdb_id text,
  title text NOT NULL,
  original_title text NOT NULL,
  overview text NOT NULL,
  release_date date,
  year integer,
  runtime_minutes integer,
  original_language text NOT NULL,
  genre_ids integer[] NOT NULL,
  genres text[] NOT NULL,
  keywords jsonb NOT NULL,
  "cast" jsonb NOT NULL,
  directors jsonb NOT NULL,
  poster_path text,
  poster_url text,
  backdrop_path text,
  backdrop_url text,
  popularity double precision NOT NULL,
  vote_average double precision NOT NULL,
  vote_count integer NOT NULL,
  watch_providers jsonb NOT NULL,
  number_of_seasons integer,
  number_of_episodes integer,
  status text,
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, title), 'A') ||
    setweight(to_tsvector('simple'::regconfig, original_title), 'B') ||
    setweight(to_tsvector('english'::regconfig, overview), 'C')
  ) STORED,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  position text NOT NULL
);
CREATE INDEX titles_title_trgm ON titles USING gin (title public.gin_trgm_ops);
CREATE INDEX titles_original_title_trgm ON titles USING gin (original_title public.gin_trgm_ops);
CREATE INDEX titles_search ON titles USING gin (search);
CREATE INDEX titles_genre_ids ON titles USING gin (genre_ids);
CREATE INDEX titles_popularity ON titles (popularity DESC, title_id);
CREATE INDEX titles_year ON titles (year);
CREATE INDEX titles_release_date ON titles (release_date DESC NULLS LAST, title_id);
CREATE INDEX titles_media_type ON titles (media_type);

CREATE TABLE title_people (
  title_id text NOT NULL,
  role text NOT NULL,
  person_id integer NOT NULL,
  name text NOT NULL,
  character text,
  ord integer NOT NULL,
  PRIMARY KEY (title_id, role, person_id)
);
CREATE INDEX title_people_person ON title_people (person_id);

CREATE TABLE people (
  person_id integer PRIMARY KEY,
  name text NOT NULL,
  title_count integer NOT NULL
);

CREATE TABLE genres (
  genre_id integer PRIMARY KEY,
  name text NOT NULL,
  media_types text[] NOT NULL
);

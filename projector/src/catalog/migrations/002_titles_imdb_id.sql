-- Imports match rows by IMDb id (command-api imports/match.ts: imdb_id = ANY($1)). Partial:
-- most titles have an id, but the ones without never match an equality anyway.
CREATE INDEX titles_imdb_id ON titles (imdb_id) WHERE imdb_id IS NOT NULL;

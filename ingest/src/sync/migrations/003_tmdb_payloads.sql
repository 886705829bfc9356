-- The latest TMDb details response per title, as TMDb sent it (gzip-compressed JSON), so that
-- `npm run ingest -- --renormalize` can derive the catalog events again after a mapping change
-- without asking TMDb. Kept here, not in events: it is raw input, replaced by every fetch.

CREATE TABLE tmdb_payloads (
  title_id    text PRIMARY KEY,
  media_type  text NOT NULL CHECK (media_type IN ('movie', 'tv')),
  tmdb_id     integer NOT NULL,
  -- The sync source that fetched it (`tmdb`, `demo`): renormalizing holds that source's sync lock.
  source      text NOT NULL,
  payload     bytea NOT NULL,
  -- Of the uncompressed JSON: an unchanged response is not written again.
  sha256      bytea NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- Already gzip-compressed: PostgreSQL's own TOAST compression would only spend time on it.
ALTER TABLE tmdb_payloads ALTER COLUMN payload SET STORAGE EXTERNAL;

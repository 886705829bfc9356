-- Titles an import needs but the catalog lacks, for ingest to fetch from TMDb (see
-- imports/title-requests.ts and ingest/src/find/). One row per external id, shared by every
-- import: a title found once is answered at once the next time.
CREATE TABLE title_requests (
  external_id  text PRIMARY KEY, -- imdb:tt0078748, tmdb:movie:348, tmdb:tv:1396
  status       text NOT NULL DEFAULT 'pending', -- pending, found, missing
  title_id     text,
  reason       text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  claimed_at   timestamptz,
  done_at      timestamptz
);
CREATE INDEX title_requests_pending ON title_requests (requested_at) WHERE status = 'pending';

-- Ingest's request loop says here that it runs (only with a TMDb credential does it).
CREATE TABLE title_fetchers (
  fetcher text PRIMARY KEY,
  seen_at timestamptz NOT NULL
);

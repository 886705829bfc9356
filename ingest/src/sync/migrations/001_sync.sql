-- Progress of catalog syncs, so a run that dies halfway is resumed instead of redone.

CREATE TABLE sync_runs (
  run_id        uuid PRIMARY KEY,
  source        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('running', 'completed')),
  pages         integer NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  -- Set once the run's work list is complete; until then a resumed run discovers again.
  discovered_at timestamptz,
  -- Where this run's change-feed window ended; the source's checkpoint once the run completes.
  changes_until timestamptz,
  finished_at   timestamptz,
  summary       jsonb
);

-- One run at a time per source: a second process resumes the running one instead of racing it.
CREATE UNIQUE INDEX sync_runs_one_running ON sync_runs (source) WHERE status = 'running';

-- The latest sync of each title per source.
CREATE TABLE title_syncs (
  source         text NOT NULL,
  title_id       text NOT NULL,
  media_type     text NOT NULL CHECK (media_type IN ('movie', 'tv')),
  tmdb_id        integer NOT NULL,
  run_id         uuid NOT NULL REFERENCES sync_runs (run_id),
  status         text NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  -- Failed attempts since the last success; a failed title is retried by later runs up to a limit.
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  outcome        text CHECK (outcome IN ('imported', 'updated', 'unchanged')),
  last_synced_at timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, title_id)
);

CREATE INDEX title_syncs_pending ON title_syncs (run_id) WHERE status = 'pending';

CREATE TABLE change_checkpoints (
  source        text PRIMARY KEY,
  synced_until  timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

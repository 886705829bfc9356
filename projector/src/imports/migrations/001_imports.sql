CREATE TABLE imports (
  import_id text PRIMARY KEY,
  user_id text NOT NULL,
  source text NOT NULL,
  file_name text NOT NULL,
  status text NOT NULL,
  rows integer NOT NULL,
  matched integer NOT NULL,
  imported integer NOT NULL,
  already_present integer NOT NULL,
  unmatched_count integer NOT NULL,
  unmatched jsonb NOT NULL,
  failure text,
  started_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  position text NOT NULL
);
CREATE INDEX imports_user ON imports (user_id);

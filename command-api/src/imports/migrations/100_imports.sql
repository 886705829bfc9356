-- Uploaded import files, kept until their import finished so that a process that stops mid-way
-- can start the import again (the deciders make a restart add nothing twice). Erasing the
-- account deletes them with it.
CREATE TABLE imports (
  import_id      uuid PRIMARY KEY,
  user_id        uuid NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
  source         text NOT NULL,
  file_name      text NOT NULL,
  content        bytea,
  correlation_id text NOT NULL,
  status         text NOT NULL DEFAULT 'running',
  attempts       integer NOT NULL DEFAULT 0,
  heartbeat_at   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX imports_running ON imports (created_at) WHERE status = 'running';
CREATE INDEX imports_user ON imports (user_id) WHERE status = 'running';

-- The demo community (src/community/): seeded once per database, after the demo catalog.
-- `anchor` (when the first attempt started) and `title_ids` (the catalog it was planned on) are
-- kept so that a seed killed half-way is resumed with exactly the same events.

CREATE TABLE demo_community (
  community    text PRIMARY KEY,
  anchor       timestamptz NOT NULL,
  title_ids    text[] NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  summary      jsonb
);


-- One row per built (or building) version of a projection, each in its own schema.
-- The checkpoint is compare-and-set in the same transaction as the read-model changes.
CREATE TABLE projections (
  schema_name text PRIMARY KEY,
  projection text NOT NULL,
  version integer NOT NULL,
  status text NOT NULL CHECK (status IN ('building', 'serving', 'retired')),
  checkpoint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  serving_since timestamptz
);
CREATE UNIQUE INDEX projections_one_serving ON projections (projection) WHERE status = 'serving';
CREATE UNIQUE INDEX projections_one_building ON projections (projection) WHERE status = 'building';

-- Live notices of the serving versions, written in the projection's transaction: the query
-- side serves `since` backfill from here and NATS carries the very same rows.
CREATE TABLE live_updates (
  channel text NOT NULL,
  position text NOT NULL,
  data jsonb NOT NULL,
  projection text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, position)
);
CREATE INDEX live_updates_created_at ON live_updates (created_at);

-- Rebuild generations: a replay of the same version gets a fresh schema name.
CREATE SEQUENCE generations;

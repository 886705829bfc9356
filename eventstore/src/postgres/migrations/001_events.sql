-- Streams hold the optimistic-concurrency version; appends lock the stream row first.
CREATE TABLE streams (
  stream_id text PRIMARY KEY,
  version integer NOT NULL CHECK (version > 0)
);

-- The global order is (transaction_id, global_position), never global_position alone:
-- sequence values become visible in commit order, not number order. Readers only read rows
-- whose transaction is older than every transaction still running (the snapshot's xmin).
CREATE TABLE events (
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  global_position bigint GENERATED ALWAYS AS IDENTITY,
  stream_id text NOT NULL,
  version integer NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data json NOT NULL,
  metadata json NOT NULL,
  PRIMARY KEY (transaction_id, global_position),
  CONSTRAINT events_stream_version UNIQUE (stream_id, version),
  CONSTRAINT events_event_id UNIQUE (event_id)
);

-- One round trip per append. p_expected: >= 0 exact version (0 = no stream), -1 any,
-- -2 stream must exist. Returns the stream's actual version and no position on a conflict.
CREATE FUNCTION append_events(p_stream text, p_expected integer, p_events json)
RETURNS TABLE (next_version integer, transaction_id text, last_position bigint)
LANGUAGE plpgsql AS $$
DECLARE
  n integer := json_array_length(p_events);
  v integer;
BEGIN
  -- The stream-version write comes first: it takes the row lock that orders appends to one stream.
  IF p_expected = 0 THEN
    INSERT INTO streams AS s VALUES (p_stream, n) ON CONFLICT (stream_id) DO NOTHING RETURNING s.version INTO v;
  ELSIF p_expected > 0 THEN
    UPDATE streams AS s SET version = s.version + n
      WHERE s.stream_id = p_stream AND s.version = p_expected RETURNING s.version INTO v;
  ELSIF p_expected = -2 THEN
    UPDATE streams AS s SET version = s.version + n WHERE s.stream_id = p_stream RETURNING s.version INTO v;
  ELSE
    INSERT INTO streams AS s VALUES (p_stream, n)
      ON CONFLICT (stream_id) DO UPDATE SET version = s.version + n RETURNING s.version INTO v;
  END IF;

  IF v IS NULL THEN
    RETURN QUERY SELECT coalesce((SELECT s.version FROM streams s WHERE s.stream_id = p_stream), 0), NULL::text, NULL::bigint;
    RETURN;
  END IF;

  RETURN QUERY
    WITH inserted AS (
      INSERT INTO events (stream_id, version, event_id, type, data, metadata)
      SELECT p_stream, v - n + e.ord::integer, e.event_id, e.type, e.data, e.metadata
      FROM ROWS FROM (json_to_recordset(p_events) AS (event_id uuid, type text, data json, metadata json))
        WITH ORDINALITY AS e(event_id, type, data, metadata, ord)
      ORDER BY e.ord
      RETURNING events.global_position
    )
    SELECT v, pg_current_xact_id()::text, max(inserted.global_position) FROM inserted;
END;
$$;

-- Two projections may announce the same event on the same channel (a rating changes both
-- "your rating" and "your recommendations" on `me`): each keeps its own row.
ALTER TABLE live_updates DROP CONSTRAINT live_updates_pkey;
ALTER TABLE live_updates ADD PRIMARY KEY (channel, position, projection);

-- A list is 2-4 KB of jsonb once compressed (70 items), so stored EXTENDED every one went out of
-- line into the TOAST table: reading a page of it also probed the TOAST index and fetched its
-- chunks. MAIN keeps it compressed in the row; PostgreSQL moves a MAIN value out of line only
-- when the row would not fit a page otherwise. On the bench's lists (1,801 people), a page's
-- read ran at 8,900-11,400 per second against 7,100-10,600 (pgbench, one client, three pairs)
-- and writing them cost 2-11 % less. Lists written before move into their rows when re-scored.
ALTER TABLE recommendations ALTER COLUMN items SET STORAGE MAIN;

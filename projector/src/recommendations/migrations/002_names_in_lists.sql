-- Since version 5 each list item carries the names of the titles its reasons mention
-- (`[titleId, score, [reason codes], {titleId: name}]`, see lists.ts), so a page reads no name
-- table: its look-up per item was 14 % of a page's database time.
DROP TABLE title_names;

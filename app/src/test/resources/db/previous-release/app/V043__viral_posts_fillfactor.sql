-- Room on each page of viral_posts_bank for the cascade's updates. Every worker claims a post by
-- stamping its *_locked_at column before it works; a stamp touches no indexed column, so PostgreSQL
-- can write the new row version beside the old one on the same page (a HOT update: no new entry in
-- the table's fourteen indexes) when the page has room. Full pages, the default, forced a new
-- version on another page and an entry in every index for each claim.
ALTER TABLE viral_posts_bank SET (fillfactor = 70);

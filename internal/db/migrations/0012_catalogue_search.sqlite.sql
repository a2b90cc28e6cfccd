-- The words the catalogue's index holds, with how many items hold each: what
-- a search that finds nothing is corrected against ("kripik" to "keripik").
-- fts5vocab reads the index itself, so it is never out of step.
CREATE VIRTUAL TABLE items_fts_vocab USING fts5vocab(items_fts, row);

-- The words the catalogue's index holds: what a search that finds nothing is
-- corrected against ("kripik" to "keripik"). Every word an item's search
-- document has ever held is kept (a word no item holds any more only makes a
-- correction that finds nothing, which is not shown). Byte order ("C"), so
-- the words beginning with a letter are one range of the primary key.
CREATE TABLE catalog_words (
    word TEXT COLLATE "C" PRIMARY KEY
);
INSERT INTO catalog_words (word) SELECT DISTINCT w.lexeme FROM items i, unnest(i.search) w WHERE i.search IS NOT NULL;

CREATE FUNCTION catalog_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_words (word) SELECT lexeme FROM unnest(NEW.search) ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER catalog_words_insert AFTER INSERT ON items
    FOR EACH ROW WHEN (NEW.search IS NOT NULL) EXECUTE FUNCTION catalog_words_add();
CREATE TRIGGER catalog_words_update AFTER UPDATE ON items
    FOR EACH ROW WHEN (NEW.search IS NOT NULL AND NEW.search IS DISTINCT FROM OLD.search) EXECUTE FUNCTION catalog_words_add();

-- The search index takes each change at once instead of in a pending list:
-- a list left by a bulk load (the seeder, an import) was read through by
-- every search until a vacuum (17 ms a search at 20,000 items, against
-- 0.1 ms after). The gallery's writes are few; its visitors' searches many.
ALTER INDEX items_search SET (fastupdate = off);
SELECT gin_clean_pending_list('items_search'::regclass);

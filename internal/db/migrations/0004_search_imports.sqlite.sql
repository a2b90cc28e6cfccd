-- Full-text search of applications on SQLite: an FTS5 table whose rowid is the
-- application's id, holding its number, business name, owner's name and
-- regency. Triggers keep it in step in the same transaction as the change, so
-- every writer (the services, the import, a bulk load) keeps it right without
-- knowing it exists. unicode61 folds case and diacritics and splits on
-- anything but letters and digits ("GAL-2026-00001" is gal, 2026, 00001), as
-- internal/application splits what is typed; the prefix indexes make the
-- search-as-you-type prefix queries ("kerip*") cheap.
CREATE VIRTUAL TABLE applications_fts USING fts5(number, business, owner, regency,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER applications_fts_insert AFTER INSERT ON applications BEGIN
    INSERT INTO applications_fts (rowid, number, business, owner, regency)
    SELECT NEW.id, NEW.number, b.name, b.owner_name, COALESCE(r.name, '')
    FROM businesses b LEFT JOIN regencies r ON r.code = b.regency_code WHERE b.id = NEW.business_id;
END;

CREATE TRIGGER applications_fts_update AFTER UPDATE OF number, business_id ON applications BEGIN
    DELETE FROM applications_fts WHERE rowid = OLD.id;
    INSERT INTO applications_fts (rowid, number, business, owner, regency)
    SELECT NEW.id, NEW.number, b.name, b.owner_name, COALESCE(r.name, '')
    FROM businesses b LEFT JOIN regencies r ON r.code = b.regency_code WHERE b.id = NEW.business_id;
END;

CREATE TRIGGER applications_fts_delete AFTER DELETE ON applications BEGIN
    DELETE FROM applications_fts WHERE rowid = OLD.id;
END;

-- The profile form saves every field each time: rewrite the documents only
-- when what they hold changed.
CREATE TRIGGER businesses_fts_update AFTER UPDATE OF name, owner_name, regency_code ON businesses
WHEN OLD.name IS NOT NEW.name OR OLD.owner_name IS NOT NEW.owner_name OR OLD.regency_code IS NOT NEW.regency_code BEGIN
    DELETE FROM applications_fts WHERE rowid IN (SELECT id FROM applications WHERE business_id = NEW.id);
    INSERT INTO applications_fts (rowid, number, business, owner, regency)
    SELECT a.id, a.number, NEW.name, NEW.owner_name, COALESCE((SELECT name FROM regencies WHERE code = NEW.regency_code), '')
    FROM applications a WHERE a.business_id = NEW.id;
END;

INSERT INTO applications_fts (rowid, number, business, owner, regency)
SELECT a.id, a.number, b.name, b.owner_name, COALESCE(r.name, '')
FROM applications a JOIN businesses b ON b.id = a.business_id LEFT JOIN regencies r ON r.code = b.regency_code;

-- Full-text search of accounts on SQLite, as of applications (0004): an FTS5
-- table whose rowid is the user's id, holding the name and the contacts. The
-- phone is held both as stored (+6281234567890 is the word 6281234567890) and
-- as people write it (081234567890), so "0812" finds it as a prefix. Triggers
-- keep it in step in the same transaction as every change.
CREATE VIRTUAL TABLE users_fts USING fts5(name, contact,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, name, contact) VALUES (NEW.id, NEW.name,
        concat_ws(' ', NEW.email, NEW.phone, CASE WHEN NEW.phone LIKE '+62%' THEN '0' || substr(NEW.phone, 4) END));
END;

CREATE TRIGGER users_fts_update AFTER UPDATE OF name, email, phone ON users
WHEN OLD.name IS NOT NEW.name OR OLD.email IS NOT NEW.email OR OLD.phone IS NOT NEW.phone BEGIN
    DELETE FROM users_fts WHERE rowid = OLD.id;
    INSERT INTO users_fts (rowid, name, contact) VALUES (NEW.id, NEW.name,
        concat_ws(' ', NEW.email, NEW.phone, CASE WHEN NEW.phone LIKE '+62%' THEN '0' || substr(NEW.phone, 4) END));
END;

CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    DELETE FROM users_fts WHERE rowid = OLD.id;
END;

INSERT INTO users_fts (rowid, name, contact)
SELECT id, name, concat_ws(' ', email, phone, CASE WHEN phone LIKE '+62%' THEN '0' || substr(phone, 4) END) FROM users;

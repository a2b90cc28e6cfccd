-- Full-text search of accounts on PostgreSQL, as of applications (0004): a
-- tsvector of the name and the contacts behind a GIN index, the phone both as
-- stored and as people write it (081234567890), everything but letters and
-- digits turned into spaces as the words typed are split.
ALTER TABLE users ADD COLUMN search tsvector;

CREATE FUNCTION users_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := to_tsvector('simple', regexp_replace(lower(concat_ws(' ', NEW.name, NEW.email, NEW.phone,
        CASE WHEN NEW.phone LIKE '+62%' THEN '0' || substr(NEW.phone, 4) END)), '[^[:alnum:]]+', ' ', 'g'));
    RETURN NEW;
END
$$;
CREATE TRIGGER users_search BEFORE INSERT OR UPDATE OF name, email, phone ON users
    FOR EACH ROW EXECUTE FUNCTION users_search_doc();
UPDATE users SET name = name;
CREATE INDEX users_search_idx ON users USING GIN (search);

-- Full-text search of applications on PostgreSQL: a tsvector column on the
-- application with its number, business name, owner's name and regency, behind
-- a GIN index. Triggers keep it in step in the same transaction as the change,
-- so every writer keeps it right without knowing it exists. The 'simple'
-- configuration (no stemming: names, not prose) after turning everything but
-- letters and digits into spaces, as internal/application splits what is typed
-- and as SQLite's unicode61 does ("GAL-2026-00001" is gal, 2026, 00001; the
-- default parser would read -2026 as a signed number). [:alnum:] follows the
-- database's character type: with C.UTF-8 or another UTF-8 locale, letters
-- beyond ASCII are kept as letters, as Go's unicode.IsLetter keeps them.
CREATE FUNCTION etalase_search_doc(number TEXT, business TEXT, owner TEXT, regency_code TEXT) RETURNS tsvector
LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', regexp_replace(lower(concat_ws(' ', number, business, owner,
        (SELECT r.name FROM regencies r WHERE r.code = regency_code))), '[^[:alnum:]]+', ' ', 'g'))
$$;

ALTER TABLE applications ADD COLUMN search tsvector;

CREATE FUNCTION applications_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT etalase_search_doc(NEW.number, b.name, b.owner_name, b.regency_code) INTO NEW.search
    FROM businesses b WHERE b.id = NEW.business_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER applications_search BEFORE INSERT OR UPDATE OF number, business_id ON applications
    FOR EACH ROW EXECUTE FUNCTION applications_search_doc();

-- The profile form saves every field each time: rewrite the documents only
-- when what they hold changed.
CREATE FUNCTION businesses_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE applications SET search = etalase_search_doc(number, NEW.name, NEW.owner_name, NEW.regency_code)
    WHERE business_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER businesses_search AFTER UPDATE OF name, owner_name, regency_code ON businesses
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.owner_name IS DISTINCT FROM NEW.owner_name
        OR OLD.regency_code IS DISTINCT FROM NEW.regency_code)
    EXECUTE FUNCTION businesses_search_doc();

UPDATE applications a SET search = etalase_search_doc(a.number, b.name, b.owner_name, b.regency_code)
FROM businesses b WHERE b.id = a.business_id;
CREATE INDEX applications_search ON applications USING GIN (search);

-- The ledger is append-only: no movement is ever changed or deleted.
CREATE FUNCTION stock_movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock movements are append-only: post a reversing movement';
END
$$;
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
    FOR EACH ROW EXECUTE FUNCTION stock_movements_append_only();

-- Category and regency follow the product and the business.
CREATE FUNCTION items_follow_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE items SET category = NEW.category WHERE product_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER items_follow_product AFTER UPDATE OF category ON products
    FOR EACH ROW WHEN (OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION items_follow_product();
CREATE FUNCTION items_follow_business() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE items SET regency_code = NEW.regency_code WHERE business_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER items_follow_business AFTER UPDATE OF regency_code ON businesses
    FOR EACH ROW WHEN (OLD.regency_code IS DISTINCT FROM NEW.regency_code) EXECUTE FUNCTION items_follow_business();

-- The catalogue's full-text search: a tsvector on the item with the product's
-- name, category and description, the business and its regency, behind a GIN
-- index; 'simple' (no stemming) after folding the common accented letters and
-- turning everything but letters and digits into spaces, as the SQLite side's
-- unicode61 with remove_diacritics does.
CREATE FUNCTION etalase_fold(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(translate(lower(t), 'áàâäãåéèêëíìîïóòôöõúùûüýÿñç', 'aaaaaaeeeeiiiiooooouuuuyync'), '[^[:alnum:]]+', ' ', 'g')
$$;
CREATE FUNCTION etalase_item_doc(product BIGINT, business BIGINT) RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', etalase_fold(concat_ws(' ', p.name, p.category, p.description, b.name, r.name)))
    FROM products p, businesses b LEFT JOIN regencies r ON r.code = b.regency_code
    WHERE p.id = product AND b.id = business
$$;

ALTER TABLE items ADD COLUMN search tsvector;
CREATE INDEX items_search ON items USING GIN (search);

CREATE FUNCTION items_search_doc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := etalase_item_doc(NEW.product_id, NEW.business_id);
    RETURN NEW;
END
$$;
CREATE TRIGGER items_search BEFORE INSERT OR UPDATE OF product_id, business_id ON items
    FOR EACH ROW EXECUTE FUNCTION items_search_doc();

CREATE FUNCTION items_search_product() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE items SET search = etalase_item_doc(product_id, business_id) WHERE product_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER items_search_product AFTER UPDATE OF name, category, description ON products
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.category IS DISTINCT FROM NEW.category
        OR OLD.description IS DISTINCT FROM NEW.description) EXECUTE FUNCTION items_search_product();
CREATE FUNCTION items_search_business() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE items SET search = etalase_item_doc(product_id, business_id) WHERE business_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER items_search_business AFTER UPDATE OF name, regency_code ON businesses
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.regency_code IS DISTINCT FROM NEW.regency_code)
    EXECUTE FUNCTION items_search_business();

-- The ledger is append-only: no movement is ever changed or deleted.
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements BEGIN
    SELECT RAISE(ABORT, 'stock movements are append-only: post a reversing movement');
END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements BEGIN
    SELECT RAISE(ABORT, 'stock movements are append-only: post a reversing movement');
END;

-- Category and regency follow the product and the business.
CREATE TRIGGER items_product_category AFTER UPDATE OF category ON products WHEN OLD.category IS NOT NEW.category BEGIN
    UPDATE items SET category = NEW.category WHERE product_id = NEW.id;
END;
CREATE TRIGGER items_business_regency AFTER UPDATE OF regency_code ON businesses WHEN OLD.regency_code IS NOT NEW.regency_code BEGIN
    UPDATE items SET regency_code = NEW.regency_code WHERE business_id = NEW.id;
END;

-- The catalogue's full-text search: an FTS5 table whose rowid is the item's
-- id, with the product's name, category and description, the business and its
-- regency. unicode61 folds case and diacritics ("kopi" finds "Kopí").
CREATE VIRTUAL TABLE items_fts USING fts5(name, category, description, business, regency,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, name, category, description, business, regency)
    SELECT NEW.id, p.name, p.category, p.description, b.name, COALESCE(r.name, '')
    FROM products p JOIN businesses b ON b.id = p.business_id LEFT JOIN regencies r ON r.code = b.regency_code
    WHERE p.id = NEW.product_id;
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    DELETE FROM items_fts WHERE rowid = OLD.id;
END;
CREATE TRIGGER items_fts_product AFTER UPDATE OF name, category, description ON products
WHEN OLD.name IS NOT NEW.name OR OLD.category IS NOT NEW.category OR OLD.description IS NOT NEW.description BEGIN
    DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE product_id = NEW.id);
    INSERT INTO items_fts (rowid, name, category, description, business, regency)
    SELECT i.id, NEW.name, NEW.category, NEW.description, b.name, COALESCE(r.name, '')
    FROM items i JOIN businesses b ON b.id = i.business_id LEFT JOIN regencies r ON r.code = b.regency_code
    WHERE i.product_id = NEW.id;
END;
CREATE TRIGGER items_fts_business AFTER UPDATE OF name, regency_code ON businesses
WHEN OLD.name IS NOT NEW.name OR OLD.regency_code IS NOT NEW.regency_code BEGIN
    DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE business_id = NEW.id);
    INSERT INTO items_fts (rowid, name, category, description, business, regency)
    SELECT i.id, p.name, p.category, p.description, NEW.name, COALESCE((SELECT name FROM regencies WHERE code = NEW.regency_code), '')
    FROM items i JOIN products p ON p.id = i.product_id
    WHERE i.business_id = NEW.id;
END;

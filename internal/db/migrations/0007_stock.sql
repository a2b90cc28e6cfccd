-- SOP step 9 and what follows it: gallery items, the consignment stock ledger
-- with lots and expiry, locations, consignment terms, and the public
-- catalogue's thumbnails. Engine files add the append-only guard on movements
-- and the catalogue's full-text search.

-- Where stock is: the gallery, another outlet, an event stand (pameran).
CREATE TABLE stock_locations (
    id {{id}},
    code TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 30),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind TEXT NOT NULL CHECK (kind IN ('gallery', 'outlet', 'event')),
    address TEXT NOT NULL DEFAULT '',
    starts_on TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD, for an event stand
    ends_on TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{ts}} NOT NULL
);

-- The consignment agreement with an SME: its period, the gallery's share (in
-- basis points: 1500 is 15 %, may be zero) and how many days an item may stay
-- unsold before it goes back.
CREATE TABLE consignment_terms (
    business_id BIGINT PRIMARY KEY REFERENCES businesses(id),
    starts_on TEXT NOT NULL CHECK (length(starts_on) = 10),
    ends_on TEXT NOT NULL CHECK (length(ends_on) = 10),
    share_bp INTEGER NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
    consignment_days INTEGER NOT NULL CHECK (consignment_days BETWEEN 1 AND 3650),
    updated_by BIGINT REFERENCES users(id),
    updated_at {{ts}} NOT NULL,
    CHECK (ends_on >= starts_on)
);

-- A gallery item (SKU): a passed product put on display. Category and regency
-- are copied from the product and the business (and kept in step by triggers)
-- so the catalogue filters on one table's indexes. on_hand is the sum of the
-- item's balances, kept in the same transaction as every movement.
CREATE TABLE items (
    id {{id}},
    product_id BIGINT NOT NULL UNIQUE REFERENCES products(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    sku TEXT NOT NULL UNIQUE,
    barcode TEXT NOT NULL UNIQUE CHECK (length(barcode) = 13),
    barcode_source TEXT NOT NULL CHECK (barcode_source IN ('sme', 'store')),
    price BIGINT NOT NULL CHECK (price > 0),           -- the gallery's selling price, Rupiah
    sme_price BIGINT NOT NULL CHECK (sme_price >= 0),  -- what the SME asks, Rupiah
    share_bp INTEGER CHECK (share_bp IS NULL OR share_bp BETWEEN 0 AND 10000), -- NULL: the SME's terms
    location_id BIGINT NOT NULL REFERENCES stock_locations(id), -- where it is displayed
    shelf TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'displayed' CHECK (status IN ('displayed', 'paused', 'withdrawn')),
    low_stock INTEGER NOT NULL DEFAULT 0 CHECK (low_stock >= 0), -- tell the SME at or below this
    on_hand BIGINT NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    category TEXT NOT NULL DEFAULT '',
    regency_code TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL
);
CREATE INDEX items_business ON items (business_id, id);
CREATE INDEX items_application ON items (application_id);
CREATE INDEX items_listed ON items (id) WHERE status = 'displayed' AND on_hand > 0;
CREATE INDEX items_listed_category ON items (category, id) WHERE status = 'displayed' AND on_hand > 0;
CREATE INDEX items_listed_regency ON items (regency_code, id) WHERE status = 'displayed' AND on_hand > 0;

-- A lot of an item: what one production run delivered, with its expiry date
-- ('' when the goods do not expire) and production code.
CREATE TABLE stock_lots (
    id {{id}},
    item_id BIGINT NOT NULL REFERENCES items(id),
    code TEXT NOT NULL DEFAULT '',
    expires_on TEXT NOT NULL DEFAULT '',
    created_at {{ts}} NOT NULL,
    UNIQUE (item_id, code, expires_on)
);
CREATE INDEX stock_lots_expiry ON stock_lots (expires_on, id) WHERE expires_on <> '';

-- A document every movement belongs to: a handover (receipt), a return, a
-- transfer, an adjustment, and the kinds the point of sale, the stock count
-- and the settlement will post. number is the paper's number; key makes a
-- client's retry post once.
CREATE TABLE stock_documents (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('receipt', 'return', 'transfer', 'adjustment', 'correction',
        'sale', 'sale_return', 'count', 'settlement')),
    number TEXT NOT NULL UNIQUE,
    business_id BIGINT REFERENCES businesses(id),
    idempotency_key TEXT UNIQUE,
    note TEXT NOT NULL DEFAULT '',
    reverses_id BIGINT REFERENCES stock_documents(id),
    created_by BIGINT REFERENCES users(id),
    created_at {{ts}} NOT NULL
);
CREATE INDEX stock_documents_business ON stock_documents (business_id, id);

-- The ledger. Append-only (the engine files refuse UPDATE and DELETE): a
-- mistake is corrected by a movement that reverses it (reverses_id). qty is
-- signed: into the location positive, out of it negative.
CREATE TABLE stock_movements (
    id {{id}},
    document_id BIGINT NOT NULL REFERENCES stock_documents(id),
    line INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('received', 'returned', 'transfer_out', 'transfer_in', 'count_difference',
        'expired', 'damaged', 'sold', 'sale_returned')),
    item_id BIGINT NOT NULL REFERENCES items(id),
    lot_id BIGINT NOT NULL REFERENCES stock_lots(id),
    location_id BIGINT NOT NULL REFERENCES stock_locations(id),
    qty BIGINT NOT NULL CHECK (qty <> 0),
    unit_price BIGINT CHECK (unit_price IS NULL OR unit_price >= 0),
    reason TEXT NOT NULL DEFAULT '',
    reverses_id BIGINT UNIQUE REFERENCES stock_movements(id),
    actor_id BIGINT REFERENCES users(id),
    at {{ts}} NOT NULL,
    UNIQUE (document_id, line)
);
CREATE INDEX stock_movements_item ON stock_movements (item_id, id);
CREATE INDEX stock_movements_item_kind ON stock_movements (item_id, kind, at);
CREATE INDEX stock_movements_lot ON stock_movements (lot_id, location_id);

-- What is where: one row per lot and location, changed only with a movement
-- in the same transaction, never below zero.
CREATE TABLE stock_balances (
    lot_id BIGINT NOT NULL REFERENCES stock_lots(id),
    location_id BIGINT NOT NULL REFERENCES stock_locations(id),
    item_id BIGINT NOT NULL REFERENCES items(id),
    qty BIGINT NOT NULL CHECK (qty >= 0),
    updated_at {{ts}} NOT NULL,
    PRIMARY KEY (lot_id, location_id)
);
CREATE INDEX stock_balances_item ON stock_balances (item_id, location_id);

-- Catalogue thumbnails, made once per photo and width.
CREATE TABLE catalog_images (
    document_id BIGINT NOT NULL REFERENCES documents(id),
    width INTEGER NOT NULL CHECK (width > 0),
    content_type TEXT NOT NULL,
    data {{blob}} NOT NULL,
    created_at {{ts}} NOT NULL,
    PRIMARY KEY (document_id, width)
);

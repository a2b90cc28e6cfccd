-- SOP steps 1–3: the working-day calendar, applicants' businesses and products,
-- applications and their history, documents, and samples.

-- The Office's working-day calendar. A year is "covered" once its decree (SKB 3
-- Menteri) has been entered; the 2026 calendar is added on first start.
CREATE TABLE calendar_years (
    year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    decree TEXT NOT NULL CHECK (length(decree) BETWEEN 1 AND 300),
    updated_at {{ts}} NOT NULL
);

CREATE TABLE holidays (
    day TEXT PRIMARY KEY CHECK (length(day) = 10),   -- YYYY-MM-DD, a WIB calendar day
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind TEXT NOT NULL CHECK (kind IN ('libur_nasional', 'cuti_bersama')),
    decree TEXT NOT NULL DEFAULT '',
    updated_at {{ts}} NOT NULL
);

-- Numbering of applications, receipts...: one row per series and year.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

-- An applicant's business (one per applicant account). Fields are empty while
-- the form is a draft; completeness is checked when the application is submitted.
CREATE TABLE businesses (
    id {{id}},
    owner_id BIGINT NOT NULL UNIQUE REFERENCES users(id),
    name TEXT NOT NULL DEFAULT '',
    owner_name TEXT NOT NULL DEFAULT '',
    nik_sealed {{blob}},                   -- AES-GCM, see internal/vault
    nik_hash TEXT,                         -- keyed hash, to find the same NIK twice
    nik_masked TEXT NOT NULL DEFAULT '',   -- 3578********0001, for lists
    nib TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    province_code TEXT NOT NULL DEFAULT '',
    regency_code TEXT NOT NULL DEFAULT '',
    whatsapp TEXT NOT NULL DEFAULT '',     -- E.164
    email TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    size TEXT NOT NULL DEFAULT '' CHECK (size IN ('', 'mikro', 'kecil', 'menengah', 'besar')),
    year_started INTEGER CHECK (year_started IS NULL OR year_started BETWEEN 1900 AND 2100),
    links TEXT NOT NULL DEFAULT '',        -- social media and marketplace links, one per line
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL
);
CREATE INDEX businesses_nik_hash ON businesses (nik_hash);

CREATE TABLE products (
    id {{id}},
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    category TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    composition TEXT NOT NULL DEFAULT '',
    net_content TEXT NOT NULL DEFAULT '',   -- as on the label: "250 g", "330 ml"
    packaging TEXT NOT NULL DEFAULT '',
    shelf_life_days INTEGER CHECK (shelf_life_days IS NULL OR shelf_life_days > 0),
    price BIGINT CHECK (price IS NULL OR price >= 0),          -- Rupiah, to consumers
    capacity_per_month INTEGER CHECK (capacity_per_month IS NULL OR capacity_per_month >= 0),
    pirt TEXT NOT NULL DEFAULT '',
    halal TEXT NOT NULL DEFAULT '',
    bpom TEXT NOT NULL DEFAULT '',
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL
);
CREATE INDEX products_business ON products (business_id);

CREATE TABLE applications (
    id {{id}},
    number TEXT NOT NULL UNIQUE,           -- GAL-2026-00001
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    state TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'documents_returned', 'awaiting_sample',
        'in_curation', 'decided', 'announced', 'feedback_sent', 'awaiting_display', 'on_display', 'referred', 'withdrawn')),
    state_since {{ts}} NOT NULL,
    step INTEGER,                          -- the SOP step whose clock runs now, if any
    due_at {{ts}},                         -- when that step is due
    source TEXT NOT NULL DEFAULT 'online' CHECK (source IN ('online', 'loket', 'impor')),
    created_by BIGINT REFERENCES users(id),
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL
);
CREATE INDEX applications_business ON applications (business_id);
CREATE INDEX applications_due ON applications (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE application_products (
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products(id),
    decision TEXT NOT NULL DEFAULT '' CHECK (decision IN ('', 'passed', 'not_passed')),
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (application_id, product_id)
);

-- Every transition of an application: the timeline and the time-standard report
-- are read from here.
CREATE TABLE application_events (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    at {{ts}} NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    step INTEGER,                          -- the step whose clock started
    due_at {{ts}}
);
CREATE INDEX application_events_app ON application_events (application_id, id);

-- Uploaded documents. Files live under the data directory (never served
-- directly); this row is the only way to them.
CREATE TABLE documents (
    id {{id}},
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    product_id BIGINT REFERENCES products(id),
    kind TEXT NOT NULL CHECK (kind IN ('ktp', 'nib', 'pirt', 'halal', 'bpom', 'sni', 'hki', 'lainnya', 'foto_produk')),
    number TEXT NOT NULL DEFAULT '',
    issued_on TEXT NOT NULL DEFAULT '',    -- YYYY-MM-DD
    expires_on TEXT NOT NULL DEFAULT '',
    storage_key TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    original_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'returned', 'replaced')),
    review_reason TEXT NOT NULL DEFAULT '',
    reviewed_by BIGINT REFERENCES users(id),
    reviewed_at {{ts}},
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at {{ts}} NOT NULL,
    replaces_id BIGINT REFERENCES documents(id)
);
CREATE INDEX documents_business ON documents (business_id, kind);

-- Samples handed over for curation (SOP step 3), one row per product.
CREATE TABLE samples (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    expiry_date TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD
    production_code TEXT NOT NULL DEFAULT '',
    net_content TEXT NOT NULL DEFAULT '',
    condition TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    received_by BIGINT NOT NULL REFERENCES users(id),
    received_at {{ts}} NOT NULL,
    UNIQUE (application_id, product_id)
);

CREATE TABLE sample_receipts (
    id {{id}},
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id) ON DELETE CASCADE,
    number TEXT NOT NULL UNIQUE,           -- TTS-2026-00001
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at {{ts}} NOT NULL
);

-- Staff pages at speed: an index behind every filter and keyset page, the
-- regency names the full-text search reads (the engine files add the search
-- itself: FTS5 on SQLite, tsvector on PostgreSQL), the purge of old sign-in
-- failures by time, indexes on the foreign keys that point at users and
-- products (undoing an import deletes thousands of each), and the import's
-- stored files and batches.

-- The regencies by name, as internal/idn lists them, so the search documents
-- can carry "Kota Malang" for 3573. A test in internal/application checks that
-- this table and idn agree; a later change to idn's list needs a migration that
-- changes this table and rebuilds the search documents.
CREATE TABLE regencies (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
INSERT INTO regencies (code, name) VALUES
    ('3501', 'Kabupaten Pacitan'),
    ('3502', 'Kabupaten Ponorogo'),
    ('3503', 'Kabupaten Trenggalek'),
    ('3504', 'Kabupaten Tulungagung'),
    ('3505', 'Kabupaten Blitar'),
    ('3506', 'Kabupaten Kediri'),
    ('3507', 'Kabupaten Malang'),
    ('3508', 'Kabupaten Lumajang'),
    ('3509', 'Kabupaten Jember'),
    ('3510', 'Kabupaten Banyuwangi'),
    ('3511', 'Kabupaten Bondowoso'),
    ('3512', 'Kabupaten Situbondo'),
    ('3513', 'Kabupaten Probolinggo'),
    ('3514', 'Kabupaten Pasuruan'),
    ('3515', 'Kabupaten Sidoarjo'),
    ('3516', 'Kabupaten Mojokerto'),
    ('3517', 'Kabupaten Jombang'),
    ('3518', 'Kabupaten Nganjuk'),
    ('3519', 'Kabupaten Madiun'),
    ('3520', 'Kabupaten Magetan'),
    ('3521', 'Kabupaten Ngawi'),
    ('3522', 'Kabupaten Bojonegoro'),
    ('3523', 'Kabupaten Tuban'),
    ('3524', 'Kabupaten Lamongan'),
    ('3525', 'Kabupaten Gresik'),
    ('3526', 'Kabupaten Bangkalan'),
    ('3527', 'Kabupaten Sampang'),
    ('3528', 'Kabupaten Pamekasan'),
    ('3529', 'Kabupaten Sumenep'),
    ('3571', 'Kota Kediri'),
    ('3572', 'Kota Blitar'),
    ('3573', 'Kota Malang'),
    ('3574', 'Kota Probolinggo'),
    ('3575', 'Kota Pasuruan'),
    ('3576', 'Kota Mojokerto'),
    ('3577', 'Kota Madiun'),
    ('3578', 'Kota Surabaya'),
    ('3579', 'Kota Batu');

-- The due list reads "due by the end of today", most urgent first, a page at a
-- time after the last (due_at, id) shown.
DROP INDEX applications_due;
CREATE INDEX applications_due ON applications (due_at, id) WHERE due_at IS NOT NULL;

-- Every list shows when each application was first submitted: the first
-- 'submit' of its history, found in this index alone.
CREATE INDEX application_events_action ON application_events (application_id, action, at);

-- Old sign-in failures are purged by time, now and then, not on every sign-in.
CREATE INDEX login_failures_at ON login_failures (at);

-- Both engines look up the referencing rows when a row is deleted; without an
-- index on the referencing column that is a scan of the table per deleted row.
-- Undoing an import deletes thousands of users and products at once.
CREATE INDEX application_events_actor ON application_events (actor_id);
CREATE INDEX applications_created_by ON applications (created_by);
CREATE INDEX application_products_product ON application_products (product_id);
CREATE INDEX documents_product ON documents (product_id);
CREATE INDEX documents_uploaded_by ON documents (uploaded_by);
CREATE INDEX documents_reviewed_by ON documents (reviewed_by);
CREATE INDEX samples_product ON samples (product_id);
CREATE INDEX samples_received_by ON samples (received_by);
CREATE INDEX sample_receipts_created_by ON sample_receipts (created_by);
CREATE INDEX product_decisions_decided_by ON product_decisions (decided_by);

-- A file uploaded for import, kept between the check and the real run so the
-- clerk does not choose it again, and so that any server process can do
-- either. Named by the SHA-256 of a random key; removed when it expires.
CREATE TABLE import_files (
    token_hash TEXT PRIMARY KEY,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL DEFAULT '',
    content {{blob}} NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    created_at {{ts}} NOT NULL,
    expires_at {{ts}} NOT NULL
);
CREATE INDEX import_files_expires ON import_files (expires_at);

-- One check (dry run) or real run of an import. It runs in the background of
-- the process that accepted it, in short transactions that each move
-- rows_done on; that process stamps heartbeat_at as it goes, so any process
-- can tell a run whose process died (state running, heartbeat old) and show
-- it as interrupted. A check keeps its report; a real run starts only from a
-- check of the same file and rows that found no problem, and everything it
-- creates carries its id, so it can be undone.
CREATE TABLE import_batches (
    id {{id}},
    kind TEXT NOT NULL CHECK (kind IN ('check', 'import')),
    file_key TEXT NOT NULL DEFAULT '',       -- import_files.token_hash of the file read
    then_import BOOLEAN NOT NULL DEFAULT FALSE, -- a check asked to go on into the real run when it passes
    next_batch_id BIGINT,                    -- the real run a passed check went on into
    report TEXT NOT NULL DEFAULT '',         -- a finished check's report, as JSON
    created_by BIGINT NOT NULL REFERENCES users(id),
    file_name TEXT NOT NULL DEFAULT '',
    skip_rows TEXT NOT NULL DEFAULT '',      -- spreadsheet rows left out, "4, 9"
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'interrupted', 'undone')),
    rows_total INTEGER NOT NULL CHECK (rows_total >= 0),
    rows_done INTEGER NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
    imported INTEGER NOT NULL DEFAULT 0,     -- applications created
    error_text_id TEXT NOT NULL DEFAULT '',  -- why it failed, in words (Indonesian)
    error_text_en TEXT NOT NULL DEFAULT '',  -- the same in English
    owner TEXT NOT NULL DEFAULT '',          -- host and process running it
    heartbeat_at {{ts}} NOT NULL,
    created_at {{ts}} NOT NULL,
    finished_at {{ts}}
);

ALTER TABLE users ADD COLUMN import_batch_id BIGINT REFERENCES import_batches(id);
ALTER TABLE businesses ADD COLUMN import_batch_id BIGINT REFERENCES import_batches(id);
ALTER TABLE products ADD COLUMN import_batch_id BIGINT REFERENCES import_batches(id);
ALTER TABLE applications ADD COLUMN import_batch_id BIGINT REFERENCES import_batches(id);
CREATE INDEX users_import_batch ON users (import_batch_id) WHERE import_batch_id IS NOT NULL;
CREATE INDEX businesses_import_batch ON businesses (import_batch_id) WHERE import_batch_id IS NOT NULL;
CREATE INDEX products_import_batch ON products (import_batch_id) WHERE import_batch_id IS NOT NULL;
CREATE INDEX applications_import_batch ON applications (import_batch_id) WHERE import_batch_id IS NOT NULL;

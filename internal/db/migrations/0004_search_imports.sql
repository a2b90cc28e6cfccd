-- Staff lists at speed: an index behind every filter and keyset page, the
-- regency names the full-text search reads (the engine files add the search
-- itself: FTS5 on SQLite, tsvector on PostgreSQL), and the purge of old
-- sign-in failures by time.

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

-- Old sign-in failures are purged by time, now and then, not on every sign-in.
CREATE INDEX login_failures_at ON login_failures (at);

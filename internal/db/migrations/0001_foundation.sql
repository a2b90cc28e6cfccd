-- Accounts, sessions, API tokens, login throttling, the audit trail and settings.

CREATE TABLE users (
    id {{id}},
    email TEXT UNIQUE,                 -- lower-cased; NULL when the user signs in by phone
    phone TEXT UNIQUE,                 -- E.164 (+628...); NULL when by e-mail only
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role TEXT NOT NULL CHECK (role IN ('admin', 'staf_galeri', 'kurator', 'bidang', 'pimpinan', 'pemohon')),
    division TEXT CHECK (division IN ('halal', 'standardisasi', 'hki', 'perizinan')),
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    lang TEXT NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL,
    CHECK (email IS NOT NULL OR phone IS NOT NULL),
    -- a division officer belongs to exactly one division; nobody else has one
    CHECK ((role = 'bidang' AND division IS NOT NULL) OR (role <> 'bidang' AND division IS NULL))
);

-- Sessions live in the database so any server process can serve any request.
-- Only a hash of the cookie's token is kept: a stolen backup opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{ts}} NOT NULL,
    last_seen_at {{ts}} NOT NULL,
    expires_at {{ts}} NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, by account and by address, for throttling across processes.
CREATE TABLE login_failures (
    id {{id}},
    key TEXT NOT NULL,
    at {{ts}} NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

CREATE TABLE api_tokens (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,              -- the first characters, to recognise a token in a list
    created_at {{ts}} NOT NULL,
    last_used_at {{ts}},
    revoked_at {{ts}}
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Every change of state, written in the same transaction as the change.
CREATE TABLE audit_log (
    id {{id}},
    at {{ts}} NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    actor_label TEXT NOT NULL,         -- who, as shown (e-mail, "sistem"...), kept if the user goes
    ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,              -- e.g. user.create, session.login, access.denied
    object_type TEXT NOT NULL DEFAULT '',
    object_id TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    before_data TEXT NOT NULL DEFAULT '',
    after_data TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

-- Settings an admin edits (the data-protection officer, for one).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at {{ts}} NOT NULL,
    updated_by BIGINT REFERENCES users(id)
);

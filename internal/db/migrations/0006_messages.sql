-- Messages to applicants and staff (SOP steps 5, 7, 8), referrals to the
-- Office's other divisions, the letters anyone can verify, and one-time links
-- for password reset and activation. River's own tables (river_job and the
-- rest) are created with this migration, in its transaction, by River's own
-- migrator (internal/db/river.go).

-- One row per event, channel and recipient: the unique key is what makes a job
-- that runs twice, or a hook that enqueues twice, send once.
CREATE TABLE messages (
    id {{id}},
    event TEXT NOT NULL,                 -- application.received, documents.returned, ...
    event_key TEXT NOT NULL,             -- this occurrence of the event
    application_id BIGINT REFERENCES applications(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    channel TEXT NOT NULL CHECK (channel IN ('whatsapp', 'email')),
    recipient TEXT NOT NULL,             -- E.164 (+628...) or an e-mail address
    template TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,                  -- the rendered text, as sent
    params TEXT NOT NULL DEFAULT '[]',   -- the template's variables in order (JSON), for WhatsApp templates
    provider TEXT NOT NULL DEFAULT '',
    provider_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'manual', 'sent', 'delivered', 'read', 'failed')),
    error TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until {{ts}},                  -- a worker sending it now holds it until then
    sent_by BIGINT REFERENCES users(id), -- the clerk, for a message sent by hand
    created_at {{ts}} NOT NULL,
    sent_at {{ts}},
    updated_at {{ts}} NOT NULL,
    UNIQUE (event_key, channel, recipient)
);
CREATE INDEX messages_application ON messages (application_id, id);
CREATE INDEX messages_status ON messages (status, id);
CREATE INDEX messages_provider_id ON messages (provider_id) WHERE provider_id <> '';

-- Every attempt to send a message and what came of it.
CREATE TABLE message_attempts (
    id {{id}},
    message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    at {{ts}} NOT NULL,
    provider TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed', 'manual', 'retry')),
    detail TEXT NOT NULL DEFAULT '',
    by_user BIGINT REFERENCES users(id)
);
CREATE INDEX message_attempts_message ON message_attempts (message_id, id);

-- Delivery statuses from the WhatsApp webhook, each applied once.
CREATE TABLE message_statuses (
    provider_id TEXT NOT NULL,
    status TEXT NOT NULL,
    at {{ts}} NOT NULL,
    PRIMARY KEY (provider_id, status)
);

-- The admin's edits of the built-in templates (internal/message/templates.go).
CREATE TABLE message_templates (
    id TEXT NOT NULL,
    lang TEXT NOT NULL CHECK (lang IN ('id', 'en')),
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    updated_by BIGINT REFERENCES users(id),
    updated_at {{ts}} NOT NULL,
    PRIMARY KEY (id, lang)
);

-- Contacts a provider rejected (a number not on WhatsApp, a bounced address):
-- the applicant's profile is flagged for a check until staff clear it.
CREATE TABLE contact_problems (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('whatsapp', 'email')),
    recipient TEXT NOT NULL,
    detail TEXT NOT NULL,
    at {{ts}} NOT NULL,
    cleared_at {{ts}}
);
CREATE INDEX contact_problems_user ON contact_problems (user_id);

-- One-time links: password reset and activation of imported applicants. Only
-- the hash of the token is kept.
CREATE TABLE login_links (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('reset', 'activate')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at {{ts}} NOT NULL,
    expires_at {{ts}} NOT NULL,
    used_at {{ts}}
);
CREATE INDEX login_links_user ON login_links (user_id, created_at);

-- Referrals of an SME to another division (SOP step 8) and what the division did.
CREATE TABLE referrals (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications(id),
    business_id BIGINT NOT NULL REFERENCES businesses(id),
    division TEXT NOT NULL CHECK (division IN ('halal', 'standardisasi', 'hki', 'perizinan')),
    reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    status TEXT NOT NULL CHECK (status IN ('referred', 'contacted', 'in_progress', 'done', 'declined')),
    certificate_number TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    referred_by BIGINT NOT NULL REFERENCES users(id),
    letter_number TEXT NOT NULL DEFAULT '', -- the recommendation letter, once issued (HKI)
    due_at {{ts}},                       -- the division's first answer, 1 working day
    created_at {{ts}} NOT NULL,
    updated_at {{ts}} NOT NULL,
    CHECK (status <> 'done' OR certificate_number <> ''),
    CHECK (status <> 'declined' OR note <> '')
);
CREATE INDEX referrals_division ON referrals (division, status, id);
CREATE INDEX referrals_application ON referrals (application_id);

CREATE TABLE referral_events (
    id {{id}},
    referral_id BIGINT NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    at {{ts}} NOT NULL,
    by_user BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);

-- Every letter Etalase issues, for the public verification page: what the
-- letter itself states, and a fingerprint of its content.
CREATE TABLE letters (
    id {{id}},
    number TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('sample_receipt', 'recommendation', 'announcement')),
    issued_on TEXT NOT NULL,             -- YYYY-MM-DD, in WIB
    subject TEXT NOT NULL,
    office TEXT NOT NULL,
    fingerprint TEXT NOT NULL,           -- SHA-256 of the letter's content, hex
    content TEXT NOT NULL DEFAULT '{}',  -- what the letter states (JSON), to print it again alike; never shown by the verification page
    application_id BIGINT REFERENCES applications(id),
    created_at {{ts}} NOT NULL
);

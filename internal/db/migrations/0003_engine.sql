-- The procedure engine: one open application per business held by the database
-- itself, an index behind the state filter, and curation decisions in a table
-- of their own (filled by the curation capability).

-- At most one open application per business. The list of closed states is
-- sop's terminal states (on_display, referred, withdrawn); a test in
-- internal/application checks the two agree. Before this index the rule was a
-- count before the insert, which let eight concurrent "create draft" calls on
-- PostgreSQL make eight open applications.
CREATE UNIQUE INDEX applications_one_open ON applications (business_id)
    WHERE state NOT IN ('on_display', 'referred', 'withdrawn');

CREATE INDEX applications_state ON applications (state, id);

-- The decision on each product of an application (SOP step 4). One row per
-- product once it is decided; revising a decision before the announcement
-- updates the row (the history keeps the old one in the audit trail).
CREATE TABLE product_decisions (
    application_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('passed', 'not_passed')),
    reason TEXT NOT NULL DEFAULT '',
    decided_by BIGINT REFERENCES users(id),
    decided_at {{ts}} NOT NULL,
    PRIMARY KEY (application_id, product_id),
    FOREIGN KEY (application_id, product_id) REFERENCES application_products (application_id, product_id) ON DELETE CASCADE
);

INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_at)
    SELECT ap.application_id, ap.product_id, ap.decision, ap.reason, a.updated_at
    FROM application_products ap JOIN applications a ON a.id = ap.application_id
    WHERE ap.decision <> '';

ALTER TABLE application_products DROP COLUMN decision;
ALTER TABLE application_products DROP COLUMN reason;

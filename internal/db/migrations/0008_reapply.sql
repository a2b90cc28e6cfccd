-- Re-application (SOP step 7): an applicant whose product did not pass makes a
-- new application linked to the old one. The new draft carries the business,
-- the products that did not pass, and the documents that still hold (accepted
-- and not expired when it was made); which documents it carried is kept, so
-- its page can say so after the documents change.

ALTER TABLE applications ADD COLUMN reapplies_id BIGINT REFERENCES applications(id);
CREATE INDEX applications_reapplies ON applications (reapplies_id);

CREATE TABLE reapplied_documents (
    application_id BIGINT NOT NULL REFERENCES applications(id),
    document_id BIGINT NOT NULL REFERENCES documents(id),
    carried_at {{ts}} NOT NULL,
    PRIMARY KEY (application_id, document_id)
);

-- The round an applicant asked to be curated in, when they submitted for a
-- published open call. It is a wish: staff still put the application in a
-- round (curation_round_applications), with those who asked for it first.
CREATE TABLE curation_round_requests (
    application_id BIGINT PRIMARY KEY REFERENCES applications(id) ON DELETE CASCADE,
    round_id BIGINT NOT NULL REFERENCES curation_rounds(id),
    requested_by BIGINT REFERENCES users(id),
    requested_at {{ts}} NOT NULL
);
CREATE INDEX curation_round_requests_round ON curation_round_requests (round_id);

-- Curation (SOP step 4): rubric versions, rounds, the applications in them,
-- reviewers' assignments, reviews with their scores, and the combined result
-- of each product. The decision per product stays in product_decisions
-- (migration 0003). Rows of a stored rubric version never change: reviews and
-- rounds point at (rubric_id, version).

CREATE TABLE curation_rubrics (
    rubric_id BIGINT NOT NULL,          -- the family; versions share it
    version INTEGER NOT NULL CHECK (version >= 1),
    body TEXT NOT NULL,                 -- curation.Rubric as JSON
    created_by BIGINT REFERENCES users(id),
    created_at {{ts}} NOT NULL,
    PRIMARY KEY (rubric_id, version)
);

CREATE TABLE curation_rounds (
    id {{id}},
    name TEXT NOT NULL,
    rubric_id BIGINT NOT NULL,
    rubric_version INTEGER NOT NULL,
    open_call BOOLEAN NOT NULL DEFAULT FALSE, -- published ahead on the home page
    registration_opens TEXT NOT NULL DEFAULT '',  -- YYYY-MM-DD, WIB
    registration_closes TEXT NOT NULL DEFAULT '',
    curation_on TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users(id),
    created_at {{ts}} NOT NULL,
    announced_at {{ts}},                -- set by the announcement; decisions freeze
    FOREIGN KEY (rubric_id, rubric_version) REFERENCES curation_rubrics (rubric_id, version)
);
CREATE INDEX curation_rounds_call ON curation_rounds (open_call, curation_on);

-- An application is curated in one round.
CREATE TABLE curation_round_applications (
    round_id BIGINT NOT NULL REFERENCES curation_rounds(id),
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications(id) ON DELETE CASCADE,
    added_by BIGINT REFERENCES users(id),
    added_at {{ts}} NOT NULL,
    PRIMARY KEY (round_id, application_id)
);

-- A reviewer assigned to an application. The reviewer declares no conflict of
-- interest before first seeing it; a declared conflict hands it back
-- (released_at) and staff assign someone else.
CREATE TABLE curation_assignments (
    id {{id}},
    round_id BIGINT NOT NULL REFERENCES curation_rounds(id),
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'expert')),
    conflict TEXT NOT NULL DEFAULT '' CHECK (conflict IN ('', 'none', 'declared')),
    conflict_note TEXT NOT NULL DEFAULT '',
    declared_at {{ts}},
    released_at {{ts}},
    assigned_by BIGINT REFERENCES users(id),
    assigned_at {{ts}} NOT NULL,
    UNIQUE (application_id, reviewer_id)
);
CREATE INDEX curation_assignments_reviewer ON curation_assignments (reviewer_id, application_id);

-- One reviewer's review of one product; entered_by is the staff member who
-- typed in an expert's paper scores on their behalf.
CREATE TABLE curation_reviews (
    id {{id}},
    assignment_id BIGINT NOT NULL REFERENCES curation_assignments(id) ON DELETE CASCADE,
    application_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    reviewer_id BIGINT NOT NULL REFERENCES users(id),
    rubric_id BIGINT NOT NULL,
    rubric_version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    note TEXT NOT NULL DEFAULT '',
    entered_by BIGINT REFERENCES users(id),
    reopened_reason TEXT NOT NULL DEFAULT '',
    updated_at {{ts}} NOT NULL,
    submitted_at {{ts}},
    UNIQUE (application_id, product_id, reviewer_id),
    FOREIGN KEY (rubric_id, rubric_version) REFERENCES curation_rubrics (rubric_id, version),
    FOREIGN KEY (application_id, product_id) REFERENCES application_products (application_id, product_id) ON DELETE CASCADE
);

CREATE TABLE curation_scores (
    review_id BIGINT NOT NULL REFERENCES curation_reviews(id) ON DELETE CASCADE,
    criterion TEXT NOT NULL,
    score INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, criterion)
);

-- The combined result of a product, computed once when its required reviews
-- are in (removed again when one of them is reopened).
CREATE TABLE curation_results (
    application_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    round_id BIGINT NOT NULL REFERENCES curation_rounds(id),
    score INTEGER NOT NULL,             -- tenths, 0–1000
    grade TEXT NOT NULL DEFAULT '',
    gate_passed BOOLEAN NOT NULL,
    passed BOOLEAN NOT NULL,            -- what the rules suggest; the expert decides
    combined TEXT NOT NULL,             -- curation.Combined as JSON
    outcome TEXT NOT NULL,              -- curation.Outcome as JSON
    computed_at {{ts}} NOT NULL,
    PRIMARY KEY (application_id, product_id),
    FOREIGN KEY (application_id, product_id) REFERENCES application_products (application_id, product_id) ON DELETE CASCADE
);

-- Photos taken at curation, kept as documents of the business.
CREATE TABLE curation_photos (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications(id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL,
    document_id BIGINT NOT NULL REFERENCES documents(id),
    taken_by BIGINT REFERENCES users(id),
    taken_at {{ts}} NOT NULL
);

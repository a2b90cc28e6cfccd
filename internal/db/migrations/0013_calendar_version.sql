-- A number every edit of the working-day calendar (its years, its holidays)
-- raises in the same transaction, so that a process may keep the calendar it
-- built and read only this row to know whether it is still current.
CREATE TABLE calendar_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO calendar_version (id, version) VALUES (1, 1);

-- The accounts list (admin, and staff picking a reviewer) is ordered by name
-- and paged by (lower(name), id): without this index every page sorted every
-- account, applicants included.
CREATE INDEX users_by_name ON users (lower(name), id);

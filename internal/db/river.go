package db

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// riverMigration is our migration from which on the database also holds the
// schema of River, the job queue behind outgoing messages (internal/message).
// River's tables are made by River's own migrator right after ours, each of its
// versions in a transaction of its own: on PostgreSQL some of River's versions
// cannot share a transaction (an enum value added and used, SQLSTATE 55P04), so
// the two engines do it the same way. A start interrupted between the two finds
// River's schema behind, and CheckSchema completes it (River's tables hold only
// the queue); Migrate brings River up to the version of the River this binary
// is built with.
const riverMigration = 6

// river runs fn with River's migrator for d's engine.
func (d *DB) riverMigrator() (interface {
	Migrate(ctx context.Context, direction rivermigrate.Direction, opts *rivermigrate.MigrateOpts) (*rivermigrate.MigrateResult, error)
	ExistingVersions(ctx context.Context) ([]rivermigrate.Migration, error)
	AllVersions() []rivermigrate.Migration
}, error) {
	cfg := &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if d.Engine == Postgres {
		return rivermigrate.New(riverdatabasesql.New(d.write), cfg)
	}
	return rivermigrate.New(riversqlite.New(d.write), cfg)
}

// migrateRiver brings River's schema up to date; it returns the versions it
// applied.
func (d *DB) migrateRiver(ctx context.Context) ([]string, error) {
	m, err := d.riverMigrator()
	if err != nil {
		return nil, fmt.Errorf("river schema: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return nil, fmt.Errorf("river schema: %w", err)
	}
	var out []string
	for _, v := range res.Versions {
		out = append(out, fmt.Sprintf("river_%03d", v.Version))
	}
	return out, nil
}

// riverBehind reports whether River's schema is older than this binary's River.
func (d *DB) riverBehind(ctx context.Context) (bool, error) {
	m, err := d.riverMigrator()
	if err != nil {
		return false, err
	}
	have, err := m.ExistingVersions(ctx)
	if err != nil {
		// No river_migration table yet.
		return true, nil //nolint:nilerr // absent means behind
	}
	all := m.AllVersions()
	return len(have) == 0 || have[len(have)-1].Version < all[len(all)-1].Version, nil
}

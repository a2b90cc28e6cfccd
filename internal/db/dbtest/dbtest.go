// Package dbtest gives each store test a fresh, migrated database on each engine:
//
//	dbtest.Each(t, func(t *testing.T, d *db.DB) { ... })
//
// runs the body as subtests "sqlite" and "postgres". PostgreSQL is found through
// ETALASE_TEST_POSTGRES (a URL to a database the tests may use to create others),
// else postgres://postgres@127.0.0.1:5432/test. Without it the PostgreSQL half
// skips loudly; ETALASE_REQUIRE_POSTGRES=1 (set by CI) turns that skip into a
// failure, so a green CI always means both engines ran.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/db"
)

// Engines lists the engines Each runs on, in order.
var Engines = []db.Engine{db.SQLite, db.Postgres}

// Each runs fn once per engine, each time on a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh migrated database of engine e, closed and removed when the
// test ends.
func Open(t testing.TB, e db.Engine) *db.DB {
	t.Helper()
	d := OpenEmpty(t, e, true)
	return d
}

// OpenEmpty returns a fresh database of engine e; migrated says whether to build
// the current schema in it (false gives an empty database, for upgrade tests).
func OpenEmpty(t testing.TB, e db.Engine, migrated bool) *db.DB {
	t.Helper()
	ctx := context.Background()
	var d *db.DB
	var err error
	switch e {
	case db.SQLite:
		d, err = db.Open(ctx, "", t.TempDir(), db.Options{})
	case db.Postgres:
		var dsn string
		dsn, err = freshPostgres(t, migrated)
		if err == nil {
			d, err = db.Open(ctx, dsn, "", db.Options{})
		}
	}
	if err != nil {
		t.Fatalf("open %s test database: %v", e, err)
	}
	t.Cleanup(func() { d.Close() })
	if migrated && e == db.SQLite {
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	return d
}

// PostgresURL creates an empty PostgreSQL database for the test and returns its
// URL, for tests that hand a --db URL to the real binary.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u, err := freshPostgres(t, false)
	if err != nil {
		t.Fatalf("create PostgreSQL test database: %v", err)
	}
	return u
}

// AdminURL is the PostgreSQL database the tests connect to in order to create
// their own.
func AdminURL() string {
	if u := os.Getenv("ETALASE_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
	tmplOnce  sync.Once
	tmplName  string
	tmplErr   error
)

func adminDB() (*sql.DB, error) {
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", AdminURL())
		if adminErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		adminErr = admin.PingContext(ctx)
	})
	return admin, adminErr
}

// skipOrFail skips the PostgreSQL half loudly, or fails when CI requires it.
func skipOrFail(t testing.TB, why error) {
	t.Helper()
	msg := fmt.Sprintf("PostgreSQL NOT TESTED: %v (set ETALASE_TEST_POSTGRES to a reachable server)", why)
	if os.Getenv("ETALASE_REQUIRE_POSTGRES") == "1" {
		t.Fatal(msg + "; ETALASE_REQUIRE_POSTGRES=1 forbids skipping")
	}
	t.Skip(msg)
}

// freshPostgres creates a database for one test and returns its URL. A migrated
// database is cloned from a template built once per schema (named by a hash of
// the migrations), which is much faster than migrating each time.
func freshPostgres(t testing.TB, migrated bool) (string, error) {
	t.Helper()
	a, err := adminDB()
	if err != nil {
		skipOrFail(t, err)
	}
	ctx := context.Background()
	name := "etalase_t_" + randomHex(6)
	create := "CREATE DATABASE " + name
	if migrated {
		tmpl, err := template(a)
		if err != nil {
			return "", fmt.Errorf("build template database: %w", err)
		}
		create += " TEMPLATE " + tmpl
	}
	// Cloning needs the template to have no other connections; one lock across all
	// test processes keeps clones and template builds from colliding.
	conn, err := a.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(4207002)"); err != nil {
		return "", err
	}
	_, err = conn.ExecContext(ctx, create)
	_, _ = conn.ExecContext(ctx, "SELECT pg_advisory_unlock(4207002)")
	if err != nil {
		return "", err
	}
	t.Cleanup(func() {
		_, _ = a.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDatabase(AdminURL(), name), nil
}

func template(a *sql.DB) (string, error) {
	tmplOnce.Do(func() {
		tmplName = "etalase_tmpl_" + db.SchemaHash()[:12]
		ctx := context.Background()
		conn, err := a.Conn(ctx)
		if err != nil {
			tmplErr = err
			return
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(4207002)"); err != nil {
			tmplErr = err
			return
		}
		defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(4207002)")
		var exists bool
		if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", tmplName).Scan(&exists); err != nil {
			tmplErr = err
			return
		}
		if exists {
			return
		}
		build := tmplName + "_build_" + randomHex(4)
		if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+build); err != nil {
			tmplErr = err
			return
		}
		d, err := db.Open(ctx, withDatabase(AdminURL(), build), "", db.Options{})
		if err == nil {
			_, err = d.Migrate(ctx)
			d.Close()
		}
		if err == nil {
			// Built under another name and renamed, so a crash half-way never leaves a
			// broken template behind under the real name.
			_, err = conn.ExecContext(ctx, "ALTER DATABASE "+build+" RENAME TO "+tmplName)
		}
		if err != nil {
			_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+build+" WITH (FORCE)")
			tmplErr = err
			return
		}
		// Templates of other schemas are left alone: another checkout (a CI run
		// beside development) may be using one right now. They are small; remove
		// stale ones with: psql -c "DROP DATABASE etalase_tmpl_..."
	})
	return tmplName, tmplErr
}

func withDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SQLitePath is the file of a SQLite test database made in dir (for tests that
// reopen it).
func SQLitePath(dir string) string { return filepath.Join(dir, "etalase.db") }

// Package apptest builds the whole application for a test, through the same
// composition root as the server (internal/app), with password hashing made
// cheap and its files in the test's temporary directory.
package apptest

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/db"
)

// Cheap keeps password hashing fast in tests; the real parameters are tested
// in internal/account.
var Cheap = account.Hasher{MemoryKiB: 64, Time: 1, Threads: 1}

// New returns the application on d (a migrated test database).
func New(t testing.TB, d *db.DB) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), d, app.Config{DataDir: t.TempDir(), Hasher: &Cheap})
	if err != nil {
		t.Fatalf("build the application: %v", err)
	}
	// Background imports end before the database closes (cleanups run in
	// reverse: this one before the database's).
	t.Cleanup(func() { _ = a.Shutdown(context.Background()) })
	return a
}

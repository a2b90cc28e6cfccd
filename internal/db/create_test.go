package db_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/etalase-id/etalase/internal/db"
)

// A new SQLite database appears under its name only once it is whole (the
// crash test in cmd/etalase kills first starts to prove it); here: nothing of
// the building is left behind, and the leftover of a killed creation does not
// stand in the way of the next.
func TestNewSQLiteDatabaseAppearsWhole(t *testing.T) {
	dir := t.TempDir()
	leftover := filepath.Join(dir, ".etalase.db.new-123")
	if err := os.WriteFile(leftover, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(context.Background(), "", dir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := d.QuickCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	d.Close()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{".etalase.db.new-123", "etalase.db"}; !slices.Equal(names, want) {
		t.Errorf("data directory holds %v, want %v", names, want)
	}
	if fi, err := os.Stat(filepath.Join(dir, "etalase.db")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("etalase.db: %v, mode %v, want 0600", err, fi.Mode().Perm())
	}
}

package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

func TestOpenRefusesWhatWouldSilentlyLoseData(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(text, []byte("Daftar UKM binaan 2026\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	short := filepath.Join(dir, "short.db")
	if err := os.WriteFile(short, []byte("SQL"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ dsn, want string }{
		{"sqlite:", "names no file"},
		{"file:", "names no file"},
		{"sqlite:  ", "names no file"},
		{"sqlite::memory:", "in-memory"},
		{"sqlite:" + empty, "is empty (0 bytes): it may have been truncated; restore it from a backup, or remove it to start a new database"},
		{"file:" + empty, "is empty (0 bytes)"},
		{"sqlite:" + text, "is not an SQLite database"},
		{"sqlite:" + short, "is not an SQLite database"},
		{"sqlite:" + dir, "is a directory"},
	}
	for _, c := range cases {
		d, err := db.Open(context.Background(), c.dsn, "", db.Options{})
		if err == nil {
			d.Close()
			t.Errorf("Open(%q) succeeded, want %q", c.dsn, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Open(%q) = %q, want one line saying %q", c.dsn, err, c.want)
		}
	}
	// Nothing was written into the refused files.
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("the empty file was touched: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(text); string(b) != "Daftar UKM binaan 2026\n" {
		t.Errorf("the text file was changed: %q", b)
	}
	// The data directory's default empty dsn still makes a new database.
	d, err := db.Open(context.Background(), "", t.TempDir(), db.Options{})
	if err != nil {
		t.Fatalf("a new database: %v", err)
	}
	d.Close()
}

func TestQuickCheckPassesAHealthyDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if err := d.QuickCheck(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestQuickCheckFindsACorruptedSQLiteFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	d, err := db.Open(ctx, "", dir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	pages := func() int {
		var n int
		if err := d.Q(ctx).QueryRowContext(ctx, "PRAGMA page_count").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := pages()
	err = d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		for i := range 3000 {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)",
				fmt.Sprintf("setting-%05d", i), strings.Repeat("nilai ", 10), tx.Now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := pages()
	var pageSize int
	if err := d.Q(ctx).QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	if err := d.QuickCheck(ctx); err != nil {
		t.Fatalf("before the damage: %v", err)
	}
	d.Close() // checkpoints the WAL into the file

	// Garble the middle of a page the rows filled.
	path := dbtest.SQLitePath(dir)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	page := (before + after) / 2 // 1-based
	junk := []byte(strings.Repeat("\xff", 64))
	if _, err := f.WriteAt(junk, int64(page-1)*int64(pageSize)+int64(pageSize)/2); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	d, err = db.Open(ctx, "", dir, db.Options{})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer d.Close()
	err = d.QuickCheck(ctx)
	if err == nil {
		t.Fatal("QuickCheck passed a damaged file")
	}
	msg := err.Error()
	t.Logf("QuickCheck: %s", msg)
	if !strings.Contains(msg, path+" is damaged: ") || !strings.Contains(msg, "restore it from a backup") || strings.Contains(msg, "\n") {
		t.Fatalf("QuickCheck = %q, want one line naming the file, saying it is damaged and what to do", msg)
	}
}

package db_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

// Paging newest first by id shows every row once, a page at a time, and says
// when the last page is reached.
func TestNewestPageShowsEveryRowOnceNewestFirst(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "CREATE TABLE pages_test (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"); err != nil {
				return err
			}
			for i := 1; i <= 5; i++ {
				if _, err := tx.ExecContext(ctx, "INSERT INTO pages_test (id, name) VALUES (?, ?)", i, "baris"); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		scan := func(r interface{ Scan(...any) error }) (int64, error) {
			var id int64
			var name string
			return id, r.Scan(&id, &name)
		}
		var seen []int64
		before, pages := int64(0), 0
		for {
			q, args := "SELECT id, name FROM pages_test", []any{}
			if before > 0 {
				q, args = q+" WHERE id < ?", append(args, before)
			}
			got, next, err := db.NewestPage(ctx, d.Q(ctx), q+" ORDER BY id DESC LIMIT ?", args, 2, scan, func(id int64) int64 { return id })
			if err != nil {
				t.Fatal(err)
			}
			pages++
			seen = append(seen, got...)
			if next == 0 {
				break
			}
			before = next
		}
		if pages != 3 || len(seen) != 5 || seen[0] != 5 || seen[4] != 1 {
			t.Errorf("%d pages, rows %v; want 3 pages of 5, 4, 3, 2, 1", pages, seen)
		}
	})
}

package db_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/db"
)

// BenchmarkSQLiteCommit measures one small write transaction (the shape of a sale
// or a transition) under each synchronous level, so the cost of FULL — the
// default, because sales and stock are money — is known as a ratio to NORMAL:
//
//	go test -run '^$' -bench SQLiteCommit ./internal/db/
func BenchmarkSQLiteCommit(b *testing.B) {
	for _, level := range []string{"NORMAL", "FULL"} {
		b.Run(level, func(b *testing.B) {
			ctx := context.Background()
			d, err := db.Open(ctx, "", b.TempDir(), db.Options{SQLiteSynchronous: level})
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			if _, err := d.Migrate(ctx); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				i++
				err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
						"bench", i, tx.Now)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/workday"
)

func TestFreshDatabaseGetsTheWholeSchemaAndPassesTheCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		v, err := d.CheckSchema(ctx)
		if err != nil {
			t.Fatalf("CheckSchema on a migrated database: %v", err)
		}
		if v != db.LatestVersion() {
			t.Fatalf("schema version %d, want %d", v, db.LatestVersion())
		}
		applied, err := d.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("migrating again applied %v, err %v; want nothing", applied, err)
		}
	})
}

func TestEmptyDatabaseIsNotOldButMigratesToLatest(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.OpenEmpty(t, e, false)
			if v, err := d.CheckSchema(ctx); err != nil || v != 0 {
				t.Fatalf("empty database: version %d, err %v; want 0, nil", v, err)
			}
			applied, err := d.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != db.LatestVersion() {
				t.Fatalf("applied %v, want %d migrations", applied, db.LatestVersion())
			}
		})
	}
}

func TestDatabaseNewerThanBinaryIsRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", db.LatestVersion()+1, "from_the_future", tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.CheckSchema(ctx); !errors.Is(err, db.ErrSchemaNewer) {
			t.Fatalf("CheckSchema = %v, want ErrSchemaNewer", err)
		}
	})
}

func TestTransactionRollsBackEverythingOnErrorAndNestedCallsJoin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if _, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "a", "1", tx.Now); err != nil {
				return err
			}
			// A nested call runs inside the outer transaction (in a savepoint): it
			// sees the row, and its write is undone with the outer one.
			return d.InTx(ctx, func(ctx context.Context, inner *db.Tx) error {
				if inner != tx {
					t.Error("nested InTx opened a second transaction")
				}
				var n int
				if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil || n != 1 {
					t.Errorf("inside the transaction saw %d rows (err %v), want 1", n, err)
				}
				if _, err := inner.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "b", "2", inner.Now); err != nil {
					return err
				}
				return boom
			})
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		var n int
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); err != nil || n != 0 {
			t.Fatalf("after rollback %d rows remain (err %v), want 0", n, err)
		}
	})
}

func TestTimesRoundTripInUTCAtTheTransactionsNow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		wib := workday.WIB
		d.Now = func() time.Time { return time.Date(2026, 3, 19, 9, 30, 15, 123456789, wib) }
		var stamped time.Time
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			stamped = tx.Now
			_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "k", "v", tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 3, 19, 2, 30, 15, 123456000, time.UTC)
		if !stamped.Equal(want) || stamped.Location() != time.UTC {
			t.Fatalf("tx.Now = %v, want %v in UTC", stamped, want)
		}
		var got time.Time
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT updated_at FROM settings WHERE key = ?", "k").Scan(&got); err != nil {
			t.Fatal(err)
		}
		if !got.Equal(want) {
			t.Fatalf("read back %v, want %v", got, want)
		}
		// Comparisons in SQL work on stored times on both engines.
		var n int
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM settings WHERE updated_at > ? AND updated_at <= ?", want.Add(-time.Second), want).Scan(&n); err != nil || n != 1 {
			t.Fatalf("time range matched %d rows (err %v), want 1", n, err)
		}
	})
}

func TestUniqueAndCheckViolationsAreRecognisedOnBothEngines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		insert := func(key string) error {
			return d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", key, "v", tx.Now)
				return err
			})
		}
		if err := insert("x"); err != nil {
			t.Fatal(err)
		}
		if err := insert("x"); !db.IsUniqueViolation(err) {
			t.Fatalf("duplicate key: %v, want a unique violation", err)
		}
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				"a@b.id", "A", "raja", "x", tx.Now, tx.Now)
			return err
		})
		if !db.IsCheckViolation(err) {
			t.Fatalf("unknown role: %v, want a check violation", err)
		}
	})
}

func TestOpenExplainsAnUnreachablePostgres(t *testing.T) {
	_, err := db.Open(context.Background(), "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2", "", db.Options{})
	if err == nil {
		t.Fatal("opened an unreachable PostgreSQL")
	}
	if !strings.Contains(err.Error(), "cannot reach PostgreSQL") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("error %q should say PostgreSQL is unreachable and hide the password", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error should be one line: %q", err)
	}
}

func TestOpenRefusesAnUnknownDatabaseAddress(t *testing.T) {
	if _, err := db.Open(context.Background(), "mysql://x", t.TempDir(), db.Options{}); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("err = %v, want a hint naming the accepted forms", err)
	}
}

func TestUpgradeFromThePreviousReleaseKeepsTheData(t *testing.T) {
	if db.LatestVersion() < 2 {
		t.Skip("only one schema version exists")
	}
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.OpenEmpty(t, e, false)
			prev := db.LatestVersion() - 1
			if _, err := d.MigrateTo(ctx, prev); err != nil {
				t.Fatal(err)
			}
			if _, err := d.CheckSchema(ctx); !errors.Is(err, db.ErrSchemaOld) {
				t.Fatalf("a database of the previous release: %v, want ErrSchemaOld", err)
			}
			err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO users (email, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
					"lama@galeri.id", "Pengguna Lama", "staf_galeri", "x", tx.Now, tx.Now)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			applied, err := d.Migrate(ctx)
			if err != nil || len(applied) != 1 {
				t.Fatalf("upgrade applied %v, %v", applied, err)
			}
			var name string
			if err := d.Q(ctx).QueryRowContext(ctx, "SELECT name FROM users WHERE email = ?", "lama@galeri.id").Scan(&name); err != nil || name != "Pengguna Lama" {
				t.Fatalf("the user of the previous release: %q %v", name, err)
			}
			if v, err := d.CheckSchema(ctx); err != nil || v != db.LatestVersion() {
				t.Fatalf("after upgrade: %d %v", v, err)
			}
		})
	}
}

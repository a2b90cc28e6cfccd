package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

func put(ctx context.Context, tx *db.Tx, key string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", key, "v", tx.Now)
	return err
}

func keys(t *testing.T, d *db.DB) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := d.Q(ctx).QueryContext(ctx, "SELECT key FROM settings ORDER BY key")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFailedNestedInTxIsContainedAndTheOuterOneCommits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if err := put(ctx, tx, "a"); err != nil {
				return err
			}
			err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				if err := put(ctx, tx, "inner"); err != nil {
					return err
				}
				return put(ctx, tx, "a") // duplicate
			})
			if !db.IsUniqueViolation(err) {
				return fmt.Errorf("nested InTx = %v, want a unique violation", err)
			}
			if errors.Is(err, db.ErrTxFailed) {
				return fmt.Errorf("a contained failure came back as poisoning: %v", err)
			}
			// The outer transaction carries on, on PostgreSQL too.
			return put(ctx, tx, "b")
		})
		if err != nil {
			t.Fatalf("outer InTx: %v", err)
		}
		if got, want := keys(t, d), []string{"a", "b"}; !slices.Equal(got, want) {
			t.Fatalf("committed %v, want %v", got, want)
		}
	})
}

func TestSavepointsNestSeveralDeep(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if err := put(ctx, tx, "outer"); err != nil {
				return err
			}
			return d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				if err := put(ctx, tx, "mid1"); err != nil {
					return err
				}
				err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					if err := put(ctx, tx, "inner"); err != nil {
						return err
					}
					return boom
				})
				if !errors.Is(err, boom) {
					return fmt.Errorf("innermost = %v, want boom", err)
				}
				// A second savepoint of the same depth after the first is gone.
				if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return put(ctx, tx, "inner2") }); err != nil {
					return err
				}
				return put(ctx, tx, "mid2")
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := keys(t, d), []string{"inner2", "mid1", "mid2", "outer"}; !slices.Equal(got, want) {
			t.Fatalf("committed %v, want %v", got, want)
		}
	})
}

func TestAnIgnoredFailureStopsTheCommit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return put(ctx, tx, "taken") }); err != nil {
			t.Fatal(err)
		}
		cases := map[string]func(ctx context.Context, tx *db.Tx) error{
			"exec": func(ctx context.Context, tx *db.Tx) error {
				_ = put(ctx, tx, "taken")
				return nil
			},
			"query row": func(ctx context.Context, tx *db.Tx) error {
				var k string
				_ = tx.QueryRowContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) RETURNING key", "taken", "v", tx.Now).Scan(&k)
				return nil
			},
			"query": func(ctx context.Context, tx *db.Tx) error {
				rows, err := tx.QueryContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) RETURNING key", "taken", "v", tx.Now)
				if err == nil {
					for rows.Next() {
					}
					rows.Close()
				}
				return nil
			},
			"nested that drops its error": func(ctx context.Context, tx *db.Tx) error {
				err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					_ = put(ctx, tx, "taken")
					return nil
				})
				if !errors.Is(err, db.ErrTxFailed) || !db.IsUniqueViolation(err) {
					t.Errorf("nested InTx that dropped an error = %v, want ErrTxFailed wrapping the violation", err)
				}
				return nil
			},
		}
		for name, body := range cases {
			err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				if err := put(ctx, tx, "before"); err != nil {
					return err
				}
				if err := body(ctx, tx); err != nil {
					return err
				}
				// Every later statement is refused, naming the first failure.
				err := put(ctx, tx, "after")
				if !errors.Is(err, db.ErrTxFailed) || !db.IsUniqueViolation(err) {
					t.Errorf("%s: statement after the failure = %v, want ErrTxFailed wrapping the violation", name, err)
				}
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM settings").Scan(&n); !errors.Is(err, db.ErrTxFailed) {
					t.Errorf("%s: query after the failure = %v, want ErrTxFailed", name, err)
				}
				if err := d.InTx(ctx, func(context.Context, *db.Tx) error { return nil }); !errors.Is(err, db.ErrTxFailed) {
					t.Errorf("%s: nested InTx after the failure = %v, want ErrTxFailed", name, err)
				}
				return nil // the caller ignores it all
			})
			if !errors.Is(err, db.ErrTxFailed) || !db.IsUniqueViolation(err) {
				t.Errorf("%s: InTx = %v, want ErrTxFailed wrapping the unique violation", name, err)
			}
			if got, want := keys(t, d), []string{"taken"}; !slices.Equal(got, want) {
				t.Fatalf("%s: committed %v, want only %v", name, got, want)
			}
		}
	})
}

func TestNoRowsIsNotAFailure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			var v string
			if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", "none").Scan(&v); !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("scan = %v, want sql.ErrNoRows", err)
			}
			return put(ctx, tx, "a")
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(t, d); !slices.Equal(got, []string{"a"}) {
			t.Fatalf("committed %v", got)
		}
	})
}

func TestPanicInNestedInTxRollsBackToTheSavepointAndGoesOn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if err := put(ctx, tx, "a"); err != nil {
				return err
			}
			recovered := func() (p any) {
				defer func() { p = recover() }()
				_ = d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					if err := put(ctx, tx, "inner"); err != nil {
						return err
					}
					_ = put(ctx, tx, "a") // fails: PostgreSQL aborts until the rollback to the savepoint
					panic("boom")
				})
				return nil
			}()
			if recovered != "boom" {
				return fmt.Errorf("recovered %v, want the panic to go on up", recovered)
			}
			return put(ctx, tx, "b")
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := keys(t, d), []string{"a", "b"}; !slices.Equal(got, want) {
			t.Fatalf("committed %v, want %v", got, want)
		}

		// A panic that reaches the outermost InTx rolls everything back.
		func() {
			defer func() {
				if p := recover(); p != "outer" {
					t.Errorf("recovered %v, want outer", p)
				}
			}()
			_ = d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				_ = put(ctx, tx, "c")
				panic("outer")
			})
		}()
		if got, want := keys(t, d), []string{"a", "b"}; !slices.Equal(got, want) {
			t.Fatalf("after an outer panic %v, want %v", got, want)
		}
		// And the writer is free again.
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return put(ctx, tx, "d") }); err != nil {
			t.Fatal(err)
		}
	})
}

func TestConcurrentTransactions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var inside, most atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Go(func() {
				errs <- d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					n := inside.Add(1)
					defer inside.Add(-1)
					for {
						m := most.Load()
						if n <= m || most.CompareAndSwap(m, n) {
							break
						}
					}
					if err := put(ctx, tx, fmt.Sprintf("k%d", i)); err != nil {
						return err
					}
					time.Sleep(30 * time.Millisecond)
					return d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
						return put(ctx, tx, fmt.Sprintf("k%d-inner", i))
					})
				})
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if got := keys(t, d); len(got) != 16 {
			t.Fatalf("committed %d rows (%v), want 16", len(got), got)
		}
		switch d.Engine {
		case db.SQLite:
			// One writer connection: write transactions take turns.
			if most.Load() != 1 {
				t.Fatalf("%d SQLite write transactions ran at once, want 1", most.Load())
			}
		case db.Postgres:
			if most.Load() < 2 {
				t.Fatalf("PostgreSQL write transactions never overlapped (at most %d at once)", most.Load())
			}
		}
	})
}

func TestSQLWritesInTheSameTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		q := "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
		if d.Engine == db.Postgres {
			q = "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3)" // not rebound
		}
		boom := errors.New("boom")
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if _, err := tx.SQL().ExecContext(ctx, q, "raw", "v", tx.Now); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if got := keys(t, d); len(got) != 0 {
			t.Fatalf("a write through SQL() outlived the rollback: %v", got)
		}
		err = d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.SQL().ExecContext(ctx, q, "raw", "v", tx.Now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(t, d); !slices.Equal(got, []string{"raw"}) {
			t.Fatalf("committed %v", got)
		}
	})
}

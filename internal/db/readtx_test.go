package db_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
)

func readKeys(ctx context.Context, r db.Reader) ([]string, error) {
	rows, err := r.QueryContext(ctx, "SELECT key FROM settings ORDER BY key")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

func TestReadTxSeesOneSnapshotAndDoesNotHoldUpTheWriter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { return put(ctx, tx, "early") }); err != nil {
			t.Fatal(err)
		}
		err := d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
			// Another goroutine writes and commits while this read is open. On SQLite
			// this would hang if the reader held the write lock.
			wrote := make(chan error, 1)
			go func() {
				wrote <- d.InTx(context.Background(), func(ctx context.Context, tx *db.Tx) error { return put(ctx, tx, "late") })
			}()
			select {
			case err := <-wrote:
				if err != nil {
					return fmt.Errorf("the concurrent write: %w", err)
				}
			case <-time.After(10 * time.Second):
				return errors.New("the writer is blocked by an open ReadTx")
			}
			got, err := readKeys(ctx, r)
			if err != nil {
				return err
			}
			if want := []string{"early"}; !slices.Equal(got, want) {
				return fmt.Errorf("inside ReadTx saw %v, want the snapshot %v", got, want)
			}
			// The read helpers of other packages, reading through Q, share it.
			got, err = readKeys(ctx, d.Q(ctx))
			if err != nil {
				return err
			}
			if want := []string{"early"}; !slices.Equal(got, want) {
				return fmt.Errorf("Q inside ReadTx saw %v, want the snapshot %v", got, want)
			}
			// Outside it, the write is there.
			if got := keys(t, d); !slices.Equal(got, []string{"early", "late"}) {
				return fmt.Errorf("outside ReadTx saw %v, want both rows", got)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestReadTxRefusesToWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		ran := false
		err := d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
			if _, err := d.Q(ctx).ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)", "x", "v", d.Clock(ctx)); !errors.Is(err, db.ErrReadOnly) {
				t.Errorf("ExecContext inside ReadTx = %v, want ErrReadOnly", err)
			}
			if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { ran = true; return put(ctx, tx, "y") }); !errors.Is(err, db.ErrReadOnly) {
				t.Errorf("InTx inside ReadTx = %v, want ErrReadOnly", err)
			}
			return nil // drops the refused write's error
		})
		if !errors.Is(err, db.ErrReadOnly) || !errors.Is(err, db.ErrTxFailed) {
			t.Errorf("ReadTx whose fn dropped an error = %v, want ErrTxFailed wrapping ErrReadOnly", err)
		}
		if ran {
			t.Error("InTx inside ReadTx ran its fn")
		}
		// A write the engine itself refuses (the read transaction is read-only
		// underneath, not only in Go).
		err = d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
			var k string
			return r.QueryRowContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) RETURNING key", "z", "v", d.Clock(ctx)).Scan(&k)
		})
		if !errors.Is(err, db.ErrReadOnly) {
			t.Errorf("INSERT … RETURNING inside ReadTx = %v, want ErrReadOnly", err)
		}
		// Outside any transaction Q reads only, on both engines.
		if _, err := d.Q(ctx).ExecContext(ctx, "DELETE FROM settings"); !errors.Is(err, db.ErrReadOnly) {
			t.Errorf("ExecContext on Q outside a transaction = %v, want ErrReadOnly", err)
		}
		if got := keys(t, d); len(got) != 0 {
			t.Fatalf("written: %v", got)
		}
	})
}

func TestReadTxInsideInTxReadsThroughItWithoutWriting(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			if err := put(ctx, tx, "mine"); err != nil {
				return err
			}
			err := d.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
				got, err := readKeys(ctx, r)
				if err != nil {
					return err
				}
				if !slices.Equal(got, []string{"mine"}) {
					return fmt.Errorf("saw %v, want the transaction's own write", got)
				}
				if !d.Clock(ctx).Equal(tx.Now) {
					return errors.New("the read view has another now")
				}
				_, err = d.Q(ctx).ExecContext(ctx, "DELETE FROM settings")
				return err
			})
			if !errors.Is(err, db.ErrReadOnly) {
				return fmt.Errorf("ExecContext in a ReadTx inside InTx = %v, want ErrReadOnly", err)
			}
			return nil
		})
		// The refused write was a failure of the transaction and ReadTx returned it,
		// but the outer fn dropped it: nothing commits.
		if !errors.Is(err, db.ErrTxFailed) {
			t.Fatalf("InTx = %v, want ErrTxFailed", err)
		}
		if got := keys(t, d); len(got) != 0 {
			t.Fatalf("committed %v", got)
		}
	})
}

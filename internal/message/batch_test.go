package message_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
)

// A batch writes what it gathered once, with a job each: a message recorded
// before is left alone, the same message twice in the batch is one, a part
// undone by its savepoint sends nothing, and a batch that fails writes
// nothing at all.
func TestABatchWritesEachMessageOnceWithItsJobAndNothingThatWasUndone(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ms := w.app.Messages
		before := w.notice("batch:old") // WhatsApp and e-mail, recorded before
		if len(before) != 2 {
			t.Fatalf("%d messages before", len(before))
		}
		enqueue := func(ctx context.Context, tx *db.Tx, key string) error {
			_, err := ms.Enqueue(ctx, tx, message.Notice{Event: message.ResultPassed, Key: key, User: w.owner,
				Vars: map[string]string{"name": w.owner.Name, "number": "GAL-2026-00001"}})
			return err
		}
		var ids []int64
		err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			var err error
			ids, err = ms.InBatch(ctx, tx, func(ctx context.Context) error {
				for _, key := range []string{"batch:old", "batch:new", "batch:new"} {
					if err := enqueue(ctx, tx, key); err != nil {
						return err
					}
				}
				var n int
				if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM messages WHERE event_key = 'batch:new'").Scan(&n); err != nil || n != 0 {
					return fmt.Errorf("%d batched messages written before the batch ended (%v)", n, err)
				}
				undone := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
					if err := enqueue(ctx, tx, "batch:undone"); err != nil {
						return err
					}
					return errors.New("undo this part")
				})
				if undone == nil {
					return errors.New("the savepoint was not undone")
				}
				return nil
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2 {
			t.Fatalf("the batch made %d messages, want the new one on 2 channels", len(ids))
		}
		if n := w.count("SELECT COUNT(*) FROM messages WHERE event_key = 'batch:new'"); n != 2 {
			t.Fatalf("%d rows for the new message", n)
		}
		if n := w.count("SELECT COUNT(*) FROM messages WHERE event_key = 'batch:undone'"); n != 0 {
			t.Fatalf("%d rows for a message whose savepoint was undone", n)
		}
		if n := w.count("SELECT COUNT(*) FROM river_job WHERE kind = 'message_send'"); n != 4 {
			t.Fatalf("%d send jobs, want 2 before and 2 of the batch", n)
		}
		// A batch whose work fails writes nothing.
		err = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := ms.InBatch(ctx, tx, func(ctx context.Context) error {
				if err := enqueue(ctx, tx, "batch:failed"); err != nil {
					return err
				}
				return errors.New("refused")
			})
			return err
		})
		if err == nil || w.count("SELECT COUNT(*) FROM messages WHERE event_key = 'batch:failed'") != 0 {
			t.Fatalf("a failed batch: %v, and its messages were written", err)
		}
		// What the batch wrote is sent, once each.
		w.start()
		for _, id := range ids {
			w.waitStatus(id, message.Manual)
		}
	})
}

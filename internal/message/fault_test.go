package message_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/workday"
)

// counting records every send per message, slowly enough that a stop lands
// in the middle of the work.
type counting struct {
	mu    sync.Mutex
	sends map[int64]int
}

func (c *counting) Name() string { return "counting" }
func (c *counting) Send(_ context.Context, m message.Message) (string, error) {
	time.Sleep(time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sends[m.ID]++
	return fmt.Sprint(m.ID), nil
}
func (c *counting) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sends)
}

func TestStoppingTheQueueMidAnnouncementStillSendsEachMessageOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		p := &counting{sends: map[int64]int{}}
		ms := w.app.Messages
		if err := ms.SetQueue(message.QueueConfig{Workers: 16, PollInterval: 20 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		ms.Providers = func(context.Context, message.Channel) (message.Provider, error) { return p, nil }
		// 500 applicants, each by WhatsApp and e-mail: 1,000 messages (200
		// under the race detector).
		applicants := 500
		if raceEnabled {
			applicants = 100
		}
		var all []int64
		err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			for i := range applicants {
				u := account.User{ID: w.owner.ID, Name: fmt.Sprintf("Pemohon %d", i), Phone: fmt.Sprintf("+62812%07d", i), Email: fmt.Sprintf("p%d@ukm.id", i)}
				ids, err := ms.Enqueue(ctx, tx, message.Notice{Event: message.ResultPassed, Key: fmt.Sprintf("round1:app%d", i), User: u, Vars: map[string]string{"name": u.Name}})
				if err != nil {
					return err
				}
				all = append(all, ids...)
			}
			return nil
		})
		if err != nil || len(all) != 2*applicants {
			t.Fatalf("%d messages: %v", len(all), err)
		}
		ctx, cancel := context.WithCancel(w.ctx)
		if err := ms.Start(ctx); err != nil {
			t.Fatal(err)
		}
		for p.total() < len(all)/5 {
			time.Sleep(5 * time.Millisecond)
		}
		sctx, c := context.WithTimeout(context.Background(), time.Minute)
		if err := ms.Stop(sctx); err != nil {
			t.Fatal(err)
		}
		c()
		cancel()
		stoppedAt := p.total()
		if stoppedAt >= len(all) {
			t.Skip("the queue finished before it could be stopped")
		}
		// A new client, as a restarted process would have.
		if err := ms.SetQueue(message.QueueConfig{Workers: 16, PollInterval: 20 * time.Millisecond}); err != nil {
			t.Fatal(err)
		}
		w.start()
		deadline := time.Now().Add(2 * time.Minute)
		for w.count("SELECT COUNT(*) FROM messages WHERE status <> 'sent'") > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, id := range all {
			if p.sends[id] != 1 {
				t.Fatalf("message %d sent %d times (stopped after %d)", id, p.sends[id], stoppedAt)
			}
		}
		if n := w.count("SELECT COUNT(*) FROM messages WHERE status <> 'sent'"); n != 0 {
			t.Fatalf("%d messages not marked sent", n)
		}
	})
}

func TestStaffAreRemindedOnceADayOfWhatIsLateAndDueTomorrow(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		// Tuesday 3 November 2026, 08:00 WIB.
		now := time.Date(2026, 11, 3, 8, 0, 0, 0, workday.WIB)
		d.Now = func() time.Time { return now }
		a, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.prod.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		err = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'submitted', step = 1, due_at = ? WHERE id = ?", now.Add(-20*time.Hour), a.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		n, err := w.app.Messages.RemindStaff(w.ctx)
		if err != nil || n != 1 {
			t.Fatalf("%d reminders, %v", n, err)
		}
		list, _, _ := w.app.Messages.List(w.ctx, message.Filter{Event: message.StaffLate})
		if len(list) != 1 || list[0].Recipient != "siti@galeri.id" || !strings.Contains(list[0].Body, a.Number) {
			t.Fatalf("reminder %+v", list)
		}
		if n, _ := w.app.Messages.RemindStaff(w.ctx); n != 0 {
			t.Fatalf("reminded again the same day: %d", n)
		}
	})
}

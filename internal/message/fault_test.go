package message_test

import (
	"context"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/workday"
)

// announcedRound builds, in bulk, a curation round of n applications by n
// applicants (each with a phone and an e-mail address, one product), every
// product decided — every other one passed — and the applications in state
// decided: the round as the experts leave it, ready to announce. It returns
// the round.
func announcedRound(t *testing.T, w *world, n int) curation.Round {
	t.Helper()
	rd, err := w.app.Curation.CreateRound(w.ctx, w.clerk, curation.RoundInput{Name: "Kurasi Besar 2026"})
	if err != nil {
		t.Fatal(err)
	}
	err = w.d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
		id := func(q string, args ...any) (int64, error) {
			var id int64
			err := tx.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id)
			return id, err
		}
		for i := range n {
			uid, err := id("INSERT INTO users (email, phone, name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, 'pemohon', 'x', ?, ?)",
				fmt.Sprintf("p%d@ukm.id", i), fmt.Sprintf("+62812%07d", i), fmt.Sprintf("Pemohon %d", i), tx.Now, tx.Now)
			if err != nil {
				return err
			}
			bid, err := id("INSERT INTO businesses (owner_id, name, owner_name, regency_code, province_code, created_at, updated_at) VALUES (?, ?, ?, '3573', '35', ?, ?)",
				uid, fmt.Sprintf("UKM %d", i), fmt.Sprintf("Pemohon %d", i), tx.Now, tx.Now)
			if err != nil {
				return err
			}
			pid, err := id("INSERT INTO products (business_id, name, category, created_at, updated_at) VALUES (?, ?, 'Makanan', ?, ?)", bid, fmt.Sprintf("Keripik %d", i), tx.Now, tx.Now)
			if err != nil {
				return err
			}
			aid, err := id("INSERT INTO applications (number, business_id, state, state_since, created_by, created_at, updated_at) VALUES (?, ?, 'decided', ?, ?, ?, ?)",
				fmt.Sprintf("GAL-2026-9%04d", i), bid, tx.Now, uid, tx.Now, tx.Now)
			if err != nil {
				return err
			}
			decision, reason := "passed", ""
			if i%2 == 1 {
				decision, reason = "not_passed", "Kemasan belum mencantumkan tanggal kedaluwarsa."
			}
			for _, q := range []struct {
				q    string
				args []any
			}{
				{"INSERT INTO application_products (application_id, product_id) VALUES (?, ?)", []any{aid, pid}},
				{"INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_at) VALUES (?, ?, ?, ?, ?)", []any{aid, pid, decision, reason, tx.Now}},
				{"INSERT INTO curation_round_applications (round_id, application_id, added_at) VALUES (?, ?, ?)", []any{rd.ID, aid, tx.Now}},
			} {
				if _, err := tx.ExecContext(ctx, q.q, q.args...); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rd
}

// peers are a loopback WhatsApp gateway and SMTP server, counting the results
// each recipient was sent; the gateway answers slowly enough that a stop
// lands in the middle of the work.
type peers struct {
	mu   sync.Mutex
	wa   map[string]int // by phone, without the +
	gw   *httptest.Server
	smtp *smtpServer
}

func newPeers(t *testing.T) *peers {
	p := &peers{wa: map[string]int{}, smtp: newSMTPServer(t)}
	p.gw = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		time.Sleep(2 * time.Millisecond)
		if err := r.ParseForm(); err != nil {
			fmt.Fprint(rw, `{"status":false,"reason":"bad form"}`)
			return
		}
		if strings.Contains(r.PostForm.Get("message"), "kurasi galeri") { // a result, passed or not
			p.mu.Lock()
			p.wa[r.PostForm.Get("target")]++
			p.mu.Unlock()
		}
		fmt.Fprint(rw, `{"status":true,"id":["1"]}`)
	}))
	t.Cleanup(p.gw.Close)
	return p
}

// results is how many results the peers received, and by recipient.
func (p *peers) results() (total int, wa, mail map[string]int) {
	p.mu.Lock()
	wa = maps.Clone(p.wa)
	p.mu.Unlock()
	mail = map[string]int{}
	p.smtp.mu.Lock()
	for _, m := range p.smtp.mail {
		if strings.Contains(m.data, "GAL-2026-9") {
			mail[m.to]++
		}
	}
	p.smtp.mu.Unlock()
	for _, n := range wa {
		total += n
	}
	for _, n := range mail {
		total += n
	}
	return total, wa, mail
}

// A real announcement of a large round — through App.AnnounceRound, the
// curation guard and every application's announce transition — with the
// River client stopped in the middle of sending it and a new one started, as
// a restarted server would: every applicant gets exactly one result on
// WhatsApp and one by e-mail, counted at the loopback peers that received
// them.
func TestStoppingTheQueueMidAnnouncementStillSendsEachMessageOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		// 500 applicants, each by WhatsApp and e-mail: 1,000 messages. Under
		// -short, and under the race detector — whose instrumentation of the
		// pure-Go SQLite makes the 1,000 sends take minutes — 100 applicants,
		// 200 messages.
		applicants := 500
		if raceEnabled || testing.Short() {
			applicants = 100
		}
		began := time.Now()
		rd := announcedRound(t, w, applicants)
		built := time.Now()
		p := newPeers(t)
		host, port, _ := net.SplitHostPort(p.smtp.ln.Addr().String())
		ms := w.app.Messages
		for k, v := range map[string]string{message.SetWhatsAppProvider: "gateway", message.SetGatewayURL: p.gw.URL + "/send", message.SetGatewayToken: "t",
			message.SetEmailProvider: "smtp", message.SetSMTPHost: host, message.SetSMTPPort: port,
			message.SetSMTPFrom: "galeri@diskopukm.jatimprov.go.id", message.SetSMTPSecurity: "none"} {
			if err := ms.SetSetting(w.ctx, w.clerk.ID, k, v); err != nil {
				t.Fatal(err)
			}
		}
		queue := message.QueueConfig{Workers: 16, PollInterval: 20 * time.Millisecond, RetryPolicy: message.FastRetry(10 * time.Millisecond)}
		if err := ms.SetQueue(queue); err != nil {
			t.Fatal(err)
		}
		ids, err := w.app.AnnounceRound(w.ctx, w.clerk, rd.ID)
		if err != nil || len(ids) != applicants {
			t.Fatalf("announced %d applications: %v", len(ids), err)
		}
		announced := time.Now()
		all := 2 * applicants
		if n := w.count("SELECT COUNT(*) FROM messages WHERE event IN ('result_passed', 'result_not_passed')"); n != all {
			t.Fatalf("the announcement enqueued %d results, want %d", n, all)
		}
		ctx, cancel := context.WithCancel(w.ctx)
		if err := ms.Start(ctx); err != nil {
			t.Fatal(err)
		}
		for n, _, _ := p.results(); n < all/5; n, _, _ = p.results() {
			time.Sleep(5 * time.Millisecond)
		}
		sctx, c := context.WithTimeout(context.Background(), time.Minute)
		if err := ms.Stop(sctx); err != nil {
			t.Fatal(err)
		}
		c()
		cancel()
		stoppedAt, _, _ := p.results()
		if stoppedAt >= all {
			t.Skip("the queue finished before it could be stopped")
		}
		// A new client, as a restarted process would have.
		if err := ms.SetQueue(queue); err != nil {
			t.Fatal(err)
		}
		w.start()
		deadline := time.Now().Add(2 * time.Minute)
		for w.count("SELECT COUNT(*) FROM messages WHERE status <> 'sent'") > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("round built in %v, announced in %v, sent in %v (stopped after %d of %d)",
			built.Sub(began).Round(time.Millisecond), announced.Sub(built).Round(time.Millisecond), time.Since(announced).Round(time.Millisecond), stoppedAt, all)
		total, wa, mail := p.results()
		for i := range applicants {
			phone, email := fmt.Sprintf("62812%07d", i), fmt.Sprintf("p%d@ukm.id", i)
			if wa[phone] != 1 || mail[email] != 1 {
				t.Fatalf("applicant %d got %d results by WhatsApp and %d by e-mail (stopped after %d of %d)", i, wa[phone], mail[email], stoppedAt, all)
			}
		}
		if total != all {
			t.Fatalf("the peers received %d results, want %d", total, all)
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

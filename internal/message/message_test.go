package message_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

type world struct {
	t     *testing.T
	ctx   context.Context
	d     *db.DB
	app   *app.App
	owner account.User
	clerk account.User
	biz   applicant.Business
	prod  applicant.Product
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{t: t, ctx: ctx, d: d, app: apptest.New(t, d)}
	if err := w.app.Messages.SetQueue(message.QueueConfig{PollInterval: 20 * time.Millisecond, RetryPolicy: message.FastRetry(10 * time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	var err error
	w.owner, err = w.app.Accounts.Create(ctx, account.NewUser{Name: "Sri Wahyuni", Email: "sri@keripik.id", Phone: "0852-3310-0202", Role: role.Pemohon, Password: "batik tulis madura"})
	if err != nil {
		t.Fatal(err)
	}
	w.clerk, err = w.app.Accounts.Create(ctx, account.NewUser{Name: "Siti", Email: "siti@galeri.id", Role: role.StafGaleri, Password: "batik tulis madura"})
	if err != nil {
		t.Fatal(err)
	}
	w.biz, _, err = w.app.Applicants.Save(ctx, w.owner, w.owner.ID, applicant.BusinessInput{
		Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003", NIB: "9120301234567",
		Address: "Jl. Sanan No. 12, Purwantoro, Blimbing", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202",
		Category: "Makanan", Size: "mikro", YearStarted: "2015",
	})
	if err != nil {
		t.Fatal(err)
	}
	w.prod, _, err = w.app.Applicants.SaveProduct(ctx, w.owner, w.biz.ID, 0, applicant.ProductInput{
		Name: "Keripik Tempe Original 250 g", Category: "Makanan", Composition: "Tempe, minyak kelapa sawit, garam",
		NetContent: "250 g", Packaging: "Standing pouch plastik", ShelfLifeDays: "180", Price: "Rp 25.000", CapacityPerMonth: "800",
		PIRT: "2063573010234-28",
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// notice enqueues a test message to the owner in a transaction of its own.
func (w *world) notice(key string) []int64 {
	w.t.Helper()
	var ids []int64
	err := w.d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		ids, err = w.app.Messages.Enqueue(ctx, tx, message.Notice{Event: message.ResultPassed, Key: key, User: w.owner,
			Vars: map[string]string{"name": w.owner.Name, "number": "GAL-2026-00001", "products": "Keripik Tempe Original 250 g", "link": "http://localhost/x"}})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return ids
}

func (w *world) start() {
	w.t.Helper()
	ctx, cancel := context.WithCancel(w.ctx)
	if err := w.app.Messages.Start(ctx); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() {
		sctx, c := context.WithTimeout(context.Background(), 10*time.Second)
		defer c()
		_ = w.app.Messages.Stop(sctx)
		cancel()
	})
}

func (w *world) waitStatus(id int64, want ...message.Status) message.Message {
	w.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		m, err := w.app.Messages.Get(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		for _, s := range want {
			if m.Status == s {
				return m
			}
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("message %d is %s (%s), want %v", id, m.Status, m.Error, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (w *world) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func TestSubmittingEnqueuesTheNoticeOnEachChannelInTheSameTransaction(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a, err := w.app.Applications.CreateDraft(w.ctx, w.owner, w.biz.ID, []int64{w.prod.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		// Refused submission (documents missing): no message, no job.
		if _, err := w.app.Applications.Do(w.ctx, w.owner, a.ID, sop.Submit, ""); err == nil {
			t.Fatal("submit without documents went through")
		}
		if n := w.count("SELECT COUNT(*) FROM messages"); n != 0 {
			t.Fatalf("%d messages after a refused submission", n)
		}
		// A hook that fails after ours rolls the messages back with the move.
		ids := w.notice("k1")
		if len(ids) != 2 {
			t.Fatalf("want a WhatsApp and an e-mail message, got %v", ids)
		}
		if n := w.count("SELECT COUNT(*) FROM river_job WHERE kind = 'message_send'"); n != 2 {
			t.Fatalf("%d jobs for 2 messages", n)
		}
		// The same event again: nothing new.
		if again := w.notice("k1"); len(again) != 0 {
			t.Fatalf("enqueued twice: %v", again)
		}
		boom := errors.New("boom")
		err = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			if _, err := w.app.Messages.Enqueue(ctx, tx, message.Notice{Event: message.TestMessage, Key: "k2", User: w.owner, Vars: map[string]string{"name": "x"}}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || w.count("SELECT COUNT(*) FROM messages") != 2 || w.count("SELECT COUNT(*) FROM river_job") != 2 {
			t.Fatalf("a rolled-back change left its message or job: %v", err)
		}
		m, _ := w.app.Messages.Get(w.ctx, ids[0])
		if m.Channel != message.WhatsApp || m.Recipient != "+6285233100202" || !strings.Contains(m.Body, "Sri Wahyuni") || !strings.Contains(m.Body, "Keripik Tempe Original") || m.Status != message.Queued {
			t.Fatalf("message %+v", m)
		}
	})
}

func TestManualModeWaitsForTheClerkWhoRecordsTheSend(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ids := w.notice("manual")
		w.start()
		m := w.waitStatus(ids[0], message.Manual)
		link := message.Link(m)
		if !strings.HasPrefix(link, "https://wa.me/6285233100202?text=") || !strings.Contains(link, url.QueryEscape("Sri Wahyuni")) {
			t.Fatalf("wa.me link %s", link)
		}
		if err := w.app.Messages.MarkSentByHand(w.ctx, w.owner, m.ID); err == nil {
			t.Fatal("an applicant marked a message sent")
		}
		if err := w.app.Messages.MarkSentByHand(w.ctx, w.clerk, m.ID); err != nil {
			t.Fatal(err)
		}
		m, _ = w.app.Messages.Get(w.ctx, m.ID)
		if m.Status != message.Sent || m.SentBy != w.clerk.ID || m.Provider != "manual" {
			t.Fatalf("after the clerk: %+v", m)
		}
		if err := w.app.Messages.MarkSentByHand(w.ctx, w.clerk, m.ID); err == nil {
			t.Fatal("marked sent twice")
		}
	})
}

// flaky fails its first n sends, then succeeds, counting both.
type flaky struct {
	name      string
	fails     atomic.Int32
	calls, ok atomic.Int32
}

func (f *flaky) Name() string { return f.name }
func (f *flaky) Send(_ context.Context, m message.Message) (string, error) {
	if f.calls.Add(1) <= f.fails.Load() {
		return "", errors.New("503 service unavailable")
	}
	f.ok.Add(1)
	return fmt.Sprintf("id-%d", m.ID), nil
}

func TestAProviderThatFailsThenSucceedsDeliversExactlyOnce(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		wa, mail := &flaky{name: "wa"}, &flaky{name: "mail"}
		wa.fails.Store(3)
		mail.fails.Store(2)
		w.app.Messages.Providers = func(_ context.Context, c message.Channel) (message.Provider, error) {
			if c == message.WhatsApp {
				return wa, nil
			}
			return mail, nil
		}
		ids := w.notice("flaky")
		w.start()
		for _, id := range ids {
			w.waitStatus(id, message.Sent)
		}
		// The job of a sent message run again (a rescued job, a double insert)
		// finds it sent and sends nothing.
		if _, err := w.app.Messages.River.Insert(w.ctx, message.SendArgs{MessageID: ids[0]}, nil); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if wa.ok.Load() != 1 || mail.ok.Load() != 1 || wa.calls.Load() != 4 || mail.calls.Load() != 3 {
			t.Fatalf("whatsapp %d sent of %d calls, e-mail %d of %d", wa.ok.Load(), wa.calls.Load(), mail.ok.Load(), mail.calls.Load())
		}
		at, _ := w.app.Messages.Attempts(w.ctx, ids[0])
		if len(at) != 4 || at[3].Outcome != "sent" || at[0].Outcome != "failed" || !strings.Contains(at[0].Detail, "503") {
			t.Fatalf("attempts %+v", at)
		}
		m, _ := w.app.Messages.Get(w.ctx, ids[0])
		if m.ProviderID != fmt.Sprintf("id-%d", ids[0]) || m.Attempts != 4 || m.Error != "" {
			t.Fatalf("message %+v", m)
		}
	})
}

func TestAfterTheLastAttemptTheMessageFailsAndStaffRetryIt(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		p := &flaky{name: "wa"}
		p.fails.Store(1 << 20)
		w.app.Messages.Providers = func(context.Context, message.Channel) (message.Provider, error) { return p, nil }
		ids := w.notice("down")
		w.start()
		m := w.waitStatus(ids[0], message.Failed)
		if !strings.Contains(m.Error, "503") {
			t.Fatalf("failed without the provider's error: %+v", m)
		}
		if m.Attempts != message.MaxAttempts {
			t.Fatalf("failed after %d attempts", m.Attempts)
		}
		p.fails.Store(0)
		if err := w.app.Messages.Retry(w.ctx, w.clerk, ids[0]); err != nil {
			t.Fatal(err)
		}
		w.waitStatus(ids[0], message.Sent)
		if err := w.app.Messages.Retry(w.ctx, w.clerk, ids[0]); err == nil {
			t.Fatal("a sent message retried")
		}
	})
}

// smtpServer is a small SMTP peer on loopback: it speaks enough of RFC 5321
// for a client without TLS or auth, and keeps what it was given.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	mail []struct{ from, to, data string }
}

func newSMTPServer(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(l string) { io.WriteString(c, l+"\r\n") }
	say("220 test ESMTP")
	var from, to string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-test")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			from = strings.TrimSpace(line[10:])
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			to = strings.Trim(strings.TrimSpace(line[8:]), "<>")
			if strings.HasPrefix(to, "nobody@") {
				say("550 5.1.1 no such user")
				continue
			}
			say("250 OK")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.mail = append(s.mail, struct{ from, to, data string }{from, to, b.String()})
			s.mu.Unlock()
			say("250 OK queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

func TestEmailArrivesAtAnSMTPServerWithRecipientSubjectAndBody(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		srv := newSMTPServer(t)
		host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
		ms := w.app.Messages
		for k, v := range map[string]string{message.SetEmailProvider: "smtp", message.SetSMTPHost: host, message.SetSMTPPort: port,
			message.SetSMTPFrom: "galeri@diskopukm.jatimprov.go.id", message.SetSMTPSecurity: "none", message.SetSMTPPassword: "rahasia-sekali-1234"} {
			if err := ms.SetSetting(w.ctx, w.clerk.ID, k, v); err != nil {
				t.Fatal(err)
			}
		}
		// The secret is stored sealed: the settings table never holds it.
		if n := w.count("SELECT COUNT(*) FROM settings WHERE value LIKE '%rahasia%'"); n != 0 {
			t.Fatal("the SMTP password is stored in the clear")
		}
		if got, _ := ms.Setting(w.ctx, message.SetSMTPPassword); got != "rahasia-sekali-1234" {
			t.Fatalf("sealed secret reads back %q", got)
		}
		var ids []int64
		err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			var err error
			ids, err = ms.Enqueue(ctx, tx, message.Notice{Event: message.ResultPassed, Key: "mail", User: w.owner, Channels: []message.Channel{message.Email},
				Vars: map[string]string{"name": "Sri Wahyuni", "number": "GAL-2026-00007", "products": "Keripik Tempe Original 250 g", "link": "http://localhost/a/7"}})
			return err
		})
		if err != nil || len(ids) != 1 {
			t.Fatal(ids, err)
		}
		w.start()
		m := w.waitStatus(ids[0], message.Sent)
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if len(srv.mail) != 1 {
			t.Fatalf("%d mails arrived", len(srv.mail))
		}
		got := srv.mail[0]
		data := strings.ReplaceAll(got.data, "=\r\n", "")
		if got.to != "sri@keripik.id" || !strings.Contains(got.from, "galeri@diskopukm.jatimprov.go.id") ||
			!strings.Contains(data, "Subject: Hasil kurasi GAL-2026-00007: lolos") || !strings.Contains(data, "Dinas Koperasi dan UKM") ||
			!strings.Contains(data, "Keripik Tempe Original 250 g") || !strings.Contains(data, "text/html") {
			t.Fatalf("mail to %s from %s:\n%s", got.to, got.from, got.data)
		}
		if m.ProviderID == "" || !strings.Contains(data, m.ProviderID) {
			t.Fatalf("the Message-ID %q is not kept", m.ProviderID)
		}
	})
}

func TestABouncedAddressFailsAtOnceAndFlagsTheProfile(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		srv := newSMTPServer(t)
		host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
		ms := w.app.Messages
		for k, v := range map[string]string{message.SetEmailProvider: "smtp", message.SetSMTPHost: host, message.SetSMTPPort: port,
			message.SetSMTPFrom: "galeri@diskopukm.jatimprov.go.id", message.SetSMTPSecurity: "none"} {
			if err := ms.SetSetting(w.ctx, w.clerk.ID, k, v); err != nil {
				t.Fatal(err)
			}
		}
		var ids []int64
		err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			var err error
			ids, err = ms.Enqueue(ctx, tx, message.Notice{Event: message.TestMessage, Key: "bounce", User: w.owner, To: "nobody@keripik.id", Vars: map[string]string{"name": "Sri"}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		w.start()
		m := w.waitStatus(ids[0], message.Failed)
		if m.Attempts != 1 || !strings.Contains(m.Error, "550") {
			t.Fatalf("a refused address should fail at the first attempt with the server's answer: %+v", m)
		}
		if ps, err := ms.ContactProblems(w.ctx, w.owner.ID); err != nil || len(ps) != 1 || ps[0].Recipient != "nobody@keripik.id" || !strings.Contains(ps[0].Detail, "550") {
			t.Fatalf("contact problems flagged: %+v %v", ps, err)
		}
	})
}

func TestCloudAPIRequestsHaveThePathTokenAndTemplateShape(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var got atomic.Value
		api := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != "/v21.0/1122334455/messages" || r.Header.Get("Authorization") != "Bearer EAAG-token-abcdef" ||
				r.Header.Get("Content-Type") != "application/json" {
				http.Error(rw, `{"error":{"message":"bad request shape","code":100}}`, http.StatusBadRequest)
				return
			}
			var body map[string]any
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				http.Error(rw, `{"error":{"message":"not json","code":100}}`, http.StatusBadRequest)
				return
			}
			got.Store(body)
			rw.Header().Set("Content-Type", "application/json")
			fmt.Fprint(rw, `{"messaging_product":"whatsapp","contacts":[{"input":"6285233100202","wa_id":"6285233100202"}],"messages":[{"id":"wamid.HBgLNjI4NTIzMzEwMDIwMhUCABIYFjNFQjA="}]}`)
		}))
		defer api.Close()
		ms := w.app.Messages
		for k, v := range map[string]string{message.SetWhatsAppProvider: "cloud", message.SetCloudBaseURL: api.URL, message.SetCloudPhoneID: "1122334455",
			message.SetCloudToken: "EAAG-token-abcdef", message.SetCloudTemplates: "result_passed = hasil_lolos"} {
			if err := ms.SetSetting(w.ctx, w.clerk.ID, k, v); err != nil {
				t.Fatal(err)
			}
		}
		ids := w.notice("cloud")
		w.start()
		m := w.waitStatus(ids[0], message.Sent)
		if m.ProviderID != "wamid.HBgLNjI4NTIzMzEwMDIwMhUCABIYFjNFQjA=" || m.Provider != "whatsapp_cloud" {
			t.Fatalf("message %+v", m)
		}
		body, _ := got.Load().(map[string]any)
		js, _ := json.Marshal(body)
		want := `{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"Sri Wahyuni","type":"text"},{"text":"GAL-2026-00001","type":"text"},{"text":"Keripik Tempe Original 250 g","type":"text"},{"text":"http://localhost/x","type":"text"}],"type":"body"}],"language":{"code":"id"},"name":"hasil_lolos"},"to":"6285233100202","type":"template"}`
		if string(js) != want {
			t.Fatalf("request body\n got %s\nwant %s", js, want)
		}
	})
}

func TestGatewayRequestsCarryTheTokenTargetAndText(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var got atomic.Value
		gw := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != "/send" || r.Header.Get("Authorization") != "fonnte-token" {
				fmt.Fprint(rw, `{"status":false,"reason":"invalid token"}`)
				return
			}
			if err := r.ParseForm(); err != nil {
				fmt.Fprint(rw, `{"status":false,"reason":"bad form"}`)
				return
			}
			got.Store(r.PostForm)
			fmt.Fprint(rw, `{"detail":"success! message in queue","id":["80367170"],"process":"pending","status":true,"target":["6285233100202"]}`)
		}))
		defer gw.Close()
		ms := w.app.Messages
		for k, v := range map[string]string{message.SetWhatsAppProvider: "gateway", message.SetGatewayURL: gw.URL + "/send", message.SetGatewayToken: "fonnte-token"} {
			if err := ms.SetSetting(w.ctx, w.clerk.ID, k, v); err != nil {
				t.Fatal(err)
			}
		}
		ids := w.notice("gw")
		w.start()
		m := w.waitStatus(ids[0], message.Sent)
		form, _ := got.Load().(url.Values)
		if m.ProviderID != "80367170" || form.Get("target") != "6285233100202" || !strings.Contains(form.Get("message"), "Sri Wahyuni") {
			t.Fatalf("message %+v, form %v", m, form)
		}
	})
}

// An SME owner who signed up with an e-mail address only gave their WhatsApp
// number on the business form: a notice about their application reaches them
// there too, and at the business's e-mail when the form names one.
func TestANoticeAboutAnApplicationGoesToTheBusinessContact(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := w.ctx
		owner, err := w.app.Accounts.Create(ctx, account.NewUser{Name: "Wahyu Hidayat", Email: "wahyu@akun.id", Role: role.Pemohon, Password: "getuk lindri malang"})
		if err != nil {
			t.Fatal(err)
		}
		biz, _, err := w.app.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{
			Name: "Getuk Lindri Pak Wahyu", OwnerName: "Wahyu Hidayat", NIK: "3507121503800002", NIB: "9120701234578",
			Address: "Jl. Raya Singosari No. 5", ProvinceCode: "35", RegencyCode: "3507", WhatsApp: "0812-3456-7890", Email: "getuk@usaha.id",
			Category: "Makanan", Size: "mikro",
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.app.Applications.CreateDraft(ctx, owner, biz.ID, nil, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		err = d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			ids, err = w.app.Messages.Enqueue(ctx, tx, message.Notice{Event: message.TestMessage, Key: "contact", ApplicationID: a.ID, User: owner, Vars: map[string]string{"name": owner.Name}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got := map[message.Channel]string{}
		for _, id := range ids {
			m, err := w.app.Messages.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			got[m.Channel] = m.Recipient
		}
		if got[message.WhatsApp] != "+6281234567890" || got[message.Email] != "getuk@usaha.id" || len(got) != 2 {
			t.Fatalf("recipients %v; want the business's WhatsApp +6281234567890 and e-mail getuk@usaha.id", got)
		}
	})
}

package app_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/demo"
	"github.com/etalase-id/etalase/internal/sop"
)

// announceWorld is the demo: November's round announced, December's with
// reviews in progress.
type announceWorld struct {
	t      *testing.T
	ctx    context.Context
	d      *db.DB
	a      *app.App
	rounds map[string]curation.Round
}

func newAnnounceWorld(t *testing.T, d *db.DB) *announceWorld {
	t.Helper()
	ctx := context.Background()
	a := apptest.New(t, d)
	if _, err := demo.Seed(ctx, a); err != nil {
		t.Fatal(err)
	}
	rs, err := a.Curation.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &announceWorld{t: t, ctx: ctx, d: d, a: a, rounds: map[string]curation.Round{}}
	for _, r := range rs {
		w.rounds[r.Name] = r
	}
	return w
}

func (w *announceWorld) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *announceWorld) results() int {
	return w.count("SELECT COUNT(*) FROM messages WHERE event IN ('result_passed', 'result_not_passed')")
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	return ""
}

// Every applicant of an announced round got their own result exactly once on
// each channel they were reached on before (the samples-received notice), and
// a second publish is refused with nothing sent and nothing audited again.
func TestAnnouncingARoundSendsEachApplicantOneResultPerChannelAndOnlyOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAnnounceWorld(t, d)
		nov := w.rounds["Kurasi November 2026"]
		if !nov.Announced() {
			t.Fatal("the demo's November round is not announced")
		}
		apps, err := w.a.Curation.RoundApplications(w.ctx, nov.ID)
		if err != nil || len(apps) != 2 {
			t.Fatalf("%d applications in November's round (%v)", len(apps), err)
		}
		for _, ap := range apps {
			// Announced or a state that follows it (the demo takes Pak Darmo on
			// through feedback to a referral).
			if !ap.State.ResultOut() || ap.State == sop.Withdrawn {
				t.Errorf("%s is %s after the announcement", ap.Number, ap.State)
			}
			for _, ch := range []string{"whatsapp", "email"} {
				reached := w.count("SELECT COUNT(*) FROM messages WHERE application_id = ? AND event = 'samples_received' AND channel = ?", ap.ID, ch)
				got := w.count("SELECT COUNT(*) FROM messages WHERE application_id = ? AND event IN ('result_passed', 'result_not_passed') AND channel = ?", ap.ID, ch)
				if want := min(reached, 1); got != want {
					t.Errorf("%s: %d results by %s, want %d", ap.Number, got, ch, want)
				}
			}
			if w.count("SELECT COUNT(*) FROM messages WHERE application_id = ? AND event IN ('result_passed', 'result_not_passed')", ap.ID) == 0 {
				t.Errorf("%s: no result sent", ap.Number)
			}
		}
		clerk, err := w.a.Accounts.ByLogin(w.ctx, "siti.galeri@demo.etalase.id")
		if err != nil {
			t.Fatal(err)
		}
		before, audited := w.results(), w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'round.announce'")
		if _, err := w.a.AnnounceRound(w.ctx, clerk, nov.ID); code(err) != "curation.announced" {
			t.Fatalf("publishing twice: %v", err)
		}
		if w.results() != before || w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'round.announce'") != audited {
			t.Fatal("a refused second publish sent or recorded something")
		}
		again, _ := w.a.Curation.Round(w.ctx, nov.ID)
		if !again.AnnouncedAt.Equal(*nov.AnnouncedAt) {
			t.Fatalf("a refused publish moved the announcement from %v to %v", nov.AnnouncedAt, again.AnnouncedAt)
		}
		// Only the staff who run rounds may announce.
		expert, _ := w.a.Accounts.ByLogin(w.ctx, "bambang.kurator@demo.etalase.id")
		if _, err := w.a.AnnounceRound(w.ctx, expert, w.rounds["Kurasi Desember 2026"].ID); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("the expert announcing: %v", err)
		}
		if _, err := w.a.AnnounceRound(w.ctx, clerk, 999999); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("announcing a round that does not exist: %v", err)
		}
	})
}

// A round with a product still undecided is refused whole: the round stays
// open, no application moves, nothing is sent.
func TestAnnouncingARoundWithADecisionMissingIsRefusedWithNothingSent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAnnounceWorld(t, d)
		dec := w.rounds["Kurasi Desember 2026"]
		clerk, err := w.a.Accounts.ByLogin(w.ctx, "siti.galeri@demo.etalase.id")
		if err != nil {
			t.Fatal(err)
		}
		before := w.count("SELECT COUNT(*) FROM messages")
		_, err = w.a.AnnounceRound(w.ctx, clerk, dec.ID)
		if code(err) != curation.CodeUndecided || !apperr.IsKind(err, apperr.Conflict) {
			t.Fatalf("announcing with decisions missing: %v", err)
		}
		if e, _ := apperr.As(err); e.Text.ID == "" || e.Text.EN == "" {
			t.Fatalf("the refusal %+v is not in both languages", e)
		}
		if after := w.count("SELECT COUNT(*) FROM messages"); after != before {
			t.Fatalf("%d messages sent by a refused announcement", after-before)
		}
		r, _ := w.a.Curation.Round(w.ctx, dec.ID)
		if r.Announced() {
			t.Fatal("a refused announcement froze the round")
		}
		apps, _ := w.a.Curation.RoundApplications(w.ctx, dec.ID)
		for _, ap := range apps {
			if ap.State != sop.InCuration {
				t.Errorf("%s moved to %s", ap.Number, ap.State)
			}
		}
		// An empty round has nothing to announce.
		empty := w.rounds["Kurasi Januari 2027"]
		if _, err := w.a.AnnounceRound(w.ctx, clerk, empty.ID); code(err) != "curation.nothing_to_announce" {
			t.Fatalf("announcing an empty round: %v", err)
		}
		if r, _ := w.a.Curation.Round(w.ctx, empty.ID); r.Announced() {
			t.Fatal("a refused announcement froze the empty round")
		}
	})
}

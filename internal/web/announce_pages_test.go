package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/demo"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
)

// The announcement from the round's page: the list to review, one button
// behind a confirmation, nothing per application, the public page after.
func TestRoundPageAnnouncesTheRoundOnceBehindAConfirmation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx, a := w.e, systemCtx(), w.app
		clerk, expert := w.browsers["clerk"], w.browsers["curator"]
		rd, _ := e.app.Curation.RoundOf(ctx, a.ID)
		roundPath := fmt.Sprintf("/curation/rounds/%d", rd.ID)
		// Undecided: the list is there, the button is not; the public page is not.
		page := clerk.get(roundPath).wantStatus(http.StatusOK)
		if page.find("#announce-list").Length() != 1 || page.find("#announce-form").Length() != 0 || !strings.Contains(page.text("#announce"), a.Number) {
			t.Fatalf("before every decision: %q", page.text("#announce"))
		}
		e.browser().get(fmt.Sprintf("/pengumuman/%d", rd.ID)).wantStatus(http.StatusNotFound)
		// Decide the only product: passed.
		x, err := e.app.Curation.Assign(ctx, w.people["clerk"], a.ID, w.people["clerk"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.app.Curation.Declare(ctx, w.people["clerk"], x.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		r, _ := e.app.Curation.LatestRubric(ctx, curation.DefaultRubricID)
		var scores []curation.CriterionScore
		for _, c := range r.Applicable("Makanan") {
			scores = append(scores, curation.CriterionScore{Criterion: c.Code, Score: 5})
		}
		for _, u := range []account.User{w.people["clerk"], w.people["curator"]} {
			if _, err := e.app.Curation.SaveReview(ctx, u, a.ID, w.prod.ID, curation.ReviewInput{Scores: scores, Submit: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.app.Curation.Decide(ctx, w.people["curator"], a.ID, w.prod.ID, curation.DecisionInput{Passed: true}); err != nil {
			t.Fatal(err)
		}
		page = clerk.get(roundPath).wantStatus(http.StatusOK)
		if page.find("#announce-form button[type=submit]").Length() != 1 || page.find("#announce-form input[name=confirm]").Length() != 1 {
			t.Fatal("every decision made: no announce button behind a confirmation")
		}
		if !strings.Contains(page.text("#announce-list"), "Keripik Tempe 250 g") || !strings.Contains(page.text("#announce-list"), e.cat.T(i18n.ID, "announce.passed")) {
			t.Fatalf("the list to review: %q", page.text("#announce-list"))
		}
		// Not per application: no button, and the action refused if posted.
		app := clerk.get(fmt.Sprintf("/applications/%d", a.ID)).wantStatus(http.StatusOK)
		if app.find(`form.action-form input[value="announce"]`).Length() != 0 {
			t.Fatal("the application page still offers announce")
		}
		clerk.post(fmt.Sprintf("/applications/%d/do", a.ID), url.Values{"action": {"announce"}}).wantStatus(http.StatusConflict)
		// The expert does not run rounds; without the tick nothing happens.
		expert.post(roundPath+"/announce", url.Values{"confirm": {"yes"}}).wantStatus(http.StatusForbidden)
		ans := clerk.post(roundPath+"/announce", url.Values{}).wantStatus(http.StatusUnprocessableEntity)
		if ans.fieldError("confirm") == "" {
			t.Fatal("no error at the confirmation")
		}
		if got, _ := e.app.Applications.Get(ctx, a.ID); got.State != sop.Decided {
			t.Fatalf("an unconfirmed announce moved the application to %s", got.State)
		}
		done := clerk.follow(clerk.post(roundPath+"/announce", url.Values{"confirm": {"yes"}}).wantRedirect(roundPath))
		if got, want := done.text(".flash"), e.cat.T(i18n.ID, "announce.done"); got != want {
			t.Fatalf("flash %q, want %q", got, want)
		}
		if done.find("#announce-form").Length() != 0 || done.find(fmt.Sprintf(`#announce a[href="/pengumuman/%d"]`, rd.ID)).Length() != 1 {
			t.Fatal("after the announcement: the button stays or the public link is missing")
		}
		if got, _ := e.app.Applications.Get(ctx, a.ID); got.State != sop.AwaitingDisplay {
			t.Fatalf("after the announcement the application is %s", got.State)
		}
		// Twice: refused on the page, nothing more sent.
		var before int
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM messages").Scan(&before)
		again := clerk.post(roundPath+"/announce", url.Values{"confirm": {"yes"}}).wantStatus(http.StatusConflict)
		if !strings.Contains(again.text("#error-summary"), "sudah diumumkan") {
			t.Fatalf("a second publish: %q", again.text("#error-summary"))
		}
		var after int
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM messages").Scan(&after)
		if after != before {
			t.Fatalf("a refused second publish sent %d messages", after-before)
		}
		// The public page, to anyone: the business, its regency, the product,
		// the grade; nothing personal.
		pub := e.browser().get(fmt.Sprintf("/pengumuman/%d", rd.ID)).wantStatus(http.StatusOK)
		body := pub.text("main")
		for _, want := range []string{"Keripik Tempe Sanan Bu Sri", "Keripik Tempe 250 g", "Kota Malang"} {
			if !strings.Contains(body, want) {
				t.Errorf("the public page lacks %q: %q", want, body)
			}
		}
		assertNothingPersonal(t, pub.Body, "3573054107850003", "085233100202", "+6285233100202", "sri@keripik.id", "Sri Wahyuni", "Jl. Sanan", a.Number)
	})
}

// assertNothingPersonal fails when page holds any of the personal details.
func assertNothingPersonal(t *testing.T, page string, details ...string) {
	t.Helper()
	for _, s := range details {
		if s != "" && strings.Contains(page, s) {
			t.Errorf("the public page shows %q", s)
		}
	}
}

// The demo's announced round on the public page and the home page: the SMEs
// that passed, with no NIK, phone or e-mail of anyone in the round.
func TestPublicAnnouncementShowsThePassedSMEsAndNothingPersonal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := systemCtx()
		if _, err := demo.Seed(ctx, e.app); err != nil {
			t.Fatal(err)
		}
		rounds, _ := e.app.Curation.Rounds(ctx)
		var nov, open curation.Round
		for _, r := range rounds {
			switch r.Name {
			case "Kurasi November 2026":
				nov = r
			case "Kurasi Desember 2026":
				open = r
			}
		}
		anon := e.browser()
		home := anon.get("/").wantStatus(http.StatusOK)
		if home.find(fmt.Sprintf(`#announcements a[href="/pengumuman/%d"]`, nov.ID)).Length() != 1 {
			t.Fatal("the home page does not link the announcement")
		}
		anon.get(fmt.Sprintf("/pengumuman/%d", open.ID)).wantStatus(http.StatusNotFound)
		anon.get("/pengumuman/999999").wantStatus(http.StatusNotFound)
		pub := anon.get(fmt.Sprintf("/pengumuman/%d", nov.ID)).wantStatus(http.StatusOK)
		if n := pub.find("#passed tbody tr").Length(); n != 1 {
			t.Fatalf("%d passed rows, want the wingko original only", n)
		}
		list, _ := e.app.Curation.Announcement(ctx, nov.ID)
		var personal []string
		for _, x := range list {
			if !x.Passed && strings.Contains(pub.Body, x.Product) {
				t.Errorf("the public page names %q, which did not pass", x.Product)
			}
			ap, _ := e.app.Applications.Get(ctx, x.ApplicationID)
			owner, _ := e.app.Accounts.Get(ctx, ap.OwnerID)
			b, _ := e.app.Applicants.Get(ctx, ap.BusinessID)
			personal = append(personal, owner.Email, owner.Phone, b.WhatsApp, b.Email, b.NIKMasked, b.Address, ap.Number)
			if !strings.Contains(x.Business, b.OwnerName) {
				personal = append(personal, b.OwnerName)
			}
		}
		assertNothingPersonal(t, pub.Body, personal...)
		// The letter: a PDF anyone may fetch, registered so /verify confirms it.
		pdf := anon.get(fmt.Sprintf("/pengumuman/%d/surat.pdf", nov.ID)).wantStatus(http.StatusOK)
		if ct := pdf.Header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF") {
			t.Fatalf("surat.pdf: %s", ct)
		}
		anon.get(fmt.Sprintf("/pengumuman/%d/surat.pdf", open.ID)).wantStatus(http.StatusNotFound)
		l, c, found, err := e.app.AnnouncementLetter(ctx, nov.ID)
		if err != nil || !found || len(c.Passed) != 1 || c.NotPassed != 2 || c.Applicants != 2 {
			t.Fatalf("the letter %+v %+v (%v, %v)", l, c, found, err)
		}
		v := anon.get("/verify?n=" + url.QueryEscape(l.Number) + "&f=" + l.Fingerprint[:16]).wantStatus(http.StatusOK)
		if !strings.Contains(v.text("main"), l.Number) || !strings.Contains(v.text("main"), "Kurasi November 2026") {
			t.Fatalf("verify: %q", v.text("main"))
		}
	})
}

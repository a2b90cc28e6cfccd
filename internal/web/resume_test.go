package web_test

import (
	"strconv"

	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/role"
)

// A form posted after the session ran out is kept through the sign-in: the
// person lands on the sign-in page, which says their entry is kept; after
// signing in they see it again, ready to send, and sending it saves it. Nobody
// else signing in on that browser gets it.
func TestAFormPostedAfterTheSessionEndedIsNotLost(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sri := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri Wahyuni"})
		e.user(account.NewUser{Email: "siti@galeri.id", Name: "Siti", Role: role.StafGaleri})
		biz, _, err := e.app.Applicants.Save(systemCtx(), sri, sri.ID, applicant.BusinessInput{Name: "Keripik Sanan"})
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn("sri@keripik.id", pw)
		profile := "/businesses/" + strconv.FormatInt(biz.ID, 10) + "/profile"
		b.get(profile).wantStatus(http.StatusOK)
		e.clock.add(3 * time.Hour) // lunch, a meeting: the 2-hour idle limit passes
		typed := url.Values{"name": {"Keripik Tempe Sanan Bu Sri"}, "owner_name": {"Sri Wahyuni"}, "address": {"Jl. Sanan No. 12"}}
		ans := b.post(profile, typed, "Referer", e.ts.URL+profile)
		if ans.Status != http.StatusSeeOther || !strings.HasPrefix(ans.location(), "/login?expired=kept") || !strings.Contains(ans.location(), url.QueryEscape(profile)) {
			t.Fatalf("the post after expiry: %d to %q, want the sign-in page with the entry kept", ans.Status, ans.Header.Get("Location"))
		}
		if got := b.get(ans.location()).text("#expired"); !strings.Contains(got, "tersimpan") {
			t.Errorf("the sign-in page says %q, want that the entry is kept", got)
		}
		if got, _ := e.app.Applicants.Get(systemCtx(), biz.ID); got.Name != "Keripik Sanan" {
			t.Fatalf("the expired post changed the business to %q", got.Name)
		}

		// Someone else signs in on this browser first: no entry for them.
		login := b.post("/login", url.Values{"login": {"siti@galeri.id"}, "password": {pw}})
		if login.location() == "/resume" {
			t.Fatal("another user signing in on the same browser is offered Sri's entry")
		}
		b.post("/logout", nil)

		login = b.post("/login", url.Values{"login": {"sri@keripik.id"}, "password": {pw}})
		if login.location() != "/resume" {
			t.Fatalf("after signing in again Sri goes to %q, want her kept entry", login.location())
		}
		page := b.get("/resume").wantStatus(http.StatusOK)
		if action, _ := page.attr("main form", "action"); action != profile {
			t.Fatalf("the kept entry goes to %q, want %q", action, profile)
		}
		resend := url.Values{}
		page.find("main form input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
			n, _ := s.Attr("name")
			v, _ := s.Attr("value")
			resend.Add(n, v)
		})
		if resend.Get("address") != "Jl. Sanan No. 12" {
			t.Fatalf("the kept entry holds %v", resend)
		}
		b.post(profile, resend).wantStatus(http.StatusSeeOther)
		if got, _ := e.app.Applicants.Get(systemCtx(), biz.ID); got.Name != "Keripik Tempe Sanan Bu Sri" || got.Address != "Jl. Sanan No. 12" {
			t.Fatalf("after sending the kept entry the business is %+v", got)
		}
		if b.get("/resume").Status != http.StatusSeeOther {
			t.Error("the entry is offered a second time")
		}
	})
}

// On an English page, what people typed in Bahasa Indonesia — the business's
// name, a returned document's reason — is marked lang="id", so a screen
// reader reads it in an Indonesian voice; on an Indonesian page it is not.
func TestIndonesianDataOnEnglishPagesIsMarked(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		sri := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri Wahyuni"})
		biz, _, err := e.app.Applicants.Save(systemCtx(), sri, sri.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan"})
		if err != nil {
			t.Fatal(err)
		}
		b := e.signIn("sri@keripik.id", pw)
		page := "/businesses/" + strconv.FormatInt(biz.ID, 10)
		if got, ok := b.get(page).attr("main h1", "lang"); ok {
			t.Errorf("on the Indonesian page the name carries lang=%q", got)
		}
		b.setCookie(langCookie, "en")
		en := b.get(page)
		if got, _ := en.attr("html", "lang"); got != "en" {
			t.Fatalf("the page is %q, want English", got)
		}
		if got, _ := en.attr("main h1", "lang"); got != "id" {
			t.Errorf("on the English page the business's name carries lang=%q, want id", got)
		}
		if got, _ := en.attr(`form.lang button[value="id"]`, "lang"); got != "id" {
			t.Errorf("the Indonesian language button carries lang=%q", got)
		}
	})
}

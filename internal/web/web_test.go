package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/settings"
)

// each runs body on a fresh server per engine.
func each(t *testing.T, body func(t *testing.T, e *env)) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) { body(t, newEnv(t, d)) })
}

func TestHomePageIsIndonesianByDefaultAndEnglishOnRequest(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		a := b.get("/").wantStatus(http.StatusOK)
		if got, _ := a.attr("html", "lang"); got != "id" {
			t.Errorf(`html lang = %q, want "id"`, got)
		}
		idTitle, enTitle := e.cat.T(i18n.ID, "home.public.title"), e.cat.T(i18n.EN, "home.public.title")
		if idTitle == enTitle {
			t.Fatalf("the home heading is the same in both catalogues: %q", idTitle)
		}
		if got := a.text("h1"); got != idTitle {
			t.Errorf("heading %q, want the Indonesian %q", got, idTitle)
		}
		if got := a.text(".hero a[href='/register']"); got != "Daftar sebagai UKM" {
			t.Errorf("register link %q, want Indonesian", got)
		}

		// The language buttons post to /lang; the answer brings the visitor back.
		a = b.post("/lang", url.Values{"lang": {"en"}, "next": {"/"}}).wantRedirect("/")
		if c := a.setCookie(langCookie); c == nil || c.Value != "en" {
			t.Fatalf("POST /lang did not set the language cookie to en: %v", a.Cookies)
		}
		a = b.get("/").wantStatus(http.StatusOK)
		if got, _ := a.attr("html", "lang"); got != "en" {
			t.Errorf(`after choosing English: html lang = %q, want "en"`, got)
		}
		if got := a.text("h1"); got != enTitle {
			t.Errorf("after choosing English: heading %q, want %q", got, enTitle)
		}
		if got, _ := a.attr("form.lang button[value=en]", "aria-current"); got != "true" {
			t.Errorf("the English button is not marked as the current language")
		}

		// A browser that comes back with the cookie gets English at once.
		b2 := e.browser()
		b2.setCookie(langCookie, "en")
		if got := b2.get("/").text("h1"); got != enTitle {
			t.Errorf("with the language cookie: heading %q, want %q", got, enTitle)
		}
		// So does a browser that prefers English and has not chosen yet.
		if got := e.browser().get("/", "Accept-Language", "en-GB,en;q=0.9").text("h1"); got != enTitle {
			t.Errorf("with Accept-Language en: heading %q, want %q", got, enTitle)
		}
		if got := e.browser().get("/", "Accept-Language", "id-ID,id;q=0.9,en;q=0.8").text("h1"); got != idTitle {
			t.Errorf("with Accept-Language id first: heading %q, want %q", got, idTitle)
		}
	})
}

func TestEveryAnswerCarriesSecurityHeaders(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		for _, path := range []string{"/", "/login", "/tidak-ada", "/admin/users", "/api/v1/me", "/healthz"} {
			a := b.get(path)
			csp := a.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none'", path, csp)
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("%s: Content-Security-Policy allows inline code: %q", path, csp)
			}
			if got := a.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s: X-Content-Type-Options %q, want nosniff", path, got)
			}
			if got := a.Header.Get("X-Frame-Options"); got != "DENY" {
				t.Errorf("%s: X-Frame-Options %q, want DENY", path, got)
			}
		}
	})
}

func TestPagesUseOnlyTheirOwnScriptsAndStylesheets(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		a := b.get("/").wantStatus(http.StatusOK)
		if n := a.find("script:not([src])").Length(); n != 0 {
			t.Errorf("%d inline scripts; the CSP would block them", n)
		}
		if n := a.find("[style]").Length(); n != 0 {
			t.Errorf("%d inline style attributes; the CSP would block them", n)
		}
		var assets []string
		for _, sel := range []string{"script[src]", "link[rel=stylesheet]"} {
			attr := "src"
			if strings.HasPrefix(sel, "link") {
				attr = "href"
			}
			v, ok := a.attr(sel, attr)
			if !ok {
				t.Fatalf("no %s on the page", sel)
			}
			assets = append(assets, v)
		}
		for _, u := range assets {
			if !strings.HasPrefix(u, "/static/") || !strings.Contains(u, "?v=") {
				t.Errorf("asset %q is not a versioned file served by the app", u)
				continue
			}
			s := b.get(u).wantStatus(http.StatusOK)
			if cc := s.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("%s: Cache-Control %q, want long caching for a versioned URL", u, cc)
			}
			if cc := b.get(strings.Split(u, "?")[0]).Header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("%s without version: Cache-Control %q, want no-cache", u, cc)
			}
		}
		b.get("/static/nothing.js").wantStatus(http.StatusNotFound)
	})
}

func TestWrongPasswordAndUnknownAccountGiveTheSameAnswer(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti"})
		wrong := e.browser().post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {"salah sekali ini"}})
		unknown := e.browser().post("/login", url.Values{"login": {"tidak.ada@contoh.id"}, "password": {"salah sekali ini"}})
		for name, a := range map[string]*answer{"wrong password": wrong, "unknown account": unknown} {
			a.wantStatus(http.StatusUnauthorized)
			if a.setCookie(sessionCookie) != nil && a.setCookie(sessionCookie).MaxAge >= 0 {
				t.Errorf("%s: a session cookie was set", name)
			}
			if v, _ := a.attr("#password", "value"); v != "" {
				t.Errorf("%s: the password was sent back in the field: %q", name, v)
			}
			if strings.Contains(a.Body, "salah sekali ini") {
				t.Errorf("%s: the typed password appears in the page", name)
			}
		}
		if got := wrong.text("#form-error"); got == "" || got != unknown.text("#form-error") {
			t.Errorf("messages differ: wrong password %q, unknown account %q", got, unknown.text("#form-error"))
		}
		if got, _ := wrong.attr("#login", "value"); got != "siti@contoh.id" {
			t.Errorf("typed login not kept: %q", got)
		}
		if got, _ := unknown.attr("#login", "value"); got != "tidak.ada@contoh.id" {
			t.Errorf("typed login not kept: %q", got)
		}
		if n := len(e.auditEntries("session.login_failed")); n != 2 {
			t.Errorf("%d session.login_failed entries, want 2", n)
		}
	})
}

func TestConcurrentGuessesCannotExceedTheAccountLimit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti"})
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				a := e.browser().post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {"tebakan " + strconv.Itoa(i)}})
				mu.Lock()
				codes[a.Status]++
				mu.Unlock()
			})
		}
		wg.Wait()
		if codes[http.StatusUnauthorized] > 5 {
			t.Errorf("%d of 40 parallel guesses were checked (answers %v); at most 5 may be", codes[http.StatusUnauthorized], codes)
		}
	})
}

func TestOneAddressIsThrottledAfterThirtyFailures(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for i := range 7 {
			e.user(account.NewUser{Email: "u" + strconv.Itoa(i) + "@contoh.id"})
		}
		b := e.browser()
		for i := range 30 {
			b.post("/login", url.Values{"login": {"u" + strconv.Itoa(i/5) + "@contoh.id"}, "password": {"salah"}}).wantStatus(http.StatusUnauthorized)
		}
		a := b.post("/login", url.Values{"login": {"u6@contoh.id"}, "password": {pw}}).wantStatus(http.StatusTooManyRequests)
		if a.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
	})
}

// Five failures of one account from one address make the next try from there
// wait a minute (throttle.go doubles it with every further failure); the
// page says so and keeps what was typed.
func TestSixthSignInAfterFiveFailuresMustWait(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti"})
		e.user(account.NewUser{Email: "budi@contoh.id", Name: "Budi"})
		b := e.browser()
		for i := range 5 {
			b.post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {"tebakan ke " + strconv.Itoa(i)}}).wantStatus(http.StatusUnauthorized)
		}
		// Even the right password waits, from this address.
		a := e.browser().post("/login", url.Values{"login": {"Siti@Contoh.id"}, "password": {pw}}).wantStatus(http.StatusTooManyRequests)
		if a.setCookie(sessionCookie) != nil {
			t.Error("a throttled sign-in set a session cookie")
		}
		msg := a.text("#form-error")
		m := regexp.MustCompile(`tunggu (\d+) menit`).FindStringSubmatch(msg)
		if m == nil {
			t.Fatalf("message %q does not say how many minutes to wait", msg)
		}
		if n, _ := strconv.Atoi(m[1]); n != 1 {
			t.Errorf("wait %d minutes, want 1 (the clock stood still)", n)
		}
		ra, err := strconv.Atoi(a.Header.Get("Retry-After"))
		if err != nil || ra < 59 || ra > 61 {
			t.Errorf("Retry-After %q, want about 60 seconds", a.Header.Get("Retry-After"))
		}
		if got, _ := a.attr("#login", "value"); got != "Siti@Contoh.id" {
			t.Errorf("typed login not kept on the throttled answer: %q", got)
		}
		// Another account from the same address is not held up.
		e.signIn("budi@contoh.id", pw)

		// After the wait the right password works again.
		e.clock.add(time.Minute + time.Second)
		e.signIn("siti@contoh.id", pw)
	})
}

func TestPasswordTypedIntoTheLoginFieldStaysOutOfTheAuditTrail(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		const secret = "kopi luwak banyuwangi"
		e.browser().post("/login", url.Values{"login": {secret}, "password": {""}}).wantStatus(http.StatusUnauthorized)
		for _, x := range e.auditEntries("session.login_failed") {
			if strings.Contains(strings.ToLower(x.ActorLabel+x.Summary+x.Before+x.After), secret) {
				t.Errorf("the audit trail holds what was typed as login: %+v", x)
			}
		}
		if strings.Contains(e.signIn("admin@contoh.id", pw).get("/admin/audit").Body, secret) {
			t.Error("the audit page shows what was typed as login")
		}
	})
}

func TestSignInGivesANewHttpOnlySessionCookieAndIsAudited(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		u := e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti Aminah"})
		b := e.browser()
		b.setCookie(sessionCookie, "s_planted_by_someone_else")
		a := b.post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {pw}}).wantRedirect("/")
		c := a.setCookie(sessionCookie)
		if c == nil || c.Value == "" {
			t.Fatalf("no session cookie set: %v", a.Cookies)
		}
		if c.Value == "s_planted_by_someone_else" {
			t.Error("the planted session cookie was kept")
		}
		if !c.HttpOnly {
			t.Error("session cookie is not HttpOnly")
		}
		if c.SameSite != http.SameSiteLaxMode {
			t.Errorf("session cookie SameSite = %v, want Lax", c.SameSite)
		}
		if c.Path != "/" {
			t.Errorf("session cookie path %q, want /", c.Path)
		}
		home := b.get("/").wantStatus(http.StatusOK)
		if got, want := home.text("h1"), e.cat.T(i18n.ID, "home.hello", "Siti Aminah"); got != want {
			t.Errorf("after sign-in the heading is %q, want %q", got, want)
		}
		logins := e.auditEntries("session.login")
		if len(logins) != 1 || logins[0].ObjectID != strconv.FormatInt(u.ID, 10) || logins[0].ActorID != u.ID {
			t.Errorf("audit session.login: %+v, want one entry by and about user %d", logins, u.ID)
		}

		// Signing in again from a signed-in browser rotates the session: the old
		// cookie stops working.
		first := b.cookie(sessionCookie)
		a = b.post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {pw}}).wantRedirect("/")
		second := a.setCookie(sessionCookie)
		if second == nil || second.Value == first {
			t.Fatalf("second sign-in kept the session token")
		}
		old := e.browser()
		old.setCookie(sessionCookie, first)
		old.get("/profile").wantRedirect("/login?next=%2Fprofile")
		b.get("/profile").wantStatus(http.StatusOK)
	})
}

func TestSignInReturnsToTheAskedPageButNeverToAnotherSite(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		b := e.browser()
		b.get("/admin/users?role=kurator").wantRedirect("/login?next=" + url.QueryEscape("/admin/users?role=kurator"))
		form := b.get("/login?next=" + url.QueryEscape("/admin/users?role=kurator")).wantStatus(http.StatusOK)
		next, _ := form.attr("form[action='/login'] input[name=next]", "value")
		if next != "/admin/users?role=kurator" {
			t.Fatalf("hidden next = %q", next)
		}
		b.post("/login", url.Values{"login": {"admin@contoh.id"}, "password": {pw}, "next": {next}}).wantRedirect("/admin/users?role=kurator")

		for _, evil := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			b := e.browser()
			b.post("/login", url.Values{"login": {"admin@contoh.id"}, "password": {pw}, "next": {evil}}).wantRedirect("/")
			f := e.browser().get("/login?next=" + url.QueryEscape(evil))
			if v, _ := f.attr("form[action='/login'] input[name=next]", "value"); v != "/" {
				t.Errorf("login form keeps next %q as %q, want /", evil, v)
			}
		}
	})
}

func TestUserWithOneTimePasswordMustChangeItBeforeAnythingElse(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const otp = "ABCD-EFGH-JKLM-NPQR"
		e.user(account.NewUser{Email: "kurator@contoh.id", Name: "Bu Kurator", Role: role.Kurator, Password: otp, MustChangePassword: true})
		b := e.browser()
		b.post("/login", url.Values{"login": {"kurator@contoh.id"}, "password": {otp}, "next": {"/profile"}}).wantRedirect("/password")
		for _, path := range []string{"/", "/profile", "/admin/users", "/privacy", "/tidak-ada", "/login"} {
			b.get(path).wantRedirect("/password")
		}
		b.post("/profile/tokens", url.Values{"name": {"x"}}).wantRedirect("/password")
		// What the change page itself needs still loads.
		page := b.get("/password").wantStatus(http.StatusOK)
		if page.find("p.notice").Length() != 1 {
			t.Error("the change page does not say why the user is there")
		}
		css, _ := page.attr("link[rel=stylesheet]", "href")
		b.get(css).wantStatus(http.StatusOK)
		b.post("/lang", url.Values{"lang": {"id"}, "next": {"/password"}}).wantRedirect("/password")

		// Mismatched new passwords: the message is at the repeat field, nothing is
		// refilled.
		a := b.post("/password", url.Values{"password": {"kopi luwak banyuwangi"}, "password2": {"kopi luwak jember"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if a.fieldError("password2") == "" {
			t.Error("no message at the repeated password")
		}
		for _, f := range []string{"password", "password2"} {
			if v, _ := a.attr("#f-"+f, "value"); v != "" {
				t.Errorf("password field %s refilled with %q", f, v)
			}
		}
		b.get("/profile").wantRedirect("/password")

		b.post("/password", url.Values{"password": {"kopi luwak banyuwangi"}, "password2": {"kopi luwak banyuwangi"}}).wantRedirect("/")
		home := b.get("/").wantStatus(http.StatusOK)
		if got, want := home.text(".flash"), e.cat.T(i18n.ID, "flash.password_changed"); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}

		// From now on a change asks for the current password; a wrong one is
		// refused at its field.
		a = b.post("/password", url.Values{"current": {"bukan ini"}, "password": {"teh poci tegal wangi"}, "password2": {"teh poci tegal wangi"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldError("current"); got != "Kata sandi saat ini salah." {
			t.Errorf("current-password error %q", got)
		}
		if v, _ := a.attr("#f-current", "value"); v != "" {
			t.Errorf("the current password refilled with %q", v)
		}
		b.get("/profile").wantStatus(http.StatusOK)
		if n := len(e.auditEntries("user.change_password")); n != 1 {
			t.Errorf("%d user.change_password entries, want 1", n)
		}
		e.browser().post("/login", url.Values{"login": {"kurator@contoh.id"}, "password": {otp}}).wantStatus(http.StatusUnauthorized)
		e.signIn("kurator@contoh.id", "kopi luwak banyuwangi").get("/").wantStatus(http.StatusOK)
	})
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		newUser := url.Values{"name": {"Staf Baru"}, "email": {"baru@contoh.id"}, "role": {"staf_galeri"}}
		login := url.Values{"login": {"admin@contoh.id"}, "password": {pw}}
		crossSite := [][]string{
			{"Sec-Fetch-Site", "cross-site"},
			{"Origin", "https://evil.example"},
		}
		for _, h := range crossSite {
			a := e.browser().post("/login", login, h...).wantStatus(http.StatusForbidden)
			if a.setCookie(sessionCookie) != nil {
				t.Errorf("%s: cross-site sign-in set a session cookie", h)
			}
			if got := a.text("h1"); got != "Akses ditolak" {
				t.Errorf("%s: refusal page heading %q", h, got)
			}
			adm.post("/admin/users", newUser, h...).wantStatus(http.StatusForbidden)
			adm.post("/lang", url.Values{"lang": {"en"}}, h...).wantStatus(http.StatusForbidden)
		}
		if _, err := e.accounts.ByLogin(context.Background(), "baru@contoh.id"); err == nil {
			t.Fatal("a cross-site POST created an account")
		}
		// The same requests from the site itself go through, and links from other
		// sites still open pages.
		adm.post("/admin/users", newUser, "Sec-Fetch-Site", "same-origin", "Origin", e.ts.URL).wantStatus(http.StatusCreated)
		e.browser().post("/login", login, "Sec-Fetch-Site", "same-origin").wantRedirect("/")
		e.browser().get("/", "Sec-Fetch-Site", "cross-site").wantStatus(http.StatusOK)
	})
}

func TestCrossSiteRefusalSpeaksTheUsersLanguage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.setCookie(langCookie, "en")
		a := b.post("/login", url.Values{"login": {"x@contoh.id"}}, "Sec-Fetch-Site", "cross-site").wantStatus(http.StatusForbidden)
		if got, want := a.text("h1"), e.cat.T(i18n.EN, "error.403.title"); got != want {
			t.Errorf("heading %q, want %q", got, want)
		}
	})
}

func TestApplicantIsRefusedAdminPagesAndTheAttemptIsAudited(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		u := e.user(account.NewUser{Email: "ukm@contoh.id", Name: "Ibu UKM", Role: role.Pemohon})
		b := e.signIn("ukm@contoh.id", pw)
		a := b.get("/admin/users").wantStatus(http.StatusForbidden)
		if got := a.text("h1"); got != "Akses ditolak" {
			t.Errorf("heading %q, want Akses ditolak", got)
		}
		if a.find("nav a[href='/admin/users']").Length() != 0 {
			t.Error("the applicant's menu offers the users page")
		}
		denied := e.auditEntries("access.denied")
		if len(denied) != 1 {
			t.Fatalf("%d access.denied entries, want 1", len(denied))
		}
		if d := denied[0]; d.ActorID != u.ID || d.ObjectType != "page" || d.ObjectID != "/admin/users" {
			t.Errorf("access.denied entry %+v", d)
		}
		for _, r := range []struct{ method, path string }{
			{"GET", "/admin/users/new"}, {"GET", "/admin/audit"}, {"GET", "/admin/settings"},
			{"GET", "/admin/users/" + strconv.FormatInt(u.ID, 10)},
			{"POST", "/admin/users"}, {"POST", "/admin/settings"},
			{"POST", "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/role"},
		} {
			var a *answer
			if r.method == "GET" {
				a = b.get(r.path)
			} else {
				a = b.post(r.path, url.Values{"role": {"admin"}, "name": {"x"}, "email": {"x@contoh.id"}})
			}
			if a.Status != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", r.method, r.path, a.Status)
			}
		}
		if got, _ := e.accounts.Get(context.Background(), u.ID); got.Role != role.Pemohon {
			t.Errorf("the applicant changed their own role to %s", got.Role)
		}
		if n := len(e.auditEntries("access.denied")); n != 8 {
			t.Errorf("%d access.denied entries, want 8", n)
		}
	})
}

func TestAnonymousVisitorIsSentToSignIn(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		for _, path := range []string{"/admin/users", "/admin/audit?action=user.", "/profile", "/profile/tokens/1", "/password"} {
			b.get(path).wantRedirect("/login?next=" + url.QueryEscape(path))
		}
		b.get("/login").wantStatus(http.StatusOK)
		b.get("/register").wantStatus(http.StatusOK)
		b.get("/privacy").wantStatus(http.StatusOK)
	})
}

func TestSigningInAfterAnExpiredSessionNeverLandsOnA404(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti"})
		b := e.browser()
		b.setCookie(sessionCookie, "s_expired")
		a := b.post("/logout", nil)
		form := b.follow(a).wantStatus(http.StatusOK)
		next, _ := form.attr("form[action='/login'] input[name=next]", "value")
		a = b.post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {pw}, "next": {next}})
		if end := b.follow(a); end.Status != http.StatusOK {
			t.Errorf("after signing in the user lands on %d (next %q)", end.Status, next)
		}
	})
}

// Another user's token is not found, like one that does not exist
// (oracle_test.go compares the two answers), unless one is the admin.
func TestAnotherUsersTokenPageIsRefusedUnlessAdmin(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "ukm@contoh.id", Name: "Ibu UKM"})
		other := e.user(account.NewUser{Email: "staf@contoh.id", Name: "Pak Staf", Role: role.StafGaleri})
		e.admin("admin@contoh.id")
		ob := e.signIn("ukm@contoh.id", pw)
		ob.post("/profile/tokens", url.Values{"name": {"Laporan bulanan"}}).wantStatus(http.StatusCreated)
		ids := ob.get("/profile").linkIDs("a", "/profile/tokens/")
		if len(ids) != 1 {
			t.Fatalf("token links on the profile: %v", ids)
		}
		path := "/profile/tokens/" + ids[0]

		if got := ob.get(path).wantStatus(http.StatusOK).text("h1"); !strings.Contains(got, "Laporan bulanan") {
			t.Errorf("owner's token page heading %q", got)
		}
		sb := e.signIn("staf@contoh.id", pw)
		a := sb.get(path).wantStatus(http.StatusNotFound)
		if strings.Contains(a.Body, "Laporan bulanan") {
			t.Error("the refusal shows the token's name")
		}
		sb.post(path+"/revoke", nil).wantStatus(http.StatusNotFound)
		denied := e.auditEntries("access.denied")
		if len(denied) != 2 {
			t.Fatalf("%d access.denied entries, want 2", len(denied))
		}
		for _, d := range denied {
			if d.ActorID != other.ID || d.ObjectType != "api_token" || d.ObjectID != ids[0] {
				t.Errorf("access.denied entry %+v", d)
			}
		}
		if n := len(e.auditEntries("token.revoke")); n != 0 {
			t.Errorf("another user revoked the token")
		}
		e.signIn("admin@contoh.id", pw).get(path).wantStatus(http.StatusOK)
		sb.get("/profile/tokens/999999").wantStatus(http.StatusNotFound)
		sb.get("/profile/tokens/abc").wantStatus(http.StatusNotFound)
	})
}

func TestAdminCreatesStaffAccountWithOneTimePassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		form := adm.get("/admin/users/new").wantStatus(http.StatusOK)
		for _, f := range []string{"name", "email", "phone", "role", "division"} {
			if form.find("label[for='f-"+f+"']").Length() != 1 {
				t.Errorf("field %s has no label", f)
			}
		}
		a := adm.post("/admin/users", url.Values{"name": {"Dewi Kurator"}, "email": {"Dewi@Contoh.id"}, "phone": {"0812 3456 7890"}, "role": {"kurator"}, "division": {""}}).
			wantStatus(http.StatusCreated)
		if a.find("#otp").Length() != 1 {
			t.Fatalf("the one-time password is not shown once: %d #otp", a.find("#otp").Length())
		}
		otp := a.text("#otp")
		if !regexp.MustCompile(`^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$`).MatchString(otp) {
			t.Fatalf("one-time password %q", otp)
		}
		if strings.Count(a.Body, otp) != 1 {
			t.Errorf("the one-time password appears %d times on the answer", strings.Count(a.Body, otp))
		}
		if got := a.text("h1"); got != "Dewi Kurator" {
			t.Errorf("heading %q", got)
		}
		u, err := e.accounts.ByLogin(context.Background(), "dewi@contoh.id")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != role.Kurator || !u.MustChangePassword || u.Phone != "+6281234567890" {
			t.Errorf("created %+v", u)
		}
		// Shown once: the user's page never shows it again, nor does the trail.
		again := adm.get("/admin/users/" + strconv.FormatInt(u.ID, 10)).wantStatus(http.StatusOK)
		if again.find("#otp").Length() != 0 || strings.Contains(again.Body, otp) {
			t.Error("the one-time password is shown again on the user's page")
		}
		for _, x := range e.auditEntries("user.create") {
			if strings.Contains(x.Summary+x.Before+x.After, otp) {
				t.Error("the one-time password is in the audit trail")
			}
		}
		if !strings.Contains(adm.get("/admin/users").text("#users"), "dewi@contoh.id") {
			t.Error("the new account is not in the list")
		}

		// The new user signs in with it and must choose their own password.
		nb := e.browser()
		nb.post("/login", url.Values{"login": {"dewi@contoh.id"}, "password": {otp}}).wantRedirect("/password")
		nb.post("/password", url.Values{"current": {otp}, "password": {"rujak cingur surabaya"}, "password2": {"rujak cingur surabaya"}}).wantRedirect("/")
		if got, want := nb.get("/").text(".lead"), e.cat.T(i18n.ID, "home.role.kurator"); got != want {
			t.Errorf("kurator's home says %q, want %q", got, want)
		}
	})
}

func TestAdminCannotCreateASecondAccountWithTheSameEmail(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		adm.post("/admin/users", url.Values{"name": {"Dewi"}, "email": {"dewi@contoh.id"}, "role": {"staf_galeri"}}).wantStatus(http.StatusCreated)
		a := adm.post("/admin/users", url.Values{"name": {"Dewi Lain"}, "email": {" DEWI@contoh.id "}, "phone": {"0813 1111 2222"}, "role": {"pimpinan"}})
		if a.Status != http.StatusUnprocessableEntity && a.Status != http.StatusConflict {
			t.Fatalf("status %d, want 422 or 409", a.Status)
		}
		if a.find("#otp").Length() != 0 {
			t.Fatal("a one-time password was shown for a refused account")
		}
		if got := a.fieldError("email"); !strings.Contains(got, "sudah terdaftar") {
			t.Errorf("e-mail error %q", got)
		}
		for f, want := range map[string]string{"name": "Dewi Lain", "email": " DEWI@contoh.id ", "phone": "0813 1111 2222"} {
			if got, _ := a.attr("#f-"+f, "value"); got != want {
				t.Errorf("%s kept as %q, want %q", f, got, want)
			}
		}
		if got, _ := a.attr("#f-role option[selected]", "value"); got != "pimpinan" {
			t.Errorf("role kept as %q, want pimpinan", got)
		}
		if a.find("[role=alert]").Length() != 1 {
			t.Error("no summary message above the form")
		}
		if n, _ := e.accounts.Count(context.Background()); n != 2 {
			t.Errorf("%d accounts, want 2", n)
		}
	})
}

func TestDivisionOfficerWithoutDivisionIsRefusedAtTheDivisionField(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		a := adm.post("/admin/users", url.Values{"name": {"Pak Halal"}, "email": {"halal@contoh.id"}, "role": {"bidang"}, "division": {""}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldNote("division"); got != "Petugas bidang harus memilih bidangnya." {
			t.Errorf("division message %q", got)
		}
		if got, _ := a.attr("#f-role option[selected]", "value"); got != "bidang" {
			t.Errorf("role kept as %q, want bidang", got)
		}
		if got, _ := a.attr("#f-email", "value"); got != "halal@contoh.id" {
			t.Errorf("e-mail kept as %q", got)
		}
		if _, err := e.accounts.ByLogin(context.Background(), "halal@contoh.id"); err == nil {
			t.Fatal("the account was created")
		}
		// With the division it goes through.
		adm.post("/admin/users", url.Values{"name": {"Pak Halal"}, "email": {"halal@contoh.id"}, "role": {"bidang"}, "division": {"halal"}}).wantStatus(http.StatusCreated)
		u, err := e.accounts.ByLogin(context.Background(), "halal@contoh.id")
		if err != nil || u.Division != role.Halal {
			t.Fatalf("created %+v, %v", u, err)
		}
		// Changing a role to bidang without a division is refused the same way.
		a = adm.post("/admin/users/"+strconv.FormatInt(u.ID, 10)+"/role", url.Values{"role": {"bidang"}, "division": {""}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldNote("division"); got == "" {
			t.Error("no message at the division field on the role change")
		}
	})
}

func TestFormErrorsAtSelectsAreTiedToTheirSelects(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		a := adm.post("/admin/users", url.Values{"name": {"Pak Halal"}, "email": {"halal@contoh.id"}, "role": {"bidang"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldError("division"); got == "" {
			t.Error("no message tied to the division select")
		}
	})
}

func TestDeactivatedUserIsSignedOutAtOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		staff := e.user(account.NewUser{Email: "staf@contoh.id", Name: "Pak Staf", Role: role.StafGaleri})
		sb := e.signIn("staf@contoh.id", pw)
		sb.post("/profile/tokens", url.Values{"name": {"kasir"}}).wantStatus(http.StatusCreated)
		secret := sb.get("/profile").text("#new-token")
		if secret != "" {
			t.Error("the token secret is shown again on the profile")
		}
		created := sb.post("/profile/tokens", url.Values{"name": {"kasir 2"}}).wantStatus(http.StatusCreated)
		secret = created.text("#new-token")
		e.browser().get("/api/v1/me", "Authorization", "Bearer "+secret).wantStatus(http.StatusOK)
		if got, want := sb.get("/").text("h1"), e.cat.T(i18n.ID, "home.hello", "Pak Staf"); got != want {
			t.Fatalf("staff home heading %q, want %q", got, want)
		}

		adm := e.signIn("admin@contoh.id", pw)
		id := strconv.FormatInt(staff.ID, 10)
		adm.post("/admin/users/"+id+"/active", url.Values{"active": {"0"}}).wantRedirect("/admin/users/" + id)
		page := adm.get("/admin/users/" + id).wantStatus(http.StatusOK)
		if got, want := page.text(".flash"), e.cat.T(i18n.ID, "flash.saved"); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		if !strings.Contains(page.text(".facts"), "Nonaktif") {
			t.Errorf("the user's page does not say inactive: %q", page.text(".facts"))
		}

		// The staff member's very next request is anonymous.
		sb.get("/profile").wantRedirect("/login?next=%2Fprofile")
		if got, want := sb.get("/").text("h1"), e.cat.T(i18n.ID, "home.public.title"); got != want {
			t.Errorf("after deactivation the home heading is %q, want the public one", got)
		}
		e.browser().get("/api/v1/me", "Authorization", "Bearer "+secret).wantStatus(http.StatusUnauthorized)
		a := e.browser().post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {pw}}).wantStatus(http.StatusForbidden)
		if !strings.Contains(a.text("#form-error"), "dinonaktifkan") {
			t.Errorf("sign-in of a deactivated account says %q", a.text("#form-error"))
		}
		if n := len(e.auditEntries("user.deactivate")); n != 1 {
			t.Errorf("%d user.deactivate entries, want 1", n)
		}

		// Reactivated, they can sign in again.
		adm.post("/admin/users/"+id+"/active", url.Values{"active": {"1"}}).wantRedirect("/admin/users/" + id)
		e.signIn("staf@contoh.id", pw)
	})
}

func TestLastActiveAdminCannotBeDeactivated(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		id := strconv.FormatInt(admin.ID, 10)
		a := adm.post("/admin/users/"+id+"/active", url.Values{"active": {"0"}}).wantStatus(http.StatusConflict)
		if got := a.text("[role=alert]"); !strings.Contains(got, "satu-satunya admin aktif") {
			t.Errorf("message %q", got)
		}
		if got, _ := e.accounts.Get(context.Background(), admin.ID); !got.Active {
			t.Fatal("the last admin was deactivated")
		}
		if !strings.Contains(a.text(".facts"), "Aktif") {
			t.Error("the page does not show the admin as active")
		}
		adm.get("/admin/users").wantStatus(http.StatusOK)
		// Nor demoted.
		adm.post("/admin/users/"+id+"/role", url.Values{"role": {"pimpinan"}}).wantStatus(http.StatusConflict)

		// With a second admin, one of them can be demoted, and loses the admin
		// pages at their next request.
		second := e.admin("admin2@contoh.id")
		sb := e.signIn("admin2@contoh.id", pw)
		sb.get("/admin/users").wantStatus(http.StatusOK)
		sid := strconv.FormatInt(second.ID, 10)
		adm.post("/admin/users/"+sid+"/role", url.Values{"role": {"staf_galeri"}}).wantRedirect("/admin/users/" + sid)
		sb.get("/admin/users").wantStatus(http.StatusForbidden)
		// Now the first admin is the only one again.
		adm.post("/admin/users/"+id+"/active", url.Values{"active": {"0"}}).wantStatus(http.StatusConflict)
	})
}

func TestTwoAdminsDeactivatingEachOtherAtOnceLeaveOneActive(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		active := true
		for i := range 20 {
			a := e.admin("a" + strconv.Itoa(i) + "@contoh.id")
			b := e.admin("b" + strconv.Itoa(i) + "@contoh.id")
			ab, bb := e.signIn(a.Email, pw), e.signIn(b.Email, pw)
			var wg sync.WaitGroup
			wg.Go(func() { ab.post("/admin/users/"+strconv.FormatInt(b.ID, 10)+"/active", url.Values{"active": {"0"}}) })
			wg.Go(func() { bb.post("/admin/users/"+strconv.FormatInt(a.ID, 10)+"/active", url.Values{"active": {"0"}}) })
			wg.Wait()
			left, err := e.accounts.List(context.Background(), account.Filter{Role: role.Admin, Active: &active})
			if err != nil {
				t.Fatal(err)
			}
			if len(left) == 0 {
				t.Fatalf("round %d: no active admin is left", i)
			}
			// Start the next round with no active admin besides the new pair.
			if _, err := e.d.SQL().Exec("UPDATE users SET active = FALSE WHERE role = 'admin'"); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestAdminPasswordResetEndsSessionsAndShowsANewOneTimePassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		staff := e.user(account.NewUser{Email: "staf@contoh.id", Name: "Pak Staf", Role: role.StafGaleri})
		sb := e.signIn("staf@contoh.id", pw)
		adm := e.signIn("admin@contoh.id", pw)
		a := adm.post("/admin/users/"+strconv.FormatInt(staff.ID, 10)+"/reset-password", nil).wantStatus(http.StatusOK)
		otp := a.text("#otp")
		if otp == "" {
			t.Fatal("no one-time password shown")
		}
		sb.get("/profile").wantRedirect("/login?next=%2Fprofile")
		e.browser().post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {pw}}).wantStatus(http.StatusUnauthorized)
		e.browser().post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {otp}}).wantRedirect("/password")
	})
}

func TestSelfRegistrationCreatesAnApplicantWhoSignsInWithTheirPassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		form := b.get("/register").wantStatus(http.StatusOK)
		for _, f := range []string{"name", "email", "phone", "password", "password2"} {
			if form.find("label[for='f-"+f+"']").Length() != 1 || form.find("#f-"+f).Length() != 1 {
				t.Errorf("field %s lacks its input or label", f)
			}
		}
		a := b.post("/register", url.Values{
			"name": {"Siti Aminah"}, "email": {"Siti@Contoh.id"}, "phone": {"0812-3456-7890"},
			"password": {pw}, "password2": {pw},
		}).wantStatus(http.StatusOK)
		if got, want := a.text("#registered"), e.cat.T(i18n.ID, "register.done"); !strings.Contains(got, want) {
			t.Errorf("after registering the page says %q, want %q", got, want)
		}
		if got, _ := a.attr("#login", "value"); got != "Siti@Contoh.id" {
			t.Errorf("the sign-in form holds %q, want the e-mail just typed", got)
		}
		if a.setCookie(sessionCookie) != nil {
			t.Error("registering signed the visitor in: a known e-mail could not be answered alike")
		}
		b.post("/login", url.Values{"login": {"Siti@Contoh.id"}, "password": {pw}}).wantRedirect("/")
		home := b.get("/").wantStatus(http.StatusOK)
		if got, want := home.text("h1"), e.cat.T(i18n.ID, "home.hello", "Siti Aminah"); got != want {
			t.Errorf("heading %q, want %q", got, want)
		}
		u, err := e.accounts.ByLogin(context.Background(), "siti@contoh.id")
		if err != nil {
			t.Fatal(err)
		}
		if u.Role != role.Pemohon || u.Phone != "+6281234567890" || u.MustChangePassword || u.Lang != i18n.ID {
			t.Errorf("registered %+v", u)
		}
		// The phone number signs in too.
		e.signIn("0812 3456 7890", pw)
		if n := len(e.auditEntries("user.create")); n != 1 {
			t.Errorf("%d user.create entries, want 1", n)
		}

		// A role smuggled into the form is ignored.
		e.browser().post("/register", url.Values{
			"name": {"Penyusup"}, "email": {"penyusup@contoh.id"}, "role": {"admin"},
			"password": {pw}, "password2": {pw},
		}).wantStatus(http.StatusOK)
		if u, _ := e.accounts.ByLogin(context.Background(), "penyusup@contoh.id"); u.Role != role.Pemohon {
			t.Errorf("self-registration made a %s", u.Role)
		}
	})
}

func TestRegistrationShowsEachProblemAtItsField(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		a := b.post("/register", url.Values{
			"name": {"Siti Aminah"}, "email": {"siti@contoh.id"}, "phone": {"0812-ABCD"},
			"password": {pw}, "password2": {pw},
		}).wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldError("phone"); got == "" {
			t.Error("no message at the phone field")
		}
		if a.find(".field-error").Length() != 1 {
			t.Errorf("%d field messages, want only the phone's", a.find(".field-error").Length())
		}
		for f, want := range map[string]string{"name": "Siti Aminah", "email": "siti@contoh.id", "phone": "0812-ABCD", "password": "", "password2": ""} {
			if got, _ := a.attr("#f-"+f, "value"); got != want {
				t.Errorf("%s kept as %q, want %q", f, got, want)
			}
		}
		if a.setCookie(sessionCookie) != nil {
			t.Error("a refused registration signed the visitor in")
		}
		if n, _ := e.accounts.Count(context.Background()); n != 0 {
			t.Errorf("%d accounts after a refused registration", n)
		}

		a = b.post("/register", url.Values{"name": {"Siti"}, "email": {"siti@contoh.id"}, "password": {pw}, "password2": {pw + "!"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if a.fieldError("password2") == "" {
			t.Error("no message at the repeated password")
		}
		a = b.post("/register", url.Values{"name": {"Siti"}, "email": {"siti@contoh.id"}, "password": {"pendek"}, "password2": {"pendek"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldError("password"); !strings.Contains(got, "10") {
			t.Errorf("short password message %q", got)
		}

		// In English, the messages are English.
		en := e.browser()
		en.setCookie(langCookie, "en")
		a = en.post("/register", url.Values{"name": {""}, "email": {"bukan-email"}, "password": {pw}, "password2": {pw}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldError("email"); got != "Not a valid e-mail address, e.g. name@example.id." {
			t.Errorf("English e-mail message %q", got)
		}
		if got := a.fieldError("name"); got != "Name is required." {
			t.Errorf("English name message %q", got)
		}
	})
}

func TestNamesAreEscapedOnPages(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const name = `<script>alert("x")</script><b>Siti</b>`
		b := e.browser()
		b.post("/register", url.Values{"name": {name}, "email": {"siti@contoh.id"}, "password": {pw}, "password2": {pw}}).wantStatus(http.StatusOK)
		b.post("/login", url.Values{"login": {"siti@contoh.id"}, "password": {pw}}).wantRedirect("/")
		a := b.get("/").wantStatus(http.StatusOK)
		if !strings.Contains(a.text("h1"), name) {
			t.Errorf("heading %q does not show the name as text", a.text("h1"))
		}
		if n := a.find("script:not([src])").Length(); n != 0 {
			t.Errorf("%d script elements made from a name", n)
		}
		if a.find("b").Length() != 0 {
			t.Error("markup in a name became an element")
		}
	})
}

func TestSignOutEndsTheSession(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		u := e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti"})
		b := e.signIn("siti@contoh.id", pw)
		token := b.cookie(sessionCookie)
		b.post("/logout", nil).wantRedirect("/login")
		page := b.get("/login").wantStatus(http.StatusOK)
		if got, want := page.text(".flash"), e.cat.T(i18n.ID, "flash.logged_out"); got != want {
			t.Errorf("flash %q, want %q", got, want)
		}
		old := e.browser()
		old.setCookie(sessionCookie, token)
		old.get("/profile").wantRedirect("/login?next=%2Fprofile")
		if l := e.auditEntries("session.logout"); len(l) != 1 || l[0].ActorID != u.ID {
			t.Errorf("session.logout entries %+v", l)
		}
	})
}

func TestFlashCookieCannotInjectText(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.setCookie("etalase_pesan", "Akun_Anda_diblokir,_hubungi_0812")
		if got := b.get("/").text(".flash"); got != "" {
			t.Errorf("a foreign flash cookie was shown: %q", got)
		}
	})
}

func TestAdminSetsTheDataProtectionOfficerShownOnThePrivacyPage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		if e.browser().get("/privacy").wantStatus(http.StatusOK).find("#dpo").Length() != 0 {
			t.Fatal("a DPO is shown before one was set")
		}
		form := adm.get("/admin/settings").wantStatus(http.StatusOK)
		if got, _ := form.attr("#f-office\\.name", "value"); got != settings.Defaults[settings.OfficeName] {
			t.Errorf("office name field %q", got)
		}
		adm.post("/admin/settings", url.Values{
			settings.OfficeName: {settings.Defaults[settings.OfficeName]},
			settings.DPOName:    {"Drs. Bambang"}, settings.DPOEmail: {"ppdp@contoh.go.id"},
		}).wantRedirect("/admin/settings")
		p := e.browser().get("/privacy").wantStatus(http.StatusOK)
		if got := p.text("#dpo"); !strings.Contains(got, "Drs. Bambang") || !strings.Contains(got, "ppdp@contoh.go.id") {
			t.Errorf("privacy page DPO: %q", got)
		}
		if n := len(e.auditEntries("setting.update")); n != 2 {
			t.Errorf("%d setting.update entries, want 2", n)
		}
		trail := adm.get("/admin/audit?action=setting.").wantStatus(http.StatusOK)
		if n := trail.find("table.audit tbody tr").Length(); n != 2 {
			t.Errorf("audit page filtered by setting.: %d rows, want 2", n)
		}
	})
}

func TestHealthAndReadiness(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.get("/healthz").wantStatus(http.StatusOK)
		if a := b.get("/readyz").wantStatus(http.StatusOK); strings.TrimSpace(a.Body) != "ready" {
			t.Errorf("readyz body %q", a.Body)
		}
	})
}

func TestReadinessFailsWithoutADatabase(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t, db.SQLite)
	e := newEnv(t, d)
	d.Close()
	e.browser().get("/readyz").wantStatus(http.StatusServiceUnavailable)
	e.browser().get("/healthz").wantStatus(http.StatusOK)
}

func TestMetricsCountRequestsByRoutePattern(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		b := e.browser()
		b.get("/login").wantStatus(http.StatusOK)
		b.get("/login").wantStatus(http.StatusOK)
		adm.get("/admin/users/424242").wantStatus(http.StatusNotFound)
		adm.get("/admin/users/424243").wantStatus(http.StatusNotFound)
		m := b.get("/metrics").wantStatus(http.StatusOK)

		counts := map[[3]string]float64{}
		line := regexp.MustCompile(`^etalase_http_requests_total\{(.*)\} (\S+)$`)
		label := regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)
		for _, l := range strings.Split(m.Body, "\n") {
			g := line.FindStringSubmatch(l)
			if g == nil {
				continue
			}
			labels := map[string]string{}
			for _, p := range label.FindAllStringSubmatch(g[1], -1) {
				labels[p[1]] = p[2]
			}
			v, _ := strconv.ParseFloat(g[2], 64)
			counts[[3]string{labels["route"], labels["method"], labels["code"]}] = v
		}
		if len(counts) == 0 {
			t.Fatalf("no etalase_http_requests_total in:\n%.2000s", m.Body)
		}
		if got := counts[[3]string{"GET /login", "GET", "200"}]; got != 2 {
			t.Errorf(`GET /login 200 counted %v times, want 2; have %v`, got, counts)
		}
		if got := counts[[3]string{"POST /login", "POST", "303"}]; got != 1 {
			t.Errorf(`POST /login 303 counted %v, want 1`, got)
		}
		if got := counts[[3]string{"GET /admin/users/{id}", "GET", "404"}]; got != 2 {
			t.Errorf(`the user page is counted under its pattern %v times, want 2; have %v`, got, counts)
		}
		for k := range counts {
			if strings.Contains(k[0], "42424") {
				t.Errorf("a route label holds an id: %q", k[0])
			}
		}
		if !strings.Contains(m.Body, "etalase_http_request_duration_seconds_bucket") {
			t.Error("no request duration histogram")
		}
	})
}

func TestUnknownPageIsFriendlyInTheUsersLanguage(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.browser().get("/tidak-ada/sama-sekali").wantStatus(http.StatusNotFound)
		if got, want := a.text("h1"), e.cat.T(i18n.ID, "error.404.title"); got != want {
			t.Errorf("heading %q, want %q", got, want)
		}
		if a.find("main a[href='/']").Length() == 0 {
			t.Error("no way back to the home page")
		}
		if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type %q", ct)
		}
		en := e.browser()
		en.setCookie(langCookie, "en")
		a = en.get("/tidak-ada").wantStatus(http.StatusNotFound)
		if got, want := a.text("h1"), e.cat.T(i18n.EN, "error.404.title"); got != want {
			t.Errorf("English heading %q, want %q", got, want)
		}
		if got, _ := a.attr("html", "lang"); got != "en" {
			t.Errorf("html lang %q", got)
		}
		// A signed-in user keeps their menu on the error page.
		e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti"})
		a = e.signIn("siti@contoh.id", pw).get("/tidak-ada").wantStatus(http.StatusNotFound)
		if a.find("nav a[href='/profile']").Length() != 1 {
			t.Error("the signed-in menu is missing on the 404 page")
		}
	})
}

func TestUnknownAPIAddressAnswersJSON(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for _, path := range []string{"/api/unknown", "/api/v1/tidak-ada", "/api/v2/me"} {
			a := e.browser().get(path).wantStatus(http.StatusNotFound)
			if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s: Content-Type %q", path, ct)
			}
			var body apiError
			a.json(&body)
			if body.Error.Code != "not_found" || body.Error.Message == "" {
				t.Errorf("%s: error %+v", path, body.Error)
			}
		}
	})
}

func TestAPITokenWorksUntilRevoked(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.user(account.NewUser{Email: "siti@contoh.id", Name: "Siti Aminah", Phone: "081234567890"})
		api := e.browser()

		// Without a token: 401 with a message that says what to do.
		a := api.get("/api/v1/me").wantStatus(http.StatusUnauthorized)
		var body apiError
		a.json(&body)
		if body.Error.Code != "unauthorized" || !strings.Contains(body.Error.Message, "token API") {
			t.Errorf("no token: %+v", body.Error)
		}
		api.get("/api/v1/me", "Authorization", "Bearer etl_tebakan").wantStatus(http.StatusUnauthorized)
		api.get("/api/v1/me", "Authorization", "Basic c2l0aTpwdw==").wantStatus(http.StatusUnauthorized)
		a = api.get("/api/v1/me", "Accept-Language", "en")
		body = apiError{}
		a.json(&body)
		if !strings.HasPrefix(body.Error.Message, "Send an API token") {
			t.Errorf("English message %q", body.Error.Message)
		}

		// A session cookie is not an API credential.
		b := e.signIn("siti@contoh.id", pw)
		b.get("/api/v1/me").wantStatus(http.StatusUnauthorized)

		created := b.post("/profile/tokens", url.Values{"name": {"Laporan Excel"}}).wantStatus(http.StatusCreated)
		secret := created.text("#new-token")
		if !strings.HasPrefix(secret, "etl_") || len(secret) < 30 {
			t.Fatalf("token secret %q", secret)
		}
		if b.get("/profile").find("#new-token").Length() != 0 {
			t.Error("the secret is shown again")
		}
		a = api.get("/api/v1/me", "Authorization", "Bearer "+secret).wantStatus(http.StatusOK)
		if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		var me struct {
			ID    int64  `json:"id"`
			Name  string `json:"name"`
			Email string `json:"email"`
			Phone string `json:"phone"`
			Role  string `json:"role"`
			Lang  string `json:"lang"`
		}
		a.json(&me)
		if me.Role != "pemohon" || me.Email != "siti@contoh.id" || me.Name != "Siti Aminah" || me.Phone != "+6281234567890" || me.ID == 0 {
			t.Errorf("/api/v1/me = %+v", me)
		}
		if strings.Contains(a.Body, "password") || strings.Contains(a.Body, "hash") {
			t.Errorf("the API shows password data: %s", a.Body)
		}
		// The profile shows the token was used.
		if got := b.get("/profile").text("table tbody tr td:nth-child(4)"); got == "—" || got == "" {
			t.Errorf("last used %q after a use", got)
		}

		ids := b.get("/profile").linkIDs("a", "/profile/tokens/")
		if len(ids) != 1 {
			t.Fatalf("token links %v", ids)
		}
		b.post("/profile/tokens/"+ids[0]+"/revoke", nil).wantRedirect("/profile")
		if n := len(e.auditEntries("token.revoke")); n != 1 {
			t.Errorf("%d token.revoke entries", n)
		}
		a = api.get("/api/v1/me", "Authorization", "Bearer "+secret).wantStatus(http.StatusUnauthorized)
		body = apiError{}
		a.json(&body)
		if body.Error.Code != account.ErrBadToken.Code || body.Error.Message != account.ErrBadToken.Text.ID {
			t.Errorf("revoked token: %+v", body.Error)
		}
		a = api.get("/api/v1/me", "Authorization", "Bearer "+secret, "Accept-Language", "en").wantStatus(http.StatusUnauthorized)
		body = apiError{}
		a.json(&body)
		if body.Error.Message != account.ErrBadToken.Text.EN {
			t.Errorf("revoked token in English: %q, want %q", body.Error.Message, account.ErrBadToken.Text.EN)
		}

		// A token needs a name; the message is at the field.
		a = b.post("/profile/tokens", url.Values{"name": {"  "}}).wantStatus(http.StatusUnprocessableEntity)
		if a.fieldError("name") == "" {
			t.Error("no message at the token name")
		}
		if a.find("#new-token").Length() != 0 {
			t.Error("a refused token shows a secret")
		}
	})
}

func TestOpenAPIDocumentDescribesTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.browser().get("/api/v1/openapi.json").wantStatus(http.StatusOK)
		if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		var doc struct {
			OpenAPI string                               `json:"openapi"`
			Paths   map[string]map[string]map[string]any `json:"paths"`
		}
		a.json(&doc)
		if doc.OpenAPI != "3.1.0" {
			t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
		}
		if _, ok := doc.Paths["/api/v1/me"]["get"]; !ok {
			t.Error("GET /api/v1/me is not documented")
		}
		// Every documented operation exists on the server: it does not fall
		// through to the API's "no such endpoint" answer.
		methods := []string{"get", "post", "put", "patch", "delete"}
		n := 0
		for path, ops := range doc.Paths {
			if !strings.HasPrefix(path, "/api/v1/") {
				t.Errorf("documented path %q is outside /api/v1", path)
			}
			concrete := regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(path, "1")
			for m, op := range ops {
				if !slices.Contains(methods, m) {
					continue
				}
				n++
				if op["operationId"] == nil || op["responses"] == nil {
					t.Errorf("%s %s lacks operationId or responses", m, path)
				}
				b := e.browser()
				res := b.do(b.request(strings.ToUpper(m), concrete, nil))
				if res.Status == http.StatusNotFound && strings.Contains(res.Body, `"not_found"`) && !strings.Contains(path, "{") {
					t.Errorf("documented %s %s is not served", strings.ToUpper(m), path)
				}
			}
		}
		if n == 0 {
			t.Error("no operations documented")
		}
	})
}

// templateKeys returns every catalogue key the templates and handlers name
// literally, and the keys they build from roles, divisions, languages and
// error statuses, each with where it is used.
func templateKeys(t *testing.T) map[string][]string {
	t.Helper()
	keys := map[string][]string{}
	use := func(k, where string) {
		if !slices.Contains(keys[k], where) {
			keys[k] = append(keys[k], where)
		}
	}
	literal := []*regexp.Regexp{
		regexp.MustCompile(`\bt\s+\$?[a-z]*\.Lang\s+"([^"]+)"`), // {{t .Lang "key"}}, {{t $.Lang "key"}}, {{t $p.Lang "key"}}
		// (field . "name" "label.key" ...), (fieldIn $ "name" "label.key" ...), (field $ (printf ...) "label.key" ...)
		regexp.MustCompile(`\(field(?:In)?\s+[.$]\s+(?:"[^"]*"|\([^)]*\))\s+"([^"]+)"`),
		regexp.MustCompile(`\.WithHint\s+"([^"]+)"`), // (field ...).WithHint "hint.key"
	}
	for _, f := range templateFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range literal {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				use(m[1], f)
			}
		}
	}
	goFiles, _ := filepath.Glob("*.go")
	goKey := []*regexp.Regexp{
		regexp.MustCompile(`\bTitle:\s*"([^"]+)"`),
		regexp.MustCompile(`s\.flash\(w,\s*"([^"]+)"\)`),
	}
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range goKey {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				use(m[1], f)
			}
		}
	}
	// Keys built at run time whose full set is known here.
	for _, r := range role.All {
		use("role."+string(r), "roleName")
		use("home.role."+string(r), "templates/home.html")
	}
	for _, d := range role.Divisions {
		use("division."+string(d), "divisionName")
	}
	for _, l := range i18n.Langs {
		use("lang."+string(l)+".short", "templates/layout.html")
	}
	for _, k := range document.Kinds {
		if k.Number != "" {
			use("doc.number."+k.Code, "templates/intake/business.html")
		}
	}
	for _, st := range []string{"missing", document.Pending, document.Accepted, document.Returned, document.Replaced} {
		use("doc.status."+st, "templates/intake/business.html")
	}
	use("business.nik.kept", "templates/intake/business_form.html")
	for _, s := range []string{"403", "404", "4xx", "500"} {
		use("error."+s+".title", "templates/shell/error.html")
		use("error."+s+".body", "templates/shell/error.html")
	}
	return keys
}

func templateFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("templates/*.html")
	more, _ := filepath.Glob("templates/*/*.html")
	files = append(files, more...)
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	return files
}

func TestCatalogueHasEveryKeyThePagesUse(t *testing.T) {
	t.Parallel()
	cat, err := i18n.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	keys := templateKeys(t)
	if len(keys) < 100 {
		t.Fatalf("only %d keys found in the templates: is the pattern still right?", len(keys))
	}
	for k, where := range keys {
		for _, l := range i18n.Langs {
			if !cat.Has(l, k) {
				t.Errorf("key %q (used in %s) is missing from the %s catalogue", k, strings.Join(where, ", "), l)
			}
		}
	}
	// A key built with printf ("tl.%s") cannot be listed from the template alone;
	// at least its prefix must name keys in the catalogues.
	built := regexp.MustCompile(`\bt\s+\$?\.Lang\s+\(printf\s+"([a-z_.]+\.)%[sd]"`)
	for _, f := range templateFiles(t) {
		b, _ := os.ReadFile(f)
		for _, m := range built.FindAllStringSubmatch(string(b), -1) {
			if !slices.ContainsFunc(cat.Keys(i18n.ID), func(k string) bool { return strings.HasPrefix(k, m[1]) }) {
				t.Errorf("%s builds keys %q%%s, but no catalogue key starts with %q", f, m[1], m[1])
			}
		}
	}
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	cat, err := i18n.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	id, en := cat.Keys(i18n.ID), cat.Keys(i18n.EN)
	for _, k := range id {
		if !cat.Has(i18n.EN, k) {
			t.Errorf("%q is in the id catalogue but not in en", k)
		}
		if cat.T(i18n.ID, k) == "" || cat.T(i18n.EN, k) == "" {
			t.Errorf("%q is empty in a catalogue", k)
		}
	}
	for _, k := range en {
		if !cat.Has(i18n.ID, k) {
			t.Errorf("%q is in the en catalogue but not in id", k)
		}
	}
}

func TestLanguageSwitchKeepsTheWholeAddress(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.browser().get("/login?next=%2Fadmin%2Fusers").wantStatus(http.StatusOK)
		if got, _ := a.attr("form.lang input[name=next]", "value"); got != "/login?next=%2Fadmin%2Fusers" {
			t.Errorf("language form next %q", got)
		}
	})
}

// Keys built from a list of values the code knows (the message templates'
// names) are each in both catalogues: a template added without its name
// showed "msg.tpl.stock_expiring" on the admin's page.
func TestEveryMessageTemplateHasANameInBothLanguages(t *testing.T) {
	t.Parallel()
	cat, err := i18n.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range message.TemplateIDs() {
		for _, l := range i18n.Langs {
			if !cat.Has(l, "msg.tpl."+id) {
				t.Errorf("message template %q has no name (msg.tpl.%s) in the %s catalogue", id, id, l)
			}
		}
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/web"
)

// behindProxy makes the test server believe X-Forwarded-For from the test
// client, so that browsers can come from different addresses.
func behindProxy(_ *app.App, c *web.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")}
}

// from makes b's requests come from address ip (behind the trusted proxy).
func (b *browser) from(ip string) *browser {
	b.header.Set("X-Forwarded-For", ip)
	return b
}

func TestTheOwnerSignsInFromTheirOwnAddressWhileAnAttackersGuessesAreThrottled(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, behindProxy)
		e.user(account.NewUser{Email: "sri@keripik.id", Phone: "085233100202", Name: "Sri"})
		attacker := e.browser().from("203.0.113.66")
		for i, login := range []string{"sri@keripik.id", "085233100202", "sri@keripik.id", "0852 3310 0202", "sri@keripik.id"} {
			attacker.post("/login", url.Values{"login": {login}, "password": {"tebakan " + string(rune('a'+i))}}).wantStatus(http.StatusUnauthorized)
		}
		a := attacker.post("/login", url.Values{"login": {"085233100202"}, "password": {"tebakan lagi"}}).wantStatus(http.StatusTooManyRequests)
		if a.Header.Get("Retry-After") == "" || !strings.Contains(a.text("#form-error"), "tunggu") {
			t.Errorf("the throttled guess: Retry-After %q, message %q", a.Header.Get("Retry-After"), a.text("#form-error"))
		}
		owner := e.browser().from("10.1.1.1")
		owner.post("/login", url.Values{"login": {"sri@keripik.id"}, "password": {pw}}).wantRedirect("/")
	})
}

// A one-time password copied from paper onto a phone keyboard — lower case,
// no dashes — signs in, and the page that follows asks only for the new
// password.
func TestAOneTimePasswordInLowerCaseSignsInAndTheFirstChangeAsksOnlyTheNewPassword(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		u := e.user(account.NewUser{Email: "staf@contoh.id", Name: "Staf Baru", Role: role.StafGaleri})
		otp, err := e.accounts.ResetPassword(systemCtx(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		b.post("/login", url.Values{"login": {"staf@contoh.id"}, "password": {strings.ToLower(strings.ReplaceAll(otp, "-", ""))}}).wantRedirect("/password")
		form := b.get("/password").wantStatus(http.StatusOK)
		if form.find("#f-current").Length() != 0 {
			t.Error("the first change asks for the one-time password again")
		}
		// The one-time password is not a password of one's own.
		a := b.post("/password", url.Values{"password": {otp}, "password2": {otp}}).wantStatus(http.StatusUnprocessableEntity)
		if a.fieldError("password") == "" {
			t.Error("keeping the one-time password is not refused at its field")
		}
		b.post("/password", url.Values{"password": {"kopi luwak banyuwangi"}, "password2": {"kopi luwak banyuwangi"}}).wantRedirect("/")
		if b.get("/password").find("#f-current").Length() != 1 {
			t.Error("a later change does not ask for the current password")
		}
	})
}

func TestACommonPasswordIsRefusedWithAMessageSayingWhy(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.browser().post("/register", url.Values{"name": {"Siti"}, "email": {"siti@contoh.id"}, "password": {"Bismillah123"}, "password2": {"Bismillah123"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.fieldError("password"); !strings.Contains(got, "sering dipakai") {
			t.Errorf("message at the password %q, want it to say the password is common", got)
		}
	})
}

// The finding: registering with a taken e-mail said so, which told anyone who
// has an account. Now a known and an unknown e-mail get the same status, the
// same page and cookies, and both cost a password hash; only the unknown one
// gets an account.
func TestRegistrationAnswersTheSameForAKnownAndAnUnknownEmail(t *testing.T) {
	t.Parallel()
	// A hash slow enough to dominate the answer: an answer that skipped it for a
	// known e-mail would come back in a fraction of this.
	slow := account.Hasher{MemoryKiB: 8 * 1024, Time: 12, Threads: 1}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, func(a *app.App, _ *web.Config) { a.Accounts.Hasher = slow })
		e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri"})
		// The least of a few hashes is what one costs without other tests in the
		// way; contention only ever makes an answer slower.
		oneHash := time.Hour
		for range 5 {
			start := time.Now()
			if _, err := slow.Hash("seberapa lama satu hash"); err != nil {
				t.Fatal(err)
			}
			oneHash = min(oneHash, time.Since(start))
		}

		register := func(email string) (*answer, time.Duration) {
			b := e.browser()
			start := time.Now()
			a := b.post("/register", url.Values{"name": {"Sri Wahyuni"}, "email": {email}, "password": {"teh poci tegal wangi"}, "password2": {"teh poci tegal wangi"}})
			return a, time.Since(start)
		}
		known, knownTook := register("sri@keripik.id")
		unknown, unknownTook := register("siti@keripik.id")
		if known.Status != http.StatusOK || unknown.Status != known.Status {
			t.Fatalf("status %d for a known e-mail, %d for an unknown one; want 200 both", known.Status, unknown.Status)
		}
		if got, want := strings.ReplaceAll(known.Body, "sri@keripik.id", "EMAIL"), strings.ReplaceAll(unknown.Body, "siti@keripik.id", "EMAIL"); got != want {
			t.Errorf("the pages differ beyond the e-mail typed:\nknown:   %.400s\nunknown: %.400s", got, want)
		}
		names := func(a *answer) []string {
			var out []string
			for _, c := range a.Cookies {
				out = append(out, c.Name)
			}
			slices.Sort(out)
			return out
		}
		if !slices.Equal(names(known), names(unknown)) {
			t.Errorf("cookies %v for a known e-mail, %v for an unknown one", names(known), names(unknown))
		}
		// The timing class: both answers wait for a password hash. One that
		// skipped it would take a few milliseconds, far below a third of one.
		_, again := register("sri@keripik.id")
		knownTook = min(knownTook, again)
		_, again = register("wati@keripik.id")
		unknownTook = min(unknownTook, again)
		for what, took := range map[string]time.Duration{"known": knownTook, "unknown": unknownTook} {
			if took < oneHash/3 {
				t.Errorf("the answer for the %s e-mail took %v, far less than a password hash (%v)", what, took, oneHash)
			}
		}
		if n, _ := e.accounts.Count(context.Background()); n != 3 {
			t.Errorf("%d accounts, want the existing one and the two new ones", n)
		}
		if len(e.auditEntries("user.register_taken")) != 2 {
			t.Error("the registration with the known e-mail is not in the audit trail")
		}
	})
}

func TestRegistrationIsThrottledPerAddress(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d, behindProxy)
		e.accounts.RegistrationsPerHour = 10 // the Office's setting; 60 by default
		flood := e.browser().from("203.0.113.9")
		for i := range 10 {
			flood.post("/register", url.Values{"name": {"Banjir"}, "email": {"banjir" + string(rune('a'+i)) + "@contoh.id"}, "password": {pw}, "password2": {pw}}).wantStatus(http.StatusOK)
		}
		a := flood.post("/register", url.Values{"name": {"Banjir"}, "email": {"lagi@contoh.id"}, "password": {pw}, "password2": {pw}}).wantStatus(http.StatusTooManyRequests)
		if a.Header.Get("Retry-After") == "" || !strings.Contains(a.text(".error"), "Terlalu banyak pendaftaran") {
			t.Errorf("throttled registration: Retry-After %q, message %q", a.Header.Get("Retry-After"), a.text(".error"))
		}
		e.browser().from("10.1.1.1").post("/register", url.Values{"name": {"Tetangga"}, "email": {"tetangga@contoh.id"}, "password": {pw}, "password2": {pw}}).wantStatus(http.StatusOK)
	})
}

// Changing the password offers to revoke the API tokens, ticked: whoever knew
// the old password may have made one.
func TestAPasswordChangeRevokesAPITokensByDefault(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		u := e.user(account.NewUser{Email: "pimpinan@contoh.id", Name: "Pimpinan", Role: role.Pimpinan})
		b := e.signIn("pimpinan@contoh.id", pw)
		if b.get("/password").find("#tokens").Length() != 0 {
			t.Error("the token choice is offered to someone without tokens")
		}
		_, kept, _ := e.accounts.CreateToken(systemCtx(), u, "Laporan bulanan")
		form := b.get("/password").wantStatus(http.StatusOK)
		if v, _ := form.attr("#tokens input[checked]", "value"); v != "revoke" {
			t.Errorf("the preselected choice is %q, want revoke", v)
		}
		if !strings.Contains(form.text("#tokens legend"), "1") {
			t.Errorf("the choice %q does not say how many tokens", form.text("#tokens legend"))
		}
		b.post("/password", url.Values{"current": {pw}, "password": {"kopi luwak banyuwangi"}, "password2": {"kopi luwak banyuwangi"}, "tokens": {"keep"}}).wantRedirect("/")
		if _, err := e.accounts.TokenUser(context.Background(), kept); err != nil {
			t.Fatalf("a token kept on purpose stopped working: %v", err)
		}
		b.post("/password", url.Values{"current": {"kopi luwak banyuwangi"}, "password": {"teh poci tegal wangi"}, "password2": {"teh poci tegal wangi"}, "tokens": {"revoke"}}).wantRedirect("/")
		if _, err := e.accounts.TokenUser(context.Background(), kept); err == nil {
			t.Fatal("the token still works after a change that revoked it")
		}
	})
}

// HSTS is sent when the public address is https, and only then: on plain
// http (a laptop at the desk) it would lock browsers out of the address.
func TestHSTSIsSentWithAnHTTPSBaseURL(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		secure := newEnv(t, d, func(_ *app.App, c *web.Config) { c.BaseURL = "https://galeri.example.go.id" })
		for _, path := range []string{"/", "/login", "/api/v1/me"} {
			if got := secure.browser().get(path).Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=31536000") {
				t.Errorf("%s with an https base URL: Strict-Transport-Security %q", path, got)
			}
		}
	})
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		if got := newEnv(t, d).browser().get("/").Header.Get("Strict-Transport-Security"); got != "" {
			t.Errorf("without an https base URL: Strict-Transport-Security %q, want none", got)
		}
	})
}

package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
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

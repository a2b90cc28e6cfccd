package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/role"
)

func TestPasswordResetByLinkAnswersAlikeWorksOnceAndIsThrottled(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.user(account.NewUser{Email: "sri@keripik.id", Phone: "085233100202", Name: "Sri Wahyuni"})
		b := e.browser()
		known := b.post("/password/forgot", url.Values{"login": {"sri@keripik.id"}})
		unknown := b.post("/password/forgot", url.Values{"login": {"tidak.ada@keripik.id"}})
		if known.Status != http.StatusOK || unknown.Status != http.StatusOK || !strings.Contains(known.Body, `id="link-sent"`) ||
			known.text("main") != unknown.text("main") {
			t.Fatalf("known %d and unknown %d accounts answered differently", known.Status, unknown.Status)
		}
		list, _, err := e.app.Messages.List(ctx, message.Filter{Event: message.PasswordReset})
		if err != nil || len(list) != 1 || list[0].Channel != message.Email || list[0].Recipient != "sri@keripik.id" {
			t.Fatalf("reset messages %+v %v", list, err)
		}
		link := regexp.MustCompile(`/password/link/[A-Za-z0-9_-]+`).FindString(list[0].Body)
		if link == "" {
			t.Fatalf("no link in %q", list[0].Body)
		}
		if a := b.get(link); a.Status != http.StatusOK {
			t.Fatalf("link page %d", a.Status)
		}
		if a := b.post(link, url.Values{"password": {"pendek"}}); a.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a weak password: %d", a.Status)
		}
		if a := b.post(link, url.Values{"password": {"sambal pecel madiun pedas"}}); a.Status != http.StatusSeeOther {
			t.Fatalf("set by link: %d %s", a.Status, a.Body)
		}
		e.signIn("sri@keripik.id", "sambal pecel madiun pedas")
		if a := b.post(link, url.Values{"password": {"sambal pecel madiun lagi"}}); a.Status != http.StatusNotFound {
			t.Fatalf("a spent link used again: %d", a.Status)
		}
		if a := b.get("/password/link/dibuat-buat"); a.Status != http.StatusNotFound {
			t.Fatalf("a made-up link: %d", a.Status)
		}
		var last *answer
		for range 10 {
			last = b.post("/password/forgot", url.Values{"login": {"tidak.ada@keripik.id"}})
		}
		if last.Status != http.StatusTooManyRequests {
			t.Fatalf("the 12th request from one address: %d", last.Status)
		}
	})
}

func TestImportedApplicantsGetAnActivationLink(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		u, err := e.accounts.Create(systemCtx(), account.NewUser{Name: "Kholil", Phone: "081234500777", Role: role.Pemohon, NoPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		b := e.signIn("siti@galeri.id", pw)
		for range 2 {
			if a := b.post("/messages/activations", url.Values{}); a.Status != http.StatusSeeOther {
				t.Fatalf("activations %d", a.Status)
			}
		}
		list, _, _ := e.app.Messages.List(ctx, message.Filter{Event: message.AccountActivation})
		if len(list) != 1 || list[0].UserID != u.ID || list[0].Channel != message.WhatsApp {
			t.Fatalf("activation messages %+v", list)
		}
		link := regexp.MustCompile(`/password/link/[A-Za-z0-9_-]+`).FindString(list[0].Body)
		if a := e.browser().post(link, url.Values{"password": {"batik tulis madura asli"}}); a.Status != http.StatusSeeOther {
			t.Fatalf("activate %d", a.Status)
		}
		e.signIn("081234500777", "batik tulis madura asli")
	})
}

package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/web"
)

// BenchmarkStaffPages serves the staff's pages from a data set of 5,000
// applications, through the real router and middleware in this process (the
// load script, cmd/etalase-load, drives the real server against a bare one).
func BenchmarkStaffPages(b *testing.B) {
	for _, e := range dbtest.Engines {
		d := dbtest.Open(b, e)
		a := apptest.New(b, d)
		ctx := audit.WithActor(context.Background(), audit.System)
		clerk, err := a.Accounts.Create(ctx, account.NewUser{Email: "siti@galeri.id", Name: "Siti", Role: role.StafGaleri, Password: "batik tulis madura"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := perf.Seed(ctx, d, 5000, clerk.ID); err != nil {
			b.Fatal(err)
		}
		srv, err := web.New(web.Config{App: a, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			b.Fatal(err)
		}
		_, token, err := a.Accounts.Login(ctx, "siti@galeri.id", "batik tulis madura", "127.0.0.1", "")
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range []struct{ name, path string }{
			{"home", "/"}, {"list", "/applications"}, {"due", "/due"}, {"detail", "/applications/100"},
			{"search", "/applications?q=" + url.QueryEscape("keripik tempe")},
		} {
			b.Run(string(e)+"/"+p.name, func(b *testing.B) {
				for b.Loop() {
					req := httptest.NewRequest("GET", p.path, nil)
					req.AddCookie(&http.Cookie{Name: "etalase_sesi", Value: token})
					w := httptest.NewRecorder()
					srv.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("%s: %d", p.path, w.Code)
					}
				}
			})
		}
	}
}

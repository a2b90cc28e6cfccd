package perf_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/role"
)

// The generated data set is one the services read like their own: lists,
// search, the due list, and every application's numbered.
func TestSeedWritesADataSetTheServicesRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := apptest.New(t, d)
		s, err := perf.Seed(ctx, d, 600, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Submitted) == 0 {
			t.Fatal("no application waits for the document check")
		}
		p, err := a.Applications.List(ctx, application.Filter{Limit: application.MaxPageSize})
		if err != nil || len(p.Items) != application.MaxPageSize || p.Next == "" {
			t.Fatalf("list: %d rows, next %q, %v", len(p.Items), p.Next, err)
		}
		for _, w := range perf.SearchWords {
			if p, err := a.Applications.List(ctx, application.Filter{Search: w}); err != nil || len(p.Items) == 0 {
				t.Errorf("search %q: %d rows, %v", w, len(p.Items), err)
			}
		}
		for _, w := range perf.NoMatch {
			if p, err := a.Applications.List(ctx, application.Filter{Search: w}); err != nil || len(p.Items) != 0 {
				t.Errorf("search %q: %d rows, %v", w, len(p.Items), err)
			}
		}
		due, err := a.Applications.DueList(ctx, application.DueFilter{})
		if err != nil || len(due.Items) == 0 {
			t.Fatalf("due list: %d, %v", len(due.Items), err)
		}
		docs, err := a.Documents.Current(ctx, s.Submitted[0])
		if err != nil || len(docs) != 3 {
			t.Fatalf("documents of a submitted application: %d, %v", len(docs), err)
		}
		// The services go on after the data set (the ids and numbers given
		// explicitly do not collide with theirs).
		u, err := a.Accounts.Create(ctx, account.NewUser{Email: "baru@contoh.id", Name: "Baru", Role: role.Pemohon, Password: "batik tulis madura"})
		if err != nil || u.ID <= s.FirstID {
			t.Fatalf("a new account after the data set: %+v %v", u, err)
		}
	})
}

package demo_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/demo"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/vault"
)

// A newcomer's `serve --demo` shows applications in every state up to samples
// received, each reached through the same rules as the pages, and seeding twice
// adds nothing.
func TestDemoShowsApplicationsInEveryStateOfIntakeOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		accts := account.New(d)
		accts.Hasher = account.Hasher{MemoryKiB: 64, Time: 1, Threads: 1}
		v, _ := vault.Load(t.TempDir(), "")
		files, _ := document.NewStore(t.TempDir(), 0)
		cal := calendar.Store{DB: d}
		if err := cal.EnsureDefaults(ctx); err != nil {
			t.Fatal(err)
		}
		apps := &applicant.Service{DB: d, Vault: v}
		svc := demo.Services{DB: d, Accounts: accts, Applicants: apps, Intake: &intake.Service{DB: d, Applicants: apps, Files: files, Calendar: cal}}
		creds, err := demo.Seed(ctx, svc)
		if err != nil {
			t.Fatal(err)
		}
		if len(creds) < 10 {
			t.Fatalf("%d demo accounts, want every role and the applicants", len(creds))
		}
		for _, c := range creds {
			if _, _, err := accts.Login(ctx, c.Login, demo.Password, "127.0.0.1", ""); err != nil {
				t.Errorf("demo account %s cannot sign in with the printed password: %v", c.Login, err)
			}
		}
		list, err := svc.Intake.List(ctx, intake.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[sop.State]int{}
		for _, a := range list {
			seen[a.State]++
		}
		for _, st := range []sop.State{sop.Draft, sop.Submitted, sop.DocumentsReturned, sop.AwaitingSample, sop.InCuration} {
			if seen[st] == 0 {
				t.Errorf("no demo application in state %s (have %v)", st, seen)
			}
		}
		again, err := demo.Seed(ctx, svc)
		if err != nil || len(again) != 0 {
			t.Fatalf("seeding twice created %d accounts (%v)", len(again), err)
		}
		if n, _ := svc.Intake.List(ctx, intake.Filter{}); len(n) != len(list) {
			t.Fatalf("seeding twice changed the applications from %d to %d", len(list), len(n))
		}
	})
}

package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/demo"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/stock"
	"github.com/etalase-id/etalase/internal/workday"
)

// A newcomer's `serve --demo` shows applications in every state up to samples
// received, each reached through the same rules as the pages, and seeding twice
// adds nothing.
func TestDemoShowsApplicationsInEveryStateOfIntakeOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := apptest.New(t, d)
		accts := svc.Accounts
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
		page, err := svc.Applications.List(ctx, application.Filter{Limit: application.MaxPageSize})
		list := page.Items
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
		// Curation: a finished round with passed and not-passed products (one
		// with a reviewer disagreement, one failed at the legality gate), an
		// open round with reviews in progress, an open call; and the earlier
		// round whose products are now on display (the stock's part).
		rounds, err := svc.Curation.Rounds(ctx)
		if err != nil || len(rounds) != 4 {
			t.Fatalf("%d rounds (%v)", len(rounds), err)
		}
		var passed, failed, gate, disagree int
		for _, a := range list {
			ds, _ := svc.Curation.Decisions(ctx, a.ID)
			for pid, dd := range ds {
				res, err := svc.Curation.Result(ctx, a.ID, pid)
				if err != nil || res.Outcome.Grade == "" {
					t.Fatalf("a decided product without a graded result: %v", err)
				}
				if dd.Passed {
					passed++
				} else if failed++; dd.Reason == "" {
					t.Error("a not-passed product without reasons")
				}
				if !res.Gate.Passed {
					gate++
				}
				if len(res.Combined.Disagreements()) > 0 {
					disagree++
				}
			}
		}
		// Both rounds with every decision made are announced: nothing waits
		// in decided, the wingko maker (a product not passed) is announced,
		// the kerupuk (failed at the gate) went on through feedback to a
		// referral, which closed it, and each of the three applicants was
		// sent their result once per channel (WhatsApp and e-mail when they
		// gave one), in manual mode.
		if passed == 0 || failed < 2 || gate != 1 || disagree == 0 || seen[sop.Decided] != 0 || seen[sop.Announced] != 1 || seen[sop.Referred] != 1 {
			t.Errorf("finished round: %d passed, %d not, %d at the gate, %d disagreements, %d decided, %d announced, %d referred",
				passed, failed, gate, disagree, seen[sop.Decided], seen[sop.Announced], seen[sop.Referred])
		}
		var announced []string
		for _, rd := range rounds {
			if rd.Announced() {
				announced = append(announced, rd.Name)
			}
		}
		if len(announced) != 2 {
			t.Errorf("announced rounds %v, want November's and Bu Lilik's September round", announced)
		}
		var results, apps, dup int
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*), COUNT(DISTINCT application_id) FROM messages WHERE event IN ('result_passed', 'result_not_passed')").Scan(&results, &apps)
		_ = d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT application_id, channel FROM messages WHERE event IN ('result_passed', 'result_not_passed')
			GROUP BY application_id, channel HAVING COUNT(*) > 1) x`).Scan(&dup)
		if apps != 3 || results < 3 || dup != 0 {
			t.Errorf("%d result messages for %d applications (%d sent twice on a channel), want each of the 3 once per channel", results, apps, dup)
		}
		var notManual int
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM messages WHERE event IN ('result_passed', 'result_not_passed') AND status NOT IN ('queued', 'manual')").Scan(&notManual)
		if notManual != 0 {
			t.Errorf("%d result messages not waiting for the clerk", notManual)
		}
		if calls, _ := svc.Curation.OpenCalls(ctx); len(calls) != 1 {
			t.Errorf("%d open calls", len(calls))
		}
		var inProgress int
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM curation_reviews WHERE status = 'draft'").Scan(&inProgress)
		if inProgress == 0 {
			t.Error("no review in progress")
		}
		again, err := demo.Seed(ctx, svc)
		if err != nil || len(again) != 0 {
			t.Fatalf("seeding twice created %d accounts (%v)", len(again), err)
		}
		if n, _ := svc.Applications.List(ctx, application.Filter{Limit: application.MaxPageSize}); len(n.Items) != len(list) {
			t.Fatalf("seeding twice changed the applications from %d to %d", len(list), len(n.Items))
		}
	})
}

// The demo's gallery: items on display with stock in two locations, a lot
// near its expiry and a slow seller, and both in the public catalogue.
func TestDemoHasStockOnDisplay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := apptest.New(t, d)
		if _, err := demo.Seed(ctx, svc); err != nil {
			t.Fatal(err)
		}
		bal, err := svc.Stock.Balances(ctx, stock.BalanceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		locs := map[int64]bool{}
		for _, b := range bal {
			locs[b.LocationID] = true
		}
		if len(locs) < 2 {
			t.Errorf("stock in %d locations, want 2", len(locs))
		}
		if lots, err := svc.Stock.ExpiringLots(ctx, 30, 0); err != nil || len(lots) == 0 {
			t.Errorf("no lot near expiry (%v)", err)
		}
		if slow, err := svc.Stock.SlowSellers(ctx, 30); err != nil || len(slow) == 0 {
			t.Errorf("no slow seller (%v)", err)
		}
		if on, err := svc.Stock.Catalog(ctx, stock.CatalogQuery{}); err != nil || len(on) != 2 {
			t.Errorf("%d items in the catalogue (%v), want 2", len(on), err)
		}
	})
}

// Referrals: Pak Darmo's was made from the gate's finding, as the form
// suggests it, and one the division has not answered is late on the due list.
func TestDemoShowsAReferralFromTheGateLateOnTheDueList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		svc := apptest.New(t, d)
		if _, err := demo.Seed(ctx, svc); err != nil {
			t.Fatal(err)
		}
		u, _ := svc.Accounts.ByLogin(ctx, "darmo.kerupuk@demo.etalase.id")
		b, _ := svc.Applicants.ByOwner(ctx, u.ID)
		apps, _ := svc.Applications.ByBusiness(ctx, b.ID)
		if len(apps) == 0 {
			t.Fatal("no application of Darmo")
		}
		rs, _ := svc.Referrals.ForApplication(ctx, apps[0].ID)
		if len(rs) != 1 || rs[0].Division != role.Perizinan || !strings.Contains(rs[0].Reason, "Kerupuk") || !strings.Contains(rs[0].Reason, "BPOM") {
			t.Fatalf("Darmo's referral %+v: not the gate's finding", rs)
		}
		p, err := svc.Applications.DueList(ctx, application.DueFilter{Limit: application.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		late := 0
		for _, it := range p.Items {
			if it.Clock != nil && it.Clock.Kind == "referral" && it.Status == workday.Late {
				late++
			}
		}
		if late == 0 {
			t.Fatal("no late referral on the due list")
		}
	})
}

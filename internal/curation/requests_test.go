package curation_test

import (
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// An applicant names the open call their application is for, while it takes
// registrations; another applicant cannot; a round not taking registrations
// is refused at the field; staff see who asked for the round; once the
// application is in a round the wish cannot change.
func TestAnApplicantNamesTheOpenCallTheirApplicationIsFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1) // Monday 2 November 2026
		ctx, appID := w.ctx, w.appl.ID
		open, err := w.svc.CreateRound(ctx, w.clerk, curation.RoundInput{Name: "Kurasi Desember 2026", OpenCall: true,
			RegistrationOpens: "2026-10-26", RegistrationCloses: "2026-11-20", CurationOn: "2026-12-01"})
		if err != nil {
			t.Fatal(err)
		}
		later, err := w.svc.CreateRound(ctx, w.clerk, curation.RoundInput{Name: "Kurasi Januari 2027", OpenCall: true,
			RegistrationOpens: "2026-12-01", RegistrationCloses: "2026-12-20", CurationOn: "2027-01-12"})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := w.svc.CreateRound(ctx, w.clerk, curation.RoundInput{Name: "Kurasi internal"})
		if err != nil {
			t.Fatal(err)
		}
		if reg, _ := w.svc.Registering(ctx); len(reg) != 1 || reg[0].ID != open.ID {
			t.Fatalf("registering today: %+v; want only %s", reg, open.Name)
		}
		for _, id := range []int64{later.ID, plain.ID, 999} {
			if err := w.svc.RequestRound(ctx, w.owner, appID, id); code(err) != "curation.round_not_open" {
				t.Fatalf("asking for round %d: %v", id, err)
			}
		}
		stranger := w.user("Dewi Lestari", role.Pemohon)
		if err := w.svc.RequestRound(ctx, stranger, appID, open.ID); err == nil {
			t.Fatal("another applicant named the round of this application")
		}
		if _, ok, _ := w.svc.RequestedRound(ctx, appID); ok {
			t.Fatal("a refused wish was kept")
		}
		if err := w.svc.RequestRound(ctx, w.owner, appID, open.ID); err != nil {
			t.Fatal(err)
		}
		if rd, ok, err := w.svc.RequestedRound(ctx, appID); err != nil || !ok || rd.ID != open.ID {
			t.Fatalf("requested round %+v %v %v", rd, ok, err)
		}
		if asked, _ := w.svc.Requested(ctx, open.ID); !asked[appID] {
			t.Fatalf("staff do not see that %d asked for %s: %v", appID, open.Name, asked)
		}
		if err := w.svc.AddApplication(ctx, w.clerk, plain.ID, appID); err != nil {
			t.Fatal(err)
		}
		if _, ok, _ := w.svc.RequestedRound(ctx, appID); ok {
			t.Fatal("the wish still shows once the application is in a round")
		}
		if err := w.svc.RequestRound(ctx, w.owner, appID, 0); code(err) != "curation.in_round" {
			t.Fatalf("changing the wish once in a round: %v", err)
		}
	})
}

// The food type on the product form reaches the gate: the keripik, whose
// P-IRT was accepted, is corrected by the clerk to a frozen food (nugget
// tempe sold frozen may not use P-IRT); scored well by both reviewers, it
// does not pass, for want of BPOM MD.
func TestTheGateReadsTheFoodTypeOfTheProductForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx, appID := w.ctx, w.appl.ID
		p := w.keripik
		if _, _, err := w.app.Applicants.SaveProduct(ctx, w.clerk, w.biz.ID, p.ID, applicant.ProductInput{Name: "Nugget Tempe Beku 500 g", Category: "Makanan",
			FoodType: "beku", Composition: "Tempe, tepung roti, bawang putih", NetContent: "500 g", Packaging: "Plastik vakum", ShelfLifeDays: "90",
			Price: "35.000", CapacityPerMonth: "400", PIRT: p.PIRT, Reason: "Produk dijual beku, sesuai sampel"}); err != nil {
			t.Fatal(err)
		}
		w.round()
		for _, u := range []account.User{w.staff, w.expert} {
			x, err := w.svc.Assign(ctx, w.clerk, appID, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.svc.Declare(ctx, u, x.ID, false, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.SaveReview(ctx, u, appID, p.ID, curation.ReviewInput{Scores: w.scores(5), Submit: true}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := w.svc.Result(ctx, appID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		failed := false
		for _, f := range res.Gate.Failures {
			failed = failed || f.Code == curation.CodeBPOMRequired
		}
		if res.Outcome.Passed || !failed {
			t.Fatalf("a frozen food on a P-IRT: passed %v, gate failures %+v", res.Outcome.Passed, res.Gate.Failures)
		}
	})
}

package demo

import (
	"context"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/workday"
)

// seedCuration adds SOP steps 4 and 5: a finished and announced round (Kurasi
// November 2026: the wingko maker's two products, one passed and one not with
// the reviewers disagreeing, and the kerupuk that failed at the legality
// gate), an open
// round with reviews in progress (the keripik and the brem), and an open call
// for January on the public home page.
func seedCuration(ctx context.Context, s *app.App, c *clock, staff, expert account.User, applicants map[string]account.User) error {
	cur := s.Curation
	appOf := func(owner string) (int64, error) {
		b, err := s.Applicants.ByOwner(ctx, applicants[owner].ID)
		if err != nil {
			return 0, err
		}
		apps, err := s.Applications.ByBusiness(ctx, b.ID)
		if err != nil || len(apps) == 0 {
			return 0, fmt.Errorf("no application of %s: %v", owner, err)
		}
		return apps[0].ID, nil
	}
	rub, err := cur.LatestRubric(ctx, curation.DefaultRubricID)
	if err != nil {
		return err
	}
	// scores gives every criterion for food k, with the changes in set.
	scores := func(k int, set map[string]int, notes map[string]string) []curation.CriterionScore {
		var out []curation.CriterionScore
		for _, cr := range rub.Applicable("Makanan") {
			v := k
			if x, ok := set[cr.Code]; ok {
				v = x
			}
			out = append(out, curation.CriterionScore{Criterion: cr.Code, Score: v, Note: notes[cr.Code]})
		}
		return out
	}
	// assign assigns both reviewers to the application, and each declares no
	// conflict of interest.
	assign := func(appID int64) error {
		for _, u := range []account.User{staff, expert} {
			x, err := cur.Assign(ctx, staff, appID, u.ID)
			if err != nil {
				return err
			}
			if err := cur.Declare(ctx, u, x.ID, false, ""); err != nil {
				return err
			}
		}
		return nil
	}
	products := func(appID int64) ([]int64, error) { return s.Applications.ProductIDs(ctx, appID) }

	// The finished round.
	c.at(3, 14, 0)
	done, err := cur.CreateRound(ctx, staff, curation.RoundInput{Name: "Kurasi November 2026"})
	if err != nil {
		return err
	}
	wingko, err := appOf("Sumiati")
	if err != nil {
		return err
	}
	kerupuk, err := appOf("Darmo")
	if err != nil {
		return err
	}
	for _, id := range []int64{wingko, kerupuk} {
		if err := cur.AddApplication(ctx, staff, done.ID, id); err != nil {
			return err
		}
		if err := assign(id); err != nil {
			return err
		}
	}
	c.at(4, 10, 0)
	wp, err := products(wingko)
	if err != nil {
		return err
	}
	// Wingko original: good all round. Wingko durian: short shelf life, thin
	// packaging, and the reviewers disagree on its taste (staff 5, expert 2).
	reviews := []demoReview{
		{staff, wingko, wp[0], scores(4, map[string]int{"keunikan": 5}, nil), "Wingko khas Babat, renyah di luar, legit di dalam."},
		{expert, wingko, wp[0], scores(4, map[string]int{"desain": 3}, nil), "Layak galeri; desain kotak bisa lebih menarik."},
		{staff, wingko, wp[1], scores(3, map[string]int{"rasa": 5, "masa_simpan": 1, "kemasan": 2}, map[string]string{"kemasan": "Plastik bening tipis, wingko mudah remuk."}), ""},
		{expert, wingko, wp[1], scores(2, map[string]int{"rasa": 2, "masa_simpan": 1}, map[string]string{"rasa": "Aroma durian terlalu tajam, tekstur lembek.", "masa_simpan": "Hanya 7 hari; terlalu singkat untuk titip jual."}), ""},
	}
	kp, err := products(kerupuk)
	if err != nil {
		return err
	}
	reviews = append(reviews,
		demoReview{staff, kerupuk, kp[0], scores(4, nil, nil), "Renyah, rasa udang terasa."},
		demoReview{expert, kerupuk, kp[0], scores(4, map[string]int{"label": 3}, nil), "Produk baik, tetapi izin edar BPOM belum diserahkan."})
	for _, r := range reviews {
		if _, err := cur.SaveReview(ctx, r.u, r.appID, r.product, curation.ReviewInput{Scores: r.scores, Note: r.note, Submit: true}); err != nil {
			return err
		}
	}
	c.at(5, 11, 0)
	decide := func(appID, productID int64, edit string) error {
		res, err := cur.Result(ctx, appID, productID)
		if err != nil {
			return err
		}
		in := curation.DecisionInput{Passed: res.Outcome.Passed}
		if !in.Passed {
			in.Reason = res.SuggestedReason() + edit
		}
		_, err = cur.Decide(ctx, expert, appID, productID, in)
		return err
	}
	if err := decide(wingko, wp[0], ""); err != nil {
		return err
	}
	if err := decide(wingko, wp[1], "\n- Saran: kemas per buah dalam plastik tebal dan kotak karton, dan uji masa simpan bersama Dinas Kesehatan."); err != nil {
		return err
	}
	if err := decide(kerupuk, kp[0], "\n- Serahkan salinan izin edar BPOM MD 224115001234 ke loket galeri untuk diperiksa, lalu ajukan kembali."); err != nil {
		return err
	}
	// Every product decided: staff review the list and announce the round
	// (SOP step 5), through the same call as the round's page. Each applicant's
	// result waits in the message log (manual mode), and the public page lists
	// the wingko original.
	c.at(6, 9, 30)
	if _, err := s.AnnounceRound(ctx, staff, done.ID); err != nil {
		return fmt.Errorf("announcing %s: %w", done.Name, err)
	}

	// The open round, reviews in progress.
	c.at(8, 15, 0)
	open, err := cur.CreateRound(ctx, staff, curation.RoundInput{Name: "Kurasi Desember 2026"})
	if err != nil {
		return err
	}
	for i, owner := range []string{"Sri Wahyuni", "Dewi Lestari"} {
		id, err := appOf(owner)
		if err != nil {
			return err
		}
		if err := cur.AddApplication(ctx, staff, open.ID, id); err != nil {
			return err
		}
		if err := assign(id); err != nil {
			return err
		}
		if i > 0 {
			continue // the brem: nobody has started
		}
		ps, err := products(id)
		if err != nil {
			return err
		}
		// The keripik: staff submitted the first product; the expert has a draft.
		if _, err := cur.SaveReview(ctx, staff, id, ps[0], curation.ReviewInput{Scores: scores(4, map[string]int{"keunikan": 5}, nil), Note: "Renyah dan gurih, kemasan ber-zip.", Submit: true}); err != nil {
			return err
		}
		if _, err := cur.SaveReview(ctx, expert, id, ps[0], curation.ReviewInput{Scores: scores(4, nil, nil)[:3]}); err != nil {
			return err
		}
	}

	// An open call for the next round, on the public home page, taking
	// registrations: Pak Kholil's batik, submitted at the desk, is for it.
	today := workday.DateOf(c.end)
	next, err := cur.CreateRound(ctx, staff, curation.RoundInput{Name: "Kurasi Januari 2027", OpenCall: true,
		RegistrationOpens: today.AddDays(-10).String(), RegistrationCloses: today.AddDays(30).String(), CurationOn: today.AddDays(40).String()})
	if err != nil {
		return err
	}
	kholil, err := appOf("Moh. Kholil")
	if err != nil {
		return err
	}
	return cur.RequestRound(ctx, staff, kholil, next.ID)
}

// demoReview is one reviewer's submitted review of one product.
type demoReview struct {
	u       account.User
	appID   int64
	product int64
	scores  []curation.CriterionScore
	note    string
}

// curateAllPassed takes application appID through a round of its own: staff
// and expert assigned, no conflict declared, every product scored well by
// both, and each decided on its result (they pass). It returns the round.
func curateAllPassed(ctx context.Context, s *app.App, staff, expert account.User, round string, appID int64) (curation.Round, error) {
	rd, err := s.Curation.CreateRound(ctx, staff, curation.RoundInput{Name: round})
	if err != nil {
		return curation.Round{}, err
	}
	return rd, curateInRound(ctx, s, staff, expert, rd, appID)
}

func curateInRound(ctx context.Context, s *app.App, staff, expert account.User, rd curation.Round, appID int64) error {
	cur := s.Curation
	if err := cur.AddApplication(ctx, staff, rd.ID, appID); err != nil {
		return err
	}
	for _, u := range []account.User{staff, expert} {
		x, err := cur.Assign(ctx, staff, appID, u.ID)
		if err != nil {
			return err
		}
		if err := cur.Declare(ctx, u, x.ID, false, ""); err != nil {
			return err
		}
	}
	rub, err := cur.LatestRubric(ctx, curation.DefaultRubricID)
	if err != nil {
		return err
	}
	ids, err := s.Applications.ProductIDs(ctx, appID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		var scores []curation.CriterionScore
		for _, cr := range rub.Applicable("Makanan") {
			scores = append(scores, curation.CriterionScore{Criterion: cr.Code, Score: 4})
		}
		for _, u := range []account.User{staff, expert} {
			if _, err := cur.SaveReview(ctx, u, appID, id, curation.ReviewInput{Scores: scores, Submit: true}); err != nil {
				return err
			}
		}
		res, err := cur.Result(ctx, appID, id)
		if err != nil {
			return err
		}
		if !res.Outcome.Passed {
			return fmt.Errorf("product %d did not pass: %v", id, res.Outcome)
		}
		if _, err := cur.Decide(ctx, expert, appID, id, curation.DecisionInput{Passed: true}); err != nil {
			return err
		}
	}
	return nil
}

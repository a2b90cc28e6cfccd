package curation_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// world is an application in curation with two food products: keripik with
// its P-IRT accepted, and sambal whose P-IRT was never handed in.
type world struct {
	t        *testing.T
	ctx      context.Context
	d        *db.DB
	app      *app.App
	svc      *curation.Service
	clock    *time.Time
	owner    account.User
	clerk    account.User // runs the round
	staff    account.User // the staff reviewer
	expert   account.User
	other    account.User // an expert not assigned
	biz      applicant.Business
	keripik  applicant.Product
	sambal   applicant.Product
	appl     application.Application
	ktp      document.Document
	accounts int
}

func (w *world) user(name string, r role.Role) account.User {
	w.t.Helper()
	w.accounts++
	u, err := w.app.Accounts.Create(w.ctx, account.NewUser{Name: name, Email: fmt.Sprintf("%s%d@galeri.id", strings.ToLower(strings.Fields(name)[0]), w.accounts), Role: r, Password: "batik tulis madura"})
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

func newWorld(t *testing.T, d *db.DB, products int) *world {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB) // Monday
	w := &world{t: t, ctx: ctx, d: d, clock: &now}
	d.Now = func() time.Time { return *w.clock }
	w.app = apptest.New(t, d)
	w.svc = w.app.Curation
	w.owner = w.user("Sri Wahyuni", role.Pemohon)
	w.clerk, w.staff = w.user("Siti Clerk", role.StafGaleri), w.user("Rina Staf", role.StafGaleri)
	w.expert, w.other = w.user("Bambang Ahli", role.Kurator), w.user("Dewi Ahli", role.Kurator)
	var err error
	w.biz, _, err = w.app.Applicants.Save(ctx, w.owner, w.owner.ID, applicant.BusinessInput{
		Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003", NIB: "9120301234567",
		Address: "Jl. Sanan No. 12, Blimbing", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202",
		Category: "Makanan", Size: "mikro", YearStarted: "2015",
	})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(name, pirt string) applicant.Product {
		p, _, err := w.app.Applicants.SaveProduct(ctx, w.owner, w.biz.ID, 0, applicant.ProductInput{
			Name: name, Category: "Makanan", Composition: "Tempe, minyak, garam", NetContent: "250 g", Packaging: "Standing pouch",
			ShelfLifeDays: "180", Price: "Rp 25.000", CapacityPerMonth: "800", PIRT: pirt,
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.keripik = mk("Keripik Tempe Original 250 g", "2063573010234-28")
	ids := []int64{w.keripik.ID}
	if products > 1 {
		w.sambal = mk("Sambal Bawang 150 g", "2063573019999-29")
		ids = append(ids, w.sambal.ID)
	}
	up := func(kind, number string) document.Document {
		doc, _, err := w.app.Documents.Add(ctx, w.owner, document.Upload{BusinessID: w.biz.ID, Kind: kind, Number: number, File: pngFile(t), FileName: kind + ".png"})
		if err != nil {
			t.Fatalf("upload %s: %v", kind, err)
		}
		return doc
	}
	w.ktp = up("ktp", "3573054107850003")
	up("nib", "9120301234567")
	up("pirt", "2063573010234-28")
	a, err := w.app.Intake.Submit(ctx, w.owner, w.biz.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := w.app.Documents.Current(ctx, w.biz.ID)
	for _, doc := range docs {
		if err := w.app.Intake.ReviewDocument(ctx, w.clerk, a.ID, doc.ID, true, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.app.Applications.Do(ctx, w.clerk, a.ID, sop.AcceptDocuments, ""); err != nil {
		t.Fatal(err)
	}
	var samples []intake.SampleInput
	for _, id := range ids {
		samples = append(samples, intake.SampleInput{ProductID: id, Quantity: "3", ExpiryDate: "2027-04-30", ProductionCode: "KT-2610-07", Condition: "Baik"})
	}
	if _, err := w.app.Intake.RecordSamples(ctx, w.clerk, a.ID, samples); err != nil {
		t.Fatal(err)
	}
	w.appl, _ = w.app.Applications.Get(ctx, a.ID)
	if w.appl.State != sop.InCuration {
		t.Fatalf("setup: %s", w.appl.State)
	}
	return w
}

// scores gives every criterion that applies to the category the score k.
func (w *world) scores(k int) []curation.CriterionScore {
	r, err := w.svc.LatestRubric(w.ctx, curation.DefaultRubricID)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []curation.CriterionScore
	for _, c := range r.Applicable("Makanan") {
		out = append(out, curation.CriterionScore{Criterion: c.Code, Score: k, Note: "catatan " + c.Code})
	}
	return out
}

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	if err != nil {
		return "untyped: " + err.Error()
	}
	return ""
}

func (w *world) count(q string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

func (w *world) round() curation.Round {
	w.t.Helper()
	rd, err := w.svc.CreateRound(w.ctx, w.clerk, curation.RoundInput{Name: "Kurasi November 2026"})
	if err != nil {
		w.t.Fatal(err)
	}
	if err := w.svc.AddApplication(w.ctx, w.clerk, rd.ID, w.appl.ID); err != nil {
		w.t.Fatal(err)
	}
	return rd
}

func TestCurationRoundFromAssignmentToDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 2)
		ctx, appID := w.ctx, w.appl.ID

		// Rounds: bad input is refused, in both languages, and nothing is made.
		_, err := w.svc.CreateRound(ctx, w.clerk, curation.RoundInput{Name: "x", OpenCall: true})
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || len(e.Fields) < 4 || e.Fields[0].Text.EN == "" || e.Fields[0].Text.ID == "" {
			t.Fatalf("a bad round: %v", err)
		}
		if _, err := w.svc.CreateRound(ctx, w.expert, curation.RoundInput{Name: "Kurasi"}); code(err) != "curation.role" {
			t.Fatalf("an expert making a round: %v", err)
		}
		if n := w.count("SELECT COUNT(*) FROM curation_rounds"); n != 0 {
			t.Fatalf("%d rounds after refusals", n)
		}
		call, err := w.svc.CreateRound(ctx, w.clerk, curation.RoundInput{Name: "Kurasi Desember 2026", OpenCall: true,
			RegistrationOpens: "2026-11-01", RegistrationCloses: "2026-11-30", CurationOn: "2026-12-08"})
		if err != nil || call.RubricVersion != 1 {
			t.Fatalf("open call: %+v %v", call, err)
		}
		if calls, _ := w.svc.OpenCalls(ctx); len(calls) != 1 || calls[0].Name != "Kurasi Desember 2026" {
			t.Fatalf("open calls %+v", calls)
		}
		rd := w.round()
		if err := w.svc.AddApplication(ctx, w.clerk, call.ID, appID); code(err) != "curation.in_round" {
			t.Fatalf("one application in two rounds: %v", err)
		}

		if _, err := w.svc.Assign(ctx, w.clerk, appID, w.owner.ID); code(err) != "curation.reviewer" {
			t.Fatalf("assigning an applicant: %v", err)
		}
		sx, err := w.svc.Assign(ctx, w.clerk, appID, w.staff.ID)
		if err != nil || sx.Kind != curation.KindStaff {
			t.Fatalf("assign staff: %+v %v", sx, err)
		}
		ex, err := w.svc.Assign(ctx, w.clerk, appID, w.expert.ID)
		if err != nil || ex.Kind != curation.KindExpert {
			t.Fatalf("assign expert: %+v %v", ex, err)
		}
		if _, err := w.svc.Assign(ctx, w.clerk, appID, w.expert.ID); code(err) != "curation.assigned" {
			t.Fatalf("assigning twice: %v", err)
		}

		// The expert sees nothing of the application before declaring no
		// conflict of interest; the queue shows the assignment.
		if q, _ := w.svc.Queue(ctx, w.expert); len(q) != 1 || q[0].ApplicationID != appID {
			t.Fatalf("expert's queue %+v", q)
		}
		if _, err := w.app.Applications.GetFor(ctx, w.expert, appID); code(err) != "application.not_found" {
			t.Fatalf("before declaring: %v", err)
		}
		if err := w.svc.Declare(ctx, w.other, ex.ID, false, ""); code(err) != "curation.assignment_not_found" {
			t.Fatalf("declaring on someone else's assignment: %v", err)
		}
		if err := w.svc.Declare(ctx, w.expert, ex.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Declare(ctx, w.staff, sx.ID, false, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.app.Applications.GetFor(ctx, w.expert, appID); err != nil {
			t.Fatalf("after declaring: %v", err)
		}
		// An expert outside the assignment: 404, audited; the lists do not show it.
		denied := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")
		if _, err := w.app.Applications.GetFor(ctx, w.other, appID); code(err) != "application.not_found" {
			t.Fatalf("unassigned expert: %v", err)
		}
		if p, _ := w.app.Applications.ListFor(ctx, w.other, application.Filter{}); len(p.Items) != 0 {
			t.Fatalf("unassigned expert lists %d applications", len(p.Items))
		}
		if p, _ := w.app.Applications.ListFor(ctx, w.expert, application.Filter{}); len(p.Items) != 1 {
			t.Fatalf("assigned expert lists %d applications", len(p.Items))
		}
		// Nor a KTP, even of an assigned application.
		if _, _, err := w.app.Documents.Open(ctx, w.expert, w.ktp.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("expert opening the KTP: %v", err)
		}
		if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"); n != denied+2 {
			t.Fatalf("refusals audited: %d, want %d", n, denied+2)
		}

		// Bad reviews are refused and change nothing.
		bad := w.scores(4)
		bad[0].Score = 7
		_, err = w.svc.SaveReview(ctx, w.staff, appID, w.keripik.ID, curation.ReviewInput{Scores: bad})
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || !strings.Contains(e.Fields[0].Text.ID, "harus 1 sampai 5") || !strings.Contains(e.Fields[0].Text.EN, "must be 1 to 5") {
			t.Fatalf("score outside the scale: %v", err)
		}
		if _, err := w.svc.SaveReview(ctx, w.staff, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(4)[:3], Submit: true}); code(err) != curation.CodeReviewIncomplete {
			t.Fatalf("missing mandatory: %v", err)
		}
		if _, err := w.svc.SaveReview(ctx, w.clerk, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(4)}); code(err) != "curation.not_assigned" {
			t.Fatalf("a review by someone not assigned: %v", err)
		}
		if n := w.count("SELECT COUNT(*) FROM curation_reviews"); n != 0 {
			t.Fatalf("%d reviews after refusals", n)
		}

		// Staff: a draft, then submitted (twice: once recorded).
		if r, err := w.svc.SaveReview(ctx, w.staff, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(4)[:2]}); err != nil || r.Status != curation.Draft {
			t.Fatalf("draft: %+v %v", r, err)
		}
		for range 2 {
			if _, err := w.svc.SaveReview(ctx, w.staff, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(4), Note: "Renyah", Submit: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.SaveReview(ctx, w.staff, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(2), Submit: true}); code(err) != "curation.review_submitted" {
			t.Fatalf("changing a submitted review: %v", err)
		}
		if _, err := w.svc.SaveReview(ctx, w.staff, appID, w.sambal.ID, curation.ReviewInput{Scores: w.scores(3), Submit: true}); err != nil {
			t.Fatal(err)
		}
		// Blind: the expert does not see the staff's scores before submitting.
		rs, err := w.svc.Reviews(ctx, w.expert, appID)
		if err != nil || len(rs) != 2 || rs[0].Scores != nil || rs[0].Status != curation.Submitted {
			t.Fatalf("expert before submitting sees %+v %v", rs, err)
		}
		if _, err := w.svc.Result(ctx, appID, w.keripik.ID); code(err) != "curation.no_result" {
			t.Fatalf("a result before the expert: %v", err)
		}
		// The expert scores 5 on one criterion where staff gave 4... and 2 on
		// another: a disagreement beyond the spread of 1.
		es := w.scores(5)
		es[1].Score = 2
		if _, err := w.svc.SaveReview(ctx, w.expert, appID, w.keripik.ID, curation.ReviewInput{Scores: es, Submit: true}); err != nil {
			t.Fatal(err)
		}
		rs, _ = w.svc.Reviews(ctx, w.expert, appID)
		var staffSeen bool
		for _, r := range rs {
			if r.ProductID == w.keripik.ID && r.ReviewerID == w.staff.ID {
				staffSeen = len(r.Scores) > 0
			}
		}
		if !staffSeen {
			t.Fatal("after submitting, the expert should see the staff's scores")
		}
		res, err := w.svc.Result(ctx, appID, w.keripik.ID)
		if err != nil || !res.Gate.Passed || len(res.Combined.Disagreements()) != 1 || res.Outcome.Grade == "" {
			t.Fatalf("keripik result %+v %v", res, err)
		}
		if _, err := w.svc.SaveReview(ctx, w.expert, appID, w.sambal.ID, curation.ReviewInput{Scores: w.scores(4), Submit: true}); err != nil {
			t.Fatal(err)
		}
		sres, err := w.svc.Result(ctx, appID, w.sambal.ID)
		if err != nil || sres.Gate.Passed || sres.Outcome.Passed || !strings.Contains(sres.SuggestedReason(), "P-IRT") {
			t.Fatalf("sambal should fail at the gate: %+v %v", sres, err)
		}
		if n := w.count("SELECT COUNT(*) FROM curation_results"); n != 2 {
			t.Fatalf("%d results", n)
		}

		// Reopen: needs a reason; the result goes and comes back once resubmitted.
		mine, _ := w.svc.Reviews(ctx, w.staff, appID)
		if err := w.svc.ReopenReview(ctx, w.staff, mine[0].ID, " "); code(err) != "curation.reopen_reason" {
			t.Fatalf("reopen without a reason: %v", err)
		}
		if err := w.svc.ReopenReview(ctx, w.staff, mine[0].ID, "Salah ketik nilai kemasan"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Result(ctx, appID, mine[0].ProductID); code(err) != "curation.no_result" {
			t.Fatalf("a result after reopening: %v", err)
		}
		if _, err := w.svc.SaveReview(ctx, w.staff, appID, mine[0].ProductID, curation.ReviewInput{Scores: w.scores(4), Note: "Renyah", Submit: true}); err != nil {
			t.Fatal(err)
		}

		// Decisions: only the expert; a gate failure cannot pass; not passed needs a reason.
		if _, err := w.svc.Decide(ctx, w.staff, appID, w.keripik.ID, curation.DecisionInput{Passed: true}); code(err) != "curation.role" {
			t.Fatalf("staff deciding: %v", err)
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.sambal.ID, curation.DecisionInput{Passed: true}); code(err) != "curation.gate_failed" {
			t.Fatalf("passing a gate failure: %v", err)
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.sambal.ID, curation.DecisionInput{Reason: "  "}); code(err) != "curation.decision_reason" {
			t.Fatalf("not passed without a reason: %v", err)
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, curation.DecisionInput{Passed: true}); err != nil {
			t.Fatal(err)
		}
		if a, _ := w.app.Applications.Get(ctx, appID); a.State != sop.InCuration {
			t.Fatalf("one product of two decided moved the application to %s", a.State)
		}
		edited := sres.SuggestedReason() + "\n- Mohon urus P-IRT untuk sambal di Dinas Kesehatan."
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.sambal.ID, curation.DecisionInput{Reason: edited}); err != nil {
			t.Fatal(err)
		}
		a, _ := w.app.Applications.Get(ctx, appID)
		if a.State != sop.Decided {
			t.Fatalf("every product decided: the application is %s", a.State)
		}
		// Revise before the announcement, with a reason.
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, curation.DecisionInput{Reason: "Rasa terlalu asin"}); code(err) != "curation.revise_reason" {
			t.Fatalf("revise without a reason: %v", err)
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, curation.DecisionInput{Reason: "Rasa terlalu asin", ReviseReason: "Sampel kedua diuji ulang"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, curation.DecisionInput{Passed: true, ReviseReason: "Keliru, sampel kedua baik"}); err != nil {
			t.Fatal(err)
		}
		if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'decision.revise'"); n != 2 {
			t.Fatalf("%d revisions audited", n)
		}
		// After the announcement everything is frozen.
		if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error { _, err := w.svc.MarkAnnounced(ctx, tx, rd.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, curation.DecisionInput{Reason: "x", ReviseReason: "y"}); code(err) != "curation.announced" {
			t.Fatalf("revising after the announcement: %v", err)
		}
		if err := w.svc.ReopenReview(ctx, w.staff, mine[0].ID, "Coba lagi"); code(err) != "curation.announced" {
			t.Fatalf("reopening after the announcement: %v", err)
		}
		ds, _ := w.svc.Decisions(ctx, appID)
		if !ds[w.keripik.ID].Passed || ds[w.sambal.ID].Passed || ds[w.sambal.ID].Reason != edited {
			t.Fatalf("decisions %+v", ds)
		}
		entries, _ := audit.List(ctx, d, audit.Filter{Limit: 500})
		seen := map[string]bool{}
		for _, e := range entries {
			seen[e.Action] = true
		}
		for _, act := range []string{"round.create", "round.add_application", "assignment.create", "assignment.declare", "review.submit", "review.reopen", "decision.record", "application.decide"} {
			if !seen[act] {
				t.Errorf("no %s in the audit trail", act)
			}
		}
	})
}

func TestRubricEditKeepsTheRoundsVersionAndAConflictHandsTheAssignmentBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx, appID := w.ctx, w.appl.ID
		w.round()
		x, _ := w.svc.Assign(ctx, w.clerk, appID, w.expert.ID)
		if err := w.svc.Declare(ctx, w.expert, x.ID, true, ""); code(err) != "curation.conflict_note" {
			t.Fatalf("a conflict without saying what: %v", err)
		}
		if err := w.svc.Declare(ctx, w.expert, x.ID, true, "Kerabat pemilik usaha"); err != nil {
			t.Fatal(err)
		}
		if q, _ := w.svc.Queue(ctx, w.expert); len(q) != 0 {
			t.Fatalf("a handed-back assignment stays in the queue: %+v", q)
		}
		if _, err := w.app.Applications.GetFor(ctx, w.expert, appID); code(err) != "application.not_found" {
			t.Fatalf("after declaring a conflict: %v", err)
		}
		if _, err := w.svc.Assign(ctx, w.clerk, appID, w.expert.ID); code(err) != "curation.assigned" {
			t.Fatalf("re-assigning a conflicted expert: %v", err)
		}
		sx, _ := w.svc.Assign(ctx, w.clerk, appID, w.staff.ID)
		_ = w.svc.Declare(ctx, w.staff, sx.ID, false, "")
		if _, err := w.svc.SaveReview(ctx, w.staff, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(3)}); err != nil {
			t.Fatal(err)
		}
		// An admin edits the rubric: version 2; the round and the review keep 1.
		if _, _, err := w.svc.ReviseRubric(ctx, w.clerk, curation.DefaultRubricID, func(r *curation.Rubric) { r.PassMark = 60 }); code(err) != "curation.role" {
			t.Fatalf("staff editing the rubric: %v", err)
		}
		admin := w.user("Admin", role.Admin)
		next, changes, err := w.svc.ReviseRubric(ctx, admin, curation.DefaultRubricID, func(r *curation.Rubric) { r.PassMark = 60 })
		if err != nil || next.Version != 2 || len(changes) != 1 || changes[0].Path != "pass_mark" {
			t.Fatalf("revise: v%d %+v %v", next.Version, changes, err)
		}
		rd, _ := w.svc.RoundOf(ctx, appID)
		rs, _ := w.svc.Reviews(ctx, w.staff, appID)
		if rd.RubricVersion != 1 || len(rs) != 1 || rs[0].RubricVersion != 1 {
			t.Fatalf("round v%d, review %+v", rd.RubricVersion, rs)
		}
		if vs, _ := w.svc.RubricVersions(ctx, curation.DefaultRubricID); len(vs) != 2 || vs[1].PassMark != 55 {
			t.Fatalf("versions %+v", vs)
		}
	})
}

// N reviewers each submit their review twice at the same moment (a double
// click, a retried API call): each review is recorded once, and the combined
// result is computed once, from all of them.
func TestConcurrentSubmissionsRecordEachReviewOnceAndCombineOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx, appID := w.ctx, w.appl.ID
		w.round()
		reviewers := []account.User{w.staff, w.expert, w.other, w.user("Agus Staf", role.StafGaleri), w.user("Yuni Ahli", role.Kurator)}
		for _, u := range reviewers {
			x, err := w.svc.Assign(ctx, w.clerk, appID, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.svc.Declare(ctx, u, x.ID, false, ""); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make(chan error, 2*len(reviewers))
		start := make(chan struct{})
		for i, u := range reviewers {
			for range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, err := w.svc.SaveReview(ctx, u, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(1 + i%5), Submit: true})
					errs <- err
				}()
			}
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if n := w.count("SELECT COUNT(*) FROM curation_reviews WHERE status = 'submitted'"); n != len(reviewers) {
			t.Fatalf("%d reviews for %d reviewers", n, len(reviewers))
		}
		if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'review.submit'"); n != len(reviewers) {
			t.Fatalf("%d submissions audited for %d reviewers", n, len(reviewers))
		}
		if n := w.count("SELECT COUNT(*) FROM curation_results"); n != 1 {
			t.Fatalf("%d combined results", n)
		}
		res, err := w.svc.Result(ctx, appID, w.keripik.ID)
		if err != nil || len(res.Combined.Reviewers) != len(reviewers) {
			t.Fatalf("result from %d reviews: %v", len(res.Combined.Reviewers), err)
		}
		// Scores 1..5 once each on every criterion: the mean is 3, 50 of 100.
		if res.Combined.Score != 500 {
			t.Fatalf("combined score %v, want 50", res.Combined.Score)
		}
	})
}

var scans atomic.Int32

// pngFile is a small stand-in scan, different each time (the same file twice
// in a row is taken for a double tap).
func pngFile(t *testing.T) io.Reader {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	n := uint8(scans.Add(1))
	for x := range 40 {
		img.Set(x, x%30, color.RGBA{200, 30, n, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return &b
}

// A decision revised while its round is announced either lands before the
// freeze — and the announcement (the letter and the applicant's message)
// shows it — or is refused as announced: never a revision after the freeze,
// nor an announcement of a decision that was changed under it.
func TestADecisionRevisedDuringTheAnnouncementIsEitherInItOrRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d, 1)
		ctx, appID := w.ctx, w.appl.ID
		rd := w.round()
		for _, u := range []account.User{w.staff, w.expert} {
			x, err := w.svc.Assign(ctx, w.clerk, appID, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.svc.Declare(ctx, u, x.ID, false, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.SaveReview(ctx, u, appID, w.keripik.ID, curation.ReviewInput{Scores: w.scores(4), Submit: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, curation.DecisionInput{Passed: true}); err != nil {
			t.Fatal(err)
		}
		// Four revisers flip the decision as fast as they can until the round
		// is announced; the announcement starts once they are under way.
		var revised atomic.Int64
		started := make(chan struct{})
		var once sync.Once
		var wg sync.WaitGroup
		errs := make(chan error, 5)
		for g := range 4 {
			wg.Go(func() {
				for i := 0; ; i++ {
					// Every revision differs from the one before (the same
					// decision again is no revision).
					in := curation.DecisionInput{Passed: true, Reason: fmt.Sprintf("Renyah (%d.%d)", g, i), ReviseReason: fmt.Sprintf("Ditinjau ulang %d.%d", g, i)}
					if (g+i)%2 == 0 {
						in = curation.DecisionInput{Reason: fmt.Sprintf("Kemasan bocor (%d.%d)", g, i), ReviseReason: in.ReviseReason}
					}
					_, err := w.svc.Decide(ctx, w.expert, appID, w.keripik.ID, in)
					switch {
					case code(err) == "curation.announced":
						return
					case err != nil:
						errs <- fmt.Errorf("reviser %d: %w", g, err)
						return
					}
					if revised.Add(1) >= 3 {
						once.Do(func() { close(started) })
					}
				}
			})
		}
		// A reviser that fails stops; if all four fail before the
		// announcement starts, their errors say why (rather than a hang).
		stopped := make(chan struct{})
		go func() { wg.Wait(); close(stopped) }()
		select {
		case <-started:
		case <-stopped:
		}
		if _, err := w.app.AnnounceRound(ctx, w.clerk, rd.ID); err != nil {
			t.Fatal(err)
		}
		<-stopped
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		ds, err := w.svc.Decisions(ctx, appID)
		if err != nil {
			t.Fatal(err)
		}
		final := ds[w.keripik.ID]
		if n := w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'decision.revise'"); n != int(revised.Load()) {
			t.Fatalf("%d revisions audited, %d accepted", n, revised.Load())
		}
		_, letter, found, err := w.app.AnnouncementLetter(ctx, rd.ID)
		if err != nil || !found {
			t.Fatalf("the announcement letter: %v", err)
		}
		if onLetter := len(letter.Passed) == 1; onLetter != final.Passed || letter.NotPassed+len(letter.Passed) != 1 {
			t.Fatalf("the letter says %d passed and %d not, the decision stands at passed=%v %q (after %d revisions)",
				len(letter.Passed), letter.NotPassed, final.Passed, final.Reason, revised.Load())
		}
		var event, body string
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT event, body FROM messages WHERE application_id = ? AND event IN ('result_passed', 'result_not_passed')", appID).Scan(&event, &body); err != nil {
			t.Fatal(err)
		}
		if (event == "result_passed") != final.Passed || (!final.Passed && !strings.Contains(body, final.Reason)) {
			t.Fatalf("the applicant was sent %s (%q), the decision stands at passed=%v %q", event, body, final.Passed, final.Reason)
		}
	})
}

package curation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/sop"
)

func i18nText(id, en string) i18n.Text { return i18n.Text{ID: id, EN: en} }

var (
	errNotAssigned = apperr.New(apperr.Forbidden, "curation.not_assigned",
		"Produk ini tidak ditugaskan kepada Anda untuk dinilai.", "This product is not assigned to you for review.")
	errDeclareFirst = apperr.New(apperr.Conflict, "curation.declare_first",
		"Nyatakan dulu bahwa Anda tidak punya benturan kepentingan dengan usaha ini.",
		"First declare that you have no conflict of interest with this business.")
	errSubmitted = apperr.New(apperr.Conflict, "curation.review_submitted",
		"Penilaian ini sudah dikirim. Untuk mengubahnya, buka kembali dengan alasan.",
		"This review has been submitted. To change it, reopen it with a reason.")
	errReopenReason = apperr.InvalidField("curation.reopen_reason", "reason", i18nText(
		"Tuliskan alasan membuka kembali penilaian ini.", "Say why this review is being reopened."))
	errNotSubmitted = apperr.New(apperr.Conflict, "curation.review_not_submitted",
		"Penilaian ini belum dikirim; masih bisa diubah tanpa dibuka kembali.", "This review has not been submitted; it can still be changed without reopening.")
	errReviewNotFound = apperr.New(apperr.NotFound, "curation.review_not_found", "Penilaian tidak ditemukan.", "Review not found.")
	errDecided        = apperr.New(apperr.Conflict, "curation.decided",
		"Produk ini sudah diputuskan. Ubah keputusannya (dengan alasan) alih-alih membuka kembali penilaian.",
		"This product has been decided. Revise the decision (with a reason) instead of reopening a review.")
	errNoResult = apperr.New(apperr.Conflict, "curation.no_result",
		"Penilaian yang diperlukan untuk produk ini belum semua dikirim; hasil gabungannya belum ada.",
		"Not every required review of this product has been submitted; there is no combined result yet.")
	errGateFailed = apperr.InvalidField("curation.gate_failed", "decision", i18nText(
		"Produk ini tidak lolos pemeriksaan legalitas, jadi tidak dapat dinyatakan lolos, berapa pun nilainya.",
		"This product failed the legality gate, so it cannot pass whatever its score."))
	errDecisionReason = apperr.InvalidField("curation.decision_reason", "reason", i18nText(
		"Tuliskan alasan produk ini tidak lolos; alasan ini dikirim kepada pelaku usaha.",
		"Write why this product did not pass; the reason is sent to the business."))
	errReviseReason = apperr.InvalidField("curation.revise_reason", "revise_reason", i18nText(
		"Keputusan ini sudah tercatat. Tuliskan alasan mengubahnya.", "This decision is already recorded. Say why it is being revised."))
	errProduct = apperr.New(apperr.NotFound, "curation.product",
		"Produk ini bukan bagian dari permohonan.", "This product is not part of the application.")
	errOnBehalf = apperr.New(apperr.Forbidden, "curation.on_behalf",
		"Hanya staf galeri yang dapat memasukkan nilai dari formulir kertas tenaga ahli.",
		"Only gallery staff may type in an expert's paper scores.")
)

// Review statuses.
const (
	Draft     = "draft"
	Submitted = "submitted"
)

// StoredReview is one reviewer's review of one product.
type StoredReview struct {
	ID             int64      `json:"id"`
	AssignmentID   int64      `json:"assignment_id"`
	ApplicationID  int64      `json:"application_id"`
	ProductID      int64      `json:"product_id"`
	ReviewerName   string     `json:"reviewer"`
	Kind           string     `json:"kind"`
	Status         string     `json:"status"`
	EnteredByID    int64      `json:"entered_by_id,omitempty"` // staff who typed in paper scores on the reviewer's behalf
	EnteredBy      string     `json:"entered_by,omitempty"`
	ReopenedReason string     `json:"reopened_reason,omitempty"`
	UpdatedAt      time.Time  `json:"updated_at"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
	Review
}

// ReviewInput is what a reviewer saves: scores so far, notes, and whether to
// submit (explicit; a submitted review changes only by reopening it).
type ReviewInput struct {
	Scores []CriterionScore `json:"scores"`
	Note   string           `json:"note"`
	Submit bool             `json:"submit"`
	// OnBehalfOf is the reviewer whose paper scores staff type in; 0 for
	// one's own review.
	OnBehalfOf int64 `json:"on_behalf_of,omitempty"`
}

// Result is the combined result of a product, computed once its required
// reviews are in.
type Result struct {
	ApplicationID int64      `json:"application_id"`
	ProductID     int64      `json:"product_id"`
	RoundID       int64      `json:"round_id"`
	Combined      Combined   `json:"combined"`
	Outcome       Outcome    `json:"outcome"`
	Gate          GateResult `json:"gate"`
	ComputedAt    time.Time  `json:"computed_at"`
}

// SuggestedReason is the reason pre-filled for the expert: the outcome's
// reasons in plain Bahasa Indonesia, one a line.
func (r Result) SuggestedReason() string {
	var lines []string
	for _, x := range r.Outcome.Reasons {
		lines = append(lines, "- "+x.Text.ID)
	}
	return strings.Join(lines, "\n")
}

// Decision is the expert's decision on a product.
type Decision struct {
	ApplicationID int64     `json:"application_id"`
	ProductID     int64     `json:"product_id"`
	Passed        bool      `json:"passed"`
	Reason        string    `json:"reason,omitempty"`
	DecidedBy     string    `json:"decided_by"`
	DecidedAt     time.Time `json:"decided_at"`
}

// lockApplication makes concurrent curation writes on one application queue
// on PostgreSQL (SQLite's one writer queues them already), so the check of
// what is in and the write that follows are one step.
//
// It first takes the round's lock shared (roundLockKey), so that a review or
// decision changed while the round is announced cannot slip past the freeze:
// the announcement takes the same lock exclusively before it freezes the
// round (MarkAnnounced), so it waits for every change under way and then
// reads — for the letter and each applicant's message — what they committed;
// a change that comes after waits for the announcement, then finds the round
// announced and is refused. Changes in one round do not wait for each other.
//
// The lock is an advisory lock, not a share lock on the round's row: a row
// share lock lets each new change join the ones holding it even while the
// announcement waits, so a steady stream of changes would starve the
// announcement for ever; the lock manager queues a shared request behind an
// exclusive one that waits. The round is locked before the application, in
// the order the announcement takes them, so the two never deadlock.
func lockApplication(ctx context.Context, tx *db.Tx, appID int64) error {
	if tx.Engine() != db.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock_shared(hashtext('`+roundLockKey+`' || round_id))
		FROM curation_round_applications WHERE application_id = ? ORDER BY round_id`, appID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, "SELECT id FROM applications WHERE id = ? FOR UPDATE", appID)
	return err
}

// roundLockKey names a round's advisory lock on PostgreSQL, with the round's
// id after it. Two rounds whose keys hash alike merely wait for each other.
const roundLockKey = "curation.round:"

// lockRoundForAnnouncement takes round roundID's lock exclusively (see
// lockApplication): it returns once every change under way in the round has
// committed, and holds later ones off until the announcement ends.
func lockRoundForAnnouncement(ctx context.Context, tx *db.Tx, roundID int64) error {
	if tx.Engine() != db.Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext('`+roundLockKey+`' || CAST(? AS bigint)))`, roundID)
	return err
}

// activeAssignment is u's assignment to appID that still counts.
func (s *Service) activeAssignment(ctx context.Context, appID, reviewerID int64) (Assignment, error) {
	x, err := scanAssignment(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+assignmentCols+assignmentFrom+
		" WHERE x.application_id = ? AND x.reviewer_id = ? AND x.released_at IS NULL", appID, reviewerID))
	if errors.Is(err, errAssignmentNotFound) {
		return x, errNotAssigned
	}
	return x, err
}

// product returns the product of application a with id, or errProduct.
func (s *Service) product(ctx context.Context, a application.Application, productID int64) (applicant.Product, error) {
	ids, err := s.Applications.ProductIDs(ctx, a.ID)
	if err != nil {
		return applicant.Product{}, err
	}
	if !slices.Contains(ids, productID) {
		return applicant.Product{}, errProduct
	}
	return s.Applicants.Product(ctx, a.BusinessID, productID)
}

// SaveReview saves u's review of one product of application appID (or, for
// staff with in.OnBehalfOf, the paper review of that expert): a draft as the
// reviewer goes, or submitted. Submitting the same review again (a double
// click, an API retry) changes nothing; a submitted review otherwise changes
// only by ReopenReview. When the last required review of the product is in,
// its combined result is computed, once, in the same transaction.
func (s *Service) SaveReview(ctx context.Context, u account.User, appID, productID int64, in ReviewInput) (StoredReview, error) {
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return StoredReview{}, err
	}
	reviewerID, enteredBy := u.ID, any(nil)
	if in.OnBehalfOf != 0 && in.OnBehalfOf != u.ID {
		if !policy.CuratesRounds(u) {
			return StoredReview{}, errOnBehalf
		}
		reviewerID, enteredBy = in.OnBehalfOf, u.ID
	}
	var id int64
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := lockApplication(ctx, tx, appID); err != nil {
			return err
		}
		x, err := s.activeAssignment(ctx, appID, reviewerID)
		if err != nil {
			return err
		}
		if enteredBy != nil && x.Kind != KindExpert {
			return errOnBehalf
		}
		if x.Conflict != "none" {
			if enteredBy == nil {
				return errDeclareFirst
			}
			// The expert declared on the paper form that staff type in.
			if _, err := tx.ExecContext(ctx, "UPDATE curation_assignments SET conflict = 'none', conflict_note = ?, declared_at = ? WHERE id = ?",
				"Dinyatakan pada formulir kertas", tx.Now, x.ID); err != nil {
				return err
			}
		}
		rd, err := s.RoundOf(ctx, appID)
		if err != nil {
			return err
		}
		if rd.Announced() {
			return errAnnounced
		}
		if a.State != sop.InCuration {
			return errNotInCuration
		}
		p, err := s.product(ctx, a, productID)
		if err != nil {
			return err
		}
		rub, err := s.RubricVersion(ctx, rd.RubricID, rd.RubricVersion)
		if err != nil {
			return err
		}
		rev := Review{RubricID: rub.ID, RubricVersion: rub.Version, ReviewerID: reviewerID, Note: strings.TrimSpace(in.Note)}
		for _, sc := range in.Scores {
			sc.Note = strings.TrimSpace(sc.Note)
			rev.Scores = append(rev.Scores, sc)
		}
		old, err := s.review(ctx, appID, productID, reviewerID)
		if err != nil && !errors.Is(err, errReviewNotFound) {
			return err
		}
		if err == nil && old.Status == Submitted {
			if in.Submit && sameReview(old.Review, rev) {
				id = old.ID // the same submission again: recorded once
				return nil
			}
			return errSubmitted
		}
		if in.Submit {
			if err := CheckReview(rub, p.Category, rev); err != nil {
				return err
			}
		} else if err := checkDraft(rub, p.Category, rev); err != nil {
			return err
		}
		status, submittedAt := Draft, any(nil)
		if in.Submit {
			status, submittedAt = Submitted, tx.Now
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO curation_reviews (assignment_id, application_id, product_id, reviewer_id, rubric_id, rubric_version, status, note, entered_by, updated_at, submitted_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (application_id, product_id, reviewer_id) DO UPDATE SET status = excluded.status, note = excluded.note,
				entered_by = excluded.entered_by, updated_at = excluded.updated_at, submitted_at = excluded.submitted_at
			RETURNING id`, x.ID, appID, productID, reviewerID, rub.ID, rub.Version, status, rev.Note, enteredBy, tx.Now, submittedAt).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM curation_scores WHERE review_id = ?", id); err != nil {
			return err
		}
		for _, sc := range rev.Scores {
			if _, err := tx.ExecContext(ctx, "INSERT INTO curation_scores (review_id, criterion, score, note) VALUES (?, ?, ?, ?)", id, sc.Criterion, sc.Score, sc.Note); err != nil {
				return err
			}
		}
		if in.Submit {
			summary := fmt.Sprintf("Penilaian %s untuk %s dikirim", p.Name, a.Number)
			if enteredBy != nil {
				summary += " (dimasukkan staf dari formulir kertas atas nama " + x.ReviewerName + ")"
			}
			if err := audit.Record(ctx, tx, "review.submit", "review", fmt.Sprint(id), summary, nil, rev); err != nil {
				return err
			}
			return s.combine(ctx, tx, a, p, rd, rub)
		}
		return nil
	})
	if err != nil {
		return StoredReview{}, err
	}
	return s.reviewByID(ctx, id)
}

// sameReview reports whether two reviews say the same (a retried submission).
func sameReview(a, b Review) bool {
	key := func(r Review) string {
		sc := slices.Clone(r.Scores)
		slices.SortFunc(sc, func(x, y CriterionScore) int { return strings.Compare(x.Criterion, y.Criterion) })
		j, _ := json.Marshal(struct {
			S []CriterionScore
			N string
		}{sc, strings.TrimSpace(r.Note)})
		return string(j)
	}
	return key(a) == key(b)
}

// checkDraft checks what a draft has so far: only known criteria that apply,
// scores within their scale, notes not too long. Missing scores are fine.
func checkDraft(r Rubric, category string, rev Review) error {
	var f apperr.Form
	seen := map[string]bool{}
	for _, sc := range rev.Scores {
		c, ok := r.Criterion(sc.Criterion)
		if !ok || !c.Applies(category) || seen[sc.Criterion] {
			f.Addf("scores."+sc.Criterion, "Kriteria ini tidak dinilai untuk produk ini.", "This criterion is not scored for this product.")
			continue
		}
		seen[sc.Criterion] = true
		if sc.Score < c.Scale.Min || sc.Score > c.Scale.Max {
			f.Add("scores."+c.Code, i18n.Text{
				ID: fmt.Sprintf("Nilai %s harus %d sampai %d; yang diisi %d.", c.Name.ID, c.Scale.Min, c.Scale.Max, sc.Score),
				EN: fmt.Sprintf("The score for %s must be %d to %d; %d was entered.", c.Name.In(i18n.EN), c.Scale.Min, c.Scale.Max, sc.Score)})
		}
		if len([]rune(sc.Note)) > 2000 {
			f.Addf("notes."+c.Code, "Catatan terlalu panjang.", "The note is too long.")
		}
	}
	if len([]rune(rev.Note)) > 4000 {
		f.Addf("note", "Catatan umum terlalu panjang.", "The overall note is too long.")
	}
	return f.Err()
}

// combine computes the combined result of product p once every required
// review is in: at least the settings' number of staff and expert reviews,
// and every active assignment submitted. It runs in the transaction of the
// submission that completes them; a result already there is kept.
func (s *Service) combine(ctx context.Context, tx *db.Tx, a application.Application, p applicant.Product, rd Round, rub Rubric) error {
	var have int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM curation_results WHERE application_id = ? AND product_id = ?", a.ID, p.ID).Scan(&have); err != nil || have > 0 {
		return err
	}
	xs, err := s.Assignments(ctx, a.ID)
	if err != nil {
		return err
	}
	needStaff, needExpert, err := s.Required(ctx)
	if err != nil {
		return err
	}
	var reviews []Review
	staff, expert := 0, 0
	for _, x := range xs {
		if !x.Active() {
			continue
		}
		r, err := s.review(ctx, a.ID, p.ID, x.ReviewerID)
		if errors.Is(err, errReviewNotFound) || (err == nil && r.Status != Submitted) {
			return nil // not all in yet
		}
		if err != nil {
			return err
		}
		reviews = append(reviews, r.Review)
		if x.Kind == KindExpert {
			expert++
		} else {
			staff++
		}
	}
	if len(reviews) == 0 || staff < needStaff || expert < needExpert {
		return nil
	}
	c, err := Combine(rub, p.Category, reviews)
	if err != nil {
		return err
	}
	in, err := s.gateInput(ctx, a, p)
	if err != nil {
		return err
	}
	in.Now = tx.Now
	g := CheckGate(rub.Gate, in)
	o, err := Decide(rub, c, g)
	if err != nil {
		return err
	}
	cj, _ := json.Marshal(c)
	oj, _ := json.Marshal(struct {
		Outcome
		Gate GateResult `json:"gate"`
	}{o, g})
	_, err = tx.ExecContext(ctx, `INSERT INTO curation_results (application_id, product_id, round_id, score, grade, gate_passed, passed, combined, outcome, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, a.ID, p.ID, rd.ID, int(o.Score), o.Grade, g.Passed, o.Passed, string(cj), string(oj), tx.Now)
	return err
}

// gateInput gathers what the legality gate reads: the product's category and
// numbers, the business's size and regency, and its permits, of which only
// those accepted in step 1 count.
func (s *Service) gateInput(ctx context.Context, a application.Application, p applicant.Product) (GateInput, error) {
	b, err := s.Applicants.Get(ctx, a.BusinessID)
	if err != nil {
		return GateInput{}, err
	}
	docs, err := s.Documents.Current(ctx, a.BusinessID)
	if err != nil {
		return GateInput{}, err
	}
	in := GateInput{Product: ProductFacts{Category: p.Category, FoodType: p.FoodType, PIRT: p.PIRT, BPOM: p.BPOM, Halal: p.Halal}, RegencyCode: b.RegencyCode}
	if sz, ok := idn.ParseBusinessSize(b.Size); ok {
		in.Size = sz
	}
	for _, d := range docs {
		switch d.Kind {
		case PermitPIRT, PermitBPOM, PermitHalal, PermitSNI, PermitTrademark:
		default:
			continue
		}
		if d.ProductID != 0 && d.ProductID != p.ID {
			continue
		}
		in.Permits = append(in.Permits, Permit{Kind: d.Kind, Number: d.Number, ExpiresOn: d.ExpiresOn, Accepted: d.Status == document.Accepted})
	}
	return in, nil
}

const reviewCols = `r.id, r.assignment_id, r.application_id, r.product_id, r.reviewer_id, u.name, x.kind, r.status, r.note, COALESCE(r.entered_by, 0), COALESCE(e.name, ''),
	r.reopened_reason, r.updated_at, r.submitted_at, r.rubric_id, r.rubric_version`
const reviewFrom = ` FROM curation_reviews r JOIN users u ON u.id = r.reviewer_id JOIN curation_assignments x ON x.id = r.assignment_id
	LEFT JOIN users e ON e.id = r.entered_by`

func (s *Service) scanReviews(ctx context.Context, q string, args ...any) ([]StoredReview, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+reviewCols+reviewFrom+q, args...)
	if err != nil {
		return nil, err
	}
	var out []StoredReview
	for rows.Next() {
		var r StoredReview
		var sub db.NullTime
		if err := rows.Scan(&r.ID, &r.AssignmentID, &r.ApplicationID, &r.ProductID, &r.ReviewerID, &r.ReviewerName, &r.Kind, &r.Status, &r.Note,
			&r.EnteredByID, &r.EnteredBy, &r.ReopenedReason, &r.UpdatedAt, &sub, &r.RubricID, &r.RubricVersion); err != nil {
			rows.Close()
			return nil, err
		}
		r.SubmittedAt = timePtr(sub)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		srows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT criterion, score, note FROM curation_scores WHERE review_id = ?", out[i].ID)
		if err != nil {
			return nil, err
		}
		byCode := map[string]CriterionScore{}
		for srows.Next() {
			var sc CriterionScore
			if err := srows.Scan(&sc.Criterion, &sc.Score, &sc.Note); err != nil {
				srows.Close()
				return nil, err
			}
			byCode[sc.Criterion] = sc
		}
		srows.Close()
		if err := srows.Err(); err != nil {
			return nil, err
		}
		// In the form's order.
		rub, err := s.RubricVersion(ctx, out[i].RubricID, out[i].RubricVersion)
		if err != nil {
			return nil, err
		}
		for _, c := range rub.Criteria {
			if sc, ok := byCode[c.Code]; ok {
				out[i].Scores = append(out[i].Scores, sc)
			}
		}
	}
	return out, nil
}

func (s *Service) review(ctx context.Context, appID, productID, reviewerID int64) (StoredReview, error) {
	rs, err := s.scanReviews(ctx, " WHERE r.application_id = ? AND r.product_id = ? AND r.reviewer_id = ?", appID, productID, reviewerID)
	if err != nil {
		return StoredReview{}, err
	}
	if len(rs) == 0 {
		return StoredReview{}, errReviewNotFound
	}
	return rs[0], nil
}

func (s *Service) reviewByID(ctx context.Context, id int64) (StoredReview, error) {
	rs, err := s.scanReviews(ctx, " WHERE r.id = ?", id)
	if err != nil {
		return StoredReview{}, err
	}
	if len(rs) == 0 {
		return StoredReview{}, errReviewNotFound
	}
	return rs[0], nil
}

// Reviews returns the reviews of application appID u may see. Reviews are
// blind (a setting): a reviewer assigned to the application sees the others'
// scores only after submitting their own review of that product; until then
// the others' reviews come back with their status but without scores or notes.
func (s *Service) Reviews(ctx context.Context, u account.User, appID int64) ([]StoredReview, error) {
	if _, err := s.Applications.GetFor(ctx, u, appID); err != nil {
		return nil, err
	}
	all, err := s.scanReviews(ctx, " WHERE r.application_id = ? ORDER BY r.product_id, x.kind DESC, r.id", appID)
	if err != nil {
		return nil, err
	}
	blind, err := s.Blind(ctx)
	if err != nil {
		return nil, err
	}
	_, assignedErr := s.activeAssignment(ctx, appID, u.ID)
	assigned := assignedErr == nil
	if !blind || !assigned {
		return all, nil
	}
	mine := map[int64]bool{} // products u has submitted
	for _, r := range all {
		if r.ReviewerID == u.ID && r.Status == Submitted {
			mine[r.ProductID] = true
		}
	}
	for i, r := range all {
		if r.ReviewerID != u.ID && !mine[r.ProductID] {
			all[i].Scores, all[i].Note = nil, ""
		}
	}
	return all, nil
}

// Review returns review id for u, within the same blind rule as Reviews.
func (s *Service) Review(ctx context.Context, u account.User, id int64) (StoredReview, error) {
	r, err := s.reviewByID(ctx, id)
	if err != nil {
		return r, err
	}
	all, err := s.Reviews(ctx, u, r.ApplicationID)
	if err != nil {
		return StoredReview{}, err
	}
	for _, x := range all {
		if x.ID == id {
			return x, nil
		}
	}
	return StoredReview{}, errReviewNotFound
}

// ReopenReview reopens a submitted review so its reviewer (or staff, for a
// paper review) can change it, with a reason (audited). The product's combined
// result goes until the review is submitted again. A decided product is
// revised through its decision instead.
func (s *Service) ReopenReview(ctx context.Context, u account.User, id int64, reason string) error {
	r, err := s.reviewByID(ctx, id)
	if err != nil {
		return err
	}
	a, err := s.Applications.GetFor(ctx, u, r.ApplicationID)
	if err != nil {
		return err
	}
	if r.ReviewerID != u.ID && !policy.CuratesRounds(u) {
		return errRole
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return errReopenReason
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := lockApplication(ctx, tx, r.ApplicationID); err != nil {
			return err
		}
		rd, err := s.RoundOf(ctx, r.ApplicationID)
		if err != nil {
			return err
		}
		if rd.Announced() {
			return errAnnounced
		}
		var decided int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM product_decisions WHERE application_id = ? AND product_id = ?", r.ApplicationID, r.ProductID).Scan(&decided); err != nil {
			return err
		}
		if decided > 0 {
			return errDecided
		}
		res, err := tx.ExecContext(ctx, "UPDATE curation_reviews SET status = 'draft', submitted_at = NULL, reopened_reason = ?, updated_at = ? WHERE id = ? AND status = 'submitted'",
			reason, tx.Now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errNotSubmitted
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM curation_results WHERE application_id = ? AND product_id = ?", r.ApplicationID, r.ProductID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "review.reopen", "review", fmt.Sprint(id), "Penilaian dibuka kembali ("+a.Number+"): "+reason, nil, map[string]string{"reason": reason})
	})
}

// Result returns the combined result of a product, or errNoResult.
func (s *Service) Result(ctx context.Context, appID, productID int64) (Result, error) {
	var r Result
	var cj, oj string
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT application_id, product_id, round_id, combined, outcome, computed_at FROM curation_results WHERE application_id = ? AND product_id = ?",
		appID, productID).Scan(&r.ApplicationID, &r.ProductID, &r.RoundID, &cj, &oj, &r.ComputedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Result{}, errNoResult
	}
	if err != nil {
		return Result{}, err
	}
	var o struct {
		Outcome
		Gate GateResult `json:"gate"`
	}
	if err := json.Unmarshal([]byte(cj), &r.Combined); err != nil {
		return Result{}, err
	}
	if err := json.Unmarshal([]byte(oj), &o); err != nil {
		return Result{}, err
	}
	r.Outcome, r.Gate = o.Outcome, o.Gate
	return r, nil
}

// Decisions returns the decisions recorded on an application, by product.
func (s *Service) Decisions(ctx context.Context, appID int64) (map[int64]Decision, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT d.product_id, d.decision, d.reason, COALESCE(u.name, ''), d.decided_at
		FROM product_decisions d LEFT JOIN users u ON u.id = d.decided_by WHERE d.application_id = ?`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]Decision{}
	for rows.Next() {
		d := Decision{ApplicationID: appID}
		var dec string
		if err := rows.Scan(&d.ProductID, &dec, &d.Reason, &d.DecidedBy, &d.DecidedAt); err != nil {
			return nil, err
		}
		d.Passed = dec == "passed"
		out[d.ProductID] = d
	}
	return out, rows.Err()
}

// DecisionInput is the expert's decision on one product.
type DecisionInput struct {
	Passed bool   `json:"passed"`
	Reason string `json:"reason"`
	// ReviseReason is why a decision already recorded is changed; required then.
	ReviseReason string `json:"revise_reason,omitempty"`
}

// Decide records the curation expert's decision on one product, with its
// reasons, once its combined result is in. A gate failure cannot pass. Until
// the round is announced a decision may be revised with a reason (audited);
// after that it is frozen. When every product of the application is decided,
// the application takes the engine's decide transition in the same
// transaction.
func (s *Service) Decide(ctx context.Context, u account.User, appID, productID int64, in DecisionInput) (Decision, error) {
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return Decision{}, err
	}
	if !policy.DecidesProducts(u) {
		return Decision{}, errRole
	}
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := lockApplication(ctx, tx, appID); err != nil {
			return err
		}
		x, err := s.activeAssignment(ctx, appID, u.ID)
		if err != nil {
			return err
		}
		if x.Conflict != "none" {
			return errDeclareFirst
		}
		rd, err := s.RoundOf(ctx, appID)
		if err != nil {
			return err
		}
		if rd.Announced() {
			return errAnnounced
		}
		p, err := s.product(ctx, a, productID)
		if err != nil {
			return err
		}
		res, err := s.Result(ctx, appID, productID)
		if err != nil {
			return err
		}
		reason := strings.TrimSpace(in.Reason)
		if in.Passed && !res.Gate.Passed {
			return errGateFailed
		}
		if !in.Passed && reason == "" {
			return errDecisionReason
		}
		if len([]rune(reason)) > 4000 {
			return apperr.InvalidField("curation.decision_reason", "reason", i18nText("Alasan paling panjang 4.000 karakter.", "The reason is at most 4,000 characters."))
		}
		decision := "not_passed"
		if in.Passed {
			decision = "passed"
		}
		olds, err := s.Decisions(ctx, appID)
		if err != nil {
			return err
		}
		if old, ok := olds[productID]; ok {
			if a.State != sop.InCuration && a.State != sop.Decided {
				return errAnnounced
			}
			if old.Passed == in.Passed && old.Reason == reason {
				return nil // the same decision again
			}
			revise := strings.TrimSpace(in.ReviseReason)
			if revise == "" {
				return errReviseReason
			}
			if _, err := tx.ExecContext(ctx, "UPDATE product_decisions SET decision = ?, reason = ?, decided_by = ?, decided_at = ? WHERE application_id = ? AND product_id = ?",
				decision, reason, u.ID, tx.Now, appID, productID); err != nil {
				return err
			}
			return audit.Record(ctx, tx, "decision.revise", "product", fmt.Sprint(productID),
				fmt.Sprintf("Keputusan kurasi %s (%s) diubah: %s", p.Name, a.Number, revise),
				map[string]any{"decision": old.Passed, "reason": old.Reason}, map[string]any{"decision": in.Passed, "reason": reason, "revise_reason": revise})
		}
		if a.State != sop.InCuration {
			return errNotInCuration
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)",
			appID, productID, decision, reason, u.ID, tx.Now); err != nil {
			return err
		}
		word := "lolos"
		if !in.Passed {
			word = "tidak lolos"
		}
		if err := audit.Record(ctx, tx, "decision.record", "product", fmt.Sprint(productID),
			fmt.Sprintf("%s (%s): %s", p.Name, a.Number, word), nil, map[string]any{"decision": in.Passed, "reason": reason, "score": res.Outcome.Score, "grade": res.Outcome.Grade}); err != nil {
			return err
		}
		var undecided int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM application_products ap WHERE ap.application_id = ?
			AND NOT EXISTS (SELECT 1 FROM product_decisions d WHERE d.application_id = ap.application_id AND d.product_id = ap.product_id)`, appID).Scan(&undecided); err != nil {
			return err
		}
		if undecided == 0 {
			_, err := s.Applications.Transition(ctx, tx, u, appID, sop.DecideProducts, "")
			return err
		}
		return nil
	})
	if err != nil {
		return Decision{}, err
	}
	ds, err := s.Decisions(ctx, appID)
	return ds[productID], err
}

// Provides names the facts curation fills for the engine.
func (s *Service) Provides() []sop.Fact { return []sop.Fact{sop.FactDecisions} }

// FillFacts counts the application's products undecided, passed, failed and
// failed without a reason.
func (s *Service) FillFacts(ctx context.Context, a application.Application, f *sop.Facts) error {
	var products int
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN d.decision = 'passed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN d.decision = 'not_passed' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN d.decision = 'not_passed' AND TRIM(d.reason) = '' THEN 1 ELSE 0 END), 0)
		FROM application_products ap LEFT JOIN product_decisions d ON d.application_id = ap.application_id AND d.product_id = ap.product_id
		WHERE ap.application_id = ?`, a.ID).Scan(&products, &f.ProductsPassed, &f.ProductsFailed, &f.FailedWithoutReason)
	if err != nil {
		return err
	}
	f.ProductsUndecided = products - f.ProductsPassed - f.ProductsFailed
	return nil
}

// SubmittedCounts is, for an application, how many of its products each
// reviewer has submitted a review of, and how many products it has.
func (s *Service) SubmittedCounts(ctx context.Context, appID int64) (map[int64]int, int, error) {
	ids, err := s.Applications.ProductIDs(ctx, appID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT reviewer_id, COUNT(*) FROM curation_reviews WHERE application_id = ? AND status = 'submitted' GROUP BY reviewer_id", appID)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, 0, err
		}
		out[id] = n
	}
	return out, len(ids), rows.Err()
}

// AllReviews returns every review of an application, scores included, for
// the staff's round register (which only gallery staff download; the pages
// and the API go through Reviews and its blind rule).
func (s *Service) AllReviews(ctx context.Context, appID int64) ([]StoredReview, error) {
	return s.scanReviews(ctx, " WHERE r.application_id = ? ORDER BY r.product_id, x.kind DESC, r.id", appID)
}

var errPhotoKind = apperr.InvalidField("curation.photo_kind", "file", i18nText("Foto kurasi harus berupa foto (JPEG atau PNG).", "A curation photo must be a photo (JPEG or PNG)."))

// AddPhoto keeps a photo a reviewer took at curation of one product of the
// application: stored like the business's documents (a product photo,
// accepted, uploaded by the reviewer) and recorded in curation_photos. It is
// the Office's own evidence, so it does not amend what the application is
// judged on. Reviewers assigned to the application (declared) and gallery
// staff may add one until the round is announced.
func (s *Service) AddPhoto(ctx context.Context, u account.User, appID, productID int64, file io.Reader, name string) (document.Document, error) {
	a, err := s.Applications.GetFor(ctx, u, appID)
	if err != nil {
		return document.Document{}, err
	}
	if !policy.CuratesRounds(u) {
		x, err := s.activeAssignment(ctx, appID, u.ID)
		if err != nil {
			return document.Document{}, err
		}
		if x.Conflict != "none" {
			return document.Document{}, errDeclareFirst
		}
	}
	rd, err := s.RoundOf(ctx, appID)
	if err != nil {
		return document.Document{}, err
	}
	if rd.Announced() {
		return document.Document{}, errAnnounced
	}
	p, err := s.product(ctx, a, productID)
	if err != nil {
		return document.Document{}, err
	}
	stored, err := s.Documents.Files.PutContext(ctx, file, name)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind == apperr.Invalid && len(e.Fields) == 0 {
			e2 := *e
			e2.Fields = []apperr.Field{{Name: "file", Text: e.Text}}
			err = &e2
		}
		return document.Document{}, err
	}
	if stored.ContentType != document.TypeJPEG && stored.ContentType != document.TypePNG {
		_ = s.Documents.Files.Remove(stored.Key)
		return document.Document{}, errPhotoKind
	}
	var id int64
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO documents (business_id, product_id, kind, number, issued_on, expires_on, storage_key, sha256, size_bytes,
			content_type, original_name, status, uploaded_by, uploaded_at, reviewed_by, reviewed_at) VALUES (?, ?, 'foto_produk', '', '', '', ?, ?, ?, ?, ?, 'accepted', ?, ?, ?, ?) RETURNING id`,
			a.BusinessID, productID, stored.Key, stored.SHA256, stored.Size, stored.ContentType, stored.OriginalName, u.ID, tx.Now, u.ID, tx.Now).Scan(&id); err != nil {
			return err
		}
		var photo int64
		if err := tx.QueryRowContext(ctx, "INSERT INTO curation_photos (application_id, product_id, document_id, taken_by, taken_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			appID, productID, id, u.ID, tx.Now).Scan(&photo); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "photo.add", "photo", fmt.Sprint(photo), fmt.Sprintf("Foto kurasi %s (%s)", p.Name, a.Number), nil, map[string]any{"document_id": id})
	})
	if err != nil {
		_ = s.Documents.Files.Remove(stored.Key)
		return document.Document{}, err
	}
	return s.Documents.Get(ctx, id)
}

// Photos lists the ids of the documents that are photos taken at curation of
// the application.
func (s *Service) Photos(ctx context.Context, appID int64) (map[int64]bool, error) {
	return s.idSet(ctx, "SELECT document_id FROM curation_photos WHERE application_id = ?", appID)
}

// idSet runs q, whose rows are one id each, and returns them as a set.
func (s *Service) idSet(ctx context.Context, q string, args ...any) (map[int64]bool, error) {
	ids, err := db.IDs(ctx, s.DB.Q(ctx), q, args...)
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

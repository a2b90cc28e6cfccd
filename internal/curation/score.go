package curation

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/i18n"
)

// Scoring
//
// A criterion's score s on its scale min..max counts (s−min)/(max−min), 0 to 1;
// the weighted score is Σ weight·that / Σ weight × 100, over the criteria that
// apply to the product's category and were scored. A criterion that does not
// apply (label information for a batik cloth) is left out and the weights of the
// others are renormalised, so a product is never marked down for what it cannot
// have. A criterion that is not mandatory may be left unscored (the reviewer
// could not judge it) and is left out the same way.
//
// Several reviewers are combined per criterion: the criterion's combined score
// is the mean of the scores the reviewers gave it, and the total is the weighted
// score of those means. When every reviewer scores every criterion this equals
// the mean of the reviewers' own totals (the formula is linear); when one
// skipped an optional criterion, the per-criterion mean still weighs that
// criterion by its own weight instead of shifting it onto the others in that
// reviewer's total, and the per-criterion means are the very numbers the
// targets and the SME's notes are about, so the total and the notes agree.
//
// Everything is computed exactly (math/big) and rounded half up to tenths once
// at the end (see Tenths); the rounded number is what is compared.

// Review is one reviewer's curation form for one product, made against one
// rubric version.
type Review struct {
	RubricID      int64            `json:"rubric_id"`
	RubricVersion int              `json:"rubric_version"`
	ReviewerID    int64            `json:"reviewer_id"` // the user; 0 when not yet known
	Scores        []CriterionScore `json:"scores"`
	Note          string           `json:"note,omitempty"` // overall note, for the curation team
}

// CriterionScore is the score a reviewer gave one criterion, with a note the SME
// may read.
type CriterionScore struct {
	Criterion string `json:"criterion"` // Criterion.Code
	Score     int    `json:"score"`
	Note      string `json:"note,omitempty"`
}

// Combined is the result of every review of a product.
type Combined struct {
	RubricID      int64             `json:"rubric_id"`
	RubricVersion int               `json:"rubric_version"`
	Category      string            `json:"category"`
	Reviewers     []int64           `json:"reviewers"`     // in the order of the reviews
	ReviewScores  []Tenths          `json:"review_scores"` // each reviewer's own weighted score, same order
	Criteria      []CriterionResult `json:"criteria"`      // the criteria that apply, in form order
	Score         Tenths            `json:"score"`         // the combined weighted score, 0–1000 tenths
	Notes         []string          `json:"notes,omitempty"`
}

// CriterionResult is one criterion across the reviews.
type CriterionResult struct {
	Criterion string `json:"criterion"`
	Marks     []Mark `json:"marks"`  // one per reviewer who scored it; none when nobody did
	Mean      Tenths `json:"mean"`   // on the criterion's scale, e.g. 25 = 2.5
	Spread    int    `json:"spread"` // highest minus lowest score
	// Disagree: the reviewers' scores differ by more than the rubric's MaxSpread,
	// so the team should talk before deciding.
	Disagree    bool `json:"disagree"`
	BelowTarget bool `json:"below_target"` // Mean is below the criterion's target
}

// Mark is one reviewer's score of one criterion.
type Mark struct {
	ReviewerID int64  `json:"reviewer_id"`
	Score      int    `json:"score"`
	Note       string `json:"note,omitempty"`
}

// Scored reports whether any reviewer scored the criterion.
func (c CriterionResult) Scored() bool { return len(c.Marks) > 0 }

// Result returns the result of the criterion with code.
func (c Combined) Result(code string) (CriterionResult, bool) {
	for _, r := range c.Criteria {
		if r.Criterion == code {
			return r, true
		}
	}
	return CriterionResult{}, false
}

// Disagreements lists the codes of the criteria the reviewers disagree on.
func (c Combined) Disagreements() []string {
	var out []string
	for _, r := range c.Criteria {
		if r.Disagree {
			out = append(out, r.Criterion)
		}
	}
	return out
}

const (
	maxNoteLen       = 1000
	maxReviewNoteLen = 2000
)

// Error codes of scoring.
const (
	CodeReviewIncomplete  = "curation.review_incomplete"  // a mandatory criterion is not scored
	CodeReviewInvalid     = "curation.review_invalid"     // a score outside its scale, an unknown criterion…
	CodeRubricVersion     = "curation.rubric_version"     // the review was made on another rubric version
	CodeMixedVersions     = "curation.mixed_versions"     // reviews on different versions cannot be combined
	CodeNoReviews         = "curation.no_reviews"         // nothing to combine
	CodeDuplicateReviewer = "curation.duplicate_reviewer" // one reviewer, two reviews
	CodeNothingScored     = "curation.nothing_scored"     // no criterion that applies was scored
)

// CheckReview checks one review against the rubric for a product of category:
// it must be on this rubric version, score every mandatory criterion that
// applies, score only criteria that exist and apply, each once, within the
// scale. Problems are reported at once, at fields "scores.<code>", naming the
// criterion and, for a score out of range, the allowed range.
func CheckReview(r Rubric, category string, rev Review) error {
	if rev.RubricID != r.ID || rev.RubricVersion != r.Version {
		return &apperr.Error{Kind: apperr.Conflict, Code: CodeRubricVersion, Text: i18n.Text{
			ID: fmt.Sprintf("Penilaian ini dibuat dengan rubrik %d versi %d, padahal produk dinilai dengan rubrik %d versi %d. Muat ulang formulir penilaian.", rev.RubricID, rev.RubricVersion, r.ID, r.Version),
			EN: fmt.Sprintf("This review was made on rubric %d version %d, but the product is scored on rubric %d version %d. Reload the curation form.", rev.RubricID, rev.RubricVersion, r.ID, r.Version),
		}}
	}
	var f apperr.Form
	var texts []i18n.Text
	add := func(field string, t i18n.Text) {
		f.Add(field, t)
		texts = append(texts, t)
	}
	given := map[string]bool{}
	for i, s := range rev.Scores {
		c, ok := r.Criterion(s.Criterion)
		switch {
		case !ok:
			add(fmt.Sprintf("scores[%d]", i), i18n.Text{
				ID: fmt.Sprintf("Kriteria %q tidak ada di rubrik ini.", s.Criterion),
				EN: fmt.Sprintf("The criterion %q is not in this rubric.", s.Criterion)})
			continue
		case !c.Applies(category):
			add("scores."+c.Code, i18n.Text{
				ID: fmt.Sprintf("%s tidak dinilai untuk produk kategori %s.", c.Name.ID, categoryText(category).ID),
				EN: fmt.Sprintf("%s is not scored for products of the category %s.", c.Name.In(i18n.EN), categoryText(category).EN)})
			continue
		case given[c.Code]:
			add("scores."+c.Code, i18n.Text{
				ID: fmt.Sprintf("%s dinilai dua kali.", c.Name.ID),
				EN: fmt.Sprintf("%s is scored twice.", c.Name.In(i18n.EN))})
			continue
		}
		given[c.Code] = true
		if s.Score < c.Scale.Min || s.Score > c.Scale.Max {
			add("scores."+c.Code, i18n.Text{
				ID: fmt.Sprintf("Nilai %s harus %d sampai %d; yang diisi %d.", c.Name.ID, c.Scale.Min, c.Scale.Max, s.Score),
				EN: fmt.Sprintf("The score for %s must be %d to %d; %d was entered.", c.Name.In(i18n.EN), c.Scale.Min, c.Scale.Max, s.Score)})
		}
		if len([]rune(s.Note)) > maxNoteLen {
			add("notes."+c.Code, i18n.Text{
				ID: fmt.Sprintf("Catatan %s terlalu panjang (paling banyak %d karakter).", c.Name.ID, maxNoteLen),
				EN: fmt.Sprintf("The note on %s is too long (%d characters at most).", c.Name.In(i18n.EN), maxNoteLen)})
		}
	}
	var missing []Criterion
	for _, c := range r.Applicable(category) {
		if c.Mandatory && !given[c.Code] {
			missing = append(missing, c)
			f.Add("scores."+c.Code, i18n.Text{
				ID: fmt.Sprintf("%s belum dinilai.", c.Name.ID),
				EN: fmt.Sprintf("%s is not scored yet.", c.Name.In(i18n.EN))})
		}
	}
	if len([]rune(rev.Note)) > maxReviewNoteLen {
		add("note", i18n.Text{
			ID: fmt.Sprintf("Catatan umum terlalu panjang (paling banyak %d karakter).", maxReviewNoteLen),
			EN: fmt.Sprintf("The overall note is too long (%d characters at most).", maxReviewNoteLen)})
	}
	err := f.Err()
	if err == nil {
		return nil
	}
	e, _ := apperr.As(err)
	e.Code = CodeReviewInvalid
	var id, en []string
	if len(missing) > 0 {
		e.Code = CodeReviewIncomplete
		var nid, nen []string
		for _, c := range missing {
			nid, nen = append(nid, c.Name.ID), append(nen, c.Name.In(i18n.EN))
		}
		id = append(id, "Penilaian belum lengkap: "+listID(nid)+" belum dinilai.")
		en = append(en, "The review is incomplete: "+listEN(nen)+" not scored yet.")
	}
	for _, t := range texts {
		id, en = append(id, t.ID), append(en, t.EN)
	}
	e.Text = i18n.Text{ID: strings.Join(id, " "), EN: strings.Join(en, " ")}
	return e
}

// ReviewScore is one reviewer's own weighted score, after CheckReview.
func ReviewScore(r Rubric, category string, rev Review) (Tenths, error) {
	if err := CheckReview(r, category, rev); err != nil {
		return 0, err
	}
	totals := map[string]*total{}
	for _, s := range rev.Scores {
		totals[s.Criterion] = &total{sum: s.Score, n: 1}
	}
	x, err := weighted(r, category, totals)
	if err != nil {
		return 0, err
	}
	return roundTenths(x), nil
}

// Combine checks every review and combines them: the per-criterion means, the
// disagreement flags, each reviewer's own score and the combined score. All
// reviews must be on r's version (a round keeps the version it started with).
func Combine(r Rubric, category string, reviews []Review) (Combined, error) {
	if len(reviews) == 0 {
		return Combined{}, apperr.New(apperr.Invalid, CodeNoReviews,
			"Belum ada penilaian untuk digabungkan.", "There are no reviews to combine.")
	}
	for _, rev := range reviews[1:] {
		if rev.RubricID != reviews[0].RubricID || rev.RubricVersion != reviews[0].RubricVersion {
			return Combined{}, &apperr.Error{Kind: apperr.Conflict, Code: CodeMixedVersions, Text: i18n.Text{
				ID: fmt.Sprintf("Penilaian dibuat dengan versi rubrik yang berbeda (rubrik %d versi %d dan rubrik %d versi %d). Semua penilai harus memakai versi yang sama.",
					reviews[0].RubricID, reviews[0].RubricVersion, rev.RubricID, rev.RubricVersion),
				EN: fmt.Sprintf("The reviews were made on different rubric versions (rubric %d version %d and rubric %d version %d). Every reviewer must use the same version.",
					reviews[0].RubricID, reviews[0].RubricVersion, rev.RubricID, rev.RubricVersion),
			}}
		}
	}
	c := Combined{RubricID: r.ID, RubricVersion: r.Version, Category: category}
	seen := map[int64]int{}
	for i, rev := range reviews {
		if rev.ReviewerID != 0 {
			if j, dup := seen[rev.ReviewerID]; dup {
				return Combined{}, apperr.New(apperr.Invalid, CodeDuplicateReviewer,
					fmt.Sprintf("Penilaian ke-%d dan ke-%d dibuat oleh penilai yang sama; satu penilai satu penilaian.", j+1, i+1),
					fmt.Sprintf("Reviews %d and %d are by the same reviewer; one reviewer, one review.", j+1, i+1))
			}
			seen[rev.ReviewerID] = i
		}
		s, err := ReviewScore(r, category, rev)
		if err != nil {
			return Combined{}, inReview(err, i, len(reviews))
		}
		c.Reviewers = append(c.Reviewers, rev.ReviewerID)
		c.ReviewScores = append(c.ReviewScores, s)
		if n := strings.TrimSpace(rev.Note); n != "" {
			c.Notes = append(c.Notes, n)
		}
	}

	totals := map[string]*total{}
	for _, cr := range r.Applicable(category) {
		res := CriterionResult{Criterion: cr.Code}
		t := &total{}
		lo, hi := cr.Scale.Max, cr.Scale.Min
		for _, rev := range reviews {
			for _, s := range rev.Scores {
				if s.Criterion != cr.Code {
					continue
				}
				res.Marks = append(res.Marks, Mark{ReviewerID: rev.ReviewerID, Score: s.Score, Note: strings.TrimSpace(s.Note)})
				t.sum += s.Score
				t.n++
				lo, hi = min(lo, s.Score), max(hi, s.Score)
			}
		}
		if t.n > 0 {
			totals[cr.Code] = t
			res.Mean = meanTenths(t.sum, t.n)
			res.Spread = hi - lo
			res.Disagree = res.Spread > r.MaxSpread
			res.BelowTarget = res.Mean < Tenths(cr.Target*10)
		}
		c.Criteria = append(c.Criteria, res)
	}
	x, err := weighted(r, category, totals)
	if err != nil {
		return Combined{}, err
	}
	c.Score = roundTenths(x)
	return c, nil
}

// total is the sum and count of the scores a criterion got.
type total struct{ sum, n int }

// weighted is the exact weighted score on 0–100 of the per-criterion means:
// 100 · Σ w·(sum − n·min)/(n·(max − min)) / Σ w over the criteria that apply and
// were scored.
func weighted(r Rubric, category string, totals map[string]*total) (*big.Rat, error) {
	sum := new(big.Rat)
	weights := 0
	for _, c := range r.Applicable(category) {
		t, ok := totals[c.Code]
		if !ok || t.n == 0 {
			continue
		}
		span := c.Scale.Max - c.Scale.Min
		if span <= 0 || c.Weight <= 0 {
			// Validate refuses such a rubric; say so instead of dividing by zero.
			return nil, fmt.Errorf("curation: rubric %d v%d criterion %q has scale %d..%d and weight %d", r.ID, r.Version, c.Code, c.Scale.Min, c.Scale.Max, c.Weight)
		}
		term := big.NewRat(int64(c.Weight)*int64(t.sum-t.n*c.Scale.Min), int64(t.n)*int64(span))
		sum.Add(sum, term)
		weights += c.Weight
	}
	if weights == 0 {
		return nil, apperr.New(apperr.Invalid, CodeNothingScored,
			"Belum ada kriteria yang dinilai untuk produk ini.", "No criterion that applies to this product has been scored.")
	}
	return sum.Mul(sum, big.NewRat(100, int64(weights))), nil
}

// inReview says which of several reviews an error is about, at its fields too.
func inReview(err error, i, n int) error {
	e, ok := apperr.As(err)
	if !ok || n == 1 {
		return err
	}
	out := *e
	out.Text = i18n.Text{ID: fmt.Sprintf("Penilaian ke-%d: %s", i+1, e.Text.ID), EN: fmt.Sprintf("Review %d: %s", i+1, e.Text.EN)}
	out.Fields = nil
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, apperr.Field{Name: fmt.Sprintf("reviews[%d].%s", i, f.Name), Text: f.Text})
	}
	return &out
}

// categoryText names a category in a sentence; an empty one is "tanpa kategori".
func categoryText(cat string) i18n.Text {
	if cat == "" {
		return i18n.Text{ID: "(tanpa kategori)", EN: "(no category)"}
	}
	return i18n.Text{ID: "\u201c" + cat + "\u201d", EN: "\u201c" + cat + "\u201d"}
}

// listID joins names the Indonesian way: "a", "a dan b", "a, b, dan c".
func listID(xs []string) string { return joinList(xs, "dan") }

// listEN joins names the English way: "a", "a and b", "a, b and c".
func listEN(xs []string) string { return joinList(xs, "and") }

func joinList(xs []string, and string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	sep := " " + and + " "
	if and == "dan" && len(xs) > 2 {
		sep = ", dan "
	}
	return strings.Join(xs[:len(xs)-1], ", ") + sep + xs[len(xs)-1]
}

package curation

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
)

// Outcome and reasons
//
// A product passes when the legality gate passes, no knock-out criterion
// (MustMeetTarget) is below its target, and the combined score reaches the pass
// mark (a score equal to it passes). Otherwise it does not pass, and the
// reasons say why in words an SME owner understands: the permits missing, the
// score against the pass mark, and each criterion below its target with the
// score, the target, the reviewers' notes and what the target score means.
// Criteria below target that did not decide the outcome are still listed, as
// improvement notes (the Sidoarjo model), and a product that passed gets them
// too. The curation expert edits these texts before they go out (SOP step 7).

// Reason codes of the outcome; gate codes are in gate.go.
const (
	CodeBelowTarget = "criterion.below_target" // a criterion below its target
	CodeLowest      = "criterion.lowest"       // the lowest-scored criteria, when none is below target but the score is
	CodeBelowPass   = "score.below_pass_mark"
)

// Outcome is the decision on one product, ready to be reviewed by the expert and
// stored.
type Outcome struct {
	RubricID      int64  `json:"rubric_id"`
	RubricVersion int    `json:"rubric_version"`
	Score         Tenths `json:"score"`
	PassMark      int    `json:"pass_mark"`
	Grade         string `json:"grade,omitempty"`
	Passed        bool   `json:"passed"`
	// Reasons: blocking ones first (permits, knock-out criteria, the score),
	// then improvement notes. A product that did not pass always has at least
	// one blocking reason.
	Reasons  []Reason `json:"reasons,omitempty"`
	Warnings []Reason `json:"warnings,omitempty"` // advice that decided nothing (halal before its date…)
}

// Decide turns the combined reviews and the gate into the outcome.
func Decide(r Rubric, c Combined, g GateResult) (Outcome, error) {
	if c.RubricID != r.ID || c.RubricVersion != r.Version {
		return Outcome{}, &apperr.Error{Kind: apperr.Conflict, Code: CodeRubricVersion, Text: i18n.Text{
			ID: fmt.Sprintf("Hasil penilaian dibuat dengan rubrik %d versi %d, bukan rubrik %d versi %d.", c.RubricID, c.RubricVersion, r.ID, r.Version),
			EN: fmt.Sprintf("The combined reviews were made on rubric %d version %d, not rubric %d version %d.", c.RubricID, c.RubricVersion, r.ID, r.Version),
		}}
	}
	if len(c.Reviewers) == 0 {
		return Outcome{}, apperr.New(apperr.Invalid, CodeNoReviews,
			"Produk belum dinilai; keputusan belum dapat dibuat.", "The product has not been reviewed; no decision can be made yet.")
	}
	o := Outcome{RubricID: r.ID, RubricVersion: r.Version, Score: c.Score, PassMark: r.PassMark, Grade: r.Grade(c.Score)}
	for _, f := range g.Failures {
		f.Blocking = true
		o.Reasons = append(o.Reasons, f)
	}
	var knockouts, notes []Reason
	for _, res := range c.Criteria {
		cr, ok := r.Criterion(res.Criterion)
		if !ok || !res.Scored() || !res.BelowTarget {
			continue
		}
		if cr.MustMeetTarget {
			knockouts = append(knockouts, criterionReason(cr, res, CodeBelowTarget, true))
		} else {
			notes = append(notes, criterionReason(cr, res, CodeBelowTarget, false))
		}
	}
	o.Reasons = append(o.Reasons, knockouts...)
	belowPass := c.Score < Tenths(r.PassMark*10)
	if belowPass {
		o.Reasons = append(o.Reasons, Reason{Code: CodeBelowPass, Blocking: true, Text: i18n.Text{
			ID: fmt.Sprintf("Nilai akhir %s dari 100, belum mencapai batas lolos %d.", c.Score.Format(i18n.ID), r.PassMark),
			EN: fmt.Sprintf("Final score %s out of 100, below the pass mark of %d.", c.Score.Format(i18n.EN), r.PassMark),
		}})
		if len(knockouts) == 0 && len(notes) == 0 {
			// Every criterion met its target yet the total fell short (a pass mark
			// above the targets): the SME still needs to know where to improve.
			notes = lowest(r, c)
		}
	}
	o.Reasons = append(o.Reasons, notes...)
	o.Passed = g.Passed && len(knockouts) == 0 && !belowPass
	o.Warnings = slices.Clone(g.Warnings)
	return o, nil
}

// criterionReason is the SME's note on a criterion: "Kemasan: nilai 2 dari 5
// (target 3). Catatan kurator: plastik tipis, mudah sobek. Nilai 3 berarti: …"
func criterionReason(c Criterion, res CriterionResult, code string, knockout bool) Reason {
	id := fmt.Sprintf("%s: nilai %s dari %d (target %d).", c.Name.ID, res.Mean.Format(i18n.ID), c.Scale.Max, c.Target)
	en := fmt.Sprintf("%s: scored %s of %d (target %d).", c.Name.In(i18n.EN), res.Mean.Format(i18n.EN), c.Scale.Max, c.Target)
	if code == CodeLowest {
		id += " Sudah mencapai target, tetapi termasuk nilai terendah; meningkatkannya membantu nilai akhir mencapai batas lolos."
		en += " It meets the target but is among the lowest scores; improving it helps the final score reach the pass mark."
	}
	if n := notesOf(res); n != "" {
		id += " Catatan kurator: " + n
		en += " Curator's note: " + n
	}
	if code == CodeBelowTarget {
		if a := c.Scale.Anchor(c.Target); strings.TrimSpace(a.ID) != "" {
			id += fmt.Sprintf(" Nilai %d berarti: %s", c.Target, sentence(a.ID))
			en += fmt.Sprintf(" A %d means: %s", c.Target, sentence(a.In(i18n.EN)))
		}
	}
	if knockout {
		id += " Kriteria ini wajib mencapai target agar produk lolos."
		en += " This criterion must reach its target for the product to pass."
	}
	return Reason{Code: code, Criterion: c.Code, Blocking: knockout, Text: i18n.Text{ID: id, EN: en}}
}

// notesOf joins the reviewers' notes on a criterion, each once (whatever its
// case or full stop), as one sentence.
func notesOf(res CriterionResult) string {
	var notes []string
	for _, m := range res.Marks {
		n := strings.TrimRight(strings.TrimSpace(m.Note), ".")
		if n != "" && !slices.ContainsFunc(notes, func(x string) bool { return strings.EqualFold(x, n) }) {
			notes = append(notes, n)
		}
	}
	if len(notes) == 0 {
		return ""
	}
	return sentence(strings.Join(notes, "; "))
}

// sentence trims s and ends it with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}

// lowest notes the scored criteria with the lowest share of their scale, at
// most three, in form order.
func lowest(r Rubric, c Combined) []Reason {
	type cand struct {
		c   Criterion
		res CriterionResult
		x   *big.Rat
	}
	var cands []cand
	var least *big.Rat
	for _, res := range c.Criteria {
		cr, ok := r.Criterion(res.Criterion)
		span := cr.Scale.Max - cr.Scale.Min
		if !ok || !res.Scored() || span <= 0 {
			continue
		}
		x := big.NewRat(int64(res.Mean)-int64(cr.Scale.Min)*10, int64(span))
		cands = append(cands, cand{cr, res, x})
		if least == nil || x.Cmp(least) < 0 {
			least = x
		}
	}
	var out []Reason
	for _, k := range cands {
		if k.x.Cmp(least) == 0 && len(out) < 3 {
			out = append(out, criterionReason(k.c, k.res, CodeLowest, false))
		}
	}
	return out
}

// Summary is the one line of the result, for the announcement list.
func (o Outcome) Summary() i18n.Text {
	if o.Passed {
		if o.Grade != "" {
			return i18n.Text{ID: fmt.Sprintf("Lolos kurasi dengan nilai %s (%s).", o.Score.Format(i18n.ID), o.Grade),
				EN: fmt.Sprintf("Passed curation with a score of %s (%s).", o.Score.Format(i18n.EN), o.Grade)}
		}
		return i18n.Text{ID: fmt.Sprintf("Lolos kurasi dengan nilai %s.", o.Score.Format(i18n.ID)),
			EN: fmt.Sprintf("Passed curation with a score of %s.", o.Score.Format(i18n.EN))}
	}
	return i18n.Text{ID: fmt.Sprintf("Belum lolos kurasi (nilai %s, batas lolos %d).", o.Score.Format(i18n.ID), o.PassMark),
		EN: fmt.Sprintf("Did not pass curation (score %s, pass mark %d).", o.Score.Format(i18n.EN), o.PassMark)}
}

// Divisions lists, once each and in order, the divisions the reasons and
// warnings point to: the referrals of SOP step 8 to pre-fill.
func (o Outcome) Divisions() []role.Division {
	var out []role.Division
	for _, r := range append(slices.Clone(o.Reasons), o.Warnings...) {
		if r.Division != "" && !slices.Contains(out, r.Division) {
			out = append(out, r.Division)
		}
	}
	return out
}

// Reason is one thing an SME is told about a product: a permit missing, a
// criterion below its target, the score below the pass mark. The texts are
// pre-filled in plain words for the curation expert to edit before they go out.
type Reason struct {
	Code      string `json:"code"`                // stable, e.g. "gate.pirt_expired", "criterion.below_target"
	Criterion string `json:"criterion,omitempty"` // the criterion's code, when about one
	Permit    string `json:"permit,omitempty"`    // the permit's document kind, when about one
	// Division is the Office's division that can help (SOP step 8), so a
	// referral can be pre-filled; empty when none.
	Division role.Division `json:"division,omitempty"`
	// Blocking: this alone keeps the product from passing. A reason that does
	// not block is an improvement note.
	Blocking bool      `json:"blocking"`
	Text     i18n.Text `json:"text"`
}

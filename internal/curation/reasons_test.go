package curation

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/role"
)

var gateOK = GateResult{Passed: true}

// decide combines reviews on r and decides with gate g.
func decide(t *testing.T, r Rubric, g GateResult, reviews ...Review) Outcome {
	t.Helper()
	c, err := Combine(r, "Makanan", reviews)
	if err != nil {
		t.Fatal(err)
	}
	o, err := Decide(r, c, g)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// oneCriterion is a rubric with a single 0–10 criterion of weight 1, so the
// score is ten times the mean of the reviewers' scores.
func oneCriterion() Rubric {
	r := testRubric()
	r.Criteria = []Criterion{crit("mutu", "Mutu", 1)}
	r.Criteria[0].Scale, r.Criteria[0].Target = scale(0, 10), 0
	return r
}

func marks(scores ...int) []Review {
	var out []Review
	for i, s := range scores {
		out = append(out, Review{RubricID: 7, RubricVersion: 1, ReviewerID: int64(i + 1), Scores: []CriterionScore{{"mutu", s, ""}}})
	}
	return out
}

// TestTiesAtPassMarkAndBands: a score exactly at the pass mark passes, exactly
// at a band's minimum gets that band, and the rounded score is the one compared.
func TestTiesAtPassMarkAndBands(t *testing.T) {
	tests := []struct {
		name   string
		scores []int
		score  Tenths
		passed bool
		grade  string
	}{
		{"exactly the pass mark", []int{5, 6}, 550, true, "C"},                                   // (5+6)/2 = 5.5 → 55.0
		{"just below the pass mark", []int{5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 5}, 542, false, "D"}, // 65/12 = 5.41666… → 54.2
		{"exactly band B", []int{7}, 700, true, "B"},
		{"exactly band A", []int{8, 9}, 850, true, "A"},
		{"just under band A", []int{8, 9, 8, 9, 8, 9, 8, 9, 8, 9, 8, 8}, 842, true, "B"}, // 101/12 = 8.41666… → 84.2
		{"zero", []int{0}, 0, false, "D"},
		{"top", []int{10, 10}, 1000, true, "A"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := decide(t, oneCriterion(), gateOK, marks(tc.scores...)...)
			if o.Score != tc.score || o.Passed != tc.passed || o.Grade != tc.grade {
				t.Errorf("score %v passed %v grade %s; want %v %v %s", o.Score, o.Passed, o.Grade, tc.score, tc.passed, tc.grade)
			}
		})
	}
}

// TestRoundedScoreDecides: 54.95 is 55 on the page and at the pass mark of 55;
// 54.94 is 54.9 and does not pass.
func TestRoundedScoreDecides(t *testing.T) {
	for _, tc := range []struct {
		w1, w2 int
		passed bool
		score  Tenths
	}{{99, 101, true, 550}, {247, 253, false, 549}} {
		r := testRubric()
		r.Criteria = []Criterion{crit("a", "A", tc.w1), crit("b", "B", tc.w2)}
		for i := range r.Criteria {
			r.Criteria[i].Scale, r.Criteria[i].Target = scale(0, 10), 5
		}
		rev := Review{RubricID: 7, RubricVersion: 1, Scores: []CriterionScore{{"a", 6, ""}, {"b", 5, ""}}}
		o := decide(t, r, gateOK, rev)
		if o.Score != tc.score || o.Passed != tc.passed {
			t.Errorf("weights %d/%d: score %v passed %v, want %v %v", tc.w1, tc.w2, o.Score, o.Passed, tc.score, tc.passed)
		}
		if !tc.passed {
			contains(t, "score reason", o.Reasons[0].Text.ID, "Nilai akhir 54,9 dari 100, belum mencapai batas lolos 55.")
			contains(t, "score reason", o.Reasons[0].Text.EN, "Final score 54.9 out of 100, below the pass mark of 55.")
		}
	}
}

func TestNotPassedReasons(t *testing.T) {
	r := testRubric() // rasa 2, kemasan 1, harga 1; targets 3; pass mark 55
	a := review(1, map[string]int{"rasa": 3, "kemasan": 2, "harga": 3})
	a.Scores[1].Note = "plastik tipis, mudah sobek"
	b := review(2, map[string]int{"rasa": 3, "kemasan": 2, "harga": 2})
	b.Scores[1].Note = "Plastik tipis, mudah sobek." // the same note, written again
	b.Scores[2].Note = "lebih mahal dari produk sejenis"
	o := decide(t, r, gateOK, a, b)
	// Shares of the scale: rasa 3 → ½ (weight 2), kemasan 2 → ¼, harga 2.5 → ⅜;
	// 100·(1 + ¼ + ⅜)/4 = 40.625 → 40.6.
	if o.Passed || o.Score != 406 {
		t.Fatalf("passed %v score %v", o.Passed, o.Score)
	}
	if got := codesOf(o.Reasons); !slices.Equal(got, []string{CodeBelowPass, CodeBelowTarget, CodeBelowTarget}) {
		t.Fatalf("reasons %v", got)
	}
	if !o.Reasons[0].Blocking || o.Reasons[1].Blocking || o.Reasons[2].Blocking {
		t.Errorf("blocking: %+v", o.Reasons)
	}
	if got, want := o.Reasons[0].Text.ID, "Nilai akhir 40,6 dari 100, belum mencapai batas lolos 55."; got != want {
		t.Errorf("score reason\n got %q\nwant %q", got, want)
	}
	kemasan := o.Reasons[1]
	if kemasan.Criterion != "kemasan" || kemasan.Division != "" {
		t.Errorf("kemasan reason %+v", kemasan)
	}
	if got, want := kemasan.Text.ID, "Kemasan: nilai 2 dari 5 (target 3). Catatan kurator: plastik tipis, mudah sobek. Nilai 3 berarti: nilai 3."; got != want {
		t.Errorf("kemasan\n got %q\nwant %q", got, want)
	}
	if !strings.HasPrefix(kemasan.Text.EN, "Kemasan (en): scored 2 of 5 (target 3). Curator's note: plastik tipis, mudah sobek") {
		t.Errorf("kemasan in English %q", kemasan.Text.EN)
	}
	if got, want := o.Reasons[2].Text.ID, "Harga: nilai 2,5 dari 5 (target 3). Catatan kurator: lebih mahal dari produk sejenis. Nilai 3 berarti: nilai 3."; got != want {
		t.Errorf("harga\n got %q\nwant %q", got, want)
	}
	if got := o.Summary().ID; got != "Belum lolos kurasi (nilai 40,6, batas lolos 55)." {
		t.Errorf("summary %q", got)
	}
}

func TestSameNoteOnce(t *testing.T) {
	r := testRubric()
	a := review(1, map[string]int{"rasa": 4, "kemasan": 2, "harga": 4})
	b := review(2, map[string]int{"rasa": 4, "kemasan": 2, "harga": 4})
	a.Scores[1].Note, b.Scores[1].Note = "plastik tipis, mudah sobek", " plastik tipis, mudah sobek. "
	o := decide(t, r, gateOK, a, b)
	if len(o.Reasons) != 1 || !strings.HasPrefix(o.Reasons[0].Text.ID, "Kemasan: nilai 2 dari 5 (target 3). Catatan kurator: plastik tipis, mudah sobek. Nilai 3") {
		t.Errorf("%+v", o.Reasons)
	}
}

func TestPassedWithImprovementNotes(t *testing.T) {
	r := testRubric()
	o := decide(t, r, gateOK, review(1, map[string]int{"rasa": 5, "kemasan": 2, "harga": 5}))
	// (2 + ¼ + 1)/4 = 81.25 → 81.3, grade B; kemasan is below target but only a note.
	if !o.Passed || o.Score != 813 || o.Grade != "B" {
		t.Fatalf("%+v", o)
	}
	if len(o.Reasons) != 1 || o.Reasons[0].Blocking || o.Reasons[0].Criterion != "kemasan" {
		t.Errorf("reasons %+v", o.Reasons)
	}
	if got := o.Summary().ID; got != "Lolos kurasi dengan nilai 81,3 (B)." {
		t.Errorf("summary %q", got)
	}
}

func TestKnockOutCriterion(t *testing.T) {
	r := testRubric()
	r.Criteria[1].MustMeetTarget = true // kemasan
	o := decide(t, r, gateOK, review(1, map[string]int{"rasa": 5, "kemasan": 2, "harga": 5}))
	if o.Passed || o.Score != 813 {
		t.Fatalf("knock-out: %+v", o)
	}
	if len(o.Reasons) != 1 || !o.Reasons[0].Blocking {
		t.Fatalf("reasons %+v", o.Reasons)
	}
	contains(t, "knock-out", o.Reasons[0].Text.ID, "Kemasan: nilai 2 dari 5 (target 3).", "wajib mencapai target agar produk lolos")
	// At target it passes.
	if o := decide(t, r, gateOK, review(1, map[string]int{"rasa": 5, "kemasan": 3, "harga": 5})); !o.Passed {
		t.Errorf("knock-out at target: %+v", o)
	}
}

func TestGateFailureWinsOverScore(t *testing.T) {
	r := testRubric()
	g := CheckGate(r.Gate, food("susu", pirtOK))
	o := decide(t, r, g, review(1, map[string]int{"rasa": 5, "kemasan": 5, "harga": 5}))
	if o.Passed || o.Score != 1000 {
		t.Fatalf("%+v", o)
	}
	if o.Reasons[0].Code != CodeBPOMRequired || !o.Reasons[0].Blocking || o.Reasons[0].Division != role.Perizinan {
		t.Errorf("first reason %+v", o.Reasons[0])
	}
	if got := codesOf(o.Warnings); !slices.Equal(got, []string{CodeHalalAdvice, CodeTrademarkMissing}) {
		t.Errorf("warnings %v", got)
	}
	if got := o.Divisions(); !slices.Equal(got, []role.Division{role.Perizinan, role.Halal, role.HKI}) {
		t.Errorf("divisions %v", got)
	}
	contains(t, "summary", o.Summary().ID, "Belum lolos kurasi")
}

// TestLowestWhenAllMeetTarget: a pass mark above the targets can fail a product
// none of whose criteria is below target; the SME still gets notes.
func TestLowestWhenAllMeetTarget(t *testing.T) {
	r := testRubric()
	// (1 + ½ + ¾)/4 = 56.25 → 56.3: passes at 55, fails at 60.
	if o := decide(t, r, gateOK, review(1, map[string]int{"rasa": 3, "kemasan": 3, "harga": 4})); !o.Passed || len(o.Reasons) != 0 {
		t.Fatalf("at 55: %+v", o)
	}
	r.PassMark = 60
	o := decide(t, r, gateOK, review(1, map[string]int{"rasa": 3, "kemasan": 3, "harga": 4}))
	if o.Passed {
		t.Fatal("passed")
	}
	if got := codesOf(o.Reasons); !slices.Equal(got, []string{CodeBelowPass, CodeLowest, CodeLowest}) {
		t.Fatalf("reasons %v", got)
	}
	if o.Reasons[1].Criterion != "rasa" || o.Reasons[2].Criterion != "kemasan" {
		t.Errorf("lowest %+v", o.Reasons[1:])
	}
	contains(t, "lowest", o.Reasons[1].Text.ID, "Rasa: nilai 3 dari 5 (target 3).", "Sudah mencapai target", "batas lolos")
}

func TestDecideRefusals(t *testing.T) {
	r := testRubric()
	c, err := Combine(r, "", []Review{review(1, map[string]int{"rasa": 3, "kemasan": 3, "harga": 3})})
	if err != nil {
		t.Fatal(err)
	}
	next, _, err := r.Revise(func(r *Rubric) { r.PassMark = 50 })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decide(next, c, gateOK); !apperr.IsKind(err, apperr.Conflict) {
		t.Errorf("other version: %v", err)
	}
	if _, err := Decide(r, Combined{RubricID: 7, RubricVersion: 1}, gateOK); !apperr.IsKind(err, apperr.Invalid) {
		t.Errorf("no reviews: %v", err)
	}
}

// TestEveryFailureHasAReason: whatever makes a product fail, it has a blocking
// reason in both languages (sop's decide guard needs a reason per failure).
func TestEveryFailureHasAReason(t *testing.T) {
	r := testRubric()
	r.Criteria[0].MustMeetTarget = true
	gates := []GateResult{gateOK, CheckGate(requireAll, food(""))}
	for _, g := range gates {
		for a := 1; a <= 5; a++ {
			for b := 1; b <= 5; b++ {
				o := decide(t, r, g, review(1, map[string]int{"rasa": a, "kemasan": b, "harga": 6 - b}))
				blocking := slices.ContainsFunc(o.Reasons, func(x Reason) bool { return x.Blocking })
				if o.Passed == blocking {
					t.Errorf("scores %d/%d, gate %v: passed %v with blocking reasons %v", a, b, g.Passed, o.Passed, blocking)
				}
				for _, x := range o.Reasons {
					if x.Text.ID == "" || x.Text.EN == "" {
						t.Errorf("%s without text", x.Code)
					}
				}
			}
		}
	}
}

func TestOutcomeJSON(t *testing.T) {
	r := testRubric()
	o := decide(t, r, CheckGate(r.Gate, food("")), review(1, map[string]int{"rasa": 2, "kemasan": 2, "harga": 2}))
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var back Outcome
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, o) {
		t.Errorf("round trip: %v\n%+v\n%+v", err, back, o)
	}
	if !strings.Contains(string(b), `"division":"perizinan"`) {
		t.Errorf("JSON %s", b)
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{"a": "a.", "a.": "a.", " a! ": "a!", "": "", "apa?": "apa?"} {
		if got := sentence(in); got != want {
			t.Errorf("sentence(%q) = %q", in, got)
		}
	}
	if got := notesOf(CriterionResult{Marks: []Mark{{Note: "a."}, {Note: ""}, {Note: "b"}, {Note: "A"}}}); got != "a; b." {
		t.Errorf("notes %q", got)
	}
}

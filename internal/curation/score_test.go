package curation

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/etalase-id/etalase/internal/apperr"
)

// review is a review on testRubric's version with scores in code order.
func review(reviewer int64, scores map[string]int) Review {
	rev := Review{RubricID: 7, RubricVersion: 1, ReviewerID: reviewer}
	for _, code := range []string{"rasa", "kemasan", "harga", "desain", "label"} {
		if s, ok := scores[code]; ok {
			rev.Scores = append(rev.Scores, CriterionScore{Criterion: code, Score: s})
		}
	}
	return rev
}

func TestReviewScore(t *testing.T) {
	r := testRubric() // weights rasa 2, kemasan 1, harga 1; scales 1–5
	tests := []struct {
		name   string
		scores map[string]int
		want   Tenths
	}{
		{"all top", map[string]int{"rasa": 5, "kemasan": 5, "harga": 5}, 1000},
		{"all bottom", map[string]int{"rasa": 1, "kemasan": 1, "harga": 1}, 0},
		{"all middle", map[string]int{"rasa": 3, "kemasan": 3, "harga": 3}, 500},
		{"heavy criterion top", map[string]int{"rasa": 5, "kemasan": 1, "harga": 1}, 500},     // 2/4
		{"light criterion top", map[string]int{"rasa": 1, "kemasan": 5, "harga": 1}, 250},     // 1/4
		{"quarter tenths round up", map[string]int{"rasa": 2, "kemasan": 2, "harga": 3}, 313}, // 100·(2·¼+¼+½)/4 = 31.25
		{"rounds half up", map[string]int{"rasa": 4, "kemasan": 2, "harga": 1}, 438},          // 100·(2·¾+¼+0)/4 = 43.75
		{"exact tenths", map[string]int{"rasa": 2, "kemasan": 3, "harga": 3}, 375},            // 100·(2·¼+½+½)/4 = 37.5
		{"weights matter", map[string]int{"rasa": 4, "kemasan": 5, "harga": 5}, 875},          // 100·(1.5+1+1)/4
	}
	for _, tc := range tests {
		got, err := ReviewScore(r, "Makanan", review(1, tc.scores))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestRoundingExact: scores land exactly on x.x5 and just under it, where
// floating point would tip either way; the exact arithmetic rounds 54.95 up to
// 55 and 54.94 down to 54.9.
func TestRoundingExact(t *testing.T) {
	tests := []struct {
		w1, w2, s1, s2 int
		want           Tenths
	}{
		{99, 101, 6, 5, 550},  // 10·(594+505)/200 = 54.95 exactly → 55.0
		{247, 253, 6, 5, 549}, // 10·(1482+1265)/500 = 54.94 → 54.9
		{499, 501, 6, 5, 550}, // 54.99 → 55.0
		{1, 1, 5, 6, 550},     // 55 exactly
		{1, 2, 0, 1, 67},      // 20/3 = 6.666… → 6.7
		{2, 1, 0, 1, 33},      // 10/3 = 3.333… → 3.3
	}
	for _, tc := range tests {
		r := testRubric()
		r.Criteria = []Criterion{crit("a", "A", tc.w1), crit("b", "B", tc.w2)}
		for i := range r.Criteria {
			r.Criteria[i].Scale, r.Criteria[i].Target = scale(0, 10), 5
		}
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
		rev := Review{RubricID: 7, RubricVersion: 1, Scores: []CriterionScore{{"a", tc.s1, ""}, {"b", tc.s2, ""}}}
		got, err := ReviewScore(r, "", rev)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("weights %d/%d scores %d/%d: %v, want %v", tc.w1, tc.w2, tc.s1, tc.s2, got, tc.want)
		}
	}
}

func TestCheckReviewRefusals(t *testing.T) {
	r := testRubric()
	r.Criteria = append(r.Criteria, Criterion{Code: "label", Name: tx("Label"), Weight: 1, Scale: scale(1, 5), Target: 3, Mandatory: true, AppliesTo: []string{"Makanan"}})
	tests := []struct {
		name     string
		category string
		rev      Review
		code     string
		field    string
		words    []string // in the error's Indonesian text
	}{
		{"missing mandatory", "Makanan", review(1, map[string]int{"rasa": 4, "harga": 3, "label": 3}),
			CodeReviewIncomplete, "scores.kemasan", []string{"Penilaian belum lengkap", "Kemasan belum dinilai"}},
		{"two missing", "Makanan", review(1, map[string]int{"rasa": 4, "label": 3}),
			CodeReviewIncomplete, "scores.harga", []string{"Kemasan dan Harga belum dinilai"}},
		{"food-only criterion missing for food", "Makanan", review(1, map[string]int{"rasa": 4, "kemasan": 3, "harga": 3}),
			CodeReviewIncomplete, "scores.label", []string{"Label belum dinilai"}},
		{"above scale", "Makanan", review(1, map[string]int{"rasa": 4, "kemasan": 7, "harga": 3, "label": 3}),
			CodeReviewInvalid, "scores.kemasan", []string{"Nilai Kemasan harus 1 sampai 5; yang diisi 7."}},
		{"below scale", "Makanan", review(1, map[string]int{"rasa": 0, "kemasan": 3, "harga": 3, "label": 3}),
			CodeReviewInvalid, "scores.rasa", []string{"Nilai Rasa harus 1 sampai 5; yang diisi 0."}},
		{"not for batik", "Batik dan tenun", review(1, map[string]int{"rasa": 4, "kemasan": 3, "harga": 3, "label": 3}),
			CodeReviewInvalid, "scores.label", []string{"Label tidak dinilai untuk produk kategori \u201cBatik dan tenun\u201d"}},
		{"unknown criterion (and so the rest missing)", "Makanan", Review{RubricID: 7, RubricVersion: 1, Scores: []CriterionScore{{"aroma", 3, ""}}},
			CodeReviewIncomplete, "scores[0]", []string{"\"aroma\" tidak ada"}},
		{"twice", "", Review{RubricID: 7, RubricVersion: 1, Scores: []CriterionScore{{"rasa", 3, ""}, {"kemasan", 3, ""}, {"harga", 3, ""}, {"rasa", 4, ""}}},
			CodeReviewInvalid, "scores.rasa", []string{"Rasa dinilai dua kali"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckReview(r, tc.category, tc.rev)
			if err == nil {
				t.Fatal("accepted")
			}
			e, _ := apperr.As(err)
			if e.Code != tc.code {
				t.Errorf("code %s, want %s", e.Code, tc.code)
			}
			if _, ok := fieldsOf(t, err)[tc.field]; !ok {
				t.Errorf("no problem at %s: %+v", tc.field, e.Fields)
			}
			contains(t, "error", e.Text.ID, tc.words...)
		})
	}
	// Batik needs no label score; food does.
	if err := CheckReview(r, "Batik dan tenun", review(1, map[string]int{"rasa": 4, "kemasan": 3, "harga": 3})); err != nil {
		t.Errorf("batik without label: %v", err)
	}
}

func TestCheckReviewVersion(t *testing.T) {
	r := testRubric()
	rev := review(1, map[string]int{"rasa": 4, "kemasan": 3, "harga": 3})
	rev.RubricVersion = 2
	err := CheckReview(r, "", rev)
	e, ok := apperr.As(err)
	if !ok || e.Code != CodeRubricVersion || e.Kind != apperr.Conflict {
		t.Fatalf("%v", err)
	}
	contains(t, "error", e.Text.ID, "versi 2", "versi 1", "Muat ulang")
}

func TestOptionalCriterion(t *testing.T) {
	r := testRubric()
	r.Criteria[2].Mandatory = false // harga may be left unscored
	got, err := ReviewScore(r, "", review(1, map[string]int{"rasa": 5, "kemasan": 1}))
	if err != nil {
		t.Fatal(err)
	}
	if got != 667 { // 100·2/3, harga's weight left out
		t.Errorf("optional left out: %v, want 66.7", got)
	}
	c, err := Combine(r, "", []Review{review(1, map[string]int{"rasa": 5, "kemasan": 1})})
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := c.Result("harga"); h.Scored() || h.BelowTarget {
		t.Errorf("unscored optional criterion: %+v", h)
	}
}

func TestCombine(t *testing.T) {
	r := testRubric()
	reviews := []Review{
		review(11, map[string]int{"rasa": 4, "kemasan": 2, "harga": 3}),
		review(12, map[string]int{"rasa": 5, "kemasan": 4, "harga": 3}),
		review(13, map[string]int{"rasa": 4, "kemasan": 3, "harga": 2}),
	}
	reviews[0].Scores[1].Note = "  plastik tipis, mudah sobek "
	reviews[1].Note = "layak dipajang"
	c, err := Combine(r, "Makanan", reviews)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Reviewers, []int64{11, 12, 13}) {
		t.Errorf("reviewers %v", c.Reviewers)
	}
	// Own totals: (2·¾+¼+½)/4 = 56.25 → 56.3; (2+¾+½)/4 = 81.25 → 81.3; (1.5+½+¼)/4 = 56.25 → 56.3.
	if !slices.Equal(c.ReviewScores, []Tenths{563, 813, 563}) {
		t.Errorf("review scores %v", c.ReviewScores)
	}
	// Means: rasa 13/3 = 4.33, kemasan 3, harga 8/3 = 2.67; exact total
	// 100·(2·(10/12) + 2/4 + (5/12))/4 = 64.583… → 64.6, the same as the mean of
	// the exact own totals (56.25+81.25+56.25)/3 = 64.583….
	if c.Score != 646 {
		t.Errorf("combined %v, want 64.6", c.Score)
	}
	want := []CriterionResult{
		{Criterion: "rasa", Mean: 43, Spread: 1, Marks: []Mark{{11, 4, ""}, {12, 5, ""}, {13, 4, ""}}},
		{Criterion: "kemasan", Mean: 30, Spread: 2, Disagree: true, Marks: []Mark{{11, 2, "plastik tipis, mudah sobek"}, {12, 4, ""}, {13, 3, ""}}},
		{Criterion: "harga", Mean: 27, Spread: 1, BelowTarget: true, Marks: []Mark{{11, 3, ""}, {12, 3, ""}, {13, 2, ""}}},
	}
	if !reflect.DeepEqual(c.Criteria, want) {
		t.Errorf("criteria\n got %+v\nwant %+v", c.Criteria, want)
	}
	if !slices.Equal(c.Disagreements(), []string{"kemasan"}) {
		t.Errorf("disagreements %v", c.Disagreements())
	}
	if !slices.Equal(c.Notes, []string{"layak dipajang"}) {
		t.Errorf("notes %v", c.Notes)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Combined
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, c) {
		t.Errorf("JSON round trip: %v\n%+v\n%+v", err, back, c)
	}
}

// TestCombinePerCriterion shows the choice of combining per criterion: with a
// reviewer who skipped an optional criterion, the mean of the own totals would
// let that reviewer's other scores stand in for it.
func TestCombinePerCriterion(t *testing.T) {
	r := testRubric()
	r.Criteria[2].Mandatory = false
	a := review(1, map[string]int{"rasa": 5, "kemasan": 5, "harga": 1})
	b := review(2, map[string]int{"rasa": 5, "kemasan": 5}) // skipped harga
	c, err := Combine(r, "", []Review{a, b})
	if err != nil {
		t.Fatal(err)
	}
	// Own totals 75 and 100 would average 87.5; per criterion harga's mean is 1,
	// so the total is (2+1+0)/4 = 75.
	if !slices.Equal(c.ReviewScores, []Tenths{750, 1000}) || c.Score != 750 {
		t.Errorf("scores %v, combined %v; want [75 100] and 75", c.ReviewScores, c.Score)
	}
	if h, _ := c.Result("harga"); h.Mean != 10 || len(h.Marks) != 1 || !h.BelowTarget {
		t.Errorf("harga %+v", h)
	}
}

func TestDisagreementSpread(t *testing.T) {
	tests := []struct {
		spread, s1, s2 int
		want           bool
	}{
		{1, 2, 3, false}, {1, 2, 4, true}, {1, 3, 3, false}, {0, 2, 3, true}, {0, 3, 3, false}, {2, 1, 3, false}, {2, 1, 4, true}, {4, 1, 5, false},
	}
	for _, tc := range tests {
		r := testRubric()
		r.MaxSpread = tc.spread
		c, err := Combine(r, "", []Review{
			review(1, map[string]int{"rasa": tc.s1, "kemasan": 3, "harga": 3}),
			review(2, map[string]int{"rasa": tc.s2, "kemasan": 3, "harga": 3}),
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := c.Result("rasa"); got.Disagree != tc.want || got.Spread != abs(tc.s1-tc.s2) {
			t.Errorf("spread %d, scores %d and %d: %+v, want disagree %v", tc.spread, tc.s1, tc.s2, got, tc.want)
		}
	}
}

func abs(n int) int { return max(n, -n) }

func TestCombineRefusals(t *testing.T) {
	r := testRubric()
	ok := func(id int64) Review { return review(id, map[string]int{"rasa": 4, "kemasan": 3, "harga": 3}) }
	other := ok(2)
	other.RubricVersion = 2
	incomplete := review(3, map[string]int{"rasa": 4})

	tests := []struct {
		name    string
		reviews []Review
		code    string
		words   []string
	}{
		{"none", nil, CodeNoReviews, []string{"Belum ada penilaian"}},
		{"mixed versions", []Review{ok(1), other}, CodeMixedVersions, []string{"versi 1", "versi 2", "versi yang sama"}},
		{"all on another version", []Review{other}, CodeRubricVersion, []string{"versi 2"}},
		{"same reviewer twice", []Review{ok(1), ok(1)}, CodeDuplicateReviewer, []string{"ke-1 dan ke-2", "penilai yang sama"}},
		{"one incomplete", []Review{ok(1), incomplete}, CodeReviewIncomplete, []string{"Penilaian ke-2:", "Kemasan dan Harga belum dinilai"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Combine(r, "", tc.reviews)
			e, isApp := apperr.As(err)
			if !isApp {
				t.Fatalf("%v", err)
			}
			if e.Code != tc.code {
				t.Errorf("code %s, want %s", e.Code, tc.code)
			}
			contains(t, "error", e.Text.ID, tc.words...)
		})
	}
	_, err := Combine(r, "", []Review{ok(1), incomplete})
	if _, ok := fieldsOf(t, err)["reviews[1].scores.kemasan"]; !ok {
		t.Errorf("field of the second review: %+v", fieldsOf(t, err))
	}
	// Reviewers not yet known (0) are not taken for one person.
	if _, err := Combine(r, "", []Review{ok(0), ok(0)}); err != nil {
		t.Errorf("two reviews without reviewer IDs: %v", err)
	}
}

// FuzzReviewScore: any review either is refused or scores within 0–100, and the
// combined score of it alone is its own score.
func FuzzReviewScore(f *testing.F) {
	f.Add(3, 3, 3, 1, 5, 2)
	f.Add(0, 9, -1, 0, 10, 7)
	f.Add(5, 5, 5, 5, 5, 5)
	f.Fuzz(func(t *testing.T, a, b, c, lo, hi, w int) {
		r := testRubric()
		if lo >= 0 && hi > lo && hi-lo <= MaxScaleRange {
			r.Criteria[0].Scale, r.Criteria[0].Target = scale(lo, hi), lo
		}
		if w >= 1 && w <= MaxWeight {
			r.Criteria[1].Weight = w
		}
		rev := review(1, map[string]int{"rasa": a, "kemasan": b, "harga": c})
		s, err := ReviewScore(r, "", rev)
		if err != nil {
			if _, ok := apperr.As(err); !ok {
				t.Fatalf("refusal is not an apperr: %v", err)
			}
			return
		}
		if s < 0 || s > 1000 {
			t.Fatalf("score %v out of 0–100", s)
		}
		cm, err := Combine(r, "", []Review{rev})
		if err != nil || cm.Score != s {
			t.Fatalf("combined alone %v (%v), own %v", cm.Score, err, s)
		}
	})
}

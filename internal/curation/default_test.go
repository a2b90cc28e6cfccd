package curation

import (
	"slices"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/idn"
)

func TestDefaultRubricIsValid(t *testing.T) {
	r := DefaultRubric()
	if err := r.Validate(); err != nil {
		t.Fatalf("%v: %+v", err, fieldsOf(t, err))
	}
	if r.ID != 0 || r.Version != 1 || r.PassMark != 55 || r.MaxSpread != 1 || r.Gate != (GateSettings{Halal: Warn, Trademark: Warn}) {
		t.Errorf("settings %d v%d pass %d spread %d gate %+v", r.ID, r.Version, r.PassMark, r.MaxSpread, r.Gate)
	}
	if !slices.Equal(r.Grades, []Grade{{"A", 85}, {"B", 70}, {"C", 55}, {"D", 0}}) {
		t.Errorf("grades %v", r.Grades)
	}
	for _, c := range r.Criteria {
		if c.Scale.Min != 1 || c.Scale.Max != 5 || c.Target != 3 || !c.Mandatory || c.MustMeetTarget {
			t.Errorf("%s: scale %d–%d target %d mandatory %v knock-out %v", c.Code, c.Scale.Min, c.Scale.Max, c.Target, c.Mandatory, c.MustMeetTarget)
		}
		if c.Name.EN == "" || c.Description.ID == "" || c.Description.EN == "" {
			t.Errorf("%s lacks a text", c.Code)
		}
		for _, a := range c.Scale.Anchors {
			if a.Text.EN == "" {
				t.Errorf("%s: score %d has no English description", c.Code, a.Score)
			}
		}
	}
	// Each call is a fresh value: editing one never changes the next.
	r.Criteria[0].Scale.Anchors[0].Text.ID = "diubah"
	if DefaultRubric().Criteria[0].Scale.Anchors[0].Text.ID == "diubah" {
		t.Error("DefaultRubric shares memory between calls")
	}
}

func TestDefaultRubricPerCategory(t *testing.T) {
	r := DefaultRubric()
	foodCodes := []string{"rasa", "kemasan", "desain", "label", "masa_simpan", "kode_produksi", "harga", "kapasitas", "keunikan"}
	otherCodes := []string{"mutu", "kemasan", "desain", "harga", "kapasitas", "keunikan"}
	for _, cat := range applicant.Categories {
		var codes []string
		weight := 0
		for _, c := range r.Applicable(cat) {
			codes = append(codes, c.Code)
			weight += c.Weight
		}
		want, wantWeight := otherCodes, 74
		if applicant.IsFood(cat) {
			want, wantWeight = foodCodes, 100
		}
		if !slices.Equal(codes, want) || weight != wantWeight {
			t.Errorf("%s: %v (weight %d), want %v (%d)", cat, codes, weight, want, wantWeight)
		}
	}
}

// allScored is a review on the default rubric giving every criterion that
// applies to category the same score.
func allScored(r Rubric, category string, score int) Review {
	rev := Review{RubricID: r.ID, RubricVersion: r.Version, ReviewerID: 1}
	for _, c := range r.Applicable(category) {
		rev.Scores = append(rev.Scores, CriterionScore{Criterion: c.Code, Score: score})
	}
	return rev
}

// TestBatikNotPenalised: batik has no label, shelf life or production code,
// and scores exactly what a food product with the same marks scores.
func TestBatikNotPenalised(t *testing.T) {
	r := DefaultRubric()
	for score, want := range map[int]Tenths{1: 0, 2: 250, 3: 500, 4: 750, 5: 1000} {
		for _, cat := range []string{"Batik dan tenun", "Makanan"} {
			got, err := ReviewScore(r, cat, allScored(r, cat, score))
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s all %d: %v, want %v", cat, score, got, want)
			}
		}
	}
	// A batik review may not score a food criterion.
	rev := allScored(r, "Batik dan tenun", 4)
	rev.Scores = append(rev.Scores, CriterionScore{Criterion: "label", Score: 1})
	err := CheckReview(r, "Batik dan tenun", rev)
	if e, ok := apperr.As(err); !ok || e.Code != CodeReviewInvalid || !strings.Contains(e.Text.ID, "Keterangan label tidak dinilai untuk produk kategori") {
		t.Errorf("food criterion on batik: %v", err)
	}
	// Nor a food review skip one.
	food := allScored(r, "Makanan", 4)
	food.Scores = slices.DeleteFunc(food.Scores, func(s CriterionScore) bool { return s.Criterion == "masa_simpan" })
	if e, ok := apperr.As(CheckReview(r, "Makanan", food)); !ok || e.Code != CodeReviewIncomplete || !strings.Contains(e.Text.ID, "Masa simpan belum dinilai") {
		t.Errorf("food without shelf life: %v", e)
	}
}

// TestDefaultPassMark: "adequate" everywhere is 50 and does not pass; one
// criterion better than adequate can lift it over 55.
func TestDefaultPassMark(t *testing.T) {
	r := DefaultRubric()
	rev := allScored(r, "Makanan", 3)
	o := decide(t, r, gateOK, rev)
	if o.Passed || o.Score != 500 || o.Grade != "D" {
		t.Errorf("all adequate: %+v", o)
	}
	contains(t, "reason", o.Reasons[0].Text.ID, "Nilai akhir 50 dari 100, belum mencapai batas lolos 55.")
	if len(o.Reasons) < 2 || o.Reasons[1].Code != CodeLowest {
		t.Errorf("no note on where to improve: %+v", o.Reasons)
	}
	for i := range rev.Scores {
		if rev.Scores[i].Criterion == "rasa" {
			rev.Scores[i].Score = 5 // weight 20 of 100: +10 points
		}
	}
	if o := decide(t, r, gateOK, rev); !o.Passed || o.Score != 600 || o.Grade != "C" {
		t.Errorf("excellent taste: %+v", o)
	}
}

// TestLabelAnchorsListBPOM31: the label criterion says what BPOM 31/2018 asks a
// label to show, at the target score the SME is pointed to.
func TestLabelAnchorsListBPOM31(t *testing.T) {
	c, ok := DefaultRubric().Criterion("label")
	if !ok {
		t.Fatal("no label criterion")
	}
	for _, text := range []string{c.Description.ID, c.Scale.Anchor(c.Target).ID} {
		contains(t, "label", text, "nama produk", "komposisi", "berat bersih", "isi bersih", "nama dan alamat produsen",
			"logo halal bila bersertifikat", "kode produksi", "tanggal kedaluwarsa", "nomor izin edar")
	}
	contains(t, "label", c.Description.ID, "31/2018", "P-IRT atau BPOM MD", "tanggal, bulan, tahun")
	contains(t, "label", c.Description.EN, "31/2018", "ingredients", "net weight", "expiry date")
}

// TestDefaultEndToEnd: a sambal from Kediri, two reviewers, the gate, the
// outcome, and the words the SME reads.
func TestDefaultEndToEnd(t *testing.T) {
	r := DefaultRubric()
	score := func(reviewer int64, s map[string]int, notes map[string]string) Review {
		rev := allScored(r, "Makanan", 4)
		rev.ReviewerID = reviewer
		for i, cs := range rev.Scores {
			if v, ok := s[cs.Criterion]; ok {
				rev.Scores[i].Score = v
			}
			rev.Scores[i].Note = notes[cs.Criterion]
		}
		return rev
	}
	curator := score(1, map[string]int{"kemasan": 2, "label": 2}, map[string]string{"kemasan": "plastik tipis, mudah sobek", "label": "belum ada tanggal kedaluwarsa"})
	staff := score(2, map[string]int{"kemasan": 2, "label": 3}, nil)
	c, err := Combine(r, "Makanan", []Review{curator, staff})
	if err != nil {
		t.Fatal(err)
	}
	g := CheckGate(r.Gate, GateInput{
		Product: ProductFacts{Category: "Makanan", PIRT: "2063506010023-29"},
		Permits: []Permit{pirtOK, {Kind: PermitHalal, Number: halalOK.Number, Accepted: false}},
		Size:    idn.Mikro, RegencyCode: "3506", Now: nov2026,
	})
	o, err := Decide(r, c, g)
	if err != nil {
		t.Fatal(err)
	}
	// Halal is mandatory for this micro business since 17 October 2026, but the
	// default rubric only warns; the product passes on its score with notes.
	// 100·(20·¾ + 12·¼ + 10·¾ + 12·⅜ + (8+6+10+10+12)·¾)/100 = 64.5
	if !o.Passed || o.Score != 645 || o.Grade != "C" {
		t.Fatalf("%+v", o)
	}
	if got := codesOf(o.Reasons); !slices.Equal(got, []string{CodeBelowTarget, CodeBelowTarget}) {
		t.Fatalf("reasons %v", got)
	}
	if got := o.Reasons[0].Text.ID; !strings.HasPrefix(got, "Bahan kemasan: nilai 2 dari 5 (target 3). Catatan kurator: plastik tipis, mudah sobek. Nilai 3 berarti: Cukup: kemasan cukup kuat dan tertutup rapat") {
		t.Errorf("packaging note %q", got)
	}
	if got := o.Reasons[1].Text.ID; !strings.HasPrefix(got, "Keterangan label: nilai 2,5 dari 5 (target 3). Catatan kurator: belum ada tanggal kedaluwarsa.") {
		t.Errorf("label note %q", got)
	}
	if d := c.Disagreements(); len(d) != 0 {
		t.Errorf("disagreements %v", d)
	}
	if got := codesOf(o.Warnings); !slices.Equal(got, []string{CodeHalalMissing, CodeTrademarkMissing}) {
		t.Errorf("warnings %v", got)
	}
	// The Office makes halal a gate in a new version: the same reviews cannot be
	// decided on it (they keep their version), and a round on it fails the product.
	v2, changes, err := r.Revise(func(r *Rubric) { r.Gate.Halal = Require })
	if err != nil || len(changes) != 1 || changes[0].Path != "gate.halal" {
		t.Fatalf("revise: %v %+v", err, changes)
	}
	if _, err := Decide(v2, c, CheckGate(v2.Gate, GateInput{Product: ProductFacts{Category: "Makanan"}, Permits: []Permit{pirtOK}, Now: nov2026})); !apperr.IsKind(err, apperr.Conflict) {
		t.Errorf("old reviews on the new version: %v", err)
	}
	curator.RubricVersion, staff.RubricVersion = 2, 2
	c2, err := Combine(v2, "Makanan", []Review{curator, staff})
	if err != nil {
		t.Fatal(err)
	}
	o2, err := Decide(v2, c2, CheckGate(v2.Gate, GateInput{Product: ProductFacts{Category: "Makanan"}, Permits: []Permit{pirtOK}, Size: idn.Mikro, Now: nov2026}))
	if err != nil {
		t.Fatal(err)
	}
	if o2.Passed || o2.Reasons[0].Code != CodeHalalMissing || o2.Reasons[0].Division != "halal" {
		t.Errorf("halal gate: %+v", o2)
	}
}

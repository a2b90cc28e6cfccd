package curation

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/etalase-id/etalase/internal/i18n"
)

func TestValidRubric(t *testing.T) {
	if err := testRubric().Validate(); err != nil {
		t.Fatalf("test rubric: %v (%+v)", err, fieldsOf(t, err))
	}
	r := testRubric()
	r.Grades = nil // bands are optional
	if err := r.Validate(); err != nil {
		t.Fatalf("without grades: %v", err)
	}
	r = testRubric()
	r.Criteria[0].Scale = scale(0, 10) // 0–10 is a sane scale too
	r.Criteria[0].Target = 6
	if err := r.Validate(); err != nil {
		t.Fatalf("0–10 scale: %v", err)
	}
}

func TestValidateRubric(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Rubric)
		field string
		words []string // in the Indonesian text of the field
	}{
		{"version 0", func(r *Rubric) { r.Version = 0 }, "version", []string{"Versi"}},
		{"no name", func(r *Rubric) { r.Name = i18n.Text{EN: "only English"} }, "name", []string{"Nama rubrik", "wajib"}},
		{"pass mark above 100", func(r *Rubric) { r.PassMark = 101 }, "pass_mark", []string{"0 sampai 100", "101"}},
		{"pass mark negative", func(r *Rubric) { r.PassMark = -1 }, "pass_mark", []string{"0 sampai 100"}},
		{"negative spread", func(r *Rubric) { r.MaxSpread = -1 }, "max_spread", []string{"negatif"}},
		{"unknown halal level", func(r *Rubric) { r.Gate.Halal = "sometimes" }, "gate.halal", []string{"halal", "warn"}},
		{"empty trademark level", func(r *Rubric) { r.Gate.Trademark = "" }, "gate.trademark", []string{"merek"}},
		{"no criteria", func(r *Rubric) { r.Criteria = nil }, "criteria", []string{"paling sedikit satu kriteria"}},
		{"weight zero", func(r *Rubric) { r.Criteria[1].Weight = 0 }, "criteria[1].weight", []string{"Kriteria 2 (Kemasan)", "bobot", "yang diisi 0"}},
		{"weight negative", func(r *Rubric) { r.Criteria[1].Weight = -3 }, "criteria[1].weight", []string{"bobot"}},
		{"weight too big", func(r *Rubric) { r.Criteria[1].Weight = MaxWeight + 1 }, "criteria[1].weight", []string{"1 sampai 1000"}},
		{"duplicate code", func(r *Rubric) { r.Criteria[2].Code = "rasa" }, "criteria[2].code", []string{"\"rasa\"", "kriteria 1"}},
		{"bad code", func(r *Rubric) { r.Criteria[0].Code = "Rasa Enak" }, "criteria[0].code", []string{"huruf kecil"}},
		{"empty code", func(r *Rubric) { r.Criteria[0].Code = "" }, "criteria[0].code", []string{"kode"}},
		{"no criterion name", func(r *Rubric) { r.Criteria[0].Name = i18n.Text{} }, "criteria[0].name", []string{"Kriteria 1: nama", "wajib"}},
		{"max not above min", func(r *Rubric) { r.Criteria[0].Scale = Scale{Min: 5, Max: 5} }, "criteria[0].scale", []string{"lebih besar"}},
		{"max below min", func(r *Rubric) { r.Criteria[0].Scale = Scale{Min: 5, Max: 1} }, "criteria[0].scale", []string{"(1)", "(5)"}},
		{"negative min", func(r *Rubric) { r.Criteria[0].Scale = scale(-1, 3) }, "criteria[0].scale", []string{"negatif"}},
		{"scale too wide", func(r *Rubric) { r.Criteria[0].Scale = scale(0, 100) }, "criteria[0].scale", []string{"paling lebar 10"}},
		{"anchor missing", func(r *Rubric) {
			c := &r.Criteria[0]
			c.Scale.Anchors = append(c.Scale.Anchors[:2:2], c.Scale.Anchors[3:]...) // drop score 3
		}, "criteria[0].scale.anchors", []string{"belum ada untuk nilai 3"}},
		{"anchor empty", func(r *Rubric) { r.Criteria[0].Scale.Anchors[4].Text = i18n.Text{} }, "criteria[0].scale.anchors", []string{"nilai 5"}},
		{"anchors out of order", func(r *Rubric) {
			a := r.Criteria[0].Scale.Anchors
			a[0], a[1] = a[1], a[0]
		}, "criteria[0].scale.anchors", []string{"berurutan", "1, 2"}},
		{"extra anchor", func(r *Rubric) {
			r.Criteria[0].Scale.Anchors = append(r.Criteria[0].Scale.Anchors, Anchor{Score: 6, Text: i18n.Text{ID: "enam"}})
		}, "criteria[0].scale.anchors", []string{"hanya untuk nilai 1 sampai 5"}},
		{"target above scale", func(r *Rubric) { r.Criteria[2].Target = 6 }, "criteria[2].target", []string{"1 sampai 5", "6"}},
		{"target below scale", func(r *Rubric) { r.Criteria[2].Target = 0 }, "criteria[2].target", []string{"di dalam skala"}},
		{"knock-out not mandatory", func(r *Rubric) { r.Criteria[2].MustMeetTarget = true; r.Criteria[2].Mandatory = false }, "criteria[2].must_meet_target", []string{"wajib dinilai"}},
		{"unknown category", func(r *Rubric) { r.Criteria[2].AppliesTo = []string{"Mainan"} }, "criteria[2].applies_to", []string{"\"Mainan\"", "tidak dikenal", "Makanan"}},
		{"category twice", func(r *Rubric) { r.Criteria[2].AppliesTo = []string{"Makanan", "Makanan"} }, "criteria[2].applies_to", []string{"dua kali"}},
		{"nothing mandatory for all", func(r *Rubric) {
			for i := range r.Criteria {
				r.Criteria[i].AppliesTo = []string{"Makanan"}
			}
		}, "criteria", []string{"semua kategori"}},
		{"grades ascending", func(r *Rubric) { r.Grades = []Grade{{"A", 55}, {"B", 70}, {"C", 0}} }, "grades[1].min", []string{"dari yang tertinggi", "B (70)", "A (55)"}},
		{"grades equal", func(r *Rubric) { r.Grades = []Grade{{"A", 70}, {"B", 70}, {"C", 0}} }, "grades[1].min", []string{"di bawah"}},
		{"grade above 100", func(r *Rubric) { r.Grades = []Grade{{"A", 110}, {"B", 0}} }, "grades[0].min", []string{"0 sampai 100", "110"}},
		{"grade without name", func(r *Rubric) { r.Grades[1].Name = " " }, "grades[1].name", []string{"Tingkat ke-2"}},
		{"grade name twice", func(r *Rubric) { r.Grades[1].Name = "A" }, "grades[1].name", []string{"dua kali"}},
		{"last grade not 0", func(r *Rubric) { r.Grades = []Grade{{"A", 85}, {"B", 70}} }, "grades[1].min", []string{"dimulai dari 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := testRubric()
			tc.edit(&r)
			err := r.Validate()
			if err == nil {
				t.Fatal("accepted")
			}
			fields := fieldsOf(t, err)
			txt, ok := fields[tc.field]
			if !ok {
				t.Fatalf("no problem at %s; problems: %+v", tc.field, fields)
			}
			contains(t, "text at "+tc.field, txt.ID, tc.words...)
		})
	}
}

func TestValidateReportsAllAtOnce(t *testing.T) {
	r := testRubric()
	r.PassMark = 200
	r.Criteria[0].Weight = 0
	r.Criteria[1].Target = 9
	r.Grades[2].Min = 90
	fields := fieldsOf(t, r.Validate())
	for _, f := range []string{"pass_mark", "criteria[0].weight", "criteria[1].target", "grades[2].min"} {
		if _, ok := fields[f]; !ok {
			t.Errorf("no problem at %s; got %v", f, fields)
		}
	}
}

func TestApplicable(t *testing.T) {
	r := testRubric()
	r.Criteria[2].AppliesTo = []string{"Makanan", "Minuman"}
	codes := func(cs []Criterion) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Code)
		}
		return out
	}
	if got := codes(r.Applicable("Makanan")); !reflect.DeepEqual(got, []string{"rasa", "kemasan", "harga"}) {
		t.Errorf("Makanan: %v", got)
	}
	if got := codes(r.Applicable("Batik dan tenun")); !reflect.DeepEqual(got, []string{"rasa", "kemasan"}) {
		t.Errorf("Batik dan tenun: %v", got)
	}
}

func TestGradeBands(t *testing.T) {
	r := testRubric()
	tests := []struct {
		score Tenths
		want  string
	}{
		{1000, "A"}, {850, "A"}, {849, "B"}, {700, "B"}, {699, "C"}, {550, "C"}, {549, "D"}, {0, "D"},
	}
	for _, tc := range tests {
		if got := r.Grade(tc.score); got != tc.want {
			t.Errorf("Grade(%v) = %q, want %q", tc.score, got, tc.want)
		}
	}
	r.Grades = nil
	if got := r.Grade(900); got != "" {
		t.Errorf("no bands: %q", got)
	}
}

func TestRubricJSONRoundTrip(t *testing.T) {
	r := testRubric()
	r.Criteria[1].AppliesTo = []string{"Makanan"}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back Rubric
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, back) {
		t.Fatalf("round trip changed the rubric:\n%+v\n%+v", r, back)
	}
	if d := Diff(r, back); len(d) != 0 {
		t.Fatalf("diff after round trip: %+v", d)
	}
}

func TestTenthsFormat(t *testing.T) {
	for _, tc := range []struct {
		t      Tenths
		id, en string
	}{{705, "70,5", "70.5"}, {700, "70", "70"}, {0, "0", "0"}, {1000, "100", "100"}, {25, "2,5", "2.5"}, {3, "0,3", "0.3"}} {
		if got := tc.t.Format(i18n.ID); got != tc.id {
			t.Errorf("%d in Indonesian: %q, want %q", int(tc.t), got, tc.id)
		}
		if got := tc.t.Format(i18n.EN); got != tc.en {
			t.Errorf("%d in English: %q, want %q", int(tc.t), got, tc.en)
		}
	}
}

package curation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/i18n"
)

// Rubric is one version of a curation rubric: what the reviewers score, how much
// each criterion weighs, the pass mark, the grade bands and the settings of the
// legality gate. A version is immutable once stored: a change is a new version
// (see Revise), and a review keeps the ID and Version it was made with, so a past
// round is never recomputed with newer weights.
type Rubric struct {
	ID        int64        `json:"id"`      // the rubric's family; 0 until stored
	Version   int          `json:"version"` // 1, 2, 3… within the family
	Name      i18n.Text    `json:"name"`
	Criteria  []Criterion  `json:"criteria"`  // in the order of the curation form
	PassMark  int          `json:"pass_mark"` // 0–100; a score equal to it passes
	Grades    []Grade      `json:"grades,omitempty"`
	MaxSpread int          `json:"max_spread"` // reviewers disagree on a criterion when their scores differ by more than this many scale points
	Gate      GateSettings `json:"gate"`
}

// Criterion is one line of the curation form.
type Criterion struct {
	Code        string    `json:"code"` // stable key, e.g. "kemasan"; reviews refer to it
	Name        i18n.Text `json:"name"`
	Description i18n.Text `json:"description"`
	Weight      int       `json:"weight"` // positive; weights are relative, renormalised over the criteria that apply
	Scale       Scale     `json:"scale"`
	Target      int       `json:"target"` // a combined score below it becomes a note for the SME
	// Mandatory: every review must score it (a review without it is incomplete).
	// It does not by itself fail a product below target; MustMeetTarget does.
	Mandatory bool `json:"mandatory"`
	// MustMeetTarget makes the criterion a knock-out: below target, the product
	// does not pass whatever its total. Only a mandatory criterion may have it.
	MustMeetTarget bool `json:"must_meet_target,omitempty"`
	// AppliesTo lists the product categories (applicant.Categories) the criterion
	// is scored for; empty means every category.
	AppliesTo []string `json:"applies_to,omitempty"`
}

// Scale is the range of scores of a criterion, with what every score means.
type Scale struct {
	Min     int      `json:"min"`
	Max     int      `json:"max"`
	Anchors []Anchor `json:"anchors"` // one per score, Min to Max in order
}

// Anchor says what one score means, so two reviewers give the same product the
// same score and the SME can read what the target asks of them.
type Anchor struct {
	Score int       `json:"score"`
	Text  i18n.Text `json:"text"`
}

// Grade is a band of the 0–100 score: a score of at least Min (and below the
// band above) gets Name. Bands go from the highest down; the last starts at 0.
type Grade struct {
	Name string `json:"name"`
	Min  int    `json:"min"`
}

// Limits that keep a rubric a form people can fill in, and its arithmetic small.
const (
	MaxCriteria   = 30
	MaxWeight     = 1000
	MaxScaleRange = 10 // Max − Min: 1–5, 1–10 and 0–10 fit; every point needs an anchor
	maxCodeLen    = 40
	maxNameLen    = 200
	maxTextLen    = 1000
)

// Applies reports whether c is scored for products of category.
func (c Criterion) Applies(category string) bool {
	return len(c.AppliesTo) == 0 || slices.Contains(c.AppliesTo, category)
}

// Anchor returns the description of score s, or an empty Text when s has none.
func (s Scale) Anchor(score int) i18n.Text {
	for _, a := range s.Anchors {
		if a.Score == score {
			return a.Text
		}
	}
	return i18n.Text{}
}

// Criterion returns the criterion with code.
func (r Rubric) Criterion(code string) (Criterion, bool) {
	for _, c := range r.Criteria {
		if c.Code == code {
			return c, true
		}
	}
	return Criterion{}, false
}

// Applicable returns the criteria scored for products of category, in form order.
func (r Rubric) Applicable(category string) []Criterion {
	var out []Criterion
	for _, c := range r.Criteria {
		if c.Applies(category) {
			out = append(out, c)
		}
	}
	return out
}

// Grade returns the grade band of score, or "" when the rubric has no bands.
// A score exactly at a band's minimum gets that band.
func (r Rubric) Grade(score Tenths) string {
	for _, g := range r.Grades {
		if score >= Tenths(g.Min*10) {
			return g.Name
		}
	}
	return ""
}

// Clone returns a deep copy, so an edit of the copy never reaches the original.
func (r Rubric) Clone() Rubric {
	r.Criteria = slices.Clone(r.Criteria)
	for i := range r.Criteria {
		c := &r.Criteria[i]
		c.Scale.Anchors = slices.Clone(c.Scale.Anchors)
		c.AppliesTo = slices.Clone(c.AppliesTo)
	}
	r.Grades = slices.Clone(r.Grades)
	return r
}

// Validate checks the rubric and reports every problem at once, each at its
// form field ("pass_mark", "criteria[2].weight", "criteria[2].scale.anchors",
// "grades[1].min"...), as an *apperr.Error of kind Invalid.
func (r Rubric) Validate() error {
	var f apperr.Form
	if r.ID < 0 {
		f.Addf("id", "Nomor rubrik tidak boleh negatif.", "The rubric's ID may not be negative.")
	}
	if r.Version < 1 {
		f.Addf("version", "Versi rubrik dimulai dari 1.", "Rubric versions start at 1.")
	}
	checkText(&f, "name", r.Name, maxNameLen, i18n.Text{ID: "Nama rubrik", EN: "The rubric's name"}, true)
	if r.PassMark < 0 || r.PassMark > 100 {
		f.Addf("pass_mark", fmt.Sprintf("Batas lolos harus 0 sampai 100; yang diisi %d.", r.PassMark),
			fmt.Sprintf("The pass mark must be 0 to 100; it is %d.", r.PassMark))
	}
	if r.MaxSpread < 0 {
		f.Addf("max_spread", "Batas beda nilai antarpenilai tidak boleh negatif.", "The disagreement spread may not be negative.")
	}
	r.Gate.validate(&f)
	validateGrades(&f, r.Grades)

	switch {
	case len(r.Criteria) == 0:
		f.Addf("criteria", "Rubrik perlu paling sedikit satu kriteria.", "A rubric needs at least one criterion.")
	case len(r.Criteria) > MaxCriteria:
		f.Addf("criteria", fmt.Sprintf("Rubrik paling banyak %d kriteria.", MaxCriteria), fmt.Sprintf("A rubric has at most %d criteria.", MaxCriteria))
	}
	seen := map[string]int{}
	universal := false
	for i, c := range r.Criteria {
		validateCriterion(&f, i, c, seen)
		if c.Mandatory && len(c.AppliesTo) == 0 {
			universal = true
		}
	}
	if len(r.Criteria) > 0 && !universal {
		// Without one, some product could be "scored" with nothing scored at all.
		f.Addf("criteria", "Perlu paling sedikit satu kriteria wajib yang berlaku untuk semua kategori produk.",
			"At least one mandatory criterion must apply to every product category.")
	}
	return f.Err()
}

func validateGrades(f *apperr.Form, grades []Grade) {
	names := map[string]bool{}
	for i, g := range grades {
		field := fmt.Sprintf("grades[%d]", i)
		name := strings.TrimSpace(g.Name)
		switch {
		case name == "":
			f.Addf(field+".name", fmt.Sprintf("Tingkat ke-%d belum diberi nama.", i+1), fmt.Sprintf("Grade %d has no name.", i+1))
		case len(name) > 20:
			f.Addf(field+".name", "Nama tingkat paling panjang 20 karakter.", "A grade's name is at most 20 characters.")
		case names[name]:
			f.Addf(field+".name", fmt.Sprintf("Nama tingkat %q dipakai dua kali.", name), fmt.Sprintf("The grade name %q is used twice.", name))
		}
		names[name] = true
		switch {
		case g.Min < 0 || g.Min > 100:
			f.Addf(field+".min", fmt.Sprintf("Nilai terendah tingkat %s harus 0 sampai 100; yang diisi %d.", name, g.Min),
				fmt.Sprintf("The lowest score of grade %s must be 0 to 100; it is %d.", name, g.Min))
		case i > 0 && g.Min >= grades[i-1].Min:
			f.Addf(field+".min", fmt.Sprintf("Tingkat diurutkan dari yang tertinggi: nilai terendah %s (%d) harus di bawah %s (%d).", name, g.Min, grades[i-1].Name, grades[i-1].Min),
				fmt.Sprintf("Grades go from the highest down: the lowest score of %s (%d) must be below that of %s (%d).", name, g.Min, grades[i-1].Name, grades[i-1].Min))
		}
	}
	// Every score must get a grade, or a printed result would show a blank.
	if n := len(grades); n > 0 && grades[n-1].Min != 0 {
		f.Addf(fmt.Sprintf("grades[%d].min", n-1), "Tingkat terakhir harus dimulai dari 0, agar setiap nilai mendapat tingkat.",
			"The last grade must start at 0, so that every score gets a grade.")
	}
}

func validateCriterion(f *apperr.Form, i int, c Criterion, seen map[string]int) {
	field := fmt.Sprintf("criteria[%d]", i)
	who := criterionLabel(i, c)
	say := func(sub, id, en string) {
		f.Add(field+sub, i18n.Text{ID: who.ID + ": " + id, EN: who.EN + ": " + en})
	}
	switch {
	case !validCode(c.Code):
		say(".code", fmt.Sprintf("kode harus huruf kecil, angka atau garis bawah, diawali huruf, paling panjang %d karakter (misalnya \"kemasan\").", maxCodeLen),
			fmt.Sprintf("the code must be lower-case letters, digits or underscores, start with a letter and be at most %d characters (e.g. \"kemasan\").", maxCodeLen))
	case seen[c.Code] > 0:
		say(".code", fmt.Sprintf("kode %q sudah dipakai kriteria %d.", c.Code, seen[c.Code]),
			fmt.Sprintf("the code %q is already used by criterion %d.", c.Code, seen[c.Code]))
	default:
		seen[c.Code] = i + 1
	}
	checkText(f, field+".name", c.Name, maxNameLen, i18n.Text{ID: who.ID + ": nama", EN: who.EN + ": the name"}, true)
	checkText(f, field+".description", c.Description, maxTextLen, i18n.Text{ID: who.ID + ": keterangan", EN: who.EN + ": the description"}, false)
	if c.Weight < 1 || c.Weight > MaxWeight {
		say(".weight", fmt.Sprintf("bobot harus bilangan bulat 1 sampai %d; yang diisi %d.", MaxWeight, c.Weight),
			fmt.Sprintf("the weight must be a whole number from 1 to %d; it is %d.", MaxWeight, c.Weight))
	}
	s := c.Scale
	scaleOK := true
	switch {
	case s.Min < 0:
		say(".scale", "nilai terendah skala tidak boleh negatif.", "the scale may not start below 0.")
		scaleOK = false
	case s.Max <= s.Min:
		say(".scale", fmt.Sprintf("nilai tertinggi skala (%d) harus lebih besar dari nilai terendahnya (%d).", s.Max, s.Min),
			fmt.Sprintf("the scale's top (%d) must be above its bottom (%d).", s.Max, s.Min))
		scaleOK = false
	case s.Max-s.Min > MaxScaleRange:
		say(".scale", fmt.Sprintf("skala paling lebar %d angka (misalnya 1 sampai 5 atau 0 sampai 10); yang diisi %d sampai %d.", MaxScaleRange, s.Min, s.Max),
			fmt.Sprintf("a scale spans at most %d points (e.g. 1 to 5 or 0 to 10); it is %d to %d.", MaxScaleRange, s.Min, s.Max))
		scaleOK = false
	}
	if scaleOK {
		var missing []string
		ok := len(s.Anchors) == s.Max-s.Min+1
		for k := s.Min; k <= s.Max; k++ {
			if k-s.Min < len(s.Anchors) && s.Anchors[k-s.Min].Score == k && strings.TrimSpace(s.Anchors[k-s.Min].Text.ID) != "" {
				continue
			}
			ok = false
			missing = append(missing, fmt.Sprint(k))
		}
		if !ok {
			if len(missing) == 0 { // extra anchors beyond the scale
				say(".scale.anchors", fmt.Sprintf("keterangan nilai hanya untuk nilai %d sampai %d, berurutan.", s.Min, s.Max),
					fmt.Sprintf("score descriptions are only for scores %d to %d, in order.", s.Min, s.Max))
			} else {
				say(".scale.anchors", fmt.Sprintf("setiap nilai %d sampai %d perlu keterangan, berurutan; belum ada untuk nilai %s.", s.Min, s.Max, strings.Join(missing, ", ")),
					fmt.Sprintf("every score %d to %d needs a description, in order; missing for %s.", s.Min, s.Max, strings.Join(missing, ", ")))
			}
		}
		for j, a := range s.Anchors {
			if len([]rune(a.Text.ID)) > maxTextLen || len([]rune(a.Text.EN)) > maxTextLen {
				say(fmt.Sprintf(".scale.anchors[%d]", j), fmt.Sprintf("keterangan nilai %d terlalu panjang (paling banyak %d karakter).", a.Score, maxTextLen),
					fmt.Sprintf("the description of score %d is too long (%d characters at most).", a.Score, maxTextLen))
			}
		}
		if c.Target < s.Min || c.Target > s.Max {
			say(".target", fmt.Sprintf("target harus di dalam skala, %d sampai %d; yang diisi %d.", s.Min, s.Max, c.Target),
				fmt.Sprintf("the target must be within the scale, %d to %d; it is %d.", s.Min, s.Max, c.Target))
		}
	}
	if c.MustMeetTarget && !c.Mandatory {
		say(".must_meet_target", "kriteria yang wajib mencapai target harus juga wajib dinilai.",
			"a criterion that must meet its target must also be mandatory to score.")
	}
	cats := map[string]bool{}
	for _, cat := range c.AppliesTo {
		switch {
		case !slices.Contains(applicant.Categories, cat):
			say(".applies_to", fmt.Sprintf("kategori %q tidak dikenal; pilih dari: %s.", cat, strings.Join(applicant.Categories, ", ")),
				fmt.Sprintf("the category %q is unknown; choose from: %s.", cat, strings.Join(applicant.Categories, ", ")))
		case cats[cat]:
			say(".applies_to", fmt.Sprintf("kategori %q disebut dua kali.", cat), fmt.Sprintf("the category %q is listed twice.", cat))
		}
		cats[cat] = true
	}
}

// criterionLabel names the i-th criterion for a message: "Kriteria 2 (Kemasan)".
func criterionLabel(i int, c Criterion) i18n.Text {
	id, en := fmt.Sprintf("Kriteria %d", i+1), fmt.Sprintf("Criterion %d", i+1)
	if n := strings.TrimSpace(c.Name.ID); n != "" {
		id += " (" + n + ")"
		en += " (" + strings.TrimSpace(c.Name.In(i18n.EN)) + ")"
	}
	return i18n.Text{ID: id, EN: en}
}

// checkText checks a two-language text: the Indonesian one is required when
// required is set (English falls back to it), both at most max runes.
func checkText(f *apperr.Form, field string, t i18n.Text, max int, what i18n.Text, required bool) {
	switch {
	case required && strings.TrimSpace(t.ID) == "":
		f.Add(field, i18n.Text{ID: what.ID + " (Bahasa Indonesia) wajib diisi.", EN: what.EN + " (in Bahasa Indonesia) is required."})
	case len([]rune(t.ID)) > max || len([]rune(t.EN)) > max:
		f.Add(field, i18n.Text{ID: fmt.Sprintf("%s terlalu panjang (paling banyak %d karakter).", what.ID, max),
			EN: fmt.Sprintf("%s is too long (%d characters at most).", what.EN, max)})
	}
}

// validCode reports whether s is a criterion code: a lower-case letter, then
// lower-case letters, digits or underscores.
func validCode(s string) bool {
	if s == "" || len(s) > maxCodeLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if (b < 'a' || b > 'z') && (b < '0' || b > '9') && b != '_' {
			return false
		}
	}
	return true
}

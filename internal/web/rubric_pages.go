package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/i18n"
)

// The admin's rubric page: the version in use and every earlier one, and a
// form that makes the next version — pass mark, disagreement spread, the
// legality gate's halal and trademark levels, the grade bands, and each
// criterion's name, description, weight, target, whether it is mandatory and
// what every score means; a criterion may be removed and a new one added.
// Rounds and reviews keep the version they were made with.
//
// Every criterion's fields are named by its code (weight_kemasan,
// anchor_kemasan_3...), not by its place, so that removing one does not move
// another's values or errors onto its neighbour.

// rubricExtraGrades is how many empty grade rows the form offers for new bands.
const rubricExtraGrades = 2

// newCriterionScale is the scale of a criterion added on this page: the 1–5
// the default rubric uses (a different scale is made through the API).
var newCriterionScale = curation.Scale{Min: 1, Max: 5}

type rubricPageData struct {
	Rubric    curation.Rubric
	Versions  []curation.Rubric
	Levels    []curation.Level
	GradeRows []int // indices of the grade rows: the bands, then empty ones
	NewScores []int // the scores of a new criterion's scale
}

func (s *Server) adminRubric(w http.ResponseWriter, r *http.Request) {
	s.renderAdminRubric(w, r, http.StatusOK, nil)
}

func (s *Server) renderAdminRubric(w http.ResponseWriter, r *http.Request, status int, f *form) {
	vs, err := s.app.Curation.RubricVersions(r.Context(), curation.DefaultRubricID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur := vs[0]
	if f == nil {
		f = newForm(nil)
		setRubricValues(f, cur)
	}
	d := rubricPageData{Rubric: cur, Versions: vs, Levels: curation.Levels}
	for i := range len(cur.Grades) + rubricExtraGrades {
		d.GradeRows = append(d.GradeRows, i)
	}
	for k := newCriterionScale.Min; k <= newCriterionScale.Max; k++ {
		d.NewScores = append(d.NewScores, k)
	}
	s.render(w, r, status, "curation/rubric", page{Title: "curation.rubric.title", Form: f, Here: "/admin/rubric", Data: d})
}

// setRubricValues fills the form with the values of version rb.
func setRubricValues(f *form, rb curation.Rubric) {
	v := f.values
	v.Set("pass_mark", strconv.Itoa(rb.PassMark))
	v.Set("max_spread", strconv.Itoa(rb.MaxSpread))
	v.Set("gate.halal", string(rb.Gate.Halal))
	v.Set("gate.trademark", string(rb.Gate.Trademark))
	for i, g := range rb.Grades {
		v.Set(fmt.Sprintf("grade_name_%d", i), g.Name)
		v.Set(fmt.Sprintf("grade_min_%d", i), strconv.Itoa(g.Min))
	}
	for _, c := range rb.Criteria {
		v.Set("name_id_"+c.Code, c.Name.ID)
		v.Set("name_en_"+c.Code, c.Name.EN)
		v.Set("desc_id_"+c.Code, c.Description.ID)
		v.Set("desc_en_"+c.Code, c.Description.EN)
		v.Set("weight_"+c.Code, strconv.Itoa(c.Weight))
		v.Set("target_"+c.Code, strconv.Itoa(c.Target))
		if c.Mandatory {
			v.Set("mandatory_"+c.Code, "yes")
		}
		for _, a := range c.Scale.Anchors {
			v.Set(fmt.Sprintf("anchor_%s_%d", c.Code, a.Score), a.Text.ID)
			v.Set(fmt.Sprintf("anchor_en_%s_%d", c.Code, a.Score), a.Text.EN)
		}
	}
}

func (s *Server) adminRubricSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	in := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	var bad apperr.Form
	num := func(field string, dst *int) {
		n, err := strconv.Atoi(in(field))
		if err != nil {
			bad.Addf(field, "Isi dengan bilangan bulat.", "Enter a whole number.")
			return
		}
		*dst = n
	}
	// inputs[i] is where the i-th criterion of the new version is on the
	// form, by which Validate's "criteria[i].weight" finds its input again.
	var inputs []rubricInput
	_, _, err := s.app.Curation.ReviseRubric(r.Context(), s.user(r), curation.DefaultRubricID, func(rb *curation.Rubric) {
		num("pass_mark", &rb.PassMark)
		num("max_spread", &rb.MaxSpread)
		rb.Gate.Halal = curation.Level(in("gate.halal"))
		rb.Gate.Trademark = curation.Level(in("gate.trademark"))

		rb.Grades = nil
		for i := range len(r.PostForm) { // never more rows than fields
			name, minimum := in(fmt.Sprintf("grade_name_%d", i)), in(fmt.Sprintf("grade_min_%d", i))
			if !r.PostForm.Has(fmt.Sprintf("grade_name_%d", i)) {
				break
			}
			if name == "" && minimum == "" {
				continue // an empty row: no band
			}
			g := curation.Grade{Name: name}
			num(fmt.Sprintf("grade_min_%d", i), &g.Min)
			rb.Grades = append(rb.Grades, g)
		}

		kept := make([]curation.Criterion, 0, len(rb.Criteria)+1)
		for _, c := range rb.Criteria {
			if in("remove_"+c.Code) == "yes" {
				continue
			}
			c.Name = i18n.Text{ID: in("name_id_" + c.Code), EN: in("name_en_" + c.Code)}
			c.Description = i18n.Text{ID: in("desc_id_" + c.Code), EN: in("desc_en_" + c.Code)}
			num("weight_"+c.Code, &c.Weight)
			num("target_"+c.Code, &c.Target)
			c.Mandatory = in("mandatory_"+c.Code) == "yes"
			if !c.Mandatory {
				c.MustMeetTarget = false
			}
			anchors := make([]curation.Anchor, 0, len(c.Scale.Anchors))
			for k := c.Scale.Min; k <= c.Scale.Max; k++ {
				anchors = append(anchors, curation.Anchor{Score: k, Text: i18n.Text{
					ID: in(fmt.Sprintf("anchor_%s_%d", c.Code, k)), EN: in(fmt.Sprintf("anchor_en_%s_%d", c.Code, k))}})
			}
			c.Scale.Anchors = anchors
			kept = append(kept, c)
			inputs = append(inputs, rubricInput{c.Code, c.Scale.Min})
		}
		if c, ok := newCriterion(r, kept, num); ok {
			kept = append(kept, c)
			inputs = append(inputs, rubricInput{"", newCriterionScale.Min})
		}
		rb.Criteria = kept
	})
	if e := bad.Err(); e != nil {
		err = e
	}
	if err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(rubricFieldNames(err, inputs), reqFrom(r.Context()).lang)
			s.renderAdminRubric(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "curation.rubric.saved")
	http.Redirect(w, r, "/admin/rubric", http.StatusSeeOther)
}

// newCriterion is the criterion the "add a criterion" part of the form
// describes, if the admin filled any of it in. Its code is made from its
// Indonesian name ("Daya tarik oleh-oleh" → daya_tarik_oleh_oleh), unique
// among the others.
func newCriterion(r *http.Request, others []curation.Criterion, num func(string, *int)) (curation.Criterion, bool) {
	in := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	used := in("new_name_id") != "" || in("new_name_en") != "" || in("new_desc_id") != ""
	for k := newCriterionScale.Min; k <= newCriterionScale.Max && !used; k++ {
		used = in(fmt.Sprintf("new_anchor_%d", k)) != ""
	}
	if !used {
		return curation.Criterion{}, false
	}
	c := curation.Criterion{
		Code:        criterionCode(in("new_name_id"), others),
		Name:        i18n.Text{ID: in("new_name_id"), EN: in("new_name_en")},
		Description: i18n.Text{ID: in("new_desc_id"), EN: in("new_desc_en")},
		Mandatory:   in("new_mandatory") == "yes",
		Scale:       newCriterionScale,
	}
	num("new_weight", &c.Weight)
	num("new_target", &c.Target)
	if in("new_food_only") == "yes" {
		for _, cat := range applicant.Categories {
			if applicant.IsFood(cat) {
				c.AppliesTo = append(c.AppliesTo, cat)
			}
		}
	}
	c.Scale.Anchors = nil
	for k := newCriterionScale.Min; k <= newCriterionScale.Max; k++ {
		c.Scale.Anchors = append(c.Scale.Anchors, curation.Anchor{Score: k, Text: i18n.Text{ID: in(fmt.Sprintf("new_anchor_%d", k))}})
	}
	return c, true
}

var nonCode = regexp.MustCompile(`[^a-z0-9]+`)

// criterionCode makes a criterion's stable key from its name: lower-case
// words joined by "_", starting with a letter, 30 characters at most, with a
// number added when another criterion has it.
func criterionCode(name string, others []curation.Criterion) string {
	code := strings.Trim(nonCode.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if code == "" || code[0] < 'a' || code[0] > 'z' {
		code = "kriteria_" + code
	}
	if len(code) > 28 {
		code = strings.TrimRight(code[:28], "_")
	}
	taken := func(c string) bool {
		for _, o := range others {
			if o.Code == c {
				return true
			}
		}
		return false
	}
	for i, base := 2, code; taken(code); i++ {
		code = fmt.Sprintf("%s_%d", base, i)
	}
	return code
}

var rubricField = regexp.MustCompile(`^(criteria|grades)\[(\d+)\]\.([a-z_]+)`)

// rubricInput is where the form shows one criterion of the new version: its
// code, or "" for the criterion being added, and the lowest score of its scale.
type rubricInput struct {
	code     string
	minScore int
}

// input is the form's name for part ("weight", "scale"...) of the criterion.
func (c rubricInput) input(part string) string {
	if c.code == "" {
		return map[string]string{"name": "new_name_id", "code": "new_name_id", "description": "new_desc_id", "weight": "new_weight",
			"target": "new_target", "mandatory": "new_mandatory", "must_meet_target": "new_mandatory",
			"scale": fmt.Sprintf("new_anchor_%d", c.minScore)}[part]
	}
	if part == "scale" {
		return fmt.Sprintf("anchor_%s_%d", c.code, c.minScore)
	}
	prefix, ok := map[string]string{"name": "name_id_", "code": "name_id_", "description": "desc_id_", "weight": "weight_",
		"target": "target_", "mandatory": "mandatory_", "must_meet_target": "mandatory_"}[part]
	if !ok {
		return ""
	}
	return prefix + c.code
}

// rubricFieldNames renames Validate's fields ("criteria[2].weight",
// "grades[1].min") to the form's inputs ("weight_kemasan", "grade_min_1"),
// so each error shows at its input and the summary links to it.
func rubricFieldNames(err error, inputs []rubricInput) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	out := *e
	out.Fields = make([]apperr.Field, len(e.Fields))
	for i, fe := range e.Fields {
		out.Fields[i] = fe
		m := rubricField.FindStringSubmatch(fe.Name)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		switch {
		case m[1] == "grades":
			out.Fields[i].Name = fmt.Sprintf("grade_%s_%d", m[3], n)
		case n < len(inputs):
			if name := inputs[n].input(m[3]); name != "" {
				out.Fields[i].Name = name
			}
		}
	}
	return &out
}

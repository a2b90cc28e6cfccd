package curation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/i18n"
)

// scale returns a scale min..max with a plain anchor for every point.
func scale(min, max int) Scale {
	s := Scale{Min: min, Max: max}
	for k := min; k <= max; k++ {
		s.Anchors = append(s.Anchors, Anchor{Score: k, Text: i18n.Text{ID: fmt.Sprintf("nilai %d", k), EN: fmt.Sprintf("score %d", k)}})
	}
	return s
}

// crit is a mandatory criterion on a 1–5 scale with target 3.
func crit(code, name string, weight int) Criterion {
	return Criterion{Code: code, Name: i18n.Text{ID: name, EN: name + " (en)"}, Weight: weight, Scale: scale(1, 5), Target: 3, Mandatory: true}
}

// testRubric is a small valid rubric: three criteria, pass mark 55, grades
// A/B/C/D, spread 1, the gate's settings at warn.
func testRubric() Rubric {
	return Rubric{
		ID: 7, Version: 1,
		Name: i18n.Text{ID: "Rubrik uji", EN: "Test rubric"},
		Criteria: []Criterion{
			crit("rasa", "Rasa", 2),
			crit("kemasan", "Kemasan", 1),
			crit("harga", "Harga", 1),
		},
		PassMark:  55,
		Grades:    []Grade{{"A", 85}, {"B", 70}, {"C", 55}, {"D", 0}},
		MaxSpread: 1,
		Gate:      GateSettings{Halal: Warn, Trademark: Warn},
	}
}

// fieldsOf returns the field names of an *apperr.Error and the texts by field.
func fieldsOf(t *testing.T, err error) map[string]i18n.Text {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("error %v (%T) is not an *apperr.Error", err, err)
	}
	if e.Kind != apperr.Invalid && e.Kind != apperr.Conflict {
		t.Fatalf("error kind %v, want Invalid or Conflict", e.Kind)
	}
	if e.Text.ID == "" || e.Text.EN == "" {
		t.Fatalf("error %q lacks a text in one language", e.Code)
	}
	m := map[string]i18n.Text{}
	for _, f := range e.Fields {
		if f.Text.ID == "" || f.Text.EN == "" {
			t.Fatalf("field %s lacks a text in one language: %+v", f.Name, f.Text)
		}
		if _, dup := m[f.Name]; dup {
			m[f.Name] = i18n.Text{ID: m[f.Name].ID + " | " + f.Text.ID, EN: m[f.Name].EN + " | " + f.Text.EN}
			continue
		}
		m[f.Name] = f.Text
	}
	return m
}

// contains fails unless s holds every word in words.
func contains(t *testing.T, what, s string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(s, w) {
			t.Errorf("%s %q does not contain %q", what, s, w)
		}
	}
}

// tx is a Text with the same words in both languages.
func tx(s string) i18n.Text { return i18n.Text{ID: s, EN: s} }

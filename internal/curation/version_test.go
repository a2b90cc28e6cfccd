package curation

import (
	"errors"
	"reflect"
	"testing"
)

func TestReviseMakesNextVersion(t *testing.T) {
	old := testRubric()
	keep := old.Clone()
	next, changes, err := old.Revise(func(r *Rubric) {
		r.Criteria[1].Weight = 3
		r.Criteria[1].Scale.Anchors[0].Text.ID = "sangat buruk"
		r.Criteria[1].AppliesTo = append(r.Criteria[1].AppliesTo, "Makanan")
		r.PassMark = 60
		r.Grades[0].Min = 90
		r.ID, r.Version = 99, 42 // not the edit's to choose
	})
	if err != nil {
		t.Fatal(err)
	}
	if next.ID != old.ID || next.Version != old.Version+1 {
		t.Errorf("next is %d v%d, want %d v%d", next.ID, next.Version, old.ID, old.Version+1)
	}
	if !reflect.DeepEqual(old, keep) {
		t.Fatalf("Revise changed the old version:\n%+v\n%+v", old, keep)
	}
	want := map[string]bool{
		"pass_mark": true, "grades": true,
		"criteria[kemasan].weight": true, "criteria[kemasan].scale": true, "criteria[kemasan].applies_to": true,
	}
	got := map[string]bool{}
	for _, c := range changes {
		got[c.Path] = true
		if c.Old == "" || c.New == "" {
			t.Errorf("change %s lacks a side: %+v", c.Path, c)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	for _, c := range changes {
		if c.Path == "pass_mark" && (c.Old != "55" || c.New != "60") {
			t.Errorf("pass_mark change %+v", c)
		}
	}
	// The new version holds nothing the old one shares.
	next.Criteria[0].Scale.Anchors[0].Text.ID = "diubah kemudian"
	next.Grades[1].Min = 1
	if !reflect.DeepEqual(old, keep) {
		t.Fatal("the new version shares memory with the old")
	}
}

func TestReviseEditKeepsNoAlias(t *testing.T) {
	// An edit that installs a slice it keeps cannot change the stored result.
	mine := []Grade{{"A", 80}, {"B", 0}}
	next, _, err := testRubric().Revise(func(r *Rubric) { r.Grades = mine })
	if err != nil {
		t.Fatal(err)
	}
	mine[0].Min = 10
	if next.Grades[0].Min != 80 {
		t.Fatal("the new version shares the edit's slice")
	}
}

func TestReviseRefusals(t *testing.T) {
	r := testRubric()
	if _, _, err := r.Revise(func(*Rubric) {}); !errors.Is(err, ErrUnchanged) {
		t.Errorf("no change: %v", err)
	}
	if _, _, err := r.Revise(nil); !errors.Is(err, ErrUnchanged) {
		t.Errorf("nil edit: %v", err)
	}
	_, _, err := r.Revise(func(r *Rubric) { r.Criteria[0].Weight = 0 })
	if _, ok := fieldsOf(t, err)["criteria[0].weight"]; !ok {
		t.Errorf("invalid edit: %v", err)
	}
	// A version already revised revises on from its own number.
	v2, _, err := r.Revise(func(r *Rubric) { r.MaxSpread = 2 })
	if err != nil {
		t.Fatal(err)
	}
	v3, _, err := v2.Revise(func(r *Rubric) { r.MaxSpread = 3 })
	if err != nil || v3.Version != 3 {
		t.Fatalf("v3: %d %v", v3.Version, err)
	}
}

func TestDiffCriteria(t *testing.T) {
	a := testRubric()
	b := a.Clone()
	b.Criteria = []Criterion{b.Criteria[2], b.Criteria[0], crit("desain", "Desain", 1)} // kemasan removed, desain added, harga moved up
	b.Criteria[1].Name.ID = "Rasa dan mutu"
	b.Gate.Halal = Require
	got := map[string]Change{}
	for _, c := range Diff(a, b) {
		got[c.Path] = c
	}
	if c := got["criteria[kemasan]"]; c.Old == "" || c.New != "" {
		t.Errorf("removal: %+v", c)
	}
	if c := got["criteria[desain]"]; c.Old != "" || c.New == "" {
		t.Errorf("addition: %+v", c)
	}
	if c := got["criteria[rasa].name"]; c.New == "" {
		t.Errorf("rename: %+v", c)
	}
	if c := got["criteria.order"]; c.Old != `["rasa","harga"]` || c.New != `["harga","rasa"]` {
		t.Errorf("order: %+v", c)
	}
	if c := got["gate.halal"]; c.Old != `"warn"` || c.New != `"require"` {
		t.Errorf("gate setting: %+v", c)
	}
	if len(got) != 5 {
		t.Errorf("changes: %+v", got)
	}
	// Adding or removing alone is not a change of order.
	c := a.Clone()
	c.Criteria = c.Criteria[:2]
	for _, ch := range Diff(a, c) {
		if ch.Path == "criteria.order" {
			t.Errorf("removal reported as reordering: %+v", ch)
		}
	}
	// No list and an empty list mean the same.
	d := a.Clone()
	d.Criteria[0].AppliesTo = []string{}
	if ch := Diff(a, d); len(ch) != 0 {
		t.Errorf("nil vs empty AppliesTo: %+v", ch)
	}
}

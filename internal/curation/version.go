package curation

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
)

// Versions
//
// A stored rubric version never changes: reviews point at (ID, Version) and a
// past round must read the same weights, anchors and pass mark forever. An admin's
// edit therefore makes the next version. Revise does it as a pure function; the
// store only has to insert the result (and refuse a second insert of the same
// (ID, Version), which is how two admins editing at once are told apart) and
// write Diff's changes to the audit trail.

// Change is one difference between two versions of a rubric, for the audit trail
// and for the admin's "what will change" page.
type Change struct {
	// Path names what changed: a field of the rubric ("pass_mark", "gate.halal",
	// "grades"), a criterion added or removed ("criteria[kemasan]"), a field of a
	// criterion ("criteria[kemasan].weight"), or the order of the criteria
	// ("criteria.order").
	Path string `json:"path"`
	Old  string `json:"old,omitempty"` // the old value as JSON; empty when added
	New  string `json:"new,omitempty"` // the new value as JSON; empty when removed
}

// ErrUnchanged is Revise's answer to an edit that changes nothing: a new version
// identical to the last would only make people wonder what changed.
var ErrUnchanged = apperr.New(apperr.Invalid, "curation.rubric_unchanged",
	"Tidak ada yang diubah pada rubrik; versi baru tidak dibuat.",
	"Nothing in the rubric was changed; no new version was made.")

// Revise returns the next version of r: a deep copy with edit applied, the same
// ID and Version+1, and what changed. r itself, and anything it shares, is never
// touched. edit may change everything but ID and Version, which Revise sets.
// The result must validate, and must differ from r (ErrUnchanged).
func (r Rubric) Revise(edit func(*Rubric)) (Rubric, []Change, error) {
	next := r.Clone()
	if edit != nil {
		edit(&next)
	}
	next.ID, next.Version = r.ID, r.Version+1
	// A second clone, so that an edit that kept a slice of its own cannot change
	// the stored version later.
	next = next.Clone()
	if err := next.Validate(); err != nil {
		return Rubric{}, nil, err
	}
	changes := Diff(r, next)
	if len(changes) == 0 {
		return Rubric{}, nil, ErrUnchanged
	}
	return next, changes, nil
}

// Diff lists what differs between versions a and b, ignoring ID and Version.
// Criteria are matched by code, so renaming a criterion is one change and
// giving it a new code is a removal and an addition.
func Diff(a, b Rubric) []Change {
	skip := map[string]bool{"id": true, "version": true, "criteria": true}
	out := diffFields(nil, "", reflect.ValueOf(a), reflect.ValueOf(b), skip)

	inA, inB := byCode(a.Criteria), byCode(b.Criteria)
	for _, c := range a.Criteria {
		if _, ok := inB[c.Code]; !ok {
			out = append(out, Change{Path: "criteria[" + c.Code + "]", Old: jsonOf(reflect.ValueOf(c))})
		}
	}
	for _, c := range b.Criteria {
		old, ok := inA[c.Code]
		if !ok {
			out = append(out, Change{Path: "criteria[" + c.Code + "]", New: jsonOf(reflect.ValueOf(c))})
			continue
		}
		out = diffFields(out, "criteria["+c.Code+"].", reflect.ValueOf(old), reflect.ValueOf(c), nil)
	}
	// The form's order matters to reviewers; report it when the criteria both
	// versions share are in a different order.
	common := func(cs []Criterion, other map[string]Criterion) []string {
		var codes []string
		for _, c := range cs {
			if _, ok := other[c.Code]; ok {
				codes = append(codes, c.Code)
			}
		}
		return codes
	}
	if oa, ob := common(a.Criteria, inB), common(b.Criteria, inA); !slices.Equal(oa, ob) {
		out = append(out, Change{Path: "criteria.order", Old: jsonOf(reflect.ValueOf(oa)), New: jsonOf(reflect.ValueOf(ob))})
	}
	return out
}

func byCode(cs []Criterion) map[string]Criterion {
	m := make(map[string]Criterion, len(cs))
	for _, c := range cs {
		m[c.Code] = c
	}
	return m
}

// diffFields compares the exported fields of two structs of the same type by
// their JSON, naming each by its JSON key, and descends into nested structs
// (gate settings) so the path says exactly which setting changed.
func diffFields(out []Change, prefix string, a, b reflect.Value, skip map[string]bool) []Change {
	t := a.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" {
			name = sf.Name
		}
		if skip[name] {
			continue
		}
		fa, fb := a.Field(i), b.Field(i)
		if sf.Type.Kind() == reflect.Struct && sf.Type.Name() == "GateSettings" {
			out = diffFields(out, prefix+name+".", fa, fb, nil)
			continue
		}
		if ja, jb := jsonOf(fa), jsonOf(fb); ja != jb {
			out = append(out, Change{Path: prefix + name, Old: ja, New: jb})
		}
	}
	return out
}

// jsonOf is v as JSON, with an empty list and no list written alike: both mean
// the same to a rubric, and a store may read either back.
func jsonOf(v reflect.Value) string {
	if v.Kind() == reflect.Slice && v.Len() == 0 {
		return "[]"
	}
	b, err := json.Marshal(v.Interface())
	if err != nil {
		// Rubric values are plain data; this cannot happen, and a diff must not fail.
		return "?"
	}
	return string(b)
}

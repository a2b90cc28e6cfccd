// Package apperr is how a capability says "no" to a user: an error with a kind (which
// the web layer turns into a status), a stable code, a message in both languages
// that is safe to show, the form fields it concerns, and the real cause for the log.
package apperr

import (
	"errors"
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Kind classifies an error the way a client needs to react to it.
type Kind int

const (
	Internal     Kind = iota // our fault: the cause is logged, the user sees a generic message
	Invalid                  // the input is wrong: fix it and try again
	NotFound                 // no such thing, or not yours to see
	Forbidden                // you may not do this
	Unauthorized             // sign in first
	Conflict                 // the state changed or the value is taken
	TooMany                  // slow down; RetryAfter says how long
)

// Error is an error a user may read.
type Error struct {
	Kind       Kind
	Code       string    // stable, e.g. "account.email_taken"
	Text       i18n.Text // what the user reads
	Fields     []Field   // per-field problems on a form, if any
	RetryAfter time.Duration
	Err        error // the cause, for the log only
}

// Field is a problem with one form field.
type Field struct {
	Name string
	Text i18n.Text
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Text.ID
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error of kind k.
func New(k Kind, code string, id, en string) *Error {
	return &Error{Kind: k, Code: code, Text: i18n.Text{ID: id, EN: en}}
}

// Invalidf returns an Invalid error about one field.
func InvalidField(code, field string, t i18n.Text) *Error {
	return &Error{Kind: Invalid, Code: code, Text: t, Fields: []Field{{Name: field, Text: t}}}
}

// As returns the *Error in err's chain, if there is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err carries an *Error of kind k.
func IsKind(err error, k Kind) bool {
	e, ok := As(err)
	return ok && e.Kind == k
}

// Form collects field problems while a form is checked, so the user sees all of
// them at once instead of one per try.
type Form struct {
	fields []Field
}

// Add records a problem with field.
func (f *Form) Add(field string, t i18n.Text) {
	f.fields = append(f.fields, Field{Name: field, Text: t})
}

// Addf records a problem with field from Indonesian and English text.
func (f *Form) Addf(field, id, en string) { f.Add(field, i18n.Text{ID: id, EN: en}) }

// Has reports whether field has a problem.
func (f *Form) Has(field string) bool {
	for _, x := range f.fields {
		if x.Name == field {
			return true
		}
	}
	return false
}

// Err returns nil when nothing was added, else an Invalid error listing every field.
func (f *Form) Err() error {
	if len(f.fields) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Code: "form.invalid", Fields: f.fields, Text: i18n.Text{
		ID: "Ada isian yang perlu diperbaiki. Lihat keterangan di setiap kolom.",
		EN: "Some fields need fixing. See the note at each field.",
	}}
}

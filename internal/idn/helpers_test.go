package idn

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// testNow is the reference "today" of the tests: mid-May 2026.
var testNow = time.Date(2026, time.May, 15, 10, 0, 0, 0, time.UTC)

// checkProblem asserts that err is a well-formed *Problem whose code starts
// with prefix (e.g. "nik."), in both languages, with no formatting mistakes.
func checkProblem(t testing.TB, err error, prefix string) *Problem {
	t.Helper()
	var p *Problem
	if !errors.As(err, &p) {
		t.Fatalf("error %v (%T) is not a *Problem", err, err)
	}
	checkText(t, *p, prefix)
	if err.Error() != p.Text.ID {
		t.Errorf("Error() = %q, want the Indonesian text %q", err.Error(), p.Text.ID)
	}
	return p
}

func checkText(t testing.TB, p Problem, prefix string) {
	t.Helper()
	if !strings.HasPrefix(p.Code, prefix) {
		t.Errorf("code %q does not start with %q", p.Code, prefix)
	}
	for _, s := range []string{p.Text.ID, p.Text.EN} {
		if s == "" || strings.Contains(s, "%!") {
			t.Errorf("%s: bad text %q", p.Code, s)
		}
	}
	if p.Text.ID == p.Text.EN {
		t.Errorf("%s: same text in both languages: %q", p.Code, p.Text.ID)
	}
}

func codes(ps []Problem) []string {
	var cs []string
	for _, p := range ps {
		cs = append(cs, p.Code)
	}
	return cs
}

// checkOutcome compares an outcome with the expected refusal code (or "" for
// acceptance) and the expected warning codes.
func checkOutcome(t *testing.T, warns []Problem, err error, wantErr string, wantWarns []string, prefix string) bool {
	t.Helper()
	if wantErr != "" {
		if err == nil {
			t.Fatalf("accepted, want refusal %s", wantErr)
		}
		if p := checkProblem(t, err, prefix); p.Code != wantErr {
			t.Fatalf("refused with %s (%s), want %s", p.Code, p.Text.EN, wantErr)
		}
		return false
	}
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	if got := codes(warns); !slices.Equal(got, wantWarns) {
		t.Errorf("warnings %v, want %v", got, wantWarns)
	}
	for _, w := range warns {
		checkText(t, w, prefix)
	}
	return true
}

func TestProblemErrorsAs(t *testing.T) {
	_, _, err := ParseNIK("123")
	var p *Problem
	if !errors.As(err, &p) || p.Code != CodeNIKLength {
		t.Fatalf("errors.As: %v", err)
	}
	if got, want := p.Text.ID, "NIK harus 16 angka; yang diisi 3 angka."; got != want {
		t.Errorf("ID = %q, want %q", got, want)
	}
	if got, want := p.Text.EN, "The NIK must be 16 digits; 3 digits were entered."; got != want {
		t.Errorf("EN = %q, want %q", got, want)
	}
	_, _, err = ParseNIK("1")
	errors.As(err, &p)
	if got, want := p.Text.EN, "The NIK must be 16 digits; 1 digit was entered."; got != want {
		t.Errorf("EN = %q, want %q", got, want)
	}
}

func TestShorten(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc…"},
		{"ééééé", 2, "éé…"},
		{"", 2, ""},
	} {
		if got := shorten(c.in, c.n); got != c.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

package idn

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Problem is one thing wrong (or worth a warning) with an identifier.
type Problem struct {
	Code string    // stable machine code, e.g. "nik.length", "nik.province_unknown", "pirt.expired"
	Text i18n.Text // what a clerk or applicant reads, plain words, both languages
}

// Error returns the Indonesian text, the language of the Office.
func (p Problem) Error() string { return p.Text.ID }

// newProblem builds a Problem whose two texts share the same format arguments.
func newProblem(code, id, en string, args ...any) *Problem {
	return &Problem{Code: code, Text: i18n.Text{
		ID: fmt.Sprintf(id, args...),
		EN: fmt.Sprintf(en, args...),
	}}
}

// warn is newProblem for the warning lists, which hold values.
func warn(code, id, en string, args ...any) Problem {
	return *newProblem(code, id, en, args...)
}

// isSeparator reports whether r is one of the marks people put between groups
// of digits: whitespace (including the no-break space that copy-paste brings),
// dots and dashes (including the typographic ones word processors substitute).
func isSeparator(r rune) bool {
	switch r {
	case '.', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212':
		return true
	}
	return unicode.IsSpace(r)
}

// compact removes separators.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if isSeparator(r) {
			return -1
		}
		return r
	}, s)
}

// firstNonDigit returns the first rune of s that is not an ASCII digit.
func firstNonDigit(s string) (rune, bool) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return r, true
		}
	}
	return 0, false
}

// charName names a character for a message, with a hint for the letters most
// often typed in place of a digit.
func charName(r rune) i18n.Text {
	q := fmt.Sprintf("%q", string(r))
	switch r {
	case 'O', 'o':
		return i18n.Text{ID: q + " (huruf O, bukan angka 0)", EN: q + " (the letter O, not the digit 0)"}
	case 'I', 'l':
		return i18n.Text{ID: q + " (huruf, bukan angka 1)", EN: q + " (a letter, not the digit 1)"}
	}
	return i18n.Text{ID: q, EN: q}
}

// notDigits is the refusal for a number that holds something other than digits.
func notDigits(code, whatID, whatEN string, r rune) *Problem {
	c := charName(r)
	return &Problem{Code: code, Text: i18n.Text{
		ID: fmt.Sprintf("%s hanya boleh berisi angka; ada %s.", whatID, c.ID),
		EN: fmt.Sprintf("The %s may contain digits only; it has %s.", whatEN, c.EN),
	}}
}

// digitCountEN is "1 digit" or "n digits".
func digitCountEN(n int) string {
	if n == 1 {
		return "1 digit"
	}
	return fmt.Sprintf("%d digits", n)
}

// enteredEN is "1 digit was entered" or "n digits were entered".
func enteredEN(n int) string {
	if n == 1 {
		return "1 digit was entered"
	}
	return digitCountEN(n) + " were entered"
}

// atoi converts a short string of ASCII digits already checked by the caller.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// wrongLength is the refusal for a number with the wrong count of digits;
// want is phrased per language, e.g. "13 angka" / "13 digits".
func wrongLength(code, whatID, whatEN, wantID, wantEN string, got int) *Problem {
	return &Problem{Code: code, Text: i18n.Text{
		ID: fmt.Sprintf("%s harus %s; yang diisi %d angka.", whatID, wantID, got),
		EN: fmt.Sprintf("The %s must be %s; %s.", whatEN, wantEN, enteredEN(got)),
	}}
}

// shorten cuts s to at most n runes, so a message never quotes a whole essay.
func shorten(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}

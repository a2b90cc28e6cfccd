package idn

// Problem codes for NIB.
const (
	CodeNIBEmpty     = "nib.empty"
	CodeNIBNotDigits = "nib.not_digits"
	CodeNIBLength    = "nib.length"
)

// NIB is a Nomor Induk Berusaha: the 13-digit business number issued by
// OSS-RBA, one per business, valid while the business runs.
type NIB string

// ParseNIB reads a NIB typed with or without spaces, dots or dashes.
// The NIB has no inner structure or check digit to verify beyond its length.
func ParseNIB(s string) (NIB, error) {
	d := compact(s)
	if d == "" {
		return "", newProblem(CodeNIBEmpty, "NIB belum diisi.", "The NIB is empty.")
	}
	if r, bad := firstNonDigit(d); bad {
		return "", notDigits(CodeNIBNotDigits, "NIB", "NIB", r)
	}
	if len(d) != 13 {
		return "", wrongLength(CodeNIBLength, "NIB", "NIB", "13 angka", "13 digits", len(d))
	}
	return NIB(d), nil
}

// String returns the 13 digits.
func (n NIB) String() string { return string(n) }

package idn

import "strings"

// Problem codes for BPOM registration numbers.
const (
	CodeBPOMEmpty     = "bpom.empty"
	CodeBPOMPrefix    = "bpom.prefix"
	CodeBPOMNotDigits = "bpom.not_digits"
	CodeBPOMLength    = "bpom.length" // warning
)

// BPOMDigits is how many digits follow MD or ML in a processed-food
// registration number. DOMAIN.md marks it "check", so a different count is a
// warning only.
const BPOMDigits = 12

// BPOM is a BPOM processed-food registration number: MD (made in Indonesia)
// or ML (imported) and digits.
type BPOM struct {
	Number   string // normalised, e.g. "MD224510001234"
	Imported bool   // ML
}

// ParseBPOM reads a BPOM number such as "BPOM RI MD 224510001234" or
// "md 2245 1000 1234": case, spaces, dots and dashes do not matter, and the
// "BPOM RI" in front is optional. Other prefixes (P-IRT, SNI...) are refused.
func ParseBPOM(s string) (BPOM, []Problem, error) {
	d := strings.ToUpper(compact(s))
	d = strings.TrimPrefix(d, "BPOM")
	d = strings.TrimPrefix(d, "RI")
	d = strings.TrimPrefix(d, ":")
	if d == "" {
		return BPOM{}, nil, newProblem(CodeBPOMEmpty,
			"Nomor izin edar BPOM belum diisi.", "The BPOM registration number is empty.")
	}
	if !strings.HasPrefix(d, "MD") && !strings.HasPrefix(d, "ML") {
		return BPOM{}, nil, newProblem(CodeBPOMPrefix,
			"Nomor izin edar BPOM untuk pangan olahan diawali \"MD\" (produk dalam negeri) atau \"ML\" (produk impor), misalnya \"BPOM RI MD 224510001234\". Nomor P-IRT diisi di kolom P-IRT.",
			"A BPOM processed-food registration number starts with \"MD\" (made in Indonesia) or \"ML\" (imported), e.g. \"BPOM RI MD 224510001234\". A P-IRT number goes in the P-IRT field.")
	}
	digits := d[2:]
	if digits == "" {
		return BPOM{}, nil, newProblem(CodeBPOMNotDigits,
			"Setelah \"%s\", nomor BPOM harus berisi angka; angkanya belum diisi.",
			"After \"%s\" a BPOM number must have digits; none were entered.", d[:2])
	}
	if r, bad := firstNonDigit(digits); bad {
		return BPOM{}, nil, notDigits(CodeBPOMNotDigits, "Setelah \""+d[:2]+"\", nomor BPOM", "BPOM number after \""+d[:2]+"\"", r)
	}
	var warns []Problem
	if len(digits) != BPOMDigits {
		warns = append(warns, warn(CodeBPOMLength,
			"Nomor BPOM biasanya berisi %[1]d angka setelah \"%[3]s\"; yang diisi %[2]d angka. Mohon cocokkan dengan label atau cekbpom.pom.go.id.",
			"A BPOM number usually has %[1]d digits after \"%[3]s\"; %[4]s. Please compare it with the label or cekbpom.pom.go.id.",
			BPOMDigits, len(digits), d[:2], enteredEN(len(digits))))
	}
	return BPOM{Number: d, Imported: d[1] == 'L'}, warns, nil
}

// String returns the number as printed on labels, "BPOM RI MD 224510001234".
func (b BPOM) String() string {
	if len(b.Number) < 2 {
		return b.Number
	}
	return "BPOM RI " + b.Number[:2] + " " + b.Number[2:]
}

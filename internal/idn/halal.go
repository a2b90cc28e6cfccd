package idn

import (
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

// Problem codes for halal certificate numbers.
const (
	CodeHalalEmpty         = "halal.empty"
	CodeHalalDetermination = "halal.determination"
	CodeHalalPrefix        = "halal.prefix"
	CodeHalalNotDigits     = "halal.not_digits"
	CodeHalalShort         = "halal.short" // warning
)

// HalalMandatoryDate is the day halal certification becomes mandatory for
// food and drink products of micro and small businesses (PP 42/2024, art.
// 160(2)). Until then a missing certificate is advice for the SME (the free
// self-declare route exists for them); from then on it is a legality gap.
const HalalMandatoryDate = "2026-10-17"

// HalalMandatoryFrom returns HalalMandatoryDate as the first instant of that
// day in East Java (00:00 WIB).
func HalalMandatoryFrom() time.Time {
	return time.Date(2026, time.October, 17, 0, 0, 0, 0, workday.WIB)
}

// halalMinDigits is the fewest digits after "ID" that look like a full BPJPH
// certificate number; shorter ones are usually cut off when copied.
const halalMinDigits = 10

// Halal is a BPJPH halal certificate number, normalised: "ID" and digits.
type Halal string

// ParseHalal reads a halal certificate number, in any case and with any
// spaces, dots or dashes. It refuses a "KH" number, which is a halal
// determination (Ketetapan Halal) rather than the certificate, and anything
// not starting with "ID". The length is not fixed by any rule we know, so a
// short number is only a warning.
func ParseHalal(s string) (Halal, []Problem, error) {
	d := strings.ToUpper(compact(s))
	switch {
	case d == "":
		return "", nil, newProblem(CodeHalalEmpty,
			"Nomor sertifikat halal belum diisi.", "The halal certificate number is empty.")
	case strings.HasPrefix(d, "KH"):
		return "", nil, newProblem(CodeHalalDetermination,
			"Nomor yang diawali \"KH\" adalah nomor Ketetapan Halal, bukan nomor sertifikat halal. Mohon isi nomor sertifikat halal dari BPJPH, yang diawali \"ID\".",
			"A number starting with \"KH\" is a halal determination (Ketetapan Halal), not a halal certificate. Please enter the BPJPH halal certificate number, which starts with \"ID\".")
	case !strings.HasPrefix(d, "ID"):
		return "", nil, newProblem(CodeHalalPrefix,
			"Nomor sertifikat halal BPJPH diawali \"ID\" lalu angka, misalnya ID35110000123450724. Mohon salin nomornya dari sertifikat.",
			"A BPJPH halal certificate number starts with \"ID\" followed by digits, e.g. ID35110000123450724. Please copy the number from the certificate.")
	}
	digits := d[2:]
	if digits == "" {
		return "", nil, newProblem(CodeHalalNotDigits,
			"Setelah \"ID\", nomor sertifikat halal harus berisi angka; angkanya belum diisi.",
			"After \"ID\" a halal certificate number must have digits; none were entered.")
	}
	if r, bad := firstNonDigit(digits); bad {
		return "", nil, notDigits(CodeHalalNotDigits, "Setelah \"ID\", nomor sertifikat halal", "halal certificate number after \"ID\"", r)
	}
	var warns []Problem
	if len(digits) < halalMinDigits {
		warns = append(warns, warn(CodeHalalShort,
			"Nomor sertifikat halal ini pendek (%d angka setelah \"ID\"); mungkin ada angka yang terpotong. Mohon cocokkan dengan sertifikat.",
			"This halal certificate number is short (%d digits after \"ID\"); some digits may be missing. Please compare it with the certificate.",
			len(digits)))
	}
	return Halal(d), warns, nil
}

// String returns the normalised number.
func (h Halal) String() string { return string(h) }

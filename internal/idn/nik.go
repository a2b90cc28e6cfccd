package idn

import (
	"fmt"
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Problem codes for NIK.
const (
	CodeNIKEmpty           = "nik.empty"
	CodeNIKNotDigits       = "nik.not_digits"
	CodeNIKLength          = "nik.length"
	CodeNIKProvinceUnknown = "nik.province_unknown"
	CodeNIKDay             = "nik.day"
	CodeNIKMonth           = "nik.month"
	CodeNIKRegencyUnknown  = "nik.regency_unknown" // warning
	CodeNIKDistrictZero    = "nik.district_zero"   // warning
	CodeNIKDateImpossible  = "nik.date_impossible" // warning
	CodeNIKSerialZero      = "nik.serial_zero"     // warning
)

// KTPMinAge is the age from which a citizen must hold a KTP-el (UU 24/2013,
// art. 63). BirthDate uses it to choose the century of a NIK's birth year.
const KTPMinAge = 17

// NIK is a parsed Nomor Induk Kependudukan: PP RR KK DDMMYY SSSS. The region
// codes are where the NIK was first issued, not where the person lives now.
type NIK struct {
	Digits       string // the 16 digits, without separators
	ProvinceCode string // "35"
	RegencyCode  string // province and regency, "3578", as Regency takes it
	DistrictCode string // province, regency and district (kecamatan), "357801"
	BirthDay     int    // 1–31, with the +40 for women already taken off
	BirthMonth   int    // 1–12
	BirthYY      int    // 0–99; the century is not in the NIK (see BirthDate)
	Female       bool   // the day was written plus 40
	Serial       string // the last four digits
}

// ParseNIK reads a NIK typed with or without spaces, dots or dashes.
//
// It refuses what cannot be a NIK: not 16 digits, an unknown province, a day
// or month that no NIK uses. It only warns about what a real NIK may still
// contain, since a NIK never changes even when it is "wrong": an unknown East
// Java regency code, district 00, an impossible date such as 31 February,
// serial 0000.
func ParseNIK(s string) (NIK, []Problem, error) {
	d := compact(s)
	if d == "" {
		return NIK{}, nil, newProblem(CodeNIKEmpty,
			"NIK belum diisi.", "The NIK is empty.")
	}
	if r, bad := firstNonDigit(d); bad {
		return NIK{}, nil, notDigits(CodeNIKNotDigits, "NIK", "NIK", r)
	}
	if len(d) != 16 {
		return NIK{}, nil, wrongLength(CodeNIKLength, "NIK", "NIK", "16 angka", "16 digits", len(d))
	}
	n := NIK{
		Digits:       d,
		ProvinceCode: d[:2],
		RegencyCode:  d[:4],
		DistrictCode: d[:6],
		BirthDay:     atoi(d[6:8]),
		BirthMonth:   atoi(d[8:10]),
		BirthYY:      atoi(d[10:12]),
		Serial:       d[12:],
	}
	if _, ok := Province(n.ProvinceCode); !ok {
		return NIK{}, nil, newProblem(CodeNIKProvinceUnknown,
			"Dua angka pertama NIK (%s) bukan kode provinsi yang dikenal. Mohon periksa kembali NIK di KTP.",
			"The first two digits of the NIK (%s) are not a known province code. Please check the NIK on the KTP.",
			n.ProvinceCode)
	}
	switch day := n.BirthDay; {
	case day >= 1 && day <= 31:
	case day >= 41 && day <= 71:
		n.BirthDay, n.Female = day-40, true
	default:
		return NIK{}, nil, newProblem(CodeNIKDay,
			"Angka ke-7 dan ke-8 NIK (%s) harus tanggal lahir: 01–31, atau 41–71 untuk perempuan.",
			"Digits 7 and 8 of the NIK (%s) must be the day of birth: 01–31, or 41–71 for women.",
			d[6:8])
	}
	if n.BirthMonth < 1 || n.BirthMonth > 12 {
		return NIK{}, nil, newProblem(CodeNIKMonth,
			"Angka ke-9 dan ke-10 NIK (%s) harus bulan lahir, 01–12.",
			"Digits 9 and 10 of the NIK (%s) must be the month of birth, 01–12.",
			d[8:10])
	}

	var warns []Problem
	if regencyUnknown(n.RegencyCode) {
		warns = append(warns, warn(CodeNIKRegencyUnknown,
			"Kode kabupaten/kota %s di NIK tidak dikenal. NIK tetap diterima; mohon cocokkan dengan KTP.",
			"The regency/city code %s in the NIK is not known. The NIK is still accepted; please compare it with the KTP.",
			n.RegencyCode))
	}
	if d[4:6] == "00" {
		warns = append(warns, warn(CodeNIKDistrictZero,
			"Kode kecamatan di NIK adalah 00, padahal kode kecamatan dimulai dari 01. Mohon cocokkan dengan KTP.",
			"The district code in the NIK is 00, but district codes start at 01. Please compare it with the KTP."))
	}
	if n.BirthDay > maxDay(n.BirthMonth, n.BirthYY) {
		warns = append(warns, Problem{Code: CodeNIKDateImpossible, Text: i18n.Text{
			ID: fmt.Sprintf("Tanggal lahir di NIK (%d %s) tidak ada di kalender. NIK tetap diterima karena NIK tidak pernah berubah; mohon cocokkan dengan KTP.",
				n.BirthDay, monthNames[n.BirthMonth-1]),
			EN: fmt.Sprintf("The birth date in the NIK (%d %s) does not exist. The NIK is still accepted because a NIK never changes; please compare it with the KTP.",
				n.BirthDay, time.Month(n.BirthMonth)),
		}})
	}
	if n.Serial == "0000" {
		warns = append(warns, warn(CodeNIKSerialZero,
			"Nomor urut di akhir NIK adalah 0000, padahal nomor urut dimulai dari 0001. Mohon cocokkan dengan KTP.",
			"The serial number at the end of the NIK is 0000, but serials start at 0001. Please compare it with the KTP."))
	}
	return n, warns, nil
}

// String returns the 16 digits. Show Masked in lists.
func (n NIK) String() string { return n.Digits }

// Masked hides the middle of the NIK (date of birth and district), leaving the
// regency and serial a clerk needs to tell two people apart: "3578********0001".
func (n NIK) Masked() string {
	if len(n.Digits) != 16 {
		return ""
	}
	return n.Digits[:4] + "********" + n.Digits[12:]
}

// BirthDate returns the birth date written in the NIK, at midnight UTC, and
// false when that date does not exist (see the date_impossible warning).
//
// The NIK holds only two digits of the year. BirthDate takes 20YY when the
// holder would then be at least KTPMinAge at now, and 19YY otherwise: a NIK
// given to Etalase comes from a KTP, and a KTP holder is 17 or older (or
// married, a rare exception that this rule dates a century too early).
func (n NIK) BirthDate(now time.Time) (time.Time, bool) {
	if n.BirthMonth < 1 || n.BirthMonth > 12 || n.BirthDay < 1 || n.BirthDay > 31 {
		return time.Time{}, false
	}
	year := 2000 + n.BirthYY
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if time.Date(year+KTPMinAge, time.Month(n.BirthMonth), n.BirthDay, 0, 0, 0, 0, time.UTC).After(today) {
		year -= 100
	}
	t := time.Date(year, time.Month(n.BirthMonth), n.BirthDay, 0, 0, 0, 0, time.UTC)
	if t.Day() != n.BirthDay { // time.Date normalised 31 Feb into March
		return time.Time{}, false
	}
	return t, true
}

// maxDay is the last day of month m in a year ending in yy. The century is
// unknown, so 29 February is accepted whenever yy is a multiple of four (2000
// was a leap year; 1900 was not, but nobody born then is applying).
func maxDay(m, yy int) int {
	switch m {
	case 2:
		if yy%4 == 0 {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// monthNames are the Indonesian month names, January first.
var monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni",
	"Juli", "Agustus", "September", "Oktober", "November", "Desember"}

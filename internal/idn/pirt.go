package idn

import (
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/i18n"
)

// Problem codes for P-IRT.
const (
	CodePIRTEmpty           = "pirt.empty"
	CodePIRTPrefix          = "pirt.prefix"
	CodePIRTNotDigits       = "pirt.not_digits"
	CodePIRTLength          = "pirt.length"
	CodePIRTPackaging       = "pirt.packaging"
	CodePIRTProvinceUnknown = "pirt.province_unknown"
	CodePIRTRegencyUnknown  = "pirt.regency_unknown" // warning
	CodePIRTOldFormat       = "pirt.old_format"      // warning
	CodePIRTExpired         = "pirt.expired"         // warning
	CodePIRTExpiring        = "pirt.expiring"        // warning
	CodePIRTExpiryFar       = "pirt.expiry_far"      // warning
)

// PIRTValidYears is how long an SPP-IRT lasts (Perka BPOM 22/2018). An expiry
// year further away than this is suspicious.
const PIRTValidYears = 5

// pirtExpiringMonths is how long before the end of validity Etalase starts
// warning that a P-IRT is about to expire, so the SME can renew in time.
const pirtExpiringMonths = 6

// PIRT is a parsed P-IRT number (Perka BPOM 22/2018): 15 digits,
// "P-IRT No. 1234567890123-45". For an older 12-digit permit only Digits is
// set and OldFormat is true: its layout predates the current rule, so the
// other fields cannot be read from it.
type PIRT struct {
	Digits         string // 15 (or 12, old format) digits
	PackagingCode  int    // digit 1: 1–8, see Packaging
	FoodTypeCode   string // digits 2–3
	ProductNumber  string // digits 8–9
	ProducerNumber string // digits 10–13, numbered within the regency/city
	ExpiryYear     int    // digits 14–15 as 20YY; the permit is valid to 31 December of it
	OldFormat      bool   // a 12-digit permit issued under the earlier rule
}

// pirtPrefixes are the labels people write before the number, once
// upper-cased and stripped of separators and colons.
var pirtPrefixes = []string{"", "PIRT", "PIRTNO", "PIRTNOMOR", "SPPIRT", "SPPIRTNO", "SPPIRTNOMOR",
	"NO", "NOMOR", "NOPIRT", "NOMORPIRT", "NOSPPIRT", "NOMORSPPIRT"}

// ParsePIRT reads a P-IRT number as printed on labels ("P-IRT No.
// 1234567890123-45"), as "PIRT 123456789012345", or as bare digits, with any
// spaces, dots or dashes, and checks it as of now.
//
// Refusals: not 15 (or 12) digits, packaging digit 0 or 9, an unknown province
// code. Warnings: an unknown East Java regency code; the old 12-digit format;
// expired, expiring within six months, or expiring implausibly far ahead.
// A P-IRT is valid until the end of its expiry year: the number holds only
// the year, so that is the most generous reading a clerk can check against.
func ParsePIRT(s string, now time.Time) (PIRT, []Problem, error) {
	up := strings.ToUpper(s)
	start := strings.IndexFunc(up, func(r rune) bool { return r >= '0' && r <= '9' })
	if start < 0 {
		start = len(up)
	}
	label := strings.Map(func(r rune) rune {
		if isSeparator(r) || r == ':' {
			return -1
		}
		return r
	}, up[:start])
	if !slices.Contains(pirtPrefixes, label) {
		return PIRT{}, nil, newProblem(CodePIRTPrefix,
			"Nomor P-IRT ditulis seperti \"P-IRT No. 1234567890123-45\"; tulisan %q di depannya tidak dikenal.",
			"A P-IRT number is written like \"P-IRT No. 1234567890123-45\"; the text %q in front of it is not recognised.",
			shorten(strings.TrimSpace(up[:start]), 20))
	}
	d := compact(up[start:])
	if d == "" {
		return PIRT{}, nil, newProblem(CodePIRTEmpty,
			"Nomor P-IRT belum diisi.", "The P-IRT number is empty.")
	}
	if r, bad := firstNonDigit(d); bad {
		return PIRT{}, nil, notDigits(CodePIRTNotDigits, "Nomor P-IRT", "P-IRT number", r)
	}
	switch len(d) {
	case 15:
	case 12:
		return PIRT{Digits: d, OldFormat: true}, []Problem{warn(CodePIRTOldFormat,
			"Ini nomor P-IRT format lama (12 angka), sehingga isinya tidak dapat diperiksa. Mohon cek sertifikat SPP-IRT: izin lama mungkin sudah habis masa berlakunya dan perlu diperbarui.",
			"This is an old-format P-IRT number (12 digits), so its contents cannot be checked. Please check the SPP-IRT certificate: an old permit may have expired and need renewing.")}, nil
	default:
		return PIRT{}, nil, wrongLength(CodePIRTLength, "Nomor P-IRT", "P-IRT number",
			"15 angka (atau 12 angka untuk izin lama)", "15 digits (or 12 for an old permit)", len(d))
	}

	p := PIRT{
		Digits:         d,
		PackagingCode:  int(d[0] - '0'),
		FoodTypeCode:   d[1:3],
		ProductNumber:  d[7:9],
		ProducerNumber: d[9:13],
		ExpiryYear:     2000 + atoi(d[13:15]),
	}
	if p.PackagingCode < 1 || p.PackagingCode > 8 {
		return PIRT{}, nil, newProblem(CodePIRTPackaging,
			"Angka pertama nomor P-IRT adalah jenis kemasan, 1 sampai 8; yang tertulis %d.",
			"The first digit of a P-IRT number is the packaging type, 1 to 8; it is %d.",
			p.PackagingCode)
	}
	if _, ok := Province(d[3:5]); !ok {
		return PIRT{}, nil, newProblem(CodePIRTProvinceUnknown,
			"Angka ke-4 sampai ke-7 nomor P-IRT adalah kode daerah; kode provinsi %s di dalamnya tidak dikenal. Mohon periksa kembali nomornya.",
			"Digits 4 to 7 of a P-IRT number are the region code; the province code %s in it is not known. Please check the number.",
			d[3:5])
	}

	var warns []Problem
	if regencyUnknown(p.RegencyCode()) {
		warns = append(warns, warn(CodePIRTRegencyUnknown,
			"Kode kabupaten/kota %s di nomor P-IRT tidak dikenal. Mohon cocokkan dengan sertifikat SPP-IRT.",
			"The regency/city code %s in the P-IRT number is not known. Please compare it with the SPP-IRT certificate.",
			p.RegencyCode()))
	}
	switch y := now.Year(); {
	case p.ExpiryYear < y:
		warns = append(warns, warn(CodePIRTExpired,
			"Izin P-IRT ini berlaku sampai akhir tahun %d dan sudah habis masa berlakunya. Mohon perpanjang izin P-IRT.",
			"This P-IRT permit was valid until the end of %d and has expired. Please renew the P-IRT permit.",
			p.ExpiryYear))
	case p.ExpiryYear == y && now.AddDate(0, pirtExpiringMonths, 0).Year() > y:
		warns = append(warns, warn(CodePIRTExpiring,
			"Izin P-IRT ini berlaku sampai akhir tahun %d, kurang dari enam bulan lagi. Sebaiknya segera diperpanjang.",
			"This P-IRT permit is valid until the end of %d, less than six months from now. It should be renewed soon.",
			p.ExpiryYear))
	case p.ExpiryYear > y+PIRTValidYears:
		warns = append(warns, warn(CodePIRTExpiryFar,
			"Dua angka terakhir nomor P-IRT berarti izin berlaku sampai %d, padahal izin P-IRT berlaku %d tahun. Mohon cocokkan dengan sertifikat SPP-IRT.",
			"The last two digits of the P-IRT number mean it is valid until %d, but a P-IRT permit lasts %d years. Please compare it with the SPP-IRT certificate.",
			p.ExpiryYear, PIRTValidYears))
	}
	return p, warns, nil
}

// String returns the canonical form, "P-IRT No. 1234567890123-45".
func (p PIRT) String() string {
	if len(p.Digits) != 15 {
		return "P-IRT No. " + p.Digits
	}
	return "P-IRT No. " + p.Digits[:13] + "-" + p.Digits[13:]
}

// RegencyCode returns the four-digit regency/city code the permit was issued
// in, e.g. "3506", or "" for the old format. A P-IRT is void if production
// moves to another regency/city, so callers compare this with the business
// address and warn when they differ.
func (p PIRT) RegencyCode() string {
	if len(p.Digits) != 15 {
		return ""
	}
	return p.Digits[3:7]
}

// ProvinceCode returns the two-digit province code of RegencyCode.
func (p PIRT) ProvinceCode() string {
	if len(p.Digits) != 15 {
		return ""
	}
	return p.Digits[3:5]
}

// Expired reports whether the permit has passed the end of its expiry year
// at now. It is false for the old format, whose expiry cannot be read.
func (p PIRT) Expired(now time.Time) bool {
	return !p.OldFormat && p.ExpiryYear != 0 && p.ExpiryYear < now.Year()
}

// Packaging names the packaging type of digit 1.
func (p PIRT) Packaging() i18n.Text { return PIRTPackaging(p.PackagingCode) }

// PIRTPackaging names a P-IRT packaging code, 1–8; other codes give an empty Text.
func PIRTPackaging(code int) i18n.Text {
	switch code {
	case 1:
		return i18n.Text{ID: "kaca", EN: "glass"}
	case 2:
		return i18n.Text{ID: "plastik", EN: "plastic"}
	case 3:
		return i18n.Text{ID: "karton/kertas", EN: "carton/paper"}
	case 4:
		return i18n.Text{ID: "kaleng", EN: "can"}
	case 5:
		return i18n.Text{ID: "aluminium foil", EN: "aluminium foil"}
	case 6:
		return i18n.Text{ID: "lainnya (daun dll.)", EN: "other (leaf etc.)"}
	case 7:
		return i18n.Text{ID: "komposit", EN: "composite"}
	case 8:
		return i18n.Text{ID: "campuran", EN: "mixed"}
	}
	return i18n.Text{}
}

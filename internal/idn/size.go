package idn

import "github.com/etalase-id/etalase/internal/i18n"

// BusinessSize is a business class under PP 7/2021 (art. 35). The zero value
// means "not classified".
type BusinessSize int

// Business sizes, smallest first, so sizes compare with < and >.
const (
	Mikro BusinessSize = iota + 1
	Kecil
	Menengah
	Besar
)

const miliar = 1_000_000_000

// sizeLimits are the upper bounds, inclusive, of each class (PP 7/2021 art.
// 35(3) and (5)): capital excludes land and buildings of the business premises.
var sizeLimits = []struct {
	size           BusinessSize
	capital, sales int64
}{
	{Mikro, 1 * miliar, 2 * miliar},
	{Kecil, 5 * miliar, 15 * miliar},
	{Menengah, 10 * miliar, 50 * miliar},
}

// ClassifyBusiness returns the size class of a business from its capital
// (modal usaha, excluding land and buildings) and its annual sales, both in
// Rupiah.
//
// PP 7/2021 judges a business being set up by its capital and a running one
// by its annual sales. Etalase knows only the figures the applicant gives, so
// it uses annual sales whenever they are above zero and capital otherwise.
// Nothing known (both zero or negative) is Mikro, the class of almost every
// gallery applicant.
func ClassifyBusiness(capitalRupiah, annualSalesRupiah int64) BusinessSize {
	for _, l := range sizeLimits {
		if annualSalesRupiah > 0 {
			if annualSalesRupiah <= l.sales {
				return l.size
			}
		} else if capitalRupiah <= l.capital {
			return l.size
		}
	}
	return Besar
}

// String returns a stable lower-case code, e.g. "mikro", for storage and logs.
func (b BusinessSize) String() string {
	switch b {
	case Mikro:
		return "mikro"
	case Kecil:
		return "kecil"
	case Menengah:
		return "menengah"
	case Besar:
		return "besar"
	}
	return ""
}

// Label names the size for people: "Usaha Mikro" / "Micro business".
func (b BusinessSize) Label() i18n.Text {
	switch b {
	case Mikro:
		return i18n.Text{ID: "Usaha Mikro", EN: "Micro business"}
	case Kecil:
		return i18n.Text{ID: "Usaha Kecil", EN: "Small business"}
	case Menengah:
		return i18n.Text{ID: "Usaha Menengah", EN: "Medium business"}
	case Besar:
		return i18n.Text{ID: "Usaha Besar", EN: "Large business"}
	}
	return i18n.Text{ID: "Belum digolongkan", EN: "Not classified"}
}

// ParseBusinessSize reads the code String writes, for values read back from
// storage.
func ParseBusinessSize(s string) (BusinessSize, bool) {
	for b := Mikro; b <= Besar; b++ {
		if b.String() == s {
			return b, true
		}
	}
	return 0, false
}

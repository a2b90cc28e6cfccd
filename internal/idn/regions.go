package idn

import (
	"cmp"
	"slices"
)

// ProvinceInfo is an Indonesian province with its Kemendagri code.
type ProvinceInfo struct {
	Code string // two digits, e.g. "35"
	Name string // e.g. "Jawa Timur"
}

// RegencyInfo is a regency (kabupaten) or city (kota) with its Kemendagri code.
type RegencyInfo struct {
	Code         string // four digits: province code then regency code, e.g. "3571"
	Name         string // with its kind, e.g. "Kota Kediri" (not "Kabupaten Kediri", 3506)
	City         bool   // a kota; Kemendagri numbers cities from 71
	ProvinceCode string // e.g. "35"
}

// EastJava is the province code of Jawa Timur, whose Office runs the gallery.
const EastJava = "35"

// provinces are the 38 provinces, in code order. Codes follow Kepmendagri
// 100.1.1-6117/2022, which renumbered Papua after its 2022 split: Papua became
// 91 and Papua Barat 92 (before, Papua Barat was 91 and Papua 94). A NIK keeps
// the code it was issued with, so an older Papuan NIK may begin 91 or 94 for
// the old provinces; both codes are still known, so such NIKs are accepted.
var provinces = []ProvinceInfo{
	{"11", "Aceh"},
	{"12", "Sumatera Utara"},
	{"13", "Sumatera Barat"},
	{"14", "Riau"},
	{"15", "Jambi"},
	{"16", "Sumatera Selatan"},
	{"17", "Bengkulu"},
	{"18", "Lampung"},
	{"19", "Kepulauan Bangka Belitung"},
	{"21", "Kepulauan Riau"},
	{"31", "DKI Jakarta"},
	{"32", "Jawa Barat"},
	{"33", "Jawa Tengah"},
	{"34", "Daerah Istimewa Yogyakarta"},
	{"35", "Jawa Timur"},
	{"36", "Banten"},
	{"51", "Bali"},
	{"52", "Nusa Tenggara Barat"},
	{"53", "Nusa Tenggara Timur"},
	{"61", "Kalimantan Barat"},
	{"62", "Kalimantan Tengah"},
	{"63", "Kalimantan Selatan"},
	{"64", "Kalimantan Timur"},
	{"65", "Kalimantan Utara"},
	{"71", "Sulawesi Utara"},
	{"72", "Sulawesi Tengah"},
	{"73", "Sulawesi Selatan"},
	{"74", "Sulawesi Tenggara"},
	{"75", "Gorontalo"},
	{"76", "Sulawesi Barat"},
	{"81", "Maluku"},
	{"82", "Maluku Utara"},
	{"91", "Papua"},
	{"92", "Papua Barat"},
	{"93", "Papua Selatan"},
	{"94", "Papua Tengah"},
	{"95", "Papua Pegunungan"},
	{"96", "Papua Barat Daya"},
}

// eastJava are East Java's 29 regencies and 9 cities, in code order. Only East
// Java is listed: it is where the gallery's applicants come from, and a full
// national list (514 entries) would be data to maintain for no use.
var eastJava = []RegencyInfo{
	{"3501", "Kabupaten Pacitan", false, EastJava},
	{"3502", "Kabupaten Ponorogo", false, EastJava},
	{"3503", "Kabupaten Trenggalek", false, EastJava},
	{"3504", "Kabupaten Tulungagung", false, EastJava},
	{"3505", "Kabupaten Blitar", false, EastJava},
	{"3506", "Kabupaten Kediri", false, EastJava},
	{"3507", "Kabupaten Malang", false, EastJava},
	{"3508", "Kabupaten Lumajang", false, EastJava},
	{"3509", "Kabupaten Jember", false, EastJava},
	{"3510", "Kabupaten Banyuwangi", false, EastJava},
	{"3511", "Kabupaten Bondowoso", false, EastJava},
	{"3512", "Kabupaten Situbondo", false, EastJava},
	{"3513", "Kabupaten Probolinggo", false, EastJava},
	{"3514", "Kabupaten Pasuruan", false, EastJava},
	{"3515", "Kabupaten Sidoarjo", false, EastJava},
	{"3516", "Kabupaten Mojokerto", false, EastJava},
	{"3517", "Kabupaten Jombang", false, EastJava},
	{"3518", "Kabupaten Nganjuk", false, EastJava},
	{"3519", "Kabupaten Madiun", false, EastJava},
	{"3520", "Kabupaten Magetan", false, EastJava},
	{"3521", "Kabupaten Ngawi", false, EastJava},
	{"3522", "Kabupaten Bojonegoro", false, EastJava},
	{"3523", "Kabupaten Tuban", false, EastJava},
	{"3524", "Kabupaten Lamongan", false, EastJava},
	{"3525", "Kabupaten Gresik", false, EastJava},
	{"3526", "Kabupaten Bangkalan", false, EastJava},
	{"3527", "Kabupaten Sampang", false, EastJava},
	{"3528", "Kabupaten Pamekasan", false, EastJava},
	{"3529", "Kabupaten Sumenep", false, EastJava},
	{"3571", "Kota Kediri", true, EastJava},
	{"3572", "Kota Blitar", true, EastJava},
	{"3573", "Kota Malang", true, EastJava},
	{"3574", "Kota Probolinggo", true, EastJava},
	{"3575", "Kota Pasuruan", true, EastJava},
	{"3576", "Kota Mojokerto", true, EastJava},
	{"3577", "Kota Madiun", true, EastJava},
	{"3578", "Kota Surabaya", true, EastJava},
	{"3579", "Kota Batu", true, EastJava},
}

// Province returns the province with the given two-digit code.
func Province(code string) (ProvinceInfo, bool) {
	i, ok := slices.BinarySearchFunc(provinces, code, func(p ProvinceInfo, c string) int {
		return cmp.Compare(p.Code, c)
	})
	if !ok {
		return ProvinceInfo{}, false
	}
	return provinces[i], true
}

// Provinces returns all 38 provinces in code order. The slice is a copy.
func Provinces() []ProvinceInfo { return slices.Clone(provinces) }

// Regency returns the regency or city with the given four-digit code. Only
// East Java's are known; any other code reports false.
func Regency(code string) (RegencyInfo, bool) {
	i, ok := slices.BinarySearchFunc(eastJava, code, func(r RegencyInfo, c string) int {
		return cmp.Compare(r.Code, c)
	})
	if !ok {
		return RegencyInfo{}, false
	}
	return eastJava[i], true
}

// RegenciesOf returns the regencies and cities of a province in code order.
// Only East Java's are listed; other provinces return an empty list, which
// means "not known here", not "has none". The slice is a copy.
func RegenciesOf(provinceCode string) []RegencyInfo {
	if provinceCode != EastJava {
		return []RegencyInfo{} // empty, not nil, so JSON says [] rather than null
	}
	return slices.Clone(eastJava)
}

// regencyUnknown reports whether a four-digit regency code should be warned
// about: unknown within East Java, or "00" anywhere (no regency has it).
func regencyUnknown(code string) bool {
	if code[2:] == "00" {
		return true
	}
	if code[:2] != EastJava {
		return false
	}
	_, ok := Regency(code)
	return !ok
}

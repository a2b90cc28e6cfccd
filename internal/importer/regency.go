package importer

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
)

// RegencyCode finds an East Java regency or city by how people write it: "Kota
// Malang", "Malang (Kota)", "Kab. Malang", "Kabupaten Malang", "KAB MALANG",
// "Kota Malang, Jawa Timur" or the Kemendagri code "3573". A bare "Malang"
// names both the city (3573) and the regency (3507): it is refused as
// ambiguous, with the two ways to write it, rather than guessed. Names that are
// only a city ("Surabaya", "Batu") or only a regency ("Sidoarjo") need no
// prefix. The text, when not found, says why in words for the clerk.
func RegencyCode(s string) (code string, why i18n.Text, ok bool) {
	raw := strings.TrimSpace(s)
	if r, found := idn.Regency(raw); found && r.ProvinceCode == idn.EastJava {
		return r.Code, i18n.Text{}, true
	}
	t := strings.ToLower(raw)
	if i := strings.IndexByte(t, ','); i > 0 { // "Kota Malang, Jawa Timur"
		t = t[:i]
	}
	var city, regency bool
	var name []string
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		switch w {
		case "kota", "kotamadya", "kodya", "kotamadia", "city":
			city = true
		case "kabupaten", "kab", "kbupaten", "kabupatan", "regency":
			regency = true
		case "jawa", "timur", "jatim", "jawatimur", "provinsi", "prov", "east", "java":
		default:
			name = append(name, w)
		}
	}
	if city && regency { // "Kab/Kota Malang": says nothing
		city, regency = false, false
	}
	base := strings.Join(name, "")
	var found []idn.RegencyInfo
	for _, r := range idn.RegenciesOf(idn.EastJava) {
		if regencyKey(r) == base && (!city || r.City) && (!regency || !r.City) {
			found = append(found, r)
		}
	}
	switch {
	case base == "":
		return "", i18n.Text{ID: fmt.Sprintf("%q bukan nama kabupaten/kota; tulis misalnya \"Kota Malang\" atau \"Kabupaten Sidoarjo\".", raw),
			EN: fmt.Sprintf("%q is not a regency/city name; write e.g. \"Kota Malang\" or \"Kabupaten Sidoarjo\".", raw)}, false
	case len(found) == 1:
		return found[0].Code, i18n.Text{}, true
	case len(found) > 1:
		n := strings.TrimPrefix(found[0].Name, "Kabupaten ")
		n = strings.TrimPrefix(n, "Kota ")
		return "", i18n.Text{
			ID: fmt.Sprintf("%q bisa Kota %s atau Kabupaten %s; tulis \"Kota %s\" atau \"Kabupaten %s\".", raw, n, n, n, n),
			EN: fmt.Sprintf("%q may be the city (Kota) or the regency (Kabupaten) of %s; write \"Kota %s\" or \"Kabupaten %s\".", raw, n, n, n),
		}, false
	}
	return "", i18n.Text{
		ID: fmt.Sprintf("Kabupaten/kota %q tidak dikenal di Jawa Timur. Periksa ejaannya; bila usaha berada di luar Jawa Timur, kosongkan sel ini dan lengkapi alamatnya di profil usaha.", raw),
		EN: fmt.Sprintf("Regency/city %q is not known in East Java. Check the spelling; if the business is outside East Java, leave the cell empty and complete the address in the business profile.", raw),
	}, false
}

// regencyKey is a regency's name without "Kabupaten"/"Kota", squashed.
func regencyKey(r idn.RegencyInfo) string {
	n := strings.TrimPrefix(r.Name, "Kabupaten ")
	n = strings.TrimPrefix(n, "Kota ")
	return squash(n)
}

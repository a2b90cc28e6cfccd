package stock

import (
	"fmt"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/i18n"
)

// EANCheckDigit returns the check digit of the first 12 digits of an EAN-13.
func EANCheckDigit(first12 string) byte {
	sum := 0
	for i := 0; i < 12; i++ {
		d := int(first12[i] - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

// InStoreEAN is the n-th in-store EAN-13 the gallery issues: prefix 20 (the
// GS1 range 200–299 is for in-store use), n in ten digits, and the check digit.
func InStoreEAN(n int64) string {
	s := fmt.Sprintf("20%010d", n)
	return s + string(EANCheckDigit(s))
}

// IsInStore reports whether code is in the in-store range (prefixes 20–29).
func IsInStore(code string) bool { return len(code) == 13 && code[0] == '2' }

// Barcode codes a user may read.
const (
	CodeBarcodeFormat  = "item.barcode_format"
	CodeBarcodeCheck   = "item.barcode_check"
	CodeBarcodeInStore = "item.barcode_in_store"
)

// CheckSMEBarcode checks the barcode an SME printed on its package: 13 digits
// (spaces and dashes as printed are allowed) with a correct check digit, and
// not an in-store code of some other shop. It returns the code as 13 digits.
// Every refusal says that leaving the field empty gets an in-store code.
func CheckSMEBarcode(s string) (string, error) {
	code := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", apperr.InvalidField(CodeBarcodeFormat, "barcode", i18n.Text{
				ID: "Barcode harus EAN-13: 13 angka saja. Kosongkan isian ini agar galeri memberi kode toko (awalan 20–29).",
				EN: "The barcode must be an EAN-13: 13 digits only. Leave it empty and the gallery issues an in-store code (prefix 20–29)."})
		}
	}
	if len(code) != 13 {
		return "", apperr.InvalidField(CodeBarcodeFormat, "barcode", i18n.Text{
			ID: fmt.Sprintf("Barcode EAN-13 terdiri dari 13 angka; ini %d angka. Kosongkan isian ini agar galeri memberi kode toko (awalan 20–29).", len(code)),
			EN: fmt.Sprintf("An EAN-13 barcode has 13 digits; this has %d. Leave it empty and the gallery issues an in-store code (prefix 20–29).", len(code))})
	}
	if want := EANCheckDigit(code[:12]); code[12] != want {
		return "", apperr.InvalidField(CodeBarcodeCheck, "barcode", i18n.Text{
			ID: fmt.Sprintf("Angka cek (terakhir) barcode ini salah: untuk %s seharusnya %c. Periksa lagi angka di kemasan, atau kosongkan isian ini agar galeri memberi kode toko (awalan 20–29).", code[:12], want),
			EN: fmt.Sprintf("The check digit (the last one) of this barcode is wrong: for %s it should be %c. Check the digits on the package again, or leave it empty and the gallery issues an in-store code (prefix 20–29).", code[:12], want)})
	}
	if IsInStore(code) {
		return "", apperr.InvalidField(CodeBarcodeInStore, "barcode", i18n.Text{
			ID: "Kode berawalan 20–29 adalah kode internal toko lain, bukan barcode produk. Kosongkan isian ini agar galeri memberi kode tokonya sendiri.",
			EN: "A code starting with 20–29 is another shop's in-store code, not the product's barcode. Leave it empty and the gallery issues its own in-store code."})
	}
	return code, nil
}

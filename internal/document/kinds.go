package document

import (
	"slices"

	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
)

// Kind is a kind of document an applicant hands in (SOP step 1: KTP, NIB,
// P-IRT, and other licences and certificates if any). This table is the one
// place a kind's rules live: its name, whether it is an identity paper, how
// its number is checked, and whether a new upload replaces the current one.
type Kind struct {
	Code  string    // stored in documents.kind; never rename one
	Label i18n.Text // as people call it
	// Identity papers (KTP, NIB) identify the person and the business: the
	// curator, who judges products, never opens them.
	Identity bool
	// Number is the identifier the document's number is checked as; "" when the
	// number is free text (SNI, trademark) or there is none (photos).
	Number idn.Kind
	// NumberRequired: the document is useless without its number (NIB, P-IRT).
	NumberRequired bool
	// Single kinds have one current document per business (and product): a new
	// upload replaces it. Photos and "other" documents accumulate.
	Single bool
}

// Kinds lists the kinds in the order the form offers them.
var Kinds = []Kind{
	{Code: "ktp", Label: i18n.Text{ID: "KTP pemilik", EN: "Owner's identity card (KTP)"}, Identity: true, Number: idn.KindNIK, Single: true},
	{Code: "nib", Label: i18n.Text{ID: "NIB (Nomor Induk Berusaha)", EN: "Business number (NIB)"}, Identity: true, Number: idn.KindNIB, NumberRequired: true, Single: true},
	{Code: "pirt", Label: i18n.Text{ID: "Sertifikat P-IRT", EN: "Home-industry food permit (P-IRT)"}, Number: idn.KindPIRT, NumberRequired: true, Single: true},
	{Code: "halal", Label: i18n.Text{ID: "Sertifikat halal", EN: "Halal certificate"}, Number: idn.KindHalal, Single: true},
	{Code: "bpom", Label: i18n.Text{ID: "Izin edar BPOM (MD/ML)", EN: "BPOM registration (MD/ML)"}, Number: idn.KindBPOM, Single: true},
	{Code: "sni", Label: i18n.Text{ID: "Sertifikat SNI", EN: "SNI certificate"}, Single: true},
	{Code: "hki", Label: i18n.Text{ID: "Sertifikat merek / HKI", EN: "Trademark / IP certificate"}, Single: true},
	{Code: "lainnya", Label: i18n.Text{ID: "Dokumen lain", EN: "Other document"}},
	{Code: "foto_produk", Label: i18n.Text{ID: "Foto produk", EN: "Product photo"}},
}

// KindOf returns the kind with code.
func KindOf(code string) (Kind, bool) {
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Code == code })
	if i < 0 {
		return Kind{}, false
	}
	return Kinds[i], true
}

// Label names the document kind code for people; an unknown code reads as
// "other document".
func Label(code string) i18n.Text {
	if k, ok := KindOf(code); ok {
		return k.Label
	}
	return i18n.Text{ID: "Dokumen lain", EN: "Other document"}
}

// IsIdentity reports whether documents of kind code are identity papers.
func IsIdentity(code string) bool {
	k, ok := KindOf(code)
	return !ok || k.Identity // an unknown kind is treated as the more private one
}

// order is a kind's place on the form, for sorting.
func order(code string) int {
	i := slices.IndexFunc(Kinds, func(k Kind) bool { return k.Code == code })
	if i < 0 {
		return len(Kinds)
	}
	return i
}

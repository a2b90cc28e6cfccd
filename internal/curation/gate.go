package curation

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/workday"
)

// The legality gate
//
// Legality is not a score: a product that may not be sold does not pass however
// good it is (the Sidoarjo model in DOMAIN.md). The gate reads only permits the
// clerk ACCEPTED in step 1, and decides per product:
//
//   - Food and drink (applicant.IsFood) need a valid P-IRT or a BPOM MD number.
//     A P-IRT has expired after the end of the year in its last two digits, or
//     after the document's expiry date when one was recorded.
//   - Food types that may not use P-IRT (FoodType.RequiresBPOM: milk products,
//     frozen meat/fish/poultry, low-acid canned food, baby food, alcohol, bottled
//     water, foods under a mandatory SNI) need BPOM MD; a P-IRT does not do. Those
//     under a mandatory SNI also need an SNI certificate.
//   - Halal, for food and drink that can be halal: mandatory for micro and small
//     businesses from 17 October 2026 (PP 42/2024 art. 160(2)) and for medium and
//     large ones since 17 October 2024. Before its date a missing certificate is a
//     warning with the free self-declare route; after it, a warning or a failure
//     as the rubric's GateSettings.Halal says.
//   - A trademark is never required by law; GateSettings.Trademark may ask for it.
//   - Other products (batik, crafts, fashion) need no P-IRT or BPOM.
//
// NIB and KTP are not looked at: step 1 does not let an application reach
// curation without them accepted.

// Permit kinds: the intake document kinds (intake.DocumentKinds) that are permits.
const (
	PermitPIRT      = "pirt"
	PermitBPOM      = "bpom"
	PermitHalal     = "halal"
	PermitSNI       = "sni"
	PermitTrademark = "hki"
)

// Level is how strictly the gate treats a permit the law does not (yet) demand
// of every product, or that the Office chooses to ask for.
type Level string

const (
	Off     Level = "off"     // not looked at
	Warn    Level = "warn"    // missing: a warning for the SME, the product may still pass
	Require Level = "require" // missing: the gate fails
)

// Levels lists the levels in the order a settings form offers them.
var Levels = []Level{Off, Warn, Require}

// GateSettings are the rubric's choices for the legality gate. What the law
// requires (P-IRT or BPOM MD for food and drink, BPOM MD and SNI for the food
// types that need them) is not a setting.
type GateSettings struct {
	// Halal is the level once halal certification is mandatory for the product's
	// business. Before that date a missing certificate is only a warning (or
	// nothing, when Off).
	Halal Level `json:"halal"`
	// Trademark is the level for a registered trademark (HKI).
	Trademark Level `json:"trademark"`
}

func (s GateSettings) validate(f *apperr.Form) {
	for _, x := range []struct {
		field, id, en string
		l             Level
	}{{"gate.halal", "sertifikat halal", "the halal certificate", s.Halal}, {"gate.trademark", "merek (HKI)", "the trademark (IP)", s.Trademark}} {
		if !slices.Contains(Levels, x.l) {
			f.Addf(x.field, fmt.Sprintf("Pilih cara pemeriksaan %s: %q, %q atau %q.", x.id, Off, Warn, Require),
				fmt.Sprintf("Choose how %s is checked: %q, %q or %q.", x.en, Off, Warn, Require))
		}
	}
}

// Permit is a permit document of the business or of the product.
type Permit struct {
	Kind      string `json:"kind"` // PermitPIRT, PermitBPOM…
	Number    string `json:"number"`
	ExpiresOn string `json:"expires_on,omitempty"` // YYYY-MM-DD as recorded at upload; empty when not given
	Accepted  bool   `json:"accepted"`             // the clerk accepted it in step 1; others do not count
}

// ProductFacts is what the gate needs to know of the product.
type ProductFacts struct {
	Category string `json:"category"`            // one of applicant.Categories
	FoodType string `json:"food_type,omitempty"` // a FoodType code; empty is an ordinary processed food
	// The numbers on the product's form. When one is given, only a permit with
	// that number counts for the product: another product's P-IRT does not.
	PIRT  string `json:"pirt,omitempty"`
	BPOM  string `json:"bpom,omitempty"`
	Halal string `json:"halal,omitempty"`
}

// GateInput is everything CheckGate reads.
type GateInput struct {
	Product ProductFacts `json:"product"`
	Permits []Permit     `json:"permits"` // of the business and of this product
	// Size of the business; not classified (0) is treated as micro, the class
	// of almost every gallery applicant (see idn.ClassifyBusiness).
	Size idn.BusinessSize `json:"size"`
	// RegencyCode is where the business produces (four digits, e.g. "3506"),
	// to warn when a P-IRT was issued elsewhere; empty when unknown.
	RegencyCode string    `json:"regency_code,omitempty"`
	Now         time.Time `json:"now"` // dates are read in WIB
}

// GateResult is the gate's answer. Failures block the product; warnings do not.
type GateResult struct {
	Passed   bool     `json:"passed"`
	Failures []Reason `json:"failures,omitempty"`
	Warnings []Reason `json:"warnings,omitempty"`
}

// FoodType is a kind of food that matters to its permits (idn.FoodType: the
// product form asks for it, the gate reads it).
type FoodType = idn.FoodType

// FoodTypes lists the food types, "umum" first.
func FoodTypes() []FoodType { return idn.FoodTypes() }

// FoodTypeByCode returns the food type with code; "" is "umum".
func FoodTypeByCode(code string) (FoodType, bool) { return idn.FoodTypeByCode(code) }

// halalMediumFrom is when halal certification became mandatory for food and
// drink of medium and large businesses: the end of the first stage of PP 39/2021
// (check), which PP 42/2024 did not move.
var halalMediumFrom = time.Date(2024, time.October, 17, 0, 0, 0, 0, workday.WIB)

// Gate failure and warning codes.
const (
	CodePIRTMissing      = "gate.pirt_missing"  // food without a P-IRT or BPOM MD
	CodePIRTExpired      = "gate.pirt_expired"  // its P-IRT has expired
	CodePIRTMismatch     = "gate.pirt_mismatch" // the product's P-IRT number is not among the accepted ones
	CodePIRTRegency      = "gate.pirt_regency"  // warning: issued in another regency/city
	CodeBPOMRequired     = "gate.bpom_required" // a food type that may not use P-IRT, without BPOM MD
	CodeBPOMExpired      = "gate.bpom_expired"
	CodeBPOMImported     = "gate.bpom_imported" // only an ML (import) number
	CodeBPOMMismatch     = "gate.bpom_mismatch"
	CodeSNIRequired      = "gate.sni_required"
	CodeHalalAdvice      = "gate.halal_advice"  // warning: halal becomes mandatory later
	CodeHalalMissing     = "gate.halal_missing" // halal is mandatory now (failure or warning by setting)
	CodeTrademarkMissing = "gate.trademark_missing"
	CodeFoodTypeUnknown  = "gate.food_type_unknown" // warning
)

// permit states, worst first: the best state among a kind's permits decides,
// and the others only shape the message.
type permitState int

const (
	absent permitState = iota
	mismatch
	imported
	expired
	valid
)

// found is the best permit of one kind.
type found struct {
	state    permitState
	until    i18n.Text // when it expired
	warnings []Reason  // of a valid permit
}

func (f *found) offer(g found) {
	if g.state > f.state {
		*f = g
	}
}

// gate carries one check.
type gate struct {
	in    GateInput
	now   time.Time // in WIB
	today workday.Date
	res   GateResult
}

// CheckGate runs the legality gate for one product under the rubric's settings.
func CheckGate(s GateSettings, in GateInput) GateResult {
	g := &gate{in: in, now: in.Now.In(workday.WIB), today: workday.DateOf(in.Now)}
	p := in.Product
	if applicant.IsFood(p.Category) {
		ft, ok := FoodTypeByCode(p.FoodType)
		if !ok {
			g.warn(Reason{Code: CodeFoodTypeUnknown, Text: i18n.Text{
				ID: fmt.Sprintf("Jenis pangan %q tidak dikenal; izinnya diperiksa seperti pangan olahan umum.", p.FoodType),
				EN: fmt.Sprintf("The food type %q is not known; its permits were checked as for ordinary processed food.", p.FoodType)}})
			ft, _ = FoodTypeByCode("")
		}
		g.foodPermits(ft)
		if ft.RequiresSNI {
			if sni := g.plain(PermitSNI); sni.state != valid {
				g.fail(Reason{Code: CodeSNIRequired, Permit: PermitSNI, Division: role.Standardisasi, Text: i18n.Text{
					ID: fmt.Sprintf("Produk jenis %s wajib memenuhi SNI, tetapi belum ada sertifikat SNI (SPPT SNI) yang masih berlaku dan sudah diperiksa petugas. Bidang Standardisasi dapat membantu sertifikasi SNI.", quoted(ft.Name.ID)),
					EN: fmt.Sprintf("Products of the type %s must meet a mandatory SNI, but there is no valid SNI certificate (SPPT SNI) checked by staff. The Standardisation division can help with SNI certification.", quoted(ft.Name.EN))}})
			}
		}
		if !ft.NonHalal && s.Halal != Off {
			g.checkHalal(s.Halal)
		}
	}
	if s.Trademark != Off {
		if tm := g.plain(PermitTrademark); tm.state != valid {
			r := Reason{Code: CodeTrademarkMissing, Permit: PermitTrademark, Division: role.HKI, Text: i18n.Text{
				ID: "Merek produk ini belum terdaftar (belum ada sertifikat merek yang sudah diperiksa petugas). Merek terdaftar melindungi nama produk Anda dari peniruan. Bidang HKI dapat membantu pendaftarannya, dengan keringanan biaya bagi UKM binaan.",
				EN: "This product's trademark is not registered (no trademark certificate checked by staff). A registered trademark protects your product's name from copying. The IP division can help register it, at a reduced fee for SMEs the Office supports."}}
			g.failOrWarn(s.Trademark == Require, r)
		}
	}
	g.res.Passed = len(g.res.Failures) == 0
	return g.res
}

// foodPermits: a valid BPOM MD does for every food; a valid P-IRT only for the
// food types that may use it.
func (g *gate) foodPermits(ft FoodType) {
	bpom := g.bpom()
	if bpom.state == valid {
		return
	}
	help := i18n.Text{ID: " Bidang Perizinan dapat membantu.", EN: " The Licensing division can help."}
	reason := func(code, id, en string) Reason {
		return Reason{Code: code, Permit: PermitBPOM, Division: role.Perizinan, Text: i18n.Text{ID: id + help.ID, EN: en + help.EN}}
	}
	bpomProblem := func() (Reason, bool) {
		switch bpom.state {
		case expired:
			return reason(CodeBPOMExpired,
				fmt.Sprintf("Izin edar BPOM MD produk ini berlaku sampai %s dan sudah habis masa berlakunya. Mohon perpanjang izin edar di BPOM.", bpom.until.ID),
				fmt.Sprintf("This product's BPOM MD registration was valid until %s and has expired. Please renew it with BPOM.", bpom.until.EN)), true
		case imported:
			return reason(CodeBPOMImported,
				"Nomor BPOM produk ini diawali ML, yaitu nomor untuk pangan impor. Produk buatan dalam negeri memerlukan izin edar BPOM MD.",
				"This product's BPOM number starts with ML, which is for imported food. Food made in Indonesia needs a BPOM MD registration."), true
		case mismatch:
			return reason(CodeBPOMMismatch,
				fmt.Sprintf("Nomor BPOM pada data produk (%s) tidak sama dengan izin edar BPOM yang sudah diperiksa petugas. Mohon unggah izin edar untuk produk ini atau perbaiki nomornya.", strings.TrimSpace(g.in.Product.BPOM)),
				fmt.Sprintf("The BPOM number on the product's form (%s) does not match the BPOM registration checked by staff. Please upload the registration of this product or correct the number.", strings.TrimSpace(g.in.Product.BPOM))), true
		}
		return Reason{}, false
	}

	if ft.RequiresBPOM {
		if r, ok := bpomProblem(); ok {
			g.fail(r)
			return
		}
		extraID, extraEN := "", ""
		if g.pirt().state != absent {
			extraID, extraEN = " Izin P-IRT yang ada tidak berlaku untuk jenis pangan ini.", " The P-IRT permit it has does not cover this type of food."
		}
		g.fail(reason(CodeBPOMRequired,
			fmt.Sprintf("Produk jenis %s tidak boleh memakai izin P-IRT; wajib punya izin edar BPOM MD.%s", quoted(ft.Name.ID), extraID),
			fmt.Sprintf("Products of the type %s may not use a P-IRT permit; they need a BPOM MD registration.%s", quoted(ft.Name.EN), extraEN)))
		return
	}

	pirt := g.pirt()
	if pirt.state == valid {
		g.res.Warnings = append(g.res.Warnings, pirt.warnings...)
		return
	}
	pirtReason := func(code, id, en string) Reason {
		r := reason(code, id, en)
		r.Permit = PermitPIRT
		return r
	}
	switch {
	case pirt.state == expired:
		g.fail(pirtReason(CodePIRTExpired,
			fmt.Sprintf("Izin P-IRT produk ini berlaku sampai %s dan sudah habis masa berlakunya. Mohon perpanjang izin P-IRT.", pirt.until.ID),
			fmt.Sprintf("This product's P-IRT permit was valid until %s and has expired. Please renew the P-IRT permit.", pirt.until.EN)))
	case bpom.state != absent:
		r, _ := bpomProblem()
		g.fail(r)
	case pirt.state == mismatch:
		g.fail(pirtReason(CodePIRTMismatch,
			fmt.Sprintf("Nomor P-IRT pada data produk (%s) tidak sama dengan sertifikat P-IRT yang sudah diperiksa petugas. Mohon unggah sertifikat P-IRT untuk produk ini atau perbaiki nomornya.", strings.TrimSpace(g.in.Product.PIRT)),
			fmt.Sprintf("The P-IRT number on the product's form (%s) does not match the P-IRT certificate checked by staff. Please upload the P-IRT certificate of this product or correct the number.", strings.TrimSpace(g.in.Product.PIRT))))
	default:
		g.fail(pirtReason(CodePIRTMissing,
			"Belum ada izin P-IRT atau izin edar BPOM MD yang sudah diperiksa petugas. Makanan dan minuman olahan wajib punya salah satunya sebelum dijual di galeri.",
			"There is no P-IRT permit or BPOM MD registration checked by staff. Processed food and drink must have one of them before it is sold in the gallery."))
	}
}

// pirt finds the best accepted P-IRT for the product.
func (g *gate) pirt() found {
	want := ""
	if n := strings.TrimSpace(g.in.Product.PIRT); n != "" {
		want = digitsOf(n)
	}
	best := found{}
	for _, pm := range g.accepted(PermitPIRT) {
		p, problems, err := idn.ParsePIRT(pm.Number, g.now)
		if err != nil {
			continue // not a P-IRT number at all: it licenses nothing
		}
		if want != "" && p.Digits != want {
			best.offer(found{state: mismatch})
			continue
		}
		if p.Expired(g.now) {
			best.offer(found{state: expired, until: i18n.Text{ID: fmt.Sprintf("akhir tahun %d", p.ExpiryYear), EN: fmt.Sprintf("the end of %d", p.ExpiryYear)}})
			continue
		}
		if d, ok := g.expiredOn(pm); ok {
			best.offer(found{state: expired, until: d})
			continue
		}
		f := found{state: valid}
		for _, pr := range problems {
			f.warnings = append(f.warnings, Reason{Code: pr.Code, Permit: PermitPIRT, Division: role.Perizinan, Text: pr.Text})
		}
		if here, issued := g.in.RegencyCode, p.RegencyCode(); here != "" && issued != "" && here != issued {
			f.warnings = append(f.warnings, Reason{Code: CodePIRTRegency, Permit: PermitPIRT, Division: role.Perizinan, Text: i18n.Text{
				ID: fmt.Sprintf("Izin P-IRT ini diterbitkan di %s, sedangkan tempat usaha di %s. Izin P-IRT tidak berlaku lagi bila tempat produksi pindah kabupaten/kota; bila sudah pindah, mohon urus P-IRT baru.", regencyName(issued).ID, regencyName(here).ID),
				EN: fmt.Sprintf("This P-IRT permit was issued in %s, but the business is in %s. A P-IRT permit is void once production moves to another regency or city; if it has moved, please apply for a new one.", regencyName(issued).EN, regencyName(here).EN)}})
		}
		best.offer(f)
	}
	return best
}

// bpom finds the best accepted BPOM registration for the product.
func (g *gate) bpom() found {
	want := ""
	if n := strings.TrimSpace(g.in.Product.BPOM); n != "" {
		want = bpomKey(n)
	}
	best := found{}
	for _, pm := range g.accepted(PermitBPOM) {
		b, _, err := idn.ParseBPOM(pm.Number)
		if err != nil {
			continue
		}
		switch d, exp := g.expiredOn(pm); {
		case want != "" && b.Number != want:
			best.offer(found{state: mismatch})
		case b.Imported:
			best.offer(found{state: imported})
		case exp:
			best.offer(found{state: expired, until: d})
		default:
			best.offer(found{state: valid})
		}
	}
	return best
}

// checkHalal looks for a valid halal certificate and, without one, warns or
// fails by the business's date and the setting.
func (g *gate) checkHalal(level Level) {
	want := ""
	if n := strings.TrimSpace(g.in.Product.Halal); n != "" {
		want = halalKey(n)
	}
	best := found{}
	for _, pm := range g.accepted(PermitHalal) {
		h, _, err := idn.ParseHalal(pm.Number)
		if err != nil {
			continue
		}
		switch d, exp := g.expiredOn(pm); {
		case want != "" && string(h) != want:
			best.offer(found{state: mismatch})
		case exp:
			best.offer(found{state: expired, until: d})
		default:
			best.offer(found{state: valid})
		}
	}
	if best.state == valid {
		return
	}

	var lead i18n.Text
	switch best.state {
	case expired:
		lead = i18n.Text{ID: fmt.Sprintf("Sertifikat halal produk ini berlaku sampai %s dan sudah habis masa berlakunya.", best.until.ID),
			EN: fmt.Sprintf("This product's halal certificate was valid until %s and has expired.", best.until.EN)}
	case mismatch:
		lead = i18n.Text{ID: fmt.Sprintf("Nomor sertifikat halal pada data produk (%s) tidak sama dengan sertifikat halal yang sudah diperiksa petugas.", strings.TrimSpace(g.in.Product.Halal)),
			EN: fmt.Sprintf("The halal certificate number on the product's form (%s) does not match the halal certificate checked by staff.", strings.TrimSpace(g.in.Product.Halal))}
	default:
		lead = i18n.Text{ID: "Belum ada sertifikat halal produk ini yang sudah diperiksa petugas.",
			EN: "This product has no halal certificate checked by staff."}
	}
	smallBusiness := g.in.Size < idn.Menengah // 0, not classified, counts as micro
	from, whoID, whoEN := idn.HalalMandatoryFrom(), "usaha mikro dan kecil", "micro and small businesses"
	if !smallBusiness {
		from, whoID, whoEN = halalMediumFrom, "usaha menengah dan besar", "medium and large businesses"
	}
	day := dateText(workday.DateOf(from))
	help := i18n.Text{ID: "Bidang Halal dapat membantu.", EN: "The Halal division can help."}
	if smallBusiness {
		help = i18n.Text{ID: "Usaha mikro dan kecil dapat memakai jalur self-declare yang gratis; Bidang Halal dapat membantu.",
			EN: "Micro and small businesses can use the free self-declare route; the Halal division can help."}
	}
	r := Reason{Permit: PermitHalal, Division: role.Halal}
	if g.now.Before(from) {
		r.Code = CodeHalalAdvice
		r.Text = i18n.Text{
			ID: fmt.Sprintf("%s Mulai %s makanan dan minuman %s wajib bersertifikat halal. %s", lead.ID, day.ID, whoID, help.ID),
			EN: fmt.Sprintf("%s From %s food and drink of %s must be halal certified. %s", lead.EN, day.EN, whoEN, help.EN)}
		g.warn(r)
		return
	}
	r.Code = CodeHalalMissing
	r.Text = i18n.Text{
		ID: fmt.Sprintf("%s Sejak %s makanan dan minuman %s wajib bersertifikat halal. %s", lead.ID, day.ID, whoID, help.ID),
		EN: fmt.Sprintf("%s Since %s food and drink of %s must be halal certified. %s", lead.EN, day.EN, whoEN, help.EN)}
	g.failOrWarn(level == Require, r)
}

// plain finds an accepted, unexpired permit of kind, whatever its number.
func (g *gate) plain(kind string) found {
	best := found{}
	for _, pm := range g.accepted(kind) {
		if d, exp := g.expiredOn(pm); exp {
			best.offer(found{state: expired, until: d})
		} else {
			best.offer(found{state: valid})
		}
	}
	return best
}

func (g *gate) accepted(kind string) []Permit {
	var out []Permit
	for _, p := range g.in.Permits {
		if p.Accepted && p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// expiredOn reports whether the permit's recorded expiry date has passed; it is
// valid through that day. An unreadable date counts as none: intake checks
// dates when they are typed.
func (g *gate) expiredOn(p Permit) (i18n.Text, bool) {
	d, err := workday.ParseDate(strings.TrimSpace(p.ExpiresOn))
	if err != nil || !d.Before(g.today) {
		return i18n.Text{}, false
	}
	return dateText(d), true
}

func (g *gate) fail(r Reason) {
	r.Blocking = true
	g.res.Failures = append(g.res.Failures, r)
}

func (g *gate) warn(r Reason) {
	r.Blocking = false
	g.res.Warnings = append(g.res.Warnings, r)
}

func (g *gate) failOrWarn(block bool, r Reason) {
	if block {
		g.fail(r)
	} else {
		g.warn(r)
	}
}

// digitsOf keeps the digits of a P-IRT number, which is what identifies it
// whatever label or separators it was written with.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func bpomKey(s string) string {
	if b, _, err := idn.ParseBPOM(s); err == nil {
		return b.Number
	}
	return strings.ToUpper(s)
}

func halalKey(s string) string {
	if h, _, err := idn.ParseHalal(s); err == nil {
		return string(h)
	}
	return strings.ToUpper(s)
}

func regencyName(code string) i18n.Text {
	if r, ok := idn.Regency(code); ok {
		return i18n.Text{ID: r.Name, EN: r.Name}
	}
	return i18n.Text{ID: "wilayah berkode " + code, EN: "the region coded " + code}
}

func quoted(s string) string { return "\u201c" + s + "\u201d" }

var (
	monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	monthsEN = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// dateText writes a date as people read it: "17 Oktober 2026" / "17 October 2026".
func dateText(d workday.Date) i18n.Text {
	m := int(d.Month) - 1
	if m < 0 || m > 11 {
		return i18n.Text{ID: d.String(), EN: d.String()}
	}
	return i18n.Text{ID: fmt.Sprintf("%d %s %d", d.Day, monthsID[m], d.Year), EN: fmt.Sprintf("%d %s %d", d.Day, monthsEN[m], d.Year)}
}

package curation

import (
	"slices"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/workday"
)

func wib(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, workday.WIB)
}

var (
	june2026   = wib(2026, time.June, 1, 10, 0)
	halalDay   = wib(2026, time.October, 17, 0, 0) // the first instant it is mandatory
	dayBefore  = halalDay.Add(-time.Minute)
	nov2026    = wib(2026, time.November, 2, 9, 0)
	pirtOK     = Permit{Kind: PermitPIRT, Number: "P-IRT No. 2063506010023-29", Accepted: true}
	pirtOld    = Permit{Kind: PermitPIRT, Number: "P-IRT No. 2063506010023-24", Accepted: true}
	pirtThis   = Permit{Kind: PermitPIRT, Number: "P-IRT No. 2063506010023-26", Accepted: true}
	pirt12     = Permit{Kind: PermitPIRT, Number: "206350601002", Accepted: true}
	bpomMD     = Permit{Kind: PermitBPOM, Number: "BPOM RI MD 224510001234", Accepted: true}
	bpomML     = Permit{Kind: PermitBPOM, Number: "ML 224510001234", Accepted: true}
	halalOK    = Permit{Kind: PermitHalal, Number: "ID35110000123450724", Accepted: true}
	sniOK      = Permit{Kind: PermitSNI, Number: "SPPT SNI 01-3553-2006", Accepted: true}
	hkiOK      = Permit{Kind: PermitTrademark, Number: "IDM000123456", Accepted: true}
	warnAll    = GateSettings{Halal: Warn, Trademark: Warn}
	requireAll = GateSettings{Halal: Require, Trademark: Require}
	noExtras   = GateSettings{Halal: Off, Trademark: Off}
)

func food(ftype string, permits ...Permit) GateInput {
	return GateInput{Product: ProductFacts{Category: "Makanan", FoodType: ftype}, Permits: permits, Size: idn.Mikro, Now: june2026}
}

func TestGate(t *testing.T) {
	tests := []struct {
		name     string
		s        GateSettings
		in       GateInput
		passed   bool
		failures []string
		warnings []string
		words    map[string][]string // reason code → words of its Indonesian text
	}{
		{name: "food with valid P-IRT, halal and trademark", s: requireAll,
			in: food("", pirtOK, halalOK, hkiOK), passed: true},
		{name: "food with valid P-IRT only, before the halal date", s: warnAll,
			in: food("", pirtOK), passed: true, warnings: []string{CodeHalalAdvice, CodeTrademarkMissing}},
		{name: "food with P-IRT not accepted", s: noExtras,
			in: food("", Permit{Kind: PermitPIRT, Number: pirtOK.Number}), failures: []string{CodePIRTMissing},
			words: map[string][]string{CodePIRTMissing: {"Belum ada izin P-IRT atau izin edar BPOM MD", "diperiksa petugas", "Bidang Perizinan"}}},
		{name: "food with nothing", s: noExtras, in: food(""), failures: []string{CodePIRTMissing}},
		{name: "expired P-IRT", s: noExtras, in: food("", pirtOld), failures: []string{CodePIRTExpired},
			words: map[string][]string{CodePIRTExpired: {"berlaku sampai akhir tahun 2024", "habis masa berlakunya", "perpanjang izin P-IRT"}}},
		{name: "P-IRT past its recorded expiry date", s: noExtras,
			in:       food("", Permit{Kind: PermitPIRT, Number: pirtOK.Number, ExpiresOn: "2026-05-31", Accepted: true}),
			failures: []string{CodePIRTExpired}, words: map[string][]string{CodePIRTExpired: {"berlaku sampai 31 Mei 2026"}}},
		{name: "P-IRT valid through its expiry day", s: noExtras,
			in: food("", Permit{Kind: PermitPIRT, Number: pirtOK.Number, ExpiresOn: "2026-06-01", Accepted: true}), passed: true},
		{name: "expired and valid P-IRT: the valid one counts", s: noExtras, in: food("", pirtOld, pirtOK), passed: true},
		{name: "BPOM MD instead of P-IRT", s: noExtras, in: food("", bpomMD), passed: true},
		{name: "expired P-IRT but BPOM MD", s: noExtras, in: food("", pirtOld, bpomMD), passed: true},
		{name: "only an imported ML number", s: noExtras, in: food("", bpomML), failures: []string{CodeBPOMImported},
			words: map[string][]string{CodeBPOMImported: {"diawali ML", "pangan impor", "BPOM MD"}}},
		{name: "BPOM past its expiry date", s: noExtras,
			in:       food("", Permit{Kind: PermitBPOM, Number: bpomMD.Number, ExpiresOn: "2026-01-15", Accepted: true}),
			failures: []string{CodeBPOMExpired}, words: map[string][]string{CodeBPOMExpired: {"berlaku sampai 15 Januari 2026", "habis masa berlakunya"}}},
		{name: "milk product with only P-IRT", s: noExtras, in: food("susu", pirtOK), failures: []string{CodeBPOMRequired},
			words: map[string][]string{CodeBPOMRequired: {"\u201cSusu dan hasil olahannya\u201d", "tidak boleh memakai izin P-IRT", "wajib punya izin edar BPOM MD", "Izin P-IRT yang ada tidak berlaku", "Bidang Perizinan"}}},
		{name: "milk product with nothing", s: noExtras, in: food("susu"), failures: []string{CodeBPOMRequired}},
		{name: "milk product with BPOM MD", s: noExtras, in: food("susu", bpomMD), passed: true},
		{name: "frozen nuggets with only P-IRT", s: noExtras, in: food("beku", pirtOK), failures: []string{CodeBPOMRequired}},
		{name: "bottled water with BPOM but no SNI", s: noExtras, in: food("amdk", bpomMD), failures: []string{CodeSNIRequired},
			words: map[string][]string{CodeSNIRequired: {"\u201cAir minum dalam kemasan\u201d", "wajib memenuhi SNI", "Bidang Standardisasi"}}},
		{name: "bottled water with P-IRT and SNI", s: noExtras, in: food("amdk", pirtOK, sniOK), failures: []string{CodeBPOMRequired}},
		{name: "bottled water with BPOM and SNI", s: noExtras, in: food("amdk", bpomMD, sniOK), passed: true},
		{name: "batik with nothing", s: warnAll, in: GateInput{Product: ProductFacts{Category: "Batik dan tenun"}, Size: idn.Mikro, Now: nov2026},
			passed: true, warnings: []string{CodeTrademarkMissing}},
		{name: "batik with nothing, no trademark asked", s: noExtras, in: GateInput{Product: ProductFacts{Category: "Batik dan tenun"}, Now: nov2026}, passed: true},
		{name: "batik without trademark when it is required", s: requireAll, in: GateInput{Product: ProductFacts{Category: "Batik dan tenun"}, Now: nov2026},
			failures: []string{CodeTrademarkMissing}, words: map[string][]string{CodeTrademarkMissing: {"Merek produk ini belum terdaftar", "Bidang HKI", "keringanan biaya"}}},
		{name: "craft with trademark required and given", s: requireAll, in: GateInput{Product: ProductFacts{Category: "Kerajinan"}, Permits: []Permit{hkiOK}, Now: nov2026}, passed: true},

		{name: "micro, a minute before the halal date, gate setting", s: GateSettings{Halal: Require, Trademark: Off},
			in: at(food("", pirtOK), dayBefore), passed: true, warnings: []string{CodeHalalAdvice},
			words: map[string][]string{CodeHalalAdvice: {"Belum ada sertifikat halal", "Mulai 17 Oktober 2026", "usaha mikro dan kecil", "self-declare", "gratis", "Bidang Halal"}}},
		{name: "micro, on the halal date, warning setting", s: GateSettings{Halal: Warn, Trademark: Off},
			in: at(food("", pirtOK), halalDay), passed: true, warnings: []string{CodeHalalMissing},
			words: map[string][]string{CodeHalalMissing: {"Sejak 17 Oktober 2026", "wajib bersertifikat halal"}}},
		{name: "micro, on the halal date, gate setting", s: GateSettings{Halal: Require, Trademark: Off},
			in: at(food("", pirtOK), halalDay), failures: []string{CodeHalalMissing}},
		{name: "small business after the halal date, gate setting", s: GateSettings{Halal: Require, Trademark: Off},
			in: sized(at(food("", pirtOK), nov2026), idn.Kecil), failures: []string{CodeHalalMissing}},
		{name: "not classified counts as micro", s: GateSettings{Halal: Require, Trademark: Off},
			in: sized(food("", pirtOK), 0), passed: true, warnings: []string{CodeHalalAdvice}},
		{name: "medium business before 2026: already mandatory, gate setting", s: GateSettings{Halal: Require, Trademark: Off},
			in: sized(food("", pirtOK), idn.Menengah), failures: []string{CodeHalalMissing},
			words: map[string][]string{CodeHalalMissing: {"Sejak 17 Oktober 2024", "usaha menengah dan besar", "Bidang Halal"}}},
		{name: "medium business, warning setting", s: GateSettings{Halal: Warn, Trademark: Off},
			in: sized(food("", pirtOK), idn.Menengah), passed: true, warnings: []string{CodeHalalMissing}},
		{name: "halal certificate past its date", s: GateSettings{Halal: Require, Trademark: Off},
			in:       at(food("", pirtOK, Permit{Kind: PermitHalal, Number: halalOK.Number, ExpiresOn: "2026-10-31", Accepted: true}), nov2026),
			failures: []string{CodeHalalMissing}, words: map[string][]string{CodeHalalMissing: {"berlaku sampai 31 Oktober 2026", "habis masa berlakunya"}}},
		{name: "halal not looked at", s: noExtras, in: at(food("", pirtOK), nov2026), passed: true},
		{name: "alcohol needs BPOM and no halal", s: requireAll, in: at(food("alkohol", bpomMD, hkiOK), nov2026), passed: true},
		{name: "drinks are food", s: noExtras, in: GateInput{Product: ProductFacts{Category: "Minuman"}, Now: june2026}, failures: []string{CodePIRTMissing}},
		{name: "herbal drinks are food", s: noExtras, in: GateInput{Product: ProductFacts{Category: "Herbal dan jamu"}, Now: june2026}, failures: []string{CodePIRTMissing}},
		{name: "halal on a craft is not asked", s: requireAll, in: GateInput{Product: ProductFacts{Category: "Kerajinan"}, Permits: []Permit{hkiOK}, Size: idn.Menengah, Now: nov2026}, passed: true},

		{name: "product's P-IRT number matches, written differently", s: noExtras,
			in: product(food("", pirtOld, pirtOK), ProductFacts{Category: "Makanan", PIRT: "2063506010023 29"}), passed: true},
		{name: "product's P-IRT number is another product's", s: noExtras,
			in: product(food("", pirtOK), ProductFacts{Category: "Makanan", PIRT: "P-IRT No. 2063506020023-29"}), failures: []string{CodePIRTMismatch},
			words: map[string][]string{CodePIRTMismatch: {"P-IRT No. 2063506020023-29", "tidak sama", "unggah sertifikat P-IRT untuk produk ini"}}},
		{name: "product's BPOM number not among the accepted", s: noExtras,
			in: product(food("susu", bpomMD), ProductFacts{Category: "Makanan", FoodType: "susu", BPOM: "MD 999999999999"}), failures: []string{CodeBPOMMismatch}},
		{name: "product's halal number not among the accepted", s: GateSettings{Halal: Require, Trademark: Off},
			in:       at(product(food("", pirtOK, halalOK), ProductFacts{Category: "Makanan", Halal: "ID35990000000000001"}), nov2026),
			failures: []string{CodeHalalMissing}, words: map[string][]string{CodeHalalMissing: {"ID35990000000000001", "tidak sama"}}},
		{name: "old-format P-IRT passes with a warning", s: noExtras, in: food("", pirt12), passed: true, warnings: []string{idn.CodePIRTOldFormat}},
		{name: "P-IRT expiring this year", s: noExtras, in: at(food("", pirtThis), wib(2026, time.August, 3, 9, 0)), passed: true, warnings: []string{idn.CodePIRTExpiring}},
		{name: "P-IRT from another regency", s: noExtras, in: regency(food("", pirtOK), "3578"), passed: true, warnings: []string{CodePIRTRegency},
			words: map[string][]string{CodePIRTRegency: {"diterbitkan di Kabupaten Kediri", "tempat usaha di Kota Surabaya", "pindah kabupaten/kota"}}},
		{name: "P-IRT from the same regency", s: noExtras, in: regency(food("", pirtOK), "3506"), passed: true},
		{name: "unknown food type is checked as ordinary", s: noExtras, in: food("keripik", pirtOK), passed: true, warnings: []string{CodeFoodTypeUnknown}},
		// 18:00 UTC on 31 December is already New Year's Day in East Java.
		{name: "expiry year read in WIB", s: noExtras, in: at(food("", Permit{Kind: PermitPIRT, Number: "2063506010023-25", Accepted: true}), time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC)),
			failures: []string{CodePIRTExpired}},
		{name: "the same in UTC a day earlier is still valid", s: noExtras, in: at(food("", Permit{Kind: PermitPIRT, Number: "2063506010023-25", Accepted: true}), time.Date(2025, 12, 31, 16, 0, 0, 0, time.UTC)),
			passed: true, warnings: []string{idn.CodePIRTExpiring}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g := CheckGate(tc.s, tc.in)
			if g.Passed != tc.passed {
				t.Errorf("passed %v, want %v", g.Passed, tc.passed)
			}
			if got := codesOf(g.Failures); !slices.Equal(got, tc.failures) {
				t.Errorf("failures %v, want %v", got, tc.failures)
			}
			if got := codesOf(g.Warnings); !slices.Equal(got, tc.warnings) {
				t.Errorf("warnings %v, want %v", got, tc.warnings)
			}
			all := append(slices.Clone(g.Failures), g.Warnings...)
			for _, r := range all {
				if r.Text.ID == "" || r.Text.EN == "" {
					t.Errorf("%s lacks a text in one language: %+v", r.Code, r.Text)
				}
				if r.Code != CodeFoodTypeUnknown && (r.Permit == "" || !r.Division.Valid()) {
					t.Errorf("%s names no permit or no division: %+v", r.Code, r)
				}
			}
			for _, r := range g.Failures {
				if !r.Blocking {
					t.Errorf("failure %s not blocking", r.Code)
				}
			}
			for _, r := range g.Warnings {
				if r.Blocking {
					t.Errorf("warning %s blocking", r.Code)
				}
			}
			for code, words := range tc.words {
				i := slices.IndexFunc(all, func(r Reason) bool { return r.Code == code })
				if i < 0 {
					t.Errorf("no reason %s", code)
					continue
				}
				contains(t, code, all[i].Text.ID, words...)
			}
		})
	}
}

func TestGateDivisions(t *testing.T) {
	want := map[string]role.Division{
		CodePIRTMissing: role.Perizinan, CodeBPOMRequired: role.Perizinan, CodeSNIRequired: role.Standardisasi,
		CodeHalalMissing: role.Halal, CodeTrademarkMissing: role.HKI,
	}
	cases := []GateInput{
		food(""), food("susu"), food("amdk", bpomMD), at(food("", pirtOK), nov2026), {Product: ProductFacts{Category: "Fesyen"}, Now: nov2026},
	}
	got := map[string]role.Division{}
	for _, in := range cases {
		for _, r := range CheckGate(requireAll, in).Failures {
			got[r.Code] = r.Division
		}
	}
	for code, d := range want {
		if got[code] != d {
			t.Errorf("%s goes to %q, want %q", code, got[code], d)
		}
	}
}

func TestFoodTypes(t *testing.T) {
	fts := FoodTypes()
	if fts[0].Code != "umum" || fts[0].RequiresBPOM {
		t.Fatalf("first food type %+v", fts[0])
	}
	seen := map[string]bool{}
	for _, ft := range fts {
		if seen[ft.Code] || !validCode(ft.Code) || ft.Name.ID == "" || ft.Name.EN == "" || ft.Examples.ID == "" || ft.Examples.EN == "" {
			t.Errorf("food type %+v", ft)
		}
		seen[ft.Code] = true
		if ft.RequiresSNI && !ft.RequiresBPOM {
			t.Errorf("%s: a mandatory-SNI food may not use P-IRT either", ft.Code)
		}
	}
	// DOMAIN.md's list of foods that may not use P-IRT.
	for _, code := range []string{"susu", "beku", "kaleng", "bayi", "alkohol", "amdk", "sni_wajib"} {
		if ft, ok := FoodTypeByCode(code); !ok || !ft.RequiresBPOM {
			t.Errorf("%s: %+v %v", code, ft, ok)
		}
	}
	if ft, ok := FoodTypeByCode(""); !ok || ft.Code != "umum" {
		t.Errorf("empty code: %+v", ft)
	}
	fts[0].Code = "changed"
	if FoodTypes()[0].Code != "umum" {
		t.Error("FoodTypes shares its slice")
	}
}

// TestPermitKindsAreDocumentKinds: the gate reads the accepted documents by kind.
func TestPermitKindsAreDocumentKinds(t *testing.T) {
	for _, k := range []string{PermitPIRT, PermitBPOM, PermitHalal, PermitSNI, PermitTrademark} {
		if _, ok := document.KindOf(k); !ok {
			t.Errorf("permit kind %q is not a document kind", k)
		}
	}
	// Every food category goes through the food rules.
	for _, c := range applicant.Categories {
		g := CheckGate(noExtras, GateInput{Product: ProductFacts{Category: c}, Now: june2026})
		if g.Passed == applicant.IsFood(c) {
			t.Errorf("%s with no permits: passed %v", c, g.Passed)
		}
	}
}

func TestDateText(t *testing.T) {
	got := dateText(workday.MustParseDate("2026-10-17"))
	if got.ID != "17 Oktober 2026" || got.EN != "17 October 2026" {
		t.Errorf("%+v", got)
	}
}

func codesOf(rs []Reason) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func at(in GateInput, now time.Time) GateInput { in.Now = now; return in }

func sized(in GateInput, s idn.BusinessSize) GateInput { in.Size = s; return in }

func regency(in GateInput, code string) GateInput { in.RegencyCode = code; return in }

func product(in GateInput, p ProductFacts) GateInput { in.Product = p; return in }

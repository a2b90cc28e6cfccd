package idn

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseNIK(t *testing.T) {
	for _, c := range []struct {
		name      string
		in        string
		want      NIK // checked when the NIK is accepted and want.Digits is set
		wantErr   string
		wantWarns []string
	}{
		{name: "Surabaya woman", in: "3578014501900001", want: NIK{
			Digits: "3578014501900001", ProvinceCode: "35", RegencyCode: "3578", DistrictCode: "357801",
			BirthDay: 5, BirthMonth: 1, BirthYY: 90, Female: true, Serial: "0001"}},
		{name: "Kabupaten Kediri man", in: "3506121208850003", want: NIK{
			Digits: "3506121208850003", ProvinceCode: "35", RegencyCode: "3506", DistrictCode: "350612",
			BirthDay: 12, BirthMonth: 8, BirthYY: 85, Serial: "0003"}},
		{name: "spaces", in: " 3578 0145 0190 0001 ", want: NIK{Digits: "3578014501900001"}},
		{name: "dots", in: "35.78.01.450190.0001", want: NIK{Digits: "3578014501900001"}},
		{name: "dashes", in: "3578-01-450190-0001", want: NIK{Digits: "3578014501900001"}},
		{name: "no-break space and en dash", in: "3578\u00a0014501\u20139000 01", want: NIK{Digits: "3578014501900001"}},
		{name: "day 41 is a woman born on the 1st", in: "3578014101900001", want: NIK{
			Digits: "3578014101900001", ProvinceCode: "35", RegencyCode: "3578", DistrictCode: "357801",
			BirthDay: 1, BirthMonth: 1, BirthYY: 90, Female: true, Serial: "0001"}},
		{name: "day 71 is a woman born on the 31st", in: "3578017112000001", want: NIK{
			Digits: "3578017112000001", ProvinceCode: "35", RegencyCode: "3578", DistrictCode: "357801",
			BirthDay: 31, BirthMonth: 12, BirthYY: 0, Female: true, Serial: "0001"}},
		{name: "day 31 man", in: "3578013112990001"},
		{name: "Jakarta", in: "3171011708450002"},
		{name: "old Papua code 94", in: "9471020101800001"},
		{name: "Papua Barat Daya", in: "9671020101800001"},
		{name: "29 February in a leap year", in: "3578012902880001"},

		{name: "empty", in: "", wantErr: CodeNIKEmpty},
		{name: "only separators", in: " - . ", wantErr: CodeNIKEmpty},
		{name: "15 digits", in: "357801450190001", wantErr: CodeNIKLength},
		{name: "17 digits", in: "35780145019000011", wantErr: CodeNIKLength},
		{name: "letter O", in: "35780145019O0001", wantErr: CodeNIKNotDigits},
		{name: "slash", in: "3578/01/450190/0001", wantErr: CodeNIKNotDigits},
		{name: "full-width digits", in: "３５７８０１４５０１９０００１", wantErr: CodeNIKNotDigits},
		{name: "province 99", in: "9978014501900001", wantErr: CodeNIKProvinceUnknown},
		{name: "province 00", in: "0078014501900001", wantErr: CodeNIKProvinceUnknown},
		{name: "province 20", in: "2078014501900001", wantErr: CodeNIKProvinceUnknown},
		{name: "day 00", in: "3578010001900001", wantErr: CodeNIKDay},
		{name: "day 32", in: "3578013201900001", wantErr: CodeNIKDay},
		{name: "day 40", in: "3578014001900001", wantErr: CodeNIKDay},
		{name: "day 72", in: "3578017201900001", wantErr: CodeNIKDay},
		{name: "day 99", in: "3578019901900001", wantErr: CodeNIKDay},
		{name: "month 00", in: "3578011500900001", wantErr: CodeNIKMonth},
		{name: "month 13", in: "3578011513900001", wantErr: CodeNIKMonth},

		{name: "31 February", in: "3578013102900001", wantWarns: []string{CodeNIKDateImpossible}},
		{name: "31 February, woman", in: "3578017102900001", wantWarns: []string{CodeNIKDateImpossible}},
		{name: "31 April", in: "3578013104900001", wantWarns: []string{CodeNIKDateImpossible}},
		{name: "29 February, not a leap year", in: "3578012902890001", wantWarns: []string{CodeNIKDateImpossible}},
		{name: "serial 0000", in: "3578014501900000", wantWarns: []string{CodeNIKSerialZero}},
		{name: "unknown East Java regency", in: "3530014501900001", wantWarns: []string{CodeNIKRegencyUnknown}},
		{name: "regency 00", in: "3200004501900001", wantWarns: []string{CodeNIKRegencyUnknown, CodeNIKDistrictZero}},
		{name: "district 00", in: "3578004501900001", wantWarns: []string{CodeNIKDistrictZero}},
		{name: "everything odd", in: "3599003102900000", wantWarns: []string{
			CodeNIKRegencyUnknown, CodeNIKDistrictZero, CodeNIKDateImpossible, CodeNIKSerialZero}},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, warns, err := ParseNIK(c.in)
			if !checkOutcome(t, warns, err, c.wantErr, c.wantWarns, "nik.") {
				if n != (NIK{}) {
					t.Errorf("refused NIK returned a value: %+v", n)
				}
				return
			}
			switch {
			case c.want.ProvinceCode != "":
				if n != c.want {
					t.Errorf("got %+v\nwant %+v", n, c.want)
				}
			case c.want.Digits != "":
				if n.Digits != c.want.Digits {
					t.Errorf("Digits = %q, want %q", n.Digits, c.want.Digits)
				}
			}
		})
	}
}

func TestNIKMessages(t *testing.T) {
	for _, c := range []struct{ in, id, en string }{
		{"357801450190001", "NIK harus 16 angka; yang diisi 15 angka.", "The NIK must be 16 digits; 15 digits were entered."},
		{"35780145019O0001", "NIK hanya boleh berisi angka; ada \"O\" (huruf O, bukan angka 0).", "The NIK may contain digits only; it has \"O\" (the letter O, not the digit 0)."},
		{"9978014501900001", "Dua angka pertama NIK (99) bukan kode provinsi yang dikenal. Mohon periksa kembali NIK di KTP.", "The first two digits of the NIK (99) are not a known province code. Please check the NIK on the KTP."},
		{"3578013201900001", "Angka ke-7 dan ke-8 NIK (32) harus tanggal lahir: 01–31, atau 41–71 untuk perempuan.", "Digits 7 and 8 of the NIK (32) must be the day of birth: 01–31, or 41–71 for women."},
	} {
		_, _, err := ParseNIK(c.in)
		p := checkProblem(t, err, "nik.")
		if p.Text.ID != c.id || p.Text.EN != c.en {
			t.Errorf("%s:\n got %q\n     %q\nwant %q\n     %q", c.in, p.Text.ID, p.Text.EN, c.id, c.en)
		}
	}
	_, warns, _ := ParseNIK("3578017102900001")
	if len(warns) != 1 || !strings.Contains(warns[0].Text.ID, "31 Februari") || !strings.Contains(warns[0].Text.EN, "31 February") {
		t.Errorf("date warning: %+v", warns)
	}
}

func TestNIKMessagesHideTheNumber(t *testing.T) {
	// Errors and warnings reach logs: they must never hold the whole NIK.
	for _, in := range []string{"9978014501900001", "3578013201900001", "3578011513900001", "3599003102900000", "35780145019000011"} {
		_, warns, err := ParseNIK(in)
		all := warns
		if err != nil {
			all = append(all, *checkProblem(t, err, "nik."))
		}
		for _, p := range all {
			if strings.Contains(p.Text.ID, in[:12]) || strings.Contains(p.Text.EN, in[:12]) {
				t.Errorf("%s: message holds the NIK: %q", p.Code, p.Text.ID)
			}
		}
	}
}

func TestNIKMasked(t *testing.T) {
	n, _, err := ParseNIK("3578 0145 0190 0001")
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Masked(); got != "3578********0001" {
		t.Errorf("Masked = %q", got)
	}
	if n.String() != "3578014501900001" {
		t.Errorf("String = %q", n.String())
	}
	if got := (NIK{}).Masked(); got != "" {
		t.Errorf("zero Masked = %q", got)
	}
}

func TestNIKBirthDate(t *testing.T) {
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		nik  string
		now  time.Time
		want time.Time
		ok   bool
	}{
		{"3578014501900001", testNow, date(1990, time.January, 5), true},
		{"3578011208850003", testNow, date(1985, time.August, 12), true},
		{"3578010101050001", testNow, date(2005, time.January, 1), true},   // 21 years old
		{"3578011505090001", testNow, date(2009, time.May, 15), true},      // 17 today
		{"3578011605090001", testNow, date(1909, time.May, 16), true},      // 2009 would be 16
		{"3578010101200001", testNow, date(1920, time.January, 1), true},   // 2020 would be a child
		{"3578010101260001", testNow, date(1926, time.January, 1), true},   // 2026 is this year
		{"3578010101300001", testNow, date(1930, time.January, 1), true},   // 2030 is the future
		{"3578016912990001", testNow, date(1999, time.December, 29), true}, // woman, day 69
		{"3578012902880001", testNow, date(1988, time.February, 29), true}, // leap day
		{"3578012902000001", testNow, date(2000, time.February, 29), true}, // 2000 was leap
		{"3578013102900001", testNow, time.Time{}, false},                  // 31 February
		{"3578012902890001", testNow, time.Time{}, false},                  // 1989 not leap
		{"3578010101090001", date(2026, time.January, 1), date(2009, time.January, 1), true},
	} {
		n, _, err := ParseNIK(c.nik)
		if err != nil {
			t.Fatalf("%s: %v", c.nik, err)
		}
		got, ok := n.BirthDate(c.now)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("%s BirthDate = %v, %v; want %v, %v", c.nik, got, ok, c.want, c.ok)
		}
	}
	if _, ok := (NIK{}).BirthDate(testNow); ok {
		t.Error("zero NIK has a birth date")
	}
}

func FuzzParseNIK(f *testing.F) {
	for _, s := range []string{
		"3578014501900001", "3506121208850003", "35.78.01.450190.0001", "3578 0145 0190 0001",
		"357801450190001", "35780145019O0001", "9978014501900001", "3578010001900001",
		"3578014101900001", "3578013201900001", "3578011513900001", "3578013102900001",
		"3599003102900000", "9471020101800001", "", "-", "３５７８０１４５０１９０００１",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, warns, err := ParseNIK(s)
		if err != nil {
			checkProblem(t, err, "nik.")
			if n != (NIK{}) || warns != nil {
				t.Fatalf("refusal with a value: %+v %v", n, warns)
			}
			return
		}
		if len(n.Digits) != 16 || !allDigits(n.Digits) {
			t.Fatalf("accepted %q as %q", s, n.Digits)
		}
		if n.BirthDay < 1 || n.BirthDay > 31 || n.BirthMonth < 1 || n.BirthMonth > 12 || n.BirthYY < 0 || n.BirthYY > 99 {
			t.Fatalf("accepted an impossible date: %+v", n)
		}
		if _, ok := Province(n.ProvinceCode); !ok {
			t.Fatalf("accepted unknown province: %+v", n)
		}
		for _, w := range warns {
			checkText(t, w, "nik.")
		}
		again, warns2, err := ParseNIK(n.Digits)
		if err != nil || again != n || !slices.Equal(codes(warns), codes(warns2)) {
			t.Fatalf("not idempotent: %+v %v / %+v %v %v", n, warns, again, warns2, err)
		}
		if m := n.Masked(); len(m) != 16 || m[:4] != n.Digits[:4] || m[12:] != n.Digits[12:] || strings.Trim(m[4:12], "*") != "" {
			t.Fatalf("Masked = %q", m)
		}
		if bd, ok := n.BirthDate(testNow); ok && (bd.After(testNow) || bd.Day() != n.BirthDay || int(bd.Month()) != n.BirthMonth || bd.Year()%100 != n.BirthYY) {
			t.Fatalf("BirthDate = %v for %+v", bd, n)
		}
	})
}

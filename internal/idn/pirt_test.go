package idn

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParsePIRT(t *testing.T) {
	kediri := PIRT{Digits: "206350601002328", PackagingCode: 2, FoodTypeCode: "06",
		ProductNumber: "01", ProducerNumber: "0023", ExpiryYear: 2028}
	july := time.Date(2026, time.July, 1, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name      string
		in        string
		now       time.Time
		want      PIRT // compared when set
		wantErr   string
		wantWarns []string
	}{
		{name: "label form", in: "P-IRT No. 2063506010023-28", want: kediri},
		{name: "PIRT and digits", in: "PIRT 206350601002328", want: kediri},
		{name: "bare digits", in: "206350601002328", want: kediri},
		{name: "dotted", in: "2.06.3506.01.0023-28", want: kediri},
		{name: "SPP-IRT with colon", in: "SPP-IRT No: 206 3506 01 0023 28", want: kediri},
		{name: "lower case", in: "p-irt no. 2063506010023-28", want: kediri},
		{name: "Nomor", in: "P-IRT Nomor 2063506010023-28", want: kediri},
		{name: "No. P-IRT", in: "No. P-IRT: 2063506010023-28", want: kediri},
		{name: "glass jar, Kota Batu", in: "P-IRT No. 1013579020112-30", want: PIRT{Digits: "101357902011230",
			PackagingCode: 1, FoodTypeCode: "01", ProductNumber: "02", ProducerNumber: "0112", ExpiryYear: 2030}},
		{name: "outside East Java", in: "P-IRT No. 3093273010001-29"},
		{name: "issued this year", in: "P-IRT No. 8093578010001-31"},

		{name: "expired", in: "P-IRT No. 2063506010023-24", wantWarns: []string{CodePIRTExpired}},
		{name: "expired last year", in: "P-IRT No. 2063506010023-25", wantWarns: []string{CodePIRTExpired}},
		{name: "ends this year, May", in: "P-IRT No. 2063506010023-26"},
		{name: "ends this year, 30 June", in: "P-IRT No. 2063506010023-26", now: time.Date(2026, time.June, 30, 23, 0, 0, 0, time.UTC)},
		{name: "ends this year, July", in: "P-IRT No. 2063506010023-26", now: july, wantWarns: []string{CodePIRTExpiring}},
		{name: "ends this year, December", in: "P-IRT No. 2063506010023-26", now: time.Date(2026, time.December, 31, 0, 0, 0, 0, time.UTC), wantWarns: []string{CodePIRTExpiring}},
		{name: "too far ahead", in: "P-IRT No. 2063506010023-35", wantWarns: []string{CodePIRTExpiryFar}},
		{name: "unknown East Java regency", in: "P-IRT No. 2063540010023-28", wantWarns: []string{CodePIRTRegencyUnknown}},
		{name: "regency 00 and expired", in: "P-IRT No. 2063500010023-20", wantWarns: []string{CodePIRTRegencyUnknown, CodePIRTExpired}},
		{name: "old 12-digit form", in: "P-IRT No. 206350601002", want: PIRT{Digits: "206350601002", OldFormat: true}, wantWarns: []string{CodePIRTOldFormat}},

		{name: "empty", in: "", wantErr: CodePIRTEmpty},
		{name: "label only", in: "P-IRT No.", wantErr: CodePIRTEmpty},
		{name: "spaces only", in: "   ", wantErr: CodePIRTEmpty},
		{name: "14 digits", in: "P-IRT No. 2063506010023-2", wantErr: CodePIRTLength},
		{name: "16 digits", in: "P-IRT No. 2063506010023-281", wantErr: CodePIRTLength},
		{name: "a BPOM number", in: "MD 224510001234", wantErr: CodePIRTPrefix},
		{name: "letter inside", in: "P-IRT No. 20635O6010023-28", wantErr: CodePIRTNotDigits},
		{name: "packaging 0", in: "P-IRT No. 0063506010023-28", wantErr: CodePIRTPackaging},
		{name: "packaging 9", in: "P-IRT No. 9063506010023-28", wantErr: CodePIRTPackaging},
		{name: "province 99", in: "P-IRT No. 2069906010023-28", wantErr: CodePIRTProvinceUnknown},
		{name: "province 00", in: "P-IRT No. 2060006010023-28", wantErr: CodePIRTProvinceUnknown},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := c.now
			if now.IsZero() {
				now = testNow
			}
			p, warns, err := ParsePIRT(c.in, now)
			if checkOutcome(t, warns, err, c.wantErr, c.wantWarns, "pirt.") && c.want.Digits != "" && p != c.want {
				t.Errorf("got %+v\nwant %+v", p, c.want)
			}
		})
	}
}

func TestPIRTMethods(t *testing.T) {
	p, _, err := ParsePIRT("PIRT 206350601002328", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.String(); got != "P-IRT No. 2063506010023-28" {
		t.Errorf("String = %q", got)
	}
	if p.RegencyCode() != "3506" || p.ProvinceCode() != "35" {
		t.Errorf("RegencyCode = %q, ProvinceCode = %q", p.RegencyCode(), p.ProvinceCode())
	}
	if r, ok := Regency(p.RegencyCode()); !ok || r.Name != "Kabupaten Kediri" {
		t.Errorf("regency %+v", r)
	}
	if p.Packaging().ID != "plastik" || p.Packaging().EN != "plastic" {
		t.Errorf("Packaging = %+v", p.Packaging())
	}
	if p.Expired(testNow) || p.Expired(time.Date(2028, 12, 31, 23, 0, 0, 0, time.UTC)) || !p.Expired(time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("Expired wrong around the end of 2028")
	}

	old, _, _ := ParsePIRT("206350601002", testNow)
	if old.String() != "P-IRT No. 206350601002" || old.RegencyCode() != "" || old.ProvinceCode() != "" || old.Expired(testNow) {
		t.Errorf("old format: %q %q %v", old.String(), old.RegencyCode(), old.Expired(testNow))
	}

	for code := 1; code <= 8; code++ {
		if l := PIRTPackaging(code); l.ID == "" || l.EN == "" {
			t.Errorf("packaging %d has no name", code)
		}
	}
	for _, code := range []int{0, 9, -1} {
		if l := PIRTPackaging(code); l.ID != "" {
			t.Errorf("packaging %d named %q", code, l.ID)
		}
	}
	if PIRTPackaging(6).ID != "lainnya (daun dll.)" || PIRTPackaging(3).ID != "karton/kertas" {
		t.Error("packaging names")
	}
}

func TestPIRTMessages(t *testing.T) {
	_, warns, _ := ParsePIRT("P-IRT No. 2063506010023-24", testNow)
	if len(warns) != 1 || !strings.Contains(warns[0].Text.ID, "akhir tahun 2024") || !strings.Contains(warns[0].Text.EN, "end of 2024") {
		t.Errorf("expired warning: %+v", warns)
	}
	_, _, err := ParsePIRT("Izin 206350601002328", testNow)
	if p := checkProblem(t, err, "pirt."); !strings.Contains(p.Text.ID, `"IZIN"`) {
		t.Errorf("prefix message does not quote the prefix: %q", p.Text.ID)
	}
	_, _, err = ParsePIRT(strings.Repeat("x", 500)+" 206350601002328", testNow)
	if p := checkProblem(t, err, "pirt."); len(p.Text.ID) > 250 {
		t.Errorf("prefix message quotes a whole essay: %d bytes", len(p.Text.ID))
	}
}

func FuzzParsePIRT(f *testing.F) {
	for _, s := range []string{
		"P-IRT No. 2063506010023-28", "PIRT 206350601002328", "2.06.3506.01.0023-28", "SPP-IRT No: 206 3506 01 0023 28",
		"P-IRT No. 2063506010023-24", "P-IRT No. 206350601002", "P-IRT No. 0063506010023-28", "P-IRT No. 2069906010023-28",
		"MD 224510001234", "P-IRT No.", "", "ǅ1", "İ206350601002328",
		"%!d(MISSING) 206350601002328", // the prefix is quoted in the message: not a format verb
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, warns, err := ParsePIRT(s, testNow)
		if err != nil {
			if strings.Contains(s, "%") {
				// The message quotes the prefix, so "%!" may come from the
				// input; check only that it is a Problem.
				var p *Problem
				if !errors.As(err, &p) || !strings.HasPrefix(p.Code, "pirt.") {
					t.Fatalf("error %v", err)
				}
				return
			}
			checkProblem(t, err, "pirt.")
			return
		}
		if n := len(p.Digits); (n != 15 && n != 12) || !allDigits(p.Digits) || p.OldFormat != (n == 12) {
			t.Fatalf("accepted %q as %+v", s, p)
		}
		if !p.OldFormat {
			if p.PackagingCode < 1 || p.PackagingCode > 8 || p.ExpiryYear < 2000 || p.ExpiryYear > 2099 {
				t.Fatalf("accepted %+v", p)
			}
			if _, ok := Province(p.ProvinceCode()); !ok {
				t.Fatalf("unknown province accepted: %+v", p)
			}
		}
		for _, w := range warns {
			checkText(t, w, "pirt.")
		}
		again, warns2, err := ParsePIRT(p.String(), testNow)
		if err != nil || again != p || !slices.Equal(codes(warns), codes(warns2)) {
			t.Fatalf("String %q does not parse back: %+v %v %v", p.String(), again, warns2, err)
		}
	})
}

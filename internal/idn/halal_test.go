package idn

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseHalal(t *testing.T) {
	for _, c := range []struct {
		in, want, wantErr string
		wantWarns         []string
	}{
		{in: "ID35110000123450724", want: "ID35110000123450724"},
		{in: "id 3511 0000 1234 5072 4", want: "ID35110000123450724"},
		{in: " ID-35110000-123450724 ", want: "ID35110000123450724"},
		{in: "ID3511000012", want: "ID3511000012"},
		{in: "ID123456", want: "ID123456", wantWarns: []string{CodeHalalShort}},
		{in: "", wantErr: CodeHalalEmpty},
		{in: "KH.2024.0123", wantErr: CodeHalalDetermination},
		{in: "kh 00123", wantErr: CodeHalalDetermination},
		{in: "00160012345678", wantErr: CodeHalalPrefix}, // an old MUI number
		{in: "LPPOM-00160012345678", wantErr: CodeHalalPrefix},
		{in: "MD 224510001234", wantErr: CodeHalalPrefix},
		{in: "ID", wantErr: CodeHalalNotDigits},
		{in: "ID3511O000123450724", wantErr: CodeHalalNotDigits},
		{in: "ID 3511/0000", wantErr: CodeHalalNotDigits},
	} {
		t.Run(c.in, func(t *testing.T) {
			h, warns, err := ParseHalal(c.in)
			if checkOutcome(t, warns, err, c.wantErr, c.wantWarns, "halal.") && h.String() != c.want {
				t.Errorf("got %q, want %q", h, c.want)
			}
		})
	}
	_, _, err := ParseHalal("KH.2024.0123")
	if p := checkProblem(t, err, "halal."); !strings.Contains(p.Text.ID, "Ketetapan Halal") || !strings.Contains(p.Text.EN, "certificate number") {
		t.Errorf("KH message: %+v", p.Text)
	}
}

func TestHalalMandatory(t *testing.T) {
	from := HalalMandatoryFrom()
	if got := from.Format(time.DateOnly); got != HalalMandatoryDate {
		t.Errorf("HalalMandatoryFrom = %s, want %s", got, HalalMandatoryDate)
	}
	if want := time.Date(2026, time.October, 16, 17, 0, 0, 0, time.UTC); !from.Equal(want) {
		t.Errorf("HalalMandatoryFrom = %v, want midnight WIB (%v)", from, want)
	}
}

func FuzzParseHalal(f *testing.F) {
	for _, s := range []string{"ID35110000123450724", "id 3511 0000 1234 5072 4", "ID123", "KH.2024.0123", "00160012345678", "ID", "ID3511O000", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, warns, err := ParseHalal(s)
		if err != nil {
			checkProblem(t, err, "halal.")
			return
		}
		if !strings.HasPrefix(string(h), "ID") || !allDigits(string(h[2:])) {
			t.Fatalf("accepted %q as %q", s, h)
		}
		for _, w := range warns {
			checkText(t, w, "halal.")
		}
		again, warns2, err := ParseHalal(h.String())
		if err != nil || again != h || !slices.Equal(codes(warns), codes(warns2)) {
			t.Fatalf("not idempotent: %q %v %v", again, warns2, err)
		}
	})
}

package idn

import (
	"slices"
	"strings"
	"testing"
)

func TestParseBPOM(t *testing.T) {
	for _, c := range []struct {
		in        string
		want      BPOM
		wantErr   string
		wantWarns []string
	}{
		{in: "MD 224510001234", want: BPOM{Number: "MD224510001234"}},
		{in: "BPOM RI MD 224510001234", want: BPOM{Number: "MD224510001234"}},
		{in: "bpom ri md 2245-1000-1234", want: BPOM{Number: "MD224510001234"}},
		{in: "BPOM RI: MD 224510001234", want: BPOM{Number: "MD224510001234"}},
		{in: "BPOM MD224510001234", want: BPOM{Number: "MD224510001234"}},
		{in: "ML 234509876543", want: BPOM{Number: "ML234509876543", Imported: true}},
		{in: "BPOM RI ML 2345.0987.6543", want: BPOM{Number: "ML234509876543", Imported: true}},
		{in: "MD 22451000123", want: BPOM{Number: "MD22451000123"}, wantWarns: []string{CodeBPOMLength}},
		{in: "MD 2245100012345", want: BPOM{Number: "MD2245100012345"}, wantWarns: []string{CodeBPOMLength}},
		{in: "", wantErr: CodeBPOMEmpty},
		{in: "BPOM RI", wantErr: CodeBPOMEmpty},
		{in: "224510001234", wantErr: CodeBPOMPrefix},
		{in: "P-IRT No. 2063506010023-28", wantErr: CodeBPOMPrefix},
		{in: "TR 123456789012", wantErr: CodeBPOMPrefix}, // traditional medicine, not food
		{in: "MD", wantErr: CodeBPOMNotDigits},
		{in: "BPOM RI MD", wantErr: CodeBPOMNotDigits},
		{in: "MD 2245I0001234", wantErr: CodeBPOMNotDigits},
	} {
		t.Run(c.in, func(t *testing.T) {
			b, warns, err := ParseBPOM(c.in)
			if checkOutcome(t, warns, err, c.wantErr, c.wantWarns, "bpom.") && b != c.want {
				t.Errorf("got %+v, want %+v", b, c.want)
			}
		})
	}
	b, _, _ := ParseBPOM("md224510001234")
	if got := b.String(); got != "BPOM RI MD 224510001234" {
		t.Errorf("String = %q", got)
	}
	_, warns, _ := ParseBPOM("MD 22451000123")
	if !strings.Contains(warns[0].Text.ID, "yang diisi 11 angka") || !strings.Contains(warns[0].Text.EN, "11 digits were entered") {
		t.Errorf("length warning: %+v", warns[0].Text)
	}
}

func FuzzParseBPOM(f *testing.F) {
	for _, s := range []string{"MD 224510001234", "BPOM RI MD 224510001234", "ML 234509876543", "MD 22451000123", "224510001234", "MD", "BPOM RI", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, warns, err := ParseBPOM(s)
		if err != nil {
			checkProblem(t, err, "bpom.")
			return
		}
		if len(b.Number) < 3 || (b.Number[:2] != "MD" && b.Number[:2] != "ML") || !allDigits(b.Number[2:]) || b.Imported != (b.Number[1] == 'L') {
			t.Fatalf("accepted %q as %+v", s, b)
		}
		for _, w := range warns {
			checkText(t, w, "bpom.")
		}
		again, warns2, err := ParseBPOM(b.String())
		if err != nil || again != b || !slices.Equal(codes(warns), codes(warns2)) {
			t.Fatalf("String %q does not parse back: %+v %v %v", b.String(), again, warns2, err)
		}
	})
}

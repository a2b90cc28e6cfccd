package idn

import "testing"

func TestParseNIB(t *testing.T) {
	for _, c := range []struct {
		in, want, wantErr string
	}{
		{in: "9120001234567", want: "9120001234567"},
		{in: "  9120 0012 3456 7 ", want: "9120001234567"},
		{in: "912.000.123.456.7", want: "9120001234567"},
		{in: "0220000123456", want: "0220000123456"},
		{in: "", wantErr: CodeNIBEmpty},
		{in: "   ", wantErr: CodeNIBEmpty},
		{in: "912000123456", wantErr: CodeNIBLength},
		{in: "91200012345678", wantErr: CodeNIBLength},
		{in: "3578014501900001", wantErr: CodeNIBLength}, // a NIK in the NIB field
		{in: "NIB 9120001234567", wantErr: CodeNIBNotDigits},
		{in: "912000l234567", wantErr: CodeNIBNotDigits},
	} {
		t.Run(c.in, func(t *testing.T) {
			n, err := ParseNIB(c.in)
			if checkOutcome(t, nil, err, c.wantErr, nil, "nib.") && n.String() != c.want {
				t.Errorf("got %q, want %q", n, c.want)
			}
		})
	}
	_, err := ParseNIB("912000123456")
	if p := checkProblem(t, err, "nib."); p.Text.ID != "NIB harus 13 angka; yang diisi 12 angka." || p.Text.EN != "The NIB must be 13 digits; 12 digits were entered." {
		t.Errorf("message %+v", p.Text)
	}
}

func FuzzParseNIB(f *testing.F) {
	for _, s := range []string{"9120001234567", "9120 0012 3456 7", "912000123456", "NIB 9120001234567", "", "912000l234567"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNIB(s)
		if err != nil {
			checkProblem(t, err, "nib.")
			return
		}
		if len(n) != 13 || !allDigits(string(n)) {
			t.Fatalf("accepted %q as %q", s, n)
		}
		if again, err := ParseNIB(n.String()); err != nil || again != n {
			t.Fatalf("not idempotent: %q %v", again, err)
		}
	})
}

package idn

import (
	"strings"
	"testing"
)

func TestParsePhone(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    Phone
		wantErr string
	}{
		{in: "081234567890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "81234567890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "6281234567890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "+6281234567890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "+62 812-3456-7890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "0812.3456.7890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "(+62) 812 3456 7890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: " 0812 – 3456 – 7890 ", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "+62 (0)812 3456 7890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "62081234567890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "0062 812 3456 7890", want: Phone{E164: "+6281234567890", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "0065 9123 4567", want: Phone{E164: "+6591234567", CountryCode: 65, Region: "SG", Mobile: true}},
		{in: "(0341) 551234", want: Phone{E164: "+62341551234", CountryCode: 62, Region: "ID"}},
		{in: "0856-4567-8901", want: Phone{E164: "+6285645678901", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "0811 3311 234", want: Phone{E164: "+628113311234", CountryCode: 62, Region: "ID", Mobile: true}},
		{in: "(031) 5678901", want: Phone{E164: "+62315678901", CountryCode: 62, Region: "ID"}},
		{in: "031/5678901", want: Phone{E164: "+62315678901", CountryCode: 62, Region: "ID"}},
		{in: "62315678901", want: Phone{E164: "+62315678901", CountryCode: 62, Region: "ID"}},
		{in: "+62 21 5551234", want: Phone{E164: "+62215551234", CountryCode: 62, Region: "ID"}},
		{in: "+65 9123 4567", want: Phone{E164: "+6591234567", CountryCode: 65, Region: "SG", Mobile: true}},
		{in: "+1 (202) 555-0143", want: Phone{E164: "+12025550143", CountryCode: 1, Region: "US", Mobile: true}},
		{in: "+60 12-345 6789", want: Phone{E164: "+60123456789", CountryCode: 60, Region: "MY", Mobile: true}},

		{in: "", wantErr: CodePhoneEmpty},
		{in: " - ", wantErr: CodePhoneEmpty},
		{in: "+", wantErr: CodePhoneEmpty},
		{in: "08123", wantErr: CodePhoneTooShort},
		{in: "0812345678901234", wantErr: CodePhoneTooLong},
		{in: strings.Repeat("8", 100), wantErr: CodePhoneTooLong},
		{in: "0812-ABC-7890", wantErr: CodePhoneNotDigits},
		{in: "0812 3456 7890 ext 12", wantErr: CodePhoneNotDigits},
		{in: "++6281234567890", wantErr: CodePhoneNotDigits},
		{in: "0812+34567890", wantErr: CodePhoneNotDigits},
		{in: "0812#3456", wantErr: CodePhoneNotDigits},
		{in: "+62 811", wantErr: CodePhoneTooShort},
		{in: "1", wantErr: CodePhoneTooShort},
		{in: "+65 123", wantErr: CodePhoneTooShort},
		{in: "+1 202 555 01", wantErr: CodePhoneTooShort},
		{in: "+65 9123 4567 8901 23", wantErr: CodePhoneTooLong},
		{in: "+1 999 555 0143", wantErr: CodePhoneInvalid},
		{in: "00", wantErr: CodePhoneTooShort},
		{in: "0000000000", wantErr: CodePhoneInvalid},
		{in: "+999 1234567", wantErr: CodePhoneInvalid},
	} {
		t.Run(c.in, func(t *testing.T) {
			p, err := ParsePhone(c.in)
			if checkOutcome(t, nil, err, c.wantErr, nil, "phone.") && p != c.want {
				t.Errorf("got %+v, want %+v", p, c.want)
			}
		})
	}
}

func TestPhoneMessages(t *testing.T) {
	_, err := ParsePhone("08123")
	if p := checkProblem(t, err, "phone."); p.Text.ID != "Nomor telepon terlalu pendek (5 angka). Nomor HP Indonesia biasanya 10–13 angka, misalnya 0812-3456-7890." ||
		p.Text.EN != "The phone number is too short (5 digits). An Indonesian mobile number usually has 10–13 digits, e.g. 0812-3456-7890." {
		t.Errorf("too short: %+v", p.Text)
	}
	_, err = ParsePhone("+65 123")
	if p := checkProblem(t, err, "phone."); strings.Contains(p.Text.ID, "Indonesia") {
		t.Errorf("a foreign number got the Indonesian hint: %q", p.Text.ID)
	}
	_, err = ParsePhone("0812-ABC-7890")
	if p := checkProblem(t, err, "phone."); p.Text.ID != `Nomor telepon hanya boleh berisi angka; ada "A".` {
		t.Errorf("letters: %q", p.Text.ID)
	}
}

func TestPhoneMethods(t *testing.T) {
	p, err := ParsePhone("0812-3456-7890")
	if err != nil {
		t.Fatal(err)
	}
	if p.WhatsApp() != "6281234567890" || p.String() != "+6281234567890" {
		t.Errorf("WhatsApp = %q, String = %q", p.WhatsApp(), p.String())
	}
	for _, c := range []struct{ in, want string }{
		{"0812-3456-7890", "+62 812-****-7890"},
		{"0811 3311 234", "+62 811-****-1234"},
		{"031 5678901", "+62 315-****-8901"},
		{"+65 9123 4567", "+65 912-****-4567"},
		{"+1 202 555 0143", "+1 202-****-0143"},
	} {
		p, err := ParsePhone(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		if got := p.Masked(); got != c.want {
			t.Errorf("Masked(%s) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := (Phone{E164: "+4930123", CountryCode: 49}).Masked(); got != "+49 ****23" {
		t.Errorf("short Masked = %q", got)
	}
	if got := (Phone{}).Masked(); got != "" {
		t.Errorf("zero Masked = %q", got)
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{
		"081234567890", "81234567890", "6281234567890", "+62 812-3456-7890", "(031) 5678901", "62315678901", "0062 812 3456 7890",
		"+65 9123 4567", "+1 (202) 555-0143", "08123", "0812-ABC-7890", "++62", "0000000000", "", "+",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			checkProblem(t, err, "phone.")
			return
		}
		if !strings.HasPrefix(p.E164, "+") || !allDigits(p.E164[1:]) || len(p.E164) > 16 || p.CountryCode == 0 {
			t.Fatalf("accepted %q as %+v", s, p)
		}
		if p.WhatsApp() != p.E164[1:] {
			t.Fatalf("WhatsApp = %q", p.WhatsApp())
		}
		if m := p.Masked(); !strings.Contains(m, "****") || strings.Contains(m, p.E164[1:]) {
			t.Fatalf("Masked = %q", m)
		}
		if again, err := ParsePhone(p.E164); err != nil || again != p {
			t.Fatalf("E.164 %q does not parse back: %+v %v", p.E164, again, err)
		}
	})
}

package stock

import (
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/apperr"
)

func TestSMEBarcodesAreKeptOnlyWhenTheyAreValidEAN13(t *testing.T) {
	for _, c := range []struct {
		in, want, code string
	}{
		{"8991234567891", "8991234567891", ""},
		{"8991234567892", "", CodeBarcodeCheck},
		{"8992761111199", "8992761111199", ""}, // check digit 9
		{"899 2761 11119 9", "8992761111199", ""},
		{"4006381333931", "4006381333931", ""},
		{"4006381333932", "", CodeBarcodeCheck},
		{"400638133393", "", CodeBarcodeFormat},
		{"40063813339311", "", CodeBarcodeFormat},
		{"ABC6381333931", "", CodeBarcodeFormat},
		{"2000000000015", "", CodeBarcodeInStore},
	} {
		got, err := CheckSMEBarcode(c.in)
		if c.code == "" {
			if err != nil || got != c.want {
				t.Errorf("%q: got (%q, %v), want %q", c.in, got, err, c.want)
			}
			continue
		}
		e, ok := apperr.As(err)
		if !ok || e.Code != c.code {
			t.Errorf("%q: got (%q, %v), want code %s", c.in, got, err, c.code)
		}
	}
}

func TestInStoreCodesCarryACorrectCheckDigit(t *testing.T) {
	seen := map[string]bool{}
	for n := int64(1); n <= 2000; n++ {
		c := InStoreEAN(n)
		if len(c) != 13 || c[:2] != "20" || EANCheckDigit(c[:12]) != c[12] || seen[c] {
			t.Fatalf("InStoreEAN(%d) = %s", n, c)
		}
		seen[c] = true
	}
	if InStoreEAN(1) != "2000000000015" {
		t.Errorf("InStoreEAN(1) = %s", InStoreEAN(1))
	}
}

func TestSearchWordsArePlainWordsWhateverIsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"Keripik  TEMPE":          "keripik tempe",
		"kéripik":                 "keripik",
		`"kopi" OR NOT teh*`:      "kopi or not teh",
		"'; DROP TABLE items; --": "drop table items",
		"🍵 teh🍵":                  "teh",
		"a & b | c:* (d)":         "a b c d",
		"":                        "",
		"GAL-2026-00001":          "gal 2026 00001",
		"kopi kopi kopi kopi kopi kopi kopi kopi kopi kopi": "kopi kopi kopi kopi kopi kopi kopi kopi",
	} {
		got := strings.Join(SearchWords(in), " ")
		if got != want {
			t.Errorf("SearchWords(%q) = %q, want %q", in, got, want)
		}
	}
	if w := SearchWords(strings.Repeat("x", 1000)); len(w) != 1 || len(w[0]) != maxWordLen {
		t.Errorf("a 1,000-letter word: %v", w)
	}
}

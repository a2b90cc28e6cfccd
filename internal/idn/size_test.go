package idn

import (
	"math"
	"testing"
)

func TestClassifyBusiness(t *testing.T) {
	const m = 1_000_000_000
	for _, c := range []struct {
		name           string
		capital, sales int64
		want           BusinessSize
	}{
		{"nothing known", 0, 0, Mikro},
		{"negative figures", -5, -5, Mikro},
		{"home kitchen", 25_000_000, 0, Mikro},
		{"capital at the micro limit", 1 * m, 0, Mikro},
		{"capital just above micro", 1*m + 1, 0, Kecil},
		{"capital at the small limit", 5 * m, 0, Kecil},
		{"capital just above small", 5*m + 1, 0, Menengah},
		{"capital at the medium limit", 10 * m, 0, Menengah},
		{"capital just above medium", 10*m + 1, 0, Besar},
		{"huge capital", math.MaxInt64, 0, Besar},
		{"sales of a warung", 0, 180_000_000, Mikro},
		{"sales at the micro limit", 0, 2 * m, Mikro},
		{"sales just above micro", 0, 2*m + 1, Kecil},
		{"sales at the small limit", 0, 15 * m, Kecil},
		{"sales just above small", 0, 15*m + 1, Menengah},
		{"sales at the medium limit", 0, 50 * m, Menengah},
		{"sales just above medium", 0, 50*m + 1, Besar},
		{"sales decide over capital (small sales)", 20 * m, 1 * m, Mikro},
		{"sales decide over capital (large sales)", 100_000_000, 60 * m, Besar},
		{"negative sales fall back to capital", 3 * m, -1, Kecil},
	} {
		if got := ClassifyBusiness(c.capital, c.sales); got != c.want {
			t.Errorf("%s: ClassifyBusiness(%d, %d) = %v, want %v", c.name, c.capital, c.sales, got, c.want)
		}
	}
}

func TestBusinessSizeText(t *testing.T) {
	for _, c := range []struct {
		b          BusinessSize
		code, id   string
		en         string
		parsesBack bool
	}{
		{Mikro, "mikro", "Usaha Mikro", "Micro business", true},
		{Kecil, "kecil", "Usaha Kecil", "Small business", true},
		{Menengah, "menengah", "Usaha Menengah", "Medium business", true},
		{Besar, "besar", "Usaha Besar", "Large business", true},
		{0, "", "Belum digolongkan", "Not classified", false},
		{9, "", "Belum digolongkan", "Not classified", false},
	} {
		if c.b.String() != c.code || c.b.Label().ID != c.id || c.b.Label().EN != c.en {
			t.Errorf("%d: %q %+v", c.b, c.b.String(), c.b.Label())
		}
		if got, ok := ParseBusinessSize(c.code); ok != c.parsesBack || (ok && got != c.b) {
			t.Errorf("ParseBusinessSize(%q) = %v, %v", c.code, got, ok)
		}
	}
	if !(Mikro < Kecil && Kecil < Menengah && Menengah < Besar) {
		t.Error("sizes do not order")
	}
}

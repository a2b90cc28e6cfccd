package idn

import (
	"math"
	"strings"
	"testing"
)

func TestFormatRupiah(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{0, "Rp 0"},
		{1, "Rp 1"},
		{999, "Rp 999"},
		{1000, "Rp 1.000"},
		{15000, "Rp 15.000"},
		{250000, "Rp 250.000"},
		{1500000, "Rp 1.500.000"},
		{1_000_000_000, "Rp 1.000.000.000"},
		{-2500, "-Rp 2.500"},
		{-1, "-Rp 1"},
		{math.MaxInt64, "Rp 9.223.372.036.854.775.807"},
		{math.MinInt64, "-Rp 9.223.372.036.854.775.808"},
	} {
		if got := FormatRupiah(c.in); got != c.want {
			t.Errorf("FormatRupiah(%d) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseRupiah(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    int64
		wantErr string
	}{
		{in: "Rp 1.500.000", want: 1500000},
		{in: "Rp1.500.000", want: 1500000},
		{in: "Rp. 1.500.000", want: 1500000},
		{in: "rp 1.500.000", want: 1500000},
		{in: "RP\u00a01.500.000", want: 1500000},
		{in: "IDR 1500000", want: 1500000},
		{in: "1500000", want: 1500000},
		{in: "1.500.000", want: 1500000},
		{in: "1.500.000,00", want: 1500000},
		{in: "Rp 1.500.000,-", want: 1500000},
		{in: "Rp 15.000,0", want: 15000},
		{in: " 0 ", want: 0},
		{in: "Rp 0", want: 0},
		{in: "999", want: 999},
		{in: "1.000", want: 1000},
		{in: "007", want: 7},
		{in: "9.223.372.036.854.775.807", want: math.MaxInt64},

		{in: "", wantErr: CodeRupiahEmpty},
		{in: "   ", wantErr: CodeRupiahEmpty},
		{in: "Rp", wantErr: CodeRupiahNotNumber},
		{in: "Rp ,00", wantErr: CodeRupiahNotNumber},
		{in: "1,5 juta", wantErr: CodeRupiahNotNumber},
		{in: "15rb", wantErr: CodeRupiahNotNumber},
		{in: "lima ribu", wantErr: CodeRupiahNotNumber},
		{in: "$100", wantErr: CodeRupiahNotNumber},
		{in: "1 500 000", wantErr: CodeRupiahNotNumber},
		{in: "-2.500", wantErr: CodeRupiahNegative},
		{in: "Rp -2.500", wantErr: CodeRupiahNegative},
		{in: "-Rp 2.500", wantErr: CodeRupiahNegative},
		{in: "\u22122500", wantErr: CodeRupiahNegative},
		{in: "1.500.000,50", wantErr: CodeRupiahDecimal},
		{in: "1500,5", wantErr: CodeRupiahDecimal},
		{in: "1,500,000", wantErr: CodeRupiahGrouping},
		{in: "1,500", wantErr: CodeRupiahGrouping},
		{in: "1.50", wantErr: CodeRupiahGrouping},
		{in: "1.5000", wantErr: CodeRupiahGrouping},
		{in: "1500.000", wantErr: CodeRupiahGrouping},
		{in: ".500", wantErr: CodeRupiahGrouping},
		{in: "1.500.", wantErr: CodeRupiahGrouping},
		{in: "1..500", wantErr: CodeRupiahGrouping},
		{in: "1.500,0000", wantErr: CodeRupiahGrouping},
		{in: "15-000", wantErr: CodeRupiahGrouping},
		{in: "9.223.372.036.854.775.808", wantErr: CodeRupiahOverflow},
		{in: "99999999999999999999", wantErr: CodeRupiahOverflow},
	} {
		t.Run(c.in, func(t *testing.T) {
			n, err := ParseRupiah(c.in)
			if checkOutcome(t, nil, err, c.wantErr, nil, "rupiah.") && n != c.want {
				t.Errorf("got %d, want %d", n, c.want)
			}
		})
	}
}

func TestTerbilang(t *testing.T) {
	for _, c := range []struct {
		in   int64
		want string
	}{
		{0, "nol"},
		{1, "satu"},
		{7, "tujuh"},
		{10, "sepuluh"},
		{11, "sebelas"},
		{12, "dua belas"},
		{15, "lima belas"},
		{19, "sembilan belas"},
		{20, "dua puluh"},
		{21, "dua puluh satu"},
		{99, "sembilan puluh sembilan"},
		{100, "seratus"},
		{101, "seratus satu"},
		{110, "seratus sepuluh"},
		{111, "seratus sebelas"},
		{115, "seratus lima belas"},
		{200, "dua ratus"},
		{999, "sembilan ratus sembilan puluh sembilan"},
		{1000, "seribu"},
		{1001, "seribu satu"},
		{1100, "seribu seratus"},
		{1500, "seribu lima ratus"},
		{2001, "dua ribu satu"},
		{10_000, "sepuluh ribu"},
		{11_000, "sebelas ribu"},
		{15_000, "lima belas ribu"},
		{100_000, "seratus ribu"},
		{101_000, "seratus satu ribu"},
		{111_111, "seratus sebelas ribu seratus sebelas"},
		{250_000, "dua ratus lima puluh ribu"},
		{1_000_000, "satu juta"},
		{1_001_000, "satu juta seribu"},
		{1_500_000, "satu juta lima ratus ribu"},
		{2_750_500, "dua juta tujuh ratus lima puluh ribu lima ratus"},
		{10_000_000, "sepuluh juta"},
		{100_000_000, "seratus juta"},
		{1_000_000_000, "satu miliar"},
		{1_000_000_001, "satu miliar satu"},
		{1_000_000_000_000, "satu triliun"},
		{2_500_000_000_000, "dua triliun lima ratus miliar"},
		{1_000_000_000_000_000, "seribu triliun"},
		{-1, "minus satu"},
		{-2500, "minus dua ribu lima ratus"},
		{math.MaxInt64, "sembilan juta dua ratus dua puluh tiga ribu tiga ratus tujuh puluh dua triliun " +
			"tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus tujuh puluh lima ribu delapan ratus tujuh"},
		{math.MinInt64, "minus sembilan juta dua ratus dua puluh tiga ribu tiga ratus tujuh puluh dua triliun " +
			"tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus tujuh puluh lima ribu delapan ratus delapan"},
	} {
		if got := Terbilang(c.in); got != c.want {
			t.Errorf("Terbilang(%d) = %q, want %q", c.in, got, c.want)
		}
		if got := wordsToNumber(t, Terbilang(c.in)); c.in != math.MinInt64 && got != c.in {
			t.Errorf("words of %d read back as %d", c.in, got)
		}
	}
	if got := TerbilangRupiah(1_500_000); got != "satu juta lima ratus ribu rupiah" {
		t.Errorf("TerbilangRupiah = %q", got)
	}
	if got := TerbilangRupiah(0); got != "nol rupiah" {
		t.Errorf("TerbilangRupiah(0) = %q", got)
	}
}

// wordsToNumber reads Terbilang's output back, to check it in the fuzz test
// independently of how Terbilang builds it.
func wordsToNumber(t testing.TB, s string) int64 {
	t.Helper()
	words := strings.Fields(s)
	neg := len(words) > 0 && words[0] == "minus"
	if neg {
		words = words[1:]
	}
	var read func([]string) int64
	read = func(ws []string) int64 {
		// triliun may be preceded by a number that itself has juta and ribu.
		for i := len(ws) - 1; i >= 0; i-- {
			if ws[i] == "triliun" {
				return read(ws[:i])*1_000_000_000_000 + read(ws[i+1:])
			}
		}
		unit := map[string]int64{"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
			"enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "nol": 0}
		var total, group, last int64
		for _, w := range ws {
			switch w {
			case "sepuluh":
				group += 10
			case "sebelas":
				group += 11
			case "seratus":
				group += 100
			case "seribu":
				total += 1000
			case "belas": // "lima belas": the 5 is already counted
				group += 10
			case "puluh": // "dua puluh": 2 counted, 18 more
				group += last*10 - last
			case "ratus":
				group += last*100 - last
			case "ribu":
				total += group * 1000
				group = 0
			case "juta":
				total += group * 1_000_000
				group = 0
			case "miliar":
				total += group * 1_000_000_000
				group = 0
			default:
				v, ok := unit[w]
				if !ok {
					t.Fatalf("unknown word %q in %q", w, s)
				}
				group += v
				last = v
			}
		}
		return total + group
	}
	n := read(words)
	if neg {
		return -n
	}
	return n
}

func FuzzParseRupiah(f *testing.F) {
	for _, s := range []string{
		"Rp 1.500.000", "Rp1.500.000", "Rp. 15.000,-", "1500000", "1.500.000,00", "1.500.000,50", "1,500,000",
		"-2.500", "1.50", "9.223.372.036.854.775.808", "Rp", "", "15rb", "1..500",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseRupiah(s)
		if err != nil {
			checkProblem(t, err, "rupiah.")
			return
		}
		if n < 0 {
			t.Fatalf("accepted %q as negative %d", s, n)
		}
		f := FormatRupiah(n)
		if back, err := ParseRupiah(f); err != nil || back != n {
			t.Fatalf("%d formats as %q, which parses as %d, %v", n, f, back, err)
		}
		if w := Terbilang(n); w == "" || wordsToNumber(t, w) != n {
			t.Fatalf("Terbilang(%d) = %q", n, w)
		}
	})
}

func FuzzFormatRupiah(f *testing.F) {
	for _, n := range []int64{0, 1, 11, 100, 1000, 1001, 111_111, 1_500_000, -2500, math.MaxInt64, math.MinInt64} {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		s := FormatRupiah(n)
		back, err := ParseRupiah(s)
		switch {
		case n >= 0 && (err != nil || back != n):
			t.Fatalf("%d formats as %q, which parses as %d, %v", n, s, back, err)
		case n < 0:
			if p := checkProblem(t, err, "rupiah."); p.Code != CodeRupiahNegative {
				t.Fatalf("%q refused with %s", s, p.Code)
			}
		}
		w := Terbilang(n)
		if w == "" || strings.Contains(w, "  ") || strings.HasPrefix(w, "minus") != (n < 0) {
			t.Fatalf("Terbilang(%d) = %q", n, w)
		}
		for _, bad := range []string{"satu ratus", "satu ribu", "satu puluh", "satu belas", "sejuta", "nol "} {
			if strings.Contains(" "+w+" ", " "+bad+" ") {
				t.Fatalf("Terbilang(%d) = %q contains %q", n, w, bad)
			}
		}
		if n != math.MinInt64 && wordsToNumber(t, w) != n {
			t.Fatalf("Terbilang(%d) = %q reads back as %d", n, w, wordsToNumber(t, w))
		}
	})
}

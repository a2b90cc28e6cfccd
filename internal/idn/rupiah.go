package idn

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Problem codes for Rupiah amounts.
const (
	CodeRupiahEmpty     = "rupiah.empty"
	CodeRupiahNotNumber = "rupiah.not_number"
	CodeRupiahNegative  = "rupiah.negative"
	CodeRupiahGrouping  = "rupiah.grouping"
	CodeRupiahDecimal   = "rupiah.decimal"
	CodeRupiahOverflow  = "rupiah.overflow"
)

// FormatRupiah writes an amount the Indonesian way: "Rp 1.500.000", "Rp 0",
// and "-Rp 2.500" for a negative amount (a refund or a correction).
func FormatRupiah(n int64) string {
	s := groupThousands(magnitude(n))
	if n < 0 {
		return "-Rp " + s
	}
	return "Rp " + s
}

// magnitude is |n| as uint64, which also holds |math.MinInt64|.
func magnitude(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// groupThousands writes u with a dot between groups of three digits.
func groupThousands(u uint64) string {
	s := strconv.FormatUint(u, 10)
	var b strings.Builder
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ParseRupiah reads a whole, non-negative Rupiah amount as people type it:
// "Rp 1.500.000", "Rp1.500.000", "Rp. 1.500.000", "IDR 1500000", "1.500.000",
// "1500000". The endings ",00" and ",-" of receipts are accepted; any other
// decimal part is refused, because Rupiah has no smaller unit in use. Dots
// must group thousands exactly, so "1.50" (an English decimal) is refused
// rather than misread as one hundred and fifty.
func ParseRupiah(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, newProblem(CodeRupiahEmpty, "Jumlah rupiah belum diisi.", "The amount is empty.")
	}
	if isMinus(t) {
		return 0, negativeRupiah()
	}
	for _, p := range []string{"RP.", "RP", "IDR"} {
		if len(t) >= len(p) && strings.EqualFold(t[:len(p)], p) {
			t = strings.TrimLeftFunc(t[len(p):], unicode.IsSpace)
			break
		}
	}
	if isMinus(t) {
		return 0, negativeRupiah()
	}

	body, tail, hasTail := strings.Cut(t, ",")
	for _, r := range body + tail {
		if (r < '0' || r > '9') && r != '.' && r != ',' && r != '-' {
			c := charName(r)
			return 0, newProblem(CodeRupiahNotNumber,
				"Jumlah rupiah hanya boleh berisi angka, misalnya 1.500.000; ada %[1]s.",
				"The amount may contain digits only, e.g. 1.500.000; it has %[2]s.", c.ID, c.EN)
		}
	}
	if hasTail {
		switch {
		case tail == "-", tail == "0", tail == "00":
		case len(tail) == 3 && allDigits(tail), strings.Contains(tail, ","):
			return 0, badGrouping()
		case allDigits(tail) && len(tail) <= 2:
			return 0, newProblem(CodeRupiahDecimal,
				"Jumlah rupiah harus bulat, tanpa sen; \",%s\" di belakang tidak dapat diterima.",
				"Rupiah amounts are whole, with no cents; the \",%s\" at the end cannot be accepted.", tail)
		default:
			return 0, badGrouping()
		}
	}
	if body == "" {
		return 0, newProblem(CodeRupiahNotNumber,
			"Jumlah rupiah belum diisi angkanya.", "The amount has no digits.")
	}
	if strings.Contains(body, ".") && !groupedByThousands(body) {
		return 0, badGrouping()
	}
	var n int64
	for _, c := range []byte(body) {
		switch {
		case c == '.':
			continue
		case c < '0' || c > '9': // a stray '-' in the middle
			return 0, badGrouping()
		}
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, newProblem(CodeRupiahOverflow,
				"Jumlah rupiah ini terlalu besar untuk dicatat.",
				"This amount is too large to record.")
		}
		n = n*10 + d
	}
	return n, nil
}

func isMinus(s string) bool {
	return strings.HasPrefix(s, "-") || strings.HasPrefix(s, "\u2212") || strings.HasPrefix(s, "\u2013")
}

func negativeRupiah() *Problem {
	return newProblem(CodeRupiahNegative,
		"Jumlah rupiah tidak boleh negatif.", "The amount cannot be negative.")
}

func badGrouping() *Problem {
	return newProblem(CodeRupiahGrouping,
		"Tulis jumlah rupiah dengan titik sebagai pemisah ribuan, misalnya 1.500.000, atau tanpa pemisah: 1500000.",
		"Write the amount with dots between thousands, e.g. 1.500.000, or with no separator: 1500000.")
}

// groupedByThousands reports whether s is 1–3 digits followed by groups of a
// dot and exactly three digits.
func groupedByThousands(s string) bool {
	groups := strings.Split(s, ".")
	if n := len(groups[0]); n < 1 || n > 3 || !allDigits(groups[0]) {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	_, bad := firstNonDigit(s)
	return s != "" && !bad
}

// Terbilang writes n in Indonesian words, as on receipts and kuitansi:
// 1500000 is "satu juta lima ratus ribu", 1000 "seribu", 100 "seratus",
// 11 "sebelas". The formal style writes "satu juta" and "satu miliar", never
// "sejuta". Beyond triliun the word for the higher group repeats
// ("seribu triliun"), so every int64 has a reading.
func Terbilang(n int64) string {
	if n == 0 {
		return "nol"
	}
	w := terbilang(magnitude(n))
	if n < 0 {
		return "minus " + w
	}
	return w
}

// TerbilangRupiah is Terbilang followed by "rupiah", as written on receipts.
func TerbilangRupiah(n int64) string { return Terbilang(n) + " rupiah" }

// scales are the group words from the largest down, with their values.
var scales = []struct {
	value uint64
	word  string
}{
	{1_000_000_000_000, "triliun"},
	{1_000_000_000, "miliar"},
	{1_000_000, "juta"},
	{1_000, "ribu"},
}

// terbilang writes u > 0 in words.
func terbilang(u uint64) string {
	var parts []string
	for _, s := range scales {
		q := u / s.value
		if q == 0 {
			continue
		}
		u %= s.value
		switch {
		case q == 1 && s.word == "ribu":
			parts = append(parts, "seribu") // but "satu juta", "satu miliar"
		case s.word == "triliun":
			parts = append(parts, terbilang(q), s.word) // q may itself exceed 999
		default:
			parts = append(parts, below1000(q), s.word)
		}
	}
	if u > 0 {
		parts = append(parts, below1000(u))
	}
	return strings.Join(parts, " ")
}

var units = [...]string{"", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"}

// below1000 writes 1 ≤ u ≤ 999 in words.
func below1000(u uint64) string {
	var parts []string
	switch h := u / 100; {
	case h == 1:
		parts = append(parts, "seratus")
	case h > 1:
		parts = append(parts, units[h], "ratus")
	}
	switch r := u % 100; {
	case r == 0:
	case r < 10:
		parts = append(parts, units[r])
	case r == 10:
		parts = append(parts, "sepuluh")
	case r == 11:
		parts = append(parts, "sebelas")
	case r < 20:
		parts = append(parts, units[r-10], "belas")
	default:
		parts = append(parts, units[r/10], "puluh")
		if r%10 != 0 {
			parts = append(parts, units[r%10])
		}
	}
	return strings.Join(parts, " ")
}

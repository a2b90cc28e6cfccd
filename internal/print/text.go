package print

import (
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/workday"
)

var (
	monthNames = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni",
		"Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	dayNames = [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
)

// Tanggal writes the date of t in WIB the Indonesian way: "28 November 2026".
// The zero time is "-".
func Tanggal(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(workday.WIB)
	return fmt.Sprintf("%d %s %d", t.Day(), monthNames[t.Month()-1], t.Year())
}

// HariTanggal is Tanggal with the day of the week: "Rabu, 2 Desember 2026".
func HariTanggal(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return dayNames[t.In(workday.WIB).Weekday()] + ", " + Tanggal(t)
}

// TanggalJam is the date and time in WIB: "28 November 2026, pukul 10.15 WIB"
// (Indonesian writes the time with a dot).
func TanggalJam(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	w := t.In(workday.WIB)
	return fmt.Sprintf("%s, pukul %02d.%02d WIB", Tanggal(t), w.Hour(), w.Minute())
}

// TanggalAngka is the date in WIB as dd-mm-yyyy: "01-03-2027".
func TanggalAngka(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(workday.WIB).Format("02-01-2006")
}

// rupiah is "Rp 25.000"; 0 means "not given" and prints as "-".
func rupiah(n int64) string {
	if n == 0 {
		return "-"
	}
	return idn.FormatRupiah(n)
}

// orDash is s, or "-" when s is blank, so an empty field reads as empty on
// purpose rather than as forgotten.
func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

// glyphs is the set of runes the embedded font can draw. Bold and regular Go
// fonts cover the same characters.
var glyphs = sync.OnceValue(func() func(rune) bool {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		panic("print: embedded font: " + err.Error())
	}
	var mu sync.Mutex
	var buf sfnt.Buffer
	cache := map[rune]bool{}
	return func(r rune) bool {
		mu.Lock()
		defer mu.Unlock()
		ok, seen := cache[r]
		if !seen {
			i, err := f.GlyphIndex(&buf, r)
			ok = err == nil && i != 0
			cache[r] = ok
		}
		return ok
	}
})

// clean makes s safe to draw: line breaks become "\n" (or spaces when
// multiline is false), tabs and other controls become spaces, and characters
// the font cannot draw are dropped (emoji, joiners, variation selectors) or,
// when they are letters or digits, shown as "?" so a clerk sees something was
// there. fpdf also indexes its width table by rune up to U+FFFF only, so
// anything above must go before it reaches fpdf.
func clean(s string, multiline bool) string {
	has := glyphs()
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if multiline {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		case unicode.IsSpace(r) || unicode.IsControl(r):
			b.WriteByte(' ')
		case r <= 0xFFFF && has(r):
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteByte('?')
		}
	}
	// Collapse the runs of spaces that dropped characters leave behind.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

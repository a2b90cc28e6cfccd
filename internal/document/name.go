package document

import (
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes is how long a display name may be; longer names are shortened,
// keeping the extension.
const MaxNameRunes = 120

// checkName refuses a client file name holding a path separator, "..", or a
// control or invisible formatting character (NUL, newline, the right-to-left
// override that makes "gpj.exe" look like "exe.jpg"...). Such a name is never used
// as a path here — storage names are generated — but no honest browser sends one,
// so it is refused with a clear message rather than silently changed. An empty
// name is accepted (shown as "dokumen").
func checkName(name string) error {
	if strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") {
		return errName
	}
	for _, r := range name {
		if hiddenRune(r) {
			return errName
		}
	}
	return nil
}

// hiddenRune reports whether r is a control character (Cc: NUL, newline, DEL...)
// or an invisible formatting character (Cf: bidirectional overrides, zero-width
// characters, the byte-order mark).
func hiddenRune(r rune) bool {
	return unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)
}

// SafeName turns a client's file name into one fit for display and for a
// Content-Disposition header: directories stripped (both / and \), control and
// invisible formatting characters and invalid UTF-8 removed, ".." runs reduced to
// one dot, leading dots and surrounding spaces trimmed, at most MaxNameRunes runes
// (the extension kept when shortening). An empty result becomes "dokumen". It does
// not HTML-escape: templates do that.
func SafeName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if hiddenRune(r) {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, name)
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	name = strings.TrimLeft(strings.TrimSpace(name), ". ")
	name = strings.TrimRight(name, ". ") // Windows drops trailing dots and spaces anyway
	if utf8.RuneCountInString(name) > MaxNameRunes {
		ext := filepath.Ext(name)
		if n := utf8.RuneCountInString(ext); n == 0 || n > 16 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		stem = stem[:MaxNameRunes-utf8.RuneCountInString(ext)]
		name = strings.TrimRight(string(stem), ". ") + ext
	}
	if name == "" {
		return "dokumen"
	}
	return name
}

// Package i18n holds what Etalase says to people, in Bahasa Indonesia first and
// English second: the page catalogues, language choice, and Text, the two-language
// string that pure rule packages (idn, sop, workday) use for their messages so the
// words stay beside the rule they explain.
package i18n

// Lang is a language the user interface speaks.
type Lang string

const (
	ID Lang = "id" // Bahasa Indonesia, the default
	EN Lang = "en" // English
)

// Langs lists the supported languages, default first.
var Langs = []Lang{ID, EN}

// Parse returns the language named by s, or ID when s names none we speak.
func Parse(s string) Lang {
	if len(s) >= 2 && (s[:2] == "en" || s[:2] == "EN") {
		return EN
	}
	return ID
}

// Text is one message in both languages.
type Text struct {
	ID string // Bahasa Indonesia
	EN string // English
}

// In returns the message in l, falling back to Bahasa Indonesia.
func (t Text) In(l Lang) string {
	if l == EN && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// String returns the Indonesian text, so a Text prints sensibly in logs.
func (t Text) String() string { return t.ID }

package db

import (
	"strings"
	"unicode"
)

// What a full-text search reads of the text typed into a search box: at most
// this many words of at most this many letters.
const (
	maxSearchTerms = 8
	maxTermRunes   = 32
)

// SearchTerms splits what was typed into the words a full-text index holds:
// runs of letters and digits, lower-cased ("GAL-2026-00001" is gal, 2026,
// 00001, as the indexes split the number). Everything else — quotes,
// operators, punctuation, emoji — only separates words, so no typed character
// ever reaches the engines' query syntax. Words repeated count once.
func SearchTerms(q string) []string {
	var terms []string
	seen := map[string]bool{}
	for w := range strings.FieldsFuncSeq(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	}) {
		if r := []rune(w); len(r) > maxTermRunes {
			w = string(r[:maxTermRunes]) // still a prefix of the word typed
		}
		if seen[w] {
			continue
		}
		seen[w] = true
		if terms = append(terms, w); len(terms) == maxSearchTerms {
			break
		}
	}
	return terms
}

// MatchQuery is the engine's full-text query for terms (SQLite FTS5 MATCH,
// PostgreSQL to_tsquery('simple', …)): every term must begin a word of the
// document. Each term is quoted as a literal (it holds only letters, digits
// and marks, so the quote cannot be closed early), which also keeps it one
// phrase should the engine's tokenizer split it further.
func MatchQuery(e Engine, terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		if e == Postgres {
			parts[i] = "'" + t + "':*"
		} else {
			parts[i] = `"` + t + `"*`
		}
	}
	if e == Postgres {
		return strings.Join(parts, " & ")
	}
	return strings.Join(parts, " ")
}

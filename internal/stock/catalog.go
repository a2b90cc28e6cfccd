package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/etalase-id/etalase/internal/db"
)

// The public catalogue: what is on display (displayed, with stock), searched
// by words with the engine's full-text index and filtered on the items'
// own indexed columns, a page at a time after the last item shown.

// CatalogItem is an item as the public sees it.
type CatalogItem struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	Business    string `json:"business"`
	Price       int64  `json:"price"`
	Category    string `json:"category,omitempty"`
	RegencyCode string `json:"regency_code,omitempty"`
	Description string `json:"description,omitempty"`
	NetContent  string `json:"net_content,omitempty"`
	Halal       bool   `json:"halal"`
	PIRT        bool   `json:"pirt"`
	BPOM        bool   `json:"bpom"`
	PhotoID     int64  `json:"photo_id,omitempty"` // the product photo (a document), for the thumbnails
}

// CatalogQuery is what a visitor asks: words, filters, and the id the
// previous page ended at.
type CatalogQuery struct {
	Words       string
	Category    string
	RegencyCode string
	MinPrice    int64
	MaxPrice    int64 // 0: no upper bound
	Before      int64
	Limit       int
}

// maxWords and maxWordLen bound what a search sends to the index, whatever
// was typed: 1,000 characters of anything become at most 8 plain words.
const (
	maxWords   = 8
	maxWordLen = 40
)

// plainWord reports whether w is letters and digits only, as SearchWords
// makes every word (and so safe inside a quoted SQL literal).
func plainWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return w != ""
}

// SearchWords splits what a visitor typed into plain words: letters and
// digits only (quotes, operators, SQL, punctuation and emoji are separators),
// lower case, accents removed, at most maxWords words.
func SearchWords(s string) []string {
	if len(s) > 2000 {
		s = s[:2000]
	}
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 && len(words) < maxWords {
			w := b.String()
			if len(w) > maxWordLen {
				w = w[:maxWordLen]
				for !utf8.ValidString(w) { // not half a letter
					w = w[:len(w)-1]
				}
			}
			words = append(words, w)
		}
		b.Reset()
	}
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent: dropped, so "kopí" is "kopi"
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		case r >= 128 && unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return words
}

// The photo is looked up through documents_business (business_id, kind).
const catalogColumns = `i.id, p.name, b.name, i.price, i.category, i.regency_code, p.description, p.net_content, p.halal <> '', p.pirt <> '', p.bpom <> '',
	COALESCE((SELECT MAX(d.id) FROM documents d WHERE d.business_id = i.business_id AND d.kind = 'foto_produk' AND d.product_id = p.id
		AND d.status IN ('pending', 'accepted')), 0)`

// Catalog returns a page of what is on display, newest first.
func (s *Service) Catalog(ctx context.Context, q CatalogQuery) ([]CatalogItem, error) {
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 24
	}
	filters := " WHERE i.status = 'displayed' AND i.on_hand > 0"
	var fargs []any
	if q.Category != "" {
		filters += " AND i.category = ?"
		fargs = append(fargs, q.Category)
	}
	if q.RegencyCode != "" {
		filters += " AND i.regency_code = ?"
		fargs = append(fargs, q.RegencyCode)
	}
	if q.MinPrice > 0 {
		filters += " AND i.price >= ?"
		fargs = append(fargs, q.MinPrice)
	}
	if q.MaxPrice > 0 {
		filters += " AND i.price <= ?"
		fargs = append(fargs, q.MaxPrice)
	}
	words := SearchWords(q.Words)
	if len(words) > 0 && s.DB.Engine == db.Postgres {
		terms := make([]string, len(words))
		for i, w := range words {
			if !plainWord(w) {
				return nil, fmt.Errorf("search word %q is not plain", w)
			}
			terms[i] = w + prefix(i, len(words), ":*")
		}
		// The tsquery is written into the statement, not bound: the words
		// are letters and digits only, so the text is a plain literal, and
		// the same search is then the same statement, which the driver
		// prepares once per connection and PostgreSQL plans once. Bound as
		// a parameter it was planned on every search (three quarters of a
		// millisecond, more than it took to run).
		return s.catalogTS(ctx, " AND i.search @@ to_tsquery('simple', '"+strings.Join(terms, " & ")+"')", filters, fargs, q.Before, q.Limit)
	}
	if len(words) > 0 && s.DB.Engine != db.Postgres {
		terms := make([]string, len(words))
		for i, w := range words {
			terms[i] = `"` + w + `"` + prefix(i, len(words), "*")
		}
		return s.catalogFTS(ctx, strings.Join(terms, " "), filters, fargs, q.Before, q.Limit)
	}
	return s.catalogPage(ctx, filters, fargs, q.Before, q.Limit)
}

// prefix is the mark that makes the last word a prefix ("kerip" finds
// "keripik" as it is typed): the words before it are whole words, which the
// index answers from one list each instead of merging every word they begin.
func prefix(i, n int, mark string) string {
	if i == n-1 {
		return mark
	}
	return ""
}

// catalogPage is one page of the items the filters select, before the id given.
func (s *Service) catalogPage(ctx context.Context, filters string, args []any, before int64, limit int) ([]CatalogItem, error) {
	if before > 0 {
		filters += " AND i.id < ?"
		args = append(slices.Clone(args), before)
	}
	return s.catalogRows(ctx, "SELECT "+catalogColumns+itemFrom+filters+fmt.Sprintf(" ORDER BY i.id DESC LIMIT %d", limit), args)
}

func (s *Service) catalogRows(ctx context.Context, q string, args []any) ([]CatalogItem, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CatalogItem
	for rows.Next() {
		c, err := scanCatalog(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ftsWindow is how many matches, newest first, the SQLite search reads at a time.
var ftsWindow = 500

// catalogFTS searches on SQLite a window of matches at a time, newest first
// (FTS5 walks its matches in rowid order, so the newest 500 cost little
// however many there are), keeping those on display that pass the filters,
// until the page is full. A search whose matches are mostly hidden by the
// filters stops walking after 20 windows and asks the whole query instead.
func (s *Service) catalogFTS(ctx context.Context, match, filters string, fargs []any, before int64, limit int) ([]CatalogItem, error) {
	var out []CatalogItem
	for round := 0; round < 20; round++ {
		q := "SELECT rowid FROM items_fts WHERE items_fts MATCH ?"
		args := []any{match}
		if before > 0 {
			q += " AND rowid < ?"
			args = append(args, before)
		}
		rows, err := s.DB.Q(ctx).QueryContext(ctx, q+fmt.Sprintf(" ORDER BY rowid DESC LIMIT %d", ftsWindow), args...)
		if err != nil {
			return nil, err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return out, nil
		}
		in := " AND i.id IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
		got, err := s.catalogRows(ctx, "SELECT "+catalogColumns+itemFrom+filters+in+fmt.Sprintf(" ORDER BY i.id DESC LIMIT %d", limit-len(out)),
			append(slices.Clone(fargs), ids...))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
		if len(out) >= limit || len(ids) < ftsWindow {
			return out, nil
		}
		before = ids[len(ids)-1].(int64)
	}
	rest, err := s.catalogPage(ctx, filters+" AND i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)", append(slices.Clone(fargs), match), before, limit-len(out))
	return append(out, rest...), err
}

// catalogTS searches on PostgreSQL in two steps. First among the newest
// ftsWindow items on display that pass the filters: a common word fills the
// page there, reading the listed items' index backwards, as the planner
// would on its own. When it does not, the whole query again, with the order
// on i.id + 0 so that it cannot walk that index: the planner, which takes a
// prefix it has no statistics for as common, would otherwise read every
// listed item for a word that matches few or none (a tenth of a second at
// 20,000 items, seconds at a million); now the GIN index finds the matches,
// few by then, and they are sorted.
func (s *Service) catalogTS(ctx context.Context, match, filters string, fargs []any, before int64, limit int) ([]CatalogItem, error) {
	args := slices.Clone(fargs)
	// The window is a subquery with its own LIMIT, which the planner cannot
	// merge into the rest: the newest items are read first, the words
	// matched on them after, whatever the planner guesses of the words.
	window := "SELECT i.id, i.search, i.product_id, i.business_id, i.price, i.category, i.regency_code FROM items i" + filters
	if before > 0 {
		window += " AND i.id < ?"
		args = append(args, before)
	}
	window += fmt.Sprintf(" ORDER BY i.id DESC LIMIT %d", ftsWindow)
	// The window carries the item's columns the page shows, and takes the
	// items' alias, so the page needs no second look at the item.
	got, err := s.catalogRows(ctx, "SELECT "+catalogColumns+" FROM ("+window+") i JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id WHERE "+
		strings.TrimPrefix(match, " AND ")+fmt.Sprintf(" ORDER BY i.id DESC LIMIT %d", limit), args)
	if err != nil || len(got) >= limit {
		return got, err
	}
	q := "SELECT " + catalogColumns + itemFrom + filters + match
	if before > 0 {
		q += " AND i.id < ?"
	}
	return s.catalogRows(ctx, q+fmt.Sprintf(" ORDER BY i.id + 0 DESC LIMIT %d", limit), args)
}

func scanCatalog(r interface{ Scan(...any) error }) (CatalogItem, error) {
	var c CatalogItem
	err := r.Scan(&c.ID, &c.Name, &c.Business, &c.Price, &c.Category, &c.RegencyCode, &c.Description, &c.NetContent, &c.Halal, &c.PIRT, &c.BPOM, &c.PhotoID)
	return c, err
}

// CatalogEntry returns one item on display; an item not on display is not found.
func (s *Service) CatalogEntry(ctx context.Context, id int64) (CatalogItem, error) {
	c, err := scanCatalog(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+catalogColumns+itemFrom+" WHERE i.id = ? AND i.status = 'displayed' AND i.on_hand > 0", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errNotFound
	}
	return c, err
}

// PublicPhoto reports whether a document is the photo of a product on
// display (and so may be shown to anyone), with its storage key.
func (s *Service) PublicPhoto(ctx context.Context, docID int64) (key, contentType string, err error) {
	err = s.DB.Q(ctx).QueryRowContext(ctx, `SELECT d.storage_key, d.content_type FROM documents d JOIN items i ON i.product_id = d.product_id
		WHERE d.id = ? AND d.kind = 'foto_produk' AND d.status IN ('pending', 'accepted') AND i.status = 'displayed' AND i.on_hand > 0`, docID).Scan(&key, &contentType)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", errNotFound
	}
	return key, contentType, err
}

// Thumbnail returns the stored thumbnail of a photo at width, if made.
func (s *Service) Thumbnail(ctx context.Context, docID int64, width int) ([]byte, bool, error) {
	var data []byte
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT data FROM catalog_images WHERE document_id = ? AND width = ?", docID, width).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return data, err == nil, err
}

// SaveThumbnail keeps a thumbnail made once (a second maker's copy is dropped).
func (s *Service) SaveThumbnail(ctx context.Context, docID int64, width int, data []byte) error {
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO catalog_images (document_id, width, content_type, data, created_at) VALUES (?, ?, 'image/jpeg', ?, ?)
			ON CONFLICT (document_id, width) DO NOTHING`, docID, width, data, tx.Now)
		return err
	})
}

// Suggest corrects a search that found nothing: each word of four letters or
// more that the catalogue's index does not hold becomes the nearest word it
// does hold that begins with the same letter, one edit away (two for a word of
// eight letters or more; an edit is a letter wrong, missing, extra, or two
// swapped), the more common first. The last word, still being typed, counts as
// known when a held word begins with it. It returns the corrected words, or ""
// when there is nothing to correct or nothing near enough. The words are read
// from the index's own vocabulary (fts5vocab on SQLite, catalog_words on
// PostgreSQL), one range of it per word, so it costs the same at any size of
// catalogue.
func (s *Service) Suggest(ctx context.Context, typed string) (string, error) {
	words := SearchWords(typed)
	changed := false
	for i, w := range words {
		rs := []rune(w)
		if len(rs) < 4 {
			continue
		}
		lo := string(rs[0])
		hi := string(rs[0] + 1)
		q := "SELECT term, doc FROM items_fts_vocab WHERE term >= ? AND term < ? LIMIT 50000"
		if s.DB.Engine == db.Postgres {
			q = "SELECT word, 0 FROM catalog_words WHERE word >= ? AND word < ? LIMIT 50000"
		}
		rows, err := s.DB.Q(ctx).QueryContext(ctx, q, lo, hi)
		if err != nil {
			return "", err
		}
		limit := 1
		if len(rs) >= 8 {
			limit = 2
		}
		best, bestDist, bestDocs, known := "", limit+1, int64(-1), false
		for rows.Next() {
			var term string
			var docs int64
			if err := rows.Scan(&term, &docs); err != nil {
				rows.Close()
				return "", err
			}
			if term == w || (i == len(words)-1 && strings.HasPrefix(term, w)) {
				known = true
				break
			}
			d := editDistance(rs, []rune(term), limit)
			if d <= limit && (d < bestDist || (d == bestDist && docs > bestDocs)) {
				best, bestDist, bestDocs = term, d, docs
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
		if !known && best != "" {
			words[i], changed = best, true
		}
	}
	if !changed {
		return "", nil
	}
	return strings.Join(words, " "), nil
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of two neighbours), or
// limit+1 as soon as it is sure to exceed limit.
func editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"

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
	sqlq := "SELECT " + catalogColumns + itemFrom + " WHERE i.status = 'displayed' AND i.on_hand > 0"
	var args []any
	if words := SearchWords(q.Words); len(words) > 0 {
		if s.DB.Engine == db.Postgres {
			terms := make([]string, len(words))
			for i, w := range words {
				terms[i] = w + ":*"
			}
			sqlq += " AND i.search @@ to_tsquery('simple', ?)"
			args = append(args, strings.Join(terms, " & "))
		} else {
			terms := make([]string, len(words))
			for i, w := range words {
				terms[i] = `"` + w + `"*`
			}
			sqlq += " AND i.id IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)"
			args = append(args, strings.Join(terms, " "))
		}
	}
	if q.Category != "" {
		sqlq += " AND i.category = ?"
		args = append(args, q.Category)
	}
	if q.RegencyCode != "" {
		sqlq += " AND i.regency_code = ?"
		args = append(args, q.RegencyCode)
	}
	if q.MinPrice > 0 {
		sqlq += " AND i.price >= ?"
		args = append(args, q.MinPrice)
	}
	if q.MaxPrice > 0 {
		sqlq += " AND i.price <= ?"
		args = append(args, q.MaxPrice)
	}
	if q.Before > 0 {
		sqlq += " AND i.id < ?"
		args = append(args, q.Before)
	}
	if q.Limit <= 0 || q.Limit > 100 {
		q.Limit = 24
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, sqlq+fmt.Sprintf(" ORDER BY i.id DESC LIMIT %d", q.Limit), args...)
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

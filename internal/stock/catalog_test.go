package stock_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/stock"
)

// Paging through a search gives every item on display that matches, once,
// newest first, however the matches fall into the windows the SQLite search
// reads and whatever the filters hide.
func TestCatalogueSearchPagesThroughEveryMatchOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		if err := perf.SeedStock(ctx, d, perf.StockSize{SMEs: 20, Items: 300, Movements: 300}, nil); err != nil {
			t.Fatal(err)
		}
		w.exec("UPDATE items SET status = 'paused' WHERE id % 4 = 0")
		all := func(q stock.CatalogQuery, window, limit int) []int64 {
			defer stock.SetFTSWindow(window)()
			var ids []int64
			q.Limit = limit
			for page := 0; page < 1000; page++ {
				items, err := w.s.Catalog(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range items {
					ids = append(ids, it.ID)
				}
				if len(items) < q.Limit {
					break
				}
				q.Before = items[len(items)-1].ID
			}
			return ids
		}
		for _, q := range []stock.CatalogQuery{{Words: "keripik"}, {Words: "produk", Category: "Makanan"}, {Words: "tempe", MinPrice: 30000}, {Words: "produk", MaxPrice: 40000}} {
			want := all(q, 1_000_000, 100) // one window holds every match
			got := all(q, 7, 10)
			if len(want) == 0 {
				t.Errorf("%+v matches nothing: the test tests nothing", q)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%+v: pages give %d items %v..., want %d %v...", q, len(got), head(got), len(want), head(want))
			}
		}
	})
}

func head(x []int64) []int64 { return x[:min(len(x), 8)] }

// Indonesian typed without its accents finds the accented name, and the
// accented spelling finds the plain one; whatever else is typed (a long word
// of letters outside ASCII, operators, quotes) gives an answer, not an error.
func TestCatalogueSearchIgnoresAccents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		if err := perf.SeedStock(ctx, d, perf.StockSize{SMEs: 2, Items: 4, Movements: 4}, nil); err != nil {
			t.Fatal(err)
		}
		var first, second int64
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM items WHERE status = 'displayed' AND on_hand > 0").Scan(&first, &second); err != nil {
			t.Fatal(err)
		}
		w.exec("UPDATE products SET name = 'Kopí Arabika Ijen' WHERE id = (SELECT product_id FROM items WHERE id = ?)", first)
		w.exec("UPDATE products SET name = 'Géthuk Lindri Magelang' WHERE id = (SELECT product_id FROM items WHERE id = ?)", second)
		for q, want := range map[string]int64{"kopi ijen": first, "KOPÍ IJEN": first, "gethuk": second, "lindrí magelang": second} {
			items, err := w.s.Catalog(ctx, stock.CatalogQuery{Words: q})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if len(items) != 1 || items[0].ID != want {
				t.Errorf("%q finds %+v, want item %d alone", q, items, want)
			}
		}
		for _, q := range []string{"a" + strings.Repeat("ø", 30), strings.Repeat("ж", 50) + " kopi", `kopi' OR '1'='1`, `kopi\`, "kopi:* | !sambal"} {
			if _, err := w.s.Catalog(ctx, stock.CatalogQuery{Words: q}); err != nil {
				t.Errorf("%q: %v", q, err)
			}
		}
	})
}

func TestSearchWordsAreWholeLetters(t *testing.T) {
	for _, s := range []string{"a" + strings.Repeat("ø", 30), strings.Repeat("é", 60), strings.Repeat("ж", 50)} {
		for _, w := range stock.SearchWords(s) {
			if !utf8.ValidString(w) {
				t.Errorf("%q gives the broken word %q", s, w)
			}
		}
	}
}

// A search that finds nothing because of a typing slip is corrected to the
// words the catalogue holds; words it holds, and slips too far from any, stay.
func TestCatalogueSuggestsForATypo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		if err := perf.SeedStock(ctx, d, perf.StockSize{SMEs: 2, Items: 4, Movements: 4}, nil); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT MIN(id) FROM items WHERE status = 'displayed' AND on_hand > 0").Scan(&id); err != nil {
			t.Fatal(err)
		}
		// A word the seeded names do not have, given after the items were made.
		w.exec("UPDATE products SET name = 'Géthuk Lindri Magelang' WHERE id = (SELECT product_id FROM items WHERE id = ?)", id)
		for typed, want := range map[string]string{
			"gethuk lindri":     "",                  // found as typed
			"getuk lindri":      "gethuk lindri",     // a letter missing
			"gethkul":           "",                  // two edits from a six-letter word: too far
			"gehtuk lindri mag": "gethuk lindri mag", // swapped; the last word a prefix
			"magelamg":          "magelang",          // a letter wrong
			"gethuk zzqx":       "",                  // too far from anything
			"xx":                "",                  // too short to correct
			"Géthúk Lndri":      "gethuk lindri",     // accents and a slip
		} {
			got, err := w.s.Suggest(ctx, typed)
			if err != nil {
				t.Fatalf("%q: %v", typed, err)
			}
			if got != want {
				t.Errorf("%q: suggested %q, want %q", typed, got, want)
			}
			if got != "" {
				items, err := w.s.Catalog(ctx, stock.CatalogQuery{Words: got})
				if err != nil || len(items) != 1 || items[0].ID != id {
					t.Errorf("%q finds %v (%v), want item %d", got, items, err, id)
				}
			}
		}
	})
}

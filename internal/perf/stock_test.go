package perf_test

import (
	"context"
	"testing"

	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/stock"
)

// The bench data set is a gallery the services read, and its ledger adds up.
func TestSeedStockWritesALedgerThatAddsUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := apptest.New(t, d)
		if err := perf.SeedStock(ctx, d, perf.StockSize{SMEs: 30, Items: 250, Movements: 1200}, nil); err != nil {
			t.Fatal(err)
		}
		var bad, n int
		if err := d.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM stock_balances b WHERE b.qty <> (SELECT SUM(qty) FROM stock_movements m WHERE m.lot_id = b.lot_id AND m.location_id = b.location_id)
			OR b.qty <> (SELECT on_hand FROM items i WHERE i.id = b.item_id) OR b.qty < 0`).Scan(&bad); err != nil || bad != 0 {
			t.Fatalf("%d balances do not add up (%v)", bad, err)
		}
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM stock_movements").Scan(&n)
		if n != 1200 {
			t.Errorf("%d movements", n)
		}
		page, err := a.Stock.Catalog(ctx, stock.CatalogQuery{Words: "keripik", Limit: 10})
		if err != nil || len(page) == 0 {
			t.Fatalf("the catalogue finds %d (%v)", len(page), err)
		}
		// The services go on from the data set: a new item gets the next in-store code.
		var code string
		_ = d.Q(ctx).QueryRowContext(ctx, "SELECT MAX(barcode) FROM items").Scan(&code)
		if code != stock.InStoreEAN(250) {
			t.Errorf("last code %s", code)
		}
	})
}

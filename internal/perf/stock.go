package perf

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/stock"
)

// StockSize is how large a gallery SeedStock writes.
type StockSize struct {
	SMEs      int // businesses, each with an application on display
	Items     int // gallery items (one product each), spread over the SMEs
	Movements int // ledger movements: one receipt per item, the rest sales of one unit
}

// Progress is told, after each batch, which table is being written and how
// many of its rows are done.
type Progress func(table string, done, total int)

// SeedStock writes a displayed gallery in bulk — SMEs, their products passed
// and made items with in-store EAN-13 codes, one lot each in the gallery,
// received and then partly sold — with balances and totals that add up to
// the movements, as the ledger keeps them. It is a data set for benchmarks,
// written with multi-row inserts in large transactions, not through the
// services.
func SeedStock(ctx context.Context, d *db.DB, sz StockSize, progress Progress) error {
	if sz.SMEs < 1 || sz.Items < sz.SMEs || sz.Movements < sz.Items {
		return fmt.Errorf("perf: want 1 ≤ SMEs ≤ items ≤ movements, got %d, %d, %d", sz.SMEs, sz.Items, sz.Movements)
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	now := d.Clock(ctx).UTC()
	var base int64
	for _, table := range []string{"users", "businesses", "products", "applications", "items", "stock_lots", "stock_documents", "stock_movements"} {
		var m int64
		if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&m); err != nil {
			return err
		}
		base = max(base, m)
	}
	base++
	var gallery int64
	if err := d.Q(ctx).QueryRowContext(ctx, "SELECT id FROM stock_locations WHERE code = ?", stock.GalleryCode).Scan(&gallery); err != nil {
		return err
	}
	var eanBase int64
	if err := d.Q(ctx).QueryRowContext(ctx, "SELECT COALESCE(MAX(value), 0) FROM counters WHERE name = 'item.ean_store'").Scan(&eanBase); err != nil {
		return err
	}
	regencies := idn.RegenciesOf(idn.EastJava)
	// Sales per item: the movements beyond the receipts, spread evenly.
	extra := sz.Movements - sz.Items
	sales := func(j int) int { return extra/sz.Items + b2i(j < extra%sz.Items) }
	received := func(j int) int { return sales(j) + 5 + j%20 }

	const batch = 400
	insert := func(table, cols string, rows int, row func(i int) []any) error {
		ncol := strings.Count(cols, ",") + 1
		marks := "(" + strings.TrimSuffix(strings.Repeat("?, ", ncol), ", ") + ")"
		per := max(1, batch*8/ncol) // PostgreSQL takes at most 65,535 parameters
		for lo := 0; lo < rows; lo += per * 20 {
			err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				for start := lo; start < min(rows, lo+per*20); start += per {
					end := min(rows, start+per, lo+per*20)
					args := make([]any, 0, (end-start)*ncol)
					for i := start; i < end; i++ {
						args = append(args, row(i)...)
					}
					q := "INSERT INTO " + table + " (" + cols + ") VALUES " + strings.TrimSuffix(strings.Repeat(marks+", ", end-start), ", ")
					if _, err := tx.ExecContext(ctx, q, args...); err != nil {
						return fmt.Errorf("%s: %w", table, err)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			progress(table, min(rows, lo+per*20), rows)
		}
		return nil
	}
	id := func(i int) int64 { return base + int64(i) }
	smeName := func(i int) string {
		return fmt.Sprintf("%s %s %s %d", products[i%len(products)], flavours[(i/len(products))%len(flavours)], strings.Fields(owners[i%len(owners)])[0], i)
	}
	itemName := func(j int) string {
		return fmt.Sprintf("%s %s %d g", products[(j/7)%len(products)], flavours[(j/3)%len(flavours)], 100+50*(j%8))
	}
	created := now.AddDate(0, -3, 0)
	if err := insert("users", "id, email, phone, name, role, password_hash, must_change_password, active, lang, created_at, updated_at", sz.SMEs, func(i int) []any {
		return []any{id(i), fmt.Sprintf("bench%07d@contoh.id", id(i)), fmt.Sprintf("+62812%08d", id(i)), owners[(i*7)%len(owners)], "pemohon", "!", true, true, "id", created, created}
	}); err != nil {
		return err
	}
	if err := insert("businesses", "id, owner_id, name, owner_name, nib, address, province_code, regency_code, whatsapp, email, category, size, created_at, updated_at", sz.SMEs, func(i int) []any {
		return []any{id(i), id(i), smeName(i), owners[(i*7)%len(owners)], fmt.Sprintf("92%011d", i), fmt.Sprintf("Jl. Merdeka No. %d", 1+i%300), idn.EastJava,
			regencies[(i*13)%len(regencies)].Code, fmt.Sprintf("+62812%08d", id(i)), fmt.Sprintf("bench%07d@contoh.id", id(i)), categories[i%len(categories)], "mikro", created, created}
	}); err != nil {
		return err
	}
	year := now.Year()
	if err := insert("applications", "id, number, business_id, state, state_since, source, created_by, created_at, updated_at", sz.SMEs, func(i int) []any {
		return []any{id(i), fmt.Sprintf("BENCH-%d-%07d", year, id(i)), id(i), "on_display", created, "online", id(i), created, created}
	}); err != nil {
		return err
	}
	sme := func(j int) int { return j % sz.SMEs }
	if err := insert("products", "id, business_id, name, category, description, net_content, packaging, price, pirt, halal, created_at, updated_at", sz.Items, func(j int) []any {
		var halal string
		if j%3 == 0 {
			halal = "ID35110000123450724"
		}
		return []any{id(j), id(sme(j)), itemName(j), categories[j%len(categories)], "Produk UMKM " + flavours[j%len(flavours)] + " dari Jawa Timur", "250 g", "Standing pouch",
			int64(15000 + 500*(j%100)), "P-IRT No. 2063573000001-29", halal, created, created}
	}); err != nil {
		return err
	}
	if err := insert("application_products", "application_id, product_id", sz.Items, func(j int) []any { return []any{id(sme(j)), id(j)} }); err != nil {
		return err
	}
	if err := insert("product_decisions", "application_id, product_id, decision, decided_at", sz.Items, func(j int) []any {
		return []any{id(sme(j)), id(j), "passed", created}
	}); err != nil {
		return err
	}
	if err := insert("items", "id, product_id, application_id, business_id, sku, barcode, barcode_source, price, sme_price, location_id, status, low_stock, on_hand, category, regency_code, created_at, updated_at", sz.Items, func(j int) []any {
		price := int64(20000 + 500*(j%200))
		return []any{id(j), id(j), id(sme(j)), id(sme(j)), fmt.Sprintf("B%09d", id(j)), stock.InStoreEAN(eanBase + int64(j) + 1), "store", price, price * 8 / 10, gallery,
			"displayed", 3, received(j) - sales(j), categories[j%len(categories)], regencies[(sme(j)*13)%len(regencies)].Code, created, created}
	}); err != nil {
		return err
	}
	if err := insert("stock_lots", "id, item_id, code, expires_on, created_at", sz.Items, func(j int) []any {
		return []any{id(j), id(j), fmt.Sprintf("L%d", j%97), now.AddDate(0, 0, 10+j%300).Format("2006-01-02"), created}
	}); err != nil {
		return err
	}
	// Documents: a handover per 100 items, a sales document per 1,000 sales.
	receipts := (sz.Items + 99) / 100
	saleDocs := (extra + 999) / 1000
	if err := insert("stock_documents", "id, kind, number, created_at", receipts+saleDocs, func(k int) []any {
		if k < receipts {
			return []any{id(k), "receipt", fmt.Sprintf("BENCH-BAST-%d", id(k)), created}
		}
		return []any{id(k), "sale", fmt.Sprintf("BENCH-PJL-%d", id(k)), now}
	}); err != nil {
		return err
	}
	// Movements: item j's receipt, then its sales; the m-th sale overall goes
	// to item m % items, so sales(j) adds up.
	saleAt := func(m int) time.Time { return created.Add(time.Duration(m%(80*24)) * time.Hour) }
	if err := insert("stock_movements", "id, document_id, line, kind, item_id, lot_id, location_id, qty, unit_price, reason, at", sz.Movements, func(i int) []any {
		if i < sz.Items {
			return []any{id(i), id(i / 100), i%100 + 1, "received", id(i), id(i), gallery, received(i), nil, "", created}
		}
		m := i - sz.Items
		j := m % sz.Items
		return []any{id(i), id(receipts + m/1000), m%1000 + 1, "sold", id(j), id(j), gallery, -1, int64(20000 + 500*(j%200)), "", saleAt(m)}
	}); err != nil {
		return err
	}
	if err := insert("stock_balances", "lot_id, location_id, item_id, qty, updated_at", sz.Items, func(j int) []any {
		return []any{id(j), gallery, id(j), received(j) - sales(j), now}
	}); err != nil {
		return err
	}
	return d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		for name, v := range map[string]int64{"item.ean_store": eanBase + int64(sz.Items), "item.sku": id(sz.Items)} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, v); err != nil {
				return err
			}
		}
		if tx.Engine() != db.Postgres {
			_, err := tx.ExecContext(ctx, "ANALYZE")
			return err
		}
		for _, table := range []string{"users", "businesses", "products", "applications", "items", "stock_lots", "stock_documents", "stock_movements"} {
			if _, err := tx.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('"+table+"', 'id'), (SELECT MAX(id) FROM "+table+"))"); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, "ANALYZE")
		return err
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

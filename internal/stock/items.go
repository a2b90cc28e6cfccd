package stock

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/sop"
)

// Item statuses.
const (
	Displayed = "displayed"
	Paused    = "paused"
	Withdrawn = "withdrawn"
)

// Item is a gallery item (SKU).
type Item struct {
	ID            int64     `json:"id"`
	ProductID     int64     `json:"product_id"`
	ApplicationID int64     `json:"application_id"`
	BusinessID    int64     `json:"business_id"`
	SKU           string    `json:"sku"`
	Barcode       string    `json:"barcode"`
	BarcodeSource string    `json:"barcode_source"` // sme or store
	Name          string    `json:"name"`
	Business      string    `json:"business"`
	Category      string    `json:"category,omitempty"`
	RegencyCode   string    `json:"regency_code,omitempty"`
	Price         int64     `json:"price"`
	SMEPrice      int64     `json:"sme_price"`
	ShareBP       *int      `json:"share_bp,omitempty"` // nil: the SME's terms
	LocationID    int64     `json:"location_id"`
	Shelf         string    `json:"shelf,omitempty"`
	Status        string    `json:"status"`
	LowStock      int       `json:"low_stock"`
	OnHand        int64     `json:"on_hand"`
	CreatedAt     time.Time `json:"created_at"`
}

// PriceText is the price as the tag prints it: "Rp 25.000".
func (i Item) PriceText() string { return idn.FormatRupiah(i.Price) }

const itemColumns = `i.id, i.product_id, i.application_id, i.business_id, i.sku, i.barcode, i.barcode_source, p.name, b.name, i.category, i.regency_code,
	i.price, i.sme_price, i.share_bp, i.location_id, i.shelf, i.status, i.low_stock, i.on_hand, i.created_at`

const itemFrom = ` FROM items i JOIN products p ON p.id = i.product_id JOIN businesses b ON b.id = i.business_id`

func scanItem(r interface{ Scan(...any) error }) (Item, error) {
	var i Item
	var share sql.NullInt64
	err := r.Scan(&i.ID, &i.ProductID, &i.ApplicationID, &i.BusinessID, &i.SKU, &i.Barcode, &i.BarcodeSource, &i.Name, &i.Business, &i.Category, &i.RegencyCode,
		&i.Price, &i.SMEPrice, &share, &i.LocationID, &i.Shelf, &i.Status, &i.LowStock, &i.OnHand, &i.CreatedAt)
	if share.Valid {
		v := int(share.Int64)
		i.ShareBP = &v
	}
	return i, err
}

// Item returns one item.
func (s *Service) Item(ctx context.Context, id int64) (Item, error) {
	i, err := scanItem(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+itemColumns+itemFrom+" WHERE i.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return i, errNotFound
	}
	return i, err
}

// ItemByBarcode returns the item with this barcode.
func (s *Service) ItemByBarcode(ctx context.Context, code string) (Item, error) {
	i, err := scanItem(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+itemColumns+itemFrom+" WHERE i.barcode = ?", code))
	if errors.Is(err, sql.ErrNoRows) {
		return i, errNotFound
	}
	return i, err
}

// ItemFilter selects items; After is the last id of the previous page.
type ItemFilter struct {
	BusinessID    int64
	ApplicationID int64
	Status        string
	After         int64
	Limit         int
}

// Items lists items by id, a page at a time.
func (s *Service) Items(ctx context.Context, f ItemFilter) ([]Item, error) {
	q := "SELECT " + itemColumns + itemFrom + " WHERE i.id > ?"
	args := []any{f.After}
	if f.BusinessID != 0 {
		q += " AND i.business_id = ?"
		args = append(args, f.BusinessID)
	}
	if f.ApplicationID != 0 {
		q += " AND i.application_id = ?"
		args = append(args, f.ApplicationID)
	}
	if f.Status != "" {
		q += " AND i.status = ?"
		args = append(args, f.Status)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q += fmt.Sprintf(" ORDER BY i.id LIMIT %d", f.Limit)
	rows, err := s.DB.Q(ctx).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Item
	for rows.Next() {
		i, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// Passed is a product that passed curation, with its item once there is one.
type Passed struct {
	ApplicationID int64  `json:"application_id"`
	Application   string `json:"application"`
	ProductID     int64  `json:"product_id"`
	Product       string `json:"product"`
	BusinessID    int64  `json:"business_id"`
	Business      string `json:"business"`
	Price         int64  `json:"price"` // the SME's price on the form
	ItemID        int64  `json:"item_id,omitempty"`
}

// PassedWithoutItem lists the products that passed and are not yet items,
// oldest application first: the clerk's work for step 9.
func (s *Service) PassedWithoutItem(ctx context.Context, limit int) ([]Passed, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, fmt.Sprintf(`SELECT a.id, a.number, p.id, p.name, b.id, b.name, COALESCE(p.price, 0)
		FROM product_decisions d JOIN applications a ON a.id = d.application_id JOIN products p ON p.id = d.product_id JOIN businesses b ON b.id = a.business_id
		WHERE d.decision = 'passed' AND a.state <> 'withdrawn' AND NOT EXISTS (SELECT 1 FROM items i WHERE i.product_id = p.id)
		ORDER BY a.id, p.id LIMIT %d`, limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Passed
	for rows.Next() {
		var p Passed
		if err := rows.Scan(&p.ApplicationID, &p.Application, &p.ProductID, &p.Product, &p.BusinessID, &p.Business, &p.Price); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ItemInput is a new item as the clerk's form gives it.
type ItemInput struct {
	ApplicationID int64
	ProductID     int64
	Price         string // the gallery's selling price
	SMEPrice      string // what the SME asks; empty: the price on the form
	Share         string // the gallery's share for this item, percent; empty: the SME's terms
	LocationID    int64  // 0: the gallery
	Shelf         string
	Barcode       string // the SME's own EAN-13; empty: an in-store code
	LowStock      string
}

var errNotPassed = apperr.New(apperr.Conflict, "item.not_passed", "Produk ini tidak lolos kurasi pada permohonan ini, jadi tidak dapat dipajang.",
	"This product did not pass curation in this application, so it cannot be displayed.")
var errItemExists = apperr.New(apperr.Conflict, "item.exists", "Produk ini sudah menjadi barang galeri.", "This product is already a gallery item.")
var errBarcodeTaken = apperr.InvalidField("item.barcode_taken", "barcode", apperrText("Barcode ini sudah dipakai barang lain di galeri.", "This barcode is already used by another item in the gallery."))

// CreateItem turns a passed product into a gallery item, with the SME's
// barcode when it is a valid EAN-13 or an in-store code otherwise.
func (s *Service) CreateItem(ctx context.Context, u account.User, in ItemInput) (Item, error) {
	if !ManagesStock(u) {
		return Item{}, errRole
	}
	var f apperr.Form
	price, ok := parseRupiah(in.Price)
	if !ok || price <= 0 {
		f.Addf("price", "Harga jual galeri dalam Rupiah, misalnya 25.000.", "The gallery's selling price in Rupiah, e.g. 25.000.")
	}
	var smePrice int64 = -1
	if strings.TrimSpace(in.SMEPrice) != "" {
		if smePrice, ok = parseRupiah(in.SMEPrice); !ok {
			f.Addf("sme_price", "Harga dari UMKM dalam Rupiah, misalnya 20.000.", "The SME's price in Rupiah, e.g. 20.000.")
		}
	}
	var share any
	if strings.TrimSpace(in.Share) != "" {
		bp, ok := ParseShare(in.Share)
		if !ok {
			f.Addf("share", "Bagian galeri: persen 0 sampai 100, misalnya 15 atau 12,5. Kosongkan untuk memakai perjanjian UMKM.", "The gallery's share: a percentage from 0 to 100, e.g. 15 or 12.5. Leave empty to use the SME's agreement.")
		}
		share = bp
	}
	low := 0
	if v := strings.TrimSpace(in.LowStock); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			f.Addf("low_stock", "Batas stok menipis: angka 0 atau lebih.", "Low-stock threshold: a number, 0 or more.")
		}
		low = n
	}
	barcode, source := "", "store"
	if strings.TrimSpace(in.Barcode) != "" {
		code, err := CheckSMEBarcode(in.Barcode)
		if e, ok := apperr.As(err); ok {
			f.Add("barcode", e.Text)
		}
		barcode, source = code, "sme"
	}
	shelf := strings.TrimSpace(in.Shelf)
	if len([]rune(shelf)) > 100 {
		f.Addf("shelf", "Rak: paling banyak 100 huruf.", "Shelf: at most 100 characters.")
	}
	if err := f.Err(); err != nil {
		return Item{}, err
	}
	var id int64
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var bizID int64
		var formPrice sql.NullInt64
		var state string
		err := tx.QueryRowContext(ctx, `SELECT a.business_id, p.price, a.state FROM product_decisions d JOIN applications a ON a.id = d.application_id
			JOIN products p ON p.id = d.product_id WHERE d.application_id = ? AND d.product_id = ? AND d.decision = 'passed'`, in.ApplicationID, in.ProductID).
			Scan(&bizID, &formPrice, &state)
		if errors.Is(err, sql.ErrNoRows) || state == string(sop.Withdrawn) {
			return errNotPassed
		}
		if err != nil {
			return err
		}
		if smePrice < 0 {
			smePrice = formPrice.Int64
		}
		loc := in.LocationID
		if loc == 0 {
			if err := tx.QueryRowContext(ctx, "SELECT id FROM stock_locations WHERE code = ?", GalleryCode).Scan(&loc); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM items WHERE product_id = ?", in.ProductID).Scan(&n); err != nil || n > 0 {
			if err == nil {
				err = errItemExists
			}
			return err
		}
		if barcode != "" {
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM items WHERE barcode = ?", barcode).Scan(&n); err != nil || n > 0 {
				if err == nil {
					err = errBarcodeTaken
				}
				return err
			}
		}
		skuN, err := next(ctx, tx, "item.sku")
		if err != nil {
			return err
		}
		if barcode == "" {
			n, err := next(ctx, tx, "item.ean_store")
			if err != nil {
				return err
			}
			barcode = InStoreEAN(n)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO items (product_id, application_id, business_id, sku, barcode, barcode_source, price, sme_price, share_bp,
			location_id, shelf, status, low_stock, category, regency_code, created_by, created_at, updated_at)
			SELECT p.id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'displayed', ?, p.category, b.regency_code, ?, ?, ?
			FROM products p JOIN businesses b ON b.id = p.business_id WHERE p.id = ? RETURNING id`,
			in.ApplicationID, bizID, fmt.Sprintf("GLR-%06d", skuN), barcode, source, price, smePrice, share, loc, shelf, low, nullID(u.ID), tx.Now, tx.Now, in.ProductID).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errBarcodeTaken
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, "item.create", "item", fmt.Sprint(id), fmt.Sprintf("Barang galeri %s dibuat, barcode %s, harga %s", fmt.Sprintf("GLR-%06d", skuN), barcode, idn.FormatRupiah(price)),
			nil, map[string]any{"product_id": in.ProductID, "barcode": barcode, "price": price, "sme_price": smePrice})
	})
	if err != nil {
		return Item{}, err
	}
	return s.Item(ctx, id)
}

// next is the next value of a counter that never resets.
func next(ctx context.Context, tx *db.Tx, name string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&n)
	return n, err
}

// SetStatus displays, pauses or withdraws an item.
func (s *Service) SetStatus(ctx context.Context, u account.User, id int64, status, reason string) error {
	if !ManagesStock(u) {
		return errRole
	}
	if status != Displayed && status != Paused && status != Withdrawn {
		return apperr.InvalidField("item.status", "status", apperrText("Pilih status: dipajang, dijeda, atau ditarik.", "Choose a status: displayed, paused or withdrawn."))
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var old string
		if err := tx.QueryRowContext(ctx, "SELECT status FROM items WHERE id = ?", id).Scan(&old); errors.Is(err, sql.ErrNoRows) {
			return errNotFound
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE items SET status = ?, updated_at = ? WHERE id = ?", status, tx.Now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "item.status", "item", fmt.Sprint(id), fmt.Sprintf("Status barang: %s → %s. %s", old, status, strings.TrimSpace(reason)),
			map[string]any{"status": old}, map[string]any{"status": status, "reason": strings.TrimSpace(reason)})
	})
}

// Provides says the stock capability knows which passed products are displayed with stock.
func (s *Service) Provides() []sop.Fact { return []sop.Fact{sop.FactStock} }

// FillFacts counts the passed products of the application that are not yet
// displayed with stock: no item, an item not displayed, or none on hand.
func (s *Service) FillFacts(ctx context.Context, a application.Application, f *sop.Facts) error {
	return s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM product_decisions d LEFT JOIN items i ON i.product_id = d.product_id
		WHERE d.application_id = ? AND d.decision = 'passed' AND (i.id IS NULL OR i.status <> 'displayed' OR i.on_hand <= 0)`, a.ID).Scan(&f.PassedNotStocked)
}

// displayIfStocked closes step 9 in the caller's transaction when every
// passed product of the application is displayed with stock. While the step
// is not available (no decisions fact source registered, as in a test that
// builds the stock alone) it does nothing: the stock stays received.
func (s *Service) displayIfStocked(ctx context.Context, tx *db.Tx, u account.User, appID int64) error {
	a, err := s.Applications.Get(ctx, appID)
	if err != nil || a.State != sop.AwaitingDisplay || !s.Applications.Supported(sop.Display) {
		return err
	}
	var f sop.Facts
	if err := s.FillFacts(ctx, a, &f); err != nil || f.PassedNotStocked > 0 {
		return err
	}
	// The applicant's notice "your products are on display", with the
	// catalogue's link, comes from the messages capability's hook on this
	// transition, in this transaction.
	_, err = s.Applications.Transition(ctx, tx, u, appID, sop.Display, "Semua produk yang lolos sudah dipajang dengan stok")
	return err
}

package stock_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/stock"
	"github.com/etalase-id/etalase/internal/workday"
)

type world struct {
	t     *testing.T
	ctx   context.Context
	d     *db.DB
	app   *app.App
	s     *stock.Service
	clock *time.Time
	owner account.User
	clerk account.User
	biz   applicant.Business
	appID int64
	prods []applicant.Product
}

// newWorld: Sri's application with two products that passed curation,
// awaiting display.
func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB)
	w := &world{t: t, ctx: ctx, d: d, clock: &now}
	d.Now = func() time.Time { return *w.clock }
	w.app = apptest.New(t, d)
	w.s = w.app.Stock
	mk := func(email string, r role.Role) account.User {
		u, err := w.app.Accounts.Create(ctx, account.NewUser{Name: strings.Split(email, "@")[0], Email: email, Role: r, Password: "batik tulis madura"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.owner, w.clerk = mk("sri@keripik.id", role.Pemohon), mk("siti@galeri.id", role.StafGaleri)
	var err error
	w.biz, _, err = w.app.Applicants.Save(ctx, w.owner, w.owner.ID, applicant.BusinessInput{
		Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003", NIB: "9120301234567",
		Address: "Jl. Sanan No. 12, Purwantoro, Blimbing", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202",
		Category: "Makanan", Size: "mikro", YearStarted: "2015",
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Keripik Tempe Original 250 g", "Keripik Tempe Pedas 250 g"} {
		p, _, err := w.app.Applicants.SaveProduct(ctx, w.owner, w.biz.ID, 0, applicant.ProductInput{
			Name: name, Category: "Makanan", Description: "Keripik tempe khas Sanan, Malang", Composition: "Tempe, minyak, tepung beras, bawang putih, garam",
			NetContent: "250 g", Packaging: "Standing pouch", ShelfLifeDays: "180", Price: "Rp 20.000", CapacityPerMonth: "800",
		})
		if err != nil {
			t.Fatal(err)
		}
		w.prods = append(w.prods, p)
	}
	a, err := w.app.Applications.CreateDraft(ctx, w.owner, w.biz.ID, []int64{w.prods[0].ID, w.prods[1].ID}, application.Online)
	if err != nil {
		t.Fatal(err)
	}
	w.appID = a.ID
	// Curation is another capability: its outcome is written as it would write it.
	w.exec("UPDATE applications SET state = 'awaiting_display', step = 9 WHERE id = ?", a.ID)
	for _, p := range w.prods {
		w.exec("INSERT INTO product_decisions (application_id, product_id, decision, decided_at) VALUES (?, ?, 'passed', ?)", a.ID, p.ID, now.UTC())
	}
	return w
}

func (w *world) exec(q string, args ...any) {
	w.t.Helper()
	if err := w.d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) item(i int, barcode string) stock.Item {
	w.t.Helper()
	it, err := w.s.CreateItem(w.ctx, w.clerk, stock.ItemInput{ApplicationID: w.appID, ProductID: w.prods[i].ID, Price: "Rp 25.000", Barcode: barcode, LowStock: "5"})
	if err != nil {
		w.t.Fatal(err)
	}
	return it
}

func (w *world) gallery() stock.Location {
	w.t.Helper()
	l, err := w.s.Gallery(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return l
}

// checkLedger asserts the ledger's invariants: every balance equals the sum
// of its movements and is not negative, and every item's on_hand equals the
// sum of its balances.
func (w *world) checkLedger() {
	w.t.Helper()
	var bad int
	q := `SELECT COUNT(*) FROM (
		SELECT m.lot_id, m.location_id, SUM(m.qty) AS s, COALESCE(MAX(b.qty), 0) AS b
		FROM stock_movements m LEFT JOIN stock_balances b ON b.lot_id = m.lot_id AND b.location_id = m.location_id
		GROUP BY m.lot_id, m.location_id) x WHERE s <> b OR s < 0`
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q).Scan(&bad); err != nil || bad != 0 {
		w.t.Fatalf("balances that are not the sum of their movements: %d (%v)", bad, err)
	}
	q = `SELECT COUNT(*) FROM stock_balances b WHERE b.qty < 0 OR b.qty <> COALESCE((SELECT SUM(qty) FROM stock_movements m WHERE m.lot_id = b.lot_id AND m.location_id = b.location_id), 0)`
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q).Scan(&bad); err != nil || bad != 0 {
		w.t.Fatalf("balances without their movements: %d (%v)", bad, err)
	}
	q = `SELECT COUNT(*) FROM items i WHERE i.on_hand < 0 OR i.on_hand <> COALESCE((SELECT SUM(qty) FROM stock_balances b WHERE b.item_id = i.id), 0)`
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q).Scan(&bad); err != nil || bad != 0 {
		w.t.Fatalf("items whose on_hand is not the sum of their balances: %d (%v)", bad, err)
	}
}

func (w *world) count(q string, args ...any) int64 {
	w.t.Helper()
	var n int64
	if err := w.d.Q(w.ctx).QueryRowContext(w.ctx, q, args...).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

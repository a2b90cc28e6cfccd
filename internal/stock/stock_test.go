package stock_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/stock"
)

func code(err error) string {
	if e, ok := apperr.As(err); ok {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestAPassedProductBecomesAnItemWithABarcode(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		// The SME's own code with a wrong check digit: refused, an in-store code suggested.
		_, err := w.s.CreateItem(w.ctx, w.clerk, stock.ItemInput{ApplicationID: w.appID, ProductID: w.prods[0].ID, Price: "25.000", Barcode: "8991234567892"})
		if code(err) != "validation" && !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("wrong check digit: %v", err)
		}
		if e, _ := apperr.As(err); e == nil || len(e.Fields) == 0 || e.Fields[0].Name != "barcode" {
			t.Fatalf("wrong check digit: not at the barcode field: %#v", err)
		}
		own := w.item(0, "8991234567891")
		if own.Barcode != "8991234567891" || own.BarcodeSource != "sme" || own.Price != 25000 || own.SMEPrice != 20000 || own.Status != stock.Displayed {
			t.Fatalf("item with the SME's code: %+v", own)
		}
		store := w.item(1, "")
		if store.BarcodeSource != "store" || !stock.IsInStore(store.Barcode) || stock.EANCheckDigit(store.Barcode[:12]) != store.Barcode[12] {
			t.Fatalf("item with an in-store code: %+v", store)
		}
		if _, err := w.s.CreateItem(w.ctx, w.clerk, stock.ItemInput{ApplicationID: w.appID, ProductID: w.prods[1].ID, Price: "25.000"}); code(err) != "item.exists" {
			t.Fatalf("a second item of one product: %v", err)
		}
		if _, err := w.s.CreateItem(w.ctx, w.owner, stock.ItemInput{ApplicationID: w.appID, ProductID: w.prods[1].ID, Price: "25.000"}); code(err) != "stock.role" {
			t.Fatalf("an applicant making an item: %v", err)
		}
		// A product that did not pass is not an item.
		w.exec("UPDATE product_decisions SET decision = 'not_passed' WHERE product_id = ?", w.prods[0].ID)
		w.exec("DELETE FROM items WHERE id = ?", own.ID) // no stock yet: the test undoes it to try again
		if _, err := w.s.CreateItem(w.ctx, w.clerk, stock.ItemInput{ApplicationID: w.appID, ProductID: w.prods[0].ID, Price: "25.000"}); code(err) != "item.not_passed" {
			t.Fatalf("a product that did not pass: %v", err)
		}
	})
}

func TestReceivingTheStockOfEveryPassedProductClosesStep9(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a, b := w.item(0, ""), w.item(1, "")
		rc := func(it stock.Item, qty, exp, prod string) stock.Posted {
			t.Helper()
			p, err := w.s.Receive(w.ctx, w.clerk, stock.ReceiveInput{BusinessID: w.biz.ID, Lines: []stock.ReceiveLine{{ItemID: it.ID, Qty: qty, ExpiresOn: exp, ProductionCode: prod}}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		p := rc(a, "24", "2027-03-01", "KT-2610")
		if p.Number != "BAST-2026-00001" || len(p.Movements) != 1 || p.Movements[0].Qty != 24 {
			t.Fatalf("receipt: %+v", p)
		}
		if got, _ := w.app.Applications.Get(w.ctx, w.appID); got.State != sop.AwaitingDisplay {
			t.Fatalf("one of two products stocked: state %s", got.State)
		}
		rc(b, "12", "2027-02-01", "KP-2610")
		got, _ := w.app.Applications.Get(w.ctx, w.appID)
		if got.State != sop.OnDisplay || got.DueAt != nil {
			t.Fatalf("every passed product stocked: state %s, due %v", got.State, got.DueAt)
		}
		w.checkLedger()
	})
}

func TestBadMovementsAreRefusedAndChangeNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		it := w.item(0, "")
		g := w.gallery()
		stand, err := w.s.CreateLocation(w.ctx, w.clerk, stock.LocationInput{Code: "PAMERAN-JTF", Name: "Pameran Jatim Fair", Kind: "event", StartsOn: "2026-11-10", EndsOn: "2026-11-15"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Receive(w.ctx, w.clerk, stock.ReceiveInput{BusinessID: w.biz.ID, Lines: []stock.ReceiveLine{
			{ItemID: it.ID, Qty: "5", ExpiresOn: "2026-11-20", ProductionCode: "A"},
			{ItemID: it.ID, Qty: "5", ExpiresOn: "2027-01-20", ProductionCode: "B"}}}); err != nil {
			t.Fatal(err)
		}
		before := w.count("SELECT COUNT(*) FROM stock_movements")
		docs := w.count("SELECT COUNT(*) FROM stock_documents")
		// More than there is, from the gallery.
		if _, err := w.s.Return(w.ctx, w.clerk, stock.ReturnInput{BusinessID: w.biz.ID, LocationID: g.ID, Lines: []stock.OutLine{{ItemID: it.ID, Qty: "11"}}}); code(err) != stock.CodeBelowZero {
			t.Fatalf("returning more than there is: %v", err)
		}
		// A transfer from a location without the stock.
		if _, err := w.s.Transfer(w.ctx, w.clerk, stock.TransferInput{From: stand.ID, To: g.ID, Lines: []stock.OutLine{{ItemID: it.ID, Qty: "1"}}}); code(err) != stock.CodeBelowZero {
			t.Fatalf("a transfer from an empty location: %v", err)
		}
		// A sale from an expired lot, once lot A has expired.
		*w.clock = w.clock.AddDate(0, 0, 20) // 22 November: lot A expired on the 20th
		var lotA int64
		_ = d.Q(w.ctx).QueryRowContext(w.ctx, "SELECT id FROM stock_lots WHERE code = 'A'").Scan(&lotA)
		err = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			_, err := w.s.Post(ctx, tx, w.clerk, stock.Document{Kind: stock.DocSale, Lines: []stock.Line{{Kind: stock.Sold, ItemID: it.ID, LotID: lotA, LocationID: g.ID, Qty: -1}}})
			return err
		})
		if code(err) != stock.CodeExpiredSale {
			t.Fatalf("a sale from an expired lot: %v", err)
		}
		// A sale without a lot skips the expired one (FEFO among the good lots).
		var sold stock.Posted
		err = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			sold, err = w.s.Post(ctx, tx, w.clerk, stock.Document{Kind: stock.DocSale, Key: "pos-1-0001", Lines: []stock.Line{{Kind: stock.Sold, ItemID: it.ID, LocationID: g.ID, Qty: -2}}})
			return err
		})
		if err != nil || len(sold.Movements) != 1 || sold.Movements[0].LotID == lotA {
			t.Fatalf("a sale FEFO past the expired lot: %+v, %v", sold, err)
		}
		// The same sale sent twice is recorded once.
		err = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
			again, err := w.s.Post(ctx, tx, w.clerk, stock.Document{Kind: stock.DocSale, Key: "pos-1-0001", Lines: []stock.Line{{Kind: stock.Sold, ItemID: it.ID, LocationID: g.ID, Qty: -2}}})
			if err == nil && (!again.Replayed || again.DocumentID != sold.DocumentID) {
				err = fmt.Errorf("replayed %+v", again)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if n := w.count("SELECT COUNT(*) FROM stock_movements"); n != before+1 {
			t.Fatalf("movements: %d, want %d", n, before+1)
		}
		if n := w.count("SELECT COUNT(*) FROM stock_documents"); n != docs+1 {
			t.Fatalf("documents: %d, want %d", n, docs+1)
		}
		// A write-off of the expired lot, without a lot: FEFO takes lot A first.
		wo, err := w.s.Adjust(w.ctx, w.clerk, stock.AdjustInput{Kind: stock.Expired, ItemID: it.ID, LocationID: g.ID, Qty: -5, Reason: "Kedaluwarsa 20 November"})
		if err != nil || wo.Movements[0].LotID != lotA {
			t.Fatalf("writing off the expired lot: %+v, %v", wo, err)
		}
		// A mistake corrected by reversing it; a second reversal refused.
		if _, err := w.s.Reverse(w.ctx, w.clerk, wo.Movements[0].ID, "Salah hitung"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Reverse(w.ctx, w.clerk, wo.Movements[0].ID, "Lagi"); err == nil {
			t.Fatal("a movement reversed twice")
		}
		// The ledger refuses edits and deletions.
		for _, q := range []string{"UPDATE stock_movements SET qty = 100", "DELETE FROM stock_movements"} {
			if err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error { _, err := tx.ExecContext(ctx, q); return err }); err == nil {
				t.Fatalf("%s: allowed", q)
			}
		}
		w.checkLedger()
	})
}

// TestLedgerInvariantsUnderRandomAndConcurrentMovements posts random
// sequences of movements — receipts, returns, transfers, write-offs, counted
// differences, sales, reversals, many of them impossible — some from several
// goroutines at once on the same item, and checks afterwards that every
// balance equals the sum of its movements and is never below zero.
func TestLedgerInvariantsUnderRandomAndConcurrentMovements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		items := []stock.Item{w.item(0, ""), w.item(1, "")}
		g := w.gallery()
		stand, err := w.s.CreateLocation(w.ctx, w.clerk, stock.LocationInput{Code: "PAMERAN", Name: "Pameran", Kind: "event"})
		if err != nil {
			t.Fatal(err)
		}
		locs := []int64{g.ID, stand.ID}
		step := func(r *rand.Rand) error {
			it := items[r.IntN(len(items))]
			loc := locs[r.IntN(2)]
			q := fmt.Sprint(1 + r.IntN(8))
			switch r.IntN(7) {
			case 0, 1:
				_, err := w.s.Receive(w.ctx, w.clerk, stock.ReceiveInput{BusinessID: w.biz.ID, LocationID: loc, Lines: []stock.ReceiveLine{
					{ItemID: it.ID, Qty: q, ExpiresOn: fmt.Sprintf("2027-0%d-01", 1+r.IntN(3)), ProductionCode: fmt.Sprint("P", r.IntN(3))}}})
				return err
			case 2:
				_, err := w.s.Return(w.ctx, w.clerk, stock.ReturnInput{BusinessID: w.biz.ID, LocationID: loc, Lines: []stock.OutLine{{ItemID: it.ID, Qty: q}}})
				return err
			case 3:
				_, err := w.s.Transfer(w.ctx, w.clerk, stock.TransferInput{From: loc, To: locs[0] + locs[1] - loc, Lines: []stock.OutLine{{ItemID: it.ID, Qty: q}}})
				return err
			case 4:
				_, err := w.s.Adjust(w.ctx, w.clerk, stock.AdjustInput{Kind: stock.CountDifference, ItemID: it.ID, LocationID: loc, Qty: int64(r.IntN(9) - 6), Reason: "hitung"})
				if err != nil && code(err) == stock.CodeBadLine {
					return nil // a zero difference, or one without a lot coming in
				}
				return err
			case 5:
				return d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
					_, err := w.s.Post(ctx, tx, w.clerk, stock.Document{Kind: stock.DocSale, Lines: []stock.Line{{Kind: stock.Sold, ItemID: it.ID, LocationID: loc, Qty: -int64(1 + r.IntN(4))}}})
					return err
				})
			default:
				var id int64
				_ = d.Q(w.ctx).QueryRowContext(w.ctx, "SELECT COALESCE(MAX(id), 0) FROM stock_movements WHERE reverses_id IS NULL").Scan(&id)
				if id == 0 {
					return nil
				}
				_, err := w.s.Reverse(w.ctx, w.clerk, int64(1+r.IntN(int(id))), "koreksi")
				return err
			}
		}
		refusedOK := func(err error) bool {
			if err == nil {
				return true
			}
			c := code(err)
			return c == stock.CodeBelowZero || c == stock.CodeExpiredSale || c == stock.CodeBadLine || c == stock.CodeReversed || c == "stock.not_found"
		}
		// Sequential: refused steps change nothing, so counts of movements only grow with accepted ones.
		r := rand.New(rand.NewPCG(7, 11))
		for i := 0; i < 150; i++ {
			before := w.count("SELECT COUNT(*) FROM stock_movements")
			err := step(r)
			if !refusedOK(err) {
				t.Fatalf("step %d: %v", i, err)
			}
			if err != nil && w.count("SELECT COUNT(*) FROM stock_movements") != before {
				t.Fatalf("step %d refused (%v) but wrote movements", i, err)
			}
		}
		w.checkLedger()
		// Concurrent: four clerks on the same items at once.
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for c := 0; c < 4; c++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, 3))
				for i := 0; i < 40; i++ {
					if err := step(r); !refusedOK(err) && !isContention(err) {
						errs <- err
						return
					}
				}
			}(uint64(c))
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		w.checkLedger()
		if n := w.count("SELECT COUNT(*) FROM stock_movements"); n < 50 {
			t.Fatalf("only %d movements: the test is not exercising the ledger", n)
		}
	})
}

// isContention: PostgreSQL may abort one of two transactions waiting on each
// other (a deadlock or serialization failure); the caller retries. Nothing
// was written.
func isContention(err error) bool {
	var s interface{ SQLState() string }
	if errors.As(err, &s) {
		return s.SQLState() == "40P01" || s.SQLState() == "40001"
	}
	return false
}

func TestSlowSellersAndDueBack(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t.Add(3 * time.Hour) }
	now := day("2026-12-31")
	for _, c := range []struct {
		last, first string
		days        int
		want        bool
	}{
		{"", "2026-10-01", 60, true},
		{"", "2026-11-15", 60, false},
		{"2026-11-01", "2026-06-01", 60, true},
		{"2026-12-01", "2026-06-01", 60, false},
		{"", "", 60, false},
	} {
		var last, first time.Time
		if c.last != "" {
			last = day(c.last)
		}
		if c.first != "" {
			first = day(c.first)
		}
		if got := stock.SlowSeller(last, first, now, c.days); got != c.want {
			t.Errorf("SlowSeller(%s, %s, %d) = %v", c.last, c.first, c.days, got)
		}
	}
	if !stock.DueBack(day("2026-10-01"), now, 90) || stock.DueBack(day("2026-10-15"), now, 90) {
		t.Error("DueBack")
	}
	for in, want := range map[string]int{"15": 1500, "12,5": 1250, "0": 0, "100 %": 10000, "12.25": 1225} {
		if got, ok := stock.ParseShare(in); !ok || got != want {
			t.Errorf("ParseShare(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"101", "-1", "1,234", "abc", ""} {
		if _, ok := stock.ParseShare(in); ok {
			t.Errorf("ParseShare(%q) accepted", in)
		}
	}
	if stock.FormatShare(1250) != "12,5 %" || stock.FormatShare(1500) != "15 %" {
		t.Error("FormatShare")
	}
}

func TestTheSMEIsDueANoticeForLotsNearExpiryAndLowStock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a, b := w.item(0, ""), w.item(1, "") // low-stock threshold 5
		if _, err := w.s.Receive(w.ctx, w.clerk, stock.ReceiveInput{BusinessID: w.biz.ID, Lines: []stock.ReceiveLine{
			{ItemID: a.ID, Qty: "20", ExpiresOn: "2026-11-10", ProductionCode: "SOON"},
			{ItemID: b.ID, Qty: "4", ExpiresOn: "2027-06-01", ProductionCode: "LATER"}}}); err != nil {
			t.Fatal(err)
		}
		// The hourly job: one message per notice and channel, to the SME's
		// e-mail and WhatsApp, and none again on the next run.
		var state string
		if err := d.Q(w.ctx).QueryRowContext(w.ctx, "SELECT state FROM applications WHERE id = ?", w.appID).Scan(&state); err != nil || state != "on_display" {
			t.Fatalf("with both products stocked the application is %q (%v)", state, err)
		}
		n, err := w.app.Messages.SendSourceNotices(w.ctx)
		if err != nil || n != 4 {
			t.Fatalf("first run made %d messages (%v), want 4", n, err)
		}
		rows, err := d.Q(w.ctx).QueryContext(w.ctx, "SELECT event, recipient, body FROM messages ORDER BY event")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var event, to, body string
			if err := rows.Scan(&event, &to, &body); err != nil {
				t.Fatal(err)
			}
			got = append(got, event)
			if to != w.owner.Email && to != w.biz.WhatsApp {
				t.Errorf("%s went to %s, not the owner's e-mail or the business's WhatsApp %s", event, to, w.biz.WhatsApp)
			}
			switch event {
			case "stock_expiring":
				if !strings.Contains(body, a.Name) || !strings.Contains(body, "SOON") || !strings.Contains(body, "2026-11-10") {
					t.Errorf("expiry notice says %q", body)
				}
			case "on_display":
				if !strings.Contains(body, a.Name) || !strings.Contains(body, "/katalog") {
					t.Errorf("on-display notice says %q", body)
				}
			case "stock_low":
				if !strings.Contains(body, b.Name) || !strings.Contains(body, "tinggal 4") {
					t.Errorf("low-stock notice says %q", body)
				}
			}
		}
		// Receiving the stock of both passed products closed step 9, and the
		// applicant was told so, with the catalogue's address.
		if strings.Join(got, ",") != "on_display,on_display,stock_expiring,stock_expiring,stock_low,stock_low" {
			t.Errorf("messages %v", got)
		}
		if n, err := w.app.Messages.SendSourceNotices(w.ctx); err != nil || n != 0 {
			t.Errorf("second run made %d messages (%v), want none", n, err)
		}
	})
}

func TestAStockListIsCheckedRowByRowAndImportedAllOrNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a, b := w.item(0, "8991234567891"), w.item(1, "")
		if _, err := w.s.CreateLocation(w.ctx, w.clerk, stock.LocationInput{Code: "JTF", Name: "Jatim Fair", Kind: "event"}); err != nil {
			t.Fatal(err)
		}
		tbl := importer.Table{Header: []string{"Barcode", "Jumlah", "Kedaluwarsa", "Kode produksi", "Lokasi"}, Rows: [][]string{
			{"8991234567891", "12", "01-03-2027", "KT-01", ""},
			{b.SKU, "5", "2027-04-01", "KP-01", "jtf"},
			{"2000000009999", "3", "", "", ""},
			{b.Barcode, "nol", "2026-10-01", "", "GUDANG"},
		}}
		rep, err := w.s.ImportStock(w.ctx, w.clerk, tbl, true)
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string]int{}
		for _, p := range rep.Problems {
			cols[fmt.Sprint(p.Row, p.Column)]++
		}
		for _, want := range []string{"4barcode", "5qty", "5expires_on", "5location"} {
			if cols[want] != 1 {
				t.Errorf("no problem at row/column %s: %+v", want, rep.Problems)
			}
		}
		if len(rep.Documents) != 0 || w.count("SELECT COUNT(*) FROM stock_movements") != 0 {
			t.Fatal("a list with problems was imported")
		}
		tbl.Rows = tbl.Rows[:2]
		if rep, err = w.s.ImportStock(w.ctx, w.clerk, tbl, false); err != nil || len(rep.Problems) != 0 || rep.Units != 17 || len(rep.Documents) != 0 {
			t.Fatalf("dry run: %+v, %v", rep, err)
		}
		if rep, err = w.s.ImportStock(w.ctx, w.clerk, tbl, true); err != nil || len(rep.Documents) != 2 {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		if it, _ := w.s.Item(w.ctx, a.ID); it.OnHand != 12 {
			t.Errorf("on hand %d", it.OnHand)
		}
		w.checkLedger()
	})
}

package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/stock"
)

// passedApplication makes Sri's application with one product that passed
// curation (written as curation writes it), awaiting display.
func passedApplication(e *env) (owner account.User, bizID, appID, productID int64) {
	t := e.t
	t.Helper()
	ctx := systemCtx()
	owner = e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri Wahyuni"})
	b, _, err := e.app.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{
		Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: "3573054107850003", NIB: "9120301234567",
		Address: "Jl. Sanan No. 12", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro", YearStarted: "2015"})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := e.app.Applicants.SaveProduct(ctx, owner, b.ID, 0, applicant.ProductInput{Name: "Keripik Tempe Original 250 g", Category: "Makanan",
		Description: "Keripik tempe khas Sanan", Composition: "Tempe, minyak", NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "Rp 20.000", CapacityPerMonth: "800"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.app.Applications.CreateDraft(ctx, owner, b.ID, []int64{p.ID}, application.Online)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'awaiting_display', step = 9 WHERE id = ?", a.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO product_decisions (application_id, product_id, decision, decided_at) VALUES (?, ?, 'passed', ?)", a.ID, p.ID, tx.Now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return owner, b.ID, a.ID, p.ID
}

func TestAClerkMakesAnItemReceivesTwoLotsAndPrintsItsPapers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, bizID, appID, pid := passedApplication(e)
		e.user(account.NewUser{Email: "siti@galeri.id", Name: "Siti Aminah", Role: role.StafGaleri})
		c := e.signIn("siti@galeri.id", pw)
		home := c.get("/stock").wantStatus(http.StatusOK)
		newURL := fmt.Sprintf("/stock/items/new?application=%d&product=%d", appID, pid)
		if _, ok := home.attr(fmt.Sprintf(`a[href="%s"]`, newURL), "href"); !ok {
			t.Fatalf("the dashboard does not offer to make the passed product an item:\n%s", home.text("#passed"))
		}
		form := c.get(newURL).wantStatus(http.StatusOK)
		if v, _ := form.attr("#f-price", "value"); v != "20.000" {
			t.Errorf("the price starts as %q", v)
		}
		vals := url.Values{"application": {fmt.Sprint(appID)}, "product": {fmt.Sprint(pid)}, "price": {"25.000"}, "barcode": {"8991234567892"}}
		bad := c.post("/stock/items", vals).wantStatus(http.StatusUnprocessableEntity)
		if msg := bad.fieldError("barcode"); !strings.Contains(msg, "seharusnya 1") || !strings.Contains(msg, "kode toko") {
			t.Errorf("a wrong check digit says %q", msg)
		}
		vals.Set("barcode", "")
		made := c.post("/stock/items", vals)
		if made.Status != http.StatusSeeOther || !strings.HasPrefix(made.location(), "/stock/items/") {
			t.Fatalf("making the item: %d %s", made.Status, made.Body)
		}
		itemURL := made.location()
		c.get(itemURL).wantStatus(http.StatusOK)
		rc := c.post(itemURL+"/receive", url.Values{"qty_0": {"24"}, "expires_on_0": {"2099-03-01"}, "production_code_0": {"KT-01"},
			"qty_1": {"12"}, "expires_on_1": {"2099-04-01"}, "production_code_1": {"KT-02"}})
		if rc.Status != http.StatusSeeOther || !strings.HasPrefix(rc.location(), "/stock/documents/") {
			t.Fatalf("receiving: %d %.600s", rc.Status, rc.Body)
		}
		doc := c.get(rc.location()).wantStatus(http.StatusOK)
		if !strings.Contains(doc.text("h1"), "BAST-") {
			t.Errorf("the handover page: %q", doc.text("h1"))
		}
		item := c.get(itemURL).wantStatus(http.StatusOK)
		if got := item.text("#on-hand"); got != "36" {
			t.Errorf("on hand %q", got)
		}
		for _, p := range []string{rc.location() + "/paper.pdf", rc.location() + "/labels.pdf?sheet=a4-3x8", itemURL + "/labels.pdf?copies=3&kind=barcode&sheet=thermal-58"} {
			a := c.get(p).wantStatus(http.StatusOK)
			if a.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(a.Body, "%PDF") {
				t.Errorf("%s: %s", p, a.Header.Get("Content-Type"))
			}
		}
		c.get(itemURL + "/labels.pdf?cols=9").wantStatus(http.StatusUnprocessableEntity)
		// Returning more than there is: refused at the field, nothing changed.
		ret := c.post(itemURL+"/return", url.Values{"return_qty": {"100"}, "return_reason": {"Tidak laku"}}).wantStatus(http.StatusConflict)
		if msg := ret.fieldError("return_qty"); !strings.Contains(msg, "tidak cukup") {
			t.Errorf("returning too much says %q", msg)
		}
		c.get("/stock/locations").wantStatus(http.StatusOK)
		c.post("/stock/locations", url.Values{"code": {"JTF"}, "name": {"Jatim Fair"}, "kind": {"event"}}).wantRedirect("/stock/locations")
		// The SME sees their own stock; another applicant does not.
		sri := e.signIn("sri@keripik.id", pw)
		mine := sri.get(fmt.Sprintf("/businesses/%d/stock", bizID)).wantStatus(http.StatusOK)
		if !strings.Contains(mine.text("#balances"), "KT-02") {
			t.Errorf("the SME's view: %q", mine.text("#balances"))
		}
		sri.get("/stock").wantStatus(http.StatusForbidden)
		e.user(account.NewUser{Email: "kholil@batik.id"})
		e.signIn("kholil@batik.id", pw).get(fmt.Sprintf("/businesses/%d/stock", bizID)).wantStatus(http.StatusNotFound)
	})
}

func TestTheStockRegistersDownloadAsExcel(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, bizID, appID, pid := passedApplication(e)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Name: "Siti Aminah", Role: role.StafGaleri})
		ctx := systemCtx()
		it, err := e.app.Stock.CreateItem(ctx, clerk, stock.ItemInput{ApplicationID: appID, ProductID: pid, Price: "25.000"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Stock.Receive(ctx, clerk, stock.ReceiveInput{BusinessID: bizID, Lines: []stock.ReceiveLine{{ItemID: it.ID, Qty: "7", ExpiresOn: "2099-01-01", ProductionCode: "LOT-7"}}}); err != nil {
			t.Fatal(err)
		}
		c := e.signIn("siti@galeri.id", pw)
		for path, want := range map[string]string{"/stock/items.xlsx": it.Barcode, "/stock/on-hand.xlsx": "LOT-7", "/stock/movements.xlsx": "received"} {
			a := c.get(path).wantStatus(http.StatusOK)
			f, err := excelize.OpenReader(strings.NewReader(a.Body))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			rows, err := f.GetRows(f.GetSheetList()[0])
			if err != nil || len(rows) != 2 || !slices.Contains(rows[1], want) {
				t.Errorf("%s: %v (%v), want a row with %q", path, rows, err, want)
			}
		}
	})
}

func TestAClerkImportsAStockListAfterItsCheck(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, _, appID, pid := passedApplication(e)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Name: "Siti Aminah", Role: role.StafGaleri})
		it, err := e.app.Stock.CreateItem(systemCtx(), clerk, stock.ItemInput{ApplicationID: appID, ProductID: pid, Price: "25.000"})
		if err != nil {
			t.Fatal(err)
		}
		c := e.signIn("siti@galeri.id", pw)
		c.get("/stock/import").wantStatus(http.StatusOK)
		send := func(csv, mode string) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("mode", mode)
			fw, _ := mw.CreateFormFile("file", "stok.csv")
			_, _ = fw.Write([]byte(csv))
			_ = mw.Close()
			req := c.request("POST", "/stock/import", &buf, "Content-Type", mw.FormDataContentType())
			return c.do(req)
		}
		bad := send("Barcode,Jumlah,Kedaluwarsa\n"+it.Barcode+",10,2099-01-01\n999,x,\n", "apply").wantStatus(http.StatusUnprocessableEntity)
		if n := bad.find("#problems tbody tr").Length(); n != 2 {
			t.Errorf("%d problems shown: %s", n, bad.text("#problems"))
		}
		good := send("Barcode,Jumlah,Kedaluwarsa,Kode produksi\n"+it.Barcode+",10,01-01-2099,IMP-1\n", "apply").wantStatus(http.StatusOK)
		if !strings.Contains(good.text("#report"), "BAST-") {
			t.Errorf("the import says %q", good.text("#report"))
		}
		if got, _ := e.app.Stock.Item(systemCtx(), it.ID); got.OnHand != 10 {
			t.Errorf("on hand %d", got.OnHand)
		}
	})
}

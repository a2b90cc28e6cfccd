package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	applicantpkg "github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
)

// TestJourneyAClerkPutsAPassedProductOnDisplayAndAVisitorFindsIt: a clerk
// turns a product that passed curation into a gallery item, receives its
// stock in two lots, prints the price tags; the item is in the public
// catalogue, where a visitor on a 360-px phone finds it by searching and
// opens it from the address the tag's QR code carries.
//
// Screenshots: test-artifacts/TestJourneyAClerkPutsAPassedProductOnDisplayAndAVisitorFindsIt/.
func TestJourneyAClerkPutsAPassedProductOnDisplayAndAVisitorFindsIt(t *testing.T) {
	browsertest.Require(t)
	data := t.TempDir()
	const clerkPassword = "kopi luwak banyuwangi"
	if code, _, stderr := runCmd(t, clerkPassword+"\n", "user", "create", "--data", data, "--role", "staf_galeri",
		"--email", "siti@galeri.jatimprov.go.id", "--name", "Siti Nurhaliza"); code != 0 {
		t.Fatalf("create the clerk: %s", stderr)
	}
	// An SME whose product passed curation (written as curation writes it).
	ctx := audit.WithActor(context.Background(), audit.System)
	d, err := db.Open(ctx, "", data, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, d, app.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	owner, err := a.Accounts.Create(ctx, account.NewUser{Name: "Lilik Suryani", Email: "lilik@sambal.id", Role: role.Pemohon, Password: "sambal bawang kediri"})
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := a.Applicants.Save(ctx, owner, owner.ID, applicantpkg.BusinessInput{Name: "Sambal Bawang Bu Lilik", OwnerName: "Lilik Suryani",
		NIK: "3571046208800005", NIB: "9120503456789", Address: "Jl. Dhoho No. 41", ProvinceCode: "35", RegencyCode: "3571", WhatsApp: "085645778899",
		Category: "Makanan", Size: "mikro", YearStarted: "2016"})
	if err != nil {
		t.Fatal(err)
	}
	p, _, err := a.Applicants.SaveProduct(ctx, owner, b.ID, 0, applicantpkg.ProductInput{Name: "Sambal Bawang Pedas 150 g", Category: "Makanan",
		Description: "Sambal bawang khas Kediri", Composition: "Cabai, bawang putih, minyak", NetContent: "150 g", Packaging: "Botol kaca",
		ShelfLifeDays: "120", Price: "22.000", CapacityPerMonth: "600"})
	if err != nil {
		t.Fatal(err)
	}
	ap, err := a.Applications.CreateDraft(ctx, owner, b.ID, []int64{p.ID}, application.Online)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'awaiting_display' WHERE id = ?", ap.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO product_decisions (application_id, product_id, decision, decided_at) VALUES (?, ?, 'passed', ?)", ap.ID, p.ID, tx.Now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_ = a.Shutdown(ctx)
	d.Close()
	addr, _, _ := startServe(t, "--data", data, "--db", "", "--lang", "id", "--demo=false")

	c := browsertest.New(t, browsertest.Desktop(), browsertest.Size(1366, 900), browsertest.BaseURL("http://"+addr), browsertest.Timeout(2*time.Minute))
	c.Navigate("/login")
	journeySignIn(c, "siti@galeri.jatimprov.go.id", clerkPassword)
	c.ClickAndWait(`nav a[href="/stock"]`)
	journeyHeading(t, c, "Stok dan pajangan")
	journeyText(t, c, "#passed", "Sambal Bawang Pedas 150 g")
	c.Screenshot("dashboard-passed-product")
	c.ClickAndWait(`#passed a[href^="/stock/items/new"]`)
	if got := c.Value("#f-price"); got != "22.000" {
		t.Errorf("the price starts as %q", got)
	}
	c.Fill("#f-price", "25.000")
	c.Fill("#f-barcode", "8991234567892") // a wrong check digit
	c.ClickAndWait(`main form button[type=submit]`)
	journeyText(t, c, "#e-barcode", "seharusnya 1")
	c.Screenshot("wrong-check-digit")
	c.Fill("#f-barcode", "")
	c.ClickAndWait(`main form button[type=submit]`)
	journeyHeading(t, c, "Sambal Bawang Pedas 150 g")
	c.Fill("#f-qty_0", "12")
	c.Do("set the first expiry", chromedp.SetValue(chromedp.CSS("#f-expires_on_0"), "2099-01-31"))
	c.Fill("#f-production_code_0", "SB-01")
	c.Fill("#f-qty_1", "24")
	c.Do("set the second expiry", chromedp.SetValue(chromedp.CSS("#f-expires_on_1"), "2099-03-31"))
	c.Fill("#f-production_code_1", "SB-02")
	c.ClickAndWait(`form[action$="/receive"] button[type=submit]`)
	if !strings.HasPrefix(c.Text("main h1"), "Berita acara serah terima BAST-") {
		t.Fatalf("after receiving: %q", c.Text("main h1"))
	}
	c.Screenshot("handover")
	fetch := func(path string) string {
		t.Helper()
		return eval[string](t, c, `(function(){var x=new XMLHttpRequest();x.open('GET',`+jsQuote(path)+`,false);x.send();return x.status+' '+x.getResponseHeader('Content-Type')})()`)
	}
	tags := c.EvalString(`document.querySelector('form[action$="/labels.pdf"]').getAttribute('action')`) + "?kind=tag&sheet=a4-3x8"
	if got := fetch(tags); got != "200 application/pdf" {
		t.Errorf("printing the tags: %s", got)
	}
	paper := c.EvalString(`document.querySelector('a[href$="/paper.pdf"]').getAttribute('href')`)
	if got := fetch(paper); got != "200 application/pdf" {
		t.Errorf("printing the handover: %s", got)
	}
	c.ClickAndWait(`main table a[href^="/stock/items/"]`)
	journeyText(t, c, "#on-hand", "36")
	qr := c.EvalString(`document.querySelector('a[href^="/katalog/"]').textContent`) // the address the tag's QR code carries

	v := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL("http://"+addr), browsertest.Timeout(2*time.Minute))
	v.Navigate("/katalog")
	journeyHeading(t, v, "Katalog Galeri")
	v.Fill("#f-q", "sambal kediri")
	v.ClickAndWait(`form[role="search"] button[type=submit]`)
	journeyText(t, v, "#catalog", "Sambal Bawang Pedas 150 g")
	journeyText(t, v, "#catalog", "Rp 25.000")
	if w := eval[int](t, v, "document.documentElement.scrollWidth"); w > 360 {
		t.Errorf("the catalogue is %d px wide on a 360-px phone", w)
	}
	v.Screenshot("visitor-search")
	v.Navigate(qr)
	journeyHeading(t, v, "Sambal Bawang Pedas 150 g")
	journeyText(t, v, "#price", "Rp 25.000")
	journeyText(t, v, "#whatsapp", "Tanya via WhatsApp")
	v.Screenshot("visitor-product-from-qr")
}

func jsQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

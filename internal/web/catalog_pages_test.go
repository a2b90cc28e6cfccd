package web_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/stock"
)

func TestTheCatalogueShowsWhatIsOnDisplayAndSurvivesAnySearch(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, bizID, appID, pid := passedApplication(e)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Name: "Siti Aminah", Role: role.StafGaleri})
		ctx := systemCtx()
		it, err := e.app.Stock.CreateItem(ctx, clerk, stock.ItemInput{ApplicationID: appID, ProductID: pid, Price: "25.000"})
		if err != nil {
			t.Fatal(err)
		}
		visitor := e.browser()
		// Not on display until there is stock.
		visitor.get(fmt.Sprintf("/katalog/%d", it.ID)).wantStatus(http.StatusNotFound)
		if _, err := e.app.Stock.Receive(ctx, clerk, stock.ReceiveInput{BusinessID: bizID, Lines: []stock.ReceiveLine{{ItemID: it.ID, Qty: "10", ExpiresOn: "2099-01-01"}}}); err != nil {
			t.Fatal(err)
		}
		find := func(q string) *answer {
			t.Helper()
			return visitor.get("/katalog?q=" + url.QueryEscape(q)).wantStatus(http.StatusOK)
		}
		for _, q := range []string{"keripik", "KERIPIK tempe", "kéripik", "kerip", "sanan", "Kota Malang"} {
			if !strings.Contains(find(q).text("#catalog"), "Keripik Tempe Original") {
				t.Errorf("%q does not find the item", q)
			}
		}
		for _, q := range []string{`"keripik`, `keripik OR NOT tempe`, `'; DROP TABLE items; --`, `NEAR(a b)`, `*`, `tempe:*`, `a & | ! ( )`,
			strings.Repeat("kopi ", 200), "🍵🍵 teh", "\x00", "kerip\"ik*"} {
			find(q) // a normal page, whatever was typed
		}
		// A slip of the keyboard: what the corrected words find, saying so.
		typo := find("kripik tmepe")
		if !strings.Contains(typo.text("#catalog"), "Keripik Tempe Original") || !strings.Contains(typo.text("#corrected"), "keripik tempe") {
			t.Errorf("a mistyped search: %q, %q", typo.text("#corrected"), typo.text("#catalog"))
		}
		if find("keripik").text("#corrected") != "" {
			t.Error("a search that found the item says it was corrected")
		}
		if strings.Contains(find("batik").text("#catalog"), "Keripik") {
			t.Error("a search for batik finds keripik")
		}
		list := visitor.get("/katalog?category=Makanan&regency=3573&min=20.000&max=30000").wantStatus(http.StatusOK)
		if !strings.Contains(list.text("#catalog"), "Keripik") {
			t.Error("filters hide a matching item")
		}
		if strings.Contains(visitor.get("/katalog?min=30.000").text("#catalog"), "Keripik") {
			t.Error("the price filter lets a cheaper item through")
		}
		// The product page a tag's QR code opens: price, SME, WhatsApp, Open Graph.
		pg := visitor.get(fmt.Sprintf("/katalog/%d", it.ID)).wantStatus(http.StatusOK)
		if pg.text("#price") != "Rp 25.000" || !strings.Contains(pg.Body, `property="og:title" content="Keripik Tempe Original 250 g"`) {
			t.Errorf("product page: price %q", pg.text("#price"))
		}
		if href, _ := pg.attr("#whatsapp", "href"); !strings.HasPrefix(href, "https://wa.me/") {
			t.Errorf("WhatsApp link %q", href)
		}
		// ETag: the same page again is a 304; gzip when asked.
		etag := pg.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		visitor.get(fmt.Sprintf("/katalog/%d", it.ID), "If-None-Match", etag).wantStatus(http.StatusNotModified)
		for range 2 { // made and compressed, then from the micro-cache
			req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/katalog", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("not compressed: %v", res.Header)
			}
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(zr)
			res.Body.Close()
			if !strings.Contains(string(body), "Keripik Tempe Original") {
				t.Error("the compressed page lacks the item")
			}
		}
		// Paused: gone from the catalogue once the page made a moment ago expires.
		if err := e.app.Stock.SetStatus(ctx, clerk, it.ID, stock.Paused, "foto baru"); err != nil {
			t.Fatal(err)
		}
		e.clock.add(3 * time.Second)
		visitor.get(fmt.Sprintf("/katalog/%d", it.ID)).wantStatus(http.StatusNotFound)
	})
}

package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/perf"
	"github.com/etalase-id/etalase/internal/role"
)

func TestClerkImportsTheOldFormAfterCheckingItAndExportsTheRegisters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		e.user(account.NewUser{Email: "sri@keripik.id"})
		clerk := e.signIn("siti@galeri.id", pw)
		csv := "Nama Pemilik,Nama Usaha,No. WhatsApp,Nama Produk,Kabupaten/Kota\n" +
			"Dewi Lestari,Brem Caruban,081330441122,Brem Padat isi 10,Kabupaten Madiun\n" +
			"Wahyu Hidayat,Sale Pisang,081233344455,Sale Pisang Gulung,Kediri\n"
		upload := func(mode string) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("mode", mode)
			fw, _ := mw.CreateFormFile("file", "jawaban.csv")
			_, _ = fw.Write([]byte(csv))
			mw.Close()
			req := clerk.request("POST", "/desk/import", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return clerk.do(req)
		}
		// The check runs in the background; its page shows the report.
		checkPage := upload("check").wantStatus(http.StatusSeeOther).location()
		e.app.Importer.Wait()
		ans := clerk.get(checkPage).wantStatus(http.StatusOK)
		if got := ans.text("#problems td"); !strings.Contains(got, "3") || !strings.Contains(ans.text("#problems"), "Kota Kediri") {
			t.Fatalf("the check should name row 3 and suggest Kota Kediri: %q", ans.text("#progress"))
		}
		// The file is kept: the next step needs no second upload.
		if !strings.Contains(ans.text("#next"), "jawaban.csv") {
			t.Fatalf("the checked file is not kept for the run: %q", ans.text("#next"))
		}
		next := func(from, mode, skip string) string {
			t.Helper()
			return clerk.post(from+"/next", url.Values{"mode": {mode}, "skip": {skip}}).wantStatus(http.StatusSeeOther).location()
		}
		// Importing with the bad row still in checks again, and stops there.
		again := next(checkPage, "apply", "")
		e.app.Importer.Wait()
		if ans := clerk.get(again).wantStatus(http.StatusOK); ans.find("#next-run").Length() != 0 || ans.find("#problems").Length() != 1 {
			t.Fatalf("an import with a bad row went on: %q", ans.text("#progress"))
		}
		passed := next(again, "apply", "3")
		e.app.Importer.Wait()
		ans = clerk.get(passed).wantStatus(http.StatusOK)
		batchPage, ok := ans.attr("#next-run a", "href")
		if !ok || !strings.HasPrefix(batchPage, "/desk/import/batches/") {
			t.Fatalf("a passed check did not go on into the import: %q", ans.text("#progress"))
		}
		// htmx, polling the check, is sent on to the run.
		if frag := clerk.get(passed, "HX-Request", "true").wantStatus(http.StatusOK); frag.Header.Get("HX-Redirect") != batchPage {
			t.Errorf("the check's progress sends htmx to %q, want %q", frag.Header.Get("HX-Redirect"), batchPage)
		}
		ans = clerk.get(batchPage).wantStatus(http.StatusOK)
		if !strings.Contains(ans.text("#batch-state"), "Selesai") || !strings.Contains(ans.text("#numbers"), "GAL-") {
			t.Fatalf("the import's page after the run: %q", ans.text("#progress"))
		}
		// htmx asks for the progress part alone.
		frag := clerk.get(batchPage, "HX-Request", "true").wantStatus(http.StatusOK)
		if !strings.HasPrefix(strings.TrimSpace(frag.Body), `<section class="card" id="progress"`) || strings.Contains(frag.Body, "<html") {
			t.Errorf("the progress fragment: %.200s", frag.Body)
		}
		if _, polling := frag.attr("#progress", "hx-trigger"); polling {
			t.Error("a finished import's progress still polls")
		}
		x := clerk.get("/applications/export.xlsx").wantStatus(http.StatusOK)
		if ct := x.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Fatalf("content type %q", ct)
		}
		f, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Permohonan")
		if len(rows) != 2 || rows[1][1] != "Brem Caruban" || rows[1][5] != "Draf" {
			t.Fatalf("register rows %v", rows)
		}
		clerk.get("/applicants/export.xlsx").wantStatus(http.StatusOK)
		applicant := e.signIn("sri@keripik.id", pw)
		applicant.get("/applications/export.xlsx").wantStatus(http.StatusForbidden)
		applicant.get("/desk/import").wantStatus(http.StatusForbidden)
		applicant.get(batchPage).wantStatus(http.StatusForbidden)
	})
}

// The register downloads are every application, however many (the page once
// stopped at 1,000), as a workbook and as CSV.
func TestRegisterDownloadsHoldEveryApplication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		const n = 1200
		if _, err := perf.Seed(systemCtx(), d, n, clerk.ID); err != nil {
			t.Fatal(err)
		}
		b := e.signIn("siti@galeri.id", pw)
		x := b.get("/applications/export.xlsx").wantStatus(http.StatusOK)
		if cd := x.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="permohonan-`) || !strings.HasSuffix(cd, `.xlsx"`) {
			t.Errorf("Content-Disposition %q", cd)
		}
		f, err := excelize.OpenReader(strings.NewReader(x.Body))
		if err != nil {
			t.Fatal(err)
		}
		if rows, _ := f.GetRows("Permohonan"); len(rows) != n+1 {
			t.Errorf("the workbook holds %d applications, want %d", len(rows)-1, n)
		}
		c := b.get("/applications/export.csv").wantStatus(http.StatusOK)
		if ct := c.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("CSV content type %q", ct)
		}
		if lines := strings.Count(c.Body, "\n"); lines != n+1 {
			t.Errorf("the CSV holds %d lines, want %d", lines, n+1)
		}
		if q := b.get("/applications/export.csv?q=" + url.QueryEscape(perf.NoMatch[0])).wantStatus(http.StatusOK); strings.Count(q.Body, "\n") != 1 {
			t.Errorf("a search matching nothing gives %d lines, want the header only", strings.Count(q.Body, "\n"))
		}
	})
}

// The import page offers the column templates, and a finished import can be
// undone from its page once the clerk ticks that they are sure.
func TestImportTemplatesAndUndoFromThePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		clerk := e.signIn("siti@galeri.id", pw)
		form := clerk.get("/desk/import").wantStatus(http.StatusOK)
		for _, ext := range []string{"csv", "xlsx"} {
			href, ok := form.attr(`#templates a[href="/desk/import/template.`+ext+`"]`, "href")
			if !ok {
				t.Fatalf("no %s template link", ext)
			}
			tpl := clerk.get(href).wantStatus(http.StatusOK)
			if cd := tpl.Header.Get("Content-Disposition"); !strings.Contains(cd, "templat-impor-etalase."+ext) {
				t.Errorf("%s template: Content-Disposition %q", ext, cd)
			}
		}
		csv := "Nama Pemilik,Nama Usaha,No. WhatsApp,Nama Produk\nDewi Lestari,Brem Caruban,081330441122,Brem Padat isi 10\n"
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("mode", "apply")
		fw, _ := mw.CreateFormFile("file", "jawaban.csv")
		_, _ = fw.Write([]byte(csv))
		mw.Close()
		req := clerk.request("POST", "/desk/import", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		// Straight on: the check passes and goes on into the real run.
		check := clerk.do(req).wantStatus(http.StatusSeeOther).location()
		e.app.Importer.Wait()
		page, ok := clerk.get(check).attr("#next-run a", "href")
		if !ok {
			t.Fatal("the check did not go on into the import")
		}
		if n, _ := e.app.Accounts.Count(context.Background()); n != 2 {
			t.Fatalf("%d accounts after the import, want the clerk and Dewi", n)
		}
		list := clerk.get("/desk/import").wantStatus(http.StatusOK)
		if !strings.Contains(list.text("#batches"), "jawaban.csv") || !strings.Contains(list.text("#batches"), "Selesai") {
			t.Errorf("the latest imports: %q", list.text("#batches"))
		}
		undo := strings.TrimSuffix(page, "/") + "/undo"
		if ans := clerk.post(undo, url.Values{}).wantStatus(http.StatusUnprocessableEntity); ans.fieldNote("confirm") == "" {
			t.Error("an undo without the tick is refused without saying why")
		}
		clerk.post(undo, url.Values{"confirm": {"yes"}}).wantRedirect(page)
		after := clerk.get(page).wantStatus(http.StatusOK)
		if !strings.Contains(after.text("#batch-state"), "Dibatalkan") || after.find("#undo").Length() != 0 {
			t.Errorf("after the undo: %q", after.text("#progress"))
		}
		if n, _ := e.app.Accounts.Count(context.Background()); n != 1 {
			t.Errorf("%d accounts after the undo, want the clerk alone", n)
		}
	})
}

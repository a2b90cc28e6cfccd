package web_test

import (
	"bytes"
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
		post := func(mode, skip string) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("mode", mode)
			_ = mw.WriteField("skip", skip)
			fw, _ := mw.CreateFormFile("file", "jawaban.csv")
			_, _ = fw.Write([]byte(csv))
			mw.Close()
			req := clerk.request("POST", "/desk/import", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return clerk.do(req)
		}
		ans := post("check", "").wantStatus(http.StatusOK)
		if got := ans.text("#problems td"); !strings.Contains(got, "3") || !strings.Contains(ans.text("#problems"), "Kota Kediri") {
			t.Fatalf("the check should name row 3 and suggest Kota Kediri: %q", ans.text("#problems"))
		}
		post("apply", "").wantStatus(http.StatusUnprocessableEntity)
		ans = post("apply", "3").wantStatus(http.StatusOK)
		if !strings.Contains(ans.text("#report"), "GAL-") {
			t.Fatalf("the import report should list the application created: %q", ans.text("#report"))
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

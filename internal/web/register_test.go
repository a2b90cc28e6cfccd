package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
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

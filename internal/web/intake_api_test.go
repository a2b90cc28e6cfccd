package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// An applicant's program (or a partner's integration) can do through the API
// what the phone form does, with the same refusals and messages.
func TestAPIApplicantUploadsChecksAndSubmitsWithTheFormsRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := systemCtx()
		owner := e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri Wahyuni"})
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		biz, _, err := e.app.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan", OwnerName: "Sri Wahyuni",
			NIK: "3573054107850003", NIB: "9120301234567", Address: "Jl. Sanan 12", ProvinceCode: "35", RegencyCode: "3573",
			WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"})
		if err != nil {
			t.Fatal(err)
		}
		prod, _, err := e.app.Applicants.SaveProduct(ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe 250 g", Category: "Makanan", Composition: "Tempe",
			NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "25000", PIRT: "2063573010234-28"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.app.Applications.CreateDraft(ctx, owner, biz.ID, []int64{prod.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		_, secret, _ := e.accounts.CreateToken(ctx, owner, "integrasi")
		_, clerkSecret, _ := e.accounts.CreateToken(ctx, clerk, "loket")
		call := func(token, method, path string, body *bytes.Buffer, contentType string) *answer {
			b := e.browser()
			if body == nil {
				body = &bytes.Buffer{}
			}
			req := b.request(method, path, body, "Authorization", "Bearer "+token)
			if contentType != "" {
				req.Header.Set("Content-Type", contentType)
			}
			return b.do(req)
		}
		upload := func(kind, number, name string, content []byte) *answer {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			_ = mw.WriteField("kind", kind)
			_ = mw.WriteField("number", number)
			fw, _ := mw.CreateFormFile("file", name)
			_, _ = fw.Write(content)
			mw.Close()
			return call(secret, "POST", fmt.Sprintf("/api/v1/businesses/%d/documents", biz.ID), &buf, mw.FormDataContentType())
		}
		// An HTML page renamed .pdf is refused by its content, and nothing is stored.
		var apiErr apiError
		ans := upload("ktp", "", "ktp.pdf", []byte("<html><script>alert(1)</script></html>"))
		ans.json(&apiErr)
		if ans.Status != http.StatusUnprocessableEntity || apiErr.Error.Code != "document.type" {
			t.Fatalf("an HTML file renamed .pdf: %d %+v", ans.Status, apiErr)
		}
		if docs, _ := e.app.Documents.Current(ctx, biz.ID); len(docs) != 0 {
			t.Fatalf("a refused upload left %d documents", len(docs))
		}
		png := pngReader(t).Size()
		img := make([]byte, png)
		_, _ = pngReader(t).Read(img)
		for kind, number := range map[string]string{"ktp": "3573054107850003", "nib": "9120301234567"} {
			if ans := upload(kind, number, kind+".png", img); ans.Status != http.StatusCreated {
				t.Fatalf("upload %s: %d %s", kind, ans.Status, ans.Body)
			}
		}
		// Submitting without the P-IRT is refused with the form's words, in English on request.
		b := e.browser()
		req := b.request("POST", fmt.Sprintf("/api/v1/applications/%d/actions", a.ID), strings.NewReader(`{"action":"submit"}`),
			"Authorization", "Bearer "+secret, "Accept-Language", "en")
		ans = b.do(req)
		ans.json(&apiErr)
		if ans.Status != http.StatusUnprocessableEntity || !strings.Contains(apiErr.Error.Message, "P-IRT") {
			t.Fatalf("submit without P-IRT: %d %+v", ans.Status, apiErr)
		}
		if ans := upload("pirt", "P-IRT No. 2063573010234-28", "pirt.png", img); ans.Status != http.StatusCreated {
			t.Fatalf("upload pirt: %d %s", ans.Status, ans.Body)
		}
		ans = call(secret, "POST", fmt.Sprintf("/api/v1/applications/%d/actions", a.ID), bytes.NewBufferString(`{"action":"submit"}`), "application/json")
		var got struct {
			State string `json:"state"`
			Step  int    `json:"step"`
		}
		ans.json(&got)
		if ans.Status != http.StatusOK || got.State != "submitted" || got.Step != 1 {
			t.Fatalf("submit: %d %s", ans.Status, ans.Body)
		}
		// The clerk cannot record samples before the documents are accepted.
		ans = call(clerkSecret, "POST", fmt.Sprintf("/api/v1/applications/%d/samples", a.ID),
			bytes.NewBufferString(fmt.Sprintf(`{"samples":[{"product_id":%d,"quantity":3,"expiry_date":"2099-01-01"}]}`, prod.ID)), "application/json")
		ans.json(&apiErr)
		if ans.Status != http.StatusConflict {
			t.Fatalf("samples before the document check: %d %+v", ans.Status, apiErr)
		}
		// Identifier checks answer as the form does.
		var check struct {
			Valid bool   `json:"valid"`
			Value string `json:"value"`
			Error *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		call(secret, "GET", "/api/v1/check/nik?value=357305410785000", nil, "").json(&check)
		if check.Valid || check.Error == nil || !strings.Contains(check.Error.Message, "16") {
			t.Fatalf("15-digit NIK: %+v", check)
		}
		call(secret, "GET", "/api/v1/check/nik?value=3573054107850003", nil, "").json(&check)
		if !check.Valid || check.Value != "3573********0003" {
			t.Fatalf("good NIK: %+v", check)
		}
		var bizOut struct {
			NIK      string           `json:"nik"`
			Products []map[string]any `json:"products"`
		}
		call(secret, "GET", fmt.Sprintf("/api/v1/businesses/%d", biz.ID), nil, "").json(&bizOut)
		if bizOut.NIK != "3573********0003" || len(bizOut.Products) != 1 {
			t.Fatalf("business: %+v", bizOut)
		}
	})
}

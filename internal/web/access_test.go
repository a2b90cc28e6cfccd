package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// TestEveryIntakeAddressGivesEachRoleExactlyWhatItShould walks every page,
// printout, document and API address of an application in curation with each
// kind of visitor: its owner, another applicant, the clerk, the curator,
// leadership, a division officer, the admin and an anonymous visitor. Another
// applicant gets 404 (not 403: nothing confirms the application exists); staff
// without the right get 403; both refusals are audited.
func TestEveryIntakeAddressGivesEachRoleExactlyWhatItShould(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ctx := systemCtx()
		people := map[string]account.User{
			"owner":    e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri Wahyuni"}),
			"other":    e.user(account.NewUser{Email: "kholil@batik.id", Name: "Moh. Kholil"}),
			"clerk":    e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri}),
			"curator":  e.user(account.NewUser{Email: "bambang@galeri.id", Role: role.Kurator}),
			"leader":   e.user(account.NewUser{Email: "hadi@galeri.id", Role: role.Pimpinan}),
			"division": e.user(account.NewUser{Email: "rina@galeri.id", Role: role.Bidang, Division: role.Halal}),
			"admin":    e.user(account.NewUser{Email: "admin@galeri.id", Role: role.Admin}),
		}
		owner, clerk := people["owner"], people["clerk"]
		biz, _, err := e.app.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni",
			NIK: "3573054107850003", NIB: "9120301234567", Address: "Jl. Sanan 12", ProvinceCode: "35", RegencyCode: "3573",
			WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.app.Applicants.Save(ctx, people["other"], people["other"].ID, applicant.BusinessInput{Name: "Batik Kholil"}); err != nil {
			t.Fatal(err)
		}
		prod, _, err := e.app.Applicants.SaveProduct(ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Keripik Tempe 250 g", Category: "Makanan", Composition: "Tempe",
			NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "25000", PIRT: "2063573010234-28"})
		if err != nil {
			t.Fatal(err)
		}
		docs := map[string]int64{}
		for kind, number := range map[string]string{"ktp": "3573054107850003", "nib": "9120301234567", "pirt": "2063573010234-28"} {
			dd, _, err := e.app.Documents.Add(ctx, owner, document.Upload{BusinessID: biz.ID, Kind: kind, Number: number, File: pngReader(t), FileName: kind + ".png"})
			if err != nil {
				t.Fatal(err)
			}
			docs[kind] = dd.ID
		}
		a, err := e.app.Applications.CreateDraft(ctx, owner, biz.ID, []int64{prod.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Applications.Do(ctx, owner, a.ID, sop.Submit, ""); err != nil {
			t.Fatal(err)
		}
		for _, id := range docs {
			if err := e.app.Intake.ReviewDocument(ctx, clerk, a.ID, id, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.app.Applications.Do(ctx, clerk, a.ID, sop.AcceptDocuments, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Intake.RecordSamples(ctx, clerk, a.ID, []intake.SampleInput{{ProductID: prod.ID, Quantity: "2", ExpiryDate: "2099-01-01"}}); err != nil {
			t.Fatal(err)
		}

		browsers := map[string]*browser{"anon": e.browser()}
		tokens := map[string]string{"anon": ""}
		for name, u := range people {
			browsers[name] = e.signIn(u.Email, pw)
			_, secret, err := e.accounts.CreateToken(ctx, u, "uji akses")
			if err != nil {
				t.Fatal(err)
			}
			tokens[name] = secret
		}
		who := []string{"owner", "other", "clerk", "curator", "leader", "division", "admin", "anon"}
		app := fmt.Sprintf("/applications/%d", a.ID)
		bizPath := fmt.Sprintf("/businesses/%d", biz.ID)
		// Expected status per visitor, in the order of who. 303 is the sign-in redirect.
		pages := []struct {
			path string
			want [8]int
		}{
			{app, [8]int{200, 404, 200, 200, 200, 403, 403, 303}},
			{app + "/form.pdf", [8]int{200, 404, 200, 200, 200, 403, 403, 303}},
			{app + "/receipt.pdf", [8]int{200, 404, 200, 200, 200, 403, 403, 303}},
			{fmt.Sprintf("/documents/%d", docs["ktp"]), [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{fmt.Sprintf("/documents/%d", docs["nib"]), [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{fmt.Sprintf("/documents/%d", docs["pirt"]), [8]int{200, 404, 200, 200, 403, 403, 403, 303}},
			{bizPath, [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{bizPath + "/profile", [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{fmt.Sprintf("%s/products/%d", bizPath, prod.ID), [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{"/applications", [8]int{403, 403, 200, 200, 200, 403, 403, 303}},
			{"/due", [8]int{403, 403, 200, 200, 200, 403, 403, 303}},
			{"/desk/applicants/new", [8]int{403, 403, 200, 403, 403, 403, 403, 303}},
			{"/admin/calendar", [8]int{403, 403, 403, 403, 403, 403, 200, 303}},
			{"/profile/my-data.zip", [8]int{200, 200, 403, 403, 403, 403, 403, 303}},
		}
		for _, p := range pages {
			for i, name := range who {
				got := browsers[name].get(p.path).Status
				if got != p.want[i] {
					t.Errorf("GET %s as %s: %d, want %d", p.path, name, got, p.want[i])
				}
			}
		}
		apis := []struct {
			path string
			want [8]int
		}{
			{"/api/v1" + app, [8]int{200, 404, 200, 200, 200, 403, 403, 401}},
			{fmt.Sprintf("/api/v1/documents/%d", docs["ktp"]), [8]int{200, 404, 200, 403, 403, 403, 403, 401}},
			{"/api/v1/due", [8]int{403, 403, 200, 200, 200, 403, 403, 401}},
		}
		for _, p := range apis {
			for i, name := range who {
				b := e.browser()
				req := b.request(http.MethodGet, p.path, nil)
				if tokens[name] != "" {
					req.Header.Set("Authorization", "Bearer "+tokens[name])
				}
				if got := b.do(req).Status; got != p.want[i] {
					t.Errorf("API GET %s as %s: %d, want %d", p.path, name, got, p.want[i])
				}
			}
		}
		// The other applicant's refusals are on record, with what they asked for.
		var mine int
		for _, en := range e.auditEntries("access.denied") {
			if en.ActorID == people["other"].ID && (en.ObjectType == "application" || en.ObjectType == "document" || en.ObjectType == "business") {
				mine++
			}
		}
		if mine < 9 {
			t.Errorf("%d audited refusals of the other applicant, want at least 9", mine)
		}
		// The other applicant cannot act on the application either, and nothing moves.
		ans := browsers["other"].post(app+"/do", map[string][]string{"action": {"withdraw"}, "reason": {"iseng"}})
		if ans.Status != http.StatusNotFound {
			t.Errorf("another applicant withdrawing: %d, want 404", ans.Status)
		}
		if got, _ := e.app.Applications.Get(ctx, a.ID); got.State != sop.InCuration {
			t.Errorf("the application moved to %s", got.State)
		}
		// Each document opening is logged, who and which.
		views := 0
		for _, en := range e.auditEntries("document.view") {
			if en.ObjectID == fmt.Sprint(docs["ktp"]) {
				views++
			}
		}
		// Owner and clerk, each by page and by API: four openings.
		if views != 4 {
			t.Errorf("KTP openings logged %d times, want 4 (one per successful opening)", views)
		}
	})
}

func pngReader(t *testing.T) *bytes.Reader {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

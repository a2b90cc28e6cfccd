package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// An applicant submits for the open call that takes registrations today: the
// form offers it (and not the call whose registration opens next month); a
// round that has closed is refused at the field and nothing is submitted; the
// chosen round shows on the application's page, and the clerk filling that
// round finds the application first, ticked and marked as asking for it.
func TestASubmissionNamesTheOpenCallItIsFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e, ctx := newEnv(t, d), systemCtx()
		owner := e.user(account.NewUser{Email: "dewi@brem.id", Name: "Dewi Lestari"})
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		biz, _, err := e.app.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{Name: "Brem Madiun Bu Dewi", OwnerName: "Dewi Lestari",
			NIK: "3519014506820001", NIB: "9120401234563", Address: "Jl. Raya Caruban 8", ProvinceCode: "35", RegencyCode: "3519",
			WhatsApp: "081334455667", Category: "Makanan", Size: "mikro"})
		if err != nil {
			t.Fatal(err)
		}
		prod, _, err := e.app.Applicants.SaveProduct(ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Brem Padat Original", Category: "Makanan",
			Composition: "Ketan, ragi", NetContent: "200 g", Packaging: "Kotak karton", ShelfLifeDays: "90", Price: "20000", PIRT: "2063519010456-27"})
		if err != nil {
			t.Fatal(err)
		}
		for kind, number := range map[string]string{"ktp": "3519014506820001", "nib": "9120401234563", "pirt": "2063519010456-27"} {
			if _, _, err := e.app.Documents.Add(ctx, owner, document.Upload{BusinessID: biz.ID, Kind: kind, Number: number, File: pngReader(t), FileName: kind + ".png"}); err != nil {
				t.Fatal(err)
			}
		}
		today := workday.DateOf(d.Clock(ctx))
		open, err := e.app.Curation.CreateRound(ctx, clerk, curation.RoundInput{Name: "Kurasi Desember 2026", OpenCall: true,
			RegistrationOpens: today.AddDays(-7).String(), RegistrationCloses: today.AddDays(7).String(), CurationOn: today.AddDays(14).String()})
		if err != nil {
			t.Fatal(err)
		}
		next, err := e.app.Curation.CreateRound(ctx, clerk, curation.RoundInput{Name: "Kurasi Februari 2027", OpenCall: true,
			RegistrationOpens: today.AddDays(30).String(), RegistrationCloses: today.AddDays(50).String(), CurationOn: today.AddDays(60).String()})
		if err != nil {
			t.Fatal(err)
		}

		dewi := e.signIn("dewi@brem.id", pw)
		bizPage := fmt.Sprintf("/businesses/%d", biz.ID)
		page := dewi.get(bizPage).wantStatus(http.StatusOK)
		if page.find(fmt.Sprintf("#f-round option[value='%d']", open.ID)).Length() != 1 || page.find(fmt.Sprintf("#f-round option[value='%d']", next.ID)).Length() != 0 {
			t.Fatalf("the round choice offers: %q", page.text("#f-round"))
		}
		form := url.Values{"product": {fmt.Sprint(prod.ID)}, "round": {fmt.Sprint(next.ID)}}
		ans := dewi.post(bizPage+"/submit", form).wantStatus(http.StatusUnprocessableEntity)
		if msg := ans.fieldError("round"); !strings.Contains(msg, "Pendaftaran putaran ini") {
			t.Fatalf("a round not taking registrations: %q", msg)
		}
		if apps, _ := e.app.Applications.ByBusiness(ctx, biz.ID); len(apps) > 0 && apps[0].State != "draft" {
			t.Fatalf("the refused form submitted the application: %s", apps[0].State)
		}

		form.Set("round", fmt.Sprint(open.ID))
		ans = dewi.follow(dewi.post(bizPage+"/submit", form))
		if got := ans.text("#round-wish"); !strings.Contains(got, "Kurasi Desember 2026") {
			t.Fatalf("the application page does not say which round it was submitted for: %q", got)
		}

		// Through the API, as the page: the rounds taking registrations, a
		// closed one refused at the field, the wish changed and cleared.
		_, secret, err := e.accounts.CreateToken(ctx, owner, "uji")
		if err != nil {
			t.Fatal(err)
		}
		api := func(method, path, body string) *answer {
			b := e.browser()
			req := b.request(method, path, strings.NewReader(body), "Authorization", "Bearer "+secret)
			req.Header.Set("Content-Type", "application/json")
			return b.do(req)
		}
		var listed struct{ Items []curation.Round }
		api("GET", "/api/v1/rounds/registering", "").wantStatus(http.StatusOK).json(&listed)
		if len(listed.Items) != 1 || listed.Items[0].ID != open.ID {
			t.Fatalf("registering rounds through the API: %+v", listed.Items)
		}
		apps, _ := e.app.Applications.ByBusiness(ctx, biz.ID)
		wish := fmt.Sprintf("/api/v1/applications/%d/round", apps[0].ID)
		if ans := api("PUT", wish, fmt.Sprintf(`{"round_id":%d}`, next.ID)).wantStatus(http.StatusUnprocessableEntity); !strings.Contains(ans.Body, "round") {
			t.Fatalf("a closed round through the API: %s", ans.Body)
		}
		api("PUT", wish, `{"round_id":0}`).wantStatus(http.StatusOK)
		if _, ok, _ := e.app.Curation.RequestedRound(ctx, apps[0].ID); ok {
			t.Fatal("round_id 0 did not clear the wish")
		}
		api("PUT", wish, fmt.Sprintf(`{"round_id":%d}`, open.ID)).wantStatus(http.StatusOK)

		// The clerk's round page: once the samples are in, the application
		// is a candidate, first and ticked.
		siti := e.signIn("siti@galeri.id", pw)
		a := apps[0]
		docs, _ := e.app.Documents.Current(ctx, biz.ID)
		for _, doc := range docs {
			if err := e.app.Intake.ReviewDocument(ctx, clerk, a.ID, doc.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.app.Applications.Do(ctx, clerk, a.ID, sop.AcceptDocuments, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Intake.RecordSamples(ctx, clerk, a.ID, []intake.SampleInput{{ProductID: prod.ID, Quantity: "2", ExpiryDate: "2099-01-01"}}); err != nil {
			t.Fatal(err)
		}
		round := siti.get(fmt.Sprintf("/curation/rounds/%d", open.ID)).wantStatus(http.StatusOK)
		first := round.find("#f-application input[type=checkbox]").First()
		if v, _ := first.Attr("value"); v != fmt.Sprint(a.ID) {
			t.Fatalf("the first candidate is %q, want %d", v, a.ID)
		}
		if _, on := first.Attr("checked"); !on || !strings.Contains(round.text("#f-application"), "meminta putaran ini") {
			t.Fatalf("the candidate that asked for the round is not ticked and marked: %q", round.text("#f-application"))
		}
	})
}

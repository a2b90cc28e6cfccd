package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
)

func TestReasonsShowOnlyAfterTheAnnouncementAndTheOwnerReapplies(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := systemCtx()
		owner := e.user(account.NewUser{Email: "darmo@kerupuk.id", Name: "Darmo"})
		e.user(account.NewUser{Email: "kholil@batik.id", Name: "Moh. Kholil"})
		biz, _, err := e.app.Applicants.Save(ctx, owner, owner.ID, applicant.BusinessInput{Name: "Kerupuk Udang Pak Darmo", OwnerName: "Darmo",
			NIB: "9120301234567", Address: "Jl. Kenjeran 5", ProvinceCode: "35", RegencyCode: "3578", WhatsApp: "085233100203", Category: "Makanan", Size: "mikro"})
		if err != nil {
			t.Fatal(err)
		}
		prod, _, err := e.app.Applicants.SaveProduct(ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Kerupuk Udang 200 g", Category: "Makanan", Composition: "Udang, tapioka",
			NetContent: "200 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "20000"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := e.app.Applications.CreateDraft(ctx, owner, biz.ID, []int64{prod.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		const reason = "Belum memiliki P-IRT yang berlaku"
		exec := func(q string, args ...any) {
			t.Helper()
			if err := e.d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, q, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		exec("INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_at) VALUES (?, ?, 'not_passed', ?, ?)", a.ID, prod.ID, reason, e.d.Now().UTC())
		page := fmt.Sprintf("/applications/%d", a.ID)
		b := e.signIn("darmo@kerupuk.id", pw)

		exec("UPDATE applications SET state = 'decided' WHERE id = ?", a.ID)
		got := b.get(page).wantStatus(http.StatusOK)
		if strings.Contains(got.Body, reason) || got.text("#alasan") != "" {
			t.Fatal("the reasons show on the application's page before the announcement")
		}
		if home := b.get("/").wantStatus(http.StatusOK); strings.Contains(home.Body, reason) || home.text("#not-passed") != "" {
			t.Fatal("the reasons show on the home page before the announcement")
		}
		b.post(page+"/reapply", url.Values{}).wantStatus(http.StatusConflict)

		exec("UPDATE applications SET state = 'announced' WHERE id = ?", a.ID)
		got = b.get(page).wantStatus(http.StatusOK)
		if !strings.Contains(got.text("#alasan"), reason) || !strings.Contains(got.text("#alasan"), "Kerupuk Udang 200 g") {
			t.Fatalf("the reasons are not shown after the announcement: %q", got.text("#alasan"))
		}
		// Still open: no button, and the page says why.
		if got.text("#reapply-form") != "" || !strings.Contains(got.text("#reapply-why"), a.Number) {
			t.Fatalf("re-application offered while %s is open: %q", a.Number, got.text("#reapply-why"))
		}
		if home := b.get("/").wantStatus(http.StatusOK); !strings.Contains(home.text("#not-passed"), reason) {
			t.Fatalf("the home page does not show the reasons: %q", home.text("#status"))
		}

		exec("UPDATE applications SET state = 'referred' WHERE id = ?", a.ID)
		got = b.get(page).wantStatus(http.StatusOK)
		if !strings.Contains(got.text("#reapply-form"), "Ajukan kembali") {
			t.Fatal("no re-application button once the application is closed")
		}
		// Someone else's application: not found, and nothing made.
		e.signIn("kholil@batik.id", pw).post(page+"/reapply", url.Values{}).wantStatus(http.StatusNotFound)

		done := b.post(page+"/reapply", url.Values{})
		if done.Status != http.StatusSeeOther || done.location() == page {
			t.Fatalf("re-apply: %d → %s", done.Status, done.location())
		}
		nu := b.follow(done).wantStatus(http.StatusOK)
		if link, _ := nu.attr("#reapplies a", "href"); link != page {
			t.Fatalf("the new application does not link to %s: %q", page, link)
		}
		if href, _ := b.get(page).attr("#reapplied-by a", "href"); href != done.location() {
			t.Fatalf("the old application does not link to the new one %s: %q", done.location(), href)
		}
	})
}

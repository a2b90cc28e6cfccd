package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
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

// The same through the API: refused with the page's reasons while the
// application is open, not found for another applicant, forbidden for
// staff; for the owner a new draft linked to the old one, once.
func TestAPIReapplication(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := systemCtx()
		owner := e.user(account.NewUser{Email: "darmo@kerupuk.id", Name: "Darmo"})
		other := e.user(account.NewUser{Email: "kholil@batik.id", Name: "Moh. Kholil"})
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
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
		exec := func(q string, args ...any) {
			t.Helper()
			if err := e.d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, q, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		exec("INSERT INTO product_decisions (application_id, product_id, decision, reason, decided_at) VALUES (?, ?, 'not_passed', ?, ?)", a.ID, prod.ID, "Belum memiliki P-IRT", e.d.Now().UTC())
		exec("UPDATE applications SET state = 'announced' WHERE id = ?", a.ID)
		token := func(u account.User) string {
			_, s, err := e.accounts.CreateToken(ctx, u, "uji")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		ot, xt, ct := token(owner), token(other), token(clerk)
		path := fmt.Sprintf("/api/v1/applications/%d/reapplication", a.ID)
		call := func(tok string) *answer {
			b := e.browser()
			req := b.request("POST", path, nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			return b.do(req)
		}
		var body struct {
			ID        int64  `json:"id"`
			Number    string `json:"number"`
			State     string `json:"state"`
			Reapplies struct {
				ID     int64  `json:"id"`
				Number string `json:"number"`
			} `json:"reapplies"`
			ProductIDs []int64 `json:"product_ids"`
			Error      struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		read := func(ans *answer) {
			t.Helper()
			body.Error.Code = ""
			if err := json.Unmarshal([]byte(ans.Body), &body); err != nil {
				t.Fatalf("%d %s: %v", ans.Status, ans.Body, err)
			}
		}
		ans := call(ot)
		if read(ans); ans.Status != http.StatusConflict || body.Error.Code != "reapply.still_open" || !strings.Contains(body.Error.Message, a.Number) {
			t.Fatalf("while open: %d %s", ans.Status, ans.Body)
		}
		exec("UPDATE applications SET state = 'referred' WHERE id = ?", a.ID)
		if ans := call(""); ans.Status != http.StatusUnauthorized {
			t.Fatalf("without a token: %d", ans.Status)
		}
		if ans := call(xt); ans.Status != http.StatusNotFound {
			t.Fatalf("another applicant: %d %s", ans.Status, ans.Body)
		}
		if ans := call(ct); ans.Status != http.StatusForbidden {
			t.Fatalf("staff: %d %s", ans.Status, ans.Body)
		}
		ans = call(ot)
		if read(ans); ans.Status != http.StatusCreated || body.State != "draft" || body.Reapplies.ID != a.ID || body.Reapplies.Number != a.Number ||
			len(body.ProductIDs) != 1 || body.ProductIDs[0] != prod.ID {
			t.Fatalf("re-apply: %d %s", ans.Status, ans.Body)
		}
		if l, _ := e.app.Intake.ReapplyLinks(ctx, body.ID); l.Reapplies == nil || l.Reapplies.ID != a.ID {
			t.Fatalf("the new application %d is not linked to %d", body.ID, a.ID)
		}
		ans = call(ot)
		if read(ans); ans.Status != http.StatusConflict || body.Error.Code != "reapply.other_open" {
			t.Fatalf("a second re-application: %d %s", ans.Status, ans.Body)
		}
	})
}

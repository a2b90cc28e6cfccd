package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/curation"
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
// accessWorld is an application in curation with every kind of visitor signed
// in, by cookie and by API token.
type accessWorld struct {
	e        *env
	people   map[string]account.User
	biz      applicant.Business
	prod     applicant.Product
	docs     map[string]int64
	app      application.Application
	browsers map[string]*browser
	tokens   map[string]string
}

func newAccessWorld(t *testing.T, d *db.DB) *accessWorld {
	t.Helper()
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
	// The curator is an expert assigned to the application in a round (an
	// expert sees only those), with no conflict of interest declared.
	rd, err := e.app.Curation.CreateRound(ctx, clerk, curation.RoundInput{Name: "Kurasi uji akses"})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Curation.AddApplication(ctx, clerk, rd.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	x, err := e.app.Curation.Assign(ctx, clerk, a.ID, people["curator"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Curation.Declare(ctx, people["curator"], x.ID, false, ""); err != nil {
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
	return &accessWorld{e: e, people: people, biz: biz, prod: prod, docs: docs, app: a, browsers: browsers, tokens: tokens}
}

func TestEveryIntakeAddressGivesEachRoleExactlyWhatItShould(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e, ctx, people, biz, prod, docs, a, browsers, tokens := w.e, systemCtx(), w.people, w.biz, w.prod, w.docs, w.app, w.browsers, w.tokens
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
			{fmt.Sprintf("/documents/%d", docs["ktp"]), [8]int{200, 404, 200, 404, 403, 403, 403, 303}},
			{fmt.Sprintf("/documents/%d", docs["nib"]), [8]int{200, 404, 200, 404, 403, 403, 403, 303}},
			{fmt.Sprintf("/documents/%d", docs["pirt"]), [8]int{200, 404, 200, 200, 403, 403, 403, 303}},
			{bizPath, [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{bizPath + "/profile", [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{fmt.Sprintf("%s/products/%d", bizPath, prod.ID), [8]int{200, 404, 200, 403, 403, 403, 403, 303}},
			{"/applications", [8]int{403, 403, 200, 200, 200, 403, 403, 303}},
			{"/due", [8]int{403, 403, 200, 200, 200, 403, 403, 303}},
			{"/applications/export.xlsx", [8]int{403, 403, 200, 200, 200, 403, 403, 303}},
			{"/applications/export.csv", [8]int{403, 403, 200, 200, 200, 403, 403, 303}},
			{"/applicants/export.xlsx", [8]int{403, 403, 200, 403, 403, 403, 403, 303}},
			{"/desk/import", [8]int{403, 403, 200, 403, 403, 403, 403, 303}},
			{"/desk/import/template.csv", [8]int{403, 403, 200, 403, 403, 403, 403, 303}},
			{"/desk/import/template.xlsx", [8]int{403, 403, 200, 403, 403, 403, 403, 303}},
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
			{fmt.Sprintf("/api/v1/documents/%d", docs["ktp"]), [8]int{200, 404, 200, 404, 403, 403, 403, 401}},
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

// TestEveryChangeIsRefusedToThoseWithoutTheRightAndChangesNothing posts every
// form and API change of intake and administration as each visitor who may
// not make it. Each refusal answers as GET does (404 for another applicant,
// 403 for staff without the right, the sign-in page for anonymous visitors),
// changes nothing in the database, and — for signed-in visitors — is audited.
func TestEveryChangeIsRefusedToThoseWithoutTheRightAndChangesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newAccessWorld(t, d)
		e := w.e
		app := fmt.Sprintf("/applications/%d", w.app.ID)
		biz := fmt.Sprintf("/businesses/%d", w.biz.ID)
		// snapshot is what a refused change must leave as it was.
		snapshot := func() string {
			t.Helper()
			var b strings.Builder
			for _, q := range []string{
				"SELECT COUNT(*) FROM users", "SELECT COUNT(*) FROM businesses", "SELECT COUNT(*) FROM products",
				"SELECT COUNT(*) FROM documents", "SELECT COUNT(*) FROM applications", "SELECT COUNT(*) FROM application_events",
				"SELECT COUNT(*) FROM samples", "SELECT COUNT(*) FROM settings", "SELECT COUNT(*) FROM holidays", "SELECT COUNT(*) FROM api_tokens",
				"SELECT state FROM applications WHERE id = " + fmt.Sprint(w.app.ID),
				"SELECT name || '|' || nib || '|' || address FROM businesses WHERE id = " + fmt.Sprint(w.biz.ID),
				"SELECT name || '|' || COALESCE(price, 0) FROM products WHERE id = " + fmt.Sprint(w.prod.ID),
				"SELECT COUNT(*) FROM documents WHERE status = 'accepted'",
				"SELECT role FROM users WHERE id = " + fmt.Sprint(w.people["owner"].ID),
			} {
				var v string
				if err := d.Q(systemCtx()).QueryRowContext(systemCtx(), q).Scan(&v); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				b.WriteString(v + ";")
			}
			return b.String()
		}
		denials := func(u account.User) int {
			n := 0
			for _, en := range e.auditEntries("access.denied") {
				if en.ActorID == u.ID {
					n++
				}
			}
			return n
		}
		form := func(kv ...string) url.Values {
			v := url.Values{}
			for i := 0; i < len(kv); i += 2 {
				v.Add(kv[i], kv[i+1])
			}
			return v
		}
		pid, kdoc := fmt.Sprint(w.prod.ID), fmt.Sprint(w.docs["ktp"])
		// For each change, the visitors who may not make it and what each gets.
		changes := []struct {
			path string
			body url.Values
			want map[string]int
		}{
			{app + "/do", form("action", "withdraw", "reason", "iseng"), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{app + "/check", form("decision", "return", "reason_"+kdoc, "buram"), map[string]int{"other": 403, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{app + "/samples", form("quantity_"+pid, "3", "expiry_date_"+pid, "2099-01-01"), map[string]int{"other": 403, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{biz + "/profile", form("name", "Usaha Orang Lain", "nib", "8120105678901"), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{biz + "/products", form("name", "Produk Titipan"), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{biz + "/products/" + pid, form("name", "Diganti", "price", "1"), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{biz + "/submit", form("product", pid), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{biz + "/products/" + pid + "/delete", form(), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{biz + "/documents/" + kdoc + "/delete", form(), map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{"/desk/applicants", form("name", "Penyusup", "phone", "081299988877", "business", "X"), map[string]int{"owner": 403, "other": 403, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 303}},
			{"/admin/users", form("name", "Penyusup", "email", "penyusup@contoh.id", "role", "admin"), map[string]int{"owner": 403, "other": 403, "clerk": 403, "curator": 403, "leader": 403, "division": 403, "anon": 303}},
			{fmt.Sprintf("/admin/users/%d/role", w.people["owner"].ID), form("role", "admin"), map[string]int{"owner": 403, "other": 403, "clerk": 403, "curator": 403, "leader": 403, "division": 403, "anon": 303}},
			{"/admin/settings", form("office.name", "Kantor Palsu"), map[string]int{"owner": 403, "other": 403, "clerk": 403, "curator": 403, "leader": 403, "division": 403, "anon": 303}},
			{"/admin/calendar/holidays", form("day", "2026-12-31", "name", "Libur palsu", "kind", "libur_nasional"), map[string]int{"owner": 403, "other": 403, "clerk": 403, "curator": 403, "leader": 403, "division": 403, "anon": 303}},
		}
		for _, c := range changes {
			for name, want := range c.want {
				before, denied := snapshot(), 0
				if u, ok := w.people[name]; ok {
					denied = denials(u)
				}
				got := w.browsers[name].post(c.path, c.body)
				if got.Status != want {
					t.Errorf("POST %s as %s: %d, want %d", c.path, name, got.Status, want)
				}
				if after := snapshot(); after != before {
					t.Errorf("POST %s as %s changed the database:\n before %s\n after  %s", c.path, name, before, after)
				}
				if u, ok := w.people[name]; ok && denials(u) <= denied {
					t.Errorf("POST %s as %s was refused without an audit record", c.path, name)
				}
			}
		}
		// The same through the API, by token.
		apis := []struct {
			path, body string
			want       map[string]int
		}{
			{"/api/v1" + app + "/actions", `{"action":"withdraw","reason":"iseng"}`, map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 401}},
			{"/api/v1" + app + "/samples", `{"samples":[{"product_id":` + pid + `,"quantity":3,"expiry_date":"2099-01-01"}]}`, map[string]int{"other": 404, "curator": 403, "leader": 403, "division": 403, "admin": 403, "anon": 401}},
		}
		for _, c := range apis {
			for name, want := range c.want {
				before := snapshot()
				b := e.browser()
				req := b.request(http.MethodPost, c.path, strings.NewReader(c.body), "Content-Type", "application/json")
				if tok := w.tokens[name]; tok != "" {
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				if got := b.do(req).Status; got != want {
					t.Errorf("API POST %s as %s: %d, want %d", c.path, name, got, want)
				}
				if after := snapshot(); after != before {
					t.Errorf("API POST %s as %s changed the database", c.path, name)
				}
			}
		}
	})
}

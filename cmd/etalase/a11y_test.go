package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/demo"
)

// TestEveryPageMeetsWCAG21AA opens every page of the demo as each kind of
// visitor — anonymous, applicants in each state, the clerk, the curator,
// leadership, a division officer and the admin — on a desktop (1366 px) and a
// 360-px phone, and fails on any WCAG 2.0/2.1 level A or AA rule axe-core
// finds broken. On the phone it also sets the text to 200 % and fails when the
// page scrolls sideways outside a data table's own labelled region (WCAG
// 1.4.4 and 1.4.10).
func TestEveryPageMeetsWCAG21AA(t *testing.T) {
	browsertest.Require(t)
	data := t.TempDir()
	const adminPassword = "tata kelola galeri jatim"
	if code, _, stderr := runCmd(t, adminPassword+"\n", "user", "create", "--data", data, "--role", "admin",
		"--email", "admin@galeri.jatimprov.go.id", "--name", "Admin Galeri"); code != 0 {
		t.Fatalf("create the admin: %s", stderr)
	}
	addr, _, _ := startServe(t, "--data", data, "--demo")
	base := "http://" + addr
	ids := demoIDs(t, data)
	newItem := demoNewItemURL(t, data)
	// Darmo's kerupuk did not pass; the demo leaves it decided, not announced:
	// closed here as after the announcement, so his page shows the reasons
	// and "Ajukan kembali".

	visitors := []struct {
		who, login, password string
		pages                []string
	}{
		{"anonymous", "", "", []string{"/", "/login", "/register", "/privacy", "/tidak-ada", "/katalog", "/katalog?q=sambal", "/katalog?q=zzz", "/katalog/1",
			"/password/forgot", "/verify", "/verify?n=REK-HKI-2026-00001", "/verify?n=REK-HKI-1999-99999", "/pengumuman/1", "/pengumuman/4"}},
		{"applicant on display", "lilik.sambal@demo.etalase.id", demo.Password, []string{ids.business("lilik.sambal") + "/stock", "/katalog/2"}},
		{"applicant in curation", "sri.keripik@demo.etalase.id", demo.Password, []string{"/", ids.business("sri.keripik"),
			ids.business("sri.keripik") + "/profile", ids.business("sri.keripik") + "/products/new", ids.app("sri.keripik"), "/profile", "/password"}},
		{"applicant with a returned document", "endah.pecel@demo.etalase.id", demo.Password, []string{"/", ids.business("endah.pecel"),
			ids.app("endah.pecel"), ids.product("endah.pecel")}},
		{"applicant who did not pass", "darmo.kerupuk@demo.etalase.id", demo.Password, []string{"/", ids.app("darmo.kerupuk")}},
		{"applicant with a draft", "fauzi.kopi@demo.etalase.id", demo.Password, []string{"/", ids.business("fauzi.kopi"), ids.app("fauzi.kopi")}},
		{"gallery clerk", "siti.galeri@demo.etalase.id", demo.Password, []string{"/", "/due", "/applications", "/applications?state=in_curation",
			ids.app("kholil"), ids.app("aminah.bandeng"), ids.app("sri.keripik"), ids.app("endah.pecel"), ids.app("fauzi.kopi"),
			ids.business("fauzi.kopi"), "/desk/applicants/new", "/desk/import", "/profile",
			"/stock", "/stock?days=90&slow=30", "/stock/items/1", "/stock/items/2", "/stock/documents/2", "/stock/locations", "/stock/import", newItem,
			"/curation", "/curation/rounds/1", "/curation/rounds/2", ids.curationProduct("darmo.kerupuk"),
			"/messages", "/messages/manual", "/referrals", "/referrals/1"}},
		{"curator", "bambang.kurator@demo.etalase.id", demo.Password, []string{"/", "/due", "/applications", ids.app("sri.keripik"),
			"/curation", "/curation" + ids.app("sri.keripik"), ids.curationProduct("sri.keripik"), ids.curationProduct("sumiati.wingko")}},
		{"leadership", "hadi.pimpinan@demo.etalase.id", demo.Password, []string{"/", "/applications", ids.app("dewi.brem")}},
		{"division officer", "rina.halal@demo.etalase.id", demo.Password, []string{"/", "/profile", "/referrals", "/referrals/1"}},
		{"admin", "admin@galeri.jatimprov.go.id", adminPassword, []string{"/", "/admin/users", "/admin/users/new", "/admin/users/1",
			"/admin/audit", "/admin/calendar", "/admin/settings", "/admin/rubric", "/admin/messages", "/admin/messages/templates", "/admin/messages/templates/result_not_passed?lang=id"}},
	}
	for _, v := range visitors {
		t.Run(strings.ReplaceAll(v.who, " ", "_"), func(t *testing.T) {
			desk := browsertest.New(t, browsertest.Desktop(), browsertest.Size(1366, 900), browsertest.BaseURL(base), browsertest.Timeout(4*time.Minute))
			phone := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(4*time.Minute))
			for _, b := range []*browsertest.Browser{desk, phone} {
				if v.login != "" {
					b.Navigate("/login")
					journeySignIn(b, v.login, v.password)
				}
			}
			for _, p := range v.pages {
				for _, c := range []struct {
					size string
					b    *browsertest.Browser
				}{{"1366 px", desk}, {"360 px", phone}} {
					c.b.Navigate(p)
					for _, vi := range c.b.Axe() {
						t.Errorf("%s at %s: %s", p, c.size, vi)
					}
				}
				phone.SetTextZoom(200)
				if scrolls, over := phone.SideScroll(); scrolls || len(over) > 0 {
					phone.Screenshot("reflow-" + strings.Trim(strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(p), "-"))
					t.Errorf("%s at 360 px and 200 %% text scrolls sideways (%v); sticking out: %v", p, scrolls, over)
				}
			}
		})
	}
}

// demoIDs finds the demo's businesses, applications and products by their
// owners' logins, so the test names pages as a person would find them.
type demoIndex struct {
	t                          *testing.T
	businesses, apps, products map[string]int64
}

func (d demoIndex) lookup(m map[string]int64, who, prefix string) string {
	id, ok := m[who]
	if !ok {
		d.t.Fatalf("the demo has no %s", who)
	}
	return fmt.Sprintf("%s%d", prefix, id)
}
func (d demoIndex) business(who string) string { return d.lookup(d.businesses, who, "/businesses/") }
func (d demoIndex) app(who string) string      { return d.lookup(d.apps, who, "/applications/") }
func (d demoIndex) curationProduct(who string) string {
	return "/curation" + d.app(who) + d.lookup(d.products, who, "/products/")
}
func (d demoIndex) product(who string) string {
	return d.business(who) + d.lookup(d.products, who, "/products/")
}

func demoIDs(t *testing.T, dataDir string) demoIndex {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "", dataDir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	idx := demoIndex{t: t, businesses: map[string]int64{}, apps: map[string]int64{}, products: map[string]int64{}}
	rows, err := d.Q(ctx).QueryContext(ctx, `SELECT COALESCE(u.email, u.phone), b.id, a.id, MIN(p.id) FROM users u
		JOIN businesses b ON b.owner_id = u.id JOIN applications a ON a.business_id = b.id JOIN products p ON p.business_id = b.id
		GROUP BY u.email, u.phone, b.id, a.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var login string
		var b, a, p int64
		if err := rows.Scan(&login, &b, &a, &p); err != nil {
			t.Fatal(err)
		}
		who, _, _ := strings.Cut(login, "@")
		if strings.HasPrefix(login, "+62819377") {
			who = "kholil"
		}
		idx.businesses[who], idx.apps[who], idx.products[who] = b, a, p
	}
	return idx
}

// demoNewItemURL is the clerk's form for the demo's passed product that is not
// yet an item.
func demoNewItemURL(t *testing.T, dataDir string) string {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, "", dataDir, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var app, product int64
	if err := d.Q(ctx).QueryRowContext(ctx, `SELECT application_id, product_id FROM product_decisions pd WHERE decision = 'passed'
		AND NOT EXISTS (SELECT 1 FROM items i WHERE i.product_id = pd.product_id) ORDER BY product_id LIMIT 1`).Scan(&app, &product); err != nil {
		t.Fatalf("the demo has no passed product waiting to be an item: %v", err)
	}
	return fmt.Sprintf("/stock/items/new?application=%d&product=%d", app, product)
}

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/role"
)

// draft makes an applicant with a business and a draft application.
func (e *env) draft(email, business string) application.Application {
	e.t.Helper()
	ctx := systemCtx()
	u := e.user(account.NewUser{Email: email, Name: "Pemilik " + business})
	b, _, err := e.app.Applicants.Save(ctx, u, u.ID, applicant.BusinessInput{Name: business, OwnerName: "Pemilik " + business, ProvinceCode: "35", RegencyCode: "3578"})
	if err != nil {
		e.t.Fatal(err)
	}
	p, _, err := e.app.Applicants.SaveProduct(ctx, u, b.ID, 0, applicant.ProductInput{Name: "Produk " + business})
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.app.Applications.CreateDraft(ctx, u, b.ID, []int64{p.ID}, application.Online)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// onClock puts a's running step on the clock, due at due, submitted at
// submitted (written directly: these tests are about the lists, not the
// procedure).
func (e *env) onClock(a application.Application, submitted, due time.Time) {
	e.t.Helper()
	err := e.d.InTx(context.Background(), func(ctx context.Context, tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'submitted', step = 1, due_at = ? WHERE id = ?", due, a.ID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_state, to_state, reason, step, due_at)
			VALUES (?, ?, NULL, 'submit', 'draft', 'submitted', '', 1, ?)`, a.ID, submitted, due)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// The staff's list shows fifty applications a page with a link to the next,
// the date each was submitted, and marks a late one in words; the due list
// holds only what is due today or late, as its title says.
func TestStaffListsArePagedAndMarkWhatIsLate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		var apps []application.Application
		for i := range application.DefaultPageSize + 3 {
			apps = append(apps, e.draft(fmt.Sprintf("ukm%02d@contoh.id", i), fmt.Sprintf("Usaha Nomor %02d", i)))
		}
		now := e.clock.now()
		late, today, later := apps[1], apps[2], apps[3]
		e.onClock(late, now.Add(-72*time.Hour), now.Add(-time.Hour))
		e.onClock(today, now.Add(-time.Hour), now.Add(time.Minute))
		e.onClock(later, now.Add(-time.Hour), now.Add(10*24*time.Hour))
		clerk := e.signIn("siti@galeri.id", pw)

		first := clerk.get("/applications").wantStatus(http.StatusOK)
		if n := first.find("#applications tbody tr").Length(); n != application.DefaultPageSize {
			t.Fatalf("first page has %d rows, want %d", n, application.DefaultPageSize)
		}
		next, ok := first.attr(`nav.pager a[rel="next"]`, "href")
		if !ok || !strings.HasPrefix(next, "/applications?cursor=") {
			t.Fatalf("no next-page link: %q", first.text("nav.pager"))
		}
		if first.find(`nav.pager a:not([rel])`).Length() != 0 {
			t.Error("the first page offers a way back to itself")
		}
		second := clerk.get(next).wantStatus(http.StatusOK)
		rows := second.find("#applications tbody tr")
		if rows.Length() != 3 || second.find(`nav.pager a[rel="next"]`).Length() != 0 {
			t.Fatalf("second page: %d rows, pager %q", rows.Length(), second.text("nav.pager"))
		}
		if back, _ := second.attr(`nav.pager a:not([rel])`, "href"); back != "/applications" {
			t.Errorf("the way back to the first page: %q", back)
		}
		// The oldest three: apps[2] (due in a minute), apps[1] (late), apps[0].
		lateRow := second.find(fmt.Sprintf(`#applications tr:has(a[href="/applications/%d"])`, late.ID))
		if !lateRow.Is(".overdue") || !strings.Contains(lateRow.Text(), "Terlambat") {
			t.Errorf("the late application's row is not marked late: %q", lateRow.Text())
		}
		if sub := strings.Join(strings.Fields(lateRow.Find(`td[data-label="Diajukan"]`).Text()), " "); !strings.HasSuffix(sub, "WIB") {
			t.Errorf("the submitted date of the late application: %q", sub)
		}
		if second.find(fmt.Sprintf(`#applications tr.overdue:has(a[href="/applications/%d"])`, today.ID)).Length() != 0 {
			t.Error("an application due in a minute is marked late")
		}
		// Paging keeps the filter.
		filtered := clerk.get("/applications?q=usaha").wantStatus(http.StatusOK)
		if next, _ := filtered.attr(`nav.pager a[rel="next"]`, "href"); !strings.Contains(next, "q=usaha") {
			t.Errorf("the next page of a filtered list loses the filter: %q", next)
		}
		clerk.get("/applications?cursor=rusak").wantStatus(http.StatusUnprocessableEntity)

		due := clerk.get("/due").wantStatus(http.StatusOK)
		var got []string
		due.find("#due tbody a").Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); got = append(got, h) })
		if fmt.Sprint(got) != fmt.Sprint([]string{fmt.Sprintf("/applications/%d", late.ID), fmt.Sprintf("/applications/%d", today.ID)}) {
			t.Errorf("due list %v, want the late one then the one due today (not the one due in ten days)", got)
		}
		if h := due.text("h1"); h != "Tenggat hari ini dan terlambat" {
			t.Errorf("due list title %q", h)
		}
	})
}

// A search of any text answers with a normal page (or JSON), never an error.
func TestSearchOfAnyTextAnswersNormally(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		a := e.draft("sri@keripik.id", "Keripik Tempe Sanan")
		b := e.signIn("siti@galeri.id", pw)
		_, secret, _ := e.accounts.CreateToken(systemCtx(), clerk, "uji")
		for _, q := range []string{"keripik sanan", `"`, `' OR 1=1 --`, "NEAR(a b)", "🙂", strings.Repeat("x", 1000), "tempe* AND NOT"} {
			ans := b.get("/applications?q=" + url.QueryEscape(q)).wantStatus(http.StatusOK)
			if got := ans.find(fmt.Sprintf(`a[href="/applications/%d"]`, a.ID)).Length(); (q == "keripik sanan") != (got == 1) {
				t.Errorf("search %.30q: %d links to Sri's application", q, got)
			}
			api := b.do(b.request("GET", "/api/v1/applications?q="+url.QueryEscape(q), nil, "Authorization", "Bearer "+secret))
			api.wantStatus(http.StatusOK)
		}
	})
}

// The API pages the same way: next_cursor leads to the next page, null on the
// last; a bad cursor or limit is refused in words.
func TestAPIListsArePagedByCursor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		clerk := e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		var want []string
		for i := range 5 {
			a := e.draft(fmt.Sprintf("ukm%d@contoh.id", i), fmt.Sprintf("Usaha %d", i))
			want = append([]string{a.Number}, want...)
			e.onClock(a, e.clock.now(), e.clock.now().Add(-time.Duration(i+1)*time.Hour))
		}
		_, secret, _ := e.accounts.CreateToken(systemCtx(), clerk, "uji")
		b := e.browser()
		get := func(path string) *answer {
			return b.do(b.request("GET", path, nil, "Authorization", "Bearer "+secret))
		}
		for _, list := range []struct{ path, key string }{{"/api/v1/applications", "applications"}, {"/api/v1/due", "items"}} {
			var got []string
			path := list.path + "?limit=2"
			for pages := 0; ; pages++ {
				var body map[string]any
				get(path).wantStatus(http.StatusOK).json(&body)
				for _, it := range body[list.key].([]any) {
					got = append(got, it.(map[string]any)["number"].(string))
				}
				next, ok := body["next_cursor"]
				if !ok {
					t.Fatalf("%s: no next_cursor in the answer", list.path)
				}
				if next == nil {
					break
				}
				if pages > 5 {
					t.Fatalf("%s: too many pages", list.path)
				}
				path = list.path + "?limit=2&cursor=" + url.QueryEscape(next.(string))
			}
			if len(got) != 5 {
				t.Errorf("%s: %q, want five", list.path, got)
			}
			if list.path == "/api/v1/applications" && fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("applications %q, want %q (newest first)", got, want)
			}
			if list.path == "/api/v1/due" && fmt.Sprint(got) != fmt.Sprint(want) {
				// Due an hour apart, the newest the earliest due: most urgent first.
				t.Errorf("due %q, want %q", got, want)
			}
			var apiErr apiError
			get(list.path + "?cursor=rusak").wantStatus(http.StatusUnprocessableEntity).json(&apiErr)
			if apiErr.Error.Code != "list.cursor" {
				t.Errorf("%s with a bad cursor: %+v", list.path, apiErr)
			}
			get(list.path + "?limit=0").wantStatus(http.StatusUnprocessableEntity)
			get(list.path + "?limit=201").wantStatus(http.StatusUnprocessableEntity)
		}
	})
}

// What an applicant typed is shown on the staff's lists as text, never as
// markup.
func TestListsEscapeWhatApplicantsTyped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.user(account.NewUser{Email: "siti@galeri.id", Role: role.StafGaleri})
		a := e.draft("x@contoh.id", `Keripik <script>alert("x")</script> & "Gurih"`)
		e.onClock(a, e.clock.now(), e.clock.now().Add(-time.Hour))
		b := e.signIn("siti@galeri.id", pw)
		for _, path := range []string{"/applications", "/due"} {
			ans := b.get(path).wantStatus(http.StatusOK)
			if strings.Contains(ans.Body, "<script>alert") || !strings.Contains(ans.Body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Gurih&#34;") {
				t.Errorf("%s: the business name is not escaped", path)
			}
			if ans.find("td script").Length() != 0 {
				t.Errorf("%s: a script element in a cell", path)
			}
		}
	})
}

package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/web"
	"github.com/etalase-id/etalase/internal/workday"
)

// duplicateIDs lists the ids that appear more than once on a page.
func duplicateIDs(a *answer) []string {
	seen := map[string]int{}
	a.find("[id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		seen[id]++
	})
	var dup []string
	for id, n := range seen {
		if n > 1 {
			dup = append(dup, id)
		}
	}
	return dup
}

func TestTheCalendarPageShowsDaysAsDDMMYYYYWithUniqueIDs(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		a := adm.get("/admin/calendar?year=2026").wantStatus(http.StatusOK)
		first := a.text("#holidays tbody tr:first-child td:first-child")
		if first != "01-01-2026 (Kamis)" {
			t.Errorf("the first holiday's day reads %q, want 01-01-2026 (Kamis)", first)
		}
		if iso := regexp.MustCompile(`\b20\d\d-\d\d-\d\d\b`).FindString(a.text("main")); iso != "" {
			t.Errorf("the page shows the ISO date %s", iso)
		}
		if dup := duplicateIDs(a); len(dup) > 0 {
			t.Errorf("ids used more than once: %v", dup)
		}
		// A problem with the year's decree is shown at the year's field only.
		a = adm.post("/admin/calendar/years", url.Values{"year": {"2027"}, "year_decree": {""}}).wantStatus(http.StatusUnprocessableEntity)
		if a.fieldError("year_decree") == "" || a.find("#e-decree").Length() != 0 {
			t.Error("the year's decree problem is not at the year's field alone")
		}
		if dup := duplicateIDs(a); len(dup) > 0 {
			t.Errorf("ids used more than once after a refusal: %v", dup)
		}
		// A day typed as people write it is understood.
		adm.post("/admin/calendar/holidays", url.Values{"year": {"2027"}, "day": {"17-08-2027"}, "name": {"Hari Proklamasi"}, "kind": {"libur_nasional"}, "decree": {"SKB 2027"}}).
			wantRedirect("/admin/calendar?year=2027")
	})
}

// The finding: a holiday of 2027 ended up on the 2026 page. A holiday is
// listed on its own year's page only; a refused one is shown again on the
// page it was typed on.
func TestA2027HolidayIsNotShownOnThe2026Page(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		a := adm.post("/admin/calendar/holidays", url.Values{"year": {"2027"}, "day": {"2027-01-01"}, "name": {"Tahun Baru 2027"}, "kind": {"libur_nasional"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if got := a.text("h1"); got != "Kalender hari kerja 2027" || a.fieldError("decree") == "" {
			t.Errorf("a refused 2027 holiday comes back on the page %q", got)
		}
		if strings.Contains(a.text("#holidays"), "2026") {
			t.Error("the 2027 page lists 2026 holidays")
		}
		// Saved from the 2026 page, it is listed on 2027's.
		adm.post("/admin/calendar/holidays", url.Values{"year": {"2026"}, "day": {"2027-01-01"}, "name": {"Tahun Baru 2027"}, "kind": {"libur_nasional"}, "decree": {"SKB 2027"}}).
			wantRedirect("/admin/calendar?year=2027")
		if strings.Contains(adm.get("/admin/calendar?year=2026").text("#holidays"), "2027") {
			t.Error("the 2026 page lists a 2027 holiday")
		}
		if !strings.Contains(adm.get("/admin/calendar?year=2027").text("#holidays"), "01-01-2027") {
			t.Error("the 2027 page does not list its holiday")
		}
	})
}

// "Hapus" asks first, without script (the CSP forbids inline script): the
// confirming button sits inside a closed <details>, and a delete that was not
// confirmed is not done.
func TestDeletingAHolidayAsksForConfirmationWithoutScript(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		a := adm.get("/admin/calendar?year=2026").wantStatus(http.StatusOK)
		row := a.find("#holidays tbody tr").First()
		box := row.Find("details.confirm")
		if box.Length() != 1 || box.AttrOr("open", "none") != "none" {
			t.Fatal("the delete is not behind a closed <details>")
		}
		if !strings.Contains(box.Find("summary").Text(), "Hapus") || !strings.Contains(box.Find("form p").Text(), "Tahun Baru") {
			t.Errorf("the confirmation reads %q / %q", box.Find("summary").Text(), box.Find("form p").Text())
		}
		if v, _ := box.Find("form button").Attr("value"); v != "yes" {
			t.Error("the confirming button does not confirm")
		}
		if a.find("script:not([src])").Length() != 0 || regexp.MustCompile(`\son[a-z]+=`).MatchString(a.Body) {
			t.Error("the page uses inline script")
		}
		action, _ := box.Find("form").Attr("action")
		adm.post(action, nil).wantRedirect("/admin/calendar?year=2026")
		if !strings.Contains(adm.get("/admin/calendar?year=2026").text("#holidays"), "01-01-2026") {
			t.Fatal("an unconfirmed delete deleted the holiday")
		}
		adm.post(action, url.Values{"confirm": {"yes"}}).wantRedirect("/admin/calendar?year=2026")
		if strings.Contains(adm.get("/admin/calendar?year=2026").text("#holidays"), "01-01-2026") {
			t.Fatal("the confirmed delete did not delete the holiday")
		}
	})
}

// Each server keeps the calendar it built (behind the calendar's version): an
// admin's edit through one server shows on the next page of both, as two
// processes on one database would see it.
func TestACalendarEditShowsOnTheNextPageOfEveryServer(t *testing.T) {
	t.Parallel()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		one := newEnv(t, d)
		one.clock.t = time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB)
		// A second server on the database, with a kept calendar of its own.
		app2 := *one.app
		app2.Calendar = calendar.New(d)
		srv2, err := web.New(web.Config{App: &app2, Version: "test", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		two := *one
		two.app, two.srv, two.ts = &app2, srv2, httptest.NewServer(srv2)
		t.Cleanup(two.ts.Close)
		one.admin("admin@contoh.id")
		a1, a2 := one.signIn("admin@contoh.id", pw), two.signIn("admin@contoh.id", pw)
		for _, b := range []*browser{a1, a2} {
			if b.get("/").wantStatus(http.StatusOK).find("#calendar-warning").Length() != 1 {
				t.Fatal("in November, without the 2027 calendar, the admin is not warned")
			}
		}
		a1.post("/admin/calendar/years", url.Values{"year": {"2027"}, "year_decree": {"SKB 3 Menteri Tahun 2027"}}).wantRedirect("/admin/calendar?year=2027")
		for i, b := range []*browser{a1, a2} {
			if b.get("/").wantStatus(http.StatusOK).find("#calendar-warning").Length() != 0 {
				t.Fatalf("server %d still warns that 2027 is missing after it was entered", i+1)
			}
		}
		holiday := url.Values{"year": {"2027"}, "day": {"17-08-2027"}, "name": {"Hari Proklamasi"}, "kind": {"libur_nasional"}, "decree": {"SKB 2027"}}
		a2.post("/admin/calendar/holidays", holiday).wantRedirect("/admin/calendar?year=2027")
		for i, e := range []*env{one, &two} {
			cal, err := e.app.Calendar.Load(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if cal.IsWorkingDay(workday.MustParseDate("2027-08-17")) {
				t.Fatalf("server %d does not see the holiday added on the other", i+1)
			}
		}
	})
}

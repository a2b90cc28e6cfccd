package web_test

import (
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// The admin reads the trail in words, newest first by time, and narrows it
// with filters chosen from lists.
func TestTheAuditLogIsInWordsInTimeOrderWithFiltersFromLists(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		adm := e.signIn("admin@contoh.id", pw)
		adm.post("/admin/users", url.Values{"name": {"Dewi Kartika"}, "email": {"dewi@contoh.id"}, "role": {"kurator"}}).wantStatus(http.StatusCreated)
		dewi, err := e.accounts.ByLogin(systemCtx(), "dewi@contoh.id")
		if err != nil {
			t.Fatal(err)
		}
		e.clock.add(time.Minute)
		adm.post("/admin/users/"+strconv.FormatInt(dewi.ID, 10)+"/role", url.Values{"role": {"staf_galeri"}}).wantRedirect("/admin/users/" + strconv.FormatInt(dewi.ID, 10))
		// Written last, happened first: an entry from a moved clock.
		e.clock.add(-24 * time.Hour)
		if err := audit.Write(systemCtx(), e.d, "calendar.year", "calendar_year", "2027", "Kalender 2027"); err != nil {
			t.Fatal(err)
		}

		a := adm.get("/admin/audit").wantStatus(http.StatusOK)
		rows := a.find("table.audit tbody tr")
		var actions []string
		for i := range rows.Length() {
			actions = append(actions, strings.Join(strings.Fields(rows.Eq(i).Find("td").Eq(2).Text()), " "))
		}
		if len(actions) < 3 || actions[0] != "Peran diubah" || actions[len(actions)-1] != "Keputusan kalender dicatat" {
			t.Errorf("actions in the order shown: %v; want words, the role change first and the back-dated entry last", actions)
		}
		if strings.Contains(a.find("table.audit").Text(), "user.change_role") {
			t.Error("the trail shows action codes instead of words")
		}
		first := a.find("table.audit tbody tr").First()
		if when := strings.TrimSpace(first.Find("td").First().Text()); !regexp.MustCompile(`^\d{2}-\d{2}-\d{4} \d{2}:\d{2} WIB$`).MatchString(when) {
			t.Errorf("time shown as %q, want dd-mm-yyyy hh:mm WIB", when)
		}
		if got := strings.Join(strings.Fields(first.Find("ul.changes").Text()), " "); !strings.Contains(got, "Peran: kurator → staf_galeri") {
			t.Errorf("the role change reads %q, want the field with before and after", got)
		}
		if got := strings.Join(strings.Fields(first.Find("td").Eq(3).Text()), " "); got != "Akun: Dewi Kartika" {
			t.Errorf("the object reads %q, want the account's name", got)
		}
		if got := strings.Join(strings.Fields(first.Find("td").Eq(1).Text()), " "); !strings.Contains(got, "Admin Galeri") {
			t.Errorf("the actor reads %q, want the admin's name", got)
		}

		// Filters are lists: actors (staff by name), actions in words, kinds of object.
		if a.find("select#f-actor option").FilterFunction(func(_ int, o *goquery.Selection) bool { return o.Text() == "Dewi Kartika · Staf Galeri" }).Length() != 1 {
			t.Error("the actor list lacks the staff member by name and role")
		}
		if a.find("select#f-action optgroup").Length() < 5 || a.find("select#f-object_type option[value=user]").Text() != "Akun" {
			t.Error("actions or kinds of object are not offered as lists in words")
		}
		byActor := adm.get("/admin/audit?actor=" + strconv.FormatInt(dewi.ID, 10)).wantStatus(http.StatusOK)
		if n := byActor.find("table.audit tbody tr td[colspan]").Length(); n != 1 {
			t.Errorf("Dewi has done nothing yet, but the filter by her shows rows")
		}
		onDewi := adm.get("/admin/audit?object_type=user&object_id=" + strconv.FormatInt(dewi.ID, 10) + "&action=user.change_role").wantStatus(http.StatusOK)
		if n := onDewi.find("table.audit tbody tr").Length(); n != 1 {
			t.Errorf("role changes on Dewi's account: %d rows, want 1", n)
		}
		if v, _ := onDewi.attr("select#f-action option[selected]", "value"); v != "user.change_role" {
			t.Errorf("the chosen action is not kept in the list: %q", v)
		}
		system := adm.get("/admin/audit?actor=none").wantStatus(http.StatusOK)
		if got := system.text("table.audit tbody tr td:nth-child(3)"); !strings.Contains(got, "Keputusan kalender dicatat") || strings.Contains(got, "Peran diubah") {
			t.Errorf("entries without an account: %q", got)
		}
		// An applicant is found by e-mail or number.
		e.user(account.NewUser{Email: "sri@keripik.id", Name: "Sri", Role: role.Pemohon})
		e.signIn("sri@keripik.id", pw)
		bySri := adm.get("/admin/audit?actor_login=sri%40keripik.id").wantStatus(http.StatusOK)
		if got := bySri.text("table.audit tbody tr td:nth-child(3)"); got != "Masuk" {
			t.Errorf("Sri's entries: %q, want her sign-in", got)
		}
		// A day typed as dd-mm-yyyy is understood.
		today := time.Now().In(time.FixedZone("WIB", 7*3600)).Format("02-01-2006")
		if adm.get("/admin/audit?from="+today).find(".error").Length() != 0 {
			t.Error("a day typed as dd-mm-yyyy is refused")
		}
	})
}

// Every action the code writes to the trail can be chosen from the list, in
// words, in both languages: a new action without words fails here.
func TestEveryAuditActionCanBeChosenFromTheList(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.admin("admin@contoh.id")
		a := e.signIn("admin@contoh.id", pw).get("/admin/audit").wantStatus(http.StatusOK)
		offered := map[string]string{}
		for i, opts := 0, a.find("select#f-action option"); i < opts.Length(); i++ {
			v, _ := opts.Eq(i).Attr("value")
			offered[v] = opts.Eq(i).Text()
		}
		// Actions appear as the third argument of audit.Record and audit.Write,
		// or are chosen into a variable passed on (account's update and
		// setPassword); the engine's are application.<sop action>.
		lit := regexp.MustCompile(`(?:audit\.(?:Record|Write)\((?:[^,()]|\([^()]*\))+,\s*[^,]+,\s*|action(?:, summary)?\s*:?=\s*|s\.update\(ctx, id, |s\.setPassword\([^"\n]*)"([a-z_]+\.[a-z_]+)"`)
		found := 0
		err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
				action := m[1]
				found++
				text, ok := offered[action]
				if !ok || text == "" || strings.HasPrefix(text, "audit.") {
					t.Errorf("%s writes %q, which the audit page does not offer in words (%q)", path, action, text)
				}
				if !e.cat.Has("en", "audit.action."+action) {
					t.Errorf("%q has no English words", action)
				}
			}
			return nil
		})
		if err != nil || found < 30 {
			t.Fatalf("found %d actions in the code (%v); the scan is broken", found, err)
		}
		for _, act := range sop.Actions() {
			if text := offered["application."+string(act)]; text == "" || strings.HasPrefix(text, "audit.") {
				t.Errorf("the engine's %s is not offered in words (%q)", act, text)
			}
		}
	})
}

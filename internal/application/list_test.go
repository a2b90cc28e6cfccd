package application_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// draftFor makes another applicant with a business and a draft application.
func (w *world) draftFor(email, business, owner, regency string) application.Application {
	w.t.Helper()
	u := w.user(email, role.Pemohon)
	b, _, err := w.app.Applicants.Save(w.ctx, u, u.ID, applicant.BusinessInput{Name: business, OwnerName: owner, ProvinceCode: "35", RegencyCode: regency})
	if err != nil {
		w.t.Fatal(err)
	}
	p, _, err := w.app.Applicants.SaveProduct(w.ctx, u, b.ID, 0, applicant.ProductInput{Name: "Produk " + business})
	if err != nil {
		w.t.Fatal(err)
	}
	a, err := w.app.Applications.CreateDraft(w.ctx, u, b.ID, []int64{p.ID}, application.Online)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

func numbers[T any](items []T, number func(T) string) []string {
	var out []string
	for _, it := range items {
		out = append(out, number(it))
	}
	return out
}

func appNumber(a application.Application) string { return a.Number }

// Pages follow one another by the last row shown: together they hold every
// application once, newest first, and one added while paging neither repeats
// a row nor hides one.
func TestListPagesAfterTheLastRowShown(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var want []string
		for i := range 7 {
			a := w.draftFor(fmt.Sprintf("ukm%d@contoh.id", i), fmt.Sprintf("Usaha %d", i), "Pemilik", "3578")
			want = append([]string{a.Number}, want...)
		}
		var got []string
		f := application.Filter{Limit: 3}
		for page := 0; ; page++ {
			p, err := w.app.Applications.List(w.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, numbers(p.Items, appNumber)...)
			if page == 0 {
				w.draftFor("baru@contoh.id", "Usaha Baru", "Pemilik", "3578") // newer than every page to come
			}
			if p.Next == "" {
				break
			}
			if len(p.Items) != 3 {
				t.Fatalf("page %d has %d rows before the last page", page, len(p.Items))
			}
			f.Cursor = p.Next
		}
		if !slices.Equal(got, want) {
			t.Fatalf("pages hold %q, want %q", got, want)
		}

		p, err := w.app.Applications.List(w.ctx, application.Filter{State: sop.Submitted})
		if err != nil || len(p.Items) != 0 || p.Next != "" {
			t.Fatalf("no application is submitted: %+v %v", p, err)
		}
		for _, bad := range []string{"x", "bGFiYw", "ZDEyMy40", "bDA", "bC01", "%%%", strings.Repeat("A", 200)} {
			if _, err := w.app.Applications.List(w.ctx, application.Filter{Cursor: bad}); code(err) != "list.cursor" {
				t.Errorf("cursor %q: %v, want list.cursor", bad, err)
			}
		}
	})
}

// The search finds the words that begin the number, the business's name, the
// owner's name and the regency, in any order and case, and follows a renamed
// business at once.
func TestSearchFindsNumberBusinessOwnerAndRegency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		sri := w.submitted() // Keripik Tempe Sanan Bu Sri, Sri Wahyuni, Kota Malang
		kholil := w.draftFor("kholil@batik.id", "Batik Tulis Tanjung Bumi", "Moh. Kholil", "3526")
		endah := w.draftFor("endah@sambal.id", "Sambal Pecel Mbak Endah", "Endah Puspitasari", "3577")
		search := func(q string) []string {
			t.Helper()
			p, err := w.app.Applications.List(w.ctx, application.Filter{Search: q})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			return numbers(p.Items, appNumber)
		}
		for q, want := range map[string][]string{
			"kerip":                        {sri.Number},
			"KERIPIK tempe":                {sri.Number},
			"tempe keripik":                {sri.Number},
			"wahyuni":                      {sri.Number},
			"malang":                       {sri.Number},
			"bangkalan":                    {kholil.Number},
			"kota":                         {endah.Number, sri.Number}, // Kota Madiun, Kota Malang
			sri.Number:                     {sri.Number},
			strings.ToLower(sri.Number):    {sri.Number},
			sri.Number[len(sri.Number)-5:]: {sri.Number},
			"kholil batik":                 {kholil.Number},
			"kholil sambal":                nil,
			"tidak ada":                    nil,
		} {
			if got := search(q); !slices.Equal(got, want) {
				t.Errorf("search %q: %q, want %q", q, got, want)
			}
		}
		p, err := w.app.Applications.List(w.ctx, application.Filter{Search: "kota", State: sop.Submitted})
		if err != nil || !slices.Equal(numbers(p.Items, appNumber), []string{sri.Number}) {
			t.Errorf("search with a state: %+v %v", p, err)
		}

		// A clerk corrects the business's name: the search follows.
		if _, _, err := w.app.Applicants.Save(w.ctx, w.clerk, w.sri.ID, applicant.BusinessInput{Name: "Keripik Tempe Kenari", OwnerName: "Sri Wahyuni", NIB: "9120301234567",
			ProvinceCode: "35", RegencyCode: "3578", WhatsApp: "085233100202", Category: "Makanan", Size: "mikro"}); err != nil {
			t.Fatal(err)
		}
		if got := search("kenari surabaya"); !slices.Equal(got, []string{sri.Number}) {
			t.Errorf("after the rename: %q", got)
		}
		if got := search("sanan"); got != nil {
			t.Errorf("the old name is still found: %q", got)
		}

		// Paging within a search.
		p, err = w.app.Applications.List(w.ctx, application.Filter{Search: "kota", Limit: 1})
		if err != nil || len(p.Items) != 1 || p.Next == "" {
			t.Fatalf("first page of one: %+v %v", p, err)
		}
		p, err = w.app.Applications.List(w.ctx, application.Filter{Search: "kota", Limit: 1, Cursor: p.Next})
		if err != nil || len(p.Items) != 1 || p.Items[0].Number != sri.Number {
			t.Fatalf("second page of one: %+v %v", p, err)
		}
	})
}

// Whatever is typed into the search box — quotes, the engines' operators, SQL,
// a pasted page, emoji — gives a normal answer: the rows that match, or none.
func TestSearchOfAnyTextIsANormalAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		sri := w.submitted()
		for _, q := range hostileSearches {
			p, err := w.app.Applications.List(w.ctx, application.Filter{Search: q})
			if err != nil {
				t.Errorf("search %.40q: %v", q, err)
			}
			if len(p.Items) > 1 {
				t.Errorf("search %.40q: %d rows", q, len(p.Items))
			}
		}
		// Words around the operators still count.
		p, err := w.app.Applications.List(w.ctx, application.Filter{Search: `"keripik" AND NOT (tempe*) OR 1=1; --`})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != 0 {
			t.Errorf("an operator-looking search matched on its words 1 and not: %+v", p.Items)
		}
		p, err = w.app.Applications.List(w.ctx, application.Filter{Search: `"keripik"* -tempe- 🙂`})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != sri.ID {
			t.Errorf("quoted and starred words: %+v %v", p.Items, err)
		}
	})
}

var hostileSearches = []string{
	`"`, `'`, `''`, `"""`, `*`, `**`, `-`, `^`, `:`, `:*`, `&`, `|`, `!`, `(`, `)`, `()`, `<->`, `\`, "\x00", "\t\n",
	`AND`, `OR`, `NOT`, `NEAR`, `NEAR(a b, 2)`, `a NOT b`, `a OR b`, `"a" AND`, `number:GAL`, `{number business}: x`,
	`' OR 1=1 --`, `'; DROP TABLE applications; --`, `%`, `_`, `%_%`, `a:* & b:*`, `!a | b`, `<script>alert(1)</script>`,
	"🙂", "🙂🙂🙂 😀", "👩‍👩‍👧", "ﬁ", "e\u0301", "東京", "١٢٣", "½", "\u200b", "\uFEFF",
	strings.Repeat("a", 1000), strings.Repeat("keripik ", 125), strings.Repeat(`"x" OR `, 140), strings.Repeat("🙂", 250),
}

// FuzzSearch runs the search of any text on both engines: never an error.
func FuzzSearch(f *testing.F) {
	for _, q := range hostileSearches {
		f.Add(q)
	}
	var svcs []*application.Service
	for _, e := range dbtest.Engines {
		d := dbtest.Open(f, e)
		svcs = append(svcs, application.New(d, calendar.Store{DB: d}))
	}
	f.Fuzz(func(t *testing.T, q string) {
		for _, s := range svcs {
			if _, err := s.List(context.Background(), application.Filter{Search: q, Limit: 5}); err != nil {
				t.Fatalf("%s: search %q: %v", s.DB.Engine, q, err)
			}
		}
	})
}

func TestSearchTerms(t *testing.T) {
	for q, want := range map[string][]string{
		"GAL-2026-00001":         {"gal", "2026", "00001"},
		`  Keripik  "Tempe"*  `:  {"keripik", "tempe"},
		"kota kota KOTA":         {"kota"},
		"🙂 ' -- ;":               nil,
		"Café e\u0301":           {"café", "e\u0301"},
		strings.Repeat("ab", 40): {strings.Repeat("ab", 16)},
		"a b c d e f g h i j":    {"a", "b", "c", "d", "e", "f", "g", "h"},
	} {
		if got := application.SearchTerms(q); !slices.Equal(got, want) {
			t.Errorf("SearchTerms(%q) = %q, want %q", q, got, want)
		}
	}
}

// The search reads regency names from a table of the database; it must hold
// internal/idn's names.
func TestRegencyNamesInTheDatabaseMatchIDN(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		rows, err := d.Q(ctx).QueryContext(ctx, "SELECT code, name FROM regencies ORDER BY code")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []idn.RegencyInfo
		for rows.Next() {
			var r idn.RegencyInfo
			if err := rows.Scan(&r.Code, &r.Name); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		want := idn.RegenciesOf(idn.EastJava)
		if len(got) != len(want) {
			t.Fatalf("%d regencies in the database, idn has %d", len(got), len(want))
		}
		for i := range want {
			if got[i].Code != want[i].Code || got[i].Name != want[i].Name {
				t.Errorf("regency %d: database %s %q, idn %s %q", i, got[i].Code, got[i].Name, want[i].Code, want[i].Name)
			}
		}
	})
}

// The due list holds what is due today (WIB) and what is late, most urgent
// first, a page at a time; steps due tomorrow or later are not in it.
func TestDueListHoldsDueTodayAndLateOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d) // Monday 2 November 2026, 09:00 WIB
		now := d.Now()
		at := func(days int, hour int) time.Time {
			y, m, dd := now.Date()
			return time.Date(y, m, dd+days, hour, 0, 0, 0, now.Location()).UTC()
		}
		dues := map[string]time.Time{
			"late-2":   at(-2, 23), // two days late
			"late-1":   at(0, 8),   // an hour ago
			"today":    at(0, 23),  // tonight
			"today-b":  at(0, 23),  // the same instant: ordered by id
			"tomorrow": at(1, 10),
			"next":     at(7, 10),
		}
		ids := map[string]int64{}
		for _, k := range []string{"tomorrow", "today-b", "late-1", "next", "today", "late-2"} {
			a := w.draftFor(k+"@contoh.id", "Usaha "+k, "Pemilik", "3578")
			ids[k] = a.ID
			if err := d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
				_, err := tx.ExecContext(ctx, "UPDATE applications SET state = 'submitted', step = 1, due_at = ? WHERE id = ?", dues[k], a.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		// A capability's own clocks come in the same order, each once, the
		// pages' cursor notwithstanding.
		clocks := fakeDueSource{}
		for i, k := range []string{"clock-late", "clock-today"} {
			due := []time.Time{at(-1, 12), at(0, 12)}[i]
			a, _ := w.app.Applications.Get(w.ctx, ids["next"])
			a.DueAt = &due
			clocks = append(clocks, application.DueItem{Application: a, Clock: &application.Clock{Kind: "fake", ID: int64(i + 1), Path: k}})
		}
		w.app.Applications.AddDueSource(clocks)
		var got []string
		var status []string
		f := application.DueFilter{Limit: 2}
		for {
			p, err := w.app.Applications.DueList(w.ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				if it.Clock != nil {
					got = append(got, it.Clock.Path)
				} else {
					for k, id := range ids {
						if id == it.ID {
							got = append(got, k)
						}
					}
				}
				status = append(status, string(it.Status))
			}
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
		if want := []string{"late-2", "clock-late", "late-1", "clock-today", "today-b", "today"}; !slices.Equal(got, want) {
			t.Errorf("due list %q, want %q", got, want)
		}
		if want := []string{"late", "late", "late", "due_today", "due_today", "due_today"}; !slices.Equal(status, want) {
			t.Errorf("statuses %q, want %q", status, want)
		}
		if _, err := w.app.Applications.DueList(w.ctx, application.DueFilter{Cursor: "bDE"}); code(err) != "list.cursor" {
			t.Errorf("a list cursor on the due list: %v", err)
		}
	})
}

// A database made by the previous release finds its applications by search
// once upgraded: migration 0004 fills the full-text index from what is there.
func TestSearchFindsWhatWasThereBeforeTheUpgrade(t *testing.T) {
	for _, e := range dbtest.Engines {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			d := dbtest.OpenEmpty(t, e, false)
			if _, err := d.MigrateTo(ctx, 3); err != nil {
				t.Fatal(err)
			}
			err := d.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
				now := tx.Now
				for _, q := range []struct {
					sql  string
					args []any
				}{
					{"INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at) VALUES (1, 'sri@keripik.id', 'Sri', 'pemohon', '!', ?, ?)", []any{now, now}},
					{"INSERT INTO businesses (id, owner_id, name, owner_name, regency_code, created_at, updated_at) VALUES (1, 1, 'Keripik Tempe Sanan', 'Sri Wahyuni', '3573', ?, ?)", []any{now, now}},
					{"INSERT INTO applications (id, number, business_id, state, state_since, created_at, updated_at) VALUES (1, 'GAL-2026-00001', 1, 'draft', ?, ?, ?)", []any{now, now, now}},
				} {
					if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			svc := application.New(d, calendar.Store{DB: d})
			for _, q := range []string{"keripik", "wahyuni", "malang", "GAL-2026-00001"} {
				p, err := svc.List(ctx, application.Filter{Search: q})
				if err != nil || len(p.Items) != 1 {
					t.Errorf("search %q after the upgrade: %+v %v", q, p.Items, err)
				}
			}
		})
	}
}

// fakeDueSource is a capability's clocks, as a due source gives them.
type fakeDueSource []application.DueItem

func (f fakeDueSource) DueClocks(_ context.Context, end time.Time, _ application.Scope) ([]application.DueItem, error) {
	var out []application.DueItem
	for _, x := range f {
		if x.DueAt.Before(end) {
			out = append(out, x)
		}
	}
	return out, nil
}

package application

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Lists are read a page at a time after the last row shown (keyset paging):
// the hundredth page costs what the first does, and a row added meanwhile
// neither repeats nor hides one. Every filter has an index behind it: the
// state (state, id), the due list (due_at, id), and the search its full-text
// index (FTS5 on SQLite, tsvector on PostgreSQL; migration 0004).

// Page sizes.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Filter narrows List.
type Filter struct {
	State sop.State
	// Search is what was typed in the search box: each word must begin a word
	// of the number, the business name, the owner's name or the regency.
	Search string
	// Cursor is the Next of the page before; empty for the first page.
	Cursor string
	// Limit is the page size: DefaultPageSize when 0, at most MaxPageSize.
	Limit int
	// View narrows the list to what the reader sees (ScopeFor; ListFor sets it).
	View Scope
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T
	// Next is the cursor of the page after this one; empty on the last page.
	Next string
}

var errCursor = apperr.New(apperr.Invalid, "list.cursor",
	"Tautan halaman berikutnya ini tidak berlaku lagi. Buka daftarnya dari awal.",
	"This next-page link is no longer valid. Open the list from the start.")

// Cursors are opaque to callers: a letter saying which list made it, then the
// key of the last row shown.
func listCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("l" + strconv.FormatInt(id, 10)))
}

func dueCursor(due time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("d" + strconv.FormatInt(due.UnixNano(), 10) + "." + strconv.FormatInt(id, 10)))
}

// readCursor reads a cursor of list kind ('l' or 'd') into the last key shown.
func readCursor(c string, kind byte) (due time.Time, id int64, err error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) < 2 || len(b) > 64 || b[0] != kind {
		return time.Time{}, 0, errCursor
	}
	rest := string(b[1:])
	if kind == 'd' {
		nanos, after, ok := strings.Cut(rest, ".")
		ns, err := strconv.ParseInt(nanos, 10, 64)
		if !ok || err != nil {
			return time.Time{}, 0, errCursor
		}
		due, rest = time.Unix(0, ns).UTC(), after
	}
	id, err = strconv.ParseInt(rest, 10, 64)
	if err != nil || id <= 0 {
		return time.Time{}, 0, errCursor
	}
	return due, id, nil
}

func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultPageSize
	case limit > MaxPageSize:
		return MaxPageSize
	}
	return limit
}

// SearchTerms splits what was typed into the words the full-text index holds
// (db.SearchTerms).
func SearchTerms(q string) []string { return db.SearchTerms(q) }

// MatchQuery is the engine's full-text query for terms, as List runs it (the
// load script runs it raw as the search's baseline): db.MatchQuery.
func MatchQuery(e db.Engine, terms []string) string { return db.MatchQuery(e, terms) }

// Selection is the SQL that picks the applications a filter matches, for a
// capability that reads them in bulk with joins of its own (the registers):
// "SELECT ... FROM " + From + " JOIN businesses b ON ... WHERE " + Where +
// " ORDER BY " + Key + " DESC". From names the applications a (with, for a
// search on SQLite, the full-text table f); Key is the id to order by, newest
// first. None means nothing can match (a search of only punctuation): skip
// the query.
type Selection struct {
	From  string
	Where string
	Args  []any
	Key   string
	None  bool
}

// Select builds the selection of f (its State and Search; not its Cursor and
// Limit).
func (s *Service) Select(f Filter) Selection {
	sel := Selection{From: "applications a", Where: "1=1", Key: "a.id"}
	if !f.View.Empty() {
		sel.Where += " AND (" + f.View.Where + ")"
		sel.Args = append(sel.Args, f.View.Args...)
	}
	if f.State != "" {
		sel.Where += " AND a.state = ?"
		sel.Args = append(sel.Args, string(f.State))
	}
	if strings.TrimSpace(f.Search) == "" {
		return sel
	}
	terms := SearchTerms(f.Search)
	if len(terms) == 0 {
		sel.None = true
		return sel
	}
	if s.DB.Engine == db.Postgres {
		sel.Where += " AND a.search @@ to_tsquery('simple', ?)"
	} else {
		// The full-text table drives the query, newest first by its rowid
		// (the application's id), so a page stops after its rows.
		sel.From = "applications_fts f JOIN applications a ON a.id = f.rowid"
		sel.Where += " AND applications_fts MATCH ?"
		sel.Key = "f.rowid"
	}
	sel.Args = append(sel.Args, MatchQuery(s.DB.Engine, terms))
	return sel
}

// appRowColumns are the application's own columns, read by the inner query
// of a page: the page's rows are chosen (and limited) on the applications
// alone, and only those few are joined to their businesses and first
// submissions. Joined first, PostgreSQL hashed every business and every
// history row before it sorted and cut.
const appRowColumns = "a.id, a.number, a.business_id, a.state, a.state_since, a.step, a.due_at, a.source, a.created_at, a.updated_at"

// page is the query of one page: the rows chosen by from, where and order
// (and limited to n) in a subquery, then joined.
func page(from, where, order, outerOrder string, n int) string {
	return fmt.Sprintf(" FROM (SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %d) a%s ORDER BY %s", appRowColumns, from, where, order, n, appJoin, outerOrder)
}

// List returns a page of applications for staff, newest first.
func (s *Service) List(ctx context.Context, f Filter) (Page[Application], error) {
	sel := s.Select(f)
	if sel.None {
		return Page[Application]{}, nil
	}
	where, args := sel.Where, sel.Args
	if f.Cursor != "" {
		_, after, err := readCursor(f.Cursor, 'l')
		if err != nil {
			return Page[Application]{}, err
		}
		where += " AND " + sel.Key + " < ?"
		args = append(args, after)
	}
	n := pageSize(f.Limit)
	// One row more than the page says whether there is a next one.
	apps, err := s.list(ctx, page(sel.From, where, sel.Key+" DESC", "a.id DESC", n+1), args...)
	if err != nil {
		return Page[Application]{}, err
	}
	p := Page[Application]{Items: apps}
	if len(apps) > n {
		p.Items = apps[:n]
		p.Next = listCursor(apps[n-1].ID)
	}
	return p, nil
}

func (s *Service) list(ctx context.Context, fromWhere string, args ...any) ([]Application, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+s.cols+fromWhere, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Application
	for rows.Next() {
		a, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DueItem is an application whose current step has a time standard, or a
// clock a capability keeps on it (Clock set): then DueAt is that clock's.
type DueItem struct {
	Application
	Step   sop.Step
	Status workday.Status
	Clock  *Clock
}

// Clock is a time standard a capability keeps on an application besides its
// running step: a referral awaiting the division's first answer (step 8).
type Clock struct {
	Kind string    // what keeps it: "referral"
	ID   int64     // of the thing in Kind
	What i18n.Text // what is awaited, in words
	Path string    // the page where it is done
}

// DueSource is a capability whose clocks belong on the due list beside the
// applications' steps. DueClocks returns the items due before end (due today
// or late), within view: its queries name the applications table "a". Each
// item's Application.DueAt is the clock's due time and Clock says what it is.
type DueSource interface {
	DueClocks(ctx context.Context, end time.Time, view Scope) ([]DueItem, error)
}

// AddDueSource registers src's clocks for the due list.
func (s *Service) AddDueSource(src DueSource) { s.dues = append(s.dues, src) }

// DueFilter narrows DueList.
type DueFilter struct {
	Cursor string // the Next of the page before; empty for the first page
	Limit  int    // DefaultPageSize when 0, at most MaxPageSize
	View   Scope  // what the reader sees (DueListFor sets it)
}

// DueList returns a page of the applications whose running step is due today
// (WIB) or late, most urgent first: what staff must act on today. Steps due
// later are on the applications list, not here.
func (s *Service) DueList(ctx context.Context, f DueFilter) (Page[DueItem], error) {
	now := s.DB.Clock(ctx)
	end := workday.DateOf(now).AddDays(1).StartWIB().UTC()
	where := "a.due_at IS NOT NULL AND a.due_at < ?"
	args := []any{end}
	if !f.View.Empty() {
		where += " AND (" + f.View.Where + ")"
		args = append(args, f.View.Args...)
	}
	if f.Cursor != "" {
		due, id, err := readCursor(f.Cursor, 'd')
		if err != nil {
			return Page[DueItem]{}, err
		}
		where += " AND (a.due_at > ? OR (a.due_at = ? AND a.id > ?))"
		args = append(args, due, due, id)
	}
	n := pageSize(f.Limit)
	apps, err := s.list(ctx, page("applications a", where, "a.due_at, a.id", "a.due_at, a.id", n+1), args...)
	if err != nil {
		return Page[DueItem]{}, err
	}
	// Whether a step is late or due today is read against its due time
	// alone, not the holidays: no need to load the calendar.
	cal := workday.New(nil)
	var p Page[DueItem]
	if len(apps) > n {
		apps = apps[:n]
		last := apps[n-1]
		p.Next = dueCursor(*last.DueAt, last.ID)
	}
	p.Items = make([]DueItem, 0, len(apps))
	for _, a := range apps {
		st, _ := sop.StepOf(a.State)
		p.Items = append(p.Items, DueItem{Application: a, Step: st, Status: cal.Status(*a.DueAt, now)})
	}
	// The capabilities' clocks go in the same order: on this page those due
	// after the page before's last row and up to this page's last row (or
	// all the rest on the last page), so the cursor stays the applications'.
	var after *time.Time
	if f.Cursor != "" {
		due, _, _ := readCursor(f.Cursor, 'd')
		after = &due
	}
	for _, src := range s.dues {
		xs, err := src.DueClocks(ctx, end, f.View)
		if err != nil {
			return Page[DueItem]{}, err
		}
		for _, x := range xs {
			due := *x.DueAt
			if after != nil && !due.After(*after) || p.Next != "" && due.After(*apps[n-1].DueAt) {
				continue
			}
			x.Status = cal.Status(due, now)
			p.Items = append(p.Items, x)
		}
	}
	slices.SortStableFunc(p.Items, func(x, y DueItem) int { return x.DueAt.Compare(*y.DueAt) })
	return p, nil
}

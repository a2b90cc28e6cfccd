package web

import (
	"fmt"
	"html"
	"html/template"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
)

// The staff's lists: the applications (filtered, searched) and what is due
// today or late, fifty rows a page.

// listData is what the staff's lists show: a page of rows, what they were
// filtered by, and the address of the next page.
type listData struct {
	Rows     template.HTML // the table's rows, see rowWriter
	Empty    bool
	Q        string
	State    string
	States   []sop.State
	NextURL  string // "" on the last page
	FirstURL string // the first page, when this is not it
}

// pageURLs are the addresses of the page after this one (the query of r with
// cursor set to next; "" when there is none) and of the first page ("" when
// this is it).
func pageURLs(r *http.Request, path, next string) (nextURL, firstURL string) {
	q := r.URL.Query()
	if next != "" {
		n := maps.Clone(q)
		n.Set("cursor", next)
		nextURL = path + "?" + n.Encode()
	}
	if q.Get("cursor") != "" {
		q.Del("cursor")
		firstURL = path
		if len(q) > 0 {
			firstURL += "?" + q.Encode()
		}
	}
	return nextURL, firstURL
}

func (s *Server) applicationList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := s.applications.ListFor(r.Context(), s.user(r), application.Filter{State: sop.State(q.Get("state")), Search: q.Get("q"), Cursor: q.Get("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, now := reqFrom(r.Context()).lang, s.db.Clock(r.Context())
	rw := s.rowWriter(l, "applications.number", "business.name", "applications.state", "applications.submitted", "app.due")
	late := s.cat.T(l, "applications.late")
	for _, a := range p.Items {
		overdue := a.Overdue(now)
		rw.row(cond(overdue, "overdue"))
		rw.link(a.ID, a.Number)
		rw.data(a.BusinessName)
		rw.cell(a.State.Label().In(l))
		rw.time(a.SubmittedAt, "")
		rw.time(a.DueAt, cond(overdue, late))
	}
	d := listData{Rows: rw.html(), Empty: len(p.Items) == 0, Q: q.Get("q"), State: q.Get("state"), States: sop.States()}
	d.NextURL, d.FirstURL = pageURLs(r, "/applications", p.Next)
	s.render(w, r, http.StatusOK, "application/applications", page{Title: "applications.title", Data: d})
}

func (s *Server) dueList(w http.ResponseWriter, r *http.Request) {
	p, err := s.applications.DueListFor(r.Context(), s.user(r), application.DueFilter{Cursor: r.URL.Query().Get("cursor")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := reqFrom(r.Context()).lang
	rw := s.rowWriter(l, "due.status", "applications.number", "business.name", "app.step", "applications.submitted", "app.due")
	for _, it := range p.Items {
		rw.row("due-" + string(it.Status) + cond(it.Status == "late", " overdue"))
		rw.strong(it.Status.Text().In(l))
		rw.link(it.ID, it.Number)
		rw.data(it.BusinessName)
		if c := it.Clock; c != nil {
			rw.href(c.Path, fmt.Sprintf("%d · %s", it.Step.Number, c.What.In(l)))
		} else {
			rw.cell(fmt.Sprintf("%d · %s", it.Step.Number, it.Step.Name.In(l)))
		}
		rw.time(it.SubmittedAt, "")
		rw.time(it.DueAt, "")
	}
	d := listData{Rows: rw.html(), Empty: len(p.Items) == 0}
	d.NextURL, d.FirstURL = pageURLs(r, "/due", p.Next)
	s.render(w, r, http.StatusOK, "application/due", page{Title: "due.title", Data: d})
}

func cond(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}

// rowWriter writes the rows of a list's table. The lists are the staff's most
// used pages, fifty rows of five or six cells: written by the template engine,
// whose escaping calls a function by reflection for every value, they cost
// more than their query. Every value written here goes through
// html.EscapeString; each cell carries its column's label for the phone's
// card layout.
type rowWriter struct {
	b      strings.Builder
	labels []string // escaped, one per column
	col    int
	lang   i18n.Lang // the page's language
}

func (s *Server) rowWriter(l i18n.Lang, labelKeys ...string) *rowWriter {
	rw := &rowWriter{lang: l}
	for _, k := range labelKeys {
		rw.labels = append(rw.labels, html.EscapeString(s.cat.T(l, k)))
	}
	rw.b.Grow(600 * 50)
	return rw
}

// row starts a row with the given class.
func (rw *rowWriter) row(class string) {
	if rw.col > 0 {
		rw.b.WriteString("</tr>\n")
	}
	rw.col = 0
	rw.b.WriteString("<tr")
	if class != "" {
		rw.b.WriteString(` class="`)
		rw.b.WriteString(html.EscapeString(class))
		rw.b.WriteString(`"`)
	}
	rw.b.WriteString(">")
}

func (rw *rowWriter) open(class string) {
	rw.b.WriteString(`<td data-label="`)
	rw.b.WriteString(rw.labels[rw.col])
	rw.b.WriteString(`"`)
	if class != "" {
		rw.b.WriteString(` class="` + class + `"`)
	}
	rw.b.WriteString(">")
	rw.col++
}

func (rw *rowWriter) cell(text string) {
	rw.open("")
	rw.b.WriteString(html.EscapeString(text))
	rw.b.WriteString("</td>")
}

// data is a cell of what people wrote in Indonesian (a business's name): on
// an English page it says so, for screen readers to pronounce it right.
func (rw *rowWriter) data(text string) {
	rw.open("")
	if rw.lang != i18n.ID {
		rw.b.WriteString(`<span lang="id">` + html.EscapeString(text) + "</span></td>")
		return
	}
	rw.b.WriteString(html.EscapeString(text))
	rw.b.WriteString("</td>")
}

func (rw *rowWriter) strong(text string) {
	rw.open("")
	rw.b.WriteString("<strong>" + html.EscapeString(text) + "</strong></td>")
}

// link is the application's number, linking to its page; it never wraps.
func (rw *rowWriter) link(id int64, number string) {
	rw.open("num")
	rw.b.WriteString(`<a href="/applications/`)
	rw.b.WriteString(strconv.FormatInt(id, 10))
	rw.b.WriteString(`">`)
	rw.b.WriteString(html.EscapeString(number))
	rw.b.WriteString("</a></td>")
}

// href is a cell linking text to path (a page of the application's, such
// as its referral).
func (rw *rowWriter) href(path, text string) {
	rw.open("")
	rw.b.WriteString(`<a href="` + html.EscapeString(path) + `">` + html.EscapeString(text) + "</a></td>")
}

// time is a date and time in WIB that never wraps, with a "late" tag when
// tag is set.
func (rw *rowWriter) time(t *time.Time, tag string) {
	rw.open("num")
	rw.b.WriteString(`<span class="nw">`)
	rw.b.WriteString(html.EscapeString(wibText(t)))
	rw.b.WriteString("</span>")
	if tag != "" {
		rw.b.WriteString(` <strong class="tag-late">` + html.EscapeString(tag) + "</strong>")
	}
	rw.b.WriteString("</td>")
}

func (rw *rowWriter) html() template.HTML {
	if rw.col > 0 {
		rw.b.WriteString("</tr>\n")
	}
	return template.HTML(rw.b.String()) // every value above is escaped
}

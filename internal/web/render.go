package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// page is what every template receives.
type page struct {
	Lang    i18n.Lang
	User    *account.User
	Title   string // catalogue key
	Path    string
	Here    string // path and query, to come back to after switching language
	Flash   string // catalogue key
	Form    *form
	Data    any
	Version string
}

// form is a submitted form to show again: what was typed, and what is wrong.
type form struct {
	values url.Values
	errs   map[string]string
	Err    string // the whole form's message
	Note   string // saved, but worth a look (warnings)
}

func newForm(r *http.Request) *form {
	f := &form{values: url.Values{}, errs: map[string]string{}}
	if r != nil && r.PostForm != nil {
		f.values = r.PostForm
	}
	return f
}

// Value is what the user typed in field, so nothing they typed is lost.
func (f *form) Value(field string) string {
	if f == nil {
		return ""
	}
	return f.values.Get(field)
}

// Error is the problem with field, in the user's language, or "".
func (f *form) Error(field string) string {
	if f == nil {
		return ""
	}
	return f.errs[field]
}

// setError fills f from err: field problems next to their fields, the rest on top.
func (f *form) setError(err error, l i18n.Lang) {
	if e, ok := apperr.As(err); ok {
		f.Err = e.Text.In(l)
		for _, fe := range e.Fields {
			if _, dup := f.errs[fe.Name]; !dup {
				f.errs[fe.Name] = fe.Text.In(l)
			}
		}
		return
	}
	f.Err = i18n.Text{ID: "Terjadi kesalahan pada sistem. Data Anda belum tersimpan; coba lagi sebentar lagi.", EN: "Something went wrong on our side. Nothing was saved; please try again shortly."}.In(l)
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"t":      s.cat.T,
		"static": s.static.URL,
		"text":   func(t i18n.Text, l i18n.Lang) string { return t.In(l) },
		"wib": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return workday.InWIB(t).Format("02-01-2006 15:04") + " WIB"
		},
		"wibp": func(t *time.Time) string {
			if t == nil || t.IsZero() {
				return "—"
			}
			return workday.InWIB(*t).Format("02-01-2006 15:04") + " WIB"
		},
		"roleName":     func(l i18n.Lang, r role.Role) string { return s.cat.T(l, "role."+string(r)) },
		"divisionName": func(l i18n.Lang, d role.Division) string { return s.cat.T(l, "division."+string(d)) },
		"roles":        func() []role.Role { return role.All },
		"divisions":    func() []role.Division { return role.Divisions },
		"is":           func(u *account.User, r string) bool { return u != nil && string(u.Role) == r },
		"isStaff":      func(u *account.User) bool { return u != nil && u.Role.IsStaff() },
		"langs":        func() []i18n.Lang { return i18n.Langs },
		"field":        fieldOf,
		"add":          func(a, b int) int { return a + b },
		"provinces":    idn.Provinces,
		"regencies":    func() []idn.RegencyInfo { return idn.RegenciesOf(idn.EastJava) },
		"categories":   func() []string { return applicant.Categories },
		"businessSizes": func() []idn.BusinessSize {
			return []idn.BusinessSize{idn.Mikro, idn.Kecil, idn.Menengah, idn.Besar}
		},
		"rupiah": func(n int64) string {
			if n == 0 {
				return "—"
			}
			return idn.FormatRupiah(n)
		},
		"productMissing": func(p applicant.Product) bool { return len(applicant.ProductCompleteness(p)) > 0 },
		"kindLabel":      intake.KindLabel,
		"canRead": func(u *account.User, ownerID int64, kind string) bool {
			return u != nil && intake.CanReadDocument(*u, ownerID, kind)
		},
		"needsReason": func(a sop.Action) bool { return a == sop.Withdraw || a == sop.SkipReferral },
		"eq2":         func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"dict":        dict,
		"roleOf":      func(d any) string { return string(userOf(d).Role) },
		"divisionOf":  func(d any) string { return string(userOf(d).Division) },
	}
}

// fieldView is one labelled input with its error, for the "field" template.
type fieldView struct {
	Lang                    i18n.Lang
	Name, Label, Type, Auto string
	Value, Error            string
	Required                bool
}

// fieldOf builds a fieldView from the page's form. Passwords are never refilled.
func fieldOf(p page, name, label, typ, auto string) fieldView {
	v := fieldView{Lang: p.Lang, Name: name, Label: label, Type: typ, Auto: auto, Error: p.Form.Error(name)}
	if typ != "password" {
		v.Value = p.Form.Value(name)
	}
	return v
}

// parseTemplates parses layout.html with each page template into its own set.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a whole page. It renders into a buffer first, so a template
// failure becomes a clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	st := reqFrom(r.Context())
	p.Lang, p.User, p.Path, p.Here, p.Version = st.lang, st.user, r.URL.Path, r.URL.RequestURI(), s.cfg.Version
	if p.Flash == "" {
		p.Flash = s.takeFlash(w, r)
	}
	t, ok := s.pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage answers with a friendly page in the user's language; the cause, if
// any, has already gone to the log.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiError(w, r, statusError(status))
		return
	}
	key := "error.500"
	switch status {
	case http.StatusNotFound:
		key = "error.404"
	case http.StatusForbidden:
		key = "error.403"
	}
	st := reqFrom(r.Context())
	p := page{Lang: st.lang, User: st.user, Path: r.URL.Path, Here: r.URL.RequestURI(), Title: key + ".title", Data: map[string]any{"Status": status, "Key": key}, Version: s.cfg.Version}
	var buf bytes.Buffer
	if err := s.pages["error"].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.log.Error("render error page", "err", err)
		http.Error(w, http.StatusText(status), status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// serverError logs err with the request and shows the 500 page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError)
}

// fail answers an error from a capability: user errors as their status, the rest
// as a 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		s.serverError(w, r, err)
		return
	}
	s.errorPage(w, r, kindStatus(e.Kind))
}

func kindStatus(k apperr.Kind) int {
	switch k {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooMany:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// flash sets a one-time message (a catalogue key) shown on the next page.
func (s *Server) flash(w http.ResponseWriter, key string) {
	s.setCookie(w, flashCookie, key, time.Minute)
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	s.clearCookie(w, flashCookie)
	if !s.cat.Has(i18n.ID, c.Value) {
		return "" // only our own keys, never text from the cookie
	}
	return c.Value
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// localPath returns next when it is a path on this site, else "/": a sign-in link
// must not bounce the user to another site.
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

// dict builds a map for passing several values to a sub-template.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict needs key/value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// userOf finds the user a page is about (the "U" of an admin user page), if any.
func userOf(d any) account.User {
	if m, ok := d.(map[string]any); ok {
		if u, ok := m["U"].(account.User); ok {
			return u
		}
	}
	return account.User{}
}

package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/stock"
	"github.com/etalase-id/etalase/internal/workday"
)

// page is what every template receives.
type page struct {
	Lang  i18n.Lang
	User  *account.User
	Can   abilities // what the menus and home page offer this user
	Title string    // catalogue key
	Path  string
	// Here is the page to come back to after switching language: the request's
	// address for a GET; a handler answering a POST with a page sets it to the
	// page the form belongs to (never the POST's own address, which a GET
	// would not find).
	Here    string
	Flash   string // catalogue key
	Form    *form
	Data    any
	Version string
	// Fragment, when set, renders only that template of the page (for htmx).
	Fragment string
	// SessionIdle is how many seconds of inactivity end a session, for the
	// warning the page shows before it does.
	SessionIdle int
}

// abilities are what a user's role opens, from internal/policy: templates ask
// these instead of comparing role names.
type abilities struct {
	Apply              bool // an applicant's own form
	ListApplications   bool // the Office's lists, the due list, the registers
	RegisterApplicants bool // the desk and the import
	Administer         bool // users, calendar, audit, settings
	ManageStock        bool // items, stock, labels (step 9)
	Curate             bool // curation: the reviewer's queue, and for staff the rounds
	Messages           bool // the message log and the manual queue
	Referrals          bool // the referrals (a division officer: their queue)
}

func abilitiesOf(u *account.User) abilities {
	if u == nil {
		return abilities{}
	}
	return abilities{
		Apply:              u.Role == role.Pemohon,
		ListApplications:   policy.ListsApplications(*u),
		RegisterApplicants: policy.RegistersApplicants(*u),
		Administer:         u.Role == role.Admin,
		ManageStock:        stock.ManagesStock(*u),
		Curate:             policy.ReviewsProducts(*u),
		Messages:           u.Role == role.StafGaleri || u.Role == role.Admin,
		Referrals:          u.Role != role.Pemohon,
	}
}

// form is a submitted form to show again: what was typed, and what is wrong.
type form struct {
	values url.Values
	errs   map[string]string
	Err    string // the whole form's message
	Note   string // saved, but worth a look (warnings)
	// Problems lists every problem for the error summary, each a link to the
	// field it concerns (on this page, or where it is filled in).
	Problems []problemLink
	// link says where a field that is not on this page is filled in
	// ("business.nib" → the profile form); nil means every field is here.
	link func(field string) string
}

// problemLink is one line of a form's error summary.
type problemLink struct{ Href, Text string }

// linkFields says where fields named by path (business.nib, product.12) are
// filled in, for the error summary's links.
func (f *form) linkFields(where func(field string) string) { f.link = where }

// HasErrors reports whether the form was refused (the page's title says so).
func (f *form) HasErrors() bool { return f != nil && (f.Err != "" || len(f.errs) > 0) }

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

// setError fills f from err: field problems next to their fields and in the
// summary, linked; the whole message on top.
func (f *form) setError(err error, l i18n.Lang) {
	if e, ok := apperr.As(err); ok {
		f.Err = e.Text.In(l)
		for _, fe := range e.Fields {
			href := "#f-" + fe.Name
			if f.link != nil && strings.Contains(fe.Name, ".") {
				href = f.link(fe.Name)
			} else if _, dup := f.errs[fe.Name]; !dup {
				f.errs[fe.Name] = fe.Text.In(l)
			}
			f.Problems = append(f.Problems, problemLink{Href: href, Text: fe.Text.In(l)})
		}
		return
	}
	f.Err = i18n.Text{ID: "Terjadi kesalahan pada sistem. Data Anda belum tersimpan; coba lagi sebentar lagi.", EN: "Something went wrong on our side. Nothing was saved; please try again shortly."}.In(l)
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"t":     s.cat.T,
		"targs": func(l i18n.Lang, key string, args []any) string { return s.cat.T(l, key, args...) },
		// id marks data people typed in Bahasa Indonesia (names, addresses,
		// reasons) on an English page, so a screen reader reads it in an
		// Indonesian voice (WCAG 3.1.2).
		"id": func(l i18n.Lang) template.HTMLAttr {
			if l == i18n.ID {
				return ""
			}
			return ` lang="id"`
		},
		"static": s.static.URL,
		"text":   func(t i18n.Text, l i18n.Lang) string { return t.In(l) },
		"wib": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return workday.InWIB(t).Format("02-01-2006 15:04") + " WIB"
		},
		"wibp":         wibText,
		"day":          dayOf, // a calendar day as dd-mm-yyyy
		"roleName":     func(l i18n.Lang, r role.Role) string { return s.cat.T(l, "role."+string(r)) },
		"divisionName": func(l i18n.Lang, d role.Division) string { return s.cat.T(l, "division."+string(d)) },
		"roles":        func() []role.Role { return role.All },
		"divisions":    func() []role.Division { return role.Divisions },
		"langs":        func() []i18n.Lang { return i18n.Langs },
		"field":        fieldOf,
		"fieldIn":      fieldIn,
		"mb":           func() int64 { return s.app.Files.MaxBytes >> 20 },
		"maxUpload":    func() int64 { return s.app.Files.MaxBytes },
		"add":          func(a, b int) int { return a + b },
		"provinces":    idn.Provinces,
		"regencies":    func() []idn.RegencyInfo { return idn.RegenciesOf(idn.EastJava) },
		"categories":   func() []string { return applicant.Categories },
		"foodTypes":    idn.FoodTypes,
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
		// The food-only fields show while no category is chosen yet, so that
		// without script nothing is hidden that may be needed.
		"isFoodOrUnknown": func(c string) bool { return c == "" || applicant.IsFood(c) },
		"kindLabel":       document.Label,
		"canRead": func(u *account.User, d document.Document) bool {
			return u != nil && policy.ReadsDocument(*u, d.OwnerID, d.Identity())
		},
		"eq2":        func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
		"dict":       dict,
		"roleOf":     func(d any) string { return string(userOf(d).Role) },
		"divisionOf": func(d any) string { return string(userOf(d).Division) },
	}
}

// wibText is a time as pages show it, in WIB, or a dash.
func wibText(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "—"
	}
	return workday.InWIB(*t).Format("02-01-2006 15:04") + " WIB"
}

// fieldView is one labelled input with its hint and error, for the "field"
// template. Type "textarea" makes a text area.
type fieldView struct {
	Lang                    i18n.Lang
	Name, Label, Type, Auto string
	Value, Error            string
	Hint                    string // catalogue key of the format hint, tied to the input by aria-describedby
	HintArgs                []any
	Required                bool   // marked "wajib" beside the label
	InputMode               string // numeric, tel, email…
	Max                     int    // maxlength, 0 for none
	Post                    string // the name the input posts, when it differs from Name (fieldIn)
}

// PostName is the name the input posts as.
func (v fieldView) PostName() string {
	if v.Post != "" {
		return v.Post
	}
	return v.Name
}

// fieldOf builds a fieldView from the page's form. Passwords are never refilled.
func fieldOf(p page, name, label, typ, auto string) fieldView {
	v := fieldView{Lang: p.Lang, Name: name, Label: label, Type: typ, Auto: auto, Error: p.Form.Error(name)}
	if typ != "password" {
		v.Value = p.Form.Value(name)
	}
	return v
}

// fieldIn is fieldOf for one of several forms on a page that have a field of
// the same name (the upload of each document kind): its id ends in form, and
// it shows the value typed and the error only when that form was the one sent
// (its hidden "form" or "kind" field equals form).
func fieldIn(p page, name, label, typ, form string) fieldView {
	v := fieldView{Lang: p.Lang, Name: name + "-" + form, Label: label, Type: typ, Auto: "off", Post: name}
	if sent := p.Form.Value("form"); sent == form || (sent == "" && p.Form.Value("kind") == form) {
		v.Value, v.Error = p.Form.Value(name), p.Form.Error(name)
	}
	return v
}

// Req marks the field required.
func (v fieldView) Req() fieldView { v.Required = true; return v }

// WithHint adds the format hint with catalogue key (and its arguments).
func (v fieldView) WithHint(key string, args ...any) fieldView {
	v.Hint, v.HintArgs = key, args
	return v
}

// Mode sets the keyboard a phone shows (inputmode).
func (v fieldView) Mode(m string) fieldView { v.InputMode = m; return v }

// Describedby is the ids of the hint and the error, for aria-describedby.
func (v fieldView) Describedby() string {
	var ids []string
	if v.Hint != "" {
		ids = append(ids, "h-"+v.Name)
	}
	if v.Error != "" {
		ids = append(ids, "e-"+v.Name)
	}
	return strings.Join(ids, " ")
}

// parseTemplates parses layout.html with each page template into its own set,
// named by folder and file: "intake/business" is templates/intake/business.html.
// Folders are capabilities.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*/*.html")
	if err != nil {
		return nil, err
	}
	// The layout and the partials several pages share (templates/partials/).
	base, err := template.New("layout.html").Funcs(s.funcs()).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if strings.HasPrefix(n, "templates/partials/") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), path.Ext(n))
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a page (or, with p.Fragment, one template of it). It renders
// into a buffer first, so a template failure becomes a clean 500 page instead of
// half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	st := reqFrom(r.Context())
	p.Lang, p.User, p.Can, p.Path, p.Version = st.lang, st.user, abilitiesOf(st.user), r.URL.Path, s.cfg.Version
	p.SessionIdle = int(s.accounts.SessionIdle.Seconds())
	if p.Here == "" {
		p.Here = "/"
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			p.Here = r.URL.RequestURI()
		}
	}
	if p.Flash == "" {
		p.Flash = s.takeFlash(w, r)
	}
	t, ok := s.pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("no template %q", name))
		return
	}
	entry := "layout.html"
	if p.Fragment != "" {
		entry = p.Fragment
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, entry, p); err != nil {
		s.serverError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// errorPage answers status with a friendly page in the user's language, saying
// msg when there is one (what a capability told the user), else the status's
// general text. The cause of a 500 has already gone to the log.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, msg ...i18n.Text) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		e := statusError(status)
		if len(msg) > 0 {
			e = &apperr.Error{Kind: e.Kind, Code: e.Code, Text: msg[0]}
		}
		s.apiError(w, r, e)
		return
	}
	key := "error.500"
	switch {
	case status == http.StatusNotFound:
		key = "error.404"
	case status == http.StatusForbidden:
		key = "error.403"
	case status < 500:
		key = "error.4xx"
	}
	st := reqFrom(r.Context())
	data := map[string]any{"Status": status, "Key": key}
	if len(msg) > 0 {
		data["Message"] = msg[0].In(st.lang)
	}
	here := "/"
	if r.Method == http.MethodGet {
		here = r.URL.RequestURI()
	}
	p := page{Lang: st.lang, User: st.user, Can: abilitiesOf(st.user), Path: r.URL.Path, Here: here, Title: key + ".title", Data: data, Version: s.cfg.Version,
		SessionIdle: int(s.accounts.SessionIdle.Seconds())}
	var buf bytes.Buffer
	if err := s.pages["shell/error"].ExecuteTemplate(&buf, "layout.html", p); err != nil {
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

// fail is the one way a handler answers an error from a capability: an error a
// user may read (apperr) becomes its status with its own words; anything else
// is logged and becomes the 500 page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		s.serverError(w, r, err)
		return
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
	}
	s.errorPage(w, r, kindStatus(e.Kind), e.Text)
}

// formError answers an error from a form's capability: a problem with what was
// typed shows the form again (status, template tmpl) with everything typed and
// each problem at its field, coming back to here after a language switch; a
// missing object, a refusal or a failure goes through fail.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error, tmpl string, p page) {
	if !isFormProblem(err) {
		s.fail(w, r, err)
		return
	}
	if p.Form == nil {
		p.Form = newForm(r)
	}
	p.Form.setError(err, reqFrom(r.Context()).lang)
	if e, _ := apperr.As(err); e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())+1))
	}
	s.render(w, r, statusOf(err), tmpl, p)
}

// isFormProblem reports whether err is something the user can put right on the
// page they are on — a wrong value, a state that changed, too many tries —
// and so is shown on that page, rather than a missing object, a refusal or a
// failure (fail).
func isFormProblem(err error) bool {
	e, ok := apperr.As(err)
	return ok && (e.Kind == apperr.Invalid || e.Kind == apperr.Conflict || e.Kind == apperr.TooMany || e.Kind == apperr.Unauthorized)
}

// statusOf is the HTTP status of err.
func statusOf(err error) int {
	if e, ok := apperr.As(err); ok {
		return kindStatus(e.Kind)
	}
	return http.StatusInternalServerError
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

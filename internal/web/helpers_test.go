package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/web"
)

// Cookie names as the browser sees them (internal/web/middleware.go).
const (
	sessionCookie = "etalase_sesi"
	langCookie    = "etalase_bahasa"
)

// pw is the password of the users the tests create.
const pw = "batik tulis madura"

// clock is a settable clock for the database, safe to read from the server's
// goroutines.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer collects the server's log; it is shown when a test fails.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// env is one Etalase server on a fresh database, reached over real HTTP.
type env struct {
	t        *testing.T
	d        *db.DB
	app      *app.App
	accounts *account.Service
	srv      *web.Server
	ts       *httptest.Server
	cat      *i18n.Catalog
	clock    *clock
}

// envOption changes the application or the server's configuration before the
// server starts.
type envOption func(a *app.App, c *web.Config)

// newEnv starts the real router and middleware on d, with every service built
// by the composition root. The database clock is a settable one, starting at
// the real time.
func newEnv(t *testing.T, d *db.DB, opts ...envOption) *env {
	t.Helper()
	c := &clock{t: time.Now().UTC()}
	d.Now = c.now
	a := apptest.New(t, d)
	logs := &logBuffer{}
	cfg := web.Config{
		App: a, Version: "test",
		Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, o := range opts {
		o(a, &cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() {
		ts.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	cat, err := i18n.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, d: d, app: a, accounts: a.Accounts, srv: srv, ts: ts, cat: cat, clock: c}
}

// systemCtx is the context for setting up data outside a request.
func systemCtx() context.Context { return audit.WithActor(context.Background(), audit.System) }

// user creates an account directly through the service; the password is pw
// unless n says otherwise.
func (e *env) user(n account.NewUser) account.User {
	e.t.Helper()
	if n.Password == "" {
		n.Password = pw
	}
	if n.Name == "" {
		n.Name = "Pengguna Uji"
	}
	if n.Role == "" {
		n.Role = role.Pemohon
	}
	u, err := e.accounts.Create(systemCtx(), n)
	if err != nil {
		e.t.Fatalf("create user %s: %v", n.Email, err)
	}
	return u
}

// admin creates an admin account.
func (e *env) admin(email string) account.User {
	return e.user(account.NewUser{Email: email, Name: "Admin Galeri", Role: role.Admin})
}

// auditEntries returns the audit entries with exactly this action.
func (e *env) auditEntries(action string) []audit.Entry {
	e.t.Helper()
	all, err := audit.List(context.Background(), e.d, audit.Filter{Action: action, Limit: 1000})
	if err != nil {
		e.t.Fatalf("audit list: %v", err)
	}
	var out []audit.Entry
	for _, a := range all {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

// browser is one visitor with their own cookie jar. It does not follow
// redirects by itself, so every status can be checked; follow does it when asked.
type browser struct {
	t      *testing.T
	e      *env
	client *http.Client
	jar    *cookiejar.Jar
	header http.Header // sent with every request
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &browser{
		t: e.t, e: e, jar: jar, header: http.Header{},
		client: &http.Client{
			Jar:           jar,
			Timeout:       30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// signIn returns a browser signed in as login; the sign-in must succeed.
func (e *env) signIn(login, password string) *browser {
	e.t.Helper()
	b := e.browser()
	a := b.post("/login", url.Values{"login": {login}, "password": {password}})
	if a.Status != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d, want 303; error %q", login, a.Status, a.text("#form-error"))
	}
	return b
}

// answer is one HTTP response, read whole.
type answer struct {
	t       *testing.T
	Status  int
	Header  http.Header
	Body    string
	Cookies []*http.Cookie
	doc     *goquery.Document
}

func (b *browser) do(req *http.Request) *answer {
	b.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return &answer{t: b.t, Status: res.StatusCode, Header: res.Header, Body: string(body), Cookies: res.Cookies()}
}

func (b *browser) request(method, path string, body io.Reader, headers ...string) *http.Request {
	b.t.Helper()
	req, err := http.NewRequest(method, b.e.ts.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if len(headers)%2 != 0 {
		b.t.Fatal("headers come in name/value pairs")
	}
	for i := 0; i < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return req
}

// get fetches path; headers are name/value pairs.
func (b *browser) get(path string, headers ...string) *answer {
	b.t.Helper()
	return b.do(b.request(http.MethodGet, path, nil, headers...))
}

// post submits a form to path; headers are name/value pairs.
func (b *browser) post(path string, form url.Values, headers ...string) *answer {
	b.t.Helper()
	req := b.request(http.MethodPost, path, strings.NewReader(form.Encode()), headers...)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// follow follows the redirects a answers with, as a browser would (by GET).
func (b *browser) follow(a *answer) *answer {
	b.t.Helper()
	for i := 0; a.Status >= 300 && a.Status < 400; i++ {
		if i == 10 {
			b.t.Fatal("too many redirects")
		}
		a = b.get(a.location())
	}
	return a
}

// cookie returns the value of the browser's cookie name, or "".
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.ts.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// setCookie puts a cookie in the browser, as if a site had set it earlier.
func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.e.ts.URL)
	b.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// location is the path of a redirect.
func (a *answer) location() string {
	a.t.Helper()
	loc := a.Header.Get("Location")
	if loc == "" {
		a.t.Fatalf("status %d without Location", a.Status)
	}
	u, err := url.Parse(loc)
	if err != nil {
		a.t.Fatalf("Location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// Doc parses the body as HTML.
func (a *answer) Doc() *goquery.Document {
	a.t.Helper()
	if a.doc == nil {
		d, err := goquery.NewDocumentFromReader(strings.NewReader(a.Body))
		if err != nil {
			a.t.Fatalf("parse HTML: %v", err)
		}
		a.doc = d
	}
	return a.doc
}

// find selects in the page.
func (a *answer) find(sel string) *goquery.Selection { return a.Doc().Find(sel) }

// text is the trimmed, space-collapsed text of what sel selects.
func (a *answer) text(sel string) string {
	return strings.Join(strings.Fields(a.find(sel).Text()), " ")
}

// attr is an attribute of the first element sel selects; ok is false when
// there is no such element or attribute.
func (a *answer) attr(sel, name string) (string, bool) {
	return a.find(sel).First().Attr(name)
}

// setCookie returns the Set-Cookie of name in this answer, the last one if the
// answer sets it more than once (as a browser would keep).
func (a *answer) setCookie(name string) *http.Cookie {
	var found *http.Cookie
	for _, c := range a.Cookies {
		if c.Name == name {
			found = c
		}
	}
	return found
}

// json decodes the body into v.
func (a *answer) json(v any) {
	a.t.Helper()
	if err := json.Unmarshal([]byte(a.Body), v); err != nil {
		a.t.Fatalf("body is not JSON (%v): %.300s", err, a.Body)
	}
}

// apiError is the JSON error body of the API.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// wantStatus fails the test when a's status is not want.
func (a *answer) wantStatus(want int) *answer {
	a.t.Helper()
	if a.Status != want {
		a.t.Fatalf("status %d, want %d; body: %.600s", a.Status, want, a.Body)
	}
	return a
}

// wantRedirect fails the test unless a is a 303 to path.
func (a *answer) wantRedirect(path string) *answer {
	a.t.Helper()
	if a.Status != http.StatusSeeOther {
		a.t.Fatalf("status %d, want 303 to %s; body: %.600s", a.Status, path, a.Body)
	}
	if got := a.location(); got != path {
		a.t.Fatalf("redirect to %s, want %s", got, path)
	}
	return a
}

// fieldError is the message shown at the input named name (its describedby
// element), checked to be tied to the input for assistive technology.
func (a *answer) fieldError(name string) string {
	a.t.Helper()
	in := a.find("#f-" + name)
	if in.Length() != 1 {
		a.t.Fatalf("no input #f-%s on the page", name)
	}
	if v, _ := in.Attr("aria-invalid"); v != "true" {
		a.t.Errorf("#f-%s is not marked aria-invalid", name)
	}
	ids, _ := in.Attr("aria-describedby")
	// The error's id is the one starting e-; a hint may come first.
	id := ""
	for _, x := range strings.Fields(ids) {
		if strings.HasPrefix(x, "e-") {
			id = x
		}
	}
	if id == "" {
		a.t.Fatalf("#f-%s has no aria-describedby pointing at its message (%q)", name, ids)
	}
	msg := a.find("#" + id)
	if !msg.Closest(".field").Is(".invalid") || msg.Closest(".field").Find("#f-"+name).Length() != 1 {
		a.t.Errorf("the message #%s is not in the same field as #f-%s", id, name)
	}
	return strings.Join(strings.Fields(msg.Text()), " ")
}

// fieldNote is the message shown inside the same .field as the control
// #f-name (marked invalid), without asking how it is tied to the control.
func (a *answer) fieldNote(name string) string {
	a.t.Helper()
	f := a.find("#f-" + name).Closest(".field")
	if f.Length() != 1 {
		a.t.Fatalf("no field around #f-%s", name)
	}
	if !f.Is(".invalid") {
		a.t.Errorf("the field of #f-%s is not marked invalid", name)
	}
	return strings.Join(strings.Fields(f.Find(".field-error").Text()), " ")
}

// linkIDs returns the trailing numeric ids of the links under sel whose href
// starts with prefix.
func (a *answer) linkIDs(sel, prefix string) []string {
	var ids []string
	a.find(sel).Each(func(_ int, s *goquery.Selection) {
		if h, ok := s.Attr("href"); ok && strings.HasPrefix(h, prefix) {
			ids = append(ids, strings.TrimPrefix(h, prefix))
		}
	})
	slices.Sort(ids)
	return ids
}

package browsertest

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestHarness checks the harness against a tiny site: the phone viewport, the
// Indonesian Accept-Language, a form that posts and redirects, and the
// screenshot file.
func TestHarness(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">
<h1 id="lang">%s</h1>
<form method="post" action="/hello"><label for="name">Nama</label><input id="name" name="name">
<select id="kind" name="kind"><option value="a">A</option><option value="b">B</option></select>
<button type="submit">Kirim</button></form>`, html.EscapeString(r.Header.Get("Accept-Language")))
	})
	mux.HandleFunc("POST /hello", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hello?name="+r.FormValue("name")+"&kind="+r.FormValue("kind"), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!doctype html><h1>Halo, %s (%s)</h1>`, html.EscapeString(r.FormValue("name")), html.EscapeString(r.FormValue("kind")))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	b := New(t, Phone(), BaseURL(srv.URL))
	b.Navigate("/")
	if got := b.Text("#lang"); !strings.HasPrefix(got, "id") {
		t.Errorf("Accept-Language = %q, want Indonesian first", got)
	}
	if w := b.evalInt("window.innerWidth"); w != 360 {
		t.Errorf("phone window is %d CSS pixels wide, want 360", w)
	}
	if b.Exists("#nothing-here") || !b.Exists("form") {
		t.Error("Exists is wrong")
	}
	b.Fill("#name", "Siti")
	b.Select("#kind", "b")
	b.ClickAndWait("button[type=submit]")
	if got := b.Text("h1"); got != "Halo, Siti (b)" {
		t.Errorf("after the form: %q", got)
	}
	if got := b.Path(); got != "/hello?name=Siti&kind=b" {
		t.Errorf("path %q", got)
	}
	b.Screenshot("hello")

	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(filepath.Join(root, "test-artifacts", "TestHarness", "01-hello.png"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(png), "\x89PNG") {
		t.Error("the screenshot is not a PNG")
	}
}

func (b *Browser) evalInt(expr string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		b.fatalf("%s: %v", expr, err)
	}
	return n
}

// The accessibility checks find what they are for: an unlabelled field and an
// image without text (axe-core), and a page wider than a 360-px phone at 200 %
// text, but not a wide table inside its own labelled region.
func TestAccessibilityChecksFindWhatTheyAreFor(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /bad", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="id"><meta name="viewport" content="width=device-width, initial-scale=1"><title>x</title>
<main><h1>Uji</h1><input name="q"><img src="/x.png"><p style="width:30rem">lebar</p></main></html>`)
	})
	mux.HandleFunc("GET /good", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="id"><meta name="viewport" content="width=device-width, initial-scale=1"><title>x</title>
<main><h1>Uji</h1><label for="q">Cari</label><input id="q" name="q">
<div role="region" tabindex="0" aria-label="Tabel" style="overflow-x:auto"><table style="width:60rem"><tr><th scope="col">A</th></tr><tr><td>1</td></tr></table></div></main></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	b := New(t, Phone(), BaseURL(srv.URL))
	b.Navigate("/bad")
	found := map[string]bool{}
	for _, v := range b.Axe() {
		found[v.ID] = true
	}
	if !found["label"] || !found["image-alt"] {
		t.Errorf("axe found %v, want at least label and image-alt", found)
	}
	b.SetTextZoom(200)
	if scrolls, over := b.SideScroll(); !scrolls || len(over) == 0 {
		t.Errorf("a 30rem paragraph at 200 %% on 360 px: scrolls %v, sticking out %v", scrolls, over)
	}
	b.Navigate("/good")
	if vs := b.Axe(); len(vs) != 0 {
		t.Errorf("a clean page: %v", vs)
	}
	b.SetTextZoom(200)
	if _, over := b.SideScroll(); len(over) != 0 {
		t.Errorf("a wide table in its region is counted as sticking out: %v", over)
	}
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/perf"
)

// TestJourneyClerkOnAPhoneWorksTheListsAndAnImport is a clerk on a 360-px
// phone: the applications list and the due list read as cards, late ones
// marked, nothing wider than the screen; a search; the next page; then an
// import of the old form: the template, a check that names every problem of
// a row, the file kept for the run, the run's progress, and its undo.
//
// Screenshots: test-artifacts/TestJourneyClerkOnAPhoneWorksTheListsAndAnImport/.
func TestJourneyClerkOnAPhoneWorksTheListsAndAnImport(t *testing.T) {
	browsertest.Require(t)
	data := t.TempDir()
	const clerkPassword = "kopi luwak banyuwangi"
	if code, _, stderr := runCmd(t, clerkPassword+"\n", "user", "create", "--data", data, "--role", "staf_galeri",
		"--email", "siti@galeri.jatimprov.go.id", "--name", "Siti Nurhaliza"); code != 0 {
		t.Fatalf("create the clerk: %s", stderr)
	}
	// A gallery's worth of applications, written straight into the database.
	ctx := audit.WithActor(context.Background(), audit.System)
	d, err := db.Open(ctx, "", data, db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := perf.Seed(ctx, d, 120, 0); err != nil {
		t.Fatal(err)
	}
	d.Close()
	addr, _, _ := startServe(t, "--data", data, "--db", "", "--lang", "id", "--demo=false")

	b := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL("http://"+addr), browsertest.Timeout(2*time.Minute))
	b.Navigate("/login")
	journeySignIn(b, "siti@galeri.jatimprov.go.id", clerkPassword)
	wide := func(what string) {
		t.Helper()
		if w := eval[int](t, b, "document.documentElement.scrollWidth"); w > 360 {
			t.Errorf("%s is %d px wide on a 360-px phone", what, w)
		}
	}
	card := func(sel string) {
		t.Helper()
		display := eval[string](t, b, "getComputedStyle(document.querySelector('"+sel+" tbody tr')).display")
		label := eval[string](t, b, "getComputedStyle(document.querySelector('"+sel+" tbody td'), '::before').content")
		if display != "block" || !strings.Contains(label, "\"") {
			t.Errorf("%s on a phone: rows display %q, cells labelled %s; want cards with labels", sel, display, label)
		}
	}

	b.ClickAndWait(`nav a[href="/applications"]`)
	journeyHeading(t, b, "Permohonan")
	card("#applications")
	wide("the applications list")
	b.Screenshot("applications-as-cards")
	b.ClickAndWait(`nav.pager a[rel="next"]`)
	if !strings.Contains(b.Path(), "cursor=") {
		t.Errorf("the next page is %s", b.Path())
	}
	b.Fill("#q", "keripik")
	b.ClickAndWait(`form[role="search"] button[type=submit]`)
	journeyText(t, b, "#applications", "Keripik")
	b.Screenshot("search-keripik")

	b.ClickAndWait(`nav a[href="/due"]`)
	journeyHeading(t, b, "Tenggat hari ini dan terlambat")
	card("#due")
	wide("the due list")
	if !b.Exists("#due tr.overdue") {
		t.Error("no late application marked on the due list")
	}
	b.Screenshot("due-list-as-cards")

	// The import: a file with a bad row, checked, then imported without it.
	b.Navigate("/desk/import")
	if !b.Exists(`#templates a[href="/desk/import/template.xlsx"]`) {
		t.Error("no template to download on the import page")
	}
	csv := filepath.Join(t.TempDir(), "jawaban.csv")
	if err := os.WriteFile(csv, []byte("Nama Pemilik,NIK,Nama Usaha,No. WhatsApp,Nama Produk,Kabupaten/Kota,Harga Jual\n"+
		"Dewi Lestari,3519045402920002,Brem Caruban,081330441122,Brem Padat isi 10,Kabupaten Madiun,15000\n"+
		"Wahyu Hidayat,35730541078500,Sale Pisang,0341-551234,Sale Pisang Gulung,Malang,sepuluh ribu\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b.Upload("#f-file", csv)
	b.ClickAndWait(`button[name=mode][value=check]`)
	waitState(t, b)
	problems := b.Text("#problems")
	for _, want := range []string{"NIK", "No. WhatsApp", "Kabupaten/Kota", "Harga Jual"} {
		if !strings.Contains(problems, want) {
			t.Errorf("the check's report of row 3 does not name %s: %q", want, problems)
		}
	}
	journeyText(t, b, "#next", "jawaban.csv")
	wide("the check's report")
	b.Screenshot("check-every-problem-of-a-row")
	b.Fill("#f-skip", "3")
	b.ClickAndWait(`#next button[name=mode][value=apply]`)
	// The check passes and goes on into the run; the page follows it there.
	for i := 0; !strings.HasPrefix(b.Text("main h1"), "Impor:"); i++ {
		if i == 120 {
			t.Fatalf("the check did not go on into the import: %q", b.Text("#progress"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	waitState(t, b)
	journeyText(t, b, "#batch-state", "Selesai")
	journeyText(t, b, "#progress", "1 permohonan dibuat")
	b.Click("#numbers summary")
	number := regexp.MustCompile(`GAL-\d{4}-\d{5}`).FindString(b.Text("#numbers"))
	if number == "" {
		t.Errorf("the run's page names no application: %q", b.Text("#progress"))
	}
	b.Screenshot("import-done")
	b.Click("#f-confirm")
	b.ClickAndWait(`#undo button[type=submit]`)
	journeyText(t, b, "#batch-state", "Dibatalkan")
	b.Screenshot("import-undone")
}

// eval evaluates a JavaScript expression on the page.
func eval[T any](t *testing.T, b *browsertest.Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitState waits until the check or run on the page has ended.
func waitState(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	for range 120 {
		if s := b.Text("#batch-state"); s != "Sedang berjalan" {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("%s is still running after a minute", b.Path())
}

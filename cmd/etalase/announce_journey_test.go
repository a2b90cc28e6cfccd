package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	appl "github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/role"
)

// TestJourneyTheClerkAnnouncesARound is SOP step 5 in a browser: a round whose
// two applications are decided — Bu Sumiati's wingko passed, Pak Wahyu's
// getuk did not — is announced by the clerk at her desk (1366 px). Without the
// confirmation ticked the page refuses in words; ticked, the round is
// announced once and the form is gone. In manual mode (the default) each
// applicant's result waits in the manual queue as a wa.me link with the text
// filled in; the clerk sends one and marks it sent. A visitor on a phone opens
// the public announcement: the wingko is listed, the getuk is not, and
// nothing personal (NIK, phone number, owner) is on the page; the letter's PDF
// names the round and the SME that passed.
//
// Screenshots: test-artifacts/TestJourneyTheClerkAnnouncesARound/.
func TestJourneyTheClerkAnnouncesARound(t *testing.T) {
	browsertest.Require(t)
	const pw = "getuk goreng sokaraja"
	setup := newJourneySetup(t)
	a, ctx, data := setup.App, setup.Ctx, setup.Data
	clerk := setup.User("Siti Nurhaliza", "siti@galeri.jatimprov.go.id", role.StafGaleri, pw)
	expert := setup.User("Dr. Bambang Setiawan", "bambang@kurasi.id", role.Kurator, pw)
	sumiati := setup.User("Sumiati", "sumiati@wingko.id", role.Pemohon, pw)
	wahyu := setup.User("Wahyu Hidayat", "wahyu@getuk.id", role.Pemohon, pw)

	wingko, _ := setup.SampledApplication(sumiati, clerk,
		appl.BusinessInput{Name: "Wingko Babat Bu Sumiati", OwnerName: "Sumiati", NIK: "3524054804750003", NIB: "9120701234561",
			Address: "Jl. Raya Babat No. 77", ProvinceCode: "35", RegencyCode: "3524", WhatsApp: "081331220404", Category: "Makanan", Size: "mikro"},
		"2063524010077-28", "WB-01",
		appl.ProductInput{Name: "Wingko Babat Original isi 10", Category: "Makanan", Composition: "Tepung ketan, kelapa, gula", NetContent: "400 g",
			Packaging: "Kotak karton", ShelfLifeDays: "14", Price: "30.000", CapacityPerMonth: "600", PIRT: "2063524010077-28"})
	getuk, _ := setup.SampledApplication(wahyu, clerk,
		appl.BusinessInput{Name: "Getuk Lindri Pak Wahyu", OwnerName: "Wahyu Hidayat", NIK: "3507121503800002", NIB: "9120701234578",
			Address: "Jl. Raya Singosari No. 5", ProvinceCode: "35", RegencyCode: "3507", WhatsApp: "081234567890", Category: "Makanan", Size: "mikro"},
		"2063507010055-27", "GL-01",
		appl.ProductInput{Name: "Getuk Lindri Warna isi 20", Category: "Makanan", Composition: "Singkong, gula, kelapa, pewarna makanan", NetContent: "500 g",
			Packaging: "Mika plastik", ShelfLifeDays: "2", Price: "15.000", CapacityPerMonth: "300", PIRT: "2063507010055-27"})

	rd, err := a.Curation.CreateRound(ctx, clerk, curation.RoundInput{Name: "Kurasi Desember 2026"})
	if err != nil {
		t.Fatal(err)
	}
	decideAll(t, a, ctx, clerk, expert, rd, wingko, 4)
	decideAll(t, a, ctx, clerk, expert, rd, getuk, 2)
	setup.Close()

	addr, _, _ := startServe(t, "--data", data, "--db", "", "--lang", "id", "--demo=false")
	base := "http://" + addr

	// The clerk reviews the list and announces.
	siti := browsertest.New(t, browsertest.Desktop(), browsertest.Size(1366, 768), browsertest.BaseURL(base), browsertest.Timeout(2*time.Minute), browsertest.StepTimeout(40*time.Second))
	siti.Navigate("/login")
	journeySignIn(siti, "siti@galeri.jatimprov.go.id", pw)
	siti.Navigate(fmt.Sprintf("/curation/rounds/%d", rd.ID))
	journeyText(t, siti, "#announce-list", "Wingko Babat Bu Sumiati")
	journeyText(t, siti, "#announce-list", "Getuk Lindri Pak Wahyu")
	journeyText(t, siti, "#announce-list", "Tidak lolos")
	siti.Screenshot("round-to-announce")
	for _, vi := range siti.Axe() {
		t.Errorf("round page: %s", vi)
	}
	siti.ClickAndWait("#announce-form button[type=submit]")
	journeyText(t, siti, "#e-confirm", "Centang dulu")
	if !siti.Exists("#f-confirm[aria-invalid=true]") {
		t.Error("the unticked confirmation is not marked invalid")
	}
	siti.Screenshot("announce-refused-unticked")
	siti.Click("#f-confirm")
	siti.ClickAndWait("#announce-form button[type=submit]")
	journeyText(t, siti, ".flash", "Hasil diumumkan")
	journeyText(t, siti, "#announce", "diumumkan")
	if siti.Exists("#announce-form") {
		t.Error("the announce form is still offered after the round was announced")
	}
	siti.Screenshot("announced")

	// Manual mode: each applicant's result is a wa.me link with the text
	// filled in, to the number in international form.
	// The queue's worker renders them in a moment; the clerk reloads.
	const resultLinks = `[...document.querySelectorAll('#messages tr')].filter(tr => tr.textContent.includes('Hasil:')).
		flatMap(tr => [...tr.querySelectorAll('a[href^="https://wa.me/"]')]).map(a => a.href)`
	var links []string
	for deadline := time.Now().Add(30 * time.Second); len(links) < 2 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		siti.Navigate("/messages/manual")
		links = eval[[]string](t, siti, resultLinks)
	}
	var toSumiati, toWahyu string
	for _, l := range links {
		switch {
		case strings.HasPrefix(l, "https://wa.me/6281331220404"):
			toSumiati = l
		case strings.HasPrefix(l, "https://wa.me/6281234567890"):
			toWahyu = l
		}
	}
	if toSumiati == "" || toWahyu == "" {
		siti.Screenshot("manual-queue-missing")
		siti.Navigate("/messages")
		siti.Screenshot("message-log")
		t.Fatalf("the manual queue has no WhatsApp link to each applicant: %q", links)
	}
	text := func(link string) string {
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get("text")
	}
	if s := text(toSumiati); !strings.Contains(s, "Wingko Babat Original isi 10") || !strings.Contains(strings.ToLower(s), "lolos") {
		t.Errorf("Bu Sumiati's result does not name her product and its result: %q", s)
	}
	if s := text(toWahyu); !strings.Contains(s, "Getuk Lindri Warna isi 20") || !strings.Contains(s, "belum lolos") || !strings.Contains(s, "Getuk Lindri Warna isi 20:\n- Nilai akhir") {
		t.Errorf("Pak Wahyu's result does not name his product as not passed: %q", s)
	}
	siti.Screenshot("manual-queue")
	row := eval[string](t, siti, `[...document.querySelectorAll('#messages a[href^="https://wa.me/6281331220404"]')].map(a => a.closest('tr')).find(tr => tr.textContent.includes('Hasil:')).id`)
	siti.ClickAndWait("#" + row + ` form[action$="/sent"] button[type=submit]`)
	siti.Navigate("/messages?channel=whatsapp")
	journeyText(t, siti, "#"+row, "terkirim")

	// A visitor on a phone reads the public announcement.
	visitor := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(time.Minute))
	visitor.Navigate(fmt.Sprintf("/pengumuman/%d", rd.ID))
	page := visitor.Text("main")
	if !strings.Contains(page, "Wingko Babat Bu Sumiati") || !strings.Contains(page, "Wingko Babat Original isi 10") {
		t.Errorf("the public announcement does not list the wingko that passed:\n%s", page)
	}
	for _, private := range []string{"Getuk", "3524054804750003", "081331220404", "+6281331220404", "Wahyu"} {
		if strings.Contains(page, private) {
			t.Errorf("the public announcement shows %q:\n%s", private, page)
		}
	}
	visitor.Screenshot("public-announcement-phone")
	for _, vi := range visitor.Axe() {
		t.Errorf("public announcement: %s", vi)
	}

	// The letter, as anyone downloads it.
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("ETALASE_REQUIRE_TOOLS") != "" {
			t.Fatal("pdftotext is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is missing")
	}
	res, err := http.Get(fmt.Sprintf("%s/pengumuman/%d/surat.pdf", base, rd.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	pdf, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("the announcement letter: %s, %.20q", res.Status, pdf)
	}
	file := filepath.Join(t.TempDir(), "surat.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	letter := string(out)
	if !strings.Contains(letter, "Kurasi Desember 2026") || !strings.Contains(letter, "Wingko Babat Bu Sumiati") || strings.Contains(letter, "Getuk") {
		t.Errorf("the letter does not name the round and only the SME that passed:\n%s", letter)
	}
}

// decideAll puts an application in the round, has the clerk and the expert
// each score every criterion k, and records the combined result as the
// expert's decision, with the suggested reasons when it did not pass.
func decideAll(t *testing.T, a *app.App, ctx context.Context, clerk, expert account.User, rd curation.Round, appID int64, k int) {
	t.Helper()
	cur := a.Curation
	if err := cur.AddApplication(ctx, clerk, rd.ID, appID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []account.User{clerk, expert} {
		x, err := cur.Assign(ctx, clerk, appID, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := cur.Declare(ctx, u, x.ID, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	rub, err := cur.LatestRubric(ctx, curation.DefaultRubricID)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := a.Applications.ProductIDs(ctx, appID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		var scores []curation.CriterionScore
		for _, cr := range rub.Applicable("Makanan") {
			scores = append(scores, curation.CriterionScore{Criterion: cr.Code, Score: k})
		}
		for _, u := range []account.User{clerk, expert} {
			if _, err := cur.SaveReview(ctx, u, appID, id, curation.ReviewInput{Scores: scores, Submit: true}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := cur.Result(ctx, appID, id)
		if err != nil {
			t.Fatal(err)
		}
		in := curation.DecisionInput{Passed: res.Outcome.Passed}
		if !in.Passed {
			in.Reason = res.SuggestedReason()
		}
		if _, err := cur.Decide(ctx, expert, appID, id, in); err != nil {
			t.Fatal(err)
		}
	}
}

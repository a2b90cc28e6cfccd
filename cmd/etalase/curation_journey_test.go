package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	appl "github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/role"
)

// TestJourneyStaffAndExpertCurateOnATablet is SOP step 4 on a tablet-sized
// window (1024×768): an application whose two products' samples came in this
// morning is in a round, with a gallery staff member and a curation expert
// assigned. The staff reviewer scores both products; the expert cannot see the
// staff's scores before submitting their own, then sees them side by side
// with the combined result; the expert passes one product and does not pass
// the other, editing the reasons the page pre-filled; the applicant's
// timeline shows step 4 done on time.
//
// Screenshots: test-artifacts/TestJourneyStaffAndExpertCurateOnATablet/.
func TestJourneyStaffAndExpertCurateOnATablet(t *testing.T) {
	browsertest.Require(t)
	const pw = "wingko babat lamongan"
	setup := newJourneySetup(t)
	a, ctx, data := setup.App, setup.Ctx, setup.Data
	owner := setup.User("Sumiati", "sumiati@wingko.id", role.Pemohon, pw)
	clerk := setup.User("Siti Nurhaliza", "siti@galeri.jatimprov.go.id", role.StafGaleri, pw)
	expert := setup.User("Dr. Bambang Setiawan", "bambang@kurasi.id", role.Kurator, pw)
	appID, ids := setup.SampledApplication(owner, clerk, appl.BusinessInput{Name: "Wingko Babat Bu Sumiati", OwnerName: "Sumiati",
		NIK: "3524054804750003", NIB: "9120701234561", Address: "Jl. Raya Babat No. 77", ProvinceCode: "35", RegencyCode: "3524",
		WhatsApp: "081331220404", Category: "Makanan", Size: "mikro"}, "2063524010077-28", "WB-01",
		appl.ProductInput{Name: "Wingko Babat Original isi 10", Category: "Makanan", Composition: "Tepung ketan, kelapa, gula", NetContent: "400 g", Packaging: "Kotak karton",
			ShelfLifeDays: "14", Price: "30.000", CapacityPerMonth: "600", PIRT: "2063524010077-28"},
		appl.ProductInput{Name: "Wingko Babat Durian isi 10", Category: "Makanan", Composition: "Tepung ketan, kelapa, durian", NetContent: "400 g", Packaging: "Plastik bening",
			ShelfLifeDays: "7", Price: "38.000", CapacityPerMonth: "200", PIRT: "2063524010077-28"})
	ap, err := a.Applications.Get(ctx, appID)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := a.Curation.CreateRound(ctx, clerk, curation.RoundInput{Name: "Kurasi Desember 2026"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Curation.AddApplication(ctx, clerk, rd.ID, ap.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range []account.User{clerk, expert} {
		if _, err := a.Curation.Assign(ctx, clerk, ap.ID, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	rub, _ := a.Curation.LatestRubric(ctx, curation.DefaultRubricID)
	criteria := rub.Applicable("Makanan")
	setup.Close()

	addr, _, _ := startServe(t, "--data", data, "--db", "", "--lang", "id", "--demo=false")
	base := "http://" + addr
	tablet := func() *browsertest.Browser {
		// The expert types a reason of some 1,000 characters, a key event
		// each: on a busy 2-core machine that has taken over 10 s.
		return browsertest.New(t, browsertest.Desktop(), browsertest.Size(1024, 768), browsertest.BaseURL(base), browsertest.Timeout(3*time.Minute),
			browsertest.StepTimeout(40*time.Second))
	}
	product := func(i int) string { return fmt.Sprintf("/curation/applications/%d/products/%d", ap.ID, ids[i]) }
	// score picks score k on every criterion, except those in set.
	score := func(b *browsertest.Browser, k int, set map[string]int, notes map[string]string) {
		for _, c := range criteria {
			v := k
			if x, ok := set[c.Code]; ok {
				v = x
			}
			b.Click(fmt.Sprintf("#s-%s-%d", c.Code, v))
			if n, ok := notes[c.Code]; ok {
				b.Fill("#n-"+c.Code, n)
			}
		}
	}

	// The staff reviewer declares no conflict, then scores both products.
	siti := tablet()
	siti.Navigate("/login")
	journeySignIn(siti, "siti@galeri.jatimprov.go.id", pw)
	siti.Navigate("/curation")
	siti.Screenshot("staff-queue")
	siti.ClickAndWait("#queue-table form.declare button[type=submit]")
	journeyText(t, siti, "h1", ap.Number)
	siti.Navigate(product(0))
	journeyText(t, siti, "#sample", "WB-01")
	if strings.Contains(siti.Text("main"), "KTP") {
		t.Error("the scoring page names the KTP")
	}
	score(siti, 4, map[string]int{"keunikan": 5}, nil)
	siti.Click(`button[name=action][value=draft]`)
	siti.WaitVisible(".flash")
	journeyText(t, siti, ".flash", "Draf")
	siti.Screenshot("staff-scoring")
	siti.ClickAndWait(`button[name=action][value=submit]`)
	journeyText(t, siti, ".flash", "dikirim")
	siti.Navigate(product(1))
	score(siti, 3, map[string]int{"rasa": 5, "masa_simpan": 1, "kemasan": 2}, map[string]string{"kemasan": "Plastik bening tipis, wingko mudah remuk."})
	siti.ClickAndWait(`button[name=action][value=submit]`)

	// The expert: blind until their own review is in.
	bambang := tablet()
	bambang.Navigate("/login")
	journeySignIn(bambang, "bambang@kurasi.id", pw)
	bambang.Navigate("/curation")
	bambang.ClickAndWait("#queue-table form.declare button[type=submit]")
	bambang.Navigate(product(0))
	journeyText(t, bambang, "#others", "tampil setelah Anda mengirim")
	if bambang.Exists("#others ul.scores") || bambang.Exists("#result") {
		t.Error("the expert sees the staff's scores before submitting")
	}
	bambang.Screenshot("expert-blind")
	score(bambang, 4, map[string]int{"desain": 3}, nil)
	bambang.ClickAndWait(`button[name=action][value=submit]`)
	if !bambang.Exists("#others ul.scores") || !bambang.Exists("#result-table") {
		t.Fatal("after submitting, the expert sees the staff's scores and the combined result")
	}
	journeyText(t, bambang, "#result-grade", "B")
	bambang.Screenshot("expert-result-pass")
	bambang.Click("#d-yes")
	bambang.ClickAndWait("#decision button[type=submit]")
	journeyText(t, bambang, ".flash", "Keputusan dicatat")

	bambang.Navigate(product(1))
	score(bambang, 2, map[string]int{"rasa": 2, "masa_simpan": 1}, map[string]string{"rasa": "Aroma durian terlalu tajam, tekstur lembek."})
	bambang.ClickAndWait(`button[name=action][value=submit]`)
	journeyText(t, bambang, "#result-table", "beda pendapat")
	prefilled := bambang.Value("#f-reason-decision")
	if !strings.Contains(prefilled, "Plastik bening tipis") || !bambang.Exists("#d-no:checked") {
		t.Fatalf("the reasons are pre-filled from the criteria below target with the notes, not passed chosen: %q", prefilled)
	}
	edited := prefilled + "\n- Saran: kemas per buah dan uji masa simpan bersama Dinas Kesehatan."
	bambang.Fill("#f-reason-decision", edited)
	bambang.Screenshot("expert-decision-not-passed")
	bambang.ClickAndWait("#decision button[type=submit]")
	journeyText(t, bambang, ".flash", "Keputusan dicatat")
	journeyText(t, bambang, "#product-"+fmt.Sprint(ids[0]), "Lolos")
	journeyText(t, bambang, "#product-"+fmt.Sprint(ids[1]), "Tidak lolos")
	bambang.Screenshot("expert-application-decided")
	bambang.Navigate(product(1))
	journeyText(t, bambang, "#decision .reason", "Saran: kemas per buah")
	journeyText(t, bambang, "#decision .reason", "Plastik bening tipis")

	// The applicant's timeline: step 4 done, on time.
	sumi := tablet()
	sumi.Navigate("/login")
	journeySignIn(sumi, "sumiati@wingko.id", pw)
	sumi.Navigate(fmt.Sprintf("/applications/%d", ap.ID))
	step4 := eval[string](t, sumi, `[...document.querySelectorAll('#timeline li')].find(li => li.textContent.includes('Langkah 4')).className`)
	late := eval[bool](t, sumi, `!![...document.querySelectorAll('#timeline li')].find(li => li.textContent.includes('Langkah 4')).querySelector('.late')`)
	if step4 != "tl-done" || late {
		t.Errorf("step 4 on the timeline: class %q, late %v; want done on time", step4, late)
	}
	sumi.Screenshot("applicant-timeline")
}

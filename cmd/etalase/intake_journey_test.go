package main

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/workday"
)

// TestJourneyApplicantAppliesOnAPhoneAndTheClerkChecksIt is SOP steps 1–3 as
// the people do them: an SME owner registers on a cheap phone, fills the online
// form, uploads photos of her KTP, NIB and P-IRT, and submits; the clerk, at the
// gallery's desk, returns the NIB with a reason; she uploads a better photo and
// submits again; the clerk accepts everything and records the samples she
// brought; her timeline shows each step and when curation is due.
//
// Screenshots: test-artifacts/TestJourneyApplicantAppliesOnAPhoneAndTheClerkChecksIt/.
func TestJourneyApplicantAppliesOnAPhoneAndTheClerkChecksIt(t *testing.T) {
	browsertest.Require(t)
	start := time.Now()
	data := t.TempDir()
	const clerkPassword = "kopi luwak banyuwangi"
	if code, _, stderr := runCmd(t, clerkPassword+"\n", "user", "create", "--data", data, "--role", "staf_galeri",
		"--email", "siti@galeri.jatimprov.go.id", "--name", "Siti Nurhaliza"); code != 0 {
		t.Fatalf("create the clerk: %s", stderr)
	}
	addr, _, _ := startServe(t, "--data", data, "--db", "", "--lang", "id", "--demo=false")
	base := "http://" + addr
	photo := scanPNG(t)

	// Sri registers on her phone.
	sri := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(2*time.Minute))
	sri.Navigate("/register")
	sri.Fill("#f-name", "Sri Wahyuni")
	sri.Fill("#f-phone", "0852 3310 0202")
	sri.Fill("#f-password", "keripik tempe sanan")
	sri.Fill("#f-password2", "keripik tempe sanan")
	sri.ClickAndWait(`main form[action="/register"] button[type=submit]`)
	journeyText(t, sri, "main .flash", "Akun Anda sudah dibuat")
	sri.ClickAndWait(`main a[href="/apply"]`)
	journeyHeading(t, sri, "Data usaha")

	// A NIK of 15 digits is refused at its field, and what she typed stays.
	sri.Fill("#f-name", "Keripik Tempe Sanan Bu Sri")
	sri.Fill("#f-nik", "357305410785000")
	sri.ClickAndWait(`main form button[type=submit]`)
	journeyText(t, sri, "#e-nik", "16 angka")
	if got := sri.Value("#f-name"); got != "Keripik Tempe Sanan Bu Sri" {
		t.Errorf("after the refusal the business name field holds %q", got)
	}
	if got := sri.Value("#f-nik"); got != "357305410785000" {
		t.Errorf("after the refusal the NIK field holds %q, want what she typed", got)
	}
	sri.Screenshot("business-form-nik-refused")
	sri.Fill("#f-nik", "3573054107850003")
	sri.Fill("#f-nib", "9120301234567")
	sri.Fill("#f-address", "Jl. Sanan No. 12, Purwantoro, Blimbing")
	sri.Select("#f-regency_code", "3573")
	sri.Select("#f-category", "Makanan")
	sri.Select("#f-size", "mikro")
	sri.Fill("#f-year_started", "2015")
	sri.ClickAndWait(`main form button[type=submit]`)
	journeyHeading(t, sri, "Keripik Tempe Sanan Bu Sri")
	journeyText(t, sri, "#usaha", "3573********0003")
	businessPath := sri.Path()

	sri.ClickAndWait(`#produk a.button`)
	sri.Fill("#f-name", "Keripik Tempe Original 250 g")
	sri.Fill("#f-composition", "Tempe kedelai, minyak kelapa sawit, tepung beras, bawang putih, garam")
	sri.Fill("#f-net_content", "250 g")
	sri.Fill("#f-packaging", "Standing pouch plastik")
	sri.Fill("#f-shelf_life_days", "180")
	sri.Fill("#f-price", "25.000")
	sri.Fill("#f-pirt", "P-IRT No. 2063573010234-28")
	sri.Screenshot("product-form")
	sri.ClickAndWait(`main form button[type=submit]`)
	journeyText(t, sri, "#produk", "Rp 25.000")

	upload := func(kind, number string) {
		t.Helper()
		sri.Select("#f-kind", kind)
		sri.Fill("#f-number", number)
		sri.Upload("#f-file", photo)
		sri.ClickAndWait(`#dokumen form.upload button[type=submit]`)
	}
	upload("ktp", "3573054107850003")
	upload("nib", "9120301234567")
	upload("pirt", "2063573010234-28")
	journeyText(t, sri, "#dokumen", "Menunggu pemeriksaan")
	sri.Screenshot("documents-uploaded")

	sri.ClickAndWait(`#permohonan form button[type=submit]`)
	number := regexp.MustCompile(`GAL-\d{4}-\d{5}`).FindString(sri.Text("main h1"))
	if number == "" {
		t.Fatalf("the application page's heading %q has no application number", sri.Text("main h1"))
	}
	appPath := sri.Path()
	sri.ClickAndWait(`form.action-form:has(input[value="submit"]) button`)
	journeyText(t, sri, "#app-state", "Diajukan")
	journeyText(t, sri, "#next", "Petugas galeri memeriksa dokumen Anda")
	sri.Screenshot("submitted")

	// The clerk returns the NIB with a reason.
	clerk := browsertest.New(t, browsertest.BaseURL(base), browsertest.Timeout(2*time.Minute))
	clerk.Navigate("/login")
	journeySignIn(clerk, "siti@galeri.jatimprov.go.id", clerkPassword)
	// Due tomorrow, it is on the applications list, not yet on the list of
	// what is due today or late.
	clerk.ClickAndWait(`nav a[href="/applications"]`)
	journeyText(t, clerk, "#applications", number)
	clerk.Screenshot("clerk-applications-list")
	clerk.Navigate(appPath)
	nibItem := `#dokumen li:has(a[href^="/documents/"]):nth-of-type(2)`
	journeyText(t, clerk, nibItem, "NIB")
	clerk.Fill(nibItem+` input[name="reason"]`, "Foto NIB buram, nomornya tidak terbaca. Mohon unggah hasil cetak OSS.")
	clerk.ClickAndWait(nibItem + ` button[value="return"]`)
	clerk.ClickAndWait(`#dokumen li:nth-of-type(1) button[value="accept"]`)
	clerk.ClickAndWait(`#dokumen li:nth-of-type(3) button[value="accept"]`)
	clerk.ClickAndWait(`form.action-form:has(input[value="return_documents"]) button`)
	journeyText(t, clerk, "#app-state", "Dokumen dikembalikan")
	clerk.Screenshot("clerk-returned-nib")

	// Sri sees why, replaces the NIB and submits again.
	sri.Navigate(businessPath)
	journeyText(t, sri, "#dokumen", "Foto NIB buram")
	upload("nib", "9120301234567")
	sri.Navigate(appPath)
	sri.ClickAndWait(`form.action-form:has(input[value="submit"]) button`)
	journeyText(t, sri, "#app-state", "Diajukan")

	// The clerk accepts everything and records the samples.
	clerk.Navigate(appPath)
	for range 3 {
		if !clerk.Exists(`#dokumen li:has(.status-pending) button[value="accept"]`) {
			break
		}
		clerk.ClickAndWait(`#dokumen li:has(.status-pending) button[value="accept"]`)
	}
	clerk.ClickAndWait(`form.action-form:has(input[value="accept_documents"]) button`)
	journeyText(t, clerk, "#app-state", "Menunggu sampel")
	expiry := time.Now().AddDate(0, 5, 0).Format("2006-01-02")
	clerk.Fill(`#sampel input[name^="quantity_"]`, "3")
	clerk.Do("set the expiry date", chromedp.SetValue(chromedp.CSS(`#sampel input[name^="expiry_date_"]`), expiry))
	clerk.Fill(`#sampel input[name^="production_code_"]`, "KT-2611-07")
	clerk.Fill(`#sampel input[name^="condition_"]`, "Baik, kemasan tersegel")
	clerk.Screenshot("clerk-samples-form")
	clerk.ClickAndWait(`#sampel form button[type=submit]`)
	journeyText(t, clerk, "#app-state", "Dalam kurasi")
	journeyText(t, clerk, "#next", "TTS-")
	clerk.Screenshot("clerk-in-curation")

	// Sri's timeline: steps 1 and 3 done, curation running with its due date.
	sri.Navigate(appPath)
	journeyText(t, sri, "#app-state", "Dalam kurasi")
	journeyText(t, sri, "#timeline li.tl-done", "Langkah 1")
	journeyText(t, sri, "#timeline li.tl-current", "Langkah 4")
	due := workday.NewDefault().Due(time.Now(), 3)
	journeyText(t, sri, "#next", workday.InWIB(due).Format("02-01-2006"))
	sri.Screenshot("timeline-in-curation")
	t.Logf("journey took %v", time.Since(start).Round(time.Millisecond))
}

// scanPNG writes a stand-in for a phone photo of a document and returns its path.
func scanPNG(t *testing.T) string {
	img := image.NewRGBA(image.Rect(0, 0, 200, 120))
	for x := range 200 {
		for y := range 120 {
			img.Set(x, y, color.RGBA{uint8(180 + x%50), 210, 230, 255})
		}
	}
	path := filepath.Join(t.TempDir(), "foto dokumen.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

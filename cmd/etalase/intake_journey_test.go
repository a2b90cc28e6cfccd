package main

import (
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/workday"
)

// TestJourneyApplicantAppliesOnAPhoneAndTheClerkChecksIt is SOP steps 1–3 as
// the people do them: an SME owner registers on a cheap phone, fills the online
// form, uploads photos of her KTP, NIB and P-IRT — the KTP a 14 MB photo
// straight from the camera — and submits in one step, after being told in
// words what was still missing; the clerk, at the gallery's desk, returns the
// NIB with a reason in one step; her home page names the returned document
// with its reason and a button to upload the replacement; she does, and
// submits again; the clerk accepts everything and records the samples; her
// home page says where she stands and her timeline shows each step.
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
	bigPhoto := phonePhoto(t)

	// Sri registers on her phone.
	// A step may take long here: the phone's browser shrinks a 14 MB photo
	// before sending it, which on a busy 2-core machine has taken over 10 s.
	sri := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(3*time.Minute), browsertest.StepTimeout(40*time.Second))
	sri.Navigate("/register")
	sri.Fill("#f-name", "Sri Wahyuni")
	sri.Fill("#f-phone", "0852 3310 0202")
	sri.Fill("#f-password", "keripik tempe sanan")
	sri.Fill("#f-password2", "keripik tempe sanan")
	sri.ClickAndWait(`main form[action="/register"] button[type=submit]`)
	// Registration answers alike for a new and a known number, so she signs in
	// with the password she just chose; her number is filled in already.
	journeyText(t, sri, "#registered", "Pendaftaran diterima")
	if got := sri.Value("#login"); got != "0852 3310 0202" {
		t.Errorf("the sign-in after registering holds %q, want her number", got)
	}
	sri.Fill("#password", "keripik tempe sanan")
	sri.ClickAndWait(`main form[action="/login"] button[type=submit]`)
	sri.ClickAndWait(`main a[href="/apply"]`)
	journeyHeading(t, sri, "Data usaha")
	journeyText(t, sri, `label[for="f-nib"]`, "(wajib)")

	// A NIK of 15 digits is refused at its field, and what she typed stays.
	sri.Fill("#f-name", "Keripik Tempe Sanan Bu Sri")
	sri.Fill("#f-nik", "357305410785000")
	sri.ClickAndWait(`main form button[type=submit]`)
	journeyText(t, sri, "#e-nik", "16 angka")
	journeyText(t, sri, "#error-summary", "16 angka")
	if got := sri.Value("#f-name"); got != "Keripik Tempe Sanan Bu Sri" {
		t.Errorf("after the refusal the business name field holds %q", got)
	}
	if got := sri.Value("#f-nik"); got != "357305410785000" {
		t.Errorf("after the refusal the NIK field holds %q, want what she typed", got)
	}
	sri.Screenshot("business-form-nik-refused")
	// She saves what she has; the address and the size are still missing.
	sri.Fill("#f-nik", "3573054107850003")
	sri.Fill("#f-nib", "9120301234567")
	sri.Select("#f-regency_code", "3573")
	sri.Select("#f-category", "Makanan")
	sri.ClickAndWait(`main form button[type=submit]`)
	journeyHeading(t, sri, "Keripik Tempe Sanan Bu Sri")
	journeyText(t, sri, "#usaha", "3573********0003")
	journeyText(t, sri, "#status .lacking", "alamat usaha")
	journeyText(t, sri, "#status .lacking", "skala usaha")
	if !strings.HasPrefix(sri.Path(), "/businesses/") {
		t.Fatalf("after saving, the applicant is on %s, want her form's overview", sri.Path())
	}

	sri.ClickAndWait(`#produk a.button`)
	sri.Fill("#f-name", "Keripik Tempe Original 250 g")
	sri.Select("#f-category", "Makanan")
	sri.Fill("#f-net_content", "250 g")
	sri.Fill("#f-packaging", "Standing pouch plastik")
	sri.Fill("#f-price", "25.000")
	sri.Fill("#f-composition", "Tempe kedelai, minyak kelapa sawit, tepung beras, bawang putih, garam")
	sri.Fill("#f-shelf_life_days", "180")
	sri.Fill("#f-pirt", "P-IRT No. 2063573010234-28")
	sri.Screenshot("product-form")
	sri.ClickAndWait(`main form button[type=submit]`)
	journeyText(t, sri, "#produk", "Rp 25.000")

	// The required documents each have their own upload; the KTP and the NIB
	// take their numbers from the form. The KTP is a 14 MB camera photo.
	journeyText(t, sri, "#dok-ktp", "dari data usaha")
	if sri.Exists(`#dok-ktp input[name="number"]`) {
		t.Error("the KTP upload asks for the NIK again")
	}
	sri.Upload("#f-file-ktp", bigPhoto)
	sri.WaitVisible("#f-file-ktp-note")
	sri.WaitText("#f-file-ktp-note", "diperkecil")
	sri.ClickAndWait(`#dok-ktp form.upload button[type=submit]`)
	sri.Upload("#f-file-nib", photo)
	sri.ClickAndWait(`#dok-nib form.upload button[type=submit]`)
	sri.Fill("#f-number-pirt", "2063573010234-28")
	sri.Upload("#f-file-pirt", photo)
	sri.ClickAndWait(`#dok-pirt form.upload button[type=submit]`)
	journeyText(t, sri, "#dok-ktp", "Menunggu pemeriksaan")
	journeyText(t, sri, "#dok-pirt", "Menunggu pemeriksaan")
	sri.Screenshot("documents-uploaded")

	// One submit: refused in words, each missing thing a link to its field.
	sri.ClickAndWait(`#permohonan form button[type=submit]`)
	journeyText(t, sri, "#error-summary", "alamat usaha")
	journeyText(t, sri, "#error-summary", "skala usaha")
	sri.Screenshot("submit-refused-in-words")
	sri.ClickAndWait(`#error-summary a[href$="#f-address"]`)
	sri.Fill("#f-address", "Jl. Sanan No. 12, Purwantoro, Blimbing")
	sri.Select("#f-size", "mikro")
	sri.ClickAndWait(`main form button[type=submit]`)
	sri.ClickAndWait(`#permohonan form button[type=submit]`)
	number := regexp.MustCompile(`GAL-\d{4}-\d{5}`).FindString(sri.Text("main h1"))
	if number == "" {
		t.Fatalf("the application page's heading %q has no application number", sri.Text("main h1"))
	}
	appPath := sri.Path()
	journeyText(t, sri, "#app-state", "Diajukan")
	journeyText(t, sri, "#next", "Petugas galeri memeriksa dokumen Anda")
	if sri.Exists(`#next button.danger`) {
		t.Error("the withdraw button sits beside the next step")
	}
	sri.Screenshot("submitted")

	// The clerk returns the NIB with a reason, in one step.
	clerk := browsertest.New(t, browsertest.BaseURL(base), browsertest.Timeout(3*time.Minute))
	clerk.Navigate("/login")
	journeySignIn(clerk, "siti@galeri.jatimprov.go.id", clerkPassword)
	// Due tomorrow, it is on the applications list, not yet on the list of
	// what is due today or late.
	clerk.ClickAndWait(`nav a[href="/applications"]`)
	journeyText(t, clerk, "#applications", number)
	clerk.Screenshot("clerk-applications-list")
	clerk.Navigate(appPath)
	journeyText(t, clerk, "#next", "Periksa dokumen pemohon")
	clerk.Fill(`#check-return li:nth-of-type(2) input[name^="reason_"]`, "Foto NIB buram, nomornya tidak terbaca. Mohon unggah hasil cetak OSS.")
	clerk.ClickAndWait(`#check-return button[type=submit]`)
	journeyText(t, clerk, "#app-state", "Dokumen dikembalikan")
	journeyText(t, clerk, "#riwayat", "Foto NIB buram")
	clerk.Screenshot("clerk-returned-nib")

	// Sri's home page names the returned NIB, why, and how to replace it.
	sri.Navigate("/")
	journeyText(t, sri, "#status .returned-list", "Foto NIB buram")
	sri.Screenshot("home-document-returned")
	sri.ClickAndWait(`#status .returned-list a.button`)
	journeyText(t, sri, "#dok-nib", "Foto NIB buram")
	sri.Upload("#f-file-nib", photo)
	sri.ClickAndWait(`#dok-nib form.upload button[type=submit]`)
	sri.ClickAndWait(`#permohonan form button[type=submit]`)
	journeyText(t, sri, "#app-state", "Diajukan")

	// The clerk accepts everything and records the samples.
	clerk.Navigate(appPath)
	clerk.ClickAndWait(`#check-accept button[type=submit]`)
	journeyText(t, clerk, "#app-state", "Menunggu sampel")
	expiry := time.Now().AddDate(0, 5, 0).Format("2006-01-02")
	clerk.Fill(`#sampel input[name^="quantity_"]`, "3")
	clerk.Do("set the expiry date", chromedp.SetValue(chromedp.CSS(`#sampel input[name^="expiry_date_"]`), expiry))
	clerk.Fill(`#sampel input[name^="production_code_"]`, "KT-2611-07")
	clerk.Fill(`#sampel input[name^="condition_"]`, "Baik, kemasan tersegel")
	clerk.Screenshot("clerk-samples-form")

	// Before the samples are in, Sri's home says where to bring them.
	sri.Navigate("/")
	journeyText(t, sri, "#status", "Menunggu sampel")
	journeyText(t, sri, "#sampel-info", "formulir offline")
	sri.Screenshot("home-awaiting-samples")

	clerk.ClickAndWait(`#sampel form button[type=submit]`)
	journeyText(t, clerk, "#app-state", "Dalam kurasi")
	journeyText(t, clerk, "#riwayat", "TTS-")
	clerk.Screenshot("clerk-in-curation")

	// Sri's home and timeline: steps 1 and 3 done, curation due in 3 working days.
	due := workday.NewDefault().Due(time.Now(), 3)
	sri.Navigate("/")
	journeyText(t, sri, "#status", "Dalam kurasi")
	journeyText(t, sri, "#status .next", workday.InWIB(due).Format("02-01-2006"))
	sri.Screenshot("home-in-curation")
	sri.Navigate(appPath)
	journeyText(t, sri, "#timeline li.tl-done", "Langkah 1")
	journeyText(t, sri, "#timeline li.tl-current", "Langkah 4")
	sri.Screenshot("timeline-in-curation")
	t.Logf("journey took %v", time.Since(start).Round(time.Millisecond))
}

// phonePhoto writes a 4000×3000 JPEG of noise, about the 14 MB a phone camera
// makes of a document, and returns its path.
func phonePhoto(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4000, 3000))
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = uint8(rnd.Uint32()), uint8(rnd.Uint32()), uint8(rnd.Uint32()), 255
	}
	path := filepath.Join(t.TempDir(), "IMG_20261201_091500.jpg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, &jpeg.Options{Quality: 97}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := f.Stat(); fi.Size() < 10<<20 {
		t.Fatalf("the stand-in phone photo is only %d bytes", fi.Size())
	}
	return path
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

package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/browsertest"
	"github.com/etalase-id/etalase/internal/demo"
)

// TestJourneyADivisionWorksAReferralAndAVisitorVerifiesALetter is step 8 in a
// browser: the halal division's officer, on a phone, opens her queue, records
// that she contacted the SME and then that the certificate was issued; the
// applicant's messages record each step. Then a visitor scans the QR code of
// the HKI recommendation letter (read off the PDF with zbarimg) and the page
// says the letter is genuine; a made-up number is "not issued".
//
// Screenshots: test-artifacts/TestJourneyADivisionWorksAReferralAndAVisitorVerifiesALetter/.
func TestJourneyADivisionWorksAReferralAndAVisitorVerifiesALetter(t *testing.T) {
	browsertest.Require(t)
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("ETALASE_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s is missing (apt-get install poppler-utils zbar-tools)", tool)
			}
			t.Skipf("%s is missing", tool)
		}
	}
	data := t.TempDir()
	addr, _, _ := startServe(t, "--data", data, "--demo")
	base := "http://" + addr

	b := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(2*time.Minute))
	b.Navigate("/login")
	journeySignIn(b, "rina.halal@demo.etalase.id", demo.Password)
	b.Navigate("/referrals?status=referred")
	journeyText(t, b, "main h1", "Antrean rujukan")
	b.Screenshot("queue")
	b.ClickAndWait("#referrals tbody a")
	b.Click(`input[name=status][value=contacted]`)
	b.ClickAndWait(`main form[method=post] button[type=submit]`)
	journeyText(t, b, "main dl.facts", "sudah dihubungi")
	b.Click(`input[name=status][value=done]`)
	b.ClickAndWait(`main form[method=post] button[type=submit]`)
	if !b.Exists("#error-summary, .error-summary, [role=alert]") {
		t.Error("done without a certificate number was not refused in words")
	}
	b.Click(`input[name=status][value=done]`)
	b.Fill("#f-certificate", "ID35110000987650126")
	b.ClickAndWait(`main form[method=post] button[type=submit]`)
	journeyText(t, b, "main dl.facts", "selesai")
	journeyText(t, b, "main dl.facts", "ID35110000987650126")
	b.Screenshot("referral-done")

	// The HKI letter, as the division's officer downloads it.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := c.PostForm(base+"/login", url.Values{"login": {"agus.hki@demo.etalase.id"}, "password": {demo.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(base + "/referrals?division=hki")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`href="/referrals/(\d+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("no HKI referral in the queue:\n%s", page)
	}
	id := string(m[1])
	resp, err = c.Get(base + "/referrals/" + id + "/letter.pdf")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("letter: %v %v", resp.Status, err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "surat-rekomendasi.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	prefix := filepath.Join(dir, "surat-rekomendasi")
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	qr, err := exec.Command("zbarimg", "--raw", "-q", prefix+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg read no code: %v", err)
	}
	verifyURL := strings.TrimSpace(string(qr))
	if !strings.HasPrefix(verifyURL, base+"/verify?n=REK-HKI-") {
		t.Fatalf("the QR code carries %q", verifyURL)
	}
	v := browsertest.New(t, browsertest.Phone(), browsertest.BaseURL(base), browsertest.Timeout(time.Minute))
	v.Navigate(strings.TrimPrefix(verifyURL, base))
	journeyText(t, v, "#verified", "diterbitkan oleh Dinas Koperasi")
	v.Screenshot("letter-verified")
	for _, vi := range v.Axe() {
		t.Errorf("verification page: %s", vi)
	}
	v.Fill("#f-n", "REK-HKI-2026-99999")
	v.ClickAndWait(`main form[action="/verify"] button[type=submit]`)
	journeyText(t, v, "#not-issued", "tidak diterbitkan oleh Dinas ini")
	v.Screenshot("made-up-number")
}

package print

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

// The announcement letter reads right: the round, the passed SMEs over page
// breaks, the counts, and a QR code a phone reads as the verification address.
func TestAnnouncementLetterReadsRight(t *testing.T) {
	needTools(t, "pdftotext", "pdftoppm", "zbarimg")
	const verify = "https://etalase.diskopukm.jatimprov.go.id/verify?n=PENG-KUR-2026-0001&f=0123456789abcdef"
	a := AnnouncementData{Number: "PENG-KUR-2026-0001", IssuedAt: time.Date(2026, 11, 26, 9, 0, 0, 0, workday.WIB), Round: "Kurasi November 2026",
		Applicants: 40, NotPassed: 7, VerifyURL: verify, Fingerprint: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
	for i := range 33 {
		a.Passed = append(a.Passed, AnnouncedSME{Business: fmt.Sprintf("Wingko Babat Bu Sumiati %d", i+1), Regency: "Kabupaten Lamongan", Product: "Wingko Original", Grade: "Baik"})
	}
	path := saveArtifact(t, "announcement.pdf", render(t, func(b *bytes.Buffer) error { return AnnouncementLetter(b, a) }))
	pages := pdfPages(t, path)
	if len(pages) < 2 {
		t.Fatalf("33 SMEs on %d page(s)", len(pages))
	}
	mustSee(t, pages, "Pengumuman Hasil Kurasi Produk UKM", "PENG-KUR-2026-0001", "Kurasi November 2026", "26 November 2026",
		"Wingko Babat Bu Sumiati 1", "Wingko Babat Bu Sumiati 33", "Kabupaten Lamongan", "Sebanyak 7 produk belum lolos")
	if got := pageQR(t, path, 1); got != verify {
		t.Errorf("zbarimg read %q, want exactly %q", got, verify)
	}
}

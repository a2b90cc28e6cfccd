package print

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

// pageCodes renders a page at dpi and returns every symbol zbarimg reads on
// it, as "EAN-13:…" and "QR-Code:…", sorted.
// Only the top heightMM of the page is rendered (0: all of it).
func pageCodes(t *testing.T, pdfPath string, page, dpi int, heightMM float64) []string {
	t.Helper()
	prefix := strings.TrimSuffix(pdfPath, ".pdf") + fmt.Sprintf("-p%d", page)
	args := []string{"-r", fmt.Sprint(dpi), "-png", "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), "-singlefile"}
	if heightMM > 0 {
		args = append(args, "-x", "0", "-y", "0", "-W", fmt.Sprint(int(210/25.4*float64(dpi))), "-H", fmt.Sprint(int(heightMM/25.4*float64(dpi))))
	}
	run(t, "pdftoppm", append(args, pdfPath, prefix)...)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("zbarimg", "-q", prefix+".png")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run() // no code at all is an empty list, checked by the caller
	out := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(out) == 1 && out[0] == "" {
		out = nil
	}
	slices.Sort(out)
	return out
}

func TestEveryBarcodeAndQROnTagsAndLabelsDecodes(t *testing.T) {
	needTools(t, "pdftoppm", "zbarimg")
	labels := []Label{
		{Name: "Keripik Tempe Original 250 g", Business: "Keripik Tempe Sanan Bu Sri", Price: 25000, Barcode: "2000000000015", URL: "https://galeri.example.id/katalog/1"},
		{Name: "Batik Tulis Madura Motif Sekar Jagad, katun primisima 2 m", Business: "Batik Bu Kholil", Price: 1250000, Barcode: "8991234567891", URL: "https://galeri.example.id/katalog/22"},
		{Name: "Kopi Robusta Dampit 200 g", Business: "Kopi Dampit", Price: 45000, Barcode: "2000000000022", URL: "https://galeri.example.id/katalog/333"},
	}
	for _, sh := range Sheets {
		for _, tags := range []bool{true, false} {
			name := fmt.Sprintf("labels-%s-%v", sh.Key, map[bool]string{true: "tags", false: "barcodes"}[tags])
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				var buf bytes.Buffer
				if err := Labels(&buf, sh, tags, labels, 1); err != nil {
					t.Fatal(err)
				}
				path := saveArtifact(t, name+".pdf", buf.Bytes())
				// The labels used fill the first rows of a sheet: render only those.
				pages, height := 1, sh.Top+float64((len(labels)+1+sh.Cols-1)/sh.Cols)*(sh.LabelH+sh.GapY)+2
				if sh.Cols*sh.Rows == 1 {
					height = 0
					pages = 1 + len(labels) // one skipped, then one per page
				}
				var got []string
				for p := 1; p <= pages; p++ {
					got = append(got, pageCodes(t, path, p, 300, height)...)
				}
				var want []string
				for _, l := range labels {
					want = append(want, "EAN-13:"+l.Barcode)
					if tags {
						want = append(want, "QR-Code:"+l.URL)
					}
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s decodes to\n%q\nwant\n%q", filepath.Base(path), got, want)
				}
			})
		}
	}
	if err := Labels(&bytes.Buffer{}, Sheet{PageW: 210, PageH: 297, Cols: 4, Rows: 8, LabelW: 70, LabelH: 37}, true, labels, 0); err == nil {
		t.Error("a grid wider than its page was printed")
	}
}

func TestTheHandoverReadsBackAndItsQRDecodes(t *testing.T) {
	needTools(t, "pdftotext", "pdftoppm", "zbarimg")
	at := time.Date(2026, 11, 3, 10, 15, 0, 0, workday.WIB)
	for _, ret := range []bool{false, true} {
		h := HandoverData{Number: "BAST-2026-00001", Return: ret, BusinessName: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni",
			Location: "Galeri UMKM Jawa Timur", At: at, Clerk: "Siti Aminah", PrintedAt: at, URL: "https://galeri.example.id/stok/dokumen/1",
			Lines: []HandoverLine{
				{Name: "Keripik Tempe Original 250 g", SKU: "GLR-000001", Barcode: "2000000000015", LotCode: "KT-2610", ExpiresOn: "2027-03-01", Qty: 24, SMEPrice: 20000, Price: 25000},
				{Name: "Keripik Tempe Original 250 g", SKU: "GLR-000001", Barcode: "2000000000015", LotCode: "KT-2611", ExpiresOn: "2027-04-01", Qty: 12, SMEPrice: 20000, Price: 25000},
			}}
		name := "handover.pdf"
		if ret {
			h.Number, h.Reason, name = "BAPK-2026-00001", "Masa konsinyasi habis", "handover-return.pdf"
		}
		var buf bytes.Buffer
		if err := Handover(&buf, h); err != nil {
			t.Fatal(err)
		}
		path := saveArtifact(t, name, buf.Bytes())
		pages := pdfPages(t, path)
		title := "Berita Acara Serah Terima Barang Konsinyasi"
		if ret {
			title = "Berita Acara Pengembalian Barang Konsinyasi"
		}
		mustSee(t, pages, title, h.Number, "Keripik Tempe Sanan Bu Sri", "Sri Wahyuni", "Galeri UMKM Jawa Timur", "KT-2610", "KT-2611",
			"01-03-2027", "2000000000015", "Rp 20.000", "Rp 25.000", "Jumlah: 2 baris, 36 unit, senilai Rp 720.000", "Siti Aminah")
		if ret {
			mustSee(t, pages, "Masa konsinyasi habis", "Yang menerima (UMKM)")
		} else {
			mustSee(t, pages, "Yang menyerahkan (UMKM)", "Yang menerima (Staf Galeri)")
		}
		if got := pageQR(t, path, 1); got != h.URL {
			t.Errorf("QR: %q", got)
		}
	}
}

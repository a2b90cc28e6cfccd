package print

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/etalase-id/etalase/internal/workday"
)

const appURL = "https://etalase.diskopukm.jatimprov.go.id/permohonan/GAL-2026-00012"

// printedAt is 28 November 2026, 01.30 WIB: still the 27th in UTC, so a date
// shown in UTC by mistake would read 27 November.
var printedAt = time.Date(2026, 11, 27, 18, 30, 0, 0, time.UTC)

func sampleForm() OfflineFormData {
	return OfflineFormData{
		ApplicationNumber: "GAL-2026-00012",
		SubmittedAt:       time.Date(2026, 11, 26, 7, 5, 0, 0, time.UTC), // 14.05 WIB
		PrintedAt:         printedAt,
		URL:               appURL,
		Business: Business{
			Name:        "Kripik Tempe — Sanan",
			OwnerName:   "Siti Nur Hasanah",
			NIKMasked:   "3573**********02",
			NIB:         "9120301234567",
			Address:     "Jl. Sanan Gg. III No. 17, RT 05 RW 14, Kelurahan Purwantoro, Kecamatan Blimbing",
			Regency:     "Kota Malang",
			Province:    "Jawa Timur",
			WhatsApp:    "+62 812-3456-7890",
			Email:       "kripiksanan@example.id",
			Category:    "Makanan",
			Size:        "Mikro",
			YearStarted: 2014,
		},
		Products: []Product{
			{Name: "Kripik Tempe Original", Category: "Makanan", NetContent: "250 g", Packaging: "Standing pouch",
				ShelfLifeDays: 180, Price: 25000, PIRT: "2063573010123-29", Halal: "ID35110000123450624"},
			{Name: "Café Ñ Kopi Dampit", Category: "Minuman", NetContent: "200 g", Packaging: "Kaleng",
				ShelfLifeDays: 365, Price: 1500000, BPOM: "MD 224513001234"},
			{Name: "Keripik Tempe Rasa Balado Pedas Manis Khas Sanan Malang Kemasan Ekonomis Isi Ulang 🌶️",
				Category: "Makanan", NetContent: "100 g", Packaging: "Plastik OPP dengan klip", ShelfLifeDays: 120, Price: 12500,
				PIRT: "2063573010123-29"},
		},
		Documents: []Document{
			{Name: "KTP pemilik", Status: "Diterima"},
			{Name: "NIB (Nomor Induk Berusaha)", Number: "9120301234567", Status: "Diterima"},
			{Name: "Sertifikat P-IRT", Number: "2063573010123-29", Status: "Dikembalikan", Note: "Foto buram; unggah ulang yang terbaca."},
			{Name: "Sertifikat halal", Number: "ID35110000123450624", Status: "Menunggu pemeriksaan"},
		},
	}
}

func sampleReceipt() SampleReceiptData {
	return SampleReceiptData{
		ReceiptNumber:     "TTS-2026-00007",
		ApplicationNumber: "GAL-2026-00012",
		BusinessName:      "Kripik Tempe — Sanan",
		OwnerName:         "Siti Nur Hasanah",
		ReceivedAt:        time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC), // Friday 27 November, 10.15 WIB
		ReceivedBy:        "Dewi Rahmawati",
		CurationDue:       time.Date(2026, 12, 2, 16, 0, 0, 0, workday.WIB),
		PrintedAt:         time.Date(2026, 11, 27, 3, 20, 0, 0, time.UTC),
		URL:               appURL,
		Samples: []Sample{
			{ProductName: "Kripik Tempe Original", Quantity: 5, ExpiryDate: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
				ProductionCode: "KT-2611-A", NetContent: "250 g", Condition: "Baik, tersegel"},
			{ProductName: "Café Ñ Kopi Bubuk Dampit", Quantity: 3, ExpiryDate: time.Date(2027, 11, 20, 0, 0, 0, 0, workday.WIB),
				ProductionCode: "CN/20/11", NetContent: "200 g", Condition: "Baik", Notes: "Satu kaleng penyok sedikit di tutup."},
		},
	}
}

func render(t *testing.T, fn func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	return buf.Bytes()
}

func TestOfflineFormReadsRight(t *testing.T) {
	needTools(t, "pdftotext", "pdftoppm", "zbarimg")
	f := sampleForm()
	path := saveArtifact(t, "offline-form.pdf", render(t, func(b *bytes.Buffer) error { return OfflineForm(b, f) }))
	pages := pdfPages(t, path)
	mustSee(t, pages,
		"Dinas Koperasi dan Usaha Kecil Menengah Provinsi Jawa Timur",
		"Bidang Pemasaran",
		"Formulir Permohonan Fasilitasi Pemasaran Produk Melalui Galeri",
		"GAL-2026-00012",
		"28 November 2026",                  // printed, in WIB
		"26 November 2026, pukul 14.05 WIB", // submitted, in WIB
		"Kripik Tempe — Sanan",
		"Siti Nur Hasanah",
		"3573**********02", // the masked NIK, exactly as the caller gave it
		"9120301234567",
		"Kota Malang", "Jawa Timur", "+62 812-3456-7890", "kripiksanan@example.id", "Mikro", "2014",
		"Kripik Tempe Original",
		"Café Ñ Kopi Dampit",
		"Rp 25.000", "Rp 1.500.000", "Rp 12.500",
		"180 hari", "Standing pouch",
		"P-IRT: 2063573010123-29", "Halal: ID35110000123450624", "BPOM: MD 224513001234",
		"KTP pemilik", "Dikembalikan", "Foto buram", "Menunggu pemeriksaan",
		"Dengan ini saya menyatakan bahwa data yang saya isi adalah benar",
		"Surabaya, ....",
		"Petugas Galeri", "Pemohon", "( Siti Nur Hasanah )",
		"Dicetak oleh Etalase · halaman 1 dari "+fmt.Sprint(len(pages)),
	)
	// The long name wraps inside its cell: all its words, in order.
	inOrder(t, pages, "Keripik Tempe Rasa Balado Pedas Manis Khas Sanan Malang Kemasan Ekonomis Isi Ulang")
	if strings.Contains(strings.Join(pages, ""), "🌶") {
		t.Error("the emoji the font cannot draw reached the paper")
	}
	// The URL is printed under the code (perhaps wrapped over lines).
	if !strings.Contains(strings.Join(strings.Fields(pages[0]), ""), appURL) {
		t.Errorf("the URL %s is not printed on the first page", appURL)
	}
	if got := pageQR(t, path, 1); got != appURL {
		t.Errorf("zbarimg read %q, want exactly %q", got, appURL)
	}
}

func TestSampleReceiptReadsRight(t *testing.T) {
	needTools(t, "pdftotext", "pdftoppm", "zbarimg")
	r := sampleReceipt()
	path := saveArtifact(t, "sample-receipt.pdf", render(t, func(b *bytes.Buffer) error { return SampleReceipt(b, r) }))
	pages := pdfPages(t, path)
	mustSee(t, pages,
		"Tanda Terima Sampel Produk",
		"TTS-2026-00007", "GAL-2026-00012",
		"Kripik Tempe — Sanan", "Siti Nur Hasanah",
		"27 November 2026, pukul 10.15 WIB",
		"Dewi Rahmawati",
		"Kripik Tempe Original", "Café Ñ Kopi Bubuk Dampit",
		"01-03-2027", "20-11-2027",
		"KT-2611-A", "CN/20/11", "250 g", "Baik, tersegel", "Satu kaleng penyok",
		"Jumlah: 2 produk, 8 sampel.",
		"3 (tiga) hari kerja",
		"Hasil kurasi paling lambat: Rabu, 2 Desember 2026",
		"Surabaya, 27 November 2026",
		"Yang menyerahkan (Pemohon)", "Yang menerima (Staf Galeri)",
		"( Dewi Rahmawati )", "( Siti Nur Hasanah )",
		"Dicetak oleh Etalase · halaman 1 dari 1",
	)
	if got := pageQR(t, path, 1); got != appURL {
		t.Errorf("zbarimg read %q, want exactly %q", got, appURL)
	}
}

// manyProducts checks a table of 40 rows: it spans pages, repeats its header
// on each, and lists every product exactly once, in order.
func manyProducts(t *testing.T, pages []string, header string, names []string) {
	t.Helper()
	if len(pages) < 2 {
		t.Fatalf("40 products fit on %d page(s); want the table to span pages", len(pages))
	}
	all := strings.Join(pages, "\n")
	lastPage := 0
	for _, n := range names {
		if c := strings.Count(all, n); c != 1 {
			t.Errorf("%q appears %d times, want once", n, c)
		}
		for i, p := range pages {
			if strings.Contains(p, n) {
				if i < lastPage {
					t.Errorf("%q is on page %d, after a later product on page %d", n, i+1, lastPage+1)
				}
				lastPage = i
			}
		}
	}
	tablePages := 0
	for i, p := range pages {
		if !strings.Contains(p, "Produk Uji ") {
			continue
		}
		tablePages++
		if !strings.Contains(p, header) {
			t.Errorf("page %d holds products but not the table header %q", i+1, header)
		}
		if want := fmt.Sprintf("halaman %d dari %d", i+1, len(pages)); !strings.Contains(squash(p), want) {
			t.Errorf("page %d does not say %q", i+1, want)
		}
	}
	if tablePages < 2 {
		t.Errorf("the table is on %d page(s), want it to span at least 2", tablePages)
	}
}

func TestOfflineFormManyProducts(t *testing.T) {
	needTools(t, "pdftotext", "pdftoppm", "zbarimg")
	f := sampleForm()
	f.Products = nil
	var names []string
	for i := 1; i <= 40; i++ {
		n := fmt.Sprintf("Produk Uji %02d", i)
		names = append(names, n)
		p := Product{Name: n, Category: "Makanan", NetContent: "100 g", Packaging: "Plastik", ShelfLifeDays: 90, Price: int64(i) * 1000}
		if i%7 == 0 { // some rows are taller
			p.PIRT, p.Halal = "2063573010123-29", "ID35110000123450624"
		}
		f.Products = append(f.Products, p)
	}
	path := saveArtifact(t, "offline-form-40-products.pdf", render(t, func(b *bytes.Buffer) error { return OfflineForm(b, f) }))
	pages := pdfPages(t, path)
	manyProducts(t, pages, "Nama produk", names)
	mustSee(t, pages, "Rp 40.000", "( Siti Nur Hasanah )")
	if got := pageQR(t, path, 1); got != appURL {
		t.Errorf("zbarimg read %q, want exactly %q", got, appURL)
	}
}

func TestSampleReceiptManyProducts(t *testing.T) {
	needTools(t, "pdftotext")
	r := sampleReceipt()
	r.Samples = nil
	var names []string
	for i := 1; i <= 40; i++ {
		n := fmt.Sprintf("Produk Uji %02d", i)
		names = append(names, n)
		r.Samples = append(r.Samples, Sample{ProductName: n, Quantity: 2, ExpiryDate: time.Date(2027, 6, i%28+1, 0, 0, 0, 0, workday.WIB),
			ProductionCode: fmt.Sprintf("PU-%02d", i), NetContent: "100 g", Condition: "Baik"})
	}
	path := saveArtifact(t, "sample-receipt-40-products.pdf", render(t, func(b *bytes.Buffer) error { return SampleReceipt(b, r) }))
	pages := pdfPages(t, path)
	manyProducts(t, pages, "Nama produk", names)
	mustSee(t, pages, "Jumlah: 40 produk, 80 sampel.", "Hasil kurasi paling lambat: Rabu, 2 Desember 2026")
	// The notes and both signature boxes finish on the same page.
	last := pages[len(pages)-1]
	for _, s := range []string{"Hasil kurasi paling lambat", "Yang menyerahkan (Pemohon)", "Yang menerima (Staf Galeri)"} {
		if !strings.Contains(last, s) {
			t.Errorf("the last page lacks %q: the closing block was split", s)
		}
	}
}

func TestQRPNG(t *testing.T) {
	b, err := QRPNG(appURL, 300)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bits, _ := qrModules(appURL)
	n := len(bits) + 2*QuietZone
	w := img.Bounds().Dx()
	if w != img.Bounds().Dy() || w > 300 || w%n != 0 || w < 300-n {
		t.Fatalf("image is %v; want a square of whole modules (%d with the quiet zone) at most 300 px", img.Bounds(), n)
	}
	px := w / n
	for i := range QuietZone * px { // the quiet zone is white on all four sides
		for j := range w {
			for _, p := range [][2]int{{i, j}, {j, i}, {w - 1 - i, j}, {j, w - 1 - i}} {
				if r, _, _, _ := img.At(p[0], p[1]).RGBA(); r != 0xFFFF {
					t.Fatalf("pixel %v of the quiet zone is not white", p)
				}
			}
		}
	}
	if _, err := QRPNG("", 100); err == nil {
		t.Error("QRPNG of empty text: want an error")
	}
	if b, err := QRPNG(appURL, 1); err != nil {
		t.Error(err)
	} else if img, _ := png.Decode(bytes.NewReader(b)); img.Bounds().Dx() != n {
		t.Errorf("a tiny size gives %v, want one pixel a module (%d)", img.Bounds(), n)
	}

	needTools(t, "zbarimg")
	p := filepath.Join(artifactDir(t), "qr.png")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSuffix(string(run(t, "zbarimg", "--raw", "-q", p)), "\n"); got != appURL {
		t.Errorf("zbarimg read %q, want %q", got, appURL)
	}
}

func TestNumbersRequired(t *testing.T) {
	var buf bytes.Buffer
	f := sampleForm()
	f.ApplicationNumber = " "
	if err := OfflineForm(&buf, f); err == nil {
		t.Error("offline form without an application number: want an error")
	}
	f = sampleForm()
	f.URL = "https://example.id/" + strings.Repeat("x", 3000) // more than a QR code holds
	if err := OfflineForm(&buf, f); err == nil {
		t.Error("offline form with a URL too long for a QR code: want an error")
	}
	r := sampleReceipt()
	r.ReceiptNumber = ""
	if err := SampleReceipt(&buf, r); err == nil {
		t.Error("sample receipt without a receipt number: want an error")
	}
}

// Same data, same bytes: a reprint is identical, and nothing depends on the
// clock or on map order.
func TestDeterministic(t *testing.T) {
	f, r := sampleForm(), sampleReceipt()
	a := render(t, func(b *bytes.Buffer) error { return OfflineForm(b, f) })
	b := render(t, func(b *bytes.Buffer) error { return OfflineForm(b, f) })
	if !bytes.Equal(a, b) {
		t.Error("the offline form differs between two runs on the same data")
	}
	a = render(t, func(b *bytes.Buffer) error { return SampleReceipt(b, r) })
	b = render(t, func(b *bytes.Buffer) error { return SampleReceipt(b, r) })
	if !bytes.Equal(a, b) {
		t.Error("the sample receipt differs between two runs on the same data")
	}
}

// Empty and odd data still make a paper: no panic, dashes for what is missing.
func TestSparseData(t *testing.T) {
	render(t, func(b *bytes.Buffer) error {
		return OfflineForm(b, OfflineFormData{ApplicationNumber: "GAL-2026-00001"})
	})
	render(t, func(b *bytes.Buffer) error {
		return SampleReceipt(b, SampleReceiptData{ReceiptNumber: "TTS-2026-00001"})
	})
	weird := strings.Repeat("Sambal\tBawang\r\nPedas😀\u200d\x00 ", 80) // very long, controls, astral runes
	render(t, func(b *bytes.Buffer) error {
		return OfflineForm(b, OfflineFormData{ApplicationNumber: "GAL-2026-00002", URL: weird,
			Business: Business{Name: weird, Address: weird}, Products: []Product{{Name: weird, Packaging: weird}}})
	})
}

func TestDates(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{Tanggal(printedAt), "28 November 2026"},
		{Tanggal(time.Date(2026, 1, 5, 0, 0, 0, 0, workday.WIB)), "5 Januari 2026"},
		{HariTanggal(time.Date(2026, 12, 2, 16, 0, 0, 0, workday.WIB)), "Rabu, 2 Desember 2026"},
		{HariTanggal(time.Date(2026, 8, 16, 17, 30, 0, 0, time.UTC)), "Senin, 17 Agustus 2026"},
		{TanggalJam(time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC)), "27 November 2026, pukul 10.15 WIB"},
		{TanggalAngka(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)), "01-03-2027"},
		{Tanggal(time.Time{}), "-"},
		{TanggalAngka(time.Time{}), "-"},
		{rupiah(25000), "Rp 25.000"},
		{rupiah(0), "-"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	for _, c := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"Café Ñ", false, "Café Ñ"},
		{"Kripik Tempe — Sanan", false, "Kripik Tempe — Sanan"},
		{"Pedas 🌶️ Mantap", false, "Pedas Mantap"},
		{"a\tb\r\nc", false, "a b c"},
		{"a\tb\r\nc", true, "a b\nc"},
		{"  x  ", false, "x"},
		{"東京", false, "??"},
		{"nol\x00byte", false, "nol byte"},
	} {
		if got := clean(c.in, c.multiline); got != c.want {
			t.Errorf("clean(%q, %v) = %q, want %q", c.in, c.multiline, got, c.want)
		}
	}
}

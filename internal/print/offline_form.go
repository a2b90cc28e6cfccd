package print

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// OfflineFormData is what the offline application form (SOP step 2) prints:
// the online application as the applicant sent it, to be checked and signed.
type OfflineFormData struct {
	Office            Office
	ApplicationNumber string    // "GAL-2026-00012"; required
	SubmittedAt       time.Time // when the online form was sent; zero when not yet
	PrintedAt         time.Time // the date on the paper; zero means now
	URL               string    // the application's page, printed as a QR code; empty prints none
	Business          Business
	Products          []Product
	Documents         []Document
}

// Business is the applicant's business as printed. Every field is text as it
// should appear on paper.
type Business struct {
	Name        string
	OwnerName   string
	NIKMasked   string // the NIK ALREADY MASKED by the caller ("3578**********01"): printed as given
	NIB         string
	Address     string
	Regency     string // kabupaten/kota, e.g. "Kota Malang"
	Province    string // e.g. "Jawa Timur"
	WhatsApp    string // as it should read, e.g. "+62 812-3456-7890"
	Email       string
	Category    string
	Size        string // skala usaha as a word: "Mikro", "Kecil", "Menengah"
	YearStarted int    // 0 = not given
}

// Product is one product of the application.
type Product struct {
	Name          string
	Category      string
	NetContent    string // isi bersih, e.g. "250 g"
	Packaging     string
	ShelfLifeDays int   // masa simpan in days; 0 = not given
	Price         int64 // proposed consumer price in whole Rupiah; 0 = not given
	PIRT          string
	Halal         string
	BPOM          string
}

// Document is one document attached to the application and where its check
// stands.
type Document struct {
	Name   string // "KTP pemilik", "Sertifikat P-IRT"
	Number string // the document's number, if it has one
	Status string // in words: "Diterima", "Menunggu pemeriksaan", "Dikembalikan"
	Note   string // e.g. the reason it was returned
}

// OfflineForm writes the "Formulir Permohonan Fasilitasi Pemasaran Produk
// Melalui Galeri" of application f as a PDF to w: the online data pre-filled,
// a statement, and boxes for the applicant's and the gallery officer's
// signatures, with the place and date left to write by hand.
func OfflineForm(w io.Writer, f OfflineFormData) error {
	if strings.TrimSpace(f.ApplicationNumber) == "" {
		return errors.New("print: offline form without an application number")
	}
	const title = "Formulir Permohonan Fasilitasi Pemasaran Produk Melalui Galeri"
	d := newDoc(f.Office, title, f.ApplicationNumber, f.PrintedAt)
	d.title(title, "Formulir luring ini diisi dari permohonan daring. Periksa kembali isinya, lalu tanda tangani.")

	ids := []field{{"Nomor permohonan", f.ApplicationNumber}}
	if !f.SubmittedAt.IsZero() {
		ids = append(ids, field{"Diajukan daring", TanggalJam(f.SubmittedAt)})
	}
	ids = append(ids, field{"Tanggal cetak", Tanggal(d.printed)})
	if err := d.idBlock(ids, f.URL, "Pindai untuk membuka permohonan ini:"); err != nil {
		return err
	}

	b := f.Business
	year := ""
	if b.YearStarted > 0 {
		year = strconv.Itoa(b.YearStarted)
	}
	d.heading("A. Data Usaha", 3*fieldLineH)
	d.fields([]field{
		{"Nama usaha", b.Name},
		{"Nama pemilik", b.OwnerName},
		{"NIK pemilik", b.NIKMasked},
		{"NIB", b.NIB},
		{"Alamat usaha", b.Address},
		{"Kabupaten/Kota", b.Regency},
		{"Provinsi", b.Province},
		{"Nomor WhatsApp", b.WhatsApp},
		{"E-mail", b.Email},
		{"Kategori usaha", b.Category},
		{"Skala usaha", b.Size},
		{"Tahun mulai usaha", year},
	}, marginX, contentW, 42)

	d.heading("B. Data Produk", 20)
	cols := []column{
		{"No", 7, "C"},
		{"Nama produk", 36, "L"},
		{"Kategori", 18, "L"},
		{"Isi bersih", 15, "L"},
		{"Kemasan", 23, "L"},
		{"Masa simpan", 16, "L"},
		{"Harga", 22, "R"},
		{"Izin / sertifikat", 43, "L"}, // "Halal: ID35110000123450624" on one line
	}
	rows := make([][]string, 0, len(f.Products))
	for i, p := range f.Products {
		shelf := "-"
		if p.ShelfLifeDays > 0 {
			shelf = strconv.Itoa(p.ShelfLifeDays) + " hari"
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), orDash(p.Name), orDash(p.Category), orDash(p.NetContent),
			orDash(p.Packaging), shelf, rupiah(p.Price), permits(p)})
	}
	if len(rows) == 0 {
		d.paragraph("Belum ada produk pada permohonan ini.", "", 9.5, 5)
	} else {
		d.table(cols, rows)
	}

	d.heading("C. Dokumen yang Dilampirkan", 15)
	if len(f.Documents) == 0 {
		d.paragraph("Belum ada dokumen yang diunggah.", "", 9.5, 5)
	} else {
		rows = rows[:0]
		for i, doc := range f.Documents {
			status := orDash(doc.Status)
			if doc.Note != "" {
				status += "\n" + doc.Note
			}
			rows = append(rows, []string{strconv.Itoa(i + 1), orDash(doc.Name), orDash(doc.Number), status})
		}
		d.table([]column{{"No", 8, "C"}, {"Dokumen", 62, "L"}, {"Nomor", 55, "L"}, {"Status", 55, "L"}}, rows)
	}

	statement := "Dengan ini saya menyatakan bahwa data yang saya isi adalah benar dan dapat " +
		"dipertanggungjawabkan. Apabila di kemudian hari ditemukan data yang tidak benar, saya bersedia " +
		"menerima konsekuensi sesuai ketentuan yang berlaku, termasuk pembatalan fasilitasi pemasaran " +
		"produk melalui Galeri. Saya menyetujui data pribadi saya diproses oleh " + d.office.Name +
		" untuk keperluan fasilitasi pemasaran produk, sesuai Undang-Undang Nomor 27 Tahun 2022 " +
		"tentang Pelindungan Data Pribadi."
	// The statement and the signatures under it stay on one page.
	d.ensure(3 + 7 + 2 + d.paragraphHeight(statement, 9.5, 4.8) + 4 + signaturesHeight)
	d.heading("D. Pernyataan", 0)
	d.paragraph(statement, "", 9.5, 4.8)
	d.f.SetY(d.f.GetY() + 4)
	d.signatures(d.office.City+", "+strings.Repeat(".", 30),
		signer{"Petugas Galeri", ""},
		signer{"Pemohon", b.OwnerName})
	return d.output(w)
}

// permits is the product's licences, one a line.
func permits(p Product) string {
	var ls []string
	for _, x := range []struct{ k, v string }{{"P-IRT", p.PIRT}, {"Halal", p.Halal}, {"BPOM", p.BPOM}} {
		if v := strings.TrimSpace(x.v); v != "" {
			ls = append(ls, fmt.Sprintf("%s: %s", x.k, v))
		}
	}
	if len(ls) == 0 {
		return "-"
	}
	return strings.Join(ls, "\n")
}

// idBlock writes the paper's identity (numbers, dates) on the left and the QR
// code of url with its caption on the right.
func (d *doc) idBlock(rows []field, url, caption string) error {
	y := d.f.GetY()
	textW := contentW
	h := 0.0
	if url != "" {
		textW = contentW - qrBlockW - 4
		h = d.qrBlockHeight(url)
		if err := d.qrBlock(url, caption, pageW-marginX, y); err != nil {
			return err
		}
	}
	d.f.SetXY(marginX, y+2)
	end := d.fields(rows, marginX, textW, 40)
	d.f.SetXY(marginX, max(end, y+h)+1)
	return nil
}

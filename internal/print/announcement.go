package print

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// AnnouncedSME is one passed product the announcement letter lists.
type AnnouncedSME struct {
	Business, Regency, Product, Grade string
}

// AnnouncementData is what the announcement letter of a curation round (SOP
// step 5) prints: the SMEs whose products passed — business, regency,
// product, grade — and how many did not, with nothing personal.
type AnnouncementData struct {
	Office      Office
	Number      string // PENG-KUR-2026-0001; required
	IssuedAt    time.Time
	Round       string
	Passed      []AnnouncedSME
	Applicants  int // applications announced
	NotPassed   int // products that did not pass
	Signatory   string
	VerifyURL   string
	Fingerprint string
}

// AnnouncementLetter writes the announcement letter as PDF.
func AnnouncementLetter(w io.Writer, a AnnouncementData) error {
	if strings.TrimSpace(a.Number) == "" {
		return errors.New("print: announcement letter without a number")
	}
	const title = "Pengumuman Hasil Kurasi Produk UKM"
	d := newDoc(a.Office, title, a.Number, a.IssuedAt)
	d.title(title, a.Round)
	if err := d.idBlock([]field{
		{"Nomor surat", a.Number},
		{"Tanggal", Tanggal(a.IssuedAt)},
		{"Putaran kurasi", a.Round},
		{"Permohonan diumumkan", fmt.Sprint(a.Applicants)},
		{"Produk lolos", fmt.Sprint(len(a.Passed))},
	}, a.VerifyURL, "Pindai untuk memeriksa keaslian surat ini:"); err != nil {
		return err
	}
	d.f.SetY(d.f.GetY() + 3)
	d.paragraph("Berdasarkan hasil kurasi produk dalam program Fasilitasi Pemasaran Produk Melalui Galeri "+d.office.Name+
		", dengan ini diumumkan produk Usaha Kecil dan Menengah (UKM) yang dinyatakan lolos kurasi dan dapat dipajang di galeri sebagai berikut:", "", 9.5, 5)
	d.f.SetY(d.f.GetY() + 2)
	if len(a.Passed) == 0 {
		d.paragraph("Tidak ada produk yang lolos kurasi dalam putaran ini.", "", 9.5, 5)
	} else {
		rows := make([][]string, 0, len(a.Passed))
		for i, p := range a.Passed {
			rows = append(rows, []string{fmt.Sprint(i + 1), p.Business, orDash(p.Regency), p.Product, orDash(p.Grade)})
		}
		d.table([]column{{"No.", 10, "R"}, {"Nama usaha", 55, "L"}, {"Kabupaten/Kota", 35, "L"}, {"Produk", 55, "L"}, {"Predikat", 25, "L"}}, rows)
	}
	d.f.SetY(d.f.GetY() + 3)
	d.paragraph(fmt.Sprintf("Sebanyak %d produk belum lolos kurasi; pemohonnya telah menerima hasil beserta alasan dan saran perbaikan masing-masing melalui WhatsApp dan e-mail, dan dapat mengajukan kembali.", a.NotPassed), "", 9.5, 5)
	d.f.SetY(d.f.GetY() + 2)
	d.paragraph("Keputusan kurasi bersifat final untuk putaran ini.", "", 9.5, 5)
	if a.Fingerprint != "" {
		d.f.SetY(d.f.GetY() + 2)
		d.paragraph("Sidik isi surat (SHA-256): "+a.Fingerprint, "", 7.5, 4)
	}
	d.f.SetY(d.f.GetY() + 6)
	d.signatures(d.office.City+", "+Tanggal(a.IssuedAt), signer{"Mengetahui, Staf Galeri", ""}, signer{"Kepala " + d.office.Division, a.Signatory})
	return d.output(w)
}

package print

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/idn"
)

// SampleReceiptData is what the sample receipt (tanda terima, SOP step 3)
// prints.
type SampleReceiptData struct {
	Office            Office
	ReceiptNumber     string // "TTS-2026-00007"; required
	ApplicationNumber string // "GAL-2026-00012"
	BusinessName      string
	OwnerName         string
	ReceivedAt        time.Time // when the samples were received; shown with the time, in WIB
	ReceivedBy        string    // the gallery staff member who received them
	// CurationDue is the last day of curation (step 4), computed by the
	// caller on the Office's working-day calendar.
	CurationDue time.Time
	// CurationDays is the time standard of curation in working days; 0 means
	// the SOP's 3.
	CurationDays int
	PrintedAt    time.Time // zero means now
	URL          string    // the application's page, printed as a QR code; empty prints none
	Samples      []Sample

	// VerifyURL, when set, is printed as the QR code instead of URL: the
	// public page that confirms the receipt was issued by the Office.
	VerifyURL string
}

// Sample is the sample of one product as received.
type Sample struct {
	ProductName    string
	Quantity       int
	ExpiryDate     time.Time // the date printed on the package; shown dd-mm-yyyy in WIB
	ProductionCode string
	NetContent     string
	Condition      string // e.g. "Baik, kemasan tersegel"
	Notes          string // printed under the condition
}

// SampleReceipt writes the "Tanda Terima Sampel Produk" r as a PDF to w: who
// handed over which samples, who received them and when, and the day by which
// curation must give its result.
func SampleReceipt(w io.Writer, r SampleReceiptData) error {
	if strings.TrimSpace(r.ReceiptNumber) == "" {
		return errors.New("print: sample receipt without a receipt number")
	}
	days := r.CurationDays
	if days <= 0 {
		days = 3
	}
	const title = "Tanda Terima Sampel Produk"
	qrURL, qrCaption := r.URL, "Pindai untuk membuka permohonan ini:"
	if r.VerifyURL != "" {
		qrURL, qrCaption = r.VerifyURL, "Pindai untuk memeriksa keaslian tanda terima ini:"
	}
	d := newDoc(r.Office, title, r.ReceiptNumber, r.PrintedAt)
	d.title(title, "Fasilitasi Pemasaran Produk Melalui Galeri")

	if err := d.idBlock([]field{
		{"Nomor tanda terima", r.ReceiptNumber},
		{"Nomor permohonan", r.ApplicationNumber},
		{"Nama usaha", r.BusinessName},
		{"Nama pemilik", r.OwnerName},
		{"Diterima pada", TanggalJam(r.ReceivedAt)},
		{"Diterima oleh", r.ReceivedBy},
	}, qrURL, qrCaption); err != nil {
		return err
	}

	d.f.SetY(d.f.GetY() + 2)
	d.paragraph("Telah diterima dari pemohon tersebut di atas sampel produk beserta spesifikasinya sebagai berikut:", "", 9.5, 5)
	d.f.SetY(d.f.GetY() + 1.5)
	cols := []column{
		{"No", 8, "C"},
		{"Nama produk", 50, "L"},
		{"Jumlah", 15, "R"},
		{"Tanggal kedaluwarsa", 24, "C"},
		{"Kode produksi", 28, "L"},
		{"Isi bersih", 22, "L"},
		{"Kondisi", 33, "L"},
	}
	rows := make([][]string, 0, len(r.Samples))
	total := 0
	for i, s := range r.Samples {
		cond := orDash(s.Condition)
		if strings.TrimSpace(s.Notes) != "" {
			cond += "\nCatatan: " + s.Notes
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), orDash(s.ProductName), strconv.Itoa(s.Quantity),
			TanggalAngka(s.ExpiryDate), orDash(s.ProductionCode), orDash(s.NetContent), cond})
		total += s.Quantity
	}
	if len(rows) == 0 {
		d.paragraph("Tidak ada sampel yang dicatat.", "", 9.5, 5)
	} else {
		d.table(cols, rows)
		d.font("", 8.5)
		d.ensure(6)
		d.f.SetX(marginX)
		d.f.CellFormat(contentW, 6, fmt.Sprintf("Jumlah: %d produk, %d sampel.", len(r.Samples), total), "", 1, "L", false, 0, "")
	}

	notes := []string{
		fmt.Sprintf("Kurasi oleh staf galeri dan tenaga ahli kurasi dilakukan paling lama %d (%s) hari kerja sejak sampel diterima.",
			days, idn.Terbilang(int64(days))),
		"Hasil kurasi paling lambat: " + HariTanggal(r.CurationDue) + ".",
		"Hasil kurasi diumumkan kepada pemohon melalui WhatsApp dan e-mail.",
		"Simpan tanda terima ini sebagai bukti penyerahan sampel.",
	}
	noteLines, noteH := d.noteLines(notes, 1)
	// The notes and the signatures stay together on one page.
	d.ensure(4 + noteH + 6 + signaturesHeight)
	d.f.SetY(d.f.GetY() + 4)
	d.notes(noteLines, 1, noteH)
	d.f.SetY(d.f.GetY() + 6)
	d.signatures(d.office.City+", "+Tanggal(r.ReceivedAt),
		signer{"Yang menyerahkan (Pemohon)", r.OwnerName},
		signer{"Yang menerima (Staf Galeri)", r.ReceivedBy})
	return d.output(w)
}

const noteLineH = 4.6

// noteLines wraps the items of a notes box, the item at index bold in bold,
// and returns the height of the box.
func (d *doc) noteLines(items []string, bold int) ([][]string, float64) {
	out := make([][]string, len(items))
	h := 1.5 + noteLineH + 1.5
	for i, n := range items {
		d.font(noteStyle(i, bold), 9)
		out[i] = d.lines(n, contentW-7)
		h += float64(len(out[i])) * noteLineH
	}
	return out, h
}

func noteStyle(i, bold int) string {
	if i == bold {
		return "B"
	}
	return ""
}

// notes draws a framed list under "Catatan:", as wrapped by noteLines.
func (d *doc) notes(items [][]string, bold int, h float64) {
	f := d.f
	x, y := marginX, f.GetY()
	f.SetFillColor(246, 247, 249)
	f.SetDrawColor(150, 150, 150)
	f.SetLineWidth(0.2)
	f.Rect(x, y, contentW, h, "FD")
	f.SetDrawColor(0, 0, 0)
	d.font("B", 9)
	f.SetXY(x+2, y+1.5)
	f.CellFormat(contentW-4, noteLineH, "Catatan:", "", 0, "L", false, 0, "")
	y += 1.5 + noteLineH
	for i, ls := range items {
		d.font(noteStyle(i, bold), 9)
		for j, l := range ls {
			if j == 0 {
				f.SetXY(x+2, y)
				f.CellFormat(4, noteLineH, "•", "", 0, "L", false, 0, "")
			}
			f.SetXY(x+5, y)
			f.CellFormat(contentW-7, noteLineH, l, "", 0, "L", false, 0, "")
			y += noteLineH
		}
	}
	f.SetXY(marginX, y+1.5)
}

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

// CurationFormData is what the product curation form (SOP step 4) prints:
// blank (no Reviewers), for an expert who scores on paper, with the product's
// data, its sample and every criterion's scale; or completed, with every
// reviewer's scores and notes, the combined result, the decision and its
// reasons, and the signatures.
type CurationFormData struct {
	Office            Office
	ApplicationNumber string // required
	RoundName         string
	BusinessName      string
	Product           Product
	Sample            *Sample // nil when not recorded
	RubricVersion     int
	PassMark          int
	Criteria          []CurationCriterion
	Reviewers         []CurationReviewer // empty prints the blank form
	Result            *CurationResult    // nil while the result is not in
	PrintedAt         time.Time
	URL               string // the product's curation page, as a QR code; empty prints none
}

// CurationCriterion is one line of the form.
type CurationCriterion struct {
	Name        string
	Description string
	Weight      int
	Target      int
	Anchors     []string // "1 — Tidak layak: …", lowest first
}

// CurationReviewer is one reviewer's review: a score per criterion, in the
// order of Criteria ("" where not scored), with notes.
type CurationReviewer struct {
	Name      string
	Role      string // "Staf Galeri", "Tenaga Ahli Kurasi"
	EnteredBy string // staff who typed in the paper scores, if any
	Scores    []string
	Notes     []string // per criterion, same order
	Note      string   // the overall note
}

// CurationResult is the combined result and the decision.
type CurationResult struct {
	Score     string   // "72,5"
	Means     []string // per criterion, same order as Criteria
	Grade     string
	Gate      string // the legality gate in words
	Decision  string // "Lolos", "Tidak lolos", or "" while undecided
	Reasons   string
	DecidedBy string
}

// CurationForm writes the "Formulir Kurasi Produk" f as a PDF to w.
func CurationForm(w io.Writer, f CurationFormData) error {
	if strings.TrimSpace(f.ApplicationNumber) == "" {
		return errors.New("print: curation form without an application number")
	}
	const title = "Formulir Kurasi Produk"
	d := newDoc(f.Office, title, f.ApplicationNumber, f.PrintedAt)
	sub := "Seleksi internal oleh staf galeri dan tenaga ahli kurasi (SOP langkah 4)"
	if len(f.Reviewers) == 0 {
		sub += " · formulir kosong untuk dinilai di atas kertas"
	}
	d.title(title, sub)
	p := f.Product
	price := "—"
	if p.Price > 0 {
		price = idn.FormatRupiah(p.Price)
	}
	if err := d.idBlock([]field{
		{"Nomor permohonan", f.ApplicationNumber},
		{"Putaran kurasi", f.RoundName},
		{"Nama usaha", f.BusinessName},
		{"Nama produk", p.Name},
		{"Kategori", p.Category},
		{"Isi bersih", p.NetContent},
		{"Kemasan", p.Packaging},
		{"Masa simpan", daysText(p.ShelfLifeDays)},
		{"Harga jual", price},
		{"Izin", permits(p)},
		{"Rubrik", fmt.Sprintf("versi %d, batas lolos %d dari 100", f.RubricVersion, f.PassMark)},
	}, f.URL, "Pindai untuk membuka penilaian produk ini:"); err != nil {
		return err
	}
	d.heading("A. Sampel", 20)
	if s := f.Sample; s != nil {
		d.fields([]field{
			{"Jumlah sampel", strconv.Itoa(s.Quantity)},
			{"Tanggal kedaluwarsa", TanggalAngka(s.ExpiryDate)},
			{"Kode produksi", s.ProductionCode},
			{"Isi bersih", s.NetContent},
			{"Kondisi", s.Condition},
		}, marginX, contentW, 40)
	} else {
		d.paragraph("Sampel produk ini belum dicatat.", "", 9.5, 5)
	}

	if len(f.Reviewers) == 0 {
		d.heading("B. Penilaian (lingkari satu nilai untuk setiap kriteria)", 30)
		for i, c := range f.Criteria {
			d.ensure(12 + 4.6*float64(len(c.Anchors)))
			d.paragraph(fmt.Sprintf("%d. %s (bobot %d, target %d)", i+1, c.Name, c.Weight, c.Target), "B", 9.5, 5)
			if c.Description != "" {
				d.paragraph(c.Description, "", 8.5, 4.2)
			}
			for _, a := range c.Anchors {
				d.paragraph("(   ) "+a, "", 8.5, 4.2)
			}
			d.paragraph("Catatan: ...............................................................................................................", "", 8.5, 6)
		}
		d.paragraph("Catatan umum: ......................................................................................................", "", 9, 7)
		d.f.SetY(d.f.GetY() + 4)
		d.signatures(d.office.City+", ......................",
			signer{"Staf Galeri", ""}, signer{"Tenaga Ahli Kurasi", ""})
		return d.output(w)
	}

	d.heading("B. Nilai setiap penilai", 30)
	cols := []column{{"Kriteria", 60, "L"}}
	rest := contentW - 60
	n := len(f.Reviewers) + 1
	for _, r := range f.Reviewers {
		cols = append(cols, column{r.Name, rest / float64(n), "C"})
	}
	cols = append(cols, column{"Rata-rata", rest / float64(n), "C"})
	var rows [][]string
	for i, c := range f.Criteria {
		row := []string{fmt.Sprintf("%s (bobot %d, target %d)", c.Name, c.Weight, c.Target)}
		for _, r := range f.Reviewers {
			v := ""
			if i < len(r.Scores) {
				v = r.Scores[i]
			}
			row = append(row, orDash(v))
		}
		m := ""
		if f.Result != nil && i < len(f.Result.Means) {
			m = f.Result.Means[i]
		}
		rows = append(rows, append(row, orDash(m)))
	}
	d.table(cols, rows)
	for _, r := range f.Reviewers {
		var notes []string
		for i, n := range r.Notes {
			if strings.TrimSpace(n) != "" && i < len(f.Criteria) {
				notes = append(notes, f.Criteria[i].Name+": "+n)
			}
		}
		if strings.TrimSpace(r.Note) != "" {
			notes = append(notes, "Catatan umum: "+r.Note)
		}
		head := r.Name + " (" + r.Role + ")"
		if r.EnteredBy != "" {
			head += ", dimasukkan oleh " + r.EnteredBy + " dari formulir kertas"
		}
		d.f.SetY(d.f.GetY() + 2)
		d.paragraph(head, "B", 9, 5)
		if len(notes) == 0 {
			d.paragraph("Tidak ada catatan.", "", 8.5, 4.2)
		}
		for _, n := range notes {
			d.paragraph("• "+n, "", 8.5, 4.2)
		}
	}

	d.heading("C. Hasil dan keputusan", 30)
	if res := f.Result; res != nil {
		decision := res.Decision
		if decision == "" {
			decision = "belum diputuskan"
		}
		d.fields([]field{
			{"Nilai gabungan", res.Score + " dari 100"},
			{"Tingkat", res.Grade},
			{"Legalitas", res.Gate},
			{"Keputusan", decision},
			{"Diputuskan oleh", res.DecidedBy},
		}, marginX, contentW, 40)
		if strings.TrimSpace(res.Reasons) != "" {
			d.f.SetY(d.f.GetY() + 2)
			d.paragraph("Alasan:", "B", 9, 5)
			for _, l := range strings.Split(res.Reasons, "\n") {
				if strings.TrimSpace(l) != "" {
					d.paragraph(l, "", 8.5, 4.4)
				}
			}
		}
	} else {
		d.paragraph("Hasil gabungan belum ada: belum semua penilaian dikirim.", "", 9.5, 5)
	}
	d.f.SetY(d.f.GetY() + 6)
	staff, expert := "", ""
	for _, r := range f.Reviewers {
		if strings.Contains(r.Role, "Ahli") {
			expert = r.Name
		} else if staff == "" {
			staff = r.Name
		}
	}
	d.signatures(d.office.City+", "+Tanggal(d.printed), signer{"Staf Galeri", staff}, signer{"Tenaga Ahli Kurasi", expert})
	return d.output(w)
}

func daysText(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("%d hari", n)
}

package print

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/boombuler/barcode/ean"
	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/etalase-id/etalase/internal/idn"
)

// HandoverData is what a consignment handover prints: the Berita Acara Serah
// Terima barang konsinyasi (stock received from an SME) or, with Return set,
// the Berita Acara pengembalian (unsold stock handed back).
type HandoverData struct {
	Office       Office
	Number       string // "BAST-2026-00001"; required
	Return       bool
	BusinessName string
	OwnerName    string
	Location     string
	At           time.Time
	Clerk        string
	Reason       string // for a return
	PrintedAt    time.Time
	URL          string // the document's page, printed as a QR code
	Lines        []HandoverLine
}

// HandoverLine is one lot of one item on the paper.
type HandoverLine struct {
	Name, SKU, Barcode, LotCode string
	ExpiresOn                   string // YYYY-MM-DD or ""
	Qty                         int64
	SMEPrice, Price             int64
}

// Handover writes the handover paper as a PDF to w.
func Handover(w io.Writer, h HandoverData) error {
	if strings.TrimSpace(h.Number) == "" {
		return errors.New("print: handover without a number")
	}
	title := "Berita Acara Serah Terima Barang Konsinyasi"
	lead := "Pada hari ini telah diserahterimakan barang konsinyasi dari UMKM tersebut di atas kepada Galeri untuk dipajang dan dijual, dengan rincian sebagai berikut:"
	left, right := signer{"Yang menerima (Staf Galeri)", h.Clerk}, signer{"Yang menyerahkan (UMKM)", h.OwnerName}
	if h.Return {
		title = "Berita Acara Pengembalian Barang Konsinyasi"
		lead = "Pada hari ini Galeri telah mengembalikan barang konsinyasi yang belum terjual kepada UMKM tersebut di atas, dengan rincian sebagai berikut:"
		left, right = signer{"Yang menyerahkan (Staf Galeri)", h.Clerk}, signer{"Yang menerima (UMKM)", h.OwnerName}
	}
	d := newDoc(h.Office, title, h.Number, h.PrintedAt)
	d.title(title, "Fasilitasi Pemasaran Produk Melalui Galeri")
	rows := []field{
		{"Nomor", h.Number},
		{"Nama usaha", h.BusinessName},
		{"Nama pemilik", h.OwnerName},
		{"Lokasi", h.Location},
		{"Tanggal", TanggalJam(h.At)},
	}
	if h.Return && strings.TrimSpace(h.Reason) != "" {
		rows = append(rows, field{"Alasan", h.Reason})
	}
	if err := d.idBlock(rows, h.URL, "Pindai untuk memeriksa berita acara ini:"); err != nil {
		return err
	}
	d.f.SetY(d.f.GetY() + 2)
	d.paragraph(lead, "", 9.5, 5)
	d.f.SetY(d.f.GetY() + 1.5)
	cols := []column{
		{"No", 8, "C"},
		{"Barang", 43, "L"},
		{"Barcode", 26, "L"},
		{"Lot / kode produksi", 24, "L"},
		{"Kedaluwarsa", 23, "C"},
		{"Jumlah", 13, "R"},
		{"Harga UMKM", 21, "R"},
		{"Harga jual", 22, "R"},
	}
	var total, value int64
	trs := make([][]string, 0, len(h.Lines))
	for i, l := range h.Lines {
		exp := "-"
		if l.ExpiresOn != "" {
			if t, err := time.Parse("2006-01-02", l.ExpiresOn); err == nil {
				exp = TanggalAngka(t.Add(12 * time.Hour))
			}
		}
		trs = append(trs, []string{strconv.Itoa(i + 1), l.Name + "\n" + l.SKU, l.Barcode, orDash(l.LotCode), exp,
			strconv.FormatInt(l.Qty, 10), idn.FormatRupiah(l.SMEPrice), idn.FormatRupiah(l.Price)})
		total += l.Qty
		value += l.Qty * l.SMEPrice
	}
	d.table(cols, trs)
	d.font("", 8.5)
	d.ensure(6)
	d.f.SetX(marginX)
	d.f.CellFormat(contentW, 6, fmt.Sprintf("Jumlah: %d baris, %d unit, senilai %s menurut harga UMKM.", len(h.Lines), total, idn.FormatRupiah(value)), "", 1, "L", false, 0, "")
	notes := []string{
		"Barang konsinyasi tetap milik UMKM sampai terjual; hasil penjualan diperhitungkan menurut perjanjian konsinyasi.",
		"Barang yang mendekati kedaluwarsa atau tidak laku dalam masa konsinyasi dikembalikan kepada UMKM.",
		"Berita acara ini dibuat rangkap dua: satu untuk UMKM, satu untuk Galeri.",
	}
	if h.Return {
		notes = []string{
			"Dengan berita acara ini barang tersebut kembali dalam penguasaan UMKM.",
			"Berita acara ini dibuat rangkap dua: satu untuk UMKM, satu untuk Galeri.",
		}
	}
	noteLines, noteH := d.noteLines(notes, -1)
	d.ensure(4 + noteH + 6 + signaturesHeight)
	d.f.SetY(d.f.GetY() + 4)
	d.notes(noteLines, -1, noteH)
	d.f.SetY(d.f.GetY() + 6)
	d.signatures(d.office.City+", "+Tanggal(h.At), left, right)
	return d.output(w)
}

// Label is one price tag or barcode label.
type Label struct {
	Name     string // the product
	Business string // the SME
	Price    int64  // Rupiah
	Barcode  string // EAN-13
	URL      string // the product's public page (tags only)
}

// Sheet is the paper labels are printed on: a grid on a page (an A4 label
// sheet), or one label per page (a thermal strip).
type Sheet struct {
	Key            string  `json:"key"`
	Name           string  `json:"name"`
	PageW, PageH   float64 `json:"-"` // mm
	Top, Left      float64 `json:"-"` // margins, mm
	Cols, Rows     int     `json:"-"`
	LabelW, LabelH float64 `json:"-"`
	GapX, GapY     float64 `json:"-"`
}

// Sheets are the presets: common A4 label sheets sold in Indonesia (by
// label size and grid) and the two thermal widths.
var Sheets = []Sheet{
	{Key: "a4-3x8", Name: "A4, 3 × 8 (70 × 37 mm)", PageW: 210, PageH: 297, Top: 0.5, Left: 0, Cols: 3, Rows: 8, LabelW: 70, LabelH: 37},
	{Key: "a4-2x7", Name: "A4, 2 × 7 (99 × 38 mm)", PageW: 210, PageH: 297, Top: 15, Left: 6, Cols: 2, Rows: 7, LabelW: 99, LabelH: 38, GapX: 0, GapY: 0},
	{Key: "a4-4x10", Name: "A4, 4 × 10 (48 × 25 mm)", PageW: 210, PageH: 297, Top: 23.5, Left: 9, Cols: 4, Rows: 10, LabelW: 48, LabelH: 25, GapX: 0, GapY: 0},
	{Key: "thermal-58", Name: "Thermal 58 mm (48 × 40 mm)", PageW: 58, PageH: 40, Top: 0, Left: 5, Cols: 1, Rows: 1, LabelW: 48, LabelH: 40},
	{Key: "thermal-80", Name: "Thermal 80 mm (72 × 45 mm)", PageW: 80, PageH: 45, Top: 0, Left: 4, Cols: 1, Rows: 1, LabelW: 72, LabelH: 45},
}

// SheetByKey returns a preset.
func SheetByKey(key string) (Sheet, bool) {
	for _, s := range Sheets {
		if s.Key == key {
			return s, true
		}
	}
	return Sheet{}, false
}

// Valid says whether a (custom) sheet's grid fits its page.
func (s Sheet) Valid() bool {
	return s.Cols >= 1 && s.Rows >= 1 && s.LabelW >= 30 && s.LabelH >= 18 && s.Top >= 0 && s.Left >= 0 && s.GapX >= 0 && s.GapY >= 0 &&
		s.Left+float64(s.Cols)*s.LabelW+float64(s.Cols-1)*s.GapX <= s.PageW+0.01 &&
		s.Top+float64(s.Rows)*s.LabelH+float64(s.Rows-1)*s.GapY <= s.PageH+0.01
}

// EAN quiet zones in modules: 11 before and 7 after, as GS1 asks.
const (
	eanQuietLeft  = 11
	eanQuietRight = 7
	eanModules    = 95
)

// Labels writes labels as a PDF on sheet: price tags (name, SME, price,
// barcode and the QR code of the product's page) when tags is set, barcode
// labels (barcode, name, price) otherwise. skip leaves that many labels of a
// part-used sheet empty.
func Labels(w io.Writer, sheet Sheet, tags bool, labels []Label, skip int) error {
	if !sheet.Valid() {
		return errors.New("print: the label grid does not fit its page")
	}
	f := newLabelPDF(sheet)
	per := sheet.Cols * sheet.Rows
	for i := 0; i < skip+len(labels); i++ {
		k := i % per
		if k == 0 {
			f.f.AddPage()
		}
		if i < skip {
			continue
		}
		x := sheet.Left + float64(k%sheet.Cols)*(sheet.LabelW+sheet.GapX)
		y := sheet.Top + float64(k/sheet.Cols)*(sheet.LabelH+sheet.GapY)
		if err := drawLabel(f, x, y, sheet.LabelW, sheet.LabelH, tags, labels[i-skip]); err != nil {
			return err
		}
	}
	if len(labels) == 0 {
		f.f.AddPage()
	}
	return f.output(w)
}

// newLabelPDF is a PDF of label pages: no letterhead, no footer, the page
// the size of the sheet.
func newLabelPDF(s Sheet) *doc {
	// fpdf takes a custom size as portrait; a label wider than tall is
	// given as landscape of the swapped size.
	orient, size := "P", fpdf.SizeType{Wd: s.PageW, Ht: s.PageH}
	if s.PageW > s.PageH {
		orient, size = "L", fpdf.SizeType{Wd: s.PageH, Ht: s.PageW}
	}
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: orient, UnitStr: "mm", Size: size})
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	f.SetTitle("Label "+s.Name, true)
	f.SetCreator("Etalase", true)
	f.SetCatalogSort(true)
	return &doc{f: f, office: Office{}.withDefaults()}
}

// drawLabel draws one label in the box (x, y, w, h).
func drawLabel(d *doc, x, y, w, h float64, tag bool, l Label) error {
	f := d.f
	pad := 2.0
	textW := w - 2*pad
	qrW := 0.0
	if tag && l.URL != "" {
		qrW = min(h-2*pad, w*0.34)
		textW -= qrW + 1.5
		if err := d.qr(x+w-pad-qrW, y+pad, qrW, l.URL); err != nil {
			return err
		}
	}
	cy := y + pad
	nameSize := 7.5
	if h < 30 {
		nameSize = 6.5
	}
	d.font("B", nameSize)
	names := d.lines(l.Name, textW)
	if len(names) > 2 {
		names = names[:2]
	}
	for _, n := range names {
		f.SetXY(x+pad, cy)
		f.CellFormat(textW, nameSize*0.42, n, "", 0, "L", false, 0, "")
		cy += nameSize * 0.42
	}
	if tag {
		d.font("", 6)
		d.gray(60)
		f.SetXY(x+pad, cy)
		f.CellFormat(textW, 2.8, d.lines(l.Business, textW)[0], "", 0, "L", false, 0, "")
		d.gray(0)
		cy += 2.9
	}
	priceSize := 11.0
	if !tag || h < 30 {
		priceSize = 8
	}
	d.font("B", priceSize)
	f.SetXY(x+pad, cy)
	f.CellFormat(textW, priceSize*0.45, clean(idn.FormatRupiah(l.Price), false), "", 0, "L", false, 0, "")
	cy += priceSize*0.45 + 0.5
	// The barcode takes what is left, its digits under the bars.
	barH := y + h - pad - 2.8 - cy
	barW := textW
	if qrW == 0 {
		barW = w - 2*pad
	}
	return d.ean13(x+pad, cy, barW, barH, l.Barcode)
}

// ean13 draws code as an EAN-13 symbol in (x, y, w, h), quiet zones
// included, with the digits under it.
func (d *doc) ean13(x, y, w, h float64, code string) error {
	bc, err := ean.Encode(code)
	if err != nil {
		return fmt.Errorf("print: barcode %q: %w", code, err)
	}
	total := float64(eanQuietLeft + eanModules + eanQuietRight)
	m := min(w/total, 0.4) // 0.33 mm is nominal (100 %); never wider than 120 %
	if m < 0.2 {
		return fmt.Errorf("print: a label %.0f mm wide is too narrow for a barcode", w)
	}
	f := d.f
	x0 := x + float64(eanQuietLeft)*m
	f.SetFillColor(255, 255, 255)
	f.Rect(x, y, total*m, h+2.8, "F")
	f.SetFillColor(0, 0, 0)
	b := bc.Bounds()
	for c := b.Min.X; c < b.Max.X; {
		r, _, _, _ := bc.At(c, 0).RGBA()
		if r != 0 {
			c++
			continue
		}
		start := c
		for c < b.Max.X {
			if r, _, _, _ := bc.At(c, 0).RGBA(); r != 0 {
				break
			}
			c++
		}
		f.Rect(x0+float64(start)*m, y, float64(c-start)*m, max(h, 4), "F")
	}
	d.font("", 6.5)
	f.SetXY(x, y+max(h, 4)+0.1)
	f.CellFormat(total*m, 2.7, code[:1]+"  "+code[1:7]+"  "+code[7:], "", 0, "C", false, 0, "")
	return nil
}

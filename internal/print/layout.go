package print

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/etalase-id/etalase/internal/workday"
)

// Office is the letterhead of the papers. Zero fields take the defaults below,
// so a caller that has nothing configured passes Office{}.
type Office struct {
	Name     string // default "Dinas Koperasi dan Usaha Kecil Menengah Provinsi Jawa Timur"
	Division string // default "Bidang Pemasaran"
	Address  string // optional third line of the letterhead
	City     string // on the place-and-date line above the signatures; default "Surabaya"
}

// Defaults of Office.
const (
	DefaultOfficeName = "Dinas Koperasi dan Usaha Kecil Menengah Provinsi Jawa Timur"
	DefaultDivision   = "Bidang Pemasaran"
	DefaultCity       = "Surabaya"
)

func (o Office) withDefaults() Office {
	if strings.TrimSpace(o.Name) == "" {
		o.Name = DefaultOfficeName
	}
	if strings.TrimSpace(o.Division) == "" {
		o.Division = DefaultDivision
	}
	if strings.TrimSpace(o.City) == "" {
		o.City = DefaultCity
	}
	return o
}

// Page geometry, in millimetres (A4 portrait).
const (
	pageW     = 210.0
	pageH     = 297.0
	marginX   = 15.0
	marginTop = 12.0
	contentW  = pageW - 2*marginX
	// bottomY is where content must end; the footer sits below it.
	bottomY = pageH - 18.0
	family  = "go"
)

// doc is one paper being drawn: fpdf with our fonts, letterhead and footer,
// and page breaks managed by us (fpdf's automatic break would cut a table row
// or a signature box in half).
type doc struct {
	f       *fpdf.Fpdf
	office  Office
	number  string // the paper's number, at the top right of every page
	printed time.Time
}

func newDoc(office Office, title, number string, printed time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	if printed.IsZero() {
		printed = time.Now()
	}
	d := &doc{f: f, office: office.withDefaults(), number: clean(number, false), printed: printed}
	f.SetMargins(marginX, marginTop, marginX)
	f.SetAutoPageBreak(false, 0)
	// Before the fonts: fpdf then keeps the digits in the font subset for
	// the page total that replaces the alias when the file is written.
	f.AliasNbPages("{nb}")
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	f.SetTitle(title+" "+d.number, true)
	f.SetAuthor(d.office.Name, true)
	f.SetCreator("Etalase", true)
	f.SetLang("id-ID")
	// Same data, same bytes: the file's dates are the print time, and fonts
	// are written in a fixed order (fpdf otherwise follows map order).
	f.SetCatalogSort(true)
	f.SetCreationDate(printed)
	f.SetModificationDate(printed)
	f.SetHeaderFunc(d.header)
	f.SetFooterFunc(d.footer)
	f.AddPage()
	return d
}

func (d *doc) font(style string, size float64) { d.f.SetFont(family, style, size) }

func (d *doc) gray(level int) { d.f.SetTextColor(level, level, level) }

// header is the letterhead: the Office and division on the left, the paper's
// number on the right, and the double rule of an Indonesian kop surat.
func (d *doc) header() {
	f := d.f
	const numW = 48.0
	y := marginTop
	d.font("B", 11)
	for _, l := range d.lines(d.office.Name, contentW-numW) {
		f.SetXY(marginX, y)
		f.CellFormat(contentW-numW, 5.2, l, "", 0, "L", false, 0, "")
		y += 5.2
	}
	d.font("", 9.5)
	for _, l := range d.lines(d.office.Division, contentW-numW) {
		f.SetXY(marginX, y)
		f.CellFormat(contentW-numW, 4.6, l, "", 0, "L", false, 0, "")
		y += 4.6
	}
	if d.office.Address != "" {
		d.font("", 8)
		d.gray(60)
		for _, l := range d.lines(d.office.Address, contentW-numW) {
			f.SetXY(marginX, y)
			f.CellFormat(contentW-numW, 4, l, "", 0, "L", false, 0, "")
			y += 4
		}
		d.gray(0)
	}
	d.font("B", 10)
	f.SetXY(pageW-marginX-numW, marginTop)
	f.CellFormat(numW, 5.2, d.number, "", 0, "R", false, 0, "")

	y += 1.8
	f.SetDrawColor(0, 0, 0)
	f.SetLineWidth(0.6)
	f.Line(marginX, y, pageW-marginX, y)
	f.SetLineWidth(0.2)
	f.Line(marginX, y+0.9, pageW-marginX, y+0.9)
	f.SetXY(marginX, y+5)
}

// footer: "Dicetak oleh Etalase · halaman X dari Y", with the paper's number
// and print date at the sides so a loose page can be put back.
func (d *doc) footer() {
	f := d.f
	y := pageH - 13.0
	f.SetDrawColor(150, 150, 150)
	f.SetLineWidth(0.2)
	f.Line(marginX, y, pageW-marginX, y)
	f.SetDrawColor(0, 0, 0)
	d.font("", 7.5)
	d.gray(70)
	f.SetXY(marginX, y+1.2)
	f.CellFormat(contentW/3, 4, d.number, "", 0, "L", false, 0, "")
	f.CellFormat(contentW/3, 4, fmt.Sprintf("Dicetak oleh Etalase · halaman %d dari {nb}", f.PageNo()), "", 0, "C", false, 0, "")
	w := d.printed.In(workday.WIB)
	f.CellFormat(contentW/3, 4, fmt.Sprintf("%s, %02d.%02d WIB", Tanggal(w), w.Hour(), w.Minute()), "", 0, "R", false, 0, "")
	d.gray(0)
}

// ensure starts a new page unless h millimetres still fit on this one. It
// reports whether it did.
func (d *doc) ensure(h float64) bool {
	if d.f.GetY()+h <= bottomY {
		return false
	}
	d.f.AddPage()
	return true
}

// lines wraps s (cleaned, keeping its line breaks) to cells w wide in the
// current font. It always returns at least one line.
func (d *doc) lines(s string, w float64) []string {
	var out []string
	for _, p := range strings.Split(clean(s, true), "\n") {
		if p == "" {
			out = append(out, "")
			continue
		}
		out = append(out, d.f.SplitText(p, w)...)
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// title writes the paper's title, centred, and an optional line under it.
func (d *doc) title(t, sub string) {
	f := d.f
	d.font("B", 14)
	for _, l := range d.lines(t, contentW) {
		f.SetX(marginX)
		f.CellFormat(contentW, 7, l, "", 1, "C", false, 0, "")
	}
	if sub != "" {
		d.font("", 8.5)
		d.gray(60)
		for _, l := range d.lines(sub, contentW) {
			f.SetX(marginX)
			f.CellFormat(contentW, 4.2, l, "", 1, "C", false, 0, "")
		}
		d.gray(0)
	}
	f.SetY(f.GetY() + 3)
}

// heading starts a section ("A. Data Usaha") and keeps at least keep
// millimetres of what follows on the same page.
func (d *doc) heading(t string, keep float64) {
	f := d.f
	d.ensure(3 + 7 + 2 + keep)
	f.SetY(f.GetY() + 3)
	d.font("B", 10.5)
	f.SetFillColor(232, 236, 241)
	f.SetX(marginX)
	f.CellFormat(contentW, 7, clean(t, false), "", 1, "L", true, 0, "")
	f.SetY(f.GetY() + 2)
}

// field is one "label : value" line of a block of data.
type field struct{ label, value string }

const (
	fieldSize  = 9.5
	fieldLineH = 5.0
)

// fields writes label : value lines in a column w wide starting at x; long
// values wrap under themselves. It returns the y below the block.
func (d *doc) fields(rows []field, x, w, labelW float64) float64 {
	f := d.f
	y := f.GetY()
	for _, r := range rows {
		d.font("", fieldSize)
		vals := d.lines(orDash(r.value), w-labelW-4)
		if d.ensure(float64(len(vals)) * fieldLineH) {
			y = f.GetY()
		}
		d.gray(70)
		f.SetXY(x, y)
		f.CellFormat(labelW, fieldLineH, clean(r.label, false), "", 0, "L", false, 0, "")
		f.CellFormat(4, fieldLineH, ":", "", 0, "C", false, 0, "")
		d.gray(0)
		for i, v := range vals {
			f.SetXY(x+labelW+4, y+float64(i)*fieldLineH)
			f.CellFormat(w-labelW-4, fieldLineH, v, "", 0, "L", false, 0, "")
		}
		y += float64(len(vals)) * fieldLineH
	}
	f.SetXY(marginX, y)
	return y
}

// column of a table: its title, width in mm, and alignment "L", "C" or "R".
type column struct {
	title string
	w     float64
	align string
}

const (
	tableSize     = 8.5
	tableLineH    = 3.9
	tablePad      = 1.3
	tableMaxLines = 14 // a cell longer than this is cut with "…"; a row must fit a page
)

// cellLines wraps every cell of a row to its column.
func (d *doc) cellLines(cols []column, row []string) ([][]string, float64) {
	out := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		v := ""
		if i < len(row) {
			v = row[i]
		}
		ls := d.lines(v, c.w)
		if len(ls) > tableMaxLines {
			ls = append(ls[:tableMaxLines-1:tableMaxLines-1], ls[tableMaxLines-1]+" …")
		}
		out[i] = ls
		n = max(n, len(ls))
	}
	return out, float64(n)*tableLineH + 2*tablePad
}

func (d *doc) drawRow(cols []column, cells [][]string, h float64, fill bool) {
	f := d.f
	x, y := marginX, f.GetY()
	f.SetLineWidth(0.2)
	f.SetDrawColor(110, 110, 110)
	for i, c := range cols {
		style := "D"
		if fill {
			style = "FD"
		}
		f.Rect(x, y, c.w, h, style)
		for j, l := range cells[i] {
			f.SetXY(x, y+tablePad+float64(j)*tableLineH)
			f.CellFormat(c.w, tableLineH, l, "", 0, c.align, false, 0, "")
		}
		x += c.w
	}
	f.SetDrawColor(0, 0, 0)
	f.SetXY(marginX, y+h)
}

// table draws a table whose cells wrap. A row never splits across pages; on
// each new page the header row is drawn again.
func (d *doc) table(cols []column, rows [][]string) {
	f := d.f
	d.font("B", tableSize)
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.title
	}
	headCells, headH := d.cellLines(cols, head)
	drawHead := func() {
		d.font("B", tableSize)
		f.SetFillColor(225, 229, 234)
		d.drawRow(cols, headCells, headH, true)
	}
	for i, r := range rows {
		d.font("", tableSize)
		cells, h := d.cellLines(cols, r)
		if i == 0 {
			d.ensure(headH + h) // never a header alone at the foot of a page
			drawHead()
		} else if d.ensure(h) {
			drawHead()
		}
		d.font("", tableSize)
		d.drawRow(cols, cells, h, false)
	}
}

// paragraphHeight is what paragraph would take.
func (d *doc) paragraphHeight(t string, size, lineH float64) float64 {
	d.font("", size)
	return float64(len(d.lines(t, contentW))) * lineH
}

// paragraph writes t across the page, wrapped, left-aligned.
func (d *doc) paragraph(t string, style string, size, lineH float64) {
	f := d.f
	d.font(style, size)
	for _, l := range d.lines(t, contentW) {
		d.ensure(lineH)
		f.SetX(marginX)
		f.CellFormat(contentW, lineH, l, "", 1, "L", false, 0, "")
	}
}

// signer is one signature box: its caption and the name under the line.
// An empty name leaves a dotted line to write it by hand.
type signer struct{ caption, name string }

const (
	sigW = 78.0
	sigH = 38.0
	// signaturesHeight is what signatures takes: the place-and-date line and
	// the boxes.
	signaturesHeight = 7 + sigH
)

// signatures draws the place-and-date line above the right box, then two
// signature boxes side by side. Indonesian custom puts the applicant on the
// right, under the date.
func (d *doc) signatures(placeDate string, left, right signer) {
	f := d.f
	d.ensure(signaturesHeight)
	y := f.GetY()
	xl, xr := marginX, pageW-marginX-sigW
	d.font("", 9.5)
	f.SetXY(xr, y)
	f.CellFormat(sigW, 5, clean(placeDate, false), "", 0, "C", false, 0, "")
	y += 7
	for _, s := range []struct {
		x float64
		signer
	}{{xl, left}, {xr, right}} {
		f.SetLineWidth(0.2)
		f.SetDrawColor(110, 110, 110)
		f.Rect(s.x, y, sigW, sigH, "D")
		f.SetDrawColor(0, 0, 0)
		d.font("B", 9.5)
		f.SetXY(s.x, y+2)
		f.CellFormat(sigW, 5, clean(s.caption, false), "", 0, "C", false, 0, "")
		name := "(" + strings.Repeat(".", 40) + ")"
		if n := clean(s.name, false); n != "" {
			name = "( " + n + " )"
		}
		d.font("", 9.5)
		for i, l := range d.lines(name, sigW-4) {
			f.SetXY(s.x+2, y+sigH-7-float64(len(d.lines(name, sigW-4))-1-i)*4.5)
			f.CellFormat(sigW-4, 5, l, "", 0, "C", false, 0, "")
		}
	}
	f.SetXY(marginX, y+sigH)
}

// qrBlock is the QR code at the right of a block of data: the code qrSize
// wide, then a caption and the URL itself under it, right-aligned.
const (
	qrSize   = 30.0
	qrBlockW = 66.0
)

// qrBlockHeight is what qrBlock takes for url.
func (d *doc) qrBlockHeight(url string) float64 {
	size := d.urlFont(url)
	d.font("", size)
	return qrSize + 1 + 3.6 + float64(len(d.urlLines(url, qrBlockW)))*3.4
}

// urlLines wraps a URL to cells w wide in the current font, breaking after a
// "/", "?", "&" or "=" where it can, so each piece still reads as part of an
// address; a piece too long on its own is broken anywhere.
func (d *doc) urlLines(url string, w float64) []string {
	url = clean(url, false)
	room := w - 2*d.f.GetCellMargin()
	fits := func(s string) bool { return d.f.GetStringWidth(s) <= room }
	if fits(url) {
		return []string{url}
	}
	var pieces []string
	start := 0
	for i := 0; i < len(url); i++ {
		if strings.HasPrefix(url[i:], "://") {
			i += 2
			continue
		}
		if strings.IndexByte("/?&=", url[i]) >= 0 {
			pieces = append(pieces, url[start:i+1])
			start = i + 1
		}
	}
	if start < len(url) {
		pieces = append(pieces, url[start:])
	}
	var out []string
	line := ""
	for _, p := range pieces {
		switch {
		case fits(line + p):
			line += p
		case fits(p):
			out = append(out, line)
			line = p
		default:
			if line != "" {
				out = append(out, line)
			}
			parts := d.f.SplitText(p, w)
			out = append(out, parts[:len(parts)-1]...)
			line = parts[len(parts)-1]
		}
	}
	out = append(out, line)
	if out[0] == "" {
		out = out[1:]
	}
	return out
}

// urlFont is the largest font size, from 7.5 down to 6 points, at which url
// fits one line of the QR caption; longer URLs wrap at 6.5 points.
func (d *doc) urlFont(url string) float64 {
	for s := 7.5; s >= 6; s -= 0.5 {
		d.font("", s)
		if len(d.urlLines(url, qrBlockW)) == 1 {
			return s
		}
	}
	return 6.5
}

// qrBlock draws the code of url with its top-right corner at (right, y), and
// its caption under it.
func (d *doc) qrBlock(url, caption string, right, y float64) error {
	f := d.f
	if err := d.qr(right-qrSize, y, qrSize, url); err != nil {
		return err
	}
	x := right - qrBlockW
	y += qrSize + 1
	d.font("", 7)
	d.gray(60)
	f.SetXY(x, y)
	f.CellFormat(qrBlockW, 3.6, clean(caption, false), "", 0, "R", false, 0, "")
	y += 3.6
	d.gray(0)
	d.font("", d.urlFont(url))
	for _, l := range d.urlLines(url, qrBlockW) {
		f.SetXY(x, y)
		f.CellFormat(qrBlockW, 3.4, l, "", 0, "R", false, 0, "")
		y += 3.4
	}
	return nil
}

// qr draws a QR code of text as filled rectangles (sharp at any zoom and on
// any printer) in a square size wide at (x, y), the quiet zone included.
func (d *doc) qr(x, y, size float64, text string) error {
	bits, err := qrModules(text)
	if err != nil {
		return err
	}
	f := d.f
	m := size / float64(len(bits)+2*QuietZone)
	f.SetFillColor(255, 255, 255)
	f.Rect(x, y, size, size, "F")
	f.SetFillColor(0, 0, 0)
	for r, row := range bits {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// A hair taller than a module, so renderers that smooth edges
			// leave no light seam between rows.
			f.Rect(x+float64(QuietZone+start)*m, y+float64(QuietZone+r)*m, float64(c-start)*m, m+0.02, "F")
		}
	}
	return nil
}

// output finishes the PDF and writes it.
func (d *doc) output(w io.Writer) error {
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("print: %w", err)
	}
	return nil
}

// Package register writes the staff's registers as Excel workbooks: the
// applications with the working days each SOP step took, and the applicants.
// Rows are streamed, so a register of thousands of rows stays small in memory.
// Personal data follows the lists' rule: NIKs appear masked only.
package register

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// sheet is the one worksheet of a register.
const sheet = "Sheet1"

// book is a workbook being streamed, with its styles.
type book struct {
	f      *excelize.File
	sw     *excelize.StreamWriter
	header int
	date   int
	row    int
}

func newBook(title string, headers []string, widths []float64) (*book, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", title); err != nil {
		return nil, err
	}
	b := &book{f: f}
	var err error
	if b.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDE7E4"}, Pattern: 1}}); err != nil {
		return nil, err
	}
	if b.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd-mm-yyyy hh:mm")}); err != nil {
		return nil, err
	}
	if b.sw, err = f.NewStreamWriter(title); err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := b.sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if err := b.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	cells := make([]any, len(headers))
	for i, h := range headers {
		cells[i] = excelize.Cell{StyleID: b.header, Value: h}
	}
	return b, b.add(cells)
}

func ptr[T any](v T) *T { return &v }

func (b *book) add(cells []any) error {
	b.row++
	cell, _ := excelize.CoordinatesToCellName(1, b.row)
	return b.sw.SetRow(cell, cells)
}

// when is a time as an Excel date in WIB, or an empty cell.
func (b *book) when(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	w := workday.InWIB(*t)
	// Excel has no time zones: write the WIB wall-clock time.
	return excelize.Cell{StyleID: b.date, Value: time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)}
}

func (b *book) finish(w io.Writer, title string, cols int) error {
	defer b.f.Close()
	if err := b.sw.Flush(); err != nil {
		return err
	}
	if b.row > 1 {
		last, _ := excelize.CoordinatesToCellName(cols, b.row)
		if err := b.f.AutoFilter(title, "A1:"+last, nil); err != nil {
			return err
		}
	}
	return b.f.Write(w)
}

// timedSteps are the SOP steps with a time standard, reported per application.
var timedSteps = []int{1, 4, 5, 7, 8, 9}

// Applications writes the register of applications matching filter.
func Applications(ctx context.Context, w io.Writer, svc *intake.Service, filter intake.Filter) error {
	headers := []string{"Nomor", "Nama usaha", "Pemilik", "Kabupaten/kota", "WhatsApp", "Status", "Sumber", "Dibuat", "Diajukan", "Tenggat langkah berjalan"}
	widths := []float64{17, 32, 24, 22, 16, 24, 9, 17, 17, 17}
	for _, n := range timedSteps {
		st := stepNamed(n)
		headers = append(headers, fmt.Sprintf("Langkah %d (hari kerja, standar %d)", n, st.Days), fmt.Sprintf("Langkah %d terlambat", n))
		widths = append(widths, 14, 11)
	}
	b, err := newBook("Permohonan", headers, widths)
	if err != nil {
		return err
	}
	if filter.Limit == 0 {
		filter.Limit = 1000
	}
	apps, err := svc.List(ctx, filter)
	if err != nil {
		return err
	}
	for _, a := range apps {
		biz, err := svc.Applicants.Get(ctx, a.BusinessID)
		if err != nil {
			return err
		}
		tl, err := svc.Timeline(ctx, a)
		if err != nil {
			return err
		}
		events, err := svc.Events(ctx, a.ID)
		if err != nil {
			return err
		}
		var submitted *time.Time
		for _, e := range events {
			if e.Action == string(sop.Submit) && submitted == nil {
				at := e.At
				submitted = &at
			}
		}
		created := a.CreatedAt
		row := []any{a.Number, a.BusinessName, biz.OwnerName, biz.RegionName(), maskedPhone(biz.WhatsApp), a.State.Label().ID, string(a.Source),
			b.when(&created), b.when(submitted), b.when(a.DueAt)}
		for _, n := range timedSteps {
			var days, late any
			for _, s := range tl.Steps {
				if s.Step.Number == n && s.StartedAt != nil {
					days = s.WorkDays
					late = map[bool]string{true: "ya", false: "tidak"}[s.Late]
				}
			}
			row = append(row, days, late)
		}
		if err := b.add(row); err != nil {
			return err
		}
	}
	return b.finish(w, "Permohonan", len(headers))
}

// maskedPhone keeps the applications register free of full phone numbers: it
// goes to leadership and curators too. The applicants register (clerks only)
// has them whole.
func maskedPhone(e164 string) string {
	if p, err := idn.ParsePhone(e164); err == nil {
		return p.Masked()
	}
	return ""
}

func stepNamed(n int) sop.Step {
	for _, s := range sop.Steps() {
		if s.Number == n {
			return s
		}
	}
	return sop.Step{}
}

// Applicants writes the register of businesses: who applies, with the NIK masked.
func Applicants(ctx context.Context, w io.Writer, svc *intake.Service) error {
	headers := []string{"Nama usaha", "Pemilik", "NIK (disamarkan)", "NIB", "Alamat", "Kabupaten/kota", "WhatsApp", "E-mail", "Kategori", "Skala", "Tahun mulai", "Produk", "Permohonan", "Terdaftar"}
	b, err := newBook("Pemohon", headers, []float64{32, 24, 19, 15, 36, 22, 16, 26, 16, 10, 11, 8, 11, 17})
	if err != nil {
		return err
	}
	rows, err := svc.DB.Q(ctx).QueryContext(ctx, "SELECT id FROM businesses ORDER BY lower(name), id")
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		biz, err := svc.Applicants.Get(ctx, id)
		if err != nil {
			return err
		}
		products, err := svc.Applicants.Products(ctx, id)
		if err != nil {
			return err
		}
		apps, err := svc.ByBusiness(ctx, id)
		if err != nil {
			return err
		}
		var year any
		if biz.YearStarted > 0 {
			year = biz.YearStarted
		}
		created := biz.CreatedAt
		if err := b.add([]any{biz.Name, biz.OwnerName, biz.NIKMasked, biz.NIB, biz.Address, biz.RegionName(), biz.WhatsApp, biz.Email,
			biz.Category, sizeLabel(biz.Size), year, len(products), len(apps), b.when(&created)}); err != nil {
			return err
		}
	}
	return b.finish(w, "Pemohon", len(headers))
}

func sizeLabel(code string) string {
	if z, ok := idn.ParseBusinessSize(code); ok {
		return z.Label().ID
	}
	return ""
}

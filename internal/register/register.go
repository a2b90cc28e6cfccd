// Package register writes the staff's registers as Excel workbooks: the
// applications, with the working days each SOP step took against its time
// standard, and the applicants' businesses. Rows are streamed (excelize's
// StreamWriter), so a register of thousands of rows stays small in memory.
//
// Each register is one worksheet: a bold header row, frozen, with an
// autofilter over the data and set column widths; dates are real Excel dates
// (serial numbers with a date format), in WIB wall-clock time, since Excel
// knows no time zones.
//
// Personal data: a NIK never appears but masked (3573********0003); the full
// number is not even read. The applications register may be downloaded by
// curators and leadership as well as gallery clerks, so it shows WhatsApp
// numbers masked; the applicants register, for clerks only, has them whole,
// since clerks call the applicants.
//
// The functions know nothing of HTTP: a handler sets the headers and passes
// its writer (or a buffer, to turn an error into an error page).
package register

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// book is a workbook of one worksheet being streamed, with its styles.
type book struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	sheet string
	cols  int
	date  int
	row   int
}

// column is one column of a register: its title and width (in characters).
type column struct {
	Title string
	Width float64
}

func newBook(sheet string, cols []column) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, sheet: sheet, cols: len(cols)}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, b.close(err)
	}
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"DDE7E4"}, Pattern: 1},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return nil, b.close(err)
	}
	if b.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("dd-mm-yyyy hh:mm")}); err != nil {
		return nil, b.close(err)
	}
	if b.sw, err = f.NewStreamWriter(sheet); err != nil {
		return nil, b.close(err)
	}
	// The stream writer puts each width before the ones already set; set them
	// right to left so the columns are listed in order, as Excel expects.
	for i := len(cols) - 1; i >= 0; i-- {
		if err := b.sw.SetColWidth(i+1, i+1, cols[i].Width); err != nil {
			return nil, b.close(err)
		}
	}
	if err := b.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, b.close(err)
	}
	cells := make([]any, len(cols))
	for i, c := range cols {
		cells[i] = excelize.Cell{StyleID: header, Value: c.Title}
	}
	return b, b.add(cells)
}

func (b *book) close(err error) error {
	_ = b.f.Close()
	return err
}

func ptr[T any](v T) *T { return &v }

func (b *book) add(cells []any) error {
	b.row++
	cell, err := excelize.CoordinatesToCellName(1, b.row)
	if err != nil {
		return err
	}
	return b.sw.SetRow(cell, cells)
}

// when is t as an Excel date in WIB, or an empty cell.
func (b *book) when(t *time.Time) any {
	if t == nil || t.IsZero() {
		return nil
	}
	w := workday.InWIB(*t)
	// Excel has no time zones: write the WIB wall-clock time.
	return excelize.Cell{StyleID: b.date, Value: time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, time.UTC)}
}

// finish puts the autofilter over the header and the data, and writes the
// workbook to w.
func (b *book) finish(w io.Writer) error {
	defer b.f.Close()
	last, err := excelize.CoordinatesToCellName(b.cols, max(b.row, 2))
	if err != nil {
		return err
	}
	// Before Flush: the stream writer writes the worksheet's filter element
	// as it closes the sheet; after it, the filter would name a range only.
	if err := b.f.AutoFilter(b.sheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := b.sw.Flush(); err != nil {
		return err
	}
	_, err = b.f.WriteTo(w)
	return err
}

// TimedSteps are the SOP steps with a time standard: the applications register
// has two columns for each, the working days the step took and whether it was
// late.
var TimedSteps = func() []sop.Step {
	var out []sop.Step
	for _, s := range sop.Steps() {
		if s.HasStandard {
			out = append(out, s)
		}
	}
	return out
}()

// pageSize is how many applications or businesses are read at a time.
var pageSize = 500

// Sources are the services the registers read.
type Sources struct {
	DB           *db.DB
	Applications *application.Service
	Applicants   *applicant.Service
}

// Applications writes the register of the applications matching filter (its
// State and Search, as application.List reads them), newest first. filter.Limit
// caps the rows when positive; zero or less means every application.
//
// Columns: number, business, owner, regency/city, WhatsApp (masked), state (in
// Indonesian), source, created, submitted (the first submission), due date of
// the running step, then for each step with a time standard (1, 4, 5, 7, 8, 9)
// the working days it took, or has taken so far, and "ya"/"tidak" for late.
// A step not reached is empty.
func Applications(ctx context.Context, w io.Writer, svc Sources, filter application.Filter) error {
	cols := []column{{"Nomor", 17}, {"Nama usaha", 32}, {"Pemilik", 24}, {"Kabupaten/kota", 22}, {"WhatsApp", 18},
		{"Status", 24}, {"Sumber", 9}, {"Dibuat", 17}, {"Diajukan", 17}, {"Tenggat langkah berjalan", 17}}
	for _, st := range TimedSteps {
		cols = append(cols, column{fmt.Sprintf("Langkah %d (hari kerja, standar %d)", st.Number, st.Days), 14},
			column{fmt.Sprintf("Langkah %d terlambat", st.Number), 11})
	}
	b, err := newBook("Permohonan", cols)
	if err != nil {
		return err
	}
	err = applicationIDs(ctx, svc, filter, func(id int64) error {
		a, err := svc.Applications.Get(ctx, id)
		if err != nil {
			return err
		}
		biz, err := svc.Applicants.Get(ctx, a.BusinessID)
		if err != nil {
			return err
		}
		tl, err := svc.Applications.Timeline(ctx, a)
		if err != nil {
			return err
		}
		events, err := svc.Applications.Events(ctx, a.ID)
		if err != nil {
			return err
		}
		var submitted *time.Time
		for _, e := range events {
			if e.Action == string(sop.Submit) {
				at := e.At
				submitted = &at
				break
			}
		}
		row := []any{a.Number, a.BusinessName, biz.OwnerName, biz.RegionName(), maskedPhone(biz.WhatsApp), a.State.Label().ID, string(a.Source),
			b.when(&a.CreatedAt), b.when(submitted), b.when(a.DueAt)}
		for _, st := range TimedSteps {
			var days, late any
			for _, s := range tl.Steps {
				if s.Step.Number == st.Number && s.StartedAt != nil {
					days, late = s.WorkDays, yesNo(s.Late)
				}
			}
			row = append(row, days, late)
		}
		return b.add(row)
	})
	if err != nil {
		return b.close(err)
	}
	return b.finish(w)
}

func yesNo(v bool) string {
	if v {
		return "ya"
	}
	return "tidak"
}

// applicationIDs calls fn with the id of each application matching f, newest
// first, a page at a time. It filters as intake.List does; unlike List it has
// no ceiling of 1000 rows: a register is the whole record.
func applicationIDs(ctx context.Context, svc Sources, f application.Filter, fn func(int64) error) error {
	where := ""
	var args []any
	if f.State != "" {
		where += " AND a.state = ?"
		args = append(args, string(f.State))
	}
	if q := strings.ToLower(strings.TrimSpace(f.Search)); q != "" {
		where += " AND (lower(a.number) LIKE ? OR lower(b.name) LIKE ?)"
		like := "%" + strings.NewReplacer("%", "", "_", "").Replace(q) + "%"
		args = append(args, like, like)
	}
	return pages(ctx, svc, "SELECT a.id FROM applications a JOIN businesses b ON b.id = a.business_id WHERE a.id < ?"+where+" ORDER BY a.id DESC",
		args, f.Limit, fn)
}

// pages runs query (whose first argument is the id to go below) a page at a
// time, and calls fn with each id, up to limit ids when limit is positive.
func pages(ctx context.Context, svc Sources, query string, args []any, limit int, fn func(int64) error) error {
	after := int64(1<<63 - 1)
	seen := 0
	for {
		size := pageSize
		if limit > 0 {
			size = min(size, limit-seen)
		}
		if size <= 0 {
			return nil
		}
		rows, err := svc.DB.Q(ctx).QueryContext(ctx, query+fmt.Sprintf(" LIMIT %d", size), append([]any{after}, args...)...)
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
			if err := fn(id); err != nil {
				return err
			}
		}
		seen += len(ids)
		if len(ids) < size {
			return nil
		}
		after = ids[len(ids)-1]
	}
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

// Applicants writes the register of businesses, by name: who applies, with
// the NIK masked. Columns: business, owner, NIK (masked), NIB, address,
// regency/city, WhatsApp, e-mail, category, size, year started, number of
// products (current ones), number of applications, registered.
func Applicants(ctx context.Context, w io.Writer, svc Sources) error {
	b, err := newBook("Pemohon", []column{{"Nama usaha", 32}, {"Pemilik", 24}, {"NIK (disamarkan)", 19}, {"NIB", 15}, {"Alamat", 36},
		{"Kabupaten/kota", 22}, {"WhatsApp", 16}, {"E-mail", 26}, {"Kategori", 16}, {"Skala", 14}, {"Tahun mulai", 11},
		{"Produk", 8}, {"Permohonan", 11}, {"Terdaftar", 17}})
	if err != nil {
		return err
	}
	// The ids first, in name order (a few bytes each, even for tens of
	// thousands), then each business with its counts.
	rows, err := svc.DB.Q(ctx).QueryContext(ctx, "SELECT id FROM businesses ORDER BY lower(name), id")
	if err != nil {
		return b.close(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return b.close(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return b.close(err)
	}
	for _, id := range ids {
		biz, err := svc.Applicants.Get(ctx, id)
		if err != nil {
			return b.close(err)
		}
		products, err := svc.Applicants.Products(ctx, id)
		if err != nil {
			return b.close(err)
		}
		apps, err := svc.Applications.ByBusiness(ctx, id)
		if err != nil {
			return b.close(err)
		}
		var year any
		if biz.YearStarted > 0 {
			year = biz.YearStarted
		}
		if err := b.add([]any{biz.Name, biz.OwnerName, biz.NIKMasked, biz.NIB, biz.Address, biz.RegionName(), biz.WhatsApp, biz.Email,
			biz.Category, sizeLabel(biz.Size), year, len(products), len(apps), b.when(&biz.CreatedAt)}); err != nil {
			return b.close(err)
		}
	}
	return b.finish(w)
}

func sizeLabel(code string) string {
	if z, ok := idn.ParseBusinessSize(code); ok {
		return z.Label().ID
	}
	return ""
}

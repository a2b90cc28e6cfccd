// Package register writes the staff's registers as Excel workbooks: the
// applications, with the working days each SOP step took against its time
// standard, and the applicants' businesses. Each register is one query read
// in one read-only snapshot (db.ReadTx: on SQLite it never takes the writer),
// every row of it, streamed through excelize's StreamWriter, which keeps at
// most 16 MB of rows in memory and the rest in a temporary file: a register
// of tens of thousands of rows stays small in memory.
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
	"bufio"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
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

// Sources are the services the registers read.
type Sources struct {
	DB           *db.DB
	Applications *application.Service
	Applicants   *applicant.Service
}

// applicationColumns are the applications register's columns; see
// Applications.
func applicationColumns() []column {
	cols := []column{{"Nomor", 17}, {"Nama usaha", 32}, {"Pemilik", 24}, {"Kabupaten/kota", 22}, {"WhatsApp", 18},
		{"Status", 24}, {"Sumber", 9}, {"Dibuat", 17}, {"Diajukan", 17}, {"Tenggat langkah berjalan", 17}}
	for _, st := range TimedSteps {
		cols = append(cols, column{fmt.Sprintf("Langkah %d (hari kerja, standar %d)", st.Number, st.Days), 14},
			column{fmt.Sprintf("Langkah %d terlambat", st.Number), 11})
	}
	return cols
}

// appRow is one row of the applications register, before it is written in
// a format.
type appRow struct {
	text           [7]string // number, business, owner, regency, WhatsApp (masked), state, source
	created        time.Time
	submitted, due *time.Time
	steps          []stepCell // one per TimedSteps
}

// stepCell is what a timed step shows: the working days it took (or has taken
// so far) and whether it was late; nothing for a step not reached.
type stepCell struct {
	reached bool
	days    int
	late    bool
}

// applicationRows calls emit with each application filter matches (its State
// and Search, as application.List reads them), newest first, and every one of
// them: a register is the whole record. It reads them with their businesses
// and histories in one query, inside one read-only snapshot (db.ReadTx), so
// the register adds up and a long one never holds the writer.
func applicationRows(ctx context.Context, svc Sources, filter application.Filter, emit func(*appRow) error) error {
	sel := svc.Applications.Select(filter)
	if sel.None {
		return nil
	}
	return svc.DB.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
		cal, err := svc.Applications.Calendar.Load(ctx)
		if err != nil {
			return err
		}
		now := svc.DB.Clock(ctx)
		// One row per event, the application's columns repeated: the rows of
		// one application come together, its events oldest first.
		rows, err := r.QueryContext(ctx, `SELECT a.id, a.number, a.business_id, b.name, b.owner_id, a.state, a.state_since, COALESCE(a.step, 0),
			a.due_at, a.source, a.created_at, a.updated_at, b.owner_name, b.province_code, b.regency_code, b.whatsapp,
			e.id, e.at, e.action, e.from_state, e.to_state, COALESCE(e.step, 0), e.due_at
			FROM `+sel.From+` JOIN businesses b ON b.id = a.business_id LEFT JOIN application_events e ON e.application_id = a.id
			WHERE `+sel.Where+` ORDER BY `+sel.Key+` DESC, e.id`, sel.Args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var cur application.Application
		var biz applicant.Business
		var events []application.Event
		flush := func() error {
			if cur.ID == 0 {
				return nil
			}
			return emit(makeAppRow(cur, biz, events, cal, now))
		}
		for rows.Next() {
			var a application.Application
			var b applicant.Business
			var state, source string
			var due, eAt, eDue sql.NullTime
			var eID sql.NullInt64
			var eAction, eFrom, eTo sql.NullString
			var eStep int
			if err := rows.Scan(&a.ID, &a.Number, &a.BusinessID, &a.BusinessName, &a.OwnerID, &state, &a.StateSince, &a.Step,
				&due, &source, &a.CreatedAt, &a.UpdatedAt, &b.OwnerName, &b.ProvinceCode, &b.RegencyCode, &b.WhatsApp,
				&eID, &eAt, &eAction, &eFrom, &eTo, &eStep, &eDue); err != nil {
				return err
			}
			if a.ID != cur.ID {
				if err := flush(); err != nil {
					return err
				}
				a.State, a.Source = sop.State(state), application.Source(source)
				if due.Valid {
					t := due.Time
					a.DueAt = &t
				}
				cur, biz, events = a, b, events[:0]
			}
			if eID.Valid {
				e := application.Event{At: eAt.Time, Action: eAction.String, From: sop.State(eFrom.String), To: sop.State(eTo.String), Step: eStep}
				if eDue.Valid {
					t := eDue.Time
					e.DueAt = &t
				}
				events = append(events, e)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return flush()
	})
}

func makeAppRow(a application.Application, biz applicant.Business, events []application.Event, cal *workday.Calendar, now time.Time) *appRow {
	r := &appRow{created: a.CreatedAt, due: a.DueAt, steps: make([]stepCell, len(TimedSteps))}
	r.text = [7]string{a.Number, a.BusinessName, biz.OwnerName, biz.RegionName(), maskedPhone(biz.WhatsApp), a.State.Label().ID, string(a.Source)}
	for _, e := range events {
		if e.Action == string(sop.Submit) {
			at := e.At
			r.submitted = &at
			break
		}
	}
	tl := application.BuildTimeline(a, events, cal, now)
	for i, st := range TimedSteps {
		for _, s := range tl.Steps {
			if s.Step.Number == st.Number && s.StartedAt != nil {
				r.steps[i] = stepCell{reached: true, days: s.WorkDays, late: s.Late}
			}
		}
	}
	return r
}

// Applications writes the register of the applications matching filter (its
// State and Search, as application.List reads them; every one of them, newest
// first) as an Excel workbook.
//
// Columns: number, business, owner, regency/city, WhatsApp (masked), state (in
// Indonesian), source, created, submitted (the first submission), due date of
// the running step, then for each step with a time standard (1, 4, 5, 7, 8, 9)
// the working days it took, or has taken so far, and "ya"/"tidak" for late.
// A step not reached is empty.
//
// Nothing is written to w until every row has been read: an error while
// reading leaves w untouched, for the caller to answer with an error page.
func Applications(ctx context.Context, w io.Writer, svc Sources, filter application.Filter) error {
	b, err := newBook("Permohonan", applicationColumns())
	if err != nil {
		return err
	}
	err = applicationRows(ctx, svc, filter, func(r *appRow) error {
		row := make([]any, 0, 10+2*len(r.steps))
		for _, t := range r.text {
			row = append(row, t)
		}
		row = append(row, b.when(&r.created), b.when(r.submitted), b.when(r.due))
		for _, s := range r.steps {
			if !s.reached {
				row = append(row, nil, nil)
				continue
			}
			row = append(row, s.days, yesNo(s.late))
		}
		return b.add(row)
	})
	if err != nil {
		return b.close(err)
	}
	return b.finish(w)
}

// ApplicationsCSV writes the same register as CSV (UTF-8 with a byte-order
// mark, so Excel reads the accents; dates as dd-mm-yyyy hh:mm WIB), row by
// row as they are read.
func ApplicationsCSV(ctx context.Context, w io.Writer, svc Sources, filter application.Filter) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cols := applicationColumns()
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Title
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(cols))
	err := applicationRows(ctx, svc, filter, func(r *appRow) error {
		rec = rec[:0]
		rec = append(rec, r.text[:]...)
		rec = append(rec, csvTime(&r.created), csvTime(r.submitted), csvTime(r.due))
		for _, s := range r.steps {
			if !s.reached {
				rec = append(rec, "", "")
				continue
			}
			rec = append(rec, strconv.Itoa(s.days), yesNo(s.late))
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return workday.InWIB(*t).Format("02-01-2006 15:04")
}

func yesNo(v bool) string {
	if v {
		return "ya"
	}
	return "tidak"
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
	// One query for every business with its counts, in one snapshot.
	err = svc.DB.ReadTx(ctx, func(ctx context.Context, r db.Reader) error {
		rows, err := r.QueryContext(ctx, `SELECT b.name, b.owner_name, b.nik_masked, b.nib, b.address, b.province_code, b.regency_code,
			b.whatsapp, b.email, b.category, b.size, COALESCE(b.year_started, 0), b.created_at,
			(SELECT COUNT(*) FROM products p WHERE p.business_id = b.id AND p.archived = FALSE),
			(SELECT COUNT(*) FROM applications a WHERE a.business_id = b.id)
			FROM businesses b ORDER BY lower(b.name), b.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var biz applicant.Business
			var products, apps int
			if err := rows.Scan(&biz.Name, &biz.OwnerName, &biz.NIKMasked, &biz.NIB, &biz.Address, &biz.ProvinceCode, &biz.RegencyCode,
				&biz.WhatsApp, &biz.Email, &biz.Category, &biz.Size, &biz.YearStarted, &biz.CreatedAt, &products, &apps); err != nil {
				return err
			}
			var year any
			if biz.YearStarted > 0 {
				year = biz.YearStarted
			}
			if err := b.add([]any{biz.Name, biz.OwnerName, biz.NIKMasked, biz.NIB, biz.Address, biz.RegionName(), biz.WhatsApp, biz.Email,
				biz.Category, sizeLabel(biz.Size), year, products, apps, b.when(&biz.CreatedAt)}); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return b.close(err)
	}
	return b.finish(w)
}

func sizeLabel(code string) string {
	if z, ok := idn.ParseBusinessSize(code); ok {
		return z.Label().ID
	}
	return ""
}

package register_test

import (
	"archive/zip"
	"bytes"
	"context"
	csvpkg "encoding/csv"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/register"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

const sriNIK = "3573054107850003"

// world is a database with the people of a few applications, built as
// internal/intake's tests build theirs.
type world struct {
	t     testing.TB
	ctx   context.Context
	d     *db.DB
	clock *time.Time
	app   *app.App
	src   register.Sources
	accts *account.Service
	apps  *applicant.Service
	svc   *intake.Service
	clerk account.User
}

func newWorld(t testing.TB, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB) // Monday
	w := &world{t: t, ctx: ctx, d: d, clock: &now}
	d.Now = func() time.Time { return *w.clock }
	w.app = apptest.New(t, d)
	w.accts, w.apps, w.svc = w.app.Accounts, w.app.Applicants, w.app.Intake
	w.src = register.Sources{DB: d, Applications: w.app.Applications, Applicants: w.app.Applicants}
	w.clerk = w.user("siti@galeri.id", role.StafGaleri)
	return w
}

func (w *world) user(email string, r role.Role) account.User {
	w.t.Helper()
	u, err := w.accts.Create(w.ctx, account.NewUser{Name: strings.Split(email, "@")[0], Email: email, Role: r, Password: "batik tulis madura"})
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

// draft makes an applicant with a business, one product and a draft application.
func (w *world) draft(email string, in applicant.BusinessInput) (account.User, applicant.Business, applicant.Product, application.Application) {
	w.t.Helper()
	owner := w.user(email, role.Pemohon)
	biz, _, err := w.apps.Save(w.ctx, owner, owner.ID, in)
	if err != nil {
		w.t.Fatal(err)
	}
	prod, _, err := w.apps.SaveProduct(w.ctx, owner, biz.ID, 0, applicant.ProductInput{Name: "Produk " + in.Name, Category: "Makanan", Composition: "Tempe",
		NetContent: "250 g", Packaging: "Pouch", ShelfLifeDays: "180", Price: "25000", PIRT: "2063573010234-28"})
	if err != nil {
		w.t.Fatal(err)
	}
	a, err := w.app.Applications.CreateDraft(w.ctx, owner, biz.ID, []int64{prod.ID}, application.Online)
	if err != nil {
		w.t.Fatal(err)
	}
	return owner, biz, prod, a
}

// sri submits on Monday 2 November 2026 at 09:00; the clerk checks her
// documents on Wednesday (2 working days against a standard of 1: late) and
// records her samples, so her application is in curation.
func (w *world) sri() application.Application {
	w.t.Helper()
	owner, biz, prod, a := w.draft("sri@keripik.id", applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni", NIK: sriNIK,
		NIB: "9120301234567", Address: "Jl. Sanan 12", ProvinceCode: "35", RegencyCode: "3573", WhatsApp: "085233100202",
		Email: "sri@keripik.id", Category: "Makanan", Size: "mikro", YearStarted: "2015"})
	for kind, number := range map[string]string{"ktp": sriNIK, "nib": "9120301234567", "pirt": "2063573010234-28"} {
		var img bytes.Buffer
		_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4)))
		if _, _, err := w.app.Documents.Add(w.ctx, owner, document.Upload{BusinessID: biz.ID, Kind: kind, Number: number, File: &img, FileName: "x.png"}); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := w.app.Applications.Do(w.ctx, owner, a.ID, sop.Submit, ""); err != nil {
		w.t.Fatal(err)
	}
	*w.clock = w.clock.Add(48 * time.Hour)
	docs, _ := w.app.Documents.Current(w.ctx, biz.ID)
	for _, doc := range docs {
		if err := w.svc.ReviewDocument(w.ctx, w.clerk, a.ID, doc.ID, true, ""); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := w.app.Applications.Do(w.ctx, w.clerk, a.ID, sop.AcceptDocuments, ""); err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.svc.RecordSamples(w.ctx, w.clerk, a.ID, []intake.SampleInput{{ProductID: prod.ID, Quantity: "3", ExpiryDate: "2027-05-01"}}); err != nil {
		w.t.Fatal(err)
	}
	a, err := w.app.Applications.Get(w.ctx, a.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// sheet is a register read back as a user would see it.
type sheet struct {
	f     *excelize.File
	name  string
	rows  [][]string
	parts map[string]string // every file in the .xlsx zip, as text
}

func open(t *testing.T, data []byte, name string) sheet {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if got := f.GetSheetList(); len(got) != 1 || got[0] != name {
		t.Fatalf("sheets %q, want only %q", got, name)
	}
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, zf := range z.File {
		r, _ := zf.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		parts[zf.Name] = string(b)
	}
	return sheet{f: f, name: name, rows: rows, parts: parts}
}

// row returns data row i (1 = the first under the header) by column title.
func (s sheet) row(i int) map[string]string {
	m := map[string]string{}
	for c, h := range s.rows[0] {
		if c < len(s.rows[i]) {
			m[h] = s.rows[i][c]
		}
	}
	return m
}

// cell is the cell at data row i under the column titled title.
func (s sheet) cell(t *testing.T, i int, title string) string {
	t.Helper()
	for c, h := range s.rows[0] {
		if h == title {
			name, _ := excelize.CoordinatesToCellName(c+1, i+1)
			return name
		}
	}
	t.Fatalf("no column %q in %q", title, s.rows[0])
	return ""
}

func (s sheet) contains(text string) bool {
	for _, p := range s.parts {
		if strings.Contains(p, text) {
			return true
		}
	}
	return false
}

// checkLayout checks what makes a register usable: a bold, frozen header, an
// autofilter over the data, column widths, the columns listed in order.
func (s sheet) checkLayout(t *testing.T, wantWidthB float64) {
	t.Helper()
	id, err := s.f.GetCellStyle(s.name, "A1")
	if err != nil {
		t.Fatal(err)
	}
	if st, err := s.f.GetStyle(id); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header not bold: %+v %v", st, err)
	}
	if p, err := s.f.GetPanes(s.name); err != nil || !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
		t.Errorf("header not frozen: %+v %v", p, err)
	}
	if w, err := s.f.GetColWidth(s.name, "B"); err != nil || w != wantWidthB {
		t.Errorf("width of column B %v %v, want %v", w, err, wantWidthB)
	}
	xml := s.parts["xl/worksheets/sheet1.xml"]
	last, _ := excelize.CoordinatesToCellName(len(s.rows[0]), max(len(s.rows), 2))
	// excelize writes the range absolute ($A$1:$V$3), as the defined name is.
	if !strings.Contains(strings.ReplaceAll(xml, "$", ""), `<autoFilter ref="A1:`+last+`"`) {
		t.Errorf("no autofilter over A1:%s in the sheet", last)
	}
	prev := 0
	for _, m := range regexp.MustCompile(`<col min="(\d+)"`).FindAllStringSubmatch(xml, -1) {
		n, _ := strconv.Atoi(m[1])
		if n <= prev {
			t.Errorf("columns listed out of order: %d after %d", n, prev)
		}
		prev = n
	}
}

// checkDate checks that a cell holds a real date (a serial number with a date
// format) showing want.
func (s sheet) checkDate(t *testing.T, cell, want string) {
	t.Helper()
	shown, _ := s.f.GetCellValue(s.name, cell)
	raw, _ := s.f.GetCellValue(s.name, cell, excelize.Options{RawCellValue: true})
	if _, err := strconv.ParseFloat(raw, 64); err != nil || shown != want {
		t.Errorf("%s shows %q (raw %q), want %q stored as an Excel date", cell, shown, raw, want)
	}
	id, _ := s.f.GetCellStyle(s.name, cell)
	if st, err := s.f.GetStyle(id); err != nil || st.CustomNumFmt == nil || !strings.Contains(*st.CustomNumFmt, "yyyy") {
		t.Errorf("%s has no date format: %+v", cell, st)
	}
}

func TestApplicationsRegisterShowsWhatStaffCheck(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		sri := w.sri()
		_, _, _, kholil := w.draft("kholil@batik.id", applicant.BusinessInput{Name: "Batik Tulis Tanjung Bumi", OwnerName: "Moh. Kholil",
			ProvinceCode: "35", RegencyCode: "3526", WhatsApp: "081937700303"})

		var buf bytes.Buffer
		if err := register.Applications(w.ctx, &buf, w.src, application.Filter{}); err != nil {
			t.Fatal(err)
		}
		s := open(t, buf.Bytes(), "Permohonan")
		if len(s.rows) != 3 {
			t.Fatalf("%d rows, want the header and two applications", len(s.rows))
		}
		s.checkLayout(t, 32)
		// Newest first: Kholil's draft, then Sri's.
		k, r := s.row(1), s.row(2)
		if k["Nomor"] != kholil.Number || k["Status"] != sop.Draft.Label().ID || k["Diajukan"] != "" || k["Langkah 1 (hari kerja, standar 1)"] != "" {
			t.Errorf("Kholil's draft: %v", k)
		}
		for title, want := range map[string]string{
			"Nomor": sri.Number, "Nama usaha": "Keripik Tempe Sanan Bu Sri", "Pemilik": "Sri Wahyuni", "Kabupaten/kota": "Kota Malang, Jawa Timur",
			"WhatsApp": "+62 852-****-0202", "Status": "Dalam kurasi", "Sumber": "online",
			"Dibuat": "02-11-2026 09:00", "Diajukan": "02-11-2026 09:00",
			"Langkah 1 (hari kerja, standar 1)": "2", "Langkah 1 terlambat": "ya", // submitted Monday, checked Wednesday
			"Langkah 4 (hari kerja, standar 3)": "0", "Langkah 4 terlambat": "tidak", // curation started today
			"Langkah 5 (hari kerja, standar 1)": "", "Langkah 9 terlambat": "",
		} {
			if r[title] != want {
				t.Errorf("Sri's %q = %q, want %q", title, r[title], want)
			}
		}
		s.checkDate(t, s.cell(t, 2, "Diajukan"), "02-11-2026 09:00")
		s.checkDate(t, s.cell(t, 2, "Tenggat langkah berjalan"), r["Tenggat langkah berjalan"])
		if due, _ := time.Parse("02-01-2006 15:04", r["Tenggat langkah berjalan"]); due.Before(time.Date(2026, 11, 4, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("curation due %q, want after today", r["Tenggat langkah berjalan"])
		}
		if s.contains(sriNIK) || s.contains("85233100202") {
			t.Error("the applications register holds a full NIK or WhatsApp number")
		}

		buf.Reset()
		if err := register.Applications(w.ctx, &buf, w.src, application.Filter{State: sop.InCuration}); err != nil {
			t.Fatal(err)
		}
		if s := open(t, buf.Bytes(), "Permohonan"); len(s.rows) != 2 || s.rows[1][0] != sri.Number {
			t.Errorf("filtered on curation: %q", s.rows)
		}
	})
}

func TestApplicantsRegisterMasksTheNIK(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.sri()
		w.draft("kholil@batik.id", applicant.BusinessInput{Name: "Batik Tulis Tanjung Bumi", OwnerName: "Moh. Kholil", NIK: "3526011203790001",
			ProvinceCode: "35", RegencyCode: "3526"})
		var buf bytes.Buffer
		if err := register.Applicants(w.ctx, &buf, w.src); err != nil {
			t.Fatal(err)
		}
		s := open(t, buf.Bytes(), "Pemohon")
		if len(s.rows) != 3 {
			t.Fatalf("rows %q", s.rows)
		}
		s.checkLayout(t, 24)
		if s.contains(sriNIK) || s.contains("3526011203790001") {
			t.Fatal("a full NIK is in the applicants register")
		}
		if !s.contains("3573********0003") || !s.contains("3526********0001") {
			t.Fatal("the masked NIKs are not in the register")
		}
		// By name: Batik before Keripik.
		k, r := s.row(1), s.row(2)
		if k["Nama usaha"] != "Batik Tulis Tanjung Bumi" || k["Kabupaten/kota"] != "Kabupaten Bangkalan, Jawa Timur" || k["WhatsApp"] != "" || k["Skala"] != "" {
			t.Errorf("Kholil: %v", k)
		}
		for title, want := range map[string]string{
			"Nama usaha": "Keripik Tempe Sanan Bu Sri", "Pemilik": "Sri Wahyuni", "NIK (disamarkan)": "3573********0003", "NIB": "9120301234567",
			"Kabupaten/kota": "Kota Malang, Jawa Timur", "WhatsApp": "+6285233100202", "E-mail": "sri@keripik.id", "Kategori": "Makanan",
			"Skala": "Usaha Mikro", "Tahun mulai": "2015", "Produk": "1", "Permohonan": "1", "Terdaftar": "02-11-2026 09:00",
		} {
			if r[title] != want {
				t.Errorf("Sri's %q = %q, want %q", title, r[title], want)
			}
		}
		s.checkDate(t, s.cell(t, 2, "Terdaftar"), "02-11-2026 09:00")
	})
}

// A register is the whole record: every row the filter matches, no ceiling.
func TestRegistersHoldEveryRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		var numbers []string
		for i := range 5 {
			_, _, _, a := w.draft(fmt.Sprintf("ukm%d@contoh.id", i), applicant.BusinessInput{Name: fmt.Sprintf("Usaha %d", i)})
			numbers = append([]string{a.Number}, numbers...)
		}
		for _, c := range []struct {
			filter application.Filter
			want   []string
		}{
			{application.Filter{}, numbers},
			{application.Filter{Limit: 3}, numbers}, // a page size, not a ceiling
			{application.Filter{Search: "usaha 3"}, numbers[1:2]},
			{application.Filter{State: sop.Submitted}, nil},
		} {
			var buf bytes.Buffer
			if err := register.Applications(w.ctx, &buf, w.src, c.filter); err != nil {
				t.Fatal(err)
			}
			s := open(t, buf.Bytes(), "Permohonan")
			var got []string
			for _, r := range s.rows[1:] {
				got = append(got, r[0])
			}
			if fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("filter %+v: %q, want %q", c.filter, got, c.want)
			}
		}
		var buf bytes.Buffer
		if err := register.Applicants(w.ctx, &buf, w.src); err != nil {
			t.Fatal(err)
		}
		if s := open(t, buf.Bytes(), "Pemohon"); len(s.rows) != 6 {
			t.Errorf("%d applicant rows, want 5 and the header", len(s.rows)-1)
		}
	})
}

// The register reads a snapshot: it is written in full while another
// transaction holds the writer (on SQLite the one writer), and it does not see
// what that transaction writes.
func TestRegistersReadASnapshotWithoutTheWriter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.draft("sri@keripik.id", applicant.BusinessInput{Name: "Keripik Tempe Sanan"})
		holding, release := make(chan struct{}), make(chan struct{})
		go func() {
			_ = d.InTx(w.ctx, func(ctx context.Context, tx *db.Tx) error {
				if _, err := tx.ExecContext(ctx, "UPDATE businesses SET name = 'Ganti' WHERE 1 = 1"); err != nil {
					return err
				}
				close(holding)
				<-release
				return errors.New("roll back")
			})
		}()
		<-holding
		defer close(release)
		done := make(chan error, 2)
		var xlsx, csv bytes.Buffer
		go func() { done <- register.Applications(w.ctx, &xlsx, w.src, application.Filter{}) }()
		go func() { done <- register.Applicants(w.ctx, &bytes.Buffer{}, w.src) }()
		for range 2 {
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the register waits for the writer")
			}
		}
		if s := open(t, xlsx.Bytes(), "Permohonan"); len(s.rows) != 2 || s.rows[1][1] != "Keripik Tempe Sanan" {
			t.Errorf("register during a write: %q", s.rows)
		}
		if err := register.ApplicationsCSV(w.ctx, &csv, w.src, application.Filter{}); err != nil {
			t.Fatal(err)
		}
	})
}

// The CSV register holds the same rows and columns as the workbook, dates as
// the workbook shows them: it is the workbook's baseline in the benchmarks.
func TestCSVRegisterHoldsTheWorkbooksRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		w.sri()
		w.draft("kholil@batik.id", applicant.BusinessInput{Name: "Batik \"Tulis\", Tanjung Bumi", OwnerName: "Moh. Kholil", ProvinceCode: "35", RegencyCode: "3526"})
		var x, c bytes.Buffer
		if err := register.Applications(w.ctx, &x, w.src, application.Filter{}); err != nil {
			t.Fatal(err)
		}
		if err := register.ApplicationsCSV(w.ctx, &c, w.src, application.Filter{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(c.Bytes(), []byte("\ufeff")) {
			t.Error("the CSV has no byte-order mark: Excel would misread the accents")
		}
		recs, err := csvpkg.NewReader(bytes.NewReader(bytes.TrimPrefix(c.Bytes(), []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		s := open(t, x.Bytes(), "Permohonan")
		if len(recs) != len(s.rows) {
			t.Fatalf("CSV %d rows, workbook %d", len(recs), len(s.rows))
		}
		for i := range recs {
			row := s.rows[i]
			for len(row) < len(recs[i]) {
				row = append(row, "")
			}
			if fmt.Sprint(recs[i]) != fmt.Sprint(row) {
				t.Errorf("row %d:\nCSV      %q\nworkbook %q", i, recs[i], row)
			}
		}
	})
}

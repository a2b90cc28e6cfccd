package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/vault"
)

// The Office's Google Form export, as Google writes it (comma, quoted fields).
const formCSV = `Timestamp,Nama Pemilik,NIK,Nama Usaha,NIB,Alamat Usaha,Kabupaten/Kota,No. WhatsApp,Email,Kategori Produk,Nama Produk,Harga Jual,Isi Bersih/Netto,Kemasan,Masa Simpan (hari),No. P-IRT,Catatan Lain
2/3/2023 9:15:02,Sri Wahyuni,3573054107850003,Keripik Tempe Sanan Bu Sri,9120301234567,"Jl. Sanan No. 12, Blimbing",Kota Malang,085233100202,sri@keripik.id,Makanan ringan,Keripik Tempe Original 250 g,25000,250 g,Standing pouch,180,2063573010234-28,
2/3/2023 10:01:44,Endah Puspitasari,3577026308900001,Sambal Pecel Mbak Endah,9120509876543,Jl. Pahlawan 48,Kota Madiun,085755123987,,Makanan,Sambal Pecel Pedas 250 g,18.000,250 g,Plastik klip,120,2103577010078-30,pedas sekali
2/3/2023 11:20:10,Moh. Kholil,352601120379000,Batik Tulis Tanjung Bumi,8120203456789,Ds. Telaga Biru,Kab. Bangkalan,081937700303,,Batik,Kain Batik Gentongan,850000,200 x 115 cm,Kotak,,,
3/3/2023 8:05:00,Dewi Lestari,3519045402920002,Brem Caruban Dewi,8120105678901,Ds. Kaliabu,Kabupaten Madiun,081330441122,dewi@brem.id,Makanan,Brem Padat isi 10,15000,150 g,Kotak karton,90,3103519020045-29,
3/3/2023 9:45:30,Ahmad Fauzi,3511103001880006,Kopi Ijen Raung,9120601122334,Sukosari,Bondowoso,087755667788,,Minuman,Kopi Arabika Ijen 200 g,55000,200 g,Pouch kraft,365,,
`

type world struct {
	d     *db.DB
	im    *importer.Importer
	clerk account.User
}

func newWorld(t testing.TB, d *db.DB) world {
	ctx := context.Background()
	d.Now = func() time.Time { return time.Date(2026, 11, 2, 3, 0, 0, 0, time.UTC) }
	accts := account.New(d)
	accts.Hasher = account.Hasher{MemoryKiB: 64, Time: 1, Threads: 1}
	clerk, err := accts.Create(ctx, account.NewUser{Name: "Siti", Email: "siti@galeri.id", Role: role.StafGaleri, Password: "batik tulis madura"})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := vault.Load(t.TempDir(), "")
	files, _ := document.NewStore(t.TempDir(), 0)
	cal := calendar.Store{DB: d}
	apps := &applicant.Service{DB: d, Vault: v, Now: d.Now}
	return world{d: d, clerk: clerk, im: &importer.Importer{DB: d, Accounts: accts, Applicants: apps,
		Intake: &intake.Service{DB: d, Applicants: apps, Files: files, Calendar: cal}}}
}

func (w world) count(t *testing.T, table string) int {
	var n int
	if err := w.d.Q(context.Background()).QueryRowContext(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDryRunNamesTheRowAndColumnAndTheRealRunRefusesUntilSkipped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		tbl, err := importer.Read(strings.NewReader(formCSV))
		if err != nil {
			t.Fatal(err)
		}
		rep, err := w.im.DryRun(ctx, w.clerk, tbl)
		if err != nil {
			t.Fatal(err)
		}
		// Row 4 (Kholil) has a 15-digit NIK; row 6 (Fauzi) says only "Bondowoso",
		// which is unambiguous, so it is fine.
		if rep.Rows != 5 || rep.Ready != 4 || len(rep.Problems) != 1 || rep.Problems[0].Row != 4 || rep.Problems[0].Column != "NIK" ||
			!strings.Contains(rep.Problems[0].Text.ID, "16") {
			t.Fatalf("dry run: %+v", rep)
		}
		if len(rep.Unknown) != 1 || rep.Unknown[0] != "Catatan Lain" {
			t.Fatalf("ignored columns %v, want only Catatan Lain reported", rep.Unknown)
		}
		before := [3]int{w.count(t, "users"), w.count(t, "businesses"), w.count(t, "applications")}
		if before != [3]int{1, 0, 0} {
			t.Fatalf("the dry run wrote: %v", before)
		}
		if _, err := w.im.Run(ctx, w.clerk, tbl, nil); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("a real run with a bad row: %v, want a refusal", err)
		}
		if got := [3]int{w.count(t, "users"), w.count(t, "businesses"), w.count(t, "applications")}; got != before {
			t.Fatalf("the refused run wrote: %v", got)
		}
		rep, err = w.im.Run(ctx, w.clerk, tbl, []int{4})
		if err != nil || rep.Ready != 4 || rep.Skipped != 1 || len(rep.Imported) != 4 {
			t.Fatalf("run skipping row 4: %+v %v", rep, err)
		}
		apps, _ := w.im.Intake.List(ctx, intake.Filter{})
		if len(apps) != 4 {
			t.Fatalf("%d applications, want 4", len(apps))
		}
		for _, a := range apps {
			if a.State != sop.Draft || a.Source != intake.Import {
				t.Errorf("imported application %+v", a)
			}
		}
		// Endah's price "18.000" is Rupiah with a thousands dot; her regency is Kota Madiun.
		u, err := w.im.Accounts.ByLogin(ctx, "085755123987")
		if err != nil || !u.MustChangePassword {
			t.Fatalf("imported applicant account: %+v %v", u, err)
		}
		b, _ := w.im.Applicants.ByOwner(ctx, u.ID)
		ps, _ := w.im.Applicants.Products(ctx, b.ID)
		if b.RegencyCode != "3577" || b.NIKMasked != "3577********0001" || len(ps) != 1 || ps[0].Price != 18000 || ps[0].PIRT != "P-IRT No. 2103577010078-30" {
			t.Fatalf("imported business %+v products %+v", b, ps)
		}
		// Importing the same file again: everyone already has an open application.
		rep, _ = w.im.DryRun(ctx, w.clerk, tbl)
		if rep.Ready != 0 {
			t.Fatalf("a second import would create %d more applications", rep.Ready)
		}
	})
}

func TestXLSXWithSemicolonAndAliasesAndAmbiguousRegency(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		f := excelize.NewFile()
		rows := [][]any{
			{"Stempel waktu", "Nama Lengkap", "Nama UKM", "Kab/Kota", "No HP", "Produk", "Harga"},
			{"2023-02-03", "Wahyu Hidayat", "Sale Pisang Kediri", "Kediri", "081233344455", "Sale Pisang Gulung", 20000},
			{"2023-02-03", "Rina", "Tape Bondowoso", "Kab. Bondowoso", "081233344466", "Tape Singkong", 15000},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			_ = f.SetSheetRow("Sheet1", cell, &r)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		tbl, err := importer.Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := w.im.DryRun(ctx, w.clerk, tbl)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Ready != 1 || len(rep.Problems) != 1 || rep.Problems[0].Row != 2 || rep.Problems[0].Column != "Kab/Kota" || !strings.Contains(rep.Problems[0].Text.ID, "Kota Kediri") {
			t.Fatalf("report %+v", rep)
		}
		semi := "\xef\xbb\xbfNama Pemilik;Nama Usaha;No. WhatsApp;Nama Produk\nSri;Keripik;085233100202;Keripik 250 g\n"
		tbl, err = importer.Read(strings.NewReader(semi))
		if err != nil || len(tbl.Header) != 4 || tbl.Header[0] != "Nama Pemilik" {
			t.Fatalf("semicolon CSV with BOM: %+v %v", tbl, err)
		}
		if _, err := w.im.DryRun(ctx, w.clerk, importer.Table{Header: []string{"Nama", "Alamat"}, Rows: [][]string{{"a", "b"}}}); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("a file without the required columns: %v", err)
		}
	})
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(formCSV))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("a;b\n\"x;y\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tbl, err := importer.Read(bytes.NewReader(b))
		if err == nil && (len(tbl.Rows) == 0 || len(tbl.Rows) > importer.MaxRows) {
			t.Fatalf("accepted a table of %d rows", len(tbl.Rows))
		}
	})
}

func BenchmarkImport500Rows(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Nama Pemilik,Nama Usaha,No. WhatsApp,Nama Produk,Harga Jual,Kabupaten/Kota\n")
	for i := range 500 {
		fmt.Fprintf(&sb, "Pemilik %d,Usaha %d,08123%06d,Produk %d,25000,Kota Surabaya\n", i, i, i, i)
	}
	csv := sb.String()
	b.Run("parse-only-baseline", func(b *testing.B) {
		for b.Loop() {
			if _, err := importer.Read(strings.NewReader(csv)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dry-run-sqlite", func(b *testing.B) {
		d := dbtest.Open(b, db.SQLite)
		w := newWorld(b, d)
		tbl, _ := importer.Read(strings.NewReader(csv))
		for b.Loop() {
			if rep, err := w.im.DryRun(context.Background(), w.clerk, tbl); err != nil || rep.Ready != 500 {
				b.Fatalf("%+v %v", rep.Problems, err)
			}
		}
	})
}

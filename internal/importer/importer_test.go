package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/app/apptest"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/db/dbtest"
	"github.com/etalase-id/etalase/internal/importer"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// formCSV is the Office's Google Form export as Google writes it (comma,
// quoted fields, US-style timestamps), five East Java applicants. Row 3 (the
// second response, Pak Kholil) has a NIK of 15 digits: a digit was lost.
// "Catatan Lain" is a question the importer does not know.
const formCSV = `Timestamp,Nama Pemilik,NIK,Nama Usaha,NIB,Alamat Usaha,Kabupaten/Kota,No. WhatsApp,Email,Kategori Produk,Nama Produk,Harga Jual,Isi Bersih/Netto,Kemasan,Masa Simpan (hari),No. P-IRT,No. Sertifikat Halal,Komposisi,Catatan Lain
2/3/2023 9:15:02,Sri Wahyuni,3573054107850003,Keripik Tempe Sanan Bu Sri,9120301234567,"Jl. Sanan No. 12, Purwantoro, Blimbing",Kota Malang,0852-3310-0202,sri.wahyuni@gmail.com,Makanan ringan,Keripik Tempe Original 250 g,Rp 25.000,250 g,Standing pouch,6 bulan,2063573010234-28,ID35110000123450724,"Tempe, minyak sawit, bawang putih, garam",
2/3/2023 11:20:10,Moh. Kholil,352601120379000,Batik Tulis Tanjung Bumi,8120203456789,"Ds. Telaga Biru, Tanjung Bumi",Kab. Bangkalan,081937700303,,Batik,Kain Batik Gentongan,850000,200 x 115 cm,Kotak,,-,-,,sudah ikut pameran
2/3/2023 13:01:44,Endah Puspitasari,3577026308900001,Sambal Pecel Mbak Endah,9120509876543,Jl. Pahlawan 48,Madiun (Kota),+62 857-5512-3987,,Makanan,Sambal Pecel Pedas 250 g,18.000,250 g,Plastik klip,120,2103577010078-30,,"Kacang tanah, cabai, gula merah",pedas sekali
3/3/2023 8:05:00,Dewi Lestari,3519045402920002,Brem Caruban Dewi,8120105678901,"Ds. Kaliabu, Mejayan",Kabupaten Madiun,081330441122,dewi.brem@yahoo.co.id,Makanan,Brem Padat isi 10,15000,150 g,Kotak karton,90,3103519020045-29,tidak ada,"Beras ketan, ragi",
3/3/2023 9:45:30,Ahmad Fauzi,3511103001880006,Kopi Ijen Raung,9120601122334,"Ds. Sukosari Lor, Sukosari",Bondowoso,087755667788,,Minuman,Kopi Arabika Ijen 200 g,55000,200 g,Pouch kraft,1 tahun,2033511010056-30,,Kopi arabika sangrai,
`

type world struct {
	d     *db.DB
	im    *importer.Importer
	clerk account.User
}

func newWorld(t testing.TB, d *db.DB) world {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, workday.WIB) // Monday
	d.Now = func() time.Time { return now }
	a := apptest.New(t, d)
	clerk, err := a.Accounts.Create(ctx, account.NewUser{Name: "Siti", Email: "siti@galeri.id", Role: role.StafGaleri, Password: "batik tulis madura"})
	if err != nil {
		t.Fatal(err)
	}
	return world{d: d, clerk: clerk, im: a.Importer}
}

func (w world) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.Q(context.Background()).QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// snapshot counts every table an import writes to.
func (w world) snapshot(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"users", "businesses", "products", "applications", "application_products", "application_events", "audit_log", "counters"} {
		out[table] = w.count(t, "SELECT COUNT(*) FROM "+table)
	}
	return out
}

func read(t *testing.T, s string) importer.Table {
	t.Helper()
	tbl, err := importer.Read(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestABadNIKOnRow3IsNamedRefusedWithNothingWrittenAndTheOtherRowsImportWhenItIsSkipped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		tbl := read(t, formCSV)
		before := w.snapshot(t)

		rep, err := w.im.DryRun(ctx, w.clerk, tbl, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 5 || rep.Ready != 4 || len(rep.Problems) != 1 {
			t.Fatalf("dry run: %+v", rep)
		}
		if p := rep.Problems[0]; p.Row != 3 || p.Column != "NIK" || !strings.Contains(p.Text.ID, "16") {
			t.Fatalf("problem %+v, want row 3, column NIK, saying a NIK has 16 digits", p)
		}
		if !slices.Equal(rep.Unknown, []string{"Catatan Lain"}) {
			t.Fatalf("ignored columns %q, want only Catatan Lain", rep.Unknown)
		}
		if len(rep.Created) != 4 || rep.NewAccounts() != 4 || len(rep.Imported) != 0 {
			t.Fatalf("a dry run says what it would create, without numbers: %+v", rep.Created)
		}
		if got := w.snapshot(t); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Fatalf("the dry run wrote:\nbefore %v\nafter  %v", before, got)
		}

		rep, err = w.im.Run(ctx, w.clerk, tbl, nil)
		if !apperr.IsKind(err, apperr.Invalid) || !strings.Contains(err.Error(), "3") {
			t.Fatalf("a real run with a bad row: %v, want a refusal naming row 3", err)
		}
		if len(rep.Problems) != 1 || rep.Problems[0].Row != 3 || len(rep.Imported) != 0 {
			t.Fatalf("refused run's report: %+v", rep)
		}
		if got := w.snapshot(t); fmt.Sprint(got) != fmt.Sprint(before) {
			t.Fatalf("the refused run wrote:\nbefore %v\nafter  %v", before, got)
		}

		rep, err = w.im.Run(ctx, w.clerk, tbl, []int{3})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Ready != 4 || rep.Skipped != 1 || len(rep.Imported) != 4 || len(rep.Problems) != 0 {
			t.Fatalf("run skipping row 3: %+v", rep)
		}
		after := w.snapshot(t)
		if after["users"] != before["users"]+4 || after["businesses"] != 4 || after["products"] != 4 || after["applications"] != 4 {
			t.Fatalf("after the import: %v", after)
		}
		page, err := w.im.Applications.List(ctx, application.Filter{})
		apps := page.Items
		if err != nil || len(apps) != 4 {
			t.Fatalf("%d applications (%v), want 4", len(apps), err)
		}
		for _, a := range apps {
			if a.State != sop.Draft || a.Source != application.Import || !slices.Contains(rep.Imported, a.Number) {
				t.Errorf("imported application %+v", a)
			}
		}
		// Each created object is audited by its service; the import adds where
		// each application came from.
		for action, want := range map[string]int{"user.create": 1 + 4, // the clerk and the four
			"business.create": 4, "product.create": 4, "application.create": 4, "application.import": 4} {
			if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = ?", action); n != want {
				t.Errorf("%d audit records %s, want %d", n, action, want)
			}
		}
		if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'application.import' AND summary LIKE '%baris 2%' AND after_data LIKE '%2/3/2023 9:15:02%'"); n != 1 {
			t.Errorf("the import's audit record names the row and the time of the answer: %d", n)
		}

		// What the clerk would check of one applicant: Endah, row 4.
		u, err := w.im.Accounts.ByLogin(ctx, "085755123987")
		if err != nil || !u.MustChangePassword || u.Role != role.Pemohon || u.Name != "Endah Puspitasari" {
			t.Fatalf("imported applicant account: %+v %v", u, err)
		}
		if h := w.passwordHash(t, u.ID); h != account.Unusable {
			t.Fatalf("the imported account's password hash is %q, want %q (no password opens it)", h, account.Unusable)
		}
		b, err := w.im.Applicants.ByOwner(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		ps, _ := w.im.Applicants.Products(ctx, b.ID)
		if b.RegencyCode != "3577" || b.ProvinceCode != "35" || b.NIKMasked != "3577********0001" || b.NIB != "9120509876543" ||
			b.WhatsApp != "+6285755123987" || b.Category != "Makanan" {
			t.Fatalf("imported business %+v", b)
		}
		if len(ps) != 1 || ps[0].Price != 18000 || ps[0].PIRT != "P-IRT No. 2103577010078-30" || ps[0].ShelfLifeDays != 120 ||
			ps[0].Composition != "Kacang tanah, cabai, gula merah" {
			t.Fatalf("imported products %+v", ps)
		}
		// Sri: "6 bulan" is 180 days, "Rp 25.000" is 25000, Kota Malang is 3573.
		sri, _ := w.im.Accounts.ByLogin(ctx, "sri.wahyuni@gmail.com")
		b, _ = w.im.Applicants.ByOwner(ctx, sri.ID)
		ps, _ = w.im.Applicants.Products(ctx, b.ID)
		if b.RegencyCode != "3573" || len(ps) != 1 || ps[0].ShelfLifeDays != 180 || ps[0].Price != 25000 || ps[0].Halal != "ID35110000123450724" {
			t.Fatalf("Sri's business %+v products %+v", b, ps)
		}
		// Fauzi: "Bondowoso" is a regency only; "1 tahun" is 365 days.
		fauzi, _ := w.im.Accounts.ByLogin(ctx, "087755667788")
		b, _ = w.im.Applicants.ByOwner(ctx, fauzi.ID)
		ps, _ = w.im.Applicants.Products(ctx, b.ID)
		if b.RegencyCode != "3511" || b.Category != "Minuman" || len(ps) != 1 || ps[0].ShelfLifeDays != 365 {
			t.Fatalf("Fauzi's business %+v products %+v", b, ps)
		}

		// The same file again: the four now have an application in progress.
		rep, err = w.im.DryRun(ctx, w.clerk, tbl, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Ready != 0 || len(rep.Problems) != 5 {
			t.Fatalf("a second import: %+v", rep)
		}
		for _, p := range rep.Problems {
			if p.Row != 3 && !strings.Contains(p.Text.ID, "sudah punya permohonan berjalan") {
				t.Errorf("row %d: %s", p.Row, p.Text.ID)
			}
		}
	})
}

func (w world) passwordHash(t *testing.T, id int64) string {
	var h string
	if err := w.d.Q(context.Background()).QueryRowContext(context.Background(), "SELECT password_hash FROM users WHERE id = ?", id).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

// An XLSX as Google Sheets or Excel saves it: the NIK, NIB and WhatsApp number
// typed into cells as numbers (the leading 0 of the phone lost), the timestamp
// a date, the price a number, a title row in English.
func TestXLSXWithNumbersForIdentifiersAndADateTimestamp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		f := excelize.NewFile()
		rows := [][]any{
			{"Timestamp", "Full name", "NIK (Nomor Induk Kependudukan)", "Business name", "NIB", "Regency/City", "WhatsApp number", "Email address", "Product name", "Price (Rp)", "Shelf life (days)", "P-IRT"},
			{time.Date(2023, 2, 3, 9, 15, 2, 0, time.UTC), "Sri Wahyuni", 3573054107850003, "Keripik Tempe Sanan Bu Sri", 9120301234567, "Kota Malang", 85233100202, "sri.wahyuni@gmail.com", "Keripik Tempe 250 g", 25000, 180, "2063573010234-28"},
			{time.Date(2023, 2, 4, 10, 0, 0, 0, time.UTC), "Wahyu Hidayat", 3571011203800004, "Sale Pisang Gulung Kediri", 8120601234321, "Kediri (Kota)", 81233344455, nil, "Sale Pisang Gulung", 20000, 90, nil},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
				t.Fatal(err)
			}
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		tbl, err := importer.Read(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if tbl.Rows[0][2] != "3573054107850003" || tbl.Rows[0][6] != "85233100202" {
			t.Fatalf("numbers read as %q and %q, want every digit", tbl.Rows[0][2], tbl.Rows[0][6])
		}
		rep, err := w.im.Run(ctx, w.clerk, tbl, nil)
		if err != nil {
			t.Fatalf("%v %+v", err, rep.Problems)
		}
		if rep.Ready != 2 || len(rep.Unknown) != 0 {
			t.Fatalf("report %+v", rep)
		}
		u, err := w.im.Accounts.ByLogin(ctx, "+6285233100202")
		if err != nil || u.Email != "sri.wahyuni@gmail.com" {
			t.Fatalf("Sri's account %+v %v", u, err)
		}
		b, _ := w.im.Applicants.ByOwner(ctx, u.ID)
		if b.NIKMasked != "3573********0003" || b.NIB != "9120301234567" || b.RegencyCode != "3573" {
			t.Fatalf("Sri's business %+v", b)
		}
		if n := w.count(t, "SELECT COUNT(*) FROM audit_log WHERE action = 'application.import' AND after_data LIKE '%2023-02-03 09:15:02%'"); n != 1 {
			t.Errorf("the answer's date, read from the cell's serial number, is not in the audit trail (%d)", n)
		}
		u, _ = w.im.Accounts.ByLogin(ctx, "081233344455")
		b, _ = w.im.Applicants.ByOwner(ctx, u.ID)
		if b.RegencyCode != "3571" {
			t.Fatalf("Kediri (Kota): %+v", b)
		}
	})
}

// Excel in an Indonesian locale saves CSV with semicolons, and "CSV UTF-8"
// with a byte-order mark; Windows line ends.
func TestSemicolonCSVWithBOM(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		semi := "\ufeffStempel waktu;Nama Pemilik;Nama Usaha;Alamat email;No. WhatsApp;Kabupaten/Kota;Nama Produk;Harga Jual\r\n" +
			"03/02/2023 09.15.02;Siti Aminah;Tape Singkong Bu Siti;siti.aminah@gmail.com;0812 3334 4466;Kab. Bondowoso;\"Tape; singkong 500 g\";12.500\r\n" +
			"03/02/2023 10.02.11;Rudi Hartono;Kerupuk Udang Sidoarjo;;081233344477;Sidoarjo;Kerupuk Udang 250 g;30.000\r\n"
		tbl := read(t, semi)
		if tbl.Header[0] != "Stempel waktu" || len(tbl.Header) != 8 || tbl.Rows[0][6] != "Tape; singkong 500 g" {
			t.Fatalf("semicolon CSV with BOM read as %q / %q", tbl.Header, tbl.Rows[0])
		}
		rep, err := w.im.Run(ctx, w.clerk, tbl, nil)
		if err != nil || rep.Ready != 2 {
			t.Fatalf("%+v %v", rep, err)
		}
		u, _ := w.im.Accounts.ByLogin(ctx, "081233344477")
		b, _ := w.im.Applicants.ByOwner(ctx, u.ID)
		ps, _ := w.im.Applicants.Products(ctx, b.ID)
		if b.RegencyCode != "3515" || len(ps) != 1 || ps[0].Price != 30000 {
			t.Fatalf("Rudi's business %+v products %+v", b, ps)
		}
	})
}

// The titles a form's owner may have written: the import knows them all and
// fills the same fields.
func TestHeaderAliases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		csv := "Cap waktu,NAMA LENGKAP PEMILIK (sesuai KTP),Nomor Induk Kependudukan (NIK),Nama UMKM,NIB (Nomor Induk Berusaha),Alamat Lengkap Usaha," +
			"Kota/Kabupaten,Nomor WhatsApp yang aktif,E-mail,Jenis Produk,Produk Unggulan,Harga (Rp),Berat Bersih,Jenis Kemasan,Daya Simpan,Nomor SPP-IRT,Sertifikat Halal,Bahan Baku,Upload Foto Produk\n" +
			"3/2/2023,Lilik Suryani,3578156509870002,Dapur Bu Lilik,9120304455667,Jl. Rungkut Madya 10,Kota Surabaya,081357900111,lilik@dapur.id,Kue kering,Nastar Nanas 500 g,85.000,500 g,Toples,30 hari,2073578010099-29,Ya,\"Tepung, mentega, nanas\",https://drive.google.com/open?id=abc\n"
		tbl := read(t, csv)
		rep, err := w.im.Run(ctx, w.clerk, tbl, nil)
		if err != nil {
			t.Fatalf("%v %+v", err, rep.Problems)
		}
		if !slices.Equal(rep.Unknown, []string{"Upload Foto Produk"}) {
			t.Fatalf("unknown columns %q", rep.Unknown)
		}
		// "Ya" in the halal column is a claim without a number: imported
		// empty, with a warning at its column.
		if len(rep.Warnings) != 1 || rep.Warnings[0].Row != 2 || rep.Warnings[0].Column != "Sertifikat Halal" {
			t.Fatalf("warnings %+v", rep.Warnings)
		}
		u, _ := w.im.Accounts.ByLogin(ctx, "lilik@dapur.id")
		b, _ := w.im.Applicants.ByOwner(ctx, u.ID)
		ps, _ := w.im.Applicants.Products(ctx, b.ID)
		if b.OwnerName != "Lilik Suryani" || b.NIKMasked != "3578********0002" || b.NIB != "9120304455667" || b.RegencyCode != "3578" ||
			b.Address != "Jl. Rungkut Madya 10" || b.Category != "Makanan" {
			t.Fatalf("business %+v", b)
		}
		if len(ps) != 1 || ps[0].Name != "Nastar Nanas 500 g" || ps[0].Price != 85000 || ps[0].NetContent != "500 g" || ps[0].Packaging != "Toples" ||
			ps[0].ShelfLifeDays != 30 || ps[0].PIRT != "P-IRT No. 2073578010099-29" || ps[0].Composition != "Tepung, mentega, nanas" {
			t.Fatalf("products %+v", ps)
		}
	})
}

// A row with several mistakes gets them all at once, each at its column: the
// clerk fixes the file in one pass.
func TestEveryProblemOfARowIsReportedInOnePass(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		csv := "Nama Pemilik,NIK,Nama Usaha,NIB,Kabupaten/Kota,No. WhatsApp,Email,Nama Produk,Harga Jual,No. P-IRT\n" +
			"Joko,35730541078500,Jamu Gendong Joko,912030123456,Malang,0341-551234,joko@,Beras Kencur,sepuluh ribu,KH.123\n" +
			",,,,,,,,,\n" +
			",,Tanpa Nama,,,,,,,\n"
		rep, err := w.im.DryRun(context.Background(), w.clerk, read(t, csv), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range rep.Problems {
			got[fmt.Sprintf("%d %s", p.Row, p.Column)] = true
		}
		for _, want := range []string{"2 NIK", "2 NIB", "2 Kabupaten/Kota", "2 No. WhatsApp", "2 Email", "2 Harga Jual", "2 No. P-IRT",
			"4 Nama Pemilik", "4 Nama Produk"} {
			if !got[want] {
				t.Errorf("no problem at row %s; problems: %+v", want, rep.Problems)
			}
		}
		if rep.Skipped != 1 || rep.Ready != 0 {
			t.Errorf("the blank row 3 is skipped: %+v", rep)
		}
		for _, p := range rep.Problems {
			if p.Column == "Kabupaten/Kota" && !strings.Contains(p.Text.ID, "Kota Malang") {
				t.Errorf("the ambiguous Malang should say how to write it: %s", p.Text.ID)
			}
		}
	})
}

func TestAnApplicantWithAnApplicationInProgressOrTwiceInTheFileIsAProblem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		// Sri registered online last week and has a draft.
		sri, err := w.im.Accounts.Register(ctx, account.NewUser{Name: "Sri Wahyuni", Phone: "085233100202", Password: "keripik tempe sanan"})
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := w.im.Applicants.Save(ctx, sri, sri.ID, applicant.BusinessInput{Name: "Keripik Tempe Sanan Bu Sri", OwnerName: "Sri Wahyuni"})
		if err != nil {
			t.Fatal(err)
		}
		p, _, _ := w.im.Applicants.SaveProduct(ctx, sri, b.ID, 0, applicant.ProductInput{Name: "Keripik Tempe 250 g"})
		draft, err := w.im.Applications.CreateDraft(ctx, sri, b.ID, []int64{p.ID}, application.Online)
		if err != nil {
			t.Fatal(err)
		}
		csv := "Nama Pemilik,Nama Usaha,No. WhatsApp,Email,Nama Produk\n" +
			"Sri Wahyuni,Keripik Tempe Sanan,085233100202,,Keripik Tempe Pedas\n" +
			"Agus Salim,Kerupuk Ikan Lamongan,081211112222,agus@kerupuk.id,Kerupuk Ikan Tengiri\n" +
			"Agus Salim,Kerupuk Ikan Lamongan,,AGUS@kerupuk.id,Kerupuk Udang\n"
		rep, err := w.im.DryRun(ctx, w.clerk, read(t, csv), nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Ready != 1 || len(rep.Problems) != 2 {
			t.Fatalf("report %+v", rep)
		}
		if p := rep.Problems[0]; p.Row != 2 || p.Column != "No. WhatsApp" || !strings.Contains(p.Text.ID, "sudah punya permohonan berjalan") || !strings.Contains(p.Text.ID, draft.Number) {
			t.Errorf("row 2: %+v", p)
		}
		if p := rep.Problems[1]; p.Row != 4 || p.Column != "Email" || !strings.Contains(p.Text.ID, "baris 3") {
			t.Errorf("row 4: %+v", p)
		}
		// Once Sri's draft is withdrawn she may apply again: the import reuses
		// her account and business and adds the product.
		if _, err := w.im.Applications.Do(ctx, sri, draft.ID, sop.Withdraw, "salah isi"); err != nil {
			t.Fatal(err)
		}
		rep, err = w.im.Run(ctx, w.clerk, read(t, csv), []int{4})
		if err != nil {
			t.Fatalf("%v %+v", err, rep.Problems)
		}
		if len(rep.Created) != 2 || rep.Created[0].NewAccount || !rep.Created[1].NewAccount || rep.Created[0].Login != "+6285233100202" {
			t.Fatalf("created %+v", rep.Created)
		}
		ps, _ := w.im.Applicants.Products(ctx, b.ID)
		if len(ps) != 2 {
			t.Fatalf("Sri's products %+v", ps)
		}
		if b2, _ := w.im.Applicants.ByOwner(ctx, sri.ID); b2.Name != "Keripik Tempe Sanan Bu Sri" {
			t.Fatalf("the import overwrote the profile Sri keeps: %+v", b2)
		}
	})
}

func TestFilesTheImportRefuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ctx := context.Background()
		_, err := w.im.DryRun(ctx, w.clerk, read(t, "Nama Pemilik,Alamat,No. WhatsApp\nSri,Jl. Sanan,0852\n"), nil)
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || !strings.Contains(e.Text.ID, "Nama Usaha") || !strings.Contains(e.Text.ID, "Nama Produk") {
			t.Fatalf("a file without the required columns: %v", err)
		}
		tbl := read(t, formCSV)
		if _, err := w.im.Run(ctx, w.clerk, tbl, []int{1}); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("skipping the header row: %v", err)
		}
		if _, err := w.im.Run(ctx, w.clerk, tbl, []int{30}); !apperr.IsKind(err, apperr.Invalid) {
			t.Fatalf("skipping a row that does not exist: %v", err)
		}
		curator := account.User{ID: 99, Role: role.Kurator}
		if _, err := w.im.DryRun(ctx, curator, tbl, nil); !apperr.IsKind(err, apperr.Forbidden) {
			t.Fatalf("a curator importing: %v", err)
		}
	})
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     string
		header []string
		first  []string
		err    string
	}{
		{"comma", "a,b\n1,2\n", []string{"a", "b"}, []string{"1", "2"}, ""},
		{"tab", "a\tb\n1\t2\n", []string{"a", "b"}, []string{"1", "2"}, ""},
		{"semicolon beats a comma inside quotes", "\"a,x\";b\n1;2\n", []string{"a,x", "b"}, []string{"1", "2"}, ""},
		{"utf-16 with BOM", "\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00", []string{"a", "b"}, []string{"1", "2"}, ""},
		{"windows-1252", "Nama,Kota\nJos\xe9 \x96 Gresik,Gresik\n", []string{"Nama", "Kota"}, []string{"José – Gresik", "Gresik"}, ""},
		{"title cells tidied", "\"Masa Simpan\n(hari)\", Nama  Usaha \n1,2\n", []string{"Masa Simpan (hari)", "Nama Usaha"}, []string{"1", "2"}, ""},
		{"trailing blank rows", "a,b\n1,2\n,\n\n", []string{"a", "b"}, []string{"1", "2"}, ""},
		{"header only", "a,b\n", nil, nil, "import.empty"},
		{"empty", "", nil, nil, "import.empty"},
		{"first row blank", ",\na,b\n1,2\n", nil, nil, "import.no_header"},
		{"old excel", "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", nil, nil, "import.xls"},
		{"broken zip", "PK\x03\x04garbage", nil, nil, "import.unreadable"},
		{"binary", "%PDF-1.4\x00\x00\x01", nil, nil, "import.unreadable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tbl, err := importer.Read(strings.NewReader(c.in))
			if c.err != "" {
				if e, ok := apperr.As(err); !ok || e.Code != c.err {
					t.Fatalf("err %v, want %s", err, c.err)
				}
				return
			}
			if err != nil || !slices.Equal(tbl.Header, c.header) || !slices.Equal(tbl.Rows[0], c.first) {
				t.Fatalf("got %q %q %v", tbl.Header, tbl.Rows, err)
			}
		})
	}
	xl := excelize.NewFile()
	_ = xl.SetSheetRow("Sheet1", "A1", &[]any{"Nama Pemilik", "Nama Usaha"})
	_ = xl.SetSheetRow("Sheet1", "A2", &[]any{"Sri", "Keripik"})
	_ = xl.SetCellValue("Sheet1", "C1048576", "nyasar")
	var buf bytes.Buffer
	_ = xl.Write(&buf)
	if _, err := importer.Read(&buf); err == nil || !strings.Contains(err.Error(), "baris 1048576") {
		t.Fatalf("a stray cell in the last row of the sheet: %v", err)
	}
	var many strings.Builder
	many.WriteString("a\n")
	for i := range importer.MaxRows + 1 {
		fmt.Fprintf(&many, "%d\n", i)
	}
	if _, err := importer.Read(strings.NewReader(many.String())); !apperr.IsKind(err, apperr.Invalid) {
		t.Fatalf("%d rows: %v", importer.MaxRows+1, err)
	}
}

func TestRegencyCode(t *testing.T) {
	for in, want := range map[string]string{
		"Kota Malang": "3573", "Malang (Kota)": "3573", "KOTA MALANG": "3573", "Kota Malang, Jawa Timur": "3573",
		"Kab. Malang": "3507", "Kabupaten Malang": "3507", "Kab Malang": "3507", "Kab.Malang": "3507", "Malang (Kab.)": "3507",
		"Surabaya": "3578", "Kota Surabaya": "3578", "Batu": "3579", "Sidoarjo": "3515", "Bondowoso": "3511", "Kab. Bangkalan": "3526",
		"3573": "3573", "Kotamadya Madiun": "3577", "Madiun": "", "Malang": "", "Kab/Kota Malang": "", "Kabupaten Batu": "",
		"Bandung": "", "-": "", "Kab.": "",
	} {
		code, why, ok := importer.RegencyCode(in)
		if code != want || ok != (want != "") || (!ok && why.ID == "") {
			t.Errorf("RegencyCode(%q) = %q, %v, %q; want %q", in, code, ok, why.ID, want)
		}
	}
	if _, why, _ := importer.RegencyCode("Malang"); !strings.Contains(why.ID, "Kota Malang") || !strings.Contains(why.ID, "Kabupaten Malang") {
		t.Errorf("ambiguous Malang: %s", why.ID)
	}
}

func FuzzRead(f *testing.F) {
	f.Add([]byte(formCSV))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("a;b\n\"x;y\n"))
	f.Add([]byte("\xff\xfea\x00"))
	xl := excelize.NewFile()
	_ = xl.SetSheetRow("Sheet1", "A1", &[]any{"Nama Pemilik", "NIK", 3573054107850003, 1.5e300, time.Now()})
	var buf bytes.Buffer
	_ = xl.Write(&buf)
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		tbl, err := importer.Read(bytes.NewReader(b))
		if err != nil {
			if !apperr.IsKind(err, apperr.Invalid) {
				t.Fatalf("an unreadable file must be the user's to fix, not a server error: %v", err)
			}
			return
		}
		if len(tbl.Rows) == 0 || len(tbl.Rows) > importer.MaxRows || blank(tbl.Header) {
			t.Fatalf("accepted a table of %d rows, header %q", len(tbl.Rows), tbl.Header)
		}
	})
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

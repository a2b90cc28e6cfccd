// Package importer brings the Office's old Google Form responses (exported as
// CSV or XLSX) into Etalase as draft applications, so the history of the form
// at bit.ly/fasilitasipemasaran is not lost. One row is one applicant: an account
// (found by WhatsApp number or e-mail, else created), the business, one product
// and a draft application.
//
// A dry run checks every row with the same rules as the online form and writes
// nothing. The real run refuses while any row it would import has a problem, and
// then imports all rows in one transaction: nothing is ever half-imported.
package importer

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
)

// Table is a spreadsheet as read: the header row and the rows under it.
type Table struct {
	Header []string
	Rows   [][]string
}

// MaxRows bounds one import: the old form had a few hundred responses.
const MaxRows = 5000

// Read reads a CSV (comma or semicolon, UTF-8 with or without BOM) or an XLSX
// file, recognised by content, not by name.
func Read(r io.Reader) (Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, 20<<20+1))
	if err != nil {
		return Table{}, err
	}
	if len(data) > 20<<20 {
		return Table{}, apperr.New(apperr.Invalid, "import.too_large", "Berkas terlalu besar (maksimal 20 MB).", "The file is too large (20 MB at most).")
	}
	var rows [][]string
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return Table{}, errUnreadable
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return Table{}, errUnreadable
		}
		if rows, err = f.GetRows(sheets[0]); err != nil {
			return Table{}, errUnreadable
		}
	} else {
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
		first, _, _ := bytes.Cut(data, []byte("\n"))
		cr := csv.NewReader(bytes.NewReader(data))
		if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
			cr.Comma = ';'
		}
		cr.FieldsPerRecord = -1
		cr.LazyQuotes = true
		if rows, err = cr.ReadAll(); err != nil {
			return Table{}, errUnreadable
		}
	}
	for len(rows) > 0 && blank(rows[len(rows)-1]) {
		rows = rows[:len(rows)-1]
	}
	if len(rows) < 2 {
		return Table{}, apperr.New(apperr.Invalid, "import.empty", "Berkas tidak berisi jawaban: perlu baris judul kolom dan minimal satu baris data.", "The file holds no responses: it needs a header row and at least one data row.")
	}
	if len(rows)-1 > MaxRows {
		return Table{}, apperr.New(apperr.Invalid, "import.too_many", fmt.Sprintf("Terlalu banyak baris (maksimal %d); bagi berkasnya.", MaxRows), fmt.Sprintf("Too many rows (%d at most); split the file.", MaxRows))
	}
	return Table{Header: rows[0], Rows: rows[1:]}, nil
}

var errUnreadable = apperr.New(apperr.Invalid, "import.unreadable",
	"Berkas tidak dapat dibaca. Unduh jawaban Google Form sebagai CSV atau XLSX, lalu unggah berkas itu.",
	"The file cannot be read. Download the Google Form responses as CSV or XLSX and upload that file.")

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// field is a value the import understands, with the column names it is known by.
type field string

const (
	fOwner       field = "owner_name"
	fNIK         field = "nik"
	fBusiness    field = "business_name"
	fNIB         field = "nib"
	fAddress     field = "address"
	fRegency     field = "regency"
	fWhatsApp    field = "whatsapp"
	fEmail       field = "email"
	fCategory    field = "category"
	fProduct     field = "product_name"
	fPrice       field = "price"
	fNetContent  field = "net_content"
	fPackaging   field = "packaging"
	fShelfLife   field = "shelf_life"
	fPIRT        field = "pirt"
	fHalal       field = "halal"
	fComposition field = "composition"
	fTimestamp   field = "timestamp"
)

// aliases are the column titles seen in the Office's form exports, Indonesian
// and English, compared without case, spaces or punctuation.
var aliases = map[field][]string{
	fTimestamp:   {"timestamp", "stempel waktu", "cap waktu"},
	fOwner:       {"nama pemilik", "nama lengkap", "nama pemohon", "nama pemilik usaha", "owner name", "name"},
	fNIK:         {"nik", "nik ktp", "nomor ktp", "no ktp", "nik pemilik"},
	fBusiness:    {"nama usaha", "nama ukm", "nama umkm", "nama perusahaan", "business name"},
	fNIB:         {"nib", "no nib", "nomor nib", "nomor induk berusaha"},
	fAddress:     {"alamat usaha", "alamat", "alamat lengkap", "address"},
	fRegency:     {"kabupaten kota", "kabupaten/kota", "kota kabupaten", "kab kota", "asal kabupaten kota", "domisili", "regency", "city"},
	fWhatsApp:    {"no whatsapp", "nomor whatsapp", "no wa", "nomor wa", "whatsapp", "no hp", "nomor hp", "no hp wa", "telepon", "phone"},
	fEmail:       {"email", "e mail", "alamat email", "email address"},
	fCategory:    {"kategori produk", "kategori", "jenis produk", "category"},
	fProduct:     {"nama produk", "produk", "product name"},
	fPrice:       {"harga jual", "harga", "harga produk", "price"},
	fNetContent:  {"isi bersih netto", "isi bersih", "netto", "berat bersih", "net content"},
	fPackaging:   {"kemasan", "jenis kemasan", "packaging"},
	fShelfLife:   {"masa simpan hari", "masa simpan", "daya tahan", "shelf life"},
	fPIRT:        {"no p irt", "no pirt", "nomor pirt", "nomor p irt", "p irt", "pirt", "spp irt"},
	fHalal:       {"no sertifikat halal", "nomor sertifikat halal", "sertifikat halal", "halal"},
	fComposition: {"komposisi", "bahan", "composition", "ingredients"},
}

var required = []field{fOwner, fBusiness, fProduct}

func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// columns maps the header to fields; unknown titles are returned to be reported.
func columns(header []string) (map[field]int, []string) {
	index := map[string]field{}
	for f, names := range aliases {
		for _, n := range names {
			index[squash(n)] = f
		}
	}
	cols := map[field]int{}
	var unknown []string
	for i, h := range header {
		f, ok := index[squash(h)]
		if !ok {
			if strings.TrimSpace(h) != "" {
				unknown = append(unknown, strings.TrimSpace(h))
			}
			continue
		}
		if _, dup := cols[f]; !dup {
			cols[f] = i
		}
	}
	return cols, unknown
}

// Problem is one thing wrong with one row.
type Problem struct {
	Row    int // as the spreadsheet numbers it: the header is row 1
	Column string
	Text   i18n.Text
}

// Report says what an import found or did.
type Report struct {
	Rows     int
	Ready    int // rows without problems (imported, after a real run)
	Skipped  int
	Problems []Problem
	Unknown  []string // columns that were ignored
	Imported []string // application numbers created (real run)
}

// Importer imports through the same services as the online form.
type Importer struct {
	DB         *db.DB
	Accounts   *account.Service
	Applicants *applicant.Service
	Intake     *intake.Service
}

// errDryRun rolls the dry run's transaction back.
var errDryRun = errors.New("dry run")

// DryRun checks every row as an import would, and writes nothing.
func (im *Importer) DryRun(ctx context.Context, actor account.User, t Table) (Report, error) {
	return im.run(ctx, actor, t, nil, false)
}

// Run imports the rows not in skip (spreadsheet row numbers). It refuses, and
// writes nothing, while any of those rows has a problem.
func (im *Importer) Run(ctx context.Context, actor account.User, t Table, skip []int) (Report, error) {
	return im.run(ctx, actor, t, skip, true)
}

func (im *Importer) run(ctx context.Context, actor account.User, t Table, skip []int, commit bool) (Report, error) {
	if actor.Role != role.StafGaleri {
		return Report{}, apperr.New(apperr.Forbidden, "import.role", "Hanya staf galeri yang dapat mengimpor.", "Only gallery staff may import.")
	}
	cols, unknown := columns(t.Header)
	rep := Report{Rows: len(t.Rows), Unknown: unknown}
	var missing []string
	for _, f := range required {
		if _, ok := cols[f]; !ok {
			missing = append(missing, aliases[f][0])
		}
	}
	_, hasWA := cols[fWhatsApp]
	_, hasEmail := cols[fEmail]
	if !hasWA && !hasEmail {
		missing = append(missing, "No. WhatsApp / Email")
	}
	if len(missing) > 0 {
		return rep, apperr.New(apperr.Invalid, "import.columns",
			"Kolom wajib tidak ditemukan: "+strings.Join(missing, ", ")+". Periksa baris judul berkas.",
			"Required columns not found: "+strings.Join(missing, ", ")+". Check the file's header row.")
	}
	skipped := map[int]bool{}
	for _, r := range skip {
		skipped[r] = true
	}
	err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		for i, row := range t.Rows {
			n := i + 2
			if skipped[n] {
				rep.Skipped++
				continue
			}
			if blank(row) {
				rep.Skipped++
				continue
			}
			// Each row in a savepoint: a row that fails half-way leaves nothing, and
			// the others can still be checked in the same transaction.
			if _, err := tx.ExecContext(ctx, "SAVEPOINT import_row"); err != nil {
				return err
			}
			number, probs, err := im.row(ctx, actor, cols, t.Header, row, n)
			if err != nil {
				return fmt.Errorf("row %d: %w", n, err)
			}
			if len(probs) > 0 {
				rep.Problems = append(rep.Problems, probs...)
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_row"); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT import_row"); err != nil {
				return err
			}
			rep.Ready++
			rep.Imported = append(rep.Imported, number)
		}
		if !commit {
			return errDryRun
		}
		if len(rep.Problems) > 0 {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
		if commit {
			err = apperr.New(apperr.Invalid, "import.has_problems",
				fmt.Sprintf("Tidak ada yang diimpor: %d baris masih bermasalah. Perbaiki berkasnya, atau lewati baris itu dengan sengaja.", rowsWithProblems(rep)),
				fmt.Sprintf("Nothing was imported: %d rows still have problems. Fix the file, or skip those rows deliberately.", rowsWithProblems(rep)))
		}
		if !commit || len(rep.Problems) > 0 {
			rep.Imported = nil
		}
	}
	return rep, err
}

func rowsWithProblems(r Report) int {
	rows := map[int]bool{}
	for _, p := range r.Problems {
		rows[p.Row] = true
	}
	return len(rows)
}

// row imports one row, or says what is wrong with it.
func (im *Importer) row(ctx context.Context, actor account.User, cols map[field]int, header, row []string, n int) (string, []Problem, error) {
	get := func(f field) string {
		if i, ok := cols[f]; ok && i < len(row) {
			return strings.TrimSpace(row[i])
		}
		return ""
	}
	colName := func(f field) string {
		if i, ok := cols[f]; ok {
			return header[i]
		}
		return string(f)
	}
	var probs []Problem
	add := func(f field, t i18n.Text) { probs = append(probs, Problem{Row: n, Column: colName(f), Text: t}) }
	for _, f := range required {
		if get(f) == "" {
			add(f, i18n.Text{ID: "Wajib diisi.", EN: "Required."})
		}
	}
	if get(fWhatsApp) == "" && get(fEmail) == "" {
		add(fWhatsApp, i18n.Text{ID: "Isi nomor WhatsApp atau e-mail.", EN: "A WhatsApp number or an e-mail is required."})
	}
	regency := ""
	if v := get(fRegency); v != "" {
		code, t, ok := RegencyCode(v)
		if !ok {
			add(fRegency, t)
		}
		regency = code
	}
	if len(probs) > 0 {
		return "", probs, nil
	}
	// The applicant: an existing account with this number or e-mail, else a new
	// one with a random password (they will use "lupa kata sandi"/a reset).
	var owner account.User
	var err error
	for _, login := range []string{get(fWhatsApp), get(fEmail)} {
		if login == "" {
			continue
		}
		if owner, err = im.Accounts.ByLogin(ctx, login); err == nil {
			break
		} else if !apperr.IsKind(err, apperr.NotFound) {
			return "", nil, err
		}
	}
	if owner.ID != 0 && owner.Role != role.Pemohon {
		add(fWhatsApp, i18n.Text{ID: "Nomor/e-mail ini milik akun petugas, bukan pemohon.", EN: "This number/e-mail belongs to a staff account, not an applicant."})
		return "", probs, nil
	}
	if owner.ID == 0 {
		owner, err = im.Accounts.Create(ctx, account.NewUser{Name: get(fOwner), Email: get(fEmail), Phone: get(fWhatsApp), Role: role.Pemohon,
			Password: randomPassword(), MustChangePassword: true})
		if err != nil {
			return "", im.fieldProblems(err, n, map[string]field{"name": fOwner, "email": fEmail, "phone": fWhatsApp}, colName), im.internal(err)
		}
	}
	// An applicant already known keeps the profile they maintain; the old form's
	// answers only fill a new one.
	b, err := im.Applicants.ByOwner(ctx, owner.ID)
	if err != nil && !errors.Is(err, applicant.ErrNotFound) {
		return "", nil, err
	}
	if err != nil {
		b, _, err = im.Applicants.Save(ctx, owner.ID, applicant.BusinessInput{
			Name: get(fBusiness), OwnerName: get(fOwner), NIK: get(fNIK), NIB: get(fNIB), Address: get(fAddress),
			ProvinceCode: idn.EastJava, RegencyCode: regency, WhatsApp: get(fWhatsApp), Email: get(fEmail), Category: category(get(fCategory)),
		})
		if err != nil {
			return "", im.fieldProblems(err, n, map[string]field{"name": fBusiness, "owner_name": fOwner, "nik": fNIK, "nib": fNIB, "address": fAddress,
				"regency_code": fRegency, "whatsapp": fWhatsApp, "email": fEmail}, colName), im.internal(err)
		}
	}
	p, _, err := im.Applicants.SaveProduct(ctx, b.ID, 0, applicant.ProductInput{
		Name: get(fProduct), Category: category(get(fCategory)), Composition: get(fComposition), NetContent: get(fNetContent),
		Packaging: get(fPackaging), ShelfLifeDays: digits(get(fShelfLife)), Price: get(fPrice), PIRT: get(fPIRT), Halal: get(fHalal),
	})
	if err != nil {
		return "", im.fieldProblems(err, n, map[string]field{"name": fProduct, "price": fPrice, "shelf_life_days": fShelfLife, "pirt": fPIRT,
			"halal": fHalal, "net_content": fNetContent, "packaging": fPackaging, "composition": fComposition}, colName), im.internal(err)
	}
	a, err := im.Intake.CreateDraft(ctx, actor, b.ID, []int64{p.ID}, intake.Import)
	if err != nil {
		if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal {
			return "", []Problem{{Row: n, Column: colName(fWhatsApp), Text: e.Text}}, nil
		}
		return "", nil, err
	}
	return a.Number, nil, nil
}

// fieldProblems turns a form's field errors into row problems at their columns.
func (im *Importer) fieldProblems(err error, n int, m map[string]field, colName func(field) string) []Problem {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		return nil
	}
	var out []Problem
	for _, f := range e.Fields {
		col := f.Name
		if fld, ok := m[f.Name]; ok {
			col = colName(fld)
		}
		out = append(out, Problem{Row: n, Column: col, Text: f.Text})
	}
	if len(out) == 0 {
		out = append(out, Problem{Row: n, Text: e.Text})
	}
	return out
}

// internal keeps only errors that are not the user's to fix.
func (im *Importer) internal(err error) error {
	if e, ok := apperr.As(err); ok && e.Kind != apperr.Internal {
		return nil
	}
	return err
}

func randomPassword() string { return rand.Text() }

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if b.Len() > 0 {
			break
		}
	}
	return b.String()
}

// category maps a free-text category to the form's list, or leaves it empty.
func category(s string) string {
	t := squash(s)
	for _, c := range applicant.Categories {
		if t != "" && (squash(c) == t || strings.HasPrefix(squash(c), t)) {
			return c
		}
	}
	switch {
	case strings.Contains(t, "makan") || strings.Contains(t, "snack") || strings.Contains(t, "kuliner") || strings.Contains(t, "food"):
		return "Makanan"
	case strings.Contains(t, "minum") || strings.Contains(t, "kopi") || strings.Contains(t, "drink"):
		return "Minuman"
	case strings.Contains(t, "batik") || strings.Contains(t, "tenun"):
		return "Batik dan tenun"
	case strings.Contains(t, "kriya") || strings.Contains(t, "kerajinan") || strings.Contains(t, "craft"):
		return "Kerajinan"
	case t != "":
		return "Lainnya"
	}
	return ""
}

// RegencyCode finds an East Java regency or city by how people write it:
// "Kota Malang", "Kab. Malang", "Malang (Kota)", "Kabupaten Malang"; plain
// "Malang" names both the city and the regency and is refused as ambiguous.
func RegencyCode(s string) (string, i18n.Text, bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	isCity := strings.Contains(t, "kota")
	isRegency := strings.Contains(t, "kab")
	base := t
	for _, w := range []string{"kabupaten", "kab.", "kab", "kota", "(", ")", ","} {
		base = strings.ReplaceAll(base, w, " ")
	}
	base = squash(base)
	var found []idn.RegencyInfo
	for _, r := range idn.RegenciesOf(idn.EastJava) {
		name := squash(strings.NewReplacer("Kabupaten", "", "Kota", "").Replace(r.Name))
		if name == base && (!isCity || r.City) && (!isRegency || !r.City) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0].Code, i18n.Text{}, true
	case 0:
		return "", i18n.Text{ID: fmt.Sprintf("Kabupaten/kota %q tidak dikenal di Jawa Timur.", s), EN: fmt.Sprintf("Regency/city %q is not known in East Java.", s)}, false
	}
	return "", i18n.Text{ID: fmt.Sprintf("%q bisa Kota atau Kabupaten; tulis \"Kota %s\" atau \"Kabupaten %s\".", s, strings.TrimSpace(s), strings.TrimSpace(s)),
		EN: fmt.Sprintf("%q may be the city or the regency; write \"Kota %s\" or \"Kabupaten %s\".", s, strings.TrimSpace(s), strings.TrimSpace(s))}, false
}

// Package importer brings the Office's old Google Form responses (bit.ly/
// fasilitasipemasaran, exported as CSV or XLSX) into Etalase as draft
// applications: SOP step 2, "import of the existing Google Form responses". One
// row is one applicant: an account (found by WhatsApp number or e-mail, else
// created), the business, one product and a draft application.
//
// Every value goes through the same services, and so the same rules, as the
// online form: applicant.Service.Save and SaveProduct, account.Service.Create,
// application.Service.CreateDraft. Each of them writes its own audit record; the
// import adds one per application saying which row of the file it came from.
//
// # All or nothing, without holding the database
//
// A dry run checks every row and writes nothing: it runs the real import and
// rolls it back, so what it reports is exactly what the real run would meet
// (including two rows of the same applicant). It does so in short
// transactions of a few dozen rows (BatchRows, BatchTime), each rolled back,
// so a sign-in or a document check waits a fraction of a second at most,
// never for the whole file.
//
// The real run starts only after a dry run of the same file and the same
// skipped rows passed (Start runs one when none has). It writes in the same
// short transactions, each committed with the batch's progress, in the
// background of the process that accepted it; its state lives in the
// import_batches table, so any server process can show it (BatchOf), and a
// run whose process died is shown as interrupted. Everything it creates is
// marked with the batch, so the batch can be undone as a whole (Undo), as long
// as none of its applications has moved past draft. A real run that meets a
// problem the dry run did not (someone registered the same number meanwhile)
// stops and undoes itself: a file is never left half-imported.
//
// # Accounts of imported applicants
//
// An applicant not yet known gets an account with their name, WhatsApp number
// and e-mail, the role pemohon, and no password at all (account.Unusable,
// which no password matches), marked "must change password". They cannot sign
// in until they are given one: at the gallery desk or by telephone, an admin
// resets it (Admin → Pengguna → "Reset kata sandi", or `etalase user
// reset-password --login 08...`) and gives them the one-time password, which
// they replace at their first sign-in. (Activation by message comes with the
// messages capability.) No hash is computed for them: a random password hashed
// with Argon2id once cost 96 % of an import's time, for a secret nobody knew.
package importer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/idn"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/role"
)

// Importer imports through the same services as the online form. Build it
// with New; Shutdown stops its background runs.
type Importer struct {
	DB           *db.DB
	Accounts     *account.Service
	Applicants   *applicant.Service
	Applications *application.Service

	// BatchRows and BatchTime bound one transaction of a run: it commits (or,
	// in a dry run, rolls back) after this many rows or once it has run this
	// long, whichever comes first, and the next begins after BatchPause.
	// Other writers wait for one transaction at most.
	BatchRows int
	BatchTime time.Duration
	// BatchPause is the least pause between two transactions of a run (see
	// pause).
	BatchPause time.Duration
	// Stale is how long a running batch may go without a heartbeat before it
	// is shown as interrupted: its process died.
	Stale time.Duration
	// Owner names this process in the batches it runs (host and pid).
	Owner string
	// afterBatch, when set (tests), is called after each transaction of a
	// real run commits, with the rows done so far.
	afterBatch func(rowsDone int)

	base    context.Context // the background runs' context, cancelled by Shutdown
	stop    context.CancelFunc
	running sync.WaitGroup
}

// New returns an importer whose background runs live until Shutdown.
func New(d *db.DB, accounts *account.Service, applicants *applicant.Service, applications *application.Service, owner string) *Importer {
	base, stop := context.WithCancel(context.Background())
	return &Importer{DB: d, Accounts: accounts, Applicants: applicants, Applications: applications,
		BatchRows: 50, BatchTime: 50 * time.Millisecond, BatchPause: 10 * time.Millisecond, Stale: time.Minute, Owner: owner, base: base, stop: stop}
}

// Problem is one thing wrong with one row: the row cannot be imported as it is.
type Problem struct {
	Row    int    // as the spreadsheet numbers it: the header is row 1, the first response row 2
	Column string // the column's title as the file writes it
	Text   i18n.Text
}

// Created is one application the import would make.
type Created struct {
	Row        int
	Business   string
	Login      string // the applicant's WhatsApp number (E.164) or e-mail
	NewAccount bool   // the account is created: it gets a password at the desk before the applicant can sign in
}

// Report says what an import found or did.
type Report struct {
	Rows     int       // data rows in the file (the header not counted)
	Ready    int       // rows without problems; after a real run, the rows imported
	Skipped  int       // rows left out: asked for by row number, or blank
	Problems []Problem // in row order; a row may have several, even in one column
	Warnings []Problem // worth a look but not stopping the import (a NIK already on another business, a P-IRT near expiry...)
	Unknown  []string  // column titles not understood, and ignored
	Created  []Created // each row that would be imported (dry run)
	Imported []string  // application numbers created, in row order (Run only)
	Batch    int64     // the batch of a real run
}

// NewAccounts counts the applicant accounts created (or to be created).
func (r Report) NewAccounts() int {
	n := 0
	for _, c := range r.Created {
		if c.NewAccount {
			n++
		}
	}
	return n
}

// ByRow groups the problems by row, in row order: the page shows each row's
// problems together.
func (r Report) ByRow() []RowProblems {
	var out []RowProblems
	for _, p := range r.Problems {
		if len(out) == 0 || out[len(out)-1].Row != p.Row {
			out = append(out, RowProblems{Row: p.Row})
		}
		out[len(out)-1].Problems = append(out[len(out)-1].Problems, p)
	}
	return out
}

// RowProblems are every problem of one row.
type RowProblems struct {
	Row      int
	Problems []Problem
}

var errRole = apperr.New(apperr.Forbidden, "import.role", "Hanya staf galeri yang dapat mengimpor.", "Only gallery staff may import.")

// plan is a file about to be checked or imported: its columns and the rows to
// leave out, checked.
type plan struct {
	actor   account.User
	t       Table
	cols    columns
	skipped map[int]bool
}

func (im *Importer) plan(actor account.User, t Table, skip []int, rep *Report) (plan, error) {
	if !policy.RegistersApplicants(actor) {
		return plan{}, errRole
	}
	cols := matchHeader(t.Header)
	*rep = Report{Rows: len(t.Rows), Unknown: cols.unknown}
	if missing := cols.missing(); len(missing) > 0 {
		return plan{}, apperr.New(apperr.Invalid, "import.columns",
			"Berkas ditolak: kolom wajib tidak ditemukan: "+strings.Join(missing, ", ")+". Baris 1 berkas harus berisi judul kolom seperti pada Google Form (misalnya \"Nama Pemilik\", \"Nama Usaha\", \"Nama Produk\", \"No. WhatsApp\"); templat di halaman impor memuat semua kolom.",
			"File refused: required columns not found: "+strings.Join(missing, ", ")+". Row 1 of the file must hold the column titles as in the Google Form (e.g. \"Nama Pemilik\", \"Nama Usaha\", \"Nama Produk\", \"No. WhatsApp\"); the template on the import page has every column.")
	}
	skipped := map[int]bool{}
	for _, n := range skip {
		if n < 2 || n > len(t.Rows)+1 {
			return plan{}, apperr.New(apperr.Invalid, "import.skip_row",
				fmt.Sprintf("Baris %d tidak ada: baris jawaban di berkas ini adalah 2 sampai %d (baris 1 adalah judul kolom).", n, len(t.Rows)+1),
				fmt.Sprintf("There is no row %d: this file's response rows are 2 to %d (row 1 is the header).", n, len(t.Rows)+1))
		}
		skipped[n] = true
	}
	return plan{actor: actor, t: t, cols: cols, skipped: skipped}, nil
}

// SkipText writes the rows to leave out as they are stored and shown: "3, 9".
func SkipText(skip []int) string {
	s := slices.Clone(skip)
	slices.Sort(s)
	s = slices.Compact(s)
	parts := make([]string, len(s))
	for i, n := range s {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// ParseSkip reads the rows to leave out as typed: "4, 9", "4 9", "4;9".
func ParseSkip(s string) []int {
	var out []int
	for _, f := range strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ' ' || c == ';' }) {
		if n, err := strconv.Atoi(f); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// errRollback ends a dry run's transaction without committing it.
var errRollback = errors.New("importer: roll back")

// DryRun checks every row as the real import would, and writes nothing, in
// short transactions that are each rolled back. It must not be called inside
// another transaction.
func (im *Importer) DryRun(ctx context.Context, actor account.User, t Table, skip []int) (Report, error) {
	var rep Report
	p, err := im.plan(actor, t, skip, &rep)
	if err != nil {
		return rep, err
	}
	return im.dryRun(ctx, p, nil)
}

// dryRun checks p's rows; after each transaction it calls progress (when not
// nil) with the rows checked so far, between two transactions.
func (im *Importer) dryRun(ctx context.Context, p plan, progress func(done int) error) (Report, error) {
	rep := Report{Rows: len(p.t.Rows), Unknown: p.cols.unknown}
	seen := map[string]int{} // login → the first row that named it
	for i := 0; i < len(p.t.Rows); {
		start := time.Now()
		err := im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
			for n := 0; i < len(p.t.Rows) && n < im.BatchRows && time.Since(start) < im.BatchTime; i, n = i+1, n+1 {
				r, err := im.row(ctx, tx, p, i, seen, 0)
				if err != nil {
					return err
				}
				if r == nil {
					rep.Skipped++
					continue
				}
				rep.Warnings = append(rep.Warnings, r.warnings...)
				rep.Problems = append(rep.Problems, r.problems...)
				if len(r.problems) == 0 {
					rep.Ready++
					rep.Created = append(rep.Created, r.created)
				}
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			return Report{Rows: rep.Rows, Unknown: rep.Unknown}, err
		}
		if progress != nil {
			if err := progress(i); err != nil {
				return rep, err
			}
		}
		if err := im.pause(ctx, time.Since(start)); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// pause waits between two transactions of a run, BatchPause and half as long
// as the transaction took: what waits for the writer (a sign-in, a document
// check) goes first, and a run, which is background work, never takes more
// than two thirds of the processor and the database from the pages.
func (im *Importer) pause(ctx context.Context, took time.Duration) error {
	d := im.BatchPause + took/2
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// row imports row i of p inside tx, in a savepoint that is rolled back when
// the row has problems. It returns nil for a row left out (skipped or blank).
// batch, when not 0, marks what the row created as the batch's.
func (im *Importer) row(ctx context.Context, tx *db.Tx, p plan, i int, seen map[string]int, batch int64) (*rowRun, error) {
	n := i + 2
	cells := p.t.Rows[i]
	if p.skipped[n] || blank(cells) {
		return nil, nil
	}
	// A row that fails half-way leaves nothing behind, and the rows after it
	// are still checked.
	if _, err := tx.ExecContext(ctx, "SAVEPOINT import_row"); err != nil {
		return nil, err
	}
	r := &rowRun{im: im, actor: p.actor, cols: p.cols, cells: cells, n: n, seen: seen}
	if err := r.run(ctx); err != nil {
		return nil, fmt.Errorf("import row %d: %w", n, err)
	}
	if len(r.problems) > 0 {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_row"); err != nil {
			return nil, err
		}
	} else if batch != 0 {
		if err := r.mark(ctx, tx, batch); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, "RELEASE SAVEPOINT import_row"); err != nil {
		return nil, err
	}
	return r, nil
}

func rowsWithProblems(r Report) int {
	rows := map[int]bool{}
	for _, p := range r.Problems {
		rows[p.Row] = true
	}
	return len(rows)
}

// problemRows lists the rows with problems, "3, 7, 12", up to ten.
func problemRows(r Report) string {
	var rows []string
	last := 0
	for _, p := range r.Problems {
		if p.Row == last {
			continue
		}
		last = p.Row
		if len(rows) == 10 {
			rows = append(rows, "…")
			break
		}
		rows = append(rows, strconv.Itoa(p.Row))
	}
	return strings.Join(rows, ", ")
}

// rowRun imports one row, collecting every problem it has rather than the
// first: a clerk fixes a file in one pass, not one cell per upload.
type rowRun struct {
	im       *Importer
	actor    account.User
	cols     columns
	cells    []string
	n        int
	seen     map[string]int
	problems []Problem
	warnings []Problem
	created  Created
	// What the row created, to be marked as its batch's: 0 for what it found.
	newUser, newBusiness, newProduct, app int64
}

// mark records what the row created as the batch's, so Undo finds it.
func (r *rowRun) mark(ctx context.Context, tx *db.Tx, batch int64) error {
	for _, m := range []struct {
		table string
		id    int64
	}{{"users", r.newUser}, {"businesses", r.newBusiness}, {"products", r.newProduct}, {"applications", r.app}} {
		if m.id == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "UPDATE "+m.table+" SET import_batch_id = ? WHERE id = ?", batch, m.id); err != nil {
			return err
		}
	}
	return nil
}

func (r *rowRun) get(f field) string { return r.cols.get(r.cells, f) }

// add records a problem at f's column. Every problem of the row is kept, so
// the clerk fixes a row in one pass; only the same words twice at one column
// (two services refusing one value alike) are kept once.
func (r *rowRun) add(f field, t i18n.Text) {
	col := r.cols.title(f)
	for _, p := range r.problems {
		if p.Column == col && p.Text == t {
			return
		}
	}
	r.problems = append(r.problems, Problem{Row: r.n, Column: col, Text: t})
}

func (r *rowRun) warn(f field, t i18n.Text) {
	r.warnings = append(r.warnings, Problem{Row: r.n, Column: r.cols.title(f), Text: t})
}

// userErrors turns a service's refusal into problems at the columns its form
// fields came from. It reports false for an error that is not the user's to fix.
func (r *rowRun) userErrors(err error, byField map[string]field, otherwise field) bool {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal {
		return false
	}
	if len(e.Fields) == 0 {
		r.add(otherwise, e.Text)
	}
	for _, f := range e.Fields {
		at, ok := byField[f.Name]
		if !ok {
			at = otherwise
		}
		r.add(at, f.Text)
	}
	return true
}

// noteWarnings keeps the services' warnings (a NIK already on another
// business, a P-IRT near its expiry) at the column they are about.
func (r *rowRun) noteWarnings(ws []idn.Problem) {
	for _, w := range ws {
		f := fBusiness
		switch {
		case strings.HasPrefix(w.Code, "nik."):
			f = fNIK
		case strings.HasPrefix(w.Code, "pirt."):
			f = fPIRT
		case strings.HasPrefix(w.Code, "halal."):
			f = fHalal
		case strings.HasPrefix(w.Code, "bpom."):
			f = fBPOM
		case strings.HasPrefix(w.Code, "phone."):
			f = fWhatsApp
		}
		r.warn(f, w.Text)
	}
}

var (
	accountFields  = map[string]field{"name": fOwner, "email": fEmail, "phone": fWhatsApp}
	businessFields = map[string]field{"name": fBusiness, "owner_name": fOwner, "nik": fNIK, "nib": fNIB, "address": fAddress,
		"province_code": fRegency, "regency_code": fRegency, "whatsapp": fWhatsApp, "email": fEmail, "category": fCategory,
		"size": fSize, "year_started": fYearStarted, "links": fLinks}
	productFields = map[string]field{"name": fProduct, "category": fCategory, "description": fDescription, "composition": fComposition,
		"net_content": fNetContent, "packaging": fPackaging, "shelf_life_days": fShelfLife, "price": fPrice,
		"capacity_per_month": fCapacity, "pirt": fPIRT, "halal": fHalal, "bpom": fBPOM}
)

func (r *rowRun) run(ctx context.Context) error {
	for _, f := range required {
		if r.get(f) == "" {
			r.add(f, i18n.Text{ID: "Wajib diisi.", EN: "Required."})
		}
	}
	phone, email := r.value(fWhatsApp), r.value(fEmail)
	if phone == "" && email == "" {
		r.add(fWhatsApp, i18n.Text{ID: "Isi nomor WhatsApp atau e-mail: pemohon perlu dihubungi dan perlu akun untuk masuk.",
			EN: "A WhatsApp number or an e-mail is required: the applicant must be reachable and needs an account to sign in."})
	}
	regency := ""
	if v := r.get(fRegency); v != "" {
		code, why, ok := RegencyCode(v)
		if !ok {
			r.add(fRegency, why)
		}
		regency = code
	}
	dup := r.sameApplicantEarlier(phone, email)

	owner, found, err := r.findOwner(ctx, phone, email)
	if err != nil {
		return err
	}
	var biz applicant.Business
	hasBiz := false
	if found {
		b, err := r.im.Applicants.ByOwner(ctx, owner.ID)
		switch {
		case err == nil:
			biz, hasBiz = b, true
			// The application an earlier row of the file made, in a check, is
			// not one to name: that row is the problem, said above.
			if !dup {
				if err := r.openApplication(ctx, b, phone); err != nil {
					return err
				}
			}
		case !errors.Is(err, applicant.ErrNotFound):
			return err
		}
	} else {
		owner, err = r.im.Accounts.Create(ctx, account.NewUser{Name: r.get(fOwner), Email: email, Phone: phone, Role: role.Pemohon,
			NoPassword: true, MustChangePassword: true})
		r.newUser = owner.ID
		if err != nil {
			if !r.userErrors(err, accountFields, fOwner) {
				return err
			}
			// Go on with a stand-in account, so the business and product
			// columns are checked too; the row is rolled back anyway.
			if owner, err = r.im.Accounts.Create(ctx, account.NewUser{Name: "Pemeriksaan impor", Email: "pemeriksaan@impor.invalid",
				Role: role.Pemohon, NoPassword: true, MustChangePassword: true}); err != nil {
				return err
			}
		}
	}
	// An applicant already known keeps the profile they maintain; the old form's
	// answers only fill a new one.
	if !hasBiz {
		var ws []idn.Problem
		biz, ws, err = r.im.Applicants.Save(ctx, r.actor, owner.ID, applicant.BusinessInput{
			Name: r.get(fBusiness), OwnerName: r.get(fOwner), NIK: r.value(fNIK), NIB: r.value(fNIB), Address: r.get(fAddress),
			ProvinceCode: idn.EastJava, RegencyCode: regency, WhatsApp: phone, Email: email, Category: category(r.get(fCategory)),
			Size: businessSize(r.get(fSize)), YearStarted: r.get(fYearStarted), Links: r.value(fLinks),
		})
		r.noteWarnings(ws)
		if err != nil {
			if !r.userErrors(err, businessFields, fBusiness) {
				return err
			}
			if biz, _, err = r.im.Applicants.Save(ctx, r.actor, owner.ID, applicant.BusinessInput{}); err != nil {
				return err
			}
		}
		r.newBusiness = biz.ID
	}
	product, err := r.product(ctx, biz.ID, hasBiz)
	if err != nil {
		return err
	}
	if len(r.problems) > 0 {
		return nil
	}
	a, err := r.im.Applications.CreateDraft(ctx, r.actor, biz.ID, []int64{product}, application.Import)
	if err != nil {
		if !r.userErrors(err, nil, fWhatsApp) {
			return err
		}
		return nil
	}
	r.app = a.ID
	r.created = Created{Row: r.n, Business: biz.Name, Login: owner.Login(), NewAccount: !found}
	return r.im.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		after := map[string]any{"number": a.Number, "row": r.n}
		summary := fmt.Sprintf("Permohonan %s diimpor dari jawaban Google Form (baris %d)", a.Number, r.n)
		if at := answered(r.get(fTimestamp)); at != "" {
			after["answered"] = at
			summary += ", dijawab " + at
		}
		return audit.Record(ctx, tx, "application.import", "application", strconv.FormatInt(a.ID, 10), summary, nil, after)
	})
}

// product adds the row's product to the business, or takes the business's own
// product of the same name when the applicant is already known.
func (r *rowRun) product(ctx context.Context, businessID int64, known bool) (int64, error) {
	name := r.get(fProduct)
	if known && name != "" {
		ps, err := r.im.Applicants.Products(ctx, businessID)
		if err != nil {
			return 0, err
		}
		for _, p := range ps {
			if squash(p.Name) == squash(name) {
				return p.ID, nil
			}
		}
	}
	p, ws, err := r.im.Applicants.SaveProduct(ctx, r.actor, businessID, 0, applicant.ProductInput{
		Name: name, Category: category(r.get(fCategory)), Description: r.get(fDescription), Composition: r.get(fComposition),
		NetContent: r.get(fNetContent), Packaging: r.get(fPackaging), ShelfLifeDays: shelfLifeDays(r.get(fShelfLife)),
		Price: r.get(fPrice), CapacityPerMonth: leadingNumber(r.get(fCapacity)),
		PIRT: r.value(fPIRT), Halal: r.value(fHalal), BPOM: r.value(fBPOM),
	})
	r.noteWarnings(ws)
	if err != nil {
		if !r.userErrors(err, productFields, fProduct) {
			return 0, err
		}
		return 0, nil
	}
	r.newProduct = p.ID
	return p.ID, nil
}

// sameApplicantEarlier flags a row whose WhatsApp number or e-mail an earlier
// row of the file already named: one applicant, one application in progress.
// It reports whether it did.
func (r *rowRun) sameApplicantEarlier(phone, email string) (dup bool) {
	keys := map[field]string{}
	if p, err := idn.ParsePhone(phone); phone != "" && err == nil {
		keys[fWhatsApp] = "phone:" + p.E164
	}
	if e, ok := account.NormalizeEmail(email); email != "" && ok {
		keys[fEmail] = "email:" + e
	}
	for _, f := range []field{fWhatsApp, fEmail} {
		k, ok := keys[f]
		if !ok {
			continue
		}
		if first, again := r.seen[k]; again {
			r.add(f, i18n.Text{
				ID: fmt.Sprintf("Pemohon yang sama sudah ada di baris %d; satu pemohon hanya boleh punya satu permohonan berjalan. Lewati salah satu baris; produk lainnya dapat ditambahkan pada permohonan itu.", first),
				EN: fmt.Sprintf("The same applicant is already on row %d; an applicant may have only one application in progress. Skip one of the rows; the other product can be added to that application.", first)})
			dup = true
			continue
		}
		r.seen[k] = r.n
	}
	return dup
}

// findOwner finds the applicant's account by WhatsApp number or e-mail.
func (r *rowRun) findOwner(ctx context.Context, phone, email string) (account.User, bool, error) {
	var byPhone, byEmail account.User
	for _, x := range []struct {
		login string
		into  *account.User
	}{{phone, &byPhone}, {email, &byEmail}} {
		if x.login == "" {
			continue
		}
		u, err := r.im.Accounts.ByLogin(ctx, x.login)
		switch {
		case err == nil:
			*x.into = u
		case !apperr.IsKind(err, apperr.NotFound):
			return account.User{}, false, err
		}
	}
	if byPhone.ID != 0 && byEmail.ID != 0 && byPhone.ID != byEmail.ID {
		r.add(fEmail, i18n.Text{
			ID: fmt.Sprintf("Nomor WhatsApp dan e-mail ini milik dua akun berbeda (%s dan %s). Periksa mana yang benar.", byPhone.Name, byEmail.Name),
			EN: fmt.Sprintf("This WhatsApp number and this e-mail belong to two different accounts (%s and %s). Check which is right.", byPhone.Name, byEmail.Name)})
	}
	owner, at := byPhone, fWhatsApp
	if owner.ID == 0 {
		owner, at = byEmail, fEmail
	}
	if owner.ID == 0 {
		return account.User{}, false, nil
	}
	if owner.Role != role.Pemohon {
		r.add(at, i18n.Text{ID: "Nomor/e-mail ini milik akun petugas, bukan pemohon.", EN: "This number/e-mail belongs to a staff account, not an applicant."})
	}
	return owner, true, nil
}

// openApplication flags an applicant who already has an application in
// progress: the procedure allows one at a time.
func (r *rowRun) openApplication(ctx context.Context, b applicant.Business, phone string) error {
	apps, err := r.im.Applications.ByBusiness(ctx, b.ID)
	if err != nil {
		return err
	}
	at := fEmail
	if phone != "" {
		at = fWhatsApp
	}
	for _, a := range apps {
		if a.State.Terminal() {
			continue
		}
		r.add(at, i18n.Text{
			ID: fmt.Sprintf("Pemohon ini (%s) sudah punya permohonan berjalan: %s, %s. Baris ini tidak dapat diimpor; lewati barisnya, atau tambahkan produknya pada permohonan itu.", b.Name, a.Number, a.State.Label().ID),
			EN: fmt.Sprintf("This applicant (%s) already has an application in progress: %s, %s. This row cannot be imported; skip it, or add the product to that application.", b.Name, a.Number, a.State.Label().EN)})
		return nil
	}
	return nil
}

// value is a cell of an optional identifier or contact column, with the ways
// people write "none" ("-", "tidak ada", "belum") read as empty. So are a "Ya"
// without a number and a link to an uploaded file (a Google Form upload
// question gives a Drive link, not a number), each with a warning: neither is
// a number to check, and the file itself is not imported.
func (r *rowRun) value(f field) string {
	v := r.get(f)
	lower := strings.ToLower(v)
	switch {
	case noneWords[squash(v)]:
		return ""
	case yesWords[squash(v)]:
		r.warn(f, i18n.Text{ID: fmt.Sprintf("Dijawab %q tanpa nomor; nomornya diminta saat pemohon melengkapi permohonan.", v),
			EN: fmt.Sprintf("Answered %q without a number; the applicant is asked for it when completing the application.", v)})
		return ""
	case (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) && f != fLinks:
		r.warn(f, i18n.Text{ID: "Isinya tautan berkas, bukan nomor: berkasnya tidak ikut diimpor; pemohon mengunggahnya lagi di Etalase.",
			EN: "The cell holds a link to a file, not a number: the file is not imported; the applicant uploads it again in Etalase."})
		return ""
	}
	return v
}

// noneWords are the answers that mean "none", squashed; "" covers "-", "--", "…".
var noneWords = map[string]bool{"": true, "tidakada": true, "belumada": true, "belum": true, "tidak": true, "tdk": true, "blm": true,
	"na": true, "none": true, "nil": true, "kosong": true, "no": true}

// yesWords claim a permit without giving its number.
var yesWords = map[string]bool{"ya": true, "ada": true, "sudah": true, "sudahada": true, "punya": true, "yes": true,
	"proses": true, "dalamproses": true, "sedangproses": true}

// answered is the form's timestamp as text: an XLSX gives an Excel serial date
// (read raw, written here as WIB wall-clock time, which is what the sheet
// shows); a CSV gives text in the sheet's locale, kept as it is.
func answered(v string) string {
	if v == "" {
		return ""
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 1 || f > 2958465 || math.IsNaN(f) {
		return v
	}
	t, err := excelize.ExcelDateToTime(f, false)
	if err != nil {
		return v
	}
	return t.Round(time.Second).Format("2006-01-02 15:04:05")
}

var (
	numberUnit  = regexp.MustCompile(`(?i)(\d+(?:[.,]\d+)?)\s*(hari|hr|minggu|mgg|pekan|bulan|bln|tahun|thn|th|days?|weeks?|months?|years?)?`)
	wholeNumber = regexp.MustCompile(`\d[\d.]*`)
)

// shelfLifeDays reads "180", "180 hari", "6 bulan", "1 tahun" as days. What it
// cannot read is passed on as typed, for the form's rule to name.
func shelfLifeDays(s string) string {
	m := numberUnit.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", "."), 64)
	if err != nil {
		return s
	}
	switch unit := strings.ToLower(m[2]); {
	case unit == "", unit == "hari", unit == "hr", strings.HasPrefix(unit, "day"):
	case unit == "minggu", unit == "mgg", unit == "pekan", strings.HasPrefix(unit, "week"):
		n *= 7
	case unit == "bulan", unit == "bln", strings.HasPrefix(unit, "month"):
		n *= 30
	default: // tahun, thn, th, year
		n *= 365
	}
	return strconv.Itoa(int(math.Round(n)))
}

// leadingNumber is the first whole number in s ("500 pcs/bulan" → "500"), or s.
func leadingNumber(s string) string {
	m := wholeNumber.FindString(s)
	if m == "" {
		return s
	}
	return strings.ReplaceAll(m, ".", "")
}

// businessSize maps "Mikro", "Usaha Kecil"... to the form's codes, or "".
func businessSize(s string) string {
	t := squash(s)
	for _, code := range []string{"mikro", "kecil", "menengah", "besar"} {
		if strings.Contains(t, code) {
			return code
		}
	}
	switch {
	case strings.Contains(t, "micro"):
		return "mikro"
	case strings.Contains(t, "small"):
		return "kecil"
	case strings.Contains(t, "medium"):
		return "menengah"
	}
	return ""
}

// category maps a free-text category to the form's list, or leaves it empty.
func category(s string) string {
	t := squash(s)
	if t == "" {
		return ""
	}
	for _, c := range applicant.Categories {
		if squash(c) == t || strings.HasPrefix(squash(c), t) {
			return c
		}
	}
	has := func(words ...string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(t, w) })
	}
	switch {
	case has("jamu", "herbal"):
		return "Herbal dan jamu"
	case has("minum", "kopi", "teh", "sirup", "drink", "beverage"):
		return "Minuman"
	case has("makan", "snack", "kuliner", "camilan", "cemilan", "keripik", "kue", "sambal", "food"):
		return "Makanan"
	case has("batik", "tenun", "songket"):
		return "Batik dan tenun"
	case has("fesyen", "fashion", "busana", "pakaian", "sandang", "tas", "sepatu"):
		return "Fesyen"
	case has("kosmetik", "perawatan", "sabun", "cosmetic"):
		return "Kosmetik dan perawatan"
	case has("kriya", "kerajinan", "craft", "anyaman", "ukir"):
		return "Kerajinan"
	}
	return "Lainnya"
}

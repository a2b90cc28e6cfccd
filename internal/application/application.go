// Package application is the procedure engine: applications for partnership
// with the Office's gallery, the products they offer, their history, their
// numbers, and the one way they move — a transition decided by internal/sop,
// timed by internal/workday, and written with its history row, its clock and
// its audit record in one transaction.
//
// The engine knows the procedure but none of its steps' data. Capabilities plug
// into it at wiring time (internal/app):
//
//   - a FactSource fills the sop.Facts it owns — intake the form, documents and
//     samples; curation the decisions; referral the referrals; stock the passed
//     products without stock. An action whose facts have no registered source is
//     refused (and not offered), so no guard can pass on a count nobody filled.
//   - a Hook acts inside the transaction of every transition — intake sends
//     returned documents back to the check on resubmission; the message outbox
//     enqueues the applicant's notice.
//
// The engine imports no capability (a test in internal/app says so); the
// capabilities import it.
package application

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Service is the engine. Register plug-ins (AddFactSource, AddHook) while
// wiring, before the first request; the registry is not guarded for changes
// at run time.
type Service struct {
	DB       *db.DB
	Calendar calendar.Store

	sources map[sop.Fact]FactSource
	hooks   []Hook
	views   []ViewRule
	dues    []DueSource
	cols    string // what scan reads, for DB's engine (columnsFor)
}

// New returns an engine with no plug-ins.
func New(d *db.DB, cal calendar.Store) *Service {
	return &Service{DB: d, Calendar: cal, sources: map[sop.Fact]FactSource{}, cols: columnsFor(d)}
}

// Source says how an application came in.
type Source string

const (
	Online Source = "online" // the applicant filled the form
	Desk   Source = "loket"  // a clerk filled it for a walk-in applicant
	Import Source = "impor"  // imported from the old Google Form
)

// Application is one request for partnership (kemitraan) with its products.
type Application struct {
	ID           int64      `json:"id"`
	Number       string     `json:"number"`
	BusinessID   int64      `json:"business_id"`
	BusinessName string     `json:"business"`
	OwnerID      int64      `json:"-"`
	State        sop.State  `json:"state"`
	StateSince   time.Time  `json:"state_since"`
	Step         int        `json:"step,omitempty"`   // the SOP step whose clock runs, 0 if none
	DueAt        *time.Time `json:"due_at,omitempty"` // when that step is due
	Source       Source     `json:"source"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"` // the first submission; nil for a draft never submitted
}

// Overdue reports whether the running step's due time has passed at now.
func (a Application) Overdue(now time.Time) bool { return a.DueAt != nil && now.After(*a.DueAt) }

// Editable reports whether the applicant may still change the application's
// form: in draft, and while documents are back with them.
func (a Application) Editable() bool {
	return a.State == sop.Draft || a.State == sop.DocumentsReturned
}

// Errors a user may read.
var (
	// ErrNotFound is the answer for an application that does not exist or that
	// the asker may not see: applicants must not learn which numbers exist.
	ErrNotFound  = apperr.New(apperr.NotFound, "application.not_found", "Permohonan tidak ditemukan.", "Application not found.")
	errForbidden = apperr.New(apperr.Forbidden, "application.forbidden",
		"Peran Anda tidak berhak membuka permohonan.", "Your role may not open applications.")
	errLocked = apperr.New(apperr.Conflict, "application.locked",
		"Formulir ini sudah diajukan dan tidak bisa diubah lagi.",
		"This form has been submitted and can no longer be changed.")
	errChanged = apperr.New(apperr.Conflict, "application.changed",
		"Permohonan ini baru saja diubah orang lain. Muat ulang halaman lalu coba lagi.",
		"Someone else just changed this application. Reload the page and try again.")
	errOpenExists = apperr.New(apperr.Conflict, "application.open_exists",
		"Usaha ini masih punya permohonan yang berjalan. Lanjutkan permohonan itu, atau tarik dulu sebelum membuat yang baru.",
		"This business still has an application in progress. Continue it, or withdraw it before starting a new one.")
	errBusinessNotFound = apperr.New(apperr.NotFound, "applicant.not_found", "Data usaha tidak ditemukan.", "Business not found.")
	errProductNotFound  = apperr.New(apperr.NotFound, "product.not_found", "Produk tidak ditemukan.", "Product not found.")
)

// columnsFor are the columns scan reads, for d's engine: the times through
// db.TimeText, which SQLite's driver would otherwise parse slowly (250 of them
// on a page of fifty).
func columnsFor(d *db.DB) string {
	return `a.id, a.number, a.business_id, b.name, b.owner_id, a.state, ` + d.TimeText("a.state_since") + `, COALESCE(a.step, 0), ` +
		d.TimeText("a.due_at") + `, a.source, ` + d.TimeText("a.created_at") + `, ` + d.TimeText("a.updated_at") + `,
	(SELECT MIN(e.at) FROM application_events e WHERE e.application_id = a.id AND e.action = 'submit')`
}

// appJoin adds, to the applications a, their businesses b.
const appJoin = ` JOIN businesses b ON b.id = a.business_id`
const appFrom = ` FROM applications a` + appJoin

func scan(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var state, source string
	var since, due, created, updated, sub db.NullTime
	err := row.Scan(&a.ID, &a.Number, &a.BusinessID, &a.BusinessName, &a.OwnerID, &state, &since, &a.Step, &due, &source, &created, &updated, &sub)
	a.StateSince, a.CreatedAt, a.UpdatedAt = since.Time, created.Time, updated.Time
	if errors.Is(err, sql.ErrNoRows) {
		return Application{}, ErrNotFound
	}
	a.State, a.Source = sop.State(state), Source(source)
	if due.Valid {
		t := due.Time
		a.DueAt = &t
	}
	if sub.Valid {
		t := sub.Time
		a.SubmittedAt = &t
	}
	return a, err
}

// Get returns the application with id, without asking who wants it: for the
// capabilities, which check access themselves (GetFor).
func (s *Service) Get(ctx context.Context, id int64) (Application, error) {
	return scan(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+s.cols+appFrom+" WHERE a.id = ?", id))
}

// GetFor returns the application if u may see it. A refusal is audited; an
// applicant gets "not found" rather than "forbidden", so as not to confirm that
// someone else's application exists. Call it before opening the transaction of
// a change: the audit record of a refusal must not roll back with it.
func (s *Service) GetFor(ctx context.Context, u account.User, id int64) (Application, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return a, err
	}
	if !policy.ViewsApplication(u, a.OwnerID) {
		return Application{}, s.Deny(ctx, u, "application", id, ErrNotFound, errForbidden)
	}
	if ok, err := s.inScope(ctx, u, id); err != nil {
		return Application{}, err
	} else if !ok {
		return Application{}, s.denyOutOfScope(ctx, u, id)
	}
	return a, nil
}

// Deny writes a refused access to the audit trail and returns the answer u
// gets: notFound for those who must not learn what exists, else forbidden.
func (s *Service) Deny(ctx context.Context, u account.User, objectType string, id int64, notFound, forbidden error) error {
	if err := audit.Write(ctx, s.DB, "access.denied", objectType, fmt.Sprint(id), "Diminta tanpa hak oleh "+string(u.Role)); err != nil {
		return err
	}
	if policy.HidesExistence(u) {
		return notFound
	}
	return forbidden
}

// ByBusiness lists a business's applications, newest first.
func (s *Service) ByBusiness(ctx context.Context, businessID int64) ([]Application, error) {
	return s.list(ctx, appFrom+" WHERE a.business_id = ? ORDER BY a.id DESC", businessID)
}

// Open returns the business's open application, if it has one.
func (s *Service) Open(ctx context.Context, businessID int64) (Application, bool, error) {
	closed, args := closedStates(businessID)
	a, err := scan(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+s.cols+appFrom+" WHERE a.business_id = ? AND a.state NOT IN ("+closed+")", args...))
	if errors.Is(err, ErrNotFound) {
		return Application{}, false, nil
	}
	return a, err == nil, err
}

// closedStates is the SQL list of the procedure's closed states (from sop, so
// the rule lives in one place) with its arguments after first.
func closedStates(first ...any) (string, []any) {
	args := slices.Clone(first)
	var marks []string
	for _, st := range sop.States() {
		if st.Terminal() {
			marks, args = append(marks, "?"), append(args, string(st))
		}
	}
	return strings.Join(marks, ", "), args
}

// Number hands out the next number of a yearly series, e.g. GAL-2026-00001 or
// TTS-2026-00001, inside the caller's transaction so a rolled-back application
// or receipt leaves no gap. The year is the Office's (WIB).
func Number(ctx context.Context, tx *db.Tx, series string) (string, error) {
	year := tx.Now.In(workday.WIB).Year()
	name := fmt.Sprintf("%s-%d", series, year)
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&n)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%05d", name, n), nil
}

// business is what the engine needs of a business: whose it is, and its name
// for the audit trail.
func (s *Service) business(ctx context.Context, id int64) (ownerID int64, name string, err error) {
	err = s.DB.Q(ctx).QueryRowContext(ctx, "SELECT owner_id, name FROM businesses WHERE id = ?", id).Scan(&ownerID, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", errBusinessNotFound
	}
	return ownerID, name, err
}

// CreateDraft starts an application for the business with the given products.
// A business has at most one open application at a time: the database holds
// that rule (a partial unique index), so it holds under any concurrency.
func (s *Service) CreateDraft(ctx context.Context, u account.User, businessID int64, productIDs []int64, src Source) (Application, error) {
	ownerID, name, err := s.business(ctx, businessID)
	if err != nil {
		return Application{}, err
	}
	if !policy.EditsBusiness(u, ownerID) {
		return Application{}, s.Deny(ctx, u, "business", businessID, errBusinessNotFound, errForbidden)
	}
	var a Application
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		number, err := Number(ctx, tx, "GAL")
		if err != nil {
			return err
		}
		var id int64
		err = tx.QueryRowContext(ctx, `INSERT INTO applications (number, business_id, state, state_since, source, created_by, created_at, updated_at)
			VALUES (?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id`, number, businessID, tx.Now, string(src), u.ID, tx.Now, tx.Now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return errOpenExists
		}
		if err != nil {
			return err
		}
		if err := s.addProducts(ctx, tx, id, businessID, productIDs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_state, to_state, reason)
			VALUES (?, ?, ?, 'create', '', 'draft', '')`, id, tx.Now, u.ID); err != nil {
			return err
		}
		if a, err = s.Get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "application.create", "application", fmt.Sprint(id), "Permohonan dibuat: "+number+" "+name,
			nil, map[string]any{"number": number, "source": src, "products": productIDs})
	})
	return a, err
}

// SetProducts chooses which of the business's products the application offers,
// while the applicant can still change the form.
func (s *Service) SetProducts(ctx context.Context, u account.User, appID int64, productIDs []int64) error {
	a, err := s.GetFor(ctx, u, appID)
	if err != nil {
		return err
	}
	if !policy.EditsBusiness(u, a.OwnerID) {
		return s.Deny(ctx, u, "application", appID, ErrNotFound, errForbidden)
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Get(ctx, appID)
		if err != nil {
			return err
		}
		if !a.Editable() {
			return errLocked
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM application_products WHERE application_id = ?", appID); err != nil {
			return err
		}
		if err := s.addProducts(ctx, tx, appID, a.BusinessID, productIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "application.products", "application", fmt.Sprint(appID), "Produk permohonan diubah", nil, map[string]any{"products": productIDs})
	})
}

func (s *Service) addProducts(ctx context.Context, tx *db.Tx, appID, businessID int64, productIDs []int64) error {
	seen := map[int64]bool{}
	for _, pid := range productIDs {
		if seen[pid] {
			continue
		}
		seen[pid] = true
		var ok int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM products WHERE id = ? AND business_id = ? AND archived = FALSE", pid, businessID).Scan(&ok)
		if errors.Is(err, sql.ErrNoRows) {
			return errProductNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO application_products (application_id, product_id) VALUES (?, ?)", appID, pid); err != nil {
			return err
		}
	}
	return nil
}

// ProductIDs lists the products of an application.
func (s *Service) ProductIDs(ctx context.Context, appID int64) ([]int64, error) {
	return db.IDs(ctx, s.DB.Q(ctx), "SELECT product_id FROM application_products WHERE application_id = ? ORDER BY product_id", appID)
}

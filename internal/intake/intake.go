// Package intake runs SOP steps 1–3 and the procedure's clock: applications and
// their transitions (decided by internal/sop, timed by internal/workday), the
// document check, sample receipt, the applicant's timeline and the staff's
// due/late list. Every transition is one transaction: state, history row, clock
// and audit record together, or nothing.
package intake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/calendar"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// Service runs intake.
type Service struct {
	DB         *db.DB
	Applicants *applicant.Service
	Files      *document.Store
	Calendar   calendar.Store
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
	ID           int64
	Number       string
	BusinessID   int64
	BusinessName string
	OwnerID      int64
	State        sop.State
	StateSince   time.Time
	Step         int        // the SOP step whose clock runs, 0 if none
	DueAt        *time.Time // when that step is due
	Source       Source
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ErrNotFound is the answer for an application that does not exist or that the
// asker may not see; applicants must not learn which numbers exist.
var ErrNotFound = apperr.New(apperr.NotFound, "application.not_found", "Permohonan tidak ditemukan.", "Application not found.")

const appColumns = `a.id, a.number, a.business_id, b.name, b.owner_id, a.state, a.state_since, COALESCE(a.step, 0), a.due_at, a.source, a.created_at, a.updated_at`
const appFrom = ` FROM applications a JOIN businesses b ON b.id = a.business_id`

func scanApp(row interface{ Scan(...any) error }) (Application, error) {
	var a Application
	var state, source string
	var due sql.NullTime
	err := row.Scan(&a.ID, &a.Number, &a.BusinessID, &a.BusinessName, &a.OwnerID, &state, &a.StateSince, &a.Step, &due, &source, &a.CreatedAt, &a.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Application{}, ErrNotFound
	}
	a.State, a.Source = sop.State(state), Source(source)
	if due.Valid {
		a.DueAt = &due.Time
	}
	return a, err
}

// CanView says whether u may see an application owned by ownerID. It is the one
// place this rule lives; pages and the API both ask it.
func CanView(u account.User, ownerID int64) bool {
	switch u.Role {
	case role.Pemohon:
		return u.ID == ownerID
	case role.StafGaleri, role.Kurator, role.Pimpinan:
		return true
	}
	return false
}

// Get returns the application with id.
func (s *Service) Get(ctx context.Context, id int64) (Application, error) {
	return scanApp(s.DB.Q(ctx).QueryRowContext(ctx, "SELECT "+appColumns+appFrom+" WHERE a.id = ?", id))
}

// GetFor returns the application if u may see it. A refusal is audited; an
// applicant gets "not found" rather than "forbidden", so as not to confirm that
// someone else's application exists.
func (s *Service) GetFor(ctx context.Context, u account.User, id int64) (Application, error) {
	a, err := s.Get(ctx, id)
	if err != nil {
		return a, err
	}
	if !CanView(u, a.OwnerID) {
		_ = audit.Write(ctx, s.DB, "access.denied", "application", fmt.Sprint(id), "Permohonan diminta tanpa hak")
		if u.Role == role.Pemohon {
			return Application{}, ErrNotFound
		}
		return Application{}, errForbidden
	}
	return a, nil
}

// ByBusiness lists a business's applications, newest first.
func (s *Service) ByBusiness(ctx context.Context, businessID int64) ([]Application, error) {
	return s.list(ctx, " WHERE a.business_id = ? ORDER BY a.id DESC", businessID)
}

// Filter narrows List.
type Filter struct {
	State  sop.State
	Search string // application number or business name
	Limit  int
}

// List returns applications for staff, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Application, error) {
	where := " WHERE 1=1"
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
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	return s.list(ctx, where+fmt.Sprintf(" ORDER BY a.id DESC LIMIT %d", limit), args...)
}

func (s *Service) list(ctx context.Context, tail string, args ...any) ([]Application, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT "+appColumns+appFrom+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Application
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// nextNumber hands out the next number of a yearly series, e.g. GAL-2026-00001,
// inside the caller's transaction so a rolled-back application leaves no gap.
func nextNumber(ctx context.Context, tx *db.Tx, prefix string) (string, error) {
	year := tx.Now.In(time.FixedZone("WIB", 7*3600)).Year()
	name := fmt.Sprintf("%s-%d", prefix, year)
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&n)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%05d", name, n), nil
}

// CreateDraft starts an application for the business with the given products.
// A business has at most one open application at a time.
func (s *Service) CreateDraft(ctx context.Context, u account.User, businessID int64, productIDs []int64, src Source) (Application, error) {
	var a Application
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		b, err := s.Applicants.Get(ctx, businessID)
		if err != nil {
			return err
		}
		if !applicant.CanEdit(u, b.OwnerID) {
			return applicant.ErrNotFound
		}
		var open int
		terminal, args := closedStates(businessID)
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM applications WHERE business_id = ? AND state NOT IN ("+terminal+")", args...).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return apperr.New(apperr.Conflict, "application.open_exists",
				"Usaha ini masih punya permohonan yang berjalan. Lanjutkan permohonan itu, atau tarik dulu sebelum membuat yang baru.",
				"This business still has an application in progress. Continue it, or withdraw it before starting a new one.")
		}
		number, err := nextNumber(ctx, tx, "GAL")
		if err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO applications (number, business_id, state, state_since, source, created_by, created_at, updated_at)
			VALUES (?, ?, 'draft', ?, ?, ?, ?, ?) RETURNING id`, number, businessID, tx.Now, string(src), u.ID, tx.Now, tx.Now).Scan(&id); err != nil {
			return err
		}
		if err := s.setProducts(ctx, tx, id, businessID, productIDs); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_state, to_state, reason)
			VALUES (?, ?, ?, 'create', '', 'draft', '')`, id, tx.Now, u.ID); err != nil {
			return err
		}
		if a, err = s.Get(ctx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "application.create", "application", fmt.Sprint(id), "Permohonan dibuat: "+number+" "+b.Name, nil, map[string]any{"number": number, "source": src, "products": productIDs})
	})
	return a, err
}

// SetProducts chooses which of the business's products the application offers;
// only while the applicant can still change the form.
func (s *Service) SetProducts(ctx context.Context, u account.User, appID int64, productIDs []int64) error {
	if _, err := s.GetFor(ctx, u, appID); err != nil { // before the transaction: see Do
		return err
	}
	return s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Get(ctx, appID)
		if err != nil {
			return err
		}
		if !applicant.CanEdit(u, a.OwnerID) {
			return ErrNotFound
		}
		if a.State != sop.Draft && a.State != sop.DocumentsReturned {
			return errLocked
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM application_products WHERE application_id = ?", appID); err != nil {
			return err
		}
		if err := s.setProducts(ctx, tx, appID, a.BusinessID, productIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, "application.products", "application", fmt.Sprint(appID), "Produk permohonan diubah", nil, map[string]any{"products": productIDs})
	})
}

// closedStates is the SQL list of the procedure's closed states (from sop, so
// the rule lives in one place) with its arguments after first.
func closedStates(first any) (string, []any) {
	args := []any{first}
	var marks []string
	for _, st := range sop.States() {
		if st.Terminal() {
			marks, args = append(marks, "?"), append(args, string(st))
		}
	}
	return strings.Join(marks, ", "), args
}

var errForbidden = apperr.New(apperr.Forbidden, "application.forbidden",
	"Peran Anda tidak berhak membuka permohonan.", "Your role may not open applications.")

var errLocked = apperr.New(apperr.Conflict, "application.locked",
	"Formulir ini sudah diajukan dan tidak bisa diubah lagi.",
	"This form has been submitted and can no longer be changed.")

func (s *Service) setProducts(ctx context.Context, tx *db.Tx, appID, businessID int64, productIDs []int64) error {
	seen := map[int64]bool{}
	for _, pid := range productIDs {
		if seen[pid] {
			continue
		}
		seen[pid] = true
		if _, err := s.Applicants.Product(ctx, businessID, pid); err != nil {
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
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT product_id FROM application_products WHERE application_id = ? ORDER BY product_id", appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Products returns the products of an application.
func (s *Service) Products(ctx context.Context, a Application) ([]applicant.Product, error) {
	ids, err := s.ProductIDs(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	out := make([]applicant.Product, 0, len(ids))
	for _, id := range ids {
		p, err := s.Applicants.Product(ctx, a.BusinessID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// refusal turns the procedure's refusal into an error for the user.
func refusal(err error) error {
	var r *sop.Refusal
	if !errors.As(err, &r) {
		return err
	}
	kind := apperr.Invalid
	switch r.Code {
	case sop.CodeWrongState:
		kind = apperr.Conflict
	case sop.CodeRole, sop.CodeNotOwner:
		kind = apperr.Forbidden
	case sop.CodeInvalidFacts, sop.CodeUnknownAction, sop.CodeUnknownState:
		kind = apperr.Internal
	}
	return &apperr.Error{Kind: kind, Code: r.Code, Text: r.Text, Err: err}
}

// textf formats a two-language message.
func textf(id, en string, args ...any) i18n.Text {
	return i18n.Text{ID: fmt.Sprintf(id, args...), EN: fmt.Sprintf(en, args...)}
}

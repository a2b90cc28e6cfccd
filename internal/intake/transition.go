package intake

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

// RequiredDocuments are the documents every application needs (SOP step 1:
// KTP, NIB, PIRT). The P-IRT is added when a food or drink product has no BPOM
// number: packaged food sold in the gallery needs one or the other; a batik
// cloth needs neither.
var RequiredDocuments = []string{"ktp", "nib"}

// facts gathers what the procedure needs to know to decide an action.
func (s *Service) facts(ctx context.Context, a Application, u account.User, reason string) (sop.Facts, error) {
	f := sop.Facts{ActorRole: u.Role, ActorIsOwner: u.ID == a.OwnerID, Reason: strings.TrimSpace(reason)}
	b, err := s.Applicants.Get(ctx, a.BusinessID)
	if err != nil {
		return f, err
	}
	hasNIK, err := s.Applicants.HasNIK(ctx, b.ID)
	if err != nil {
		return f, err
	}
	f.FormIncomplete = applicant.Completeness(b, hasNIK)
	products, err := s.Products(ctx, a)
	if err != nil {
		return f, err
	}
	f.Products = len(products)
	if len(products) == 0 {
		f.FormIncomplete = append(f.FormIncomplete, "products")
	}
	needPIRT := false
	for _, p := range products {
		if m := applicant.ProductCompleteness(p); len(m) > 0 {
			f.FormIncomplete = append(f.FormIncomplete, "product:"+p.Name)
		}
		if applicant.IsFood(p.Category) && p.BPOM == "" {
			needPIRT = true
		}
	}
	docs, err := s.CurrentDocuments(ctx, a.BusinessID)
	if err != nil {
		return f, err
	}
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Kind] = true
		switch d.Status {
		case DocPending:
			f.DocumentsUnchecked++
		case DocReturned:
			f.DocumentsReturned++
			f.DocumentsStillReturned++
			if strings.TrimSpace(d.ReviewReason) == "" {
				f.ReturnedWithoutReason++
			}
		}
	}
	required := RequiredDocuments
	if needPIRT {
		required = append(required, "pirt")
	}
	for _, k := range required {
		if !have[k] {
			f.MissingDocuments = append(f.MissingDocuments, k)
		}
	}
	var withSample int
	if err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM application_products ap
		JOIN samples sm ON sm.application_id = ap.application_id AND sm.product_id = ap.product_id WHERE ap.application_id = ?`, a.ID).Scan(&withSample); err != nil {
		return f, err
	}
	f.ProductsWithoutSample = f.Products - withSample
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT decision, reason FROM application_products WHERE application_id = ?", a.ID)
	if err != nil {
		return f, err
	}
	defer rows.Close()
	for rows.Next() {
		var decision, why string
		if err := rows.Scan(&decision, &why); err != nil {
			return f, err
		}
		switch decision {
		case "":
			f.ProductsUndecided++
		case "passed":
			f.ProductsPassed++
		case "not_passed":
			f.ProductsFailed++
			if strings.TrimSpace(why) == "" {
				f.FailedWithoutReason++
			}
		}
	}
	// Referrals (step 8) and stock (step 9) arrive with their capabilities; until
	// then the counts stay zero and the procedure refuses those steps.
	return f, rows.Err()
}

// Do performs action on application appID as u, with reason where the action
// needs one. The procedure (sop.Decide) says whether it may happen; if so the
// state, the history row, the next step's clock and the audit record are written
// in one transaction.
func (s *Service) Do(ctx context.Context, u account.User, appID int64, action sop.Action, reason string) (Application, error) {
	// The access check runs before the transaction: a refusal is audited, and that
	// record must not be rolled back with the refused change.
	if _, err := s.GetFor(ctx, u, appID); err != nil {
		return Application{}, err
	}
	var out Application
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		a, err := s.Get(ctx, appID)
		if err != nil {
			return err
		}
		f, err := s.facts(ctx, a, u, reason)
		if err != nil {
			return err
		}
		to, err := sop.Decide(a.State, action, f)
		if err != nil {
			return refusal(err)
		}
		if err := s.beforeTransition(ctx, tx, a, action); err != nil {
			return err
		}
		if err := s.move(ctx, tx, u, a, action, to, f.Reason); err != nil {
			return err
		}
		out, err = s.Get(ctx, appID)
		return err
	})
	return out, err
}

// beforeTransition does the side effects an action brings with it.
func (s *Service) beforeTransition(ctx context.Context, tx *db.Tx, a Application, action sop.Action) error {
	switch action {
	case sop.Submit:
		// A (re)submission sends every document not yet accepted back to the
		// clerk's check.
		_, err := tx.ExecContext(ctx, "UPDATE documents SET status = 'pending' WHERE business_id = ? AND status = 'returned'", a.BusinessID)
		return err
	}
	return nil
}

// move writes the transition: state, clock, history, audit. It is the only code
// that changes applications.state.
func (s *Service) move(ctx context.Context, tx *db.Tx, u account.User, a Application, action sop.Action, to sop.State, reason string) error {
	var step any
	var due any
	var dueAt *time.Time
	if days, ok := to.Clock(); ok {
		cal, err := s.Calendar.Load(ctx)
		if err != nil {
			return err
		}
		d := cal.Due(tx.Now, days)
		dueAt, due = &d, d.UTC()
	}
	if st, ok := sop.StepOf(to); ok && dueAt != nil {
		step = st.Number
	}
	// The state in the WHERE clause makes a concurrent transition lose cleanly
	// instead of both happening.
	res, err := tx.ExecContext(ctx, "UPDATE applications SET state = ?, state_since = ?, step = ?, due_at = ?, updated_at = ? WHERE id = ? AND state = ?",
		string(to), tx.Now, step, due, tx.Now, a.ID, string(a.State))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.New(apperr.Conflict, "application.changed", "Permohonan ini baru saja diubah orang lain. Muat ulang halaman lalu coba lagi.", "Someone else just changed this application. Reload the page and try again.")
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_state, to_state, reason, step, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, tx.Now, u.ID, string(action), string(a.State), string(to), reason, step, due); err != nil {
		return err
	}
	return audit.Record(ctx, tx, "application."+string(action), "application", fmt.Sprint(a.ID),
		fmt.Sprintf("%s: %s → %s", a.Number, a.State.Label().ID, to.Label().ID),
		map[string]any{"state": a.State}, map[string]any{"state": to, "reason": reason})
}

// Event is one row of an application's history.
type Event struct {
	At        time.Time
	ActorID   int64
	ActorName string
	Action    string
	From, To  sop.State
	Reason    string
	Step      int
	DueAt     *time.Time
}

// Events returns an application's history, oldest first.
func (s *Service) Events(ctx context.Context, appID int64) ([]Event, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT e.at, COALESCE(e.actor_id, 0), COALESCE(u.name, ''), e.action, e.from_state, e.to_state, e.reason, COALESCE(e.step, 0), e.due_at
		FROM application_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.application_id = ? ORDER BY e.id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var from, to string
		var due nullTime
		if err := rows.Scan(&e.At, &e.ActorID, &e.ActorName, &e.Action, &from, &to, &e.Reason, &e.Step, &due); err != nil {
			return nil, err
		}
		e.From, e.To = sop.State(from), sop.State(to)
		e.DueAt = due.ptr()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Available lists the actions u could take on a now (before the procedure's data
// checks), for showing buttons.
func Available(u account.User, a Application) []sop.Action {
	if u.Role == role.Pemohon && u.ID != a.OwnerID {
		return nil
	}
	return sop.Available(a.State, u.Role)
}

// nullTime scans a nullable time.
type nullTime struct{ sql.NullTime }

func (n nullTime) ptr() *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time
	return &t
}

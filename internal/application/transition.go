package application

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/sop"
)

// FactSource is a capability that knows some of the facts the procedure decides
// on. FillFacts is called inside the transaction of the transition being
// decided (read through db.Q(ctx) to see its writes), and fills only the
// fields of the facts it Provides.
type FactSource interface {
	Provides() []sop.Fact
	FillFacts(ctx context.Context, a Application, f *sop.Facts) error
}

// Hook is a capability that acts inside the transaction of every transition,
// after the new state is written: a failure rolls the whole transition back.
type Hook interface {
	OnTransition(ctx context.Context, tx *db.Tx, m Moved) error
}

// Moved is a transition as hooks see it.
type Moved struct {
	App      Application // as it was before the move
	Action   sop.Action
	From, To sop.State
	Actor    account.User
	Reason   string
	DueAt    *time.Time // the new step's due time, if a clock started
}

// AddFactSource registers src for the facts it provides. Two sources for one
// fact is a wiring mistake and panics at start-up.
func (s *Service) AddFactSource(src FactSource) {
	for _, f := range src.Provides() {
		if _, dup := s.sources[f]; dup {
			panic(fmt.Sprintf("application: two fact sources for %q", f))
		}
		s.sources[f] = src
	}
}

// AddHook registers h to run in every transition, in the order registered.
func (s *Service) AddHook(h Hook) { s.hooks = append(s.hooks, h) }

// Supported reports whether every fact action needs has a source: whether the
// step is built.
func (s *Service) Supported(action sop.Action) bool {
	for _, f := range action.Needs() {
		if s.sources[f] == nil {
			return false
		}
	}
	return true
}

var errUnavailable = apperr.New(apperr.Conflict, "application.step_unavailable",
	"Langkah ini belum tersedia di Etalase. Catat di luar sistem dulu dan hubungi admin.",
	"This step is not available in Etalase yet. Record it outside the system for now and contact the administrator.")

// Available lists the actions u could take on a now — the buttons to show: the
// procedure's edges for u's role and a's state, for an applicant only on their
// own application, and only steps that are built. The guards are checked when
// the action is taken.
func (s *Service) Available(u account.User, a Application) []sop.Action {
	var out []sop.Action
	for _, x := range sop.Available(a.State, u.Role) {
		if sop.Permitted(a.State, x, u.Role, u.ID == a.OwnerID) == nil && s.Supported(x) {
			out = append(out, x)
		}
	}
	return out
}

// Permitted says whether u may take action on a at all, before any data is
// looked at: for capabilities that write the data an action needs and must
// refuse a wrong state or role before they do.
func (s *Service) Permitted(u account.User, a Application, action sop.Action) error {
	if err := sop.Permitted(a.State, action, u.Role, u.ID == a.OwnerID); err != nil {
		return Refusal(err)
	}
	if !s.Supported(action) {
		return errUnavailable
	}
	return nil
}

// Do performs action on application appID as u, with reason where the action
// needs one, in a transaction of its own.
func (s *Service) Do(ctx context.Context, u account.User, appID int64, action sop.Action, reason string) (Application, error) {
	// The access check runs before the transaction: a refusal is audited, and
	// that record must not be rolled back with the refused change.
	if _, err := s.GetFor(ctx, u, appID); err != nil {
		return Application{}, err
	}
	var out Application
	err := s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		var err error
		out, err = s.Transition(ctx, tx, u, appID, action, reason)
		return err
	})
	return out, err
}

// Transition performs action inside the caller's transaction: for a capability
// that writes its own data and moves the application in one transaction
// (recording samples, deciding products). The procedure (sop) decides whether
// it may happen, on facts from the registered sources; then the state, the
// history row, the next step's clock and the audit record are written and the
// hooks run. It returns the application as it is after the move.
func (s *Service) Transition(ctx context.Context, tx *db.Tx, u account.User, appID int64, action sop.Action, reason string) (Application, error) {
	a, err := s.Get(ctx, appID)
	if err != nil {
		return Application{}, err
	}
	if err := s.Permitted(u, a, action); err != nil {
		return Application{}, err
	}
	f, err := s.facts(ctx, a, u, action, reason)
	if err != nil {
		return Application{}, err
	}
	to, err := sop.Decide(a.State, action, f)
	if err != nil {
		return Application{}, Refusal(err)
	}
	due, err := s.move(ctx, tx, u, a, action, to, f.Reason)
	if err != nil {
		return Application{}, err
	}
	m := Moved{App: a, Action: action, From: a.State, To: to, Actor: u, Reason: f.Reason, DueAt: due}
	for _, h := range s.hooks {
		if err := h.OnTransition(ctx, tx, m); err != nil {
			return Application{}, err
		}
	}
	return s.Get(ctx, appID)
}

// facts gathers what the procedure needs to decide action: the engine's own
// (actor, ownership, reason, products) and, from each source once, the facts
// the action needs.
func (s *Service) facts(ctx context.Context, a Application, u account.User, action sop.Action, reason string) (sop.Facts, error) {
	f := sop.Facts{ActorRole: u.Role, ActorIsOwner: u.ID == a.OwnerID, Reason: strings.TrimSpace(reason)}
	if err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM application_products WHERE application_id = ?", a.ID).Scan(&f.Products); err != nil {
		return f, err
	}
	var asked []FactSource
	for _, fact := range action.Needs() {
		src := s.sources[fact]
		if src == nil {
			return f, errUnavailable
		}
		if !slices.Contains(asked, src) {
			asked = append(asked, src)
			if err := src.FillFacts(ctx, a, &f); err != nil {
				return f, err
			}
		}
	}
	return f, nil
}

// move writes the transition: state, clock, history, audit. It is the only
// code that changes applications.state.
func (s *Service) move(ctx context.Context, tx *db.Tx, u account.User, a Application, action sop.Action, to sop.State, reason string) (*time.Time, error) {
	var step, due any
	var dueAt *time.Time
	if days, ok := to.Clock(); ok {
		cal, err := s.Calendar.Load(ctx)
		if err != nil {
			return nil, err
		}
		d := cal.Due(tx.Now, days).UTC()
		dueAt, due = &d, d
		if st, ok := sop.StepOf(to); ok {
			step = st.Number
		}
	}
	// The state in the WHERE clause makes a concurrent transition lose cleanly
	// instead of both happening.
	res, err := tx.ExecContext(ctx, "UPDATE applications SET state = ?, state_since = ?, step = ?, due_at = ?, updated_at = ? WHERE id = ? AND state = ?",
		string(to), tx.Now, step, due, tx.Now, a.ID, string(a.State))
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, errChanged
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO application_events (application_id, at, actor_id, action, from_state, to_state, reason, step, due_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, tx.Now, u.ID, string(action), string(a.State), string(to), reason, step, due); err != nil {
		return nil, err
	}
	return dueAt, audit.Record(ctx, tx, "application."+string(action), "application", fmt.Sprint(a.ID),
		fmt.Sprintf("%s: %s → %s", a.Number, a.State.Label().ID, to.Label().ID),
		map[string]any{"state": a.State}, map[string]any{"state": to, "reason": reason})
}

// Refusal turns the procedure's refusal into an error for the user; other
// errors pass through.
func Refusal(err error) error {
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
	e := &apperr.Error{Kind: kind, Code: r.Code, Text: r.Text, Err: err}
	// What is missing, field by field, so a page can link to each.
	for _, m := range r.Missing {
		e.Fields = append(e.Fields, apperr.Field{Name: m.Field, Text: m.Name})
	}
	return e
}

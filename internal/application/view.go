package application

import (
	"context"
	"fmt"
	"strings"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/audit"
)

// Scope narrows the applications someone sees: SQL conditions on the
// applications a (only a.'s columns may be named, so every list, the due list
// and the registers can add it to their own queries) with their arguments.
// The zero Scope sees everything the role may list.
type Scope struct {
	Where string
	Args  []any
}

// Empty reports whether the scope narrows nothing.
func (sc Scope) Empty() bool { return strings.TrimSpace(sc.Where) == "" }

// ViewRule is a capability that narrows what a user sees of the applications:
// curation limits an external expert (kurator) to the applications assigned to
// them. ok false means the rule does not apply to u.
type ViewRule interface {
	ViewScope(u account.User) (Scope, bool)
}

// AddViewRule registers r; every rule that applies narrows the view further.
func (s *Service) AddViewRule(r ViewRule) { s.views = append(s.views, r) }

// ScopeFor is what u sees of the applications: the conditions of every rule
// that applies to u, joined with AND.
func (s *Service) ScopeFor(u account.User) Scope {
	var out Scope
	var parts []string
	for _, r := range s.views {
		sc, ok := r.ViewScope(u)
		if !ok || sc.Empty() {
			continue
		}
		parts = append(parts, "("+sc.Where+")")
		out.Args = append(out.Args, sc.Args...)
	}
	out.Where = strings.Join(parts, " AND ")
	return out
}

// inScope reports whether application id is within u's scope.
func (s *Service) inScope(ctx context.Context, u account.User, id int64) (bool, error) {
	sc := s.ScopeFor(u)
	if sc.Empty() {
		return true, nil
	}
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM applications a WHERE a.id = ? AND "+sc.Where, append([]any{id}, sc.Args...)...).Scan(&n)
	return n > 0, err
}

// denyOutOfScope audits an opening outside u's scope and answers "not found":
// the application exists, but not for u.
func (s *Service) denyOutOfScope(ctx context.Context, u account.User, id int64) error {
	if err := audit.Write(ctx, s.DB, "access.denied", "application", fmt.Sprint(id), "Di luar penugasan, diminta oleh "+string(u.Role)); err != nil {
		return err
	}
	return ErrNotFound
}

// ListFor is List within what u sees.
func (s *Service) ListFor(ctx context.Context, u account.User, f Filter) (Page[Application], error) {
	f.View = s.ScopeFor(u)
	return s.List(ctx, f)
}

// DueListFor is DueList within what u sees.
func (s *Service) DueListFor(ctx context.Context, u account.User, f DueFilter) (Page[DueItem], error) {
	f.View = s.ScopeFor(u)
	return s.DueList(ctx, f)
}

// SeesBusiness reports whether u's scope holds an application of the business:
// for the documents and profile of a business an expert reviews.
func (s *Service) SeesBusiness(ctx context.Context, u account.User, businessID int64) (bool, error) {
	sc := s.ScopeFor(u)
	if sc.Empty() {
		return true, nil
	}
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM applications a WHERE a.business_id = ? AND "+sc.Where, append([]any{businessID}, sc.Args...)...).Scan(&n)
	return n > 0, err
}

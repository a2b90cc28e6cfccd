package intake

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/audit"
	"github.com/etalase-id/etalase/internal/db"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Re-application (SOP step 7)
//
// An applicant whose product did not pass may try again: "Ajukan kembali" on
// the old application makes a new draft linked to it (applications.reapplies_id)
// for the same business, with the products that did not pass and the
// documents that still hold — accepted by the clerk and not expired — which
// are recorded as carried over. The draft is then an ordinary draft: products
// are added or removed, documents uploaded, and it is submitted as usual.
//
// It is offered once the result is out, only to the owner, and only when the
// business has no open application: the database allows one (the partial
// unique index applications_one_open), so while the old application is still
// open (announced, feedback sent, awaiting display) it must close first.

// NotPassed is a product of an application that did not pass, with the
// curation expert's reasons.
type NotPassed struct {
	ProductID int64
	Name      string
	Reason    string
	Archived  bool // the applicant has since archived it: not carried over
}

// Ref names another application.
type Ref struct {
	ID     int64
	Number string
}

// Links are an application's re-application links: the one it re-applies,
// and those that re-apply it (newest first).
type Links struct {
	Reapplies   *Ref
	ReappliedBy []Ref
}

var (
	errNotAnnounced = apperr.New(apperr.Conflict, "reapply.not_announced",
		"Hasil kurasi permohonan ini belum diumumkan; pengajuan kembali dapat dilakukan setelah pengumuman.",
		"The curation result of this application is not announced yet; you can re-apply after the announcement.")
	errNothingNotPassed = apperr.New(apperr.Conflict, "reapply.nothing_not_passed",
		"Semua produk dalam permohonan ini lolos kurasi; tidak ada yang perlu diajukan kembali.",
		"Every product in this application passed curation; there is nothing to re-apply.")
	errReapplyForbidden = apperr.New(apperr.Forbidden, "reapply.forbidden",
		"Hanya pemohon pemilik usaha yang dapat mengajukan kembali.",
		"Only the applicant who owns the business can re-apply.")
)

// errStillOpen is the refusal while the old application itself is open.
func errStillOpen(number string) error {
	return &apperr.Error{Kind: apperr.Conflict, Code: "reapply.still_open", Text: i18n.Text{
		ID: fmt.Sprintf("Permohonan %s masih berjalan. Anda dapat mengajukan kembali setelah permohonan ini selesai.", number),
		EN: fmt.Sprintf("Application %s is still in progress. You can re-apply once it is closed.", number),
	}}
}

// errOtherOpen is the refusal while another application of the business is open.
func errOtherOpen(number string) error {
	return &apperr.Error{Kind: apperr.Conflict, Code: "reapply.other_open", Text: i18n.Text{
		ID: fmt.Sprintf("Usaha ini masih punya permohonan yang berjalan (%s). Lanjutkan permohonan itu, atau tarik dulu sebelum mengajukan kembali.", number),
		EN: fmt.Sprintf("This business still has an application in progress (%s). Continue it, or withdraw it before re-applying.", number),
	}}
}

// reapplyCase is what decides whether an application may be re-applied.
type reapplyCase struct {
	ResultOut  bool   // the result was announced
	NotPassed  int    // products that did not pass (and are not archived)
	OpenNumber string // the business's open application, "" when none
	OpenIsThis bool   // that open application is this one
}

// reapplyRefusal says why the application may not be re-applied, nil if it may.
// Ownership is checked before (a refusal there is audited and answers 404).
func reapplyRefusal(c reapplyCase) error {
	switch {
	case !c.ResultOut:
		return errNotAnnounced
	case c.NotPassed == 0:
		return errNothingNotPassed
	case c.OpenIsThis:
		return errStillOpen(c.OpenNumber)
	case c.OpenNumber != "":
		return errOtherOpen(c.OpenNumber)
	}
	return nil
}

// holds reports whether document d still holds for a new application on day
// today: accepted by the clerk and not expired.
func holds(d document.Document, today workday.Date) bool {
	if d.Status != document.Accepted {
		return false
	}
	if d.ExpiresOn == "" {
		return true
	}
	exp, err := workday.ParseDate(d.ExpiresOn)
	return err == nil && !exp.Before(today)
}

// ResultOut reports whether the curation result of a is announced: by its
// state, or for a withdrawn application by an announcement in its history.
func (s *Service) ResultOut(ctx context.Context, a application.Application) (bool, error) {
	if a.State.ResultOut() {
		return true, nil
	}
	if a.State != sop.Withdrawn {
		return false, nil
	}
	var n int
	err := s.DB.Q(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM application_events WHERE application_id = ? AND action = ?", a.ID, string(sop.Announce)).Scan(&n)
	return n > 0, err
}

// NotPassedProducts lists the products of application appID that did not
// pass, with their reasons, by name. It does not ask whether the result is
// out: callers showing it to the applicant must (ResultOut).
func (s *Service) NotPassedProducts(ctx context.Context, appID int64) ([]NotPassed, error) {
	rows, err := s.DB.Q(ctx).QueryContext(ctx, `SELECT p.id, p.name, d.reason, p.archived FROM product_decisions d JOIN products p ON p.id = d.product_id
		WHERE d.application_id = ? AND d.decision = 'not_passed' ORDER BY p.name, p.id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NotPassed
	for rows.Next() {
		var n NotPassed
		if err := rows.Scan(&n.ProductID, &n.Name, &n.Reason, &n.Archived); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// reapplyCase gathers the facts of re-applying a.
func (s *Service) reapplyCase(ctx context.Context, a application.Application) (reapplyCase, []int64, error) {
	var c reapplyCase
	var err error
	if c.ResultOut, err = s.ResultOut(ctx, a); err != nil {
		return c, nil, err
	}
	np, err := s.NotPassedProducts(ctx, a.ID)
	if err != nil {
		return c, nil, err
	}
	var ids []int64
	for _, n := range np {
		if !n.Archived {
			ids = append(ids, n.ProductID)
		}
	}
	c.NotPassed = len(ids)
	open, ok, err := s.Applications.Open(ctx, a.BusinessID)
	if err != nil {
		return c, nil, err
	}
	if ok {
		c.OpenNumber, c.OpenIsThis = open.Number, open.ID == a.ID
	}
	return c, ids, nil
}

// CanReapply says whether u may re-apply a now, and if not, why (nil error
// and false for someone who is not the owner: they are not told).
func (s *Service) CanReapply(ctx context.Context, u account.User, a application.Application) (bool, error, error) {
	if u.ID != a.OwnerID {
		return false, nil, nil
	}
	c, _, err := s.reapplyCase(ctx, a)
	if err != nil {
		return false, nil, err
	}
	why := reapplyRefusal(c)
	return why == nil, why, nil
}

// Reapply makes, for the owner of application oldID, a new draft linked to it:
// the same business, the products that did not pass (those since archived
// left out), and the documents that still hold recorded as carried over. One
// transaction, audited. Someone other than the owner gets "not found" (an
// applicant) or "forbidden" (staff), audited.
func (s *Service) Reapply(ctx context.Context, u account.User, oldID int64) (application.Application, error) {
	old, err := s.Applications.GetFor(ctx, u, oldID)
	if err != nil {
		return application.Application{}, err
	}
	if u.ID != old.OwnerID {
		return application.Application{}, s.Applications.Deny(ctx, u, "application", oldID, application.ErrNotFound, errReapplyForbidden)
	}
	var out application.Application
	err = s.DB.InTx(ctx, func(ctx context.Context, tx *db.Tx) error {
		c, ids, err := s.reapplyCase(ctx, old)
		if err != nil {
			return err
		}
		if err := reapplyRefusal(c); err != nil {
			return err
		}
		// The unique index holds the rule against a concurrent draft.
		a, err := s.Applications.CreateDraft(ctx, u, old.BusinessID, ids, application.Online)
		if e, ok := apperr.As(err); ok && e.Code == "application.open_exists" {
			return e // another draft was made meanwhile: the engine's words say so
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE applications SET reapplies_id = ? WHERE id = ?", old.ID, a.ID); err != nil {
			return err
		}
		docs, err := s.Documents.Current(ctx, old.BusinessID)
		if err != nil {
			return err
		}
		today := workday.DateOf(tx.Now)
		var carried []int64
		for _, d := range docs {
			if !holds(d, today) {
				continue
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO reapplied_documents (application_id, document_id, carried_at) VALUES (?, ?, ?)", a.ID, d.ID, tx.Now); err != nil {
				return err
			}
			carried = append(carried, d.ID)
		}
		out = a
		return audit.Record(ctx, tx, "application.reapply", "application", fmt.Sprint(a.ID),
			fmt.Sprintf("Pengajuan kembali %s atas %s", a.Number, old.Number), nil,
			map[string]any{"reapplies": old.Number, "products": ids, "documents": carried})
	})
	return out, err
}

// ReapplyLinks returns application appID's re-application links.
func (s *Service) ReapplyLinks(ctx context.Context, appID int64) (Links, error) {
	var l Links
	var r Ref
	err := s.DB.Q(ctx).QueryRowContext(ctx, `SELECT o.id, o.number FROM applications a JOIN applications o ON o.id = a.reapplies_id WHERE a.id = ?`, appID).Scan(&r.ID, &r.Number)
	if err == nil {
		l.Reapplies = &r
	} else if !errors.Is(err, sql.ErrNoRows) {
		return l, err
	}
	rows, err := s.DB.Q(ctx).QueryContext(ctx, "SELECT id, number FROM applications WHERE reapplies_id = ? ORDER BY id DESC", appID)
	if err != nil {
		return l, err
	}
	defer rows.Close()
	for rows.Next() {
		var n Ref
		if err := rows.Scan(&n.ID, &n.Number); err != nil {
			return l, err
		}
		l.ReappliedBy = append(l.ReappliedBy, n)
	}
	return l, rows.Err()
}

// CarriedDocuments lists the documents a re-application carried over from
// the old one when it was made.
func (s *Service) CarriedDocuments(ctx context.Context, appID int64) ([]int64, error) {
	return db.IDs(ctx, s.DB.Q(ctx), "SELECT document_id FROM reapplied_documents WHERE application_id = ? ORDER BY document_id", appID)
}

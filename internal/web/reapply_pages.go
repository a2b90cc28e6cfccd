package web

import (
	"context"
	"fmt"
	"net/http"

	"github.com/etalase-id/etalase/internal/account"
	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/intake"
)

// Feedback and re-application (SOP step 7) on the application's page: once
// the result is out, each product that did not pass with the expert's
// reasons and the documents the legality gate found missing; for the owner,
// "Ajukan kembali"; and the links between an application and its
// re-applications.

// feedbackView is one product that did not pass, as the applicant reads it.
type feedbackView struct {
	Name    string
	Reason  string
	Missing []missingDoc
}

// missingDoc is a permit the legality gate found missing or not valid.
type missingDoc struct {
	Name   i18n.Text
	Detail i18n.Text
}

// reapplyData is what the page shows of step 7.
type reapplyData struct {
	ResultOut  bool
	Feedback   []feedbackView
	Links      intake.Links
	CanReapply bool
	Why        *i18n.Text // why the owner cannot re-apply yet, when there are products to re-apply
	Carried    []document.Document
}

// feedback gathers step 7 for a and u. The reasons are read only once the
// result is out: before the announcement they are the Office's.
func (s *Server) feedback(ctx context.Context, u account.User, a application.Application) (reapplyData, error) {
	var d reapplyData
	var err error
	if d.Links, err = s.intake.ReapplyLinks(ctx, a.ID); err != nil {
		return d, err
	}
	if d.Links.Reapplies != nil {
		ids, err := s.intake.CarriedDocuments(ctx, a.ID)
		if err != nil {
			return d, err
		}
		for _, id := range ids {
			doc, err := s.documents.Get(ctx, id)
			if err != nil {
				return d, err
			}
			d.Carried = append(d.Carried, doc)
		}
	}
	if d.ResultOut, err = s.intake.ResultOut(ctx, a); err != nil || !d.ResultOut {
		return d, err
	}
	np, err := s.intake.NotPassedProducts(ctx, a.ID)
	if err != nil {
		return d, err
	}
	for _, n := range np {
		f := feedbackView{Name: n.Name, Reason: n.Reason}
		if r, err := s.app.Curation.Result(ctx, a.ID, n.ProductID); err == nil {
			for _, g := range r.Gate.Failures {
				if g.Permit != "" {
					f.Missing = append(f.Missing, missingDoc{Name: document.Label(g.Permit), Detail: g.Text})
				}
			}
		}
		d.Feedback = append(d.Feedback, f)
	}
	if len(d.Feedback) > 0 {
		ok, why, err := s.intake.CanReapply(ctx, u, a)
		if err != nil {
			return d, err
		}
		d.CanReapply = ok
		if e, isE := apperr.As(why); isE {
			d.Why = &e.Text
		}
	}
	return d, nil
}

// applicationReapply is "Ajukan kembali": a new draft linked to this one.
func (s *Server) applicationReapply(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	nu, err := s.intake.Reapply(r.Context(), s.user(r), a.ID)
	if err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "reapply.flash")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", nu.ID), http.StatusSeeOther)
}

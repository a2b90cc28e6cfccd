package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
)

type applicationData struct {
	App       intake.Application
	Business  applicant.Business
	Products  []applicant.Product
	Documents []intake.Document
	Samples   []intake.Sample
	Receipt   *intake.Receipt
	Timeline  intake.Timeline
	Events    []intake.Event
	Actions   []sop.Action
	CanEdit   bool
	IsStaff   bool
	CanReview bool
}

// application loads the {id} application for the user. Refusals are audited by
// the service; applicants get 404 for others' applications.
func (s *Server) application(w http.ResponseWriter, r *http.Request) (intake.Application, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return intake.Application{}, false
	}
	a, err := s.intake.GetFor(r.Context(), s.user(r), id)
	if err != nil {
		s.fail(w, r, err)
		return a, false
	}
	return a, true
}

func (s *Server) applicationShow(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok {
		return
	}
	s.renderApplication(w, r, http.StatusOK, a, newForm(nil))
}

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, a intake.Application, f *form) {
	ctx := r.Context()
	u := s.user(r)
	d := applicationData{App: a, Actions: intake.Available(u, a), CanEdit: applicant.CanEdit(u, a.OwnerID), IsStaff: u.Role.IsStaff(),
		CanReview: u.Role == role.StafGaleri && a.State == sop.Submitted}
	var err error
	if d.Business, err = s.apps.Get(ctx, a.BusinessID); err == nil {
		if d.Products, err = s.intake.Products(ctx, a); err == nil {
			if d.Documents, err = s.intake.CurrentDocuments(ctx, a.BusinessID); err == nil {
				if d.Samples, err = s.intake.Samples(ctx, a.ID); err == nil {
					if d.Timeline, err = s.intake.Timeline(ctx, a); err == nil {
						d.Events, err = s.intake.Events(ctx, a.ID)
					}
				}
			}
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if rc, err := s.intake.SampleReceipt(ctx, a.ID); err == nil {
		d.Receipt = &rc
	}
	// Documents are listed for everyone who may see the application; only those
	// who may open a scan get a link (see the template and intake.CanReadDocument).
	s.render(w, r, status, "application", page{Title: "application.title", Form: f, Data: d})
}

// applicationDo performs one procedure action from a button on the page.
func (s *Server) applicationDo(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	act := sop.Action(r.PostForm.Get("action"))
	if !act.Valid() {
		s.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if _, err := s.intake.Do(r.Context(), s.user(r), a.ID, act, r.PostForm.Get("reason")); err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "flash.done")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", a.ID), http.StatusSeeOther)
}

// applicationError shows the application again with the refusal on top.
func (s *Server) applicationError(w http.ResponseWriter, r *http.Request, a intake.Application, err error) {
	e, ok := apperr.As(err)
	if !ok || e.Kind == apperr.Internal || e.Kind == apperr.NotFound {
		s.fail(w, r, err)
		return
	}
	if e.Kind == apperr.Forbidden {
		s.auditDenied(r, "application", fmt.Sprint(a.ID))
	}
	a, gerr := s.intake.Get(r.Context(), a.ID)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	f := newForm(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.renderApplication(w, r, kindStatus(e.Kind), a, f)
}

func (s *Server) applicationReview(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	docID, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err != nil {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	accept := r.PostForm.Get("decision") == "accept"
	if err := s.intake.ReviewDocument(r.Context(), s.user(r), a.ID, docID, accept, r.PostForm.Get("reason")); err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d#dokumen", a.ID), http.StatusSeeOther)
}

func (s *Server) applicationSamples(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	ids, err := s.intake.ProductIDs(r.Context(), a.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var in []intake.SampleInput
	pf := r.PostForm
	for _, id := range ids {
		k := func(name string) string { return fmt.Sprintf("%s_%d", name, id) }
		in = append(in, intake.SampleInput{ProductID: id, Quantity: pf.Get(k("quantity")), ExpiryDate: pf.Get(k("expiry_date")),
			ProductionCode: pf.Get(k("production_code")), NetContent: pf.Get(k("net_content")), Condition: pf.Get(k("condition")), Notes: pf.Get(k("notes"))})
	}
	if _, err := s.intake.RecordSamples(r.Context(), s.user(r), a.ID, in); err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "flash.samples")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", a.ID), http.StatusSeeOther)
}

// applicationProducts changes the products of a draft.
func (s *Server) applicationProducts(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !parseForm(w, r) {
		return
	}
	var ids []int64
	for _, v := range r.PostForm["product"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	if err := s.intake.SetProducts(r.Context(), s.user(r), a.ID, ids); err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "flash.saved")
	http.Redirect(w, r, fmt.Sprintf("/businesses/%d#permohonan", a.BusinessID), http.StatusSeeOther)
}

func (s *Server) applicationList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	apps, err := s.intake.List(r.Context(), intake.Filter{State: sop.State(q.Get("state")), Search: q.Get("q")})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "applications", page{Title: "applications.title", Data: map[string]any{"Apps": apps, "Q": q.Get("q"), "State": q.Get("state"), "States": sop.States()}})
}

func (s *Server) dueList(w http.ResponseWriter, r *http.Request) {
	items, err := s.intake.DueList(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "due", page{Title: "due.title", Data: items})
}

package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/message"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/referral"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// The application page both the applicant and the staff see, its actions (the
// procedure's buttons, the document check, the samples), the staff's list and
// the due list.

type applicationData struct {
	App application.Application
	// Curation is the application's curation page, for those who take part
	// in it (the decisions are taken there, product by product).
	Curation string
	// Round is the open call the application was submitted for, while no
	// round holds it yet.
	Round     *curation.Round
	Business  applicant.Business
	Products  []applicant.Product
	Documents []documentView
	Samples   []intake.Sample
	Receipt   *intake.Receipt
	Timeline  application.Timeline
	Events    []application.Event
	// The timeline's steps and the history's items, written without the
	// template (see timelineHTML).
	TimelineHTML, HistoryHTML template.HTML
	Actions                   []actionView
	Withdraw                  *actionView // kept apart from the other actions, behind a confirmation
	// What the user may do here, from policy and the procedure.
	CanEdit        bool // change the form (the applicant's own, or staff for them)
	IsStaff        bool // sees the Office's lists (the back link goes there)
	CanReview      bool // check documents now
	CanTakeSamples bool // record the samples now

	Messages []messageView // what the applicant was sent (staff only)
	// ContactProblems are the applicant's contacts a provider refused.
	ContactProblems []message.ContactProblem
	// Referrals to the other divisions (step 8); CanRefer offers the form,
	// with the divisions the gate's findings suggest; Refer is the one the
	// form is pre-filled with (the first, or the one chosen by ?refer=).
	Referrals []referral.Referral
	CanRefer  bool
	Suggested []referral.Suggestion
	Refer     referral.Suggestion
	// Reapply is step 7: the reasons once the result is out, re-application.
	Reapply reapplyData
}

// documentView is a document with whether the user may open its file.
type documentView struct {
	document.Document
	CanOpen bool
}

// actionView is one procedure action as a button.
type actionView struct {
	Action      sop.Action
	Label       i18n.Text
	NeedsReason bool
	Danger      bool // closes the application (withdraw)
}

// application loads the {id} application for the user; the engine audits a
// refusal (404 for applicants asking for another's).
func (s *Server) application(w http.ResponseWriter, r *http.Request) (application.Application, bool) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return application.Application{}, false
	}
	a, err := s.applications.GetFor(r.Context(), s.user(r), id)
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

func (s *Server) renderApplication(w http.ResponseWriter, r *http.Request, status int, a application.Application, f *form) {
	ctx := r.Context()
	u := s.user(r)
	d := applicationData{App: a, CanEdit: policy.EditsBusiness(u, a.OwnerID) && a.Editable(), IsStaff: policy.ListsApplications(u),
		CanReview: policy.ReviewsDocuments(u) && a.State == sop.Submitted}
	for _, x := range s.applications.Available(u, a) {
		switch x {
		case sop.RecordSamples:
			d.CanTakeSamples = policy.ReceivesSamples(u)
			continue // recorded with the samples form, not a button
		case sop.Submit:
			continue // submitted from the form, where what is missing is shown (CanEdit)
		case sop.ReturnDocuments, sop.AcceptDocuments:
			continue // the document check's own form (CanReview)
		case sop.DecideProducts:
			continue // decided product by product on the curation page
		case sop.Announce:
			continue // announced for the whole round at once, on the round's page
		}
		v := actionView{Action: x, Label: x.Label(), NeedsReason: x.NeedsReason(), Danger: x == sop.Withdraw}
		if x == sop.Withdraw {
			d.Withdraw = &v
			continue
		}
		d.Actions = append(d.Actions, v)
	}
	if policy.ReviewsProducts(u) {
		if _, err := s.app.Curation.RoundOf(ctx, a.ID); err == nil {
			d.Curation = fmt.Sprintf("/curation/applications/%d", a.ID)
		}
	}
	if rd, ok, err := s.app.Curation.RequestedRound(ctx, a.ID); err != nil {
		s.serverError(w, r, err)
		return
	} else if ok && !a.State.Terminal() {
		d.Round = &rd
	}
	var docs []document.Document
	var cal *workday.Calendar
	var err error
	if d.Business, err = s.applicants.Get(ctx, a.BusinessID); err == nil {
		if d.Products, err = s.applicants.ProductsOfApplication(ctx, a.BusinessID, a.ID); err == nil {
			if docs, err = s.documents.Current(ctx, a.BusinessID); err == nil {
				if d.Samples, err = s.intake.Samples(ctx, a.ID); err == nil {
					// The history once, for both the timeline and the list.
					if d.Events, err = s.applications.Events(ctx, a.ID); err == nil {
						if cal, err = s.calendar.Load(ctx); err == nil {
							d.Timeline = application.BuildTimeline(a, d.Events, cal, s.db.Clock(ctx))
						}
					}
				}
			}
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !policy.SeesContact(u, a.OwnerID) {
		d.Business = d.Business.ContactMasked()
	}
	for _, doc := range docs {
		d.Documents = append(d.Documents, documentView{Document: doc, CanOpen: policy.ReadsDocument(u, doc.OwnerID, doc.Identity())})
	}
	if rc, err := s.intake.SampleReceipt(ctx, a.ID); err == nil {
		d.Receipt = &rc
	}
	if d.IsStaff {
		ms, err := s.app.Messages.ForApplication(ctx, a.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d.Messages = messageViews(ms)
		if d.ContactProblems, err = s.app.Messages.ContactProblems(ctx, a.OwnerID); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if d.Reapply, err = s.feedback(ctx, u, a); err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Referrals, err = s.app.Referrals.ForApplication(ctx, a.ID); err == nil && referral.Refers(u) && a.State != sop.Draft && a.State != sop.Withdrawn {
		d.CanRefer = true
		d.Suggested, err = s.app.Referrals.Suggest(ctx, a.ID)
		for i, x := range d.Suggested {
			if i == 0 || string(x.Division) == r.URL.Query().Get("refer") {
				d.Refer = x
			}
		}
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := reqFrom(ctx).lang
	d.TimelineHTML, d.HistoryHTML = s.timelineHTML(l, d.Timeline), s.historyHTML(l, d.Events)
	s.render(w, r, status, "application/application", page{Title: "application.title", Form: f, Here: fmt.Sprintf("/applications/%d", a.ID), Data: d})
}

// applicationDo performs one procedure action from a button on the page.
func (s *Server) applicationDo(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	act := sop.Action(r.PostForm.Get("action"))
	if !act.Valid() {
		s.fail(w, r, errBadForm)
		return
	}
	if act == sop.Announce {
		s.applicationError(w, r, a, errAnnouncePerRound)
		return
	}
	if _, err := s.applications.Do(r.Context(), s.user(r), a.ID, act, r.PostForm.Get("reason")); err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "flash.done")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", a.ID), http.StatusSeeOther)
}

// applicationError shows the application again with the refusal on top (and
// at its fields); refusals by role are audited.
func (s *Server) applicationError(w http.ResponseWriter, r *http.Request, a application.Application, err error) {
	if !isFormProblem(err) {
		if statusOf(err) == http.StatusForbidden {
			s.auditDenied(r, "application", fmt.Sprint(a.ID))
		}
		s.fail(w, r, err)
		return
	}
	a, gerr := s.applications.Get(r.Context(), a.ID)
	if gerr != nil {
		s.fail(w, r, gerr)
		return
	}
	f := newForm(r)
	f.setError(err, reqFrom(r.Context()).lang)
	s.renderApplication(w, r, statusOf(err), a, f)
}

// applicationCheck is the clerk's document check in one step: "Kembalikan"
// with the reasons written at each document, or "Terima semua dokumen".
func (s *Server) applicationCheck(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	reasons := map[int64]string{}
	if r.PostForm.Get("decision") == "return" {
		for key, vs := range r.PostForm {
			if id, ok := strings.CutPrefix(key, "reason_"); ok {
				if n, err := strconv.ParseInt(id, 10, 64); err == nil && len(vs) > 0 {
					reasons[n] = vs[0]
				}
			}
		}
	}
	if _, err := s.intake.CheckDocuments(r.Context(), s.user(r), a.ID, reasons); err != nil {
		s.applicationError(w, r, a, err)
		return
	}
	s.flash(w, "flash.checked")
	http.Redirect(w, r, fmt.Sprintf("/applications/%d", a.ID), http.StatusSeeOther)
}

func (s *Server) applicationSamples(w http.ResponseWriter, r *http.Request) {
	a, ok := s.application(w, r)
	if !ok || !s.postForm(w, r) {
		return
	}
	ids, err := s.applications.ProductIDs(r.Context(), a.ID)
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

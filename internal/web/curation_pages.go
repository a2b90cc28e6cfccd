package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/applicant"
	"github.com/etalase-id/etalase/internal/application"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/document"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/intake"
	"github.com/etalase-id/etalase/internal/policy"
	"github.com/etalase-id/etalase/internal/print"
	"github.com/etalase-id/etalase/internal/register"
	"github.com/etalase-id/etalase/internal/role"
	"github.com/etalase-id/etalase/internal/sop"
	"github.com/etalase-id/etalase/internal/workday"
)

// Curation (SOP step 4): the reviewer's queue and the rounds (/curation), a
// round with its applications and reviewers, an application's products in
// curation, and the scoring page of one product with the combined result and
// the expert's decision.

func (s *Server) curationRoutes(mux *http.ServeMux) {
	reviewer := s.requireUser(role.StafGaleri, role.Kurator)
	clerk := s.requireUser(role.StafGaleri)
	admin := s.requireUser(role.Admin)
	mux.HandleFunc("GET /admin/rubric", admin(s.adminRubric))
	mux.HandleFunc("POST /admin/rubric", admin(s.adminRubricSave))
	mux.HandleFunc("GET /curation", reviewer(s.curationHome))
	mux.HandleFunc("POST /curation/rounds", clerk(s.curationRoundCreate))
	mux.HandleFunc("GET /curation/rounds/{id}", clerk(s.curationRound))
	mux.HandleFunc("POST /curation/rounds/{id}/applications", clerk(s.curationRoundAdd))
	mux.HandleFunc("GET /curation/rounds/{id}/export.xlsx", clerk(s.curationRoundExport))
	mux.HandleFunc("POST /curation/rounds/{id}/announce", clerk(s.curationRoundAnnounce))
	mux.HandleFunc("POST /curation/applications/{id}/assign", clerk(s.curationAssign))
	mux.HandleFunc("POST /curation/assignments/{id}/declare", reviewer(s.curationDeclare))
	mux.HandleFunc("GET /curation/applications/{id}", reviewer(s.curationApplication))
	mux.HandleFunc("GET /curation/applications/{id}/products/{pid}", reviewer(s.curationProduct))
	mux.HandleFunc("POST /curation/applications/{id}/products/{pid}", reviewer(s.curationReviewSave))
	mux.HandleFunc("POST /curation/applications/{id}/products/{pid}/decision", reviewer(s.curationDecide))
	mux.HandleFunc("GET /curation/applications/{id}/products/{pid}/form.pdf", reviewer(s.curationFormPDF))
	mux.HandleFunc("POST /curation/applications/{id}/products/{pid}/photos", reviewer(s.curationPhoto))
	mux.HandleFunc("POST /curation/reviews/{id}/reopen", reviewer(s.curationReopen))
}

// queueItem is one assignment in the reviewer's queue.
type queueItem struct {
	curation.Assignment
	Late, DueToday bool
}

type curationHomeData struct {
	Queue      []queueItem
	RunsRounds bool
	Rounds     []curation.Round
}

func (s *Server) curationHome(w http.ResponseWriter, r *http.Request) {
	s.renderCurationHome(w, r, http.StatusOK, nil)
}

func (s *Server) renderCurationHome(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx, u := r.Context(), s.user(r)
	q, err := s.app.Curation.Queue(ctx, u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := curationHomeData{RunsRounds: policy.CuratesRounds(u)}
	now := s.db.Clock(ctx)
	for _, x := range q {
		it := queueItem{Assignment: x}
		if x.DueAt != nil {
			it.Late = now.After(*x.DueAt)
			it.DueToday = !it.Late && workday.DateOf(*x.DueAt) == workday.DateOf(now)
		}
		d.Queue = append(d.Queue, it)
	}
	if d.RunsRounds {
		if d.Rounds, err = s.app.Curation.Rounds(ctx); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "curation/home", page{Title: "curation.title", Data: d, Form: f, Here: "/curation"})
}

func (s *Server) curationRoundCreate(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	rd, err := s.app.Curation.CreateRound(r.Context(), s.user(r), curation.RoundInput{
		Name: r.PostFormValue("name"), OpenCall: r.PostFormValue("open_call") == "yes",
		RegistrationOpens: r.PostFormValue("registration_opens"), RegistrationCloses: r.PostFormValue("registration_closes"), CurationOn: r.PostFormValue("curation_on"),
	})
	if err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.renderCurationHome(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "curation.round.created")
	http.Redirect(w, r, fmt.Sprintf("/curation/rounds/%d", rd.ID), http.StatusSeeOther)
}

// roundApp is one application of a round as its page shows it.
type roundApp struct {
	application.Application
	Late        bool
	Assignments []assignmentView
	Missing     []string // reviewers whose reviews are not all submitted
	NeedStaff   int      // more reviewers of each kind to assign
	NeedExpert  int
}

type assignmentView struct {
	curation.Assignment
	Submitted, Products int
}

type roundData struct {
	Round      curation.Round
	Latest     int // the rubric's newest version
	Apps       []roundApp
	Candidates []application.Application
	Asked      map[int64]bool // candidates submitted for this round
	Reviewers  []reviewerOption
	// The announcement (SOP step 5): the list to review, and whether it may
	// be published now (every application decided, not announced yet).
	Announcement []curation.AnnouncedProduct
	Undecided    []string // numbers of the applications still undecided
	CanAnnounce  bool
}

type reviewerOption struct {
	ID   int64
	Name string
	Role role.Role
}

func (s *Server) curationRound(w http.ResponseWriter, r *http.Request) {
	s.renderCurationRound(w, r, http.StatusOK, nil)
}

func (s *Server) renderCurationRound(w http.ResponseWriter, r *http.Request, status int, f *form) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	c := s.app.Curation
	rd, err := c.Round(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := roundData{Round: rd}
	latest, err := c.LatestRubric(ctx, rd.RubricID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Latest = latest.Version
	apps, err := c.RoundApplications(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	needStaff, needExpert, err := c.Required(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.db.Clock(ctx)
	for _, a := range apps {
		ra := roundApp{Application: a, Late: a.State == "in_curation" && a.Overdue(now), NeedStaff: needStaff, NeedExpert: needExpert}
		xs, err := c.Assignments(ctx, a.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		counts, products, err := c.SubmittedCounts(ctx, a.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, x := range xs {
			v := assignmentView{Assignment: x, Submitted: counts[x.ReviewerID], Products: products}
			ra.Assignments = append(ra.Assignments, v)
			if !x.Active() {
				continue
			}
			if x.Kind == curation.KindExpert {
				ra.NeedExpert--
			} else {
				ra.NeedStaff--
			}
			if v.Submitted < products {
				ra.Missing = append(ra.Missing, x.ReviewerName)
			}
		}
		ra.NeedStaff, ra.NeedExpert = max(ra.NeedStaff, 0), max(ra.NeedExpert, 0)
		d.Apps = append(d.Apps, ra)
		if a.State != sop.Decided && a.State != sop.Withdrawn && !rd.Announced() {
			d.Undecided = append(d.Undecided, a.Number)
		}
	}
	if d.Announcement, err = c.Announcement(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	d.CanAnnounce = !rd.Announced() && len(d.Undecided) == 0 && len(d.Announcement) > 0 && policy.CuratesRounds(s.user(r))
	if d.Candidates, err = c.Candidates(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	// Those who submitted for this round come first, ticked.
	if d.Asked, err = c.Requested(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	slices.SortStableFunc(d.Candidates, func(a, b application.Application) int {
		switch {
		case d.Asked[a.ID] == d.Asked[b.ID]:
			return 0
		case d.Asked[a.ID]:
			return -1
		}
		return 1
	})
	rvs, err := c.Reviewers(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range rvs {
		d.Reviewers = append(d.Reviewers, reviewerOption{ID: u.ID, Name: u.Name, Role: u.Role})
	}
	s.render(w, r, status, "curation/round", page{Title: "curation.round.title", Data: d, Form: f, Here: fmt.Sprintf("/curation/rounds/%d", id)})
}

func (s *Server) curationRoundAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx, u := r.Context(), s.user(r)
	ids := formIDs(r, "application")
	if len(ids) == 0 {
		f := newForm(r)
		f.setError(apperr.InvalidField("curation.pick", "application", textOf("Pilih permohonan yang akan dimasukkan.", "Choose the applications to add.")), reqFrom(ctx).lang)
		s.renderCurationRound(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	for _, appID := range ids {
		if err := s.app.Curation.AddApplication(ctx, u, id, appID); err != nil {
			if isFormProblem(err) {
				f := newForm(r)
				f.setError(err, reqFrom(ctx).lang)
				s.renderCurationRound(w, r, statusOf(err), f)
				return
			}
			s.fail(w, r, err)
			return
		}
	}
	s.flash(w, "curation.round.added")
	http.Redirect(w, r, fmt.Sprintf("/curation/rounds/%d", id), http.StatusSeeOther)
}

// curationRoundAnnounce publishes a round's results (SOP step 5), once, after
// the clerk ticked that they know every applicant is sent a message and it
// cannot be undone.
func (s *Server) curationRoundAnnounce(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	if r.PostForm.Get("confirm") != "yes" {
		f := newForm(r)
		f.setError(apperr.InvalidField("announce.confirm", "confirm", textOf(
			"Centang dulu bahwa Anda yakin: setiap pemohon akan dikirimi hasilnya dan pengumuman tidak bisa dibatalkan.",
			"Tick first that you are sure: every applicant will be sent their result and the announcement cannot be undone.")), reqFrom(ctx).lang)
		s.renderCurationRound(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if _, err := s.app.AnnounceRound(ctx, s.user(r), id); err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(ctx).lang)
			s.renderCurationRound(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "announce.done")
	http.Redirect(w, r, fmt.Sprintf("/curation/rounds/%d", id), http.StatusSeeOther)
}

func (s *Server) curationAssign(w http.ResponseWriter, r *http.Request) {
	appID, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	rd, err := s.app.Curation.RoundOf(ctx, appID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reviewer, _ := strconv.ParseInt(r.PostFormValue("reviewer"), 10, 64)
	if _, err := s.app.Curation.Assign(ctx, s.user(r), appID, reviewer); err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(ctx).lang)
			r.SetPathValue("id", strconv.FormatInt(rd.ID, 10))
			s.renderCurationRound(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "curation.assigned")
	http.Redirect(w, r, fmt.Sprintf("/curation/rounds/%d#app-%d", rd.ID, appID), http.StatusSeeOther)
}

func (s *Server) curationDeclare(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx, u := r.Context(), s.user(r)
	conflict := r.PostFormValue("conflict") == "yes"
	if err := s.app.Curation.Declare(ctx, u, id, conflict, r.PostFormValue("conflict_note")); err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(ctx).lang)
			s.renderCurationHome(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	if conflict {
		s.flash(w, "curation.declared_conflict")
		http.Redirect(w, r, "/curation", http.StatusSeeOther)
		return
	}
	x, err := s.app.Curation.Assignment(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/curation/applications/%d", x.ApplicationID), http.StatusSeeOther)
}

// curationProductRow is one product on the application's curation page.
type curationProductRow struct {
	applicant.Product
	Mine     string // the reader's review status: "", draft, submitted
	Result   *curation.Result
	Decision *curation.Decision
}

type curationAppData struct {
	App      application.Application
	Round    curation.Round
	Products []curationProductRow
	Late     bool
}

func (s *Server) curationApp(r *http.Request) (application.Application, curation.Round, error) {
	appID, ok := pathID(r)
	if !ok {
		return application.Application{}, curation.Round{}, application.ErrNotFound
	}
	a, err := s.applications.GetFor(r.Context(), s.user(r), appID)
	if err != nil {
		return a, curation.Round{}, err
	}
	rd, err := s.app.Curation.RoundOf(r.Context(), appID)
	return a, rd, err
}

func (s *Server) curationApplication(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), s.user(r)
	a, rd, err := s.curationApp(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids, err := s.applications.ProductIDs(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	products, err := s.applicants.ProductsByID(ctx, a.BusinessID, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	reviews, err := s.app.Curation.Reviews(ctx, u, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	decisions, err := s.app.Curation.Decisions(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := curationAppData{App: a, Round: rd, Late: a.Overdue(s.db.Clock(ctx))}
	for _, p := range products {
		row := curationProductRow{Product: p}
		for _, rv := range reviews {
			if rv.ProductID == p.ID && rv.ReviewerID == u.ID {
				row.Mine = rv.Status
			}
		}
		if res, err := s.app.Curation.Result(ctx, a.ID, p.ID); err == nil {
			row.Result = &res
		}
		if dd, ok := decisions[p.ID]; ok {
			row.Decision = &dd
		}
		d.Products = append(d.Products, row)
	}
	s.render(w, r, http.StatusOK, "curation/application", page{Title: "curation.app.title", Data: d})
}

// criterionView is one criterion of the scoring form with what was entered.
type criterionView struct {
	curation.Criterion
	Score int // 0 when not scored
	Note  string
	Error string
}

// otherReview is another reviewer's review as the reader may see it.
type otherReview struct {
	curation.StoredReview
	Hidden bool // blind: the reader has not submitted yet
}

type curationProductData struct {
	App          application.Application
	Round        curation.Round
	Product      applicant.Product
	Sample       *intake.Sample
	Documents    []document.Document // accepted product documents and photos, never identity papers
	Rubric       curation.Rubric
	Criteria     []criterionView
	Note         string
	Mine         *curation.StoredReview
	OnBehalf     *reviewerOption  // the expert whose paper scores staff type in
	PaperExperts []reviewerOption // experts staff may type in paper scores for
	Others       []otherReview
	Assigned     bool
	Declared     bool
	Editable     bool // the reader may save their review now
	Result       *curation.Result
	Decision     *curation.Decision
	CanDecide    bool
	Suggested    string
	Passed       string // the decision form's choice: "yes", "no" or ""
	Reason       string
	Names        map[int64]string // reviewer names by id, for the result table
	LatestRubr   int
}

// CriterionName is the name of the rubric's criterion code in language l.
func (d curationProductData) CriterionName(code string, l i18n.Lang) string {
	if c, ok := d.Rubric.Criterion(code); ok {
		return c.Name.In(l)
	}
	return code
}

func (s *Server) curationProduct(w http.ResponseWriter, r *http.Request) {
	s.renderCurationProduct(w, r, http.StatusOK, nil)
}

func (s *Server) renderCurationProduct(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx, u := r.Context(), s.user(r)
	a, rd, err := s.curationApp(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pid, ok := pathID(r, "pid")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ids, err := s.applications.ProductIDs(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	found := false
	for _, id := range ids {
		found = found || id == pid
	}
	if !found {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	p, err := s.applicants.Product(ctx, a.BusinessID, pid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.app.Curation
	rub, err := c.RubricVersion(ctx, rd.RubricID, rd.RubricVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := curationProductData{App: a, Round: rd, Product: p, Rubric: rub, Names: map[int64]string{}}
	if latest, err := c.LatestRubric(ctx, rd.RubricID); err == nil {
		d.LatestRubr = latest.Version
	}
	samples, err := s.intake.Samples(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range samples {
		if samples[i].ProductID == pid {
			d.Sample = &samples[i]
		}
	}
	docs, err := s.documents.Current(ctx, a.BusinessID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, doc := range docs {
		if doc.Identity() || (doc.ProductID != 0 && doc.ProductID != pid) {
			continue
		}
		if doc.Status == document.Accepted || doc.Kind == "foto_produk" {
			d.Documents = append(d.Documents, doc)
		}
	}
	xs, err := c.Assignments(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Staff may type in an expert's paper scores on the expert's behalf.
	actor := u.ID
	behalf, _ := strconv.ParseInt(r.URL.Query().Get("on_behalf_of"), 10, 64)
	if v := r.PostFormValue("on_behalf_of"); v != "" {
		behalf, _ = strconv.ParseInt(v, 10, 64)
	}
	for _, x := range xs {
		d.Names[x.ReviewerID] = x.ReviewerName
		if x.ReviewerID == u.ID && x.Active() {
			d.Assigned, d.Declared = true, x.Conflict == "none"
		}
	}
	if policy.CuratesRounds(u) {
		for _, x := range xs {
			if x.Kind != curation.KindExpert || !x.Active() {
				continue
			}
			if x.ReviewerID == behalf {
				d.OnBehalf, actor = &reviewerOption{ID: x.ReviewerID, Name: x.ReviewerName, Role: role.Kurator}, x.ReviewerID
				d.Assigned, d.Declared = true, true
			} else {
				d.PaperExperts = append(d.PaperExperts, reviewerOption{ID: x.ReviewerID, Name: x.ReviewerName, Role: role.Kurator})
			}
		}
	}
	reviews, err := c.Reviews(ctx, u, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scores := map[string]curation.CriterionScore{}
	for _, rv := range reviews {
		if rv.ProductID != pid {
			continue
		}
		if rv.ReviewerID == actor {
			mine := rv
			d.Mine = &mine
			d.Note = rv.Note
			for _, sc := range rv.Scores {
				scores[sc.Criterion] = sc
			}
			continue
		}
		d.Others = append(d.Others, otherReview{StoredReview: rv, Hidden: rv.Scores == nil && rv.Note == ""})
	}
	d.Editable = d.Assigned && d.Declared && !rd.Announced() && a.State == "in_curation" && (d.Mine == nil || d.Mine.Status == curation.Draft)
	for _, cr := range rub.Applicable(p.Category) {
		v := criterionView{Criterion: cr}
		if sc, ok := scores[cr.Code]; ok {
			v.Score, v.Note = sc.Score, sc.Note
		}
		if f != nil {
			v.Score, _ = strconv.Atoi(f.Value("score_" + cr.Code))
			v.Note = f.Value("note_" + cr.Code)
			v.Error = f.Error("scores." + cr.Code)
		}
		d.Criteria = append(d.Criteria, v)
	}
	if f != nil && f.Value("note") != "" {
		d.Note = f.Value("note")
	}
	if res, err := c.Result(ctx, a.ID, pid); err == nil {
		d.Result = &res
		d.Suggested = res.SuggestedReason()
	} else if !apperr.IsKind(err, apperr.Conflict) {
		s.fail(w, r, err)
		return
	}
	ds, err := c.Decisions(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if dd, ok := ds[pid]; ok {
		d.Decision = &dd
	}
	d.CanDecide = policy.DecidesProducts(u) && d.Assigned && d.Declared && d.Result != nil && !rd.Announced()
	d.Reason = d.Suggested
	if d.Result != nil && d.Result.Outcome.Passed {
		d.Passed, d.Reason = "yes", ""
	} else if d.Result != nil {
		d.Passed = "no"
	}
	if d.Decision != nil {
		d.Reason = d.Decision.Reason
		d.Passed = map[bool]string{true: "yes", false: "no"}[d.Decision.Passed]
	}
	if f != nil && f.Value("passed") != "" {
		d.Passed, d.Reason = f.Value("passed"), f.Value("reason")
	}
	s.render(w, r, status, "curation/product", page{Title: "curation.product.title", Data: d, Form: f,
		Here: fmt.Sprintf("/curation/applications/%d/products/%d", a.ID, pid)})
}

func (s *Server) curationReviewSave(w http.ResponseWriter, r *http.Request) {
	appID, ok1 := pathID(r)
	pid, ok2 := pathID(r, "pid")
	if !ok1 || !ok2 || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	in := curation.ReviewInput{Note: r.PostFormValue("note"), Submit: r.PostFormValue("action") == "submit"}
	for key, vals := range r.PostForm {
		code, ok := strings.CutPrefix(key, "score_")
		if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(vals[0]))
		if err != nil {
			n = -1
		}
		in.Scores = append(in.Scores, curation.CriterionScore{Criterion: code, Score: n, Note: r.PostFormValue("note_" + code)})
	}
	if v := r.PostFormValue("on_behalf_of"); v != "" {
		in.OnBehalfOf, _ = strconv.ParseInt(v, 10, 64)
	}
	if _, err := s.app.Curation.SaveReview(ctx, s.user(r), appID, pid, in); err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(ctx).lang)
			s.renderCurationProduct(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	if in.Submit {
		s.flash(w, "curation.review.submitted")
	} else {
		s.flash(w, "curation.review.saved")
	}
	back := fmt.Sprintf("/curation/applications/%d/products/%d", appID, pid)
	if in.OnBehalfOf != 0 {
		back += fmt.Sprintf("?on_behalf_of=%d#my-review", in.OnBehalfOf)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) curationDecide(w http.ResponseWriter, r *http.Request) {
	appID, ok1 := pathID(r)
	pid, ok2 := pathID(r, "pid")
	if !ok1 || !ok2 || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx := r.Context()
	in := curation.DecisionInput{Passed: r.PostFormValue("passed") == "yes", Reason: r.PostFormValue("reason"), ReviseReason: r.PostFormValue("revise_reason")}
	if p := r.PostFormValue("passed"); p != "yes" && p != "no" {
		f := newForm(r)
		f.setError(apperr.InvalidField("curation.pick_decision", "passed", textOf("Pilih lolos atau tidak lolos.", "Choose passed or not passed.")), reqFrom(ctx).lang)
		s.renderCurationProduct(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if _, err := s.app.Curation.Decide(ctx, s.user(r), appID, pid, in); err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(ctx).lang)
			s.renderCurationProduct(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "curation.decided")
	http.Redirect(w, r, fmt.Sprintf("/curation/applications/%d", appID), http.StatusSeeOther)
}

func (s *Server) curationReopen(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok || !s.postForm(w, r) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ctx, u := r.Context(), s.user(r)
	rv, err := s.app.Curation.Review(ctx, u, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.app.Curation.ReopenReview(ctx, u, id, r.PostFormValue("reason")); err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(ctx).lang)
			r.SetPathValue("id", strconv.FormatInt(rv.ApplicationID, 10))
			r.SetPathValue("pid", strconv.FormatInt(rv.ProductID, 10))
			s.renderCurationProduct(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "curation.review.reopened")
	http.Redirect(w, r, fmt.Sprintf("/curation/applications/%d/products/%d", rv.ApplicationID, rv.ProductID), http.StatusSeeOther)
}

// curationFormPDF is the product curation form as PDF: ?blank=1 (or no review
// submitted yet) prints the blank form for scoring on paper, with the
// product's data, its sample and every criterion's scale; otherwise the
// completed form with every review the reader may see, the combined result,
// the decision and its reasons.
func (s *Server) curationFormPDF(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), s.user(r)
	a, rd, err := s.curationApp(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pid, ok := pathID(r, "pid")
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	ids, err := s.applications.ProductIDs(ctx, a.ID)
	if err != nil || !slices.Contains(ids, pid) {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	p, err := s.applicants.Product(ctx, a.BusinessID, pid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c := s.app.Curation
	rub, err := c.RubricVersion(ctx, rd.RubricID, rd.RubricVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crit := rub.Applicable(p.Category)
	d := print.CurationFormData{Office: s.office(r), ApplicationNumber: a.Number, RoundName: rd.Name, BusinessName: a.BusinessName,
		Product: print.Product{Name: p.Name, Category: p.Category, NetContent: p.NetContent, Packaging: p.Packaging, ShelfLifeDays: p.ShelfLifeDays,
			Price: p.Price, PIRT: p.PIRT, Halal: p.Halal, BPOM: p.BPOM},
		RubricVersion: rub.Version, PassMark: rub.PassMark, PrintedAt: s.db.Clock(ctx),
		URL: s.absURL(r, fmt.Sprintf("/curation/applications/%d/products/%d", a.ID, pid))}
	for _, cr := range crit {
		pc := print.CurationCriterion{Name: cr.Name.ID, Description: cr.Description.ID, Weight: cr.Weight, Target: cr.Target}
		for _, an := range cr.Scale.Anchors {
			pc.Anchors = append(pc.Anchors, fmt.Sprintf("%d — %s", an.Score, an.Text.ID))
		}
		d.Criteria = append(d.Criteria, pc)
	}
	samples, err := s.intake.Samples(ctx, a.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, x := range samples {
		if x.ProductID == pid {
			sm := print.Sample{ProductName: x.ProductName, Quantity: x.Quantity, ProductionCode: x.ProductionCode, NetContent: x.NetContent, Condition: x.Condition}
			if exp, err := workday.ParseDate(x.ExpiryDate); err == nil {
				sm.ExpiryDate = exp.StartWIB()
			}
			d.Sample = &sm
		}
	}
	name := fmt.Sprintf("formulir-kurasi-%s-%d.pdf", a.Number, pid)
	if r.URL.Query().Get("blank") == "" {
		reviews, err := c.Reviews(ctx, u, a.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, rv := range reviews {
			if rv.ProductID != pid || rv.Status != curation.Submitted || rv.Scores == nil {
				continue
			}
			pr := print.CurationReviewer{Name: rv.ReviewerName, Role: map[string]string{curation.KindStaff: "Staf Galeri", curation.KindExpert: "Tenaga Ahli Kurasi"}[rv.Kind],
				EnteredBy: rv.EnteredBy, Note: rv.Note}
			for _, cr := range crit {
				v, n := "", ""
				for _, sc := range rv.Scores {
					if sc.Criterion == cr.Code {
						v, n = strconv.Itoa(sc.Score), sc.Note
					}
				}
				pr.Scores, pr.Notes = append(pr.Scores, v), append(pr.Notes, n)
			}
			d.Reviewers = append(d.Reviewers, pr)
		}
		if res, err := c.Result(ctx, a.ID, pid); err == nil && len(d.Reviewers) > 0 {
			pres := &print.CurationResult{Score: res.Outcome.Score.Format(i18n.ID), Grade: res.Outcome.Grade, Gate: "legalitas lengkap"}
			if !res.Gate.Passed {
				var fs []string
				for _, g := range res.Gate.Failures {
					fs = append(fs, g.Text.ID)
				}
				pres.Gate = "tidak lolos: " + strings.Join(fs, " ")
			}
			for _, cr := range crit {
				m := ""
				if x, ok := res.Combined.Result(cr.Code); ok && x.Scored() {
					m = x.Mean.Format(i18n.ID)
				}
				pres.Means = append(pres.Means, m)
			}
			ds, err := c.Decisions(ctx, a.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if dd, ok := ds[pid]; ok {
				pres.Decision = map[bool]string{true: "Lolos", false: "Tidak lolos"}[dd.Passed]
				pres.Reasons, pres.DecidedBy = dd.Reason, dd.DecidedBy
			}
			d.Result = pres
		}
		if len(d.Reviewers) > 0 {
			name = "hasil-" + name
		}
	}
	var buf bytes.Buffer
	if err := print.CurationForm(&buf, d); err != nil {
		s.serverError(w, r, err)
		return
	}
	servePDF(w, name, buf.Bytes())
}

// curationRoundExport is the round's register in Excel, streamed.
func (s *Server) curationRoundExport(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	if _, err := s.app.Curation.Round(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveDownload(w, r, fmt.Sprintf("kurasi-putaran-%d", id), "xlsx", xlsxType, func(out io.Writer) error {
		return register.CurationRound(r.Context(), out, s.db, s.app.Curation, id)
	})
}

// curationPhoto keeps a photo taken at curation (from the phone's camera).
func (s *Server) curationPhoto(w http.ResponseWriter, r *http.Request) {
	appID, ok1 := pathID(r)
	pid, ok2 := pathID(r, "pid")
	if !ok1 || !ok2 {
		s.errorPage(w, r, http.StatusNotFound)
		return
	}
	up, done, err := s.readUpload(w, r, 0)
	defer done()
	if err == nil && up.File == nil {
		err = apperr.InvalidField("curation.photo_missing", "file", textOf("Pilih atau ambil fotonya dulu.", "Choose or take the photo first."))
	}
	if err == nil {
		_, err = s.app.Curation.AddPhoto(r.Context(), s.user(r), appID, pid, up.File, up.FileName)
	}
	if err != nil {
		if isFormProblem(err) {
			f := newForm(r)
			f.setError(err, reqFrom(r.Context()).lang)
			s.renderCurationProduct(w, r, statusOf(err), f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(w, "curation.photo.added")
	http.Redirect(w, r, fmt.Sprintf("/curation/applications/%d/products/%d#photos", appID, pid), http.StatusSeeOther)
}

package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/etalase-id/etalase/internal/apperr"
	"github.com/etalase-id/etalase/internal/curation"
	"github.com/etalase-id/etalase/internal/i18n"
	"github.com/etalase-id/etalase/internal/policy"
)

// The curation part of /api/v1 (SOP step 4): rubrics with their versions,
// rounds, assignments, reviews and decisions, through the same service, rules,
// access checks (an expert sees only what is assigned to them; reviews are
// blind until one's own is submitted) and messages as the pages.

func (s *Server) curationAPIRoutes() []apiRoute {
	return []apiRoute{
		{"GET", "/api/v1/rubrics", s.apiAuth(s.apiRubrics)},
		{"GET", "/api/v1/rubrics/{id}/versions", s.apiAuth(s.apiRubricVersions)},
		{"GET", "/api/v1/rounds", s.apiAuth(s.apiRounds)},
		{"POST", "/api/v1/rounds", s.apiAuth(s.apiRoundCreate)},
		{"GET", "/api/v1/rounds/{id}", s.apiAuth(s.apiRound)},
		{"GET", "/api/v1/rounds/registering", s.apiAuth(s.apiRoundsRegistering)},
		{"PUT", "/api/v1/applications/{id}/round", s.apiAuth(s.apiRoundRequest)},
		{"POST", "/api/v1/rounds/{id}/applications", s.apiAuth(s.apiRoundAdd)},
		{"POST", "/api/v1/rounds/{id}/announce", s.apiAuth(s.apiRoundAnnounce)},
		{"POST", "/api/v1/rounds/{id}/assignments", s.apiAuth(s.apiAssign)},
		{"GET", "/api/v1/assignments", s.apiAuth(s.apiQueue)},
		{"POST", "/api/v1/assignments/{id}/declaration", s.apiAuth(s.apiDeclare)},
		{"GET", "/api/v1/reviews", s.apiAuth(s.apiReviews)},
		{"POST", "/api/v1/reviews", s.apiAuth(s.apiReviewSave)},
		{"POST", "/api/v1/reviews/{id}/reopen", s.apiAuth(s.apiReviewReopen)},
		{"GET", "/api/v1/decisions", s.apiAuth(s.apiDecisions)},
		{"POST", "/api/v1/decisions", s.apiAuth(s.apiDecide)},
	}
}

var errAPIBody = apperr.InvalidField("api.body", "body", i18n.Text{ID: "Isi permintaan harus JSON yang sesuai dokumentasi API.", EN: "The request body must be JSON as the API documentation describes."})

// readBody decodes a small JSON body into v, answering a broken one.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 256<<10)).Decode(v); err != nil {
		s.apiError(w, r, errAPIBody)
		return false
	}
	return true
}

func (s *Server) apiRubrics(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	if !policy.ReviewsProducts(u) && !policy.EditsRubrics(u) {
		s.denied(w, r, "rubric", "list")
		return
	}
	rub, err := s.app.Curation.LatestRubric(r.Context(), curation.DefaultRubricID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": []curation.Rubric{rub}})
}

func (s *Server) apiRubricVersions(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	if !policy.ReviewsProducts(u) && !policy.EditsRubrics(u) {
		s.denied(w, r, "rubric", strconv.FormatInt(id, 10))
		return
	}
	vs, err := s.app.Curation.RubricVersions(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": vs})
}

func (s *Server) apiRounds(w http.ResponseWriter, r *http.Request) {
	if !policy.CuratesRounds(s.user(r)) {
		s.denied(w, r, "round", "list")
		return
	}
	rs, err := s.app.Curation.Rounds(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(rs)})
}

// apiRoundsRegistering lists the open calls taking registrations today, which
// an applicant's submission may name (anyone signed in may read them: they
// are on the public home page).
func (s *Server) apiRoundsRegistering(w http.ResponseWriter, r *http.Request) {
	rs, err := s.app.Curation.Registering(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(rs)})
}

// apiRoundRequest records the open call an application is for (round_id 0
// clears it), as the business form's round choice does.
func (s *Server) apiRoundRequest(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var body struct {
		RoundID int64 `json:"round_id"`
	}
	if !s.readBody(w, r, &body) {
		return
	}
	if err := s.app.Curation.RequestRound(r.Context(), s.user(r), id, body.RoundID); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"application_id": id, "round_id": body.RoundID})
}

func (s *Server) apiRoundCreate(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name               string `json:"name"`
		OpenCall           bool   `json:"open_call"`
		RegistrationOpens  string `json:"registration_opens"`
		RegistrationCloses string `json:"registration_closes"`
		CurationOn         string `json:"curation_on"`
	}
	if !s.readBody(w, r, &body) {
		return
	}
	rd, err := s.app.Curation.CreateRound(r.Context(), s.user(r), curation.RoundInput{Name: body.Name, OpenCall: body.OpenCall,
		RegistrationOpens: body.RegistrationOpens, RegistrationCloses: body.RegistrationCloses, CurationOn: body.CurationOn})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rd)
}

// apiRoundApp is one application of a round with its reviewers.
type apiRoundApp struct {
	ID          int64                 `json:"id"`
	Number      string                `json:"number"`
	Business    string                `json:"business"`
	State       string                `json:"state"`
	Assignments []curation.Assignment `json:"assignments"`
}

func (s *Server) apiRound(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	if !policy.CuratesRounds(s.user(r)) {
		s.denied(w, r, "round", strconv.FormatInt(id, 10))
		return
	}
	ctx := r.Context()
	rd, err := s.app.Curation.Round(ctx, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	apps, err := s.app.Curation.RoundApplications(ctx, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	out := []apiRoundApp{}
	for _, a := range apps {
		xs, err := s.app.Curation.Assignments(ctx, a.ID)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		out = append(out, apiRoundApp{ID: a.ID, Number: a.Number, Business: a.BusinessName, State: string(a.State), Assignments: nonNil(xs)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"round": rd, "applications": out})
}

func (s *Server) apiRoundAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var body struct {
		ApplicationID int64 `json:"application_id"`
	}
	if !s.readBody(w, r, &body) {
		return
	}
	if err := s.app.Curation.AddApplication(r.Context(), s.user(r), id, body.ApplicationID); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"round_id": id, "application_id": body.ApplicationID})
}

// apiRoundAnnounce publishes a round's results, once, as the round's page does.
func (s *Server) apiRoundAnnounce(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	ids, err := s.app.AnnounceRound(r.Context(), s.user(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	rd, err := s.app.Curation.Round(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"round_id": id, "announced_at": rd.AnnouncedAt, "application_ids": ids,
		"announcement_url": s.absURL(r, fmt.Sprintf("/pengumuman/%d", id)), "letter_url": s.absURL(r, fmt.Sprintf("/pengumuman/%d/surat.pdf", id))})
}

func (s *Server) apiAssign(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var body struct {
		ApplicationID int64 `json:"application_id"`
		ReviewerID    int64 `json:"reviewer_id"`
	}
	if !s.readBody(w, r, &body) {
		return
	}
	ctx := r.Context()
	if rd, err := s.app.Curation.RoundOf(ctx, body.ApplicationID); err == nil && rd.ID != id {
		s.apiError(w, r, apperr.New(apperr.Conflict, "curation.other_round", "Permohonan ini ada di putaran lain.", "This application is in another round."))
		return
	}
	x, err := s.app.Curation.Assign(ctx, s.user(r), body.ApplicationID, body.ReviewerID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, x)
}

func (s *Server) apiQueue(w http.ResponseWriter, r *http.Request) {
	u := s.user(r)
	if !policy.ReviewsProducts(u) {
		s.denied(w, r, "assignment", "list")
		return
	}
	q, err := s.app.Curation.Queue(r.Context(), u)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(q)})
}

func (s *Server) apiDeclare(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var body struct {
		Conflict bool   `json:"conflict"`
		Note     string `json:"note"`
	}
	if !s.readBody(w, r, &body) {
		return
	}
	if err := s.app.Curation.Declare(r.Context(), s.user(r), id, body.Conflict, body.Note); err != nil {
		s.apiError(w, r, err)
		return
	}
	x, err := s.app.Curation.Assignment(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, x)
}

// appParam reads the required application_id of a list.
func appParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.URL.Query().Get("application_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.InvalidField("api.application_id", "application_id", i18n.Text{ID: "Sebutkan application_id.", EN: "Give application_id."})
	}
	return id, nil
}

func (s *Server) apiReviews(w http.ResponseWriter, r *http.Request) {
	appID, err := appParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	u := s.user(r)
	if !policy.ReviewsProducts(u) {
		s.denied(w, r, "review", "list")
		return
	}
	rs, err := s.app.Curation.Reviews(r.Context(), u, appID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(rs)})
}

func (s *Server) apiReviewSave(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ApplicationID int64 `json:"application_id"`
		ProductID     int64 `json:"product_id"`
		curation.ReviewInput
	}
	if !s.readBody(w, r, &body) {
		return
	}
	u := s.user(r)
	if !policy.ReviewsProducts(u) {
		s.denied(w, r, "review", "save")
		return
	}
	rv, err := s.app.Curation.SaveReview(r.Context(), u, body.ApplicationID, body.ProductID, body.ReviewInput)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rv)
}

func (s *Server) apiReviewReopen(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.apiError(w, r, errAPINotFound)
		return
	}
	var body struct {
		Reason string `json:"reason"`
	}
	if !s.readBody(w, r, &body) {
		return
	}
	if err := s.app.Curation.ReopenReview(r.Context(), s.user(r), id, body.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "status": curation.Draft})
}

// apiProductResult is a product's combined result and decision.
type apiProductResult struct {
	ProductID int64              `json:"product_id"`
	Result    *curation.Result   `json:"result"`
	Decision  *curation.Decision `json:"decision"`
	Suggested string             `json:"suggested_reason,omitempty"`
}

func (s *Server) apiDecisions(w http.ResponseWriter, r *http.Request) {
	appID, err := appParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ctx, u := r.Context(), s.user(r)
	if !policy.ReviewsProducts(u) {
		s.denied(w, r, "decision", "list")
		return
	}
	a, err := s.applications.GetFor(ctx, u, appID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ids, err := s.applications.ProductIDs(ctx, a.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ds, err := s.app.Curation.Decisions(ctx, a.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	// A result exists only once every active reviewer has submitted, so a
	// reviewer never sees one before their own review is in.
	out := []apiProductResult{}
	for _, pid := range ids {
		x := apiProductResult{ProductID: pid}
		if res, err := s.app.Curation.Result(ctx, a.ID, pid); err == nil {
			x.Result, x.Suggested = &res, res.SuggestedReason()
		}
		if d, ok := ds[pid]; ok {
			x.Decision = &d
		}
		out = append(out, x)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out})
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ApplicationID int64 `json:"application_id"`
		ProductID     int64 `json:"product_id"`
		curation.DecisionInput
	}
	if !s.readBody(w, r, &body) {
		return
	}
	d, err := s.app.Curation.Decide(r.Context(), s.user(r), body.ApplicationID, body.ProductID, body.DecisionInput)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// nonNil keeps an empty list a JSON [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
